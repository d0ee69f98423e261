package sftpdrop

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
)

// config is a connection's settings and secrets, with the timeouts and retry policy tests shorten.
type config struct {
	host, port, user, remotePath     string
	password, privateKey, passphrase string
	pin                              *pin
	dialTimeout, idleTimeout         time.Duration
	retries                          int
	backoff                          time.Duration
}

func newConfig(s, secrets map[string]string) (config, error) {
	c := config{host: s["host"], port: s["port"], user: s["username"], remotePath: s["remotePath"],
		password: secrets["password"], privateKey: secrets["privateKey"], passphrase: secrets["passphrase"],
		dialTimeout: 20 * time.Second, idleTimeout: 60 * time.Second, retries: 3, backoff: 2 * time.Second}
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
	conn := &idleConn{Conn: raw, idle: c.idleTimeout}
	conn.touch()
	sshConn, chans, reqs, err := ssh.NewClientConn(conn, c.addr(), &ssh.ClientConfig{User: c.user, Auth: methods,
		HostKeyCallback: c.hostKeyCallback, Timeout: c.dialTimeout})
	if err != nil {
		raw.Close()
		return nil, handshakeError(ctx, c, err)
	}
	client := ssh.NewClient(sshConn, chans, reqs)
	sc, err := sftp.NewClient(client, sftp.UseConcurrentReads(true))
	if err != nil {
		client.Close()
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s signed %s in but offers no SFTP (%v). Ask the server's administrator to enable SFTP for this account.", c.host, c.user, err))
	}
	stop := context.AfterFunc(ctx, func() { client.Close() })
	return &session{conn: client, client: sc, stop: stop}, nil
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
// signing in again after a growing pause before each new try. doing names the transfer for the
// message, e.g. "downloading oneroster.zip".
func (l *link) retry(doing string, try func() error) error {
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
		if attempt >= l.cfg.retries {
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The connection to %s dropped %d times while %s. Try again later; if it keeps happening, ask the server's administrator. (%v)", l.cfg.host, attempt+1, doing, err))
		}
		l.close()
		if err := retry.Sleep(l.ctx, l.cfg.backoff<<attempt); err != nil {
			return err
		}
	}
}

func handshakeError(ctx context.Context, c config, err error) error {
	var hk *connector.HostKeyError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &hk):
		return hk
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
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s stopped answering (no reply for %s). Try again later.", c.host, c.idleTimeout))
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The connection to %s failed: %v", c.host, err))
}

func unwrapNet(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// idleConn fails a read or write that waits longer than idle, so a server that stops answering
// mid-transfer is noticed instead of hanging the fetch; each successful call extends the deadline.
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
