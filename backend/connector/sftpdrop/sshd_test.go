package sftpdrop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
)

func TestConformanceAgainstOpenSSH(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		settings, secrets, dir := sftptest.StartSSHD(t)
		zip := filepath.Join(dir, "oneroster.zip")
		sum, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 50, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		broken := filepath.Join(dir, "sshd_config") // a file that is there but is no export
		good := map[string]string{}
		bad := map[string]string{}
		for k, v := range settings {
			good[k], bad[k] = v, v
		}
		good["remotePath"], bad["remotePath"] = zip, broken
		return connectortest.Endpoint{Settings: good, Secrets: secrets, Users: sum.Counts["users"], Broken: bad, Failure: "not a ZIP",
			Change: func(t *testing.T) {
				if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 5, Seed: 4}); err != nil {
					t.Fatal(err)
				}
			}}
	})
}

func TestOpenSSHIdentityAndRefusals(t *testing.T) {
	settings, secrets, dir := sftptest.StartSSHD(t)
	settings["remotePath"] = dir
	pinned := settings["hostKey"]
	delete(settings, "hostKey")
	_, err := open(t, settings, secrets).Test(context.Background())
	var hk *connector.HostKeyError
	if !errors.As(err, &hk) || hk.Changed || hk.Key != strings.Join(strings.Fields(pinned)[:2], " ") {
		t.Fatalf("an unpinned OpenSSH server: %v", err)
	}
	settings["hostKey"] = hk.Key
	other, _ := sftptest.NewUserKey(t, "")
	if _, err := open(t, settings, map[string]string{"privateKey": other}).Test(context.Background()); err == nil || !strings.Contains(err.Error(), "refused the private key") {
		t.Fatalf("a key sshd does not know: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "users.csv"), []byte("sourcedId\n"), 0o600)
	if msg, err := open(t, settings, secrets).Test(context.Background()); err != nil || !strings.Contains(msg, "found 1 CSV files") {
		t.Fatalf("a folder: %q %v", msg, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := open(t, settings, secrets).Stage(ctx, t.TempDir(), connector.Pull{}, events.Discard); err != context.Canceled {
		t.Fatalf("cancelled: %v", err)
	}
}
