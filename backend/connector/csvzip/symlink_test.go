package csvzip

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// A folder whose CSV files are symbolic links is read through them by Test and by a fetch alike; a
// link to nothing is refused by both, saying so.
func TestSymbolicLinksAreFollowedByTestAndFetchAlike(t *testing.T) {
	elsewhere, folder := t.TempDir(), t.TempDir()
	write := func(dir, name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(folder, "manifest.csv", "propertyName,value\noneroster.version,1.2\nfile.orgs,bulk\nfile.users,bulk\n")
	write(elsewhere, "orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\ns1,,,North School,school,,\n")
	write(elsewhere, "users.csv", "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n"+
		"u1,,,true,ana,,Ana,Lopez,,,,,,,03,,,,,,s1,\nu2,,,true,ben,,Ben,Okafor,,,,,,,03,,,,,,s1,\n")
	for _, name := range []string{"orgs.csv", "users.csv"} {
		if err := os.Symlink(filepath.Join(elsewhere, name), filepath.Join(folder, name)); err != nil {
			t.Fatal(err)
		}
	}
	src := source{path: folder}
	if msg, err := src.Test(context.Background()); err != nil || !strings.Contains(msg, "the first 3 records read") {
		t.Fatalf("Test: %q, %v", msg, err)
	}
	staged, err := src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := oneroster.Open(staged)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	rep, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil)
	if err != nil || rep.Counts[roster.Users] != 2 || rep.Counts[roster.Orgs] != 1 {
		t.Fatalf("staged %+v, %v", rep, err)
	}

	os.Remove(filepath.Join(elsewhere, "users.csv"))
	_, testErr := src.Test(context.Background())
	_, stageErr := src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	for _, err := range []error{testErr, stageErr} {
		if err == nil || !strings.Contains(err.Error(), "users.csv") || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("a link to nothing: %v", err)
		}
	}
}
