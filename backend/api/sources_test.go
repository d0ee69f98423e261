package api

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// usersFeed is a OneRoster package of one school and users rows, as a SIS writes it (CRLF, BOM).
func usersFeed(users ...string) map[string]string {
	crlf := func(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }
	return map[string]string{
		"manifest.csv": crlf("propertyName,value", "manifest.version,1.0", "oneroster.version,1.2", "file.orgs,bulk", "file.users,bulk",
			"file.academicSessions,absent", "file.courses,absent", "file.classes,absent", "file.roles,absent", "file.enrollments,absent",
			"file.demographics,absent", "file.userProfiles,absent"),
		"orgs.csv": crlf("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId", "s1,,,Evergreen Elementary School,school,S1,"),
		"users.csv": "\uFEFF" + crlf(append([]string{"sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"},
			users...)...),
	}
}

// addAndImport adds a source reading files and imports it through the window's jobs.
func (f facades) addAndImport(t *testing.T, name string, files map[string]string, settings map[string]string) ConnectionCard {
	t.Helper()
	path := filepath.Join(f.dir, name+".zip")
	testzip.Write(t, path, files)
	settings["path"] = path
	card, err := f.conns.Add(connections.Request{Name: name, Kind: "oneroster-csv", Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	if job := f.wait(t, f.sync.StartFetch(card.ID)); job.Status != jobs.Succeeded {
		t.Fatalf("fetch %s: %+v", name, job)
	}
	// The tiny feeds would trip the safety hold, which has tests of its own.
	if job := f.wait(t, f.sync.StartImport(card.ID, true)); job.Status != jobs.Succeeded || job.Result.(store.Run).Status != store.RunSucceeded {
		t.Fatalf("import %s: %+v", name, job)
	}
	return card
}

func TestSourcesRecordConflictsAndTheirDownload(t *testing.T) {
	f := newFacades(t)
	t.Setenv("XDG_DOWNLOAD_DIR", filepath.Join(f.dir, "downloads"))
	sis := f.addAndImport(t, "North SIS", usersFeed("u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"), map[string]string{})
	health := f.addAndImport(t, "Health office", usersFeed("u1,,,true,ana,,Anna,Lopez,Maria,1001,ana@example.org,,,,03,,,,,,s1,"), map[string]string{})
	target, err := f.conns.Add(connections.Request{Name: "LMS", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{"path": filepath.Join(f.dir, "out.zip")}})
	if err != nil {
		t.Fatal(err)
	}
	library := f.addAndImport(t, "Library", usersFeed("u1,,,true,zed,,Zed,Quill,,7,,,,,,,,,,,s1,"), map[string]string{"ids": "own"})

	ranks, err := f.conns.Sources()
	if err != nil || len(ranks) != 3 || ranks[0].ID != sis.ID || ranks[2].IDs != "own" || ranks[0].IDs != "shared" || ranks[1].Precedence != 2 || ranks[2].Precedence != 3 || ranks[0].KindLabel == "" {
		t.Fatalf("sources %+v %v", ranks, err)
	}
	if page, err := f.roster.Conflicts(ConflictsRequest{}); err != nil || page.Total != 1 || page.Rows[0].Kept != "North SIS" {
		t.Fatalf("conflicts before the new order: %+v %v", page, err)
	}
	if _, err := f.sync.SetPrecedence([]int64{target.ID}); apperr.From(err).Code != apperr.CodeInvalid {
		t.Errorf("a target put in the order: %v", err)
	}
	if ranks, _ := f.conns.Sources(); ranks[0].ID != sis.ID {
		t.Fatalf("a refused order changed the order: %+v", ranks)
	}
	if _, err := f.sync.SetPrecedence([]int64{health.ID}); err != nil {
		t.Fatal(err)
	}
	if ranks, _ := f.conns.Sources(); ranks[0].ID != health.ID || ranks[1].ID != sis.ID || ranks[2].ID != library.ID || ranks[0].Precedence != 1 {
		t.Fatalf("order after putting the health office first: %+v", ranks)
	}

	rec, err := f.roster.Record("users", " u1 ")
	if err != nil || rec.ID != "u1" || len(rec.Origins) != 2 || len(rec.Conflicts) != 1 || rec.Conflicts[0].Field != "givenName" {
		t.Fatalf("record u1: %+v %v", rec, err)
	}
	for _, fv := range rec.Fields {
		if fv.Name == "givenName" && (fv.Value != "Anna" || fv.From != "Health office") {
			t.Fatalf("givenName once the health office comes first: %+v", fv)
		}
	}
	// The library's u1 is another person: its own record.
	zed, err := f.roster.Record("users", "u1~"+strconv.FormatInt(library.ID, 10))
	if err != nil || len(zed.Origins) != 1 || zed.Origins[0].Connection != "Library" || zed.Origins[0].Precedence != 3 {
		t.Fatalf("library's u1: %+v %v", zed, err)
	}
	if _, err := f.roster.Record("users", "nobody"); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("unknown record: %v", err)
	}

	page, err := f.roster.Conflicts(ConflictsRequest{Entity: "users", Limit: -1})
	if err != nil || page.Total != 1 || page.Rows[0].Kept != "Health office" || page.Rows[0].KeptValue != "Anna" || strings.Join(page.Fields, ",") != "givenName" {
		t.Fatalf("conflicts %+v %v", page, err)
	}
	if page, err := f.roster.Conflicts(ConflictsRequest{Entity: "orgs"}); err != nil || page.Total != 0 || len(page.Fields) != 0 {
		t.Fatalf("conflicts of orgs: %+v %v", page, err)
	}
	if page, err := f.roster.Conflicts(ConflictsRequest{Search: "zzz"}); err != nil || page.Total != 0 || page.Rows == nil {
		t.Fatalf("search finding nothing: %+v %v", page, err)
	}

	path, err := f.roster.SaveConflicts(ConflictsRequest{Entity: "users", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != filepath.Join(f.dir, "downloads") || filepath.Ext(path) != ".xlsx" {
		t.Fatalf("saved to %s", path)
	}
	want := [][]string{
		{"entity", "record", "field", "Health office", "North SIS", "Library", "kept from", "kept value"},
		{"users", "u1", "givenName", "Anna", "Ana", "", "Health office", "Anna"},
	}
	rows := sheetRows(t, path, "Conflicts", len(want[0]))
	if len(rows) != len(want) {
		t.Fatalf("sheet rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}

	// The window's pages of conflicts follow every change of the roster and of its sources.
	testzip.Write(t, filepath.Join(f.dir, "North SIS.zip"), usersFeed("u1,,,true,ana,,Anne,Lopez,,1001,ana@example.org,,,,03,,,,,,s1,"))
	if job := f.wait(t, f.sync.StartFetch(sis.ID)); job.Status != jobs.Succeeded {
		t.Fatalf("refetch: %+v", job)
	}
	if job := f.wait(t, f.sync.StartImport(sis.ID, true)); job.Status != jobs.Succeeded || job.Result.(store.Run).Status != store.RunSucceeded {
		t.Fatalf("reimport: %+v", job)
	}
	if page, err := f.roster.Conflicts(ConflictsRequest{}); err != nil || page.Total != 1 || page.Rows[0].Values[1].Value != "Anne" {
		t.Fatalf("conflicts after the SIS changed: %+v %v", page, err)
	}
	if err := f.conns.Remove(health.ID); err != nil {
		t.Fatal(err)
	}
	if page, err := f.roster.Conflicts(ConflictsRequest{}); err != nil || page.Total != 0 {
		t.Fatalf("conflicts after the health office went: %+v %v", page, err)
	}
}
