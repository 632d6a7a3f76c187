package faultpeer

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AutoconfigFile is what the autoconfig peer answers for one host and path.
type AutoconfigFile struct {
	// Body is served with status 200 (or Status when set).
	Body   string
	Status int
	// Redirect answers 302 with this Location.
	Redirect string
	// Huge streams a valid-looking document of this many bytes.
	Huge int64
	// Slow sends the headers and then one byte of Body per Slow until the
	// client gives up.
	Slow time.Duration
}

// AutoconfigServer is an HTTPS server on 127.0.0.1 serving autoconfig files
// (clientConfig 1.1) by host name and path, with a certificate from a test
// CA, so that the provider check can be tested without any real provider:
// the test zone resolves autoconfig.<domain> and <domain> to 127.0.0.1.
type AutoconfigServer struct {
	// Port is the listening port; pass it as checks.Options.HTTPSPort.
	Port int
	srv  *http.Server
	done chan struct{}

	mu    sync.Mutex
	files map[string]AutoconfigFile
	hits  []string
}

// Autoconfig starts an HTTPS peer presenting a certificate from ca for
// names (host names the tests resolve to 127.0.0.1).
func Autoconfig(ca *CA, names []string) (*AutoconfigServer, error) {
	cert, err := ca.Leaf(LeafOptions{Names: names})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &AutoconfigServer{Port: ln.Addr().(*net.TCPAddr).Port, files: map[string]AutoconfigFile{}, done: make(chan struct{})}
	a.srv = &http.Server{Handler: http.HandlerFunc(a.serve), ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0), TLSConfig: ServerConfig(cert)}
	go func() { defer close(a.done); _ = a.srv.Serve(tls.NewListener(ln, a.srv.TLSConfig)) }()
	return a, nil
}

// Set serves f at url's host and path ("autoconfig.mail.test/mail/config-v1.1.xml").
func (a *AutoconfigServer) Set(hostPath string, f AutoconfigFile) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.files[hostPath] = f
}

// Hits lists the host/path of every request served so far.
func (a *AutoconfigServer) Hits() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.hits...)
}

func (a *AutoconfigServer) serve(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	key := strings.ToLower(host) + r.URL.Path
	a.mu.Lock()
	a.hits = append(a.hits, key)
	f, ok := a.files[key]
	a.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, r)
	case f.Redirect != "":
		http.Redirect(w, r, f.Redirect, http.StatusFound)
	case f.Huge > 0:
		serveHuge(w, f.Huge)
	case f.Slow > 0:
		serveSlow(r.Context(), w, f.Body, f.Slow)
	default:
		w.Header().Set("Content-Type", "text/xml")
		if f.Status != 0 {
			w.WriteHeader(f.Status)
		}
		_, _ = w.Write([]byte(f.Body))
	}
}

// serveHuge sends n bytes: a clientConfig opening and endless comment.
func serveHuge(w http.ResponseWriter, n int64) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	head := `<?xml version="1.0"?><clientConfig version="1.1"><!--`
	_, _ = w.Write([]byte(head))
	chunk := []byte(strings.Repeat("x", 32<<10))
	for sent := int64(len(head)); sent < n; sent += int64(len(chunk)) {
		if int64(len(chunk)) > n-sent {
			chunk = chunk[:n-sent]
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// serveSlow drips body one byte per interval until the client leaves.
func serveSlow(ctx context.Context, w http.ResponseWriter, body string, every time.Duration) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	t := time.NewTicker(every)
	defer t.Stop()
	for i := 0; i < len(body); i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := w.Write([]byte{body[i]}); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
	}
}

// Close stops the server, ending every connection, and waits for it.
func (a *AutoconfigServer) Close() error {
	err := a.srv.Close()
	<-a.done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
