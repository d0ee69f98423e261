package sftpdrop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
)

// drop is a folder standing for the server's export area, holding a generated district.
func drop(t *testing.T, students int) (dir, zip string, users int) {
	t.Helper()
	dir = t.TempDir()
	zip = filepath.Join(dir, "oneroster.zip")
	sum, err := district.GenerateFile(context.Background(), zip, district.Options{Students: students, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return dir, zip, sum.Counts["users"]
}

func settings(s *sftptest.Server, remote string) map[string]string {
	return map[string]string{"host": s.Host(), "port": s.Port(), "username": "registrar", "remotePath": remote, "hostKey": s.PinLine()}
}

// open makes a source the way the engine does, with retries made quick for tests.
func open(t *testing.T, settings, secrets map[string]string) *source {
	t.Helper()
	s := connectortest.Open(t, Kind(), settings, secrets).(*source)
	s.cfg.backoff = 10 * time.Millisecond
	return s
}

func TestConformanceZipWithPassword(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		dir, zip, users := drop(t, 40)
		srv := sftptest.Start(t, &sftptest.Server{Password: "correct horse"})
		broken := filepath.Join(dir, "notes.zip")
		os.WriteFile(broken, []byte("this is a letter, not an export"), 0o600)
		return connectortest.Endpoint{
			Settings: settings(srv, zip), Secrets: map[string]string{"password": "correct horse"}, Users: users,
			Broken: settings(srv, broken), Failure: "not a ZIP",
			Change: func(t *testing.T) {
				if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 5, Seed: 8}); err != nil {
					t.Fatal(err)
				}
			},
		}
	})
}

func TestConformanceFolderWithKey(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		dir := t.TempDir()
		folder := filepath.Join(dir, "export")
		os.Mkdir(folder, 0o700)
		write := func(name, body string) { os.WriteFile(filepath.Join(folder, name), []byte(body), 0o600) }
		write("manifest.csv", "propertyName,value\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\n")
		write("orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\ns1,,,North School,school,,\n")
		header := "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n"
		write("users.csv", header+"u1,,,true,ana,,Ana,Lopez,,,,,,,03,,,,,,s1,\n")
		empty := filepath.Join(dir, "empty")
		os.Mkdir(empty, 0o700)
		key, pub := sftptest.NewUserKey(t, "")
		srv := sftptest.Start(t, &sftptest.Server{UserKey: pub})
		return connectortest.Endpoint{
			Settings: settings(srv, folder), Secrets: map[string]string{"privateKey": key}, Users: 1,
			Broken: settings(srv, empty), Failure: "no OneRoster files",
			Change: func(t *testing.T) { write("users.csv", header) },
		}
	})
}

func TestServerIdentityIsPinnedOnlyAfterConfirmation(t *testing.T) {
	_, zip, _ := drop(t, 5)
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	secrets := map[string]string{"password": "pw"}
	unpinned := settings(srv, zip)
	delete(unpinned, "hostKey")

	_, err := open(t, unpinned, secrets).Test(context.Background())
	var hk *connector.HostKeyError
	if !errors.As(err, &hk) || hk.Changed || hk.Key != srv.PinLine() || !strings.HasPrefix(hk.Fingerprint, "SHA256:") || hk.Setting != "hostKey" {
		t.Fatalf("an unpinned server: %v", err)
	}
	if !strings.Contains(err.Error(), "has not trusted yet") || !strings.Contains(err.Error(), hk.Fingerprint) {
		t.Fatalf("message %q", err)
	}
	if srv.Logins.Load() != 0 {
		t.Fatal("credentials were sent to a server nobody has trusted")
	}
	if _, err := open(t, unpinned, secrets).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard); !errors.As(err, &hk) {
		t.Fatalf("a fetch from an unpinned server: %v", err)
	}

	byFingerprint := settings(srv, zip)
	byFingerprint["hostKey"] = hk.Fingerprint
	if msg, err := open(t, byFingerprint, secrets).Test(context.Background()); err != nil || !strings.Contains(msg, "oneroster.zip") {
		t.Fatalf("a fingerprint pin: %q %v", msg, err)
	}

	impostor := sftptest.Start(t, &sftptest.Server{Password: "pw"}) // same files, another key
	changed := settings(impostor, zip)
	changed["hostKey"] = srv.PinLine()
	_, err = open(t, changed, secrets).Test(context.Background())
	if !errors.As(err, &hk) || !hk.Changed || !strings.Contains(err.Error(), "identity changed") {
		t.Fatalf("a changed key: %v", err)
	}
	if impostor.Logins.Load() != 0 {
		t.Fatal("the password was sent to a server whose identity changed")
	}
}

func TestCredentialsRefusedInWords(t *testing.T) {
	_, zip, _ := drop(t, 5)
	key, pub := sftptest.NewUserKey(t, "open sesame")
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw", UserKey: pub})
	cases := []struct {
		name    string
		secrets map[string]string
		want    string
	}{
		{"wrong password", map[string]string{"password": "nope"}, "refused the password for registrar"},
		{"key without its passphrase", map[string]string{"privateKey": key}, "protected by a passphrase"},
		{"wrong passphrase", map[string]string{"privateKey": key, "passphrase": "nope"}, "passphrase does not open"},
		{"not a key", map[string]string{"privateKey": "hello"}, "cannot be read"},
	}
	for _, c := range cases {
		if _, err := open(t, settings(srv, zip), c.secrets).Test(context.Background()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if msg, err := open(t, settings(srv, zip), map[string]string{"privateKey": key, "passphrase": "open sesame"}).Test(context.Background()); err != nil {
		t.Fatalf("the right passphrase: %q %v", msg, err)
	}
	if _, err := Kind().NewSource(settings(srv, zip), nil); err == nil || !strings.Contains(err.Error(), "No password or private key") {
		t.Fatalf("no secrets stored: %v", err)
	}
}

func TestUnreachableAndMissingInWords(t *testing.T) {
	_, zip, _ := drop(t, 5)
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	secrets := map[string]string{"password": "pw"}
	if _, err := open(t, settings(srv, filepath.Join(filepath.Dir(zip), "gone.zip")), secrets).Test(context.Background()); err == nil || !strings.Contains(err.Error(), "There is no") {
		t.Fatalf("a missing file: %v", err)
	}
	ln := settings(srv, zip)
	ln["port"] = "1" // nothing listens there
	if _, err := open(t, ln, secrets).Test(context.Background()); err == nil || !strings.Contains(err.Error(), "Cannot reach") {
		t.Fatalf("a closed port: %v", err)
	}
	if _, err := Kind().Normalize(connector.RoleSource, map[string]string{"host": "h", "username": "u", "remotePath": "/x", "port": "seventy"}); err == nil {
		t.Fatal("a port that is not a number was accepted")
	}
	if _, err := Kind().Normalize(connector.RoleSource, map[string]string{"host": "h", "username": "u", "remotePath": "/x", "hostKey": "trust me"}); err == nil {
		t.Fatal("a host key that is not a key was accepted")
	}
}

func TestADroppedDownloadResumes(t *testing.T) {
	_, zip, _ := drop(t, 300)
	info, _ := os.Stat(zip)
	srv := &sftptest.Server{Password: "pw", DropAfter: info.Size() / 3}
	srv.DropCount.Store(2)
	sftptest.Start(t, srv)
	dir := t.TempDir()
	path, err := open(t, settings(srv, zip), map[string]string{"password": "pw"}).Stage(context.Background(), dir, connector.Pull{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want, _ := os.ReadFile(zip)
	if string(got) != string(want) {
		t.Fatalf("the resumed download differs: %d bytes, want %d", len(got), len(want))
	}
	if srv.Logins.Load() != 3 {
		t.Fatalf("%d sign-ins, want 3 (two drops)", srv.Logins.Load())
	}

	flaky := &sftptest.Server{Password: "pw", DropAfter: 20 << 10}
	flaky.DropCount.Store(100)
	sftptest.Start(t, flaky)
	_, err = open(t, settings(flaky, zip), map[string]string{"password": "pw"}).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	if err == nil || !strings.Contains(err.Error(), "closed the connection while oneroster.zip was being downloaded") {
		t.Fatalf("a connection that keeps dropping: %v", err)
	}
}

func TestPinParsesAuthorizedKeyLines(t *testing.T) {
	signer := sftptest.NewHostKey(t)
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + " root@sftp"
	p, err := parsePin(line)
	if err != nil || p.fingerprint != ssh.FingerprintSHA256(signer.PublicKey()) {
		t.Fatalf("%v %v", p, err)
	}
}
