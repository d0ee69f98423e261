package engine

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/connector/sftpdrop"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// TestSyncWithAnSFTPDrop syncs with an SFTP drop on the real OpenSSH sshd: the first sync fills an
// empty remote folder or a remote ZIP that is not there yet; then a change on each side flows
// across, a field both sides changed takes the policy's side, and every file the sync writes on the
// server arrives under a temporary name and is renamed into place.
func TestSyncWithAnSFTPDrop(t *testing.T) {
	for _, tc := range []struct {
		name   string
		remote string // under the server's folder
		watch  string // the file whose arrival is watched, in the folder holding it
		edit   func(f *syncFixture, file string, edit func(string) string)
	}{
		{name: "an empty folder", remote: "drop", watch: "users.csv", edit: (*syncFixture).editVendor},
		{name: "a missing folder", remote: "new", watch: "users.csv", edit: (*syncFixture).editVendor},
		{name: "a missing ZIP", remote: "drop.zip", watch: "drop.zip", edit: editRemoteZip},
	} {
		t.Run(tc.name, func(t *testing.T) {
			settings, secrets, dir := sftptest.StartSSHD(t)
			f := newSyncFixture(t)
			f.eng.kinds = connector.NewRegistry(csvzip.Kind(), sftpdrop.Kind())
			f.dir = filepath.Join(dir, tc.remote) // the server's files are this computer's
			folder := f.dir
			switch {
			case strings.HasSuffix(tc.remote, ".zip"):
				folder = dir
			case tc.remote == "new": // the first sync creates it
			default:
				if err := os.Mkdir(f.dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			settings["remotePath"] = f.dir
			var err error
			f.vendor, err = f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor SFTP", Kind: "oneroster-sftp", Role: "both", Settings: settings})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range secrets {
				if err := f.eng.vault.Set(f.vendor.SecretRef, k, v); err != nil {
					t.Fatal(err)
				}
			}

			if tc.remote == "new" { // nothing to watch yet
				f.sync(PolicyWorkspace)
			} else {
				connectortest.AppearsWhole(t, folder, tc.watch, func() { f.sync(PolicyWorkspace) })
			}
			if got := f.vendorValue(roster.Users, "u1", "givenName"); got != "Ana" {
				t.Fatalf("after the first sync the server's u1 givenName = %q, want the roster's Ana", got)
			}

			f.editSIS("users.csv", replace(",Ben,Okafor,", ",Ben,Okafor-Ng,"))
			tc.edit(f, "users.csv", replace("tia@example.org", "tia.marsh@example.org"))
			f.editSIS("users.csv", replace(",Ana,Lopez,", ",Anna,Lopez,"))
			tc.edit(f, "users.csv", replace(",Ana,Lopez,", ",Anita,Lopez,"))
			var run store.Run
			connectortest.AppearsWhole(t, folder, tc.watch, func() { run = f.sync(PolicyExternal) })

			for _, c := range []struct {
				side, id, field, got, want string
			}{
				{"server", "u2", "familyName", f.vendorValue(roster.Users, "u2", "familyName"), "Okafor-Ng"},
				{"roster", "t1", "email", f.rosterValue(roster.Users, "t1", "email"), "tia.marsh@example.org"},
				{"roster", "u1", "givenName", f.rosterValue(roster.Users, "u1", "givenName"), "Anita"},
				{"server", "u1", "givenName", f.vendorValue(roster.Users, "u1", "givenName"), "Anita"},
			} {
				if c.got != c.want {
					t.Errorf("%s %s %s = %q, want %q", c.side, c.id, c.field, c.got, c.want)
				}
			}
			if !logged(f.runRecords(run), ActionConflict, "ok", "u1", "givenName") {
				t.Error("the run does not list the conflict on u1 givenName")
			}
			parts, _ := filepath.Glob(filepath.Join(folder, "*"+connector.PartMarker+"*"))
			if len(parts) > 0 {
				t.Errorf("temporary files left on the server: %v", parts)
			}
		})
	}
}

// A first sync into an SFTP folder whose folder above is missing creates nothing and names it.
func TestFirstSyncIntoAnSFTPFolderUnderAMissingOneCreatesNothing(t *testing.T) {
	settings, secrets, dir := sftptest.StartSSHD(t)
	f := newSyncFixture(t)
	f.eng.kinds = connector.NewRegistry(csvzip.Kind(), sftpdrop.Kind())
	parent := filepath.Join(dir, "share")
	settings["remotePath"] = filepath.Join(parent, "drop")
	c, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor SFTP", Kind: "oneroster-sftp", Role: "both", Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range secrets {
		if err := f.eng.vault.Set(c.SecretRef, k, v); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = f.eng.Sync(context.Background(), c.ID, SyncOptions{}, events.Discard)
	if err == nil || !strings.Contains(err.Error(), "There is no folder "+parent+" on ") || !strings.Contains(err.Error(), "did not create drop") {
		t.Fatalf("sync under a missing folder: %v", err)
	}
	if _, err := os.Stat(parent); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the sync created %s: %v", parent, err)
	}
	if empty, _ := f.st.BaselineEmpty(context.Background(), c.ID); !empty {
		t.Fatal("the refused sync stored a baseline")
	}
}

// editRemoteZip changes a file inside the vendor's ZIP, rewriting the ZIP.
func editRemoteZip(f *syncFixture, file string, edit func(string) string) {
	f.t.Helper()
	zr, err := zip.OpenReader(f.dir)
	if err != nil {
		f.t.Fatal(err)
	}
	files := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			f.t.Fatal(err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			f.t.Fatal(err)
		}
		files[zf.Name] = string(raw)
	}
	zr.Close()
	files[file] = changed(f.t, files[file], edit)
	testzip.Write(f.t, f.dir, files)
}
