package retry

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// How long a web request waits for the server. A registrar is watching: a server that accepts the
// connection and then says nothing fails the request (which is then tried again) within a minute,
// while one that is slow but keeps sending is let finish.
const (
	// ConnectTimeout bounds opening the TCP connection.
	ConnectTimeout = 20 * time.Second
	// HandshakeTimeout bounds the TLS handshake, in which the server shows its certificate.
	HandshakeTimeout = 20 * time.Second
	// IdleTimeout is the longest the server may stay silent: before its answer begins, or between
	// two parts of it.
	IdleTimeout = 60 * time.Second
)

// Waits are one client's timeouts; tests shorten them.
type Waits struct{ Connect, Handshake, Idle time.Duration }

// Web are the waits of every web connection.
var Web = Waits{Connect: ConnectTimeout, Handshake: HandshakeTimeout, Idle: IdleTimeout}

// Transport is an HTTP transport with these waits. The certificate is always verified: there is no
// setting that skips it.
func (w Waits) Transport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dialer := &net.Dialer{Timeout: w.Connect, KeepAlive: 30 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		ic := &idleConn{Conn: c, idle: w.Idle}
		ic.touch()
		return ic, nil
	}
	tr.TLSHandshakeTimeout = w.Handshake
	tr.IdleConnTimeout = w.Idle / 2 // a pooled connection is closed before its deadline could fail a request
	return tr
}

// Silent says whether err is a server that stayed silent for longer than Waits.Idle.
func Silent(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// NoHandshake says whether err is a server that did not finish the TLS handshake within
// Waits.Handshake; net/http does not export the error.
func NoHandshake(err error) bool {
	return err != nil && strings.Contains(err.Error(), "TLS handshake timeout")
}

// idleConn fails a read or write that waits longer than idle; each one that moves data extends the
// deadline, so a long answer that keeps coming is not cut off.
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c *idleConn) touch() { c.Conn.SetDeadline(time.Now().Add(c.idle)) }

func (c *idleConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.touch()
	}
	return n, err
}

func (c *idleConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.touch()
	}
	return n, err
}

// Certificate says in words why a server's certificate was refused, e.g. "its certificate expired on
// 3 Nov 2026"; ok is false when err is not a refused certificate.
func Certificate(err error, host string) (why string, ok bool) {
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	var unknown x509.UnknownAuthorityError
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert != nil && time.Now().After(invalid.Cert.NotAfter):
		return "its certificate expired on " + invalid.Cert.NotAfter.UTC().Format("2 Jan 2006"), true
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert != nil:
		return "its certificate is not valid before " + invalid.Cert.NotBefore.UTC().Format("2 Jan 2006") + " (check this computer's date)", true
	case errors.As(err, &hostname) && hostname.Certificate != nil:
		return fmt.Sprintf("its certificate is for %s, not %s", certNames(hostname.Certificate), name), true
	case errors.As(err, &unknown):
		return "its certificate is not trusted by this computer (it is self-signed, or signed by an authority this computer does not know)", true
	case Untrusted(err):
		return fmt.Sprintf("its certificate cannot be verified (%v)", err), true
	}
	return "", false
}

// certNames lists the names a certificate is for.
func certNames(c *x509.Certificate) string {
	names := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	if len(names) == 0 {
		return "no name"
	}
	return strings.Join(names, ", ")
}
