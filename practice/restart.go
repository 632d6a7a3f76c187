package practice

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"assistant/checks"
	"assistant/faultpeer"
)

// restartAfter is how long a connection of the "server restarted" lab
// may stay idle before the lab's server forgets it, as a server restarted
// meanwhile would: its next packet is answered with a reset.
const restartAfter = 7 * time.Second

// restartIdleTest is the lab's idle test: connections idle 5 s (survives)
// and 10 s (reset), a keep-alive one that survives.
const restartIdleTest = 10 * time.Second

// startRestarted runs an FTP server behind a front that forgets every
// connection left idle longer than restartAfter: the next data the client
// sends on it is answered with a reset, while new connections work. That
// is what a client that kept its connection sees after the server was
// restarted (or a router forgot the connection). The lab turns the idle
// test on, so the check finds it.
func startRestarted(l *Lab) error {
	inner, err := l.keep(faultpeer.FTP(faultpeer.FTPOptions{}))
	if err != nil {
		return err
	}
	front, err := l.keep(faultpeer.Listen(func(c net.Conn) { forgetIdle(c, inner.Addr(), restartAfter) }))
	if err != nil {
		return err
	}
	l.Target = checks.Target{Service: checks.FTP, Host: "127.0.0.1", Port: front.Port(), User: faultpeer.FTPUser,
		Secret: checks.NewSecret(faultpeer.FTPPassword), IdleTest: restartIdleTest}
	return l.otherPorts()
}

// forgetIdle relays c to the server at addr; when the client sends after
// more than idle without traffic either way, it resets c instead.
func forgetIdle(c net.Conn, addr string, idle time.Duration) {
	up, err := net.Dial("tcp", addr)
	if err != nil {
		faultpeer.Reset(c)
		return
	}
	defer up.Close()
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 4096)
		for {
			n, err := up.Read(buf)
			if n > 0 {
				last.Store(time.Now().UnixNano())
				if _, werr := c.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				_ = c.Close()
				return
			}
		}
	})
	defer wg.Wait()
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if n > 0 && time.Since(time.Unix(0, last.Load())) > idle {
			faultpeer.Reset(c)
			_ = up.Close()
			return
		}
		if n > 0 {
			last.Store(time.Now().UnixNano())
			if _, werr := up.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				_ = c.Close()
			}
			_ = up.Close()
			return
		}
	}
}
