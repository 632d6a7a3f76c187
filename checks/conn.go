package checks

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// MaxLine is the longest reply line accepted before a peer is judged broken
// (an endless line): far above any protocol's limit (SMTP 512, IMAP 8000).
const MaxLine = 64 << 10

// Conn is a connection under a check's control:
//
//   - every Read and Write carries the current step's deadline, set by Arm;
//     the deadlines protocol libraries set themselves are ignored, so no
//     library can wait longer than the user's timeout;
//   - cancelling the run's context unblocks every pending call at once;
//   - in text mode, complete lines go to the recorder's transcript ("S: ",
//     "C: ", or "C: [hidden]" while Hide is on) and a line longer than
//     MaxLine fails with ErrLineTooLong;
//   - StartTLS upgrades it in place, so the transcript stays readable.
type Conn struct {
	mu       sync.Mutex
	inner    net.Conn // raw TCP, or *tls.Conn over raw after StartTLS
	raw      net.Conn
	ctx      context.Context
	stop     func() bool
	timeout  time.Duration
	deadline time.Time

	rec      atomic.Pointer[Recorder]
	text     atomic.Bool
	hide     atomic.Bool
	readBuf  []byte
	writeBuf []byte

	read, written atomic.Int64
	// stepRead and stepLines count the bytes and lines of text read since
	// the step began (Arm), to bound a reply that never ends.
	stepRead, stepLines atomic.Int64
	// rerr is the first read error that left the stream broken: any but a
	// timeout between lines (midLine false), after which a late reply can
	// still be read whole. bufio's ReadLine (under textproto and the FTP
	// library) hands back a partial line without its error, so the
	// connection keeps it, fails every later call with it and the
	// protocol code can ask for it (Err).
	rerr    atomic.Pointer[error]
	midLine atomic.Bool
}

// MaxReply and MaxReplyLines bound the text one step may read (every line
// of a multi-line reply together): far above any real reply (an EHLO,
// FEAT or CAPABILITY answer has tens of lines), so that an endless
// multi-line reply ends as ErrReplyTooLong at once instead of filling
// memory until the timeout.
const (
	MaxReply      = 1 << 20
	MaxReplyLines = 1000
)

// wrapConn takes control of raw for a check; the connection is closed when
// ctx is cancelled (calls in progress return at once with context.Canceled).
func wrapConn(ctx context.Context, raw net.Conn, timeout time.Duration, rec *Recorder) *Conn {
	c := &Conn{inner: raw, raw: raw, ctx: ctx, timeout: timeout}
	c.rec.Store(rec)
	c.text.Store(rec != nil)
	c.stop = context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Unix(1, 0)) })
	c.Arm()
	return c
}

// Arm starts a new step: the next reads and writes must complete within the
// timeout from now.
func (c *Conn) Arm() {
	c.ArmFor(c.timeout)
}

// ArmFor starts a step with its own limit (a transfer sized to its data).
func (c *Conn) ArmFor(d time.Duration) {
	if c.ctx.Err() != nil {
		return
	}
	c.stepRead.Store(0)
	c.stepLines.Store(0)
	c.mu.Lock()
	c.deadline = timeNow().Add(d)
	_ = c.raw.SetDeadline(c.deadline)
	c.mu.Unlock()
}

// Timeout is the per-step limit this connection was made with.
func (c *Conn) Timeout() time.Duration { return c.timeout }

// Record sends the transcript to another check's recorder (e.g. from the
// smtp check to the auth check); nil stops the transcript.
func (c *Conn) Record(rec *Recorder) {
	c.rec.Store(rec)
	c.text.Store(rec != nil)
}

// Hide replaces the client's lines in the transcript with [hidden] while on
// (login commands).
func (c *Conn) Hide(on bool) { c.hide.Store(on) }

// Read reads from the connection under the step's deadline. After a
// failed read every read fails with the same error.
func (c *Conn) Read(p []byte) (int, error) {
	if err := c.Err(); err != nil {
		return 0, err
	}
	n, err := c.inner.Read(p)
	c.read.Add(int64(n))
	if n > 0 && c.text.Load() {
		if lerr := c.feed(&c.readBuf, "S: ", p[:n]); lerr != nil && err == nil {
			err = lerr
		}
		if (c.stepRead.Add(int64(n)) > MaxReply || c.stepLines.Load() > MaxReplyLines) && err == nil {
			err = ErrReplyTooLong
		}
	}
	if n > 0 {
		c.midLine.Store(p[n-1] != '\n')
	}
	err = c.wrapErr(err)
	if err != nil && (c.midLine.Load() || !errors.Is(err, os.ErrDeadlineExceeded)) {
		c.rerr.CompareAndSwap(nil, &err)
		c.flushPartial()
	}
	return n, err
}

// flushPartial records the line a failed read left unfinished (a greeting
// dripped until the timeout, a reset mid-line) as the evidence it is.
func (c *Conn) flushPartial() {
	rec := c.rec.Load()
	if rec == nil || len(c.readBuf) == 0 {
		return
	}
	rec.Line("S: " + printable(strings.TrimRight(string(c.readBuf), "\r")) + " " + incompleteMark)
	c.readBuf = c.readBuf[:0]
}

// incompleteMark ends a transcript line the server never finished.
const incompleteMark = "[incomplete]"

// Err is the first read error of the connection, or nil: a connection
// whose read failed (a timeout in the middle of a line, a line too long)
// is out of step for good.
func (c *Conn) Err() error {
	if e := c.rerr.Load(); e != nil {
		return *e
	}
	return nil
}

// Write writes to the connection under the step's deadline. Nothing is
// sent once a read failed: the reply being read was incomplete, and a
// command now would answer a reply that never came.
func (c *Conn) Write(p []byte) (int, error) {
	if err := c.Err(); err != nil {
		return 0, err
	}
	if c.text.Load() {
		_ = c.feed(&c.writeBuf, "C: ", p)
	}
	n, err := c.inner.Write(p)
	c.written.Add(int64(n))
	return n, c.wrapErr(err)
}

// wrapErr reports a call unblocked by cancellation as context.Canceled.
func (c *Conn) wrapErr(err error) error {
	if err != nil && c.ctx.Err() != nil && errors.Is(c.ctx.Err(), context.Canceled) {
		return errors.Join(context.Canceled, err)
	}
	return err
}

// feed splits bytes into transcript lines; it fails when a line grows past MaxLine.
func (c *Conn) feed(buf *[]byte, prefix string, p []byte) error {
	rec := c.rec.Load()
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			*buf = append(*buf, p...)
			if len(*buf) > MaxLine {
				*buf = (*buf)[:0]
				return ErrLineTooLong
			}
			return nil
		}
		line := append(*buf, p[:i]...)
		*buf = (*buf)[:0]
		p = p[i+1:]
		if prefix == "S: " {
			c.stepLines.Add(1)
		}
		if rec != nil {
			text := printable(strings.TrimRight(string(line), "\r"))
			if prefix == "C: " && c.hide.Load() {
				text = Hidden
			}
			rec.Line(prefix + text)
		}
	}
	return nil
}

// printable makes a peer's bytes safe to show: invalid UTF-8 and control
// characters become escapes, and long lines are cut.
func printable(s string) string {
	const max = 400
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= max {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError && len(s) > i:
			b.WriteString("\\x")
			b.WriteString(hexByte(s[i]))
		case r < 0x20 && r != '\t', r == 0x7f:
			b.WriteString("\\x")
			b.WriteString(hexByte(byte(r)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

// StartTLS runs a TLS client handshake over the connection and continues in
// TLS; the transcript stays above the encryption. Handshake errors come back
// unclassified for the caller's recorder.
func (c *Conn) StartTLS(cfg *tls.Config) (*tls.ConnectionState, error) {
	c.Arm()
	tc := tls.Client(c.raw, cfg)
	if err := tc.HandshakeContext(c.ctx); err != nil {
		return nil, c.wrapErr(err)
	}
	c.inner = tc
	st := tc.ConnectionState()
	return &st, nil
}

// TLSState returns the TLS state after StartTLS, or nil for plain text.
func (c *Conn) TLSState() *tls.ConnectionState {
	if tc, ok := c.inner.(*tls.Conn); ok {
		st := tc.ConnectionState()
		return &st
	}
	return nil
}

// BytesRead is how many bytes were read so far.
func (c *Conn) BytesRead() int64 { return c.read.Load() }

// BytesWritten is how many bytes were written so far.
func (c *Conn) BytesWritten() int64 { return c.written.Load() }

// Close closes the connection and releases the cancellation hook.
func (c *Conn) Close() error {
	c.stop()
	return c.inner.Close()
}

// LocalAddr returns the local address.
func (c *Conn) LocalAddr() net.Addr { return c.raw.LocalAddr() }

// RemoteAddr returns the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.raw.RemoteAddr() }

// SetDeadline is ignored: the check's steps own the deadlines (see Arm).
func (c *Conn) SetDeadline(time.Time) error { return nil }

// SetReadDeadline is ignored: see SetDeadline.
func (c *Conn) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline is ignored: see SetDeadline.
func (c *Conn) SetWriteDeadline(time.Time) error { return nil }
