package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileStoreKeepsSecretsSealed(t *testing.T) {
	t.Setenv(EnvBackend, "file")
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Rosterdesk")); !os.IsNotExist(err) {
		t.Fatal("opening the store wrote to disk before any secret was used")
	}
	if !strings.Contains(st.Where(), "encrypted file") {
		t.Fatalf("Where = %q", st.Where())
	}
	if _, err := st.Get("c1", "password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing secret: %v", err)
	}
	if err := st.Set("c1", "password", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if err := st.Set("c2", "password", "battery staple"); err != nil {
		t.Fatal(err)
	}
	// A second handle (another process) reads what the first wrote.
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := again.Get("c1", "password"); err != nil || v != "correct horse" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	vaultDir := filepath.Join(dir, "Rosterdesk", "secrets")
	raw, _ := os.ReadFile(filepath.Join(vaultDir, "vault.json"))
	if strings.Contains(string(raw), "correct horse") || strings.Contains(string(raw), "battery") {
		t.Fatal("the vault holds a secret in plain text")
	}
	for _, f := range []string{"vault.json", "vault.key"} {
		if info, err := os.Stat(filepath.Join(vaultDir, f)); err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, info.Mode(), err)
		}
	}
	if err := st.Delete("c1", "password"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get("c1", "password"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a deleted secret: %v", err)
	}
	if err := st.Delete("c1", "password"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestFileStoreRefusesSwappedEntriesAndAForeignKey(t *testing.T) {
	t.Setenv(EnvBackend, "file")
	dir := t.TempDir()
	st, _ := NewFile(filepath.Join(dir, "Rosterdesk", "secrets"))
	st.Set("a", "password", "one")
	st.Set("b", "password", "two")
	vaultPath := filepath.Join(dir, "Rosterdesk", "secrets", "vault.json")
	raw, _ := os.ReadFile(vaultPath)
	// Copying one entry's sealed value onto another must not decrypt as the other.
	fs := st.(*fileStore)
	v, _ := fs.load()
	v.Entries["b/password"] = v.Entries["a/password"]
	fs.save(v)
	if _, err := st.Get("b", "password"); err == nil || !strings.Contains(err.Error(), "cannot be decrypted") {
		t.Fatalf("a swapped entry: %v", err)
	}
	os.WriteFile(vaultPath, raw, 0o600)
	// A vault moved to a machine with another key reads as undecryptable, not as garbage.
	other := t.TempDir()
	os.MkdirAll(filepath.Join(other, "Rosterdesk", "secrets"), 0o700)
	os.WriteFile(filepath.Join(other, "Rosterdesk", "secrets", "vault.json"), raw, 0o600)
	moved, _ := Open(other)
	if _, err := moved.Get("a", "password"); err == nil || !strings.Contains(err.Error(), "enter it again") {
		t.Fatalf("a vault under another key: %v", err)
	}
	os.WriteFile(filepath.Join(other, "Rosterdesk", "secrets", "vault.key"), []byte("short"), 0o600)
	damaged, _ := Open(other)
	if _, err := damaged.Get("a", "password"); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("a damaged key: %v", err)
	}
}

func TestOpenRefusesAnUnknownBackend(t *testing.T) {
	t.Setenv(EnvBackend, "clipboard")
	if _, err := Open(t.TempDir()); err == nil {
		t.Fatal("an unknown backend was accepted")
	}
}

// TestKeychain runs against the real Secret Service when the session has one (make test starts
// gnome-keyring in a private D-Bus session for it).
func TestKeychain(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no D-Bus session: the keychain test runs under scripts/keychain-test.sh")
	}
	t.Setenv(EnvBackend, "keychain")
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if st.Where() != "the system keychain" {
		t.Fatalf("Where = %q", st.Where())
	}
	ref := "test-" + t.Name()
	if err := st.Set(ref, "clientSecret", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if v, err := st.Get(ref, "clientSecret"); err != nil || v != "s3cret" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := st.Delete(ref, "clientSecret"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ref, "clientSecret"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
}
