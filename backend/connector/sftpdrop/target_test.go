package sftpdrop

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
)

func TestTargetConformance(t *testing.T) {
	connectortest.RunTarget(t, Kind(), func(t *testing.T) connectortest.TargetEndpoint {
		srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
		folder := filepath.Join(t.TempDir(), "imports")
		os.Mkdir(folder, 0o700)
		return connectortest.TargetEndpoint{
			Settings: settings(srv, ""), Secrets: map[string]string{"password": "pw"}, PathKey: "remotePath", Folder: folder,
			Break: func(t *testing.T) { os.RemoveAll(folder) }, Failure: "There is no folder",
		}
	})
}

func TestTargetConformanceAgainstOpenSSH(t *testing.T) {
	connectortest.RunTarget(t, Kind(), func(t *testing.T) connectortest.TargetEndpoint {
		settings, secrets, dir := sftptest.StartSSHD(t)
		folder := filepath.Join(dir, "imports")
		os.Mkdir(folder, 0o700)
		return connectortest.TargetEndpoint{
			Settings: settings, Secrets: secrets, PathKey: "remotePath", Folder: folder,
			Break: func(t *testing.T) { unwritable(t, folder) }, Failure: "needs write access",
		}
	})
}

// unwritable takes write permission on dir away, even from root (as tests run in CI), whom only the
// immutable attribute stops.
func unwritable(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		os.Chmod(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s read-only for root: %v %s", dir, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
}

// openTarget makes a target the way the engine does, with retries made quick for tests.
func openTarget(t *testing.T, settings, secrets map[string]string) *target {
	t.Helper()
	tg := connectortest.OpenTarget(t, Kind(), settings, secrets).(*target)
	tg.cfg.backoff = 10 * time.Millisecond
	return tg
}

// randomFile writes size random bytes to a new file.
func randomFile(t *testing.T, size int) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	rand.Read(data)
	path := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, data
}

func holds(t *testing.T, path string, want []byte) {
	t.Helper()
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s holds %d bytes, not the %d delivered (%v)", path, len(got), len(want), err)
	}
}

func noParts(t *testing.T, folder string) {
	t.Helper()
	entries, _ := os.ReadDir(folder)
	for _, e := range entries {
		if strings.Contains(e.Name(), connector.PartMarker) {
			t.Errorf("a temporary file was left on the server: %s", e.Name())
		}
	}
}

func TestADroppedUploadStartsAgain(t *testing.T) {
	folder := t.TempDir()
	// The server cuts a connection once it has sent this much: after signing in, while it
	// acknowledges the writes of a several-megabyte upload. It then stops answering, so the client
	// notices by its idle timeout, made short here.
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw", DropAfter: 8 << 10})
	tg := openTarget(t, settings(srv, filepath.Join(folder, "district.zip")), map[string]string{"password": "pw"})
	tg.cfg.idleTimeout = time.Second
	final := filepath.Join(folder, "district.zip")

	first, firstData := randomFile(t, 8<<20)
	srv.DropCount.Store(1)
	var last int64
	restarted := false
	where, err := tg.Deliver(context.Background(), first, "ignored.zip", events.ReporterFunc(func(p events.Progress) {
		restarted = restarted || p.Done < last
		last = p.Done
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !restarted {
		t.Fatal("the connection did not drop midway, or the upload went on from where it broke")
	}
	if want := "sftp://" + srv.Addr + final; where != want {
		t.Errorf("Deliver answered %q, want %q", where, want)
	}
	holds(t, final, firstData)
	noParts(t, folder)

	srv.DropCount.Store(100) // a connection that keeps dropping
	tg.cfg.retries = 1
	second, _ := randomFile(t, 8<<20)
	if _, err := tg.Deliver(context.Background(), second, "", events.Discard); err == nil || !strings.Contains(err.Error(), "closed the connection while district.zip was being uploaded (") || !strings.Contains(err.Error(), "of 8.0 MB) (2 tries in all") {
		t.Fatalf("a connection that keeps dropping: %v", err)
	}
	holds(t, final, firstData)
	noParts(t, folder)
}

func TestTargetRefusesAServerItDoesNotTrust(t *testing.T) {
	folder := t.TempDir()
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	secrets := map[string]string{"password": "pw"}
	local, _ := randomFile(t, 1<<10)
	unpinned := settings(srv, folder)
	delete(unpinned, "hostKey")
	var hk *connector.HostKeyError
	if _, err := openTarget(t, unpinned, secrets).Test(context.Background()); !errors.As(err, &hk) || hk.Changed || hk.Key != srv.PinLine() {
		t.Fatalf("Test on an unpinned server: %v", err)
	}
	if _, err := openTarget(t, unpinned, secrets).Deliver(context.Background(), local, "x.zip", events.Discard); !errors.As(err, &hk) || hk.Changed {
		t.Fatalf("a delivery to an unpinned server: %v", err)
	}
	impostor := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	changed := settings(impostor, folder)
	changed["hostKey"] = srv.PinLine()
	if _, err := openTarget(t, changed, secrets).Deliver(context.Background(), local, "x.zip", events.Discard); !errors.As(err, &hk) || !hk.Changed {
		t.Fatalf("a delivery to a server whose identity changed: %v", err)
	}
	if srv.Logins.Load()+impostor.Logins.Load() != 0 {
		t.Fatal("the password was sent to a server nobody trusts")
	}
	if entries, _ := os.ReadDir(folder); len(entries) != 0 {
		t.Fatalf("something was written: %v", entries)
	}
}

// A server without posix-rename cannot rename over a file: the old one is removed first.
func TestTargetReplacesWithoutPosixRename(t *testing.T) {
	if err := sftp.SetSFTPExtensions("statvfs@openssh.com"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sftp.SetSFTPExtensions("hardlink@openssh.com", "posix-rename@openssh.com", "statvfs@openssh.com")
	})
	folder := t.TempDir()
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	tg := openTarget(t, settings(srv, folder), map[string]string{"password": "pw"})
	for range 2 {
		local, data := randomFile(t, 100<<10)
		if _, err := tg.Deliver(context.Background(), local, "export.zip", events.Discard); err != nil {
			t.Fatal(err)
		}
		holds(t, filepath.Join(folder, "export.zip"), data)
	}
	noParts(t, folder)
}

func TestTargetFolderRefusalsInWords(t *testing.T) {
	dir := t.TempDir()
	srv := sftptest.Start(t, &sftptest.Server{Password: "pw"})
	secrets := map[string]string{"password": "pw"}
	local, _ := randomFile(t, 1<<10)
	readOnly := filepath.Join(dir, "readonly")
	os.Mkdir(readOnly, 0o700)
	unwritable(t, readOnly)
	for path, want := range map[string]string{
		filepath.Join(dir, "missing"):           "There is no folder " + filepath.Join(dir, "missing") + " on 127.0.0.1",
		filepath.Join(dir, "missing", "x.zip"):  "There is no folder " + filepath.Join(dir, "missing") + " on 127.0.0.1",
		readOnly:                                "registrar may not write to the folder " + readOnly,
		filepath.Join(readOnly, "district.zip"): "this SFTP account needs write access",
	} {
		tg := openTarget(t, settings(srv, path), secrets)
		if _, err := tg.Test(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Test %s: %v, want %q", path, err, want)
		}
		if _, err := tg.Deliver(context.Background(), local, "x.zip", events.Discard); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Deliver to %s: %v, want %q", path, err, want)
		}
	}
}
