package csvzip

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/connectortest"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

func TestConformanceZip(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		dir := t.TempDir()
		path := filepath.Join(dir, "export.zip")
		sum, err := district.GenerateFile(context.Background(), path, district.Options{Students: 60, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		broken := filepath.Join(dir, "broken.zip")
		os.WriteFile(broken, []byte("not a zip"), 0o600)
		return connectortest.Endpoint{
			Settings: map[string]string{"path": path}, Users: sum.Counts["users"],
			Broken: map[string]string{"path": broken}, Failure: "not a ZIP",
			Change: func(t *testing.T) {
				if _, err := district.GenerateFile(context.Background(), path, district.Options{Students: 10, Seed: 2}); err != nil {
					t.Fatal(err)
				}
			},
		}
	})
}

func TestConformanceFolder(t *testing.T) {
	connectortest.Run(t, Kind(), func(t *testing.T) connectortest.Endpoint {
		dir := t.TempDir()
		folder := filepath.Join(dir, "export")
		os.Mkdir(folder, 0o700)
		write := func(name, body string) {
			if err := os.WriteFile(filepath.Join(folder, name), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		write("manifest.csv", "propertyName,value\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\n")
		write("orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\ns1,,,North School,school,,\n")
		users := "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n"
		write("users.csv", users+"u1,,,true,ana,,Ana,Lopez,,,,,,,03,,,,,,s1,\nu2,,,true,ben,,Ben,Okafor,,,,,,,03,,,,,,s1,\n")
		broken := filepath.Join(dir, "notes")
		os.Mkdir(broken, 0o700)
		os.WriteFile(filepath.Join(broken, "readme.txt"), []byte("hello"), 0o600)
		return connectortest.Endpoint{
			Settings: map[string]string{"path": folder}, Users: 2,
			Broken: map[string]string{"path": broken}, Failure: "no OneRoster files",
			Change: func(t *testing.T) { write("users.csv", users) },
		}
	})
}

func TestTargetConformance(t *testing.T) {
	connectortest.RunTarget(t, Kind(), func(t *testing.T) connectortest.TargetEndpoint {
		folder := filepath.Join(t.TempDir(), "exports")
		os.Mkdir(folder, 0o700)
		return connectortest.TargetEndpoint{
			Settings: map[string]string{}, PathKey: "path", Folder: folder,
			Break:   func(t *testing.T) { os.RemoveAll(folder) },
			Failure: "does not exist",
		}
	})
}

func TestTargetPathIsChecked(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	os.WriteFile(file, []byte("hello"), 0o600)
	for path, want := range map[string]string{
		dir:                                      "",
		filepath.Join(dir, "new.zip"):            "",
		filepath.Join(dir, "gone"):               "does not exist",
		filepath.Join(dir, "gone", "export.zip"): "does not exist",
		file:                                     "is a file, not a folder",
	} {
		_, err := Kind().Normalize(connector.RoleTarget, map[string]string{"path": path})
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
	// Reading and writing the same place needs both: a .zip that is not there yet cannot be read.
	if _, err := Kind().Normalize(connector.RoleBoth, map[string]string{"path": filepath.Join(dir, "new.zip")}); err == nil || !strings.Contains(err.Error(), "cannot find") {
		t.Errorf("both roles on a missing .zip: %v", err)
	}
}

// A path that is not there fails a fetch with a message, marked as no package yet so that a two-way
// sync can fill it; whether it names a folder or a ZIP goes with it.
func TestStageOfAMissingPathSaysThereIsNoPackageYet(t *testing.T) {
	for name, folder := range map[string]bool{"export.zip": false, "export": true} {
		path := filepath.Join(t.TempDir(), "gone", name)
		_, err := source{path: path}.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
		var none *connector.NoPackageError
		if !errors.As(err, &none) || none.Folder != folder || apperr.From(err).Code != apperr.CodeBadInput || !strings.Contains(err.Error(), "cannot open "+path) {
			t.Errorf("%s: %#v", name, err)
		}
	}
}
