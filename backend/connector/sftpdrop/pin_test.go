package sftpdrop

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
)

// A SHA256: fingerprint pin (what providers publish and the README recommends) admits the server
// whose key has that fingerprint and refuses any other, before a password is sent.
func TestFingerprintPinRefusesAnotherKey(t *testing.T) {
	_, zip, _ := drop(t, 5)
	secrets := map[string]string{"password": "pw"}
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	impostor := sftptest.Start(t, &sftptest.Server{Password: "pw"}) // same files, another key
	fingerprint := func(s *sftptest.Server) string {
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(s.PinLine()))
		if err != nil {
			t.Fatal(err)
		}
		return ssh.FingerprintSHA256(key)
	}

	// As OpenSSH prints it, and as some providers publish it: with base64 padding, "sha256:" in lower case.
	for _, pin := range []string{fingerprint(srv), fingerprint(srv) + "=", "sha256:" + strings.TrimPrefix(fingerprint(srv), "SHA256:")} {
		pinned := settings(srv, zip)
		pinned["hostKey"] = pin
		if _, err := open(t, pinned, secrets).Test(context.Background()); err != nil {
			t.Fatalf("the server the fingerprint %s names: %v", pin, err)
		}
	}
	for name, pin := range map[string]string{"the other server's fingerprint": fingerprint(srv), "a fingerprint of no key": "SHA256:" + strings.Repeat("A", 43)} {
		s := settings(impostor, zip)
		s["hostKey"] = pin
		_, err := open(t, s, secrets).Test(context.Background())
		var hk *connector.HostKeyError
		if !errors.As(err, &hk) || !hk.Changed || hk.Fingerprint != fingerprint(impostor) || !strings.Contains(err.Error(), "identity changed") {
			t.Errorf("pinned to %s: %v", name, err)
		}
	}
	if impostor.Logins.Load() != 0 {
		t.Fatal("the password was sent to a server whose key does not match the pinned fingerprint")
	}
}
