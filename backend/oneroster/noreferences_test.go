package oneroster

import (
	"context"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// TestNoReferencesSkipsOnlyTheDanglingCheck: the same records come through, without the warning.
func TestNoReferencesSkipsOnlyTheDanglingCheck(t *testing.T) {
	pkg, err := Open(writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
		"users.csv": users12 + strings.Replace(user12("u1", "Ana", "Lopez"), ",s1,", ",s9,", 1)})))
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	var ids []string
	rep, err := pkg.Visit(context.Background(), Visitor{NoReferences: true, Record: func(r roster.Record) error { ids = append(ids, r.SourcedID()); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, " ") != "d1 s1 u1" {
		t.Errorf("records %v, want d1 s1 u1", ids)
	}
	if hasFinding(rep, SeverityWarning, "users.csv", "primaryOrgSourcedId", `"s9"`) {
		t.Errorf("a dangling reference was checked: %+v", rep.Findings)
	}
}

// TestNoDuplicatesTakesTheRowsAsTheyCome: with NoReferences, a repeated sourcedId is not looked
// for (the caller knows there is none); without NoReferences, whose check needs the ids, it still is.
func TestNoDuplicatesTakesTheRowsAsTheyCome(t *testing.T) {
	pkg, err := Open(writeFile(t, "export.zip", testzip.Bytes(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV,
		"users.csv": users12 + user12("u1", "Ana", "Lopez") + user12("u1", "Ana", "Again")})))
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	for _, c := range []struct {
		v     Visitor
		users int
	}{{Visitor{NoDuplicates: true, NoReferences: true}, 2}, {Visitor{NoDuplicates: true}, 1}, {Visitor{}, 1}} {
		users := 0
		c.v.Record = func(r roster.Record) error {
			if r.Entity == roster.Users {
				users++
			}
			return nil
		}
		if _, err := pkg.Visit(context.Background(), c.v); err != nil || users != c.users {
			t.Errorf("%+v: %d users (%v), want %d", c.v, users, err, c.users)
		}
	}
}
