package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
)

// schoolFeed is a OneRoster package of one school and users rows with extra columns, as a SIS
// writes it (CRLF, BOM on the users file).
func schoolFeed(extra string, users ...string) map[string]string {
	crlf := func(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }
	return map[string]string{
		"manifest.csv": crlf("propertyName,value", "manifest.version,1.0", "oneroster.version,1.2", "file.orgs,bulk", "file.users,bulk",
			"file.academicSessions,absent", "file.courses,absent", "file.classes,absent", "file.roles,absent", "file.enrollments,absent",
			"file.demographics,absent", "file.userProfiles,absent"),
		"orgs.csv": crlf("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", "s1,,,Evergreen Elementary School,school,S1,"),
		"users.csv": "\uFEFF" + crlf(append([]string{"sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns" + extra},
			users...)...),
	}
}

// ok runs a command that must succeed and returns its stdout.
func ok(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d, %s", args, code, errOut)
	}
	return out
}

// twoSources adds and imports a SIS and a health office's feed that disagree on Ana's first name;
// the health office also has her middle name and homeroom, and a library with ids of its own has
// another person under u1.
func twoSources(t *testing.T) string {
	dir := t.TempDir()
	feeds := []struct {
		name  string
		files map[string]string
		sets  []string
	}{
		{"North SIS", schoolFeed("", "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"), nil},
		{"Health office", schoolFeed(",metadata.homeroom", "u1,,,true,ana,,Anna,Lopez,Maria,1001,ana@example.org,,,,03,,,,,,s1,,4B"), nil},
		{"Library", schoolFeed("", "u1,,,true,zed,,Zed,Quill,,7,,,,,,,,,,,s1,"), []string{"--set", "ids=own"}},
	}
	for _, f := range feeds {
		zip := filepath.Join(dir, f.name+".zip")
		testzip.Write(t, zip, f.files)
		ok(t, dir, append([]string{"connection", "add", f.name, "--kind", "oneroster-csv", "--set", "path=" + zip}, f.sets...)...)
		ok(t, dir, "import", f.name, "--override-hold") // the tiny feeds would trip the safety hold, tested elsewhere
	}
	ok(t, dir, "connection", "add", "LMS", "--kind", "oneroster-csv", "--role", "target", "--set", "path="+filepath.Join(dir, "out.zip"))
	return dir
}

func TestRosterShowTellsWhereEachValueCameFrom(t *testing.T) {
	dir := twoSources(t)
	out := ok(t, dir, "roster", "show", "users", "u1")
	for _, want := range []string{"users u1: active", "givenName", "Ana", "from North SIS", "Maria", "from Health office", "metadata.homeroom", "4B",
		"origins:\n  1. North SIS: u1\n  2. Health office: u1\n", `givenName: North SIS "Ana", Health office "Anna"; kept "Ana" (North SIS)`, "runs, newest first:"} {
		if !strings.Contains(out, want) {
			t.Errorf("roster show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Zed") || !strings.Contains(out, "other records sources call u1: u1~3 (from Library); show them by these ids\n") {
		t.Errorf("the library's u1 is another person:\n%s", out)
	}
	if out := ok(t, dir, "roster", "show", "users", "u1~3"); !strings.Contains(out, "Zed") || !strings.Contains(out, "1. Library: u1\n") {
		t.Errorf("the library's u1:\n%s", out)
	}

	out = ok(t, dir, "roster", "show", "users", "u1", "--json")
	var v struct {
		ID      string `json:"id"`
		Fields  []struct{ Name, Value, From string }
		Origins []struct {
			Connection string `json:"connection"`
			SourcedID  string `json:"sourcedId"`
			Live       bool   `json:"live"`
		} `json:"origins"`
		Conflicts []struct{ Field, Kept string } `json:"conflicts"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.ID != "u1" || len(v.Origins) != 2 || v.Origins[1].Connection != "Health office" || v.Origins[1].SourcedID != "u1" || !v.Origins[1].Live ||
		len(v.Conflicts) != 1 || v.Conflicts[0].Kept != "North SIS" {
		t.Fatalf("roster show --json: %s", out)
	}

	if _, errOut, code := run(t, dir, "roster", "show", "users", "nobody"); code == 0 || !strings.Contains(errOut, `no users record has the id "nobody"`) {
		t.Fatalf("unknown record: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, dir, "roster", "show", "pupils", "u1"); code == 0 || !strings.Contains(errOut, "use one of orgs,") {
		t.Fatalf("unknown entity: %d %s", code, errOut)
	}
}

func TestRosterConflictsAndPrecedence(t *testing.T) {
	dir := twoSources(t)
	out := ok(t, dir, "roster", "conflicts")
	if !strings.Contains(out, "users   u1      givenName  North SIS \"Ana\", Health office \"Anna\"  \"Ana\" (North SIS)") || !strings.Contains(out, "1 conflict.") {
		t.Fatalf("roster conflicts:\n%s", out)
	}
	if out := ok(t, dir, "roster", "conflicts", "--field", "email"); !strings.Contains(out, "No conflicts") {
		t.Fatalf("--field email:\n%s", out)
	}

	out = ok(t, dir, "connection", "precedence")
	if !strings.Contains(out, "1. North SIS (oneroster-csv, shared ids)\n  2. Health office (oneroster-csv, shared ids)\n  3. Library (oneroster-csv, own ids)\n") {
		t.Fatalf("precedence:\n%s", out)
	}
	for _, bad := range [][]string{{"LMS"}, {"Health office", "Nobody"}} {
		_, errOut, code := run(t, dir, append([]string{"connection", "precedence"}, bad...)...)
		if code == 0 || !strings.Contains(errOut, "LMS is a target") && !strings.Contains(errOut, `no connection named "Nobody"`) {
			t.Errorf("precedence %v: %d %s", bad, code, errOut)
		}
	}
	if out := ok(t, dir, "connection", "precedence"); !strings.Contains(out, "1. North SIS") {
		t.Fatalf("a refused order changed the order:\n%s", out)
	}

	out = ok(t, dir, "connection", "precedence", "health office", "--json")
	var res struct {
		Order []struct {
			Precedence int
			Name, IDs  string
		}
		Run struct{ Status string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Order) != 3 || res.Order[0].Name != "Health office" || res.Order[1].Name != "North SIS" || res.Order[2].IDs != "own" || res.Run.Status != "succeeded" {
		t.Fatalf("precedence --json: %s", out)
	}
	// The new first source's value is the roster's at once.
	out = ok(t, dir, "roster", "conflicts", "--json")
	var rows []struct {
		Entity, Record, Field, Kept, KeptValue string
		Values                                 []struct{ Connection, SourcedID, Value string }
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Kept != "Health office" || rows[0].KeptValue != "Anna" || rows[0].Values[0].Connection != "Health office" {
		t.Fatalf("conflicts --json after the new order: %s", out)
	}
	if out := ok(t, dir, "roster", "show", "users", "u1"); !strings.Contains(out, "Anna") {
		t.Fatalf("the roster kept the old first source's value:\n%s", out)
	}
}
