package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
)

// An SFTP connection from the command line: the password from stdin, never shown; the server's key
// trusted only with --trust-host-key; then a fetch.
func TestSFTPSecretsAndHostKeyTrust(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "drop", "oneroster.zip")
	os.Mkdir(filepath.Dir(zip), 0o700)
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 30, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	srv := sftptest.Start(t, &sftptest.Server{Password: "Tr0ub4dor&3"})
	add := []string{"connection", "add", "Drop", "--kind", "oneroster-sftp", "--set", "host=" + srv.Host(), "--set", "port=" + srv.Port(),
		"--set", "username=registrar", "--set", "remotePath=" + zip, "--secret", "password"}

	if _, errOut, code := runWithInput(t, dir, "", add...); code == 0 || !strings.Contains(errOut, "ROSTERDESK_SECRET_PASSWORD") {
		t.Fatalf("a secret with no value: %d %q", code, errOut)
	}
	if _, errOut, code := runWithInput(t, dir, "Tr0ub4dor&3\n", add...); code != 0 {
		t.Fatalf("connection add: %d %s", code, errOut)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "workspace.db"))
	if strings.Contains(string(raw), "Tr0ub4dor") {
		t.Fatal("the workspace holds the password")
	}
	out, _, code := run(t, dir, "connection", "show", "Drop", "--json")
	var shown struct {
		Secrets  []string          `json:"secrets"`
		Settings map[string]string `json:"settings"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &shown) != nil || len(shown.Secrets) != 1 || shown.Secrets[0] != "password" || strings.Contains(out, "Tr0ub4dor") {
		t.Fatalf("connection show: %d %s", code, out)
	}
	if out, _, _ := run(t, dir, "connection", "show", "Drop"); !strings.Contains(out, "secrets: password (kept in an encrypted file") {
		t.Fatalf("show does not say where secrets are kept: %s", out)
	}

	out, _, code = run(t, dir, "connection", "test", "Drop")
	if code != 1 || !strings.Contains(out, "has not trusted yet") || !strings.Contains(out, "SHA256:") || srv.Logins.Load() != 0 {
		t.Fatalf("test of an untrusted server: %d %s (logins %d)", code, out, srv.Logins.Load())
	}
	if _, errOut, code := run(t, dir, "fetch", "Drop"); code == 0 || !strings.Contains(errOut, "has not trusted yet") {
		t.Fatalf("fetch from an untrusted server: %d %s", code, errOut)
	}
	out, errOut, code := run(t, dir, "connection", "test", "Drop", "--trust-host-key")
	if code != 0 || !strings.Contains(out, "Trusted the server's key SHA256:") || !strings.Contains(out, "found oneroster.zip") {
		t.Fatalf("test --trust-host-key: %d %s %s", code, out, errOut)
	}
	out, _, _ = run(t, dir, "connection", "show", "Drop", "--json")
	json.Unmarshal([]byte(out), &shown)
	if shown.Settings["hostKey"] != srv.PinLine() {
		t.Fatalf("pinned %q, want %q", shown.Settings["hostKey"], srv.PinLine())
	}
	if out, errOut, code := run(t, dir, "fetch", "Drop", "--json"); code != 0 || !strings.Contains(out, `"users":`) {
		t.Fatalf("fetch: %d %s %s", code, out, errOut)
	}
	t.Setenv("ROSTERDESK_SECRET_PASSWORD", "from the environment")
	if _, errOut, code := run(t, dir, "connection", "add", "Env", "--kind", "oneroster-sftp", "--set", "host=h", "--set", "username=u",
		"--set", "remotePath=/x", "--secret", "password"); code != 0 {
		t.Fatalf("a secret from the environment: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, dir, "connection", "add", "Csv", "--kind", "oneroster-csv", "--set", "path="+zip, "--secret", "password"); code == 0 || !strings.Contains(errOut, "no secret settings") {
		t.Fatalf("a secret for a kind without any: %d %s", code, errOut)
	}
	if _, _, code := run(t, dir, "connection", "remove", "Drop"); code != 0 {
		t.Fatal("remove")
	}
	vault, _ := os.ReadFile(filepath.Join(dir, "config", "Rosterdesk", "secrets", "vault.json"))
	if strings.Count(string(vault), "/password") != 1 {
		t.Fatalf("removing Drop should leave only Env's password: %s", vault)
	}
}

// --trust-host-key trusts a first key only: a server whose key differs from the pinned one stays refused.
func TestTrustHostKeyNeverReplacesAPinnedKey(t *testing.T) {
	dir := t.TempDir()
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	pinned := sftptest.Start(t, &sftptest.Server{Password: "pw"}).PinLine() // another server's key
	t.Setenv("ROSTERDESK_SECRET_PASSWORD", "pw")
	if _, errOut, code := run(t, dir, "connection", "add", "Drop", "--kind", "oneroster-sftp", "--set", "host="+srv.Host(), "--set", "port="+srv.Port(),
		"--set", "username=registrar", "--set", "remotePath=/", "--set", "hostKey="+pinned, "--secret", "password"); code != 0 {
		t.Fatalf("connection add: %d %s", code, errOut)
	}
	out, _, code := run(t, dir, "connection", "test", "Drop", "--trust-host-key", "--json")
	if code != 1 || !strings.Contains(out, "identity changed") || !strings.Contains(out, `"hostKey": null`) || srv.Logins.Load() != 0 {
		t.Fatalf("a changed key with --trust-host-key: %d %s", code, out)
	}
	out, _, _ = run(t, dir, "connection", "show", "Drop", "--json")
	if !strings.Contains(out, strings.Fields(pinned)[1]) {
		t.Fatalf("the pinned key was replaced: %s", out)
	}
}

// An export to an SFTP drop: trusted like a source, then a whole OneRoster ZIP in the remote folder.
func TestExportToAnSFTPDrop(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 60, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	if _, errOut, code := run(t, dir, "import", "SIS"); code != 0 {
		t.Fatal(errOut)
	}
	drop := filepath.Join(dir, "vendor")
	os.Mkdir(drop, 0o700)
	srv := sftptest.Start(t, &sftptest.Server{Password: "s3cret-Vendor"})
	if _, errOut, code := runWithInput(t, dir, "s3cret-Vendor\n", "connection", "add", "Vendor", "--kind", "oneroster-sftp", "--role", "target",
		"--set", "host="+srv.Host(), "--set", "port="+srv.Port(), "--set", "username=vendor", "--set", "remotePath="+drop, "--secret", "password"); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, dir, "export", "Vendor"); code == 0 || !strings.Contains(errOut, "has not trusted yet") {
		t.Fatalf("export to an untrusted server: %d %s", code, errOut)
	}
	if out, errOut, code := run(t, dir, "connection", "test", "Vendor", "--trust-host-key"); code != 0 {
		t.Fatalf("trust: %s %s", out, errOut)
	}
	out, errOut, code := run(t, dir, "export", "Vendor")
	if code != 0 || !strings.Contains(out, "sftp://") {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(drop, "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], ".zip") {
		t.Fatalf("the drop holds %v", files)
	}
	run(t, dir, "connection", "add", "Back", "--kind", "oneroster-csv", "--set", "path="+files[0])
	out, errOut, code = run(t, dir, "fetch", "Back", "--json")
	var back struct {
		Counts map[string]int `json:"counts"`
		Errors []any          `json:"errors"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &back) != nil || len(back.Errors) != 0 || back.Counts["users"] != activeUsers(t, dir) {
		t.Fatalf("the delivered file does not read back as the roster: %s %s", out, errOut)
	}
}
