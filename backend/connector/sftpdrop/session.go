package sftpdrop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// How long an SFTP connection waits for the server, and how often a broken transfer is tried again.
// A registrar is watching: a server that says nothing is given up on within a minute at each step,
// one that is slow but keeps sending is not.
const (
	// connectTimeout bounds opening the TCP connection.
	connectTimeout = 20 * time.Second
	// handshakeTimeout bounds the SSH greeting, key exchange and sign-in together: a server that
	// accepts the connection and then says nothing (a wrong port, a stuck server) ends there.
	handshakeTimeout = 30 * time.Second
	// idleTimeout ends a transfer in which the server has sent or taken nothing for this long.
	idleTimeout = 60 * time.Second
	// retries is how many times a transfer whose connection broke signs in again: after backoff,
	// then twice and four times as long (2 s, 4 s, 8 s), so a restart of the server is ridden out.
	retries = 3
	backoff = 2 * time.Second
)

// config is a connection's settings and secrets, with the timeouts and retry policy tests shorten.
type config struct {
	host, port, user, remotePath               string
	password, privateKey, passphrase           string
	pin                                        *pin
	dialTimeout, handshakeTimeout, idleTimeout time.Duration
	retries                                    int
	backoff                                    time.Duration
}

func newConfig(s, secrets map[string]string) (config, error) {
	c := config{host: s["host"], port: s["port"], user: s["username"], remotePath: s["remotePath"],
		password: secrets["password"], privateKey: secrets["privateKey"], passphrase: secrets["passphrase"],
		dialTimeout: connectTimeout, handshakeTimeout: handshakeTimeout, idleTimeout: idleTimeout, retries: retries, backoff: backoff}
	if s["hostKey"] != "" {
		pin, err := parsePin(s["hostKey"])
		if err != nil {
			return c, err
		}
		c.pin = pin
	}
	if c.password == "" && c.privateKey == "" {
		return c, apperr.New(apperr.CodeInvalid, fmt.Sprintf("No password or private key for %s is stored on this computer. Edit the connection and enter one.", c.user))
	}
	return c, nil
}

func (c config) addr() string { return net.JoinHostPort(c.host, c.port) }

// pin is the pinned host key: a whole public key, or only its SHA256 fingerprint as providers
// often publish it.
type pin struct {
	key         ssh.PublicKey
	fingerprint string
}

func parsePin(s string) (*pin, error) {
	s = strings.TrimSpace(s)
	if len(s) > 7 && strings.EqualFold(s[:7], "SHA256:") {
		// OpenSSH writes the base64 without padding; some providers publish it with "=" at the end.
		return &pin{fingerprint: "SHA256:" + strings.TrimRight(s[7:], "=")}, nil
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil {
		return nil, apperr.New(apperr.CodeInvalid, "The server's key must be a public key line (ssh-ed25519 AAAA…) or a SHA256: fingerprint.")
	}
	return &pin{key: key, fingerprint: ssh.FingerprintSHA256(key)}, nil
}

// hostKeyCallback accepts only the pinned key, and refuses an unpinned one with the key itself, so
// the user can confirm its fingerprint and pin it.
func (c config) hostKeyCallback(_ string, _ net.Addr, key ssh.PublicKey) error {
	seen := connector.HostKey{Host: c.host, Fingerprint: ssh.FingerprintSHA256(key),
		Key: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key))), Setting: "hostKey"}
	switch {
	case c.pin == nil:
		return &connector.HostKeyError{HostKey: seen}
	case c.pin.key != nil && string(c.pin.key.Marshal()) == string(key.Marshal()):
		return nil
	case c.pin.key == nil && c.pin.fingerprint == seen.Fingerprint:
		return nil
	}
	return &connector.HostKeyError{HostKey: seen, Changed: true}
}

func (c config) auth() ([]ssh.AuthMethod, error) {
	var methods []ssh.AuthMethod
	if c.privateKey != "" {
		var signer ssh.Signer
		var err error
		if c.passphrase != "" {
			signer, err = ssh.ParsePrivateKeyWithPassphrase([]byte(c.privateKey), []byte(c.passphrase))
		} else {
			signer, err = ssh.ParsePrivateKey([]byte(c.privateKey))
		}
		var missing *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &missing):
			return nil, apperr.New(apperr.CodeInvalid, "The private key is protected by a passphrase. Edit the connection and enter it.")
		case err != nil && c.passphrase != "" && strings.Contains(err.Error(), "decryption password incorrect"):
			return nil, apperr.New(apperr.CodeInvalid, "The passphrase does not open the private key. Edit the connection and enter it again.")
		case err != nil:
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The private key cannot be read (%v). Paste the whole key file, from BEGIN to END.", err))
		}
		methods = append(methods, ssh.PublicKeys(signer))
	}
	if c.password != "" {
		methods = append(methods, ssh.Password(c.password), ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
			answers := make([]string, len(questions))
			for i := range answers {
				answers[i] = c.password
			}
			return answers, nil
		}))
	}
	return methods, nil
}

// session is a signed-in SSH connection with its SFTP client.
type session struct {
	conn   *ssh.Client
	client *sftp.Client
	stop   func() bool
	wire   *idleConn
}

func (s *session) Close() {
	s.stop()
	s.client.Close()
	s.conn.Close()
}

// dial connects, checks the server's identity and signs in. Cancelling ctx closes the connection,
// which unblocks any transfer in progress.
func dial(ctx context.Context, c config) (*session, error) {
	methods, err := c.auth()
	if err != nil {
		return nil, err
	}
	dialer := net.Dialer{Timeout: c.dialTimeout}
	raw, err := dialer.DialContext(ctx, "tcp", c.addr())
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Cannot reach %s: %v. Check the server name and port, and that this computer may connect to it.", c.addr(), unwrapNet(err)))
	}
	// Cancelling closes the connection, also in the middle of the handshake.
	stopHandshake := context.AfterFunc(ctx, func() { raw.Close() })
	// The handshake has one deadline in all; the transfer's waits start once it is done.
	raw.SetDeadline(time.Now().Add(c.handshakeTimeout))
	conn := &idleConn{Conn: raw, idle: c.idleTimeout}
	sshConn, chans, reqs, err := ssh.NewClientConn(conn, c.addr(), &ssh.ClientConfig{User: c.user, Auth: methods,
		HostKeyCallback: c.hostKeyCallback, Timeout: c.dialTimeout})
	stopHandshake()
	if err != nil {
		raw.Close()
		return nil, handshakeError(ctx, c, conn.read.Load(), err)
	}
	conn.started.Store(true)
	conn.touch()
	client := ssh.NewClient(sshConn, chans, reqs)
	sc, err := sftp.NewClient(client, sftp.UseConcurrentReads(true))
	if err != nil {
		client.Close()
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s signed %s in but offers no SFTP (%v). Ask the server's administrator to enable SFTP for this account.", c.host, c.user, err))
	}
	stop := context.AfterFunc(ctx, func() { client.Close() })
	return &session{conn: client, client: sc, stop: stop, wire: conn}, nil
}

// link is a session for a transfer that signs in again when the connection drops.
type link struct {
	cfg  config
	ctx  context.Context
	sess *session
}

func (l *link) session() (*session, error) {
	if l.sess == nil {
		sess, err := dial(l.ctx, l.cfg)
		if err != nil {
			return nil, err
		}
		l.sess = sess
	}
	return l.sess, nil
}

// close ends the session; the next request signs in again.
func (l *link) close() {
	if l.sess != nil {
		l.sess.Close()
		l.sess = nil
	}
}

// retry runs try until it succeeds, is refused, or the connection has dropped cfg.retries+1 times,
// signing in again after a growing pause before each new try, each reported to rep. doing names the
// transfer and how far it got for the message, e.g. "oneroster.zip was being downloaded (3.1 MB of
// 12.0 MB)"; after says what the failure left and what to do.
func (l *link) retry(rep events.Reporter, doing func() string, after string, try func() error) error {
	for attempt := 0; ; attempt++ {
		err := try()
		if err == nil {
			return nil
		}
		if l.ctx.Err() != nil {
			return l.ctx.Err()
		}
		// Refusals (a missing file, a changed server key) will not change on another try.
		var appErr *apperr.Error
		var hostKey *connector.HostKeyError
		if errors.As(err, &appErr) || errors.As(err, &hostKey) {
			return err
		}
		if l.sess != nil && l.sess.wire.stalled.Load() {
			// The SSH and SFTP layers report the connection they closed, not the wait that closed it.
			err = os.ErrDeadlineExceeded
		}
		if attempt >= l.cfg.retries {
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The SFTP server %s closed the connection while %s (%d tries in all, with a growing pause between them). %s If it keeps happening, ask the server's administrator. (%s)",
				l.cfg.host, doing(), attempt+1, after, lostReason(l.cfg, err)))
		}
		l.close()
		wait := l.cfg.backoff << attempt
		rep.Report(events.Progress{Stage: fmt.Sprintf("connection to %s lost; trying again in %s (%d of %d)", l.cfg.host, wait, attempt+1, l.cfg.retries)})
		if err := retry.Sleep(l.ctx, wait); err != nil {
			return err
		}
	}
}

// handshakeError says why signing in failed; heard is how many bytes the server had sent.
func handshakeError(ctx context.Context, c config, heard int64, err error) error {
	var hk *connector.HostKeyError
	var ne net.Error
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &hk):
		return hk
	case errors.As(err, &ne) && ne.Timeout() && heard == 0:
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s accepted the connection but sent no SSH greeting within %s: it may not be an SFTP server, or it is stuck. Check the server name and port (usually 22), or try again later.", c.addr(), c.handshakeTimeout))
	case errors.As(err, &ne) && ne.Timeout():
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s did not finish the SSH greeting and sign-in within %s. Try again later; if it keeps happening, ask the server's administrator.", c.addr(), c.handshakeTimeout))
	case strings.Contains(err.Error(), "unable to authenticate"):
		what := "password"
		if c.privateKey != "" {
			what = "private key"
			if c.password != "" {
				what = "password and private key"
			}
		}
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s refused the %s for %s. Check the user name and %s, then test again.", c.host, what, c.user, what))
	}
	return lost(c, err)
}

// lost describes a connection that broke or timed out.
func lost(c config, err error) error {
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The connection to %s failed: %s. Try again later.", c.host, lostReason(c, err)))
}

// lostReason is why a connection broke, in words where the cause is known.
func lostReason(c config, err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("the server sent nothing for %s", c.idleTimeout)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, sftp.ErrSSHFxConnectionLost):
		return "the server ended the connection"
	}
	return err.Error()
}

func unwrapNet(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// idleConn fails a read or write that waits longer than idle, so a server that stops answering
// mid-transfer is noticed instead of hanging the fetch; once the handshake is done (started), each
// successful call extends the deadline. read counts the bytes the server sent; stalled says a
// wait ran out.
type idleConn struct {
	net.Conn
	idle    time.Duration
	started atomic.Bool
	read    atomic.Int64
	stalled atomic.Bool
}

func (c *idleConn) touch() { c.Conn.SetDeadline(time.Now().Add(c.idle)) }

func (c *idleConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	if n > 0 && c.started.Load() {
		c.touch()
	}
	c.timedOut(err)
	return n, err
}

func (c *idleConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 && c.started.Load() {
		c.touch()
	}
	c.timedOut(err)
	return n, err
}

func (c *idleConn) timedOut(err error) {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		c.stalled.Store(true)
	}
}
