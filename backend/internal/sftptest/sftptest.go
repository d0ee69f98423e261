// Package sftptest runs SFTP servers for tests: an in-process one whose behaviour tests switch
// (refuse credentials, change key, drop connections) and Debian's real OpenSSH sshd on loopback.
package sftptest

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// server is an in-process SSH server with the SFTP subsystem over the real file system, so tests can
// switch on what real servers do: refuse credentials, change their key, drop connections.
type Server struct {
	Addr     string
	HostKey  ssh.Signer
	Password string
	UserKey  ssh.PublicKey
	// DropAfter, when > 0, cuts each of the first DropCount connections after that many bytes sent.
	DropAfter int64
	DropCount atomic.Int32
	Logins    atomic.Int32
}

// NewHostKey returns a fresh ed25519 host key.
func NewHostKey(t testing.TB) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// NewUserKey returns a private key as PEM text (encrypted when passphrase is set) and its public key.
func NewUserKey(t testing.TB, passphrase string) (string, ssh.PublicKey) {
	t.Helper()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	var block *pem.Block
	var err error
	if passphrase != "" {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte(passphrase))
	} else {
		block, err = ssh.MarshalPrivateKey(priv, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := ssh.NewPublicKey(pub)
	return string(pem.EncodeToMemory(block)), sshPub
}

// Start serves s on a loopback port until the test ends.
func Start(t testing.TB, s *Server) *Server {
	t.Helper()
	if s.HostKey == nil {
		s.HostKey = NewHostKey(t)
	}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(_ ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if s.Password != "" && string(pw) == s.Password {
				s.Logins.Add(1)
				return nil, nil
			}
			return nil, errors.New("wrong password")
		},
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if s.UserKey != nil && string(key.Marshal()) == string(s.UserKey.Marshal()) {
				s.Logins.Add(1)
				return nil, nil
			}
			return nil, errors.New("unknown key")
		},
	}
	cfg.AddHostKey(s.HostKey)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if s.DropAfter > 0 && s.DropCount.Add(-1) >= 0 {
				conn = &dropConn{Conn: conn, left: s.DropAfter}
			}
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(conn, cfg) }()
		}
	}()
	return s
}

func (s *Server) serve(conn net.Conn, cfg *ssh.ServerConfig) {
	defer conn.Close()
	_, chans, reqs, err := ssh.NewServerConn(conn, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "sessions only")
			continue
		}
		ch, requests, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			for req := range requests {
				ok := req.Type == "subsystem" && len(req.Payload) > 4 && string(req.Payload[4:]) == "sftp"
				req.Reply(ok, nil)
				if ok {
					srv, err := sftp.NewServer(ch)
					if err == nil {
						srv.Serve()
						srv.Close()
					}
					return
				}
			}
		}()
	}
}

// dropConn cuts the connection once it has sent left bytes, like a flaky network.
type dropConn struct {
	net.Conn
	left int64
}

func (c *dropConn) Write(p []byte) (int, error) {
	if c.left <= 0 {
		c.Conn.Close()
		return 0, io.ErrClosedPipe
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Write(p)
	c.left -= int64(n)
	return n, err
}

// Host is the address to connect to.
func (s *Server) Host() string { return s.Addr[:strings.LastIndex(s.Addr, ":")] }

// Port is the port it listens on.
func (s *Server) Port() string { return s.Addr[strings.LastIndex(s.Addr, ":")+1:] }

// PinLine is the authorized_keys line of the server's key, as Test connection pins it.
func (s *Server) PinLine() string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.HostKey.PublicKey())))
}

const sshdPath = "/usr/sbin/sshd"

// StartSSHD runs Debian's OpenSSH server on a loopback port with a generated host key, letting the
// current account in with a generated key only. It returns the settings and secrets to reach it.
func StartSSHD(t testing.TB) (map[string]string, map[string]string, string) {
	t.Helper()
	if _, err := os.Stat(sshdPath); err != nil {
		t.Skip("OpenSSH's sshd is not installed (make test installs openssh-server)")
	}
	dir := t.TempDir()
	hostKey := filepath.Join(dir, "host_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	private, public := NewUserKey(t, "")
	authorized := filepath.Join(dir, "authorized_keys")
	os.WriteFile(authorized, ssh.MarshalAuthorizedKey(public), 0o600)
	if os.Geteuid() == 0 {
		os.MkdirAll("/run/sshd", 0o755) // privilege separation needs it when sshd runs as root
	}
	port := freePort(t)
	config := filepath.Join(dir, "sshd_config")
	os.WriteFile(config, []byte(fmt.Sprintf(`ListenAddress 127.0.0.1
Port %d
HostKey %s
PidFile none
AuthorizedKeysFile %s
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
`, port, hostKey, authorized)), 0o600)
	cmd := exec.Command(sshdPath, "-D", "-e", "-f", config)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log("sshd: " + sc.Text())
			if strings.Contains(sc.Text(), "Server listening") {
				close(listening)
			}
		}
	}()
	select {
	case <-listening:
	case <-time.After(10 * time.Second):
		t.Fatal("sshd did not start listening")
	}
	pub, _ := os.ReadFile(hostKey + ".pub")
	u, _ := user.Current()
	return map[string]string{"host": "127.0.0.1", "port": fmt.Sprint(port), "username": u.Username, "hostKey": strings.TrimSpace(string(pub))},
		map[string]string{"privateKey": private}, dir
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
