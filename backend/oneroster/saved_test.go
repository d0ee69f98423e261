package oneroster

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// savedOf reads a package and saves the records it passes on, returning them and the saved bytes.
func savedOf(t *testing.T, files map[string]string) (*Package, []roster.Record, []byte) {
	t.Helper()
	pkg, err := Open(writeFile(t, "export.zip", testzip.Bytes(t, files)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pkg.Close() })
	var buf bytes.Buffer
	w := NewSavedWriter(&buf)
	var recs []roster.Record
	if _, err := pkg.Read(context.Background(), func(r roster.Record) error {
		recs = append(recs, r)
		return w.Add(r)
	}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return pkg, recs, buf.Bytes()
}

func TestSavedRecordsReadBackAsTheyWereRead(t *testing.T) {
	// 1.1 users with their roles in between, blanks, metadata and text beyond ASCII.
	users11 := "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,metadata.house,metadata.bus\n" +
		"u1,,,true,s1,student,ana,,Ána,Lopez,,,,,,,03,,Red,\n" +
		"u2,,2026-01-02T03:04:05Z,true,s1,teacher,ben,,Ben,O'Kafor,,,,,,,,,,12\n"
	pkg, recs, saved := savedOf(t, map[string]string{
		"manifest.csv": "propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\n", "orgs.csv": orgsCSV, "users.csv": users11})
	if len(recs) != 6 || recs[3].Entity != roster.Roles {
		t.Fatalf("the package reads as %d records: %+v", len(recs), recs)
	}
	if err := CheckSaved(bytes.NewReader(saved), int64(len(saved))); err != nil {
		t.Fatal(err)
	}
	var back []roster.Record
	var progress []int64
	rep, err := pkg.VisitSaved(context.Background(), bytes.NewReader(saved), int64(len(saved)), Visitor{
		Record:   func(r roster.Record) error { back = append(back, r); return nil },
		Progress: func(n int64) { progress = append(progress, n) }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs { // nil and empty metadata alike
		if len(recs[i].Metadata) == 0 {
			recs[i].Metadata = nil
		}
	}
	if !reflect.DeepEqual(back, recs) {
		t.Fatalf("read back\n%+v\nread\n%+v", back, recs)
	}
	if rep.Counts[roster.Users] != 2 || rep.Counts[roster.Roles] != 2 || rep.Failed[roster.Users] != 0 || rep.Modes[roster.Users] != ModeBulk || rep.Version != "1.1" {
		t.Fatalf("report %+v", rep)
	}
	if len(progress) == 0 || progress[len(progress)-1] != pkg.Size() {
		t.Fatalf("progress %v, want to end at the package's %d bytes", progress, pkg.Size())
	}
}

func TestDamagedSavedRecordsAreRefused(t *testing.T) {
	_, _, saved := savedOf(t, map[string]string{"manifest.csv": manifest12, "orgs.csv": orgsCSV, "users.csv": users12 + user12("u1", "Ana", "Lopez")})
	for i := range saved {
		damaged := bytes.Clone(saved)
		damaged[i] ^= 0x20
		if err := CheckSaved(bytes.NewReader(damaged), int64(len(damaged))); !errors.Is(err, ErrSavedDamaged) {
			t.Fatalf("byte %d changed: %v", i, err)
		}
	}
	if err := CheckSaved(bytes.NewReader(saved[:len(saved)-1]), int64(len(saved)-1)); !errors.Is(err, ErrSavedDamaged) {
		t.Fatalf("cut short: %v", err)
	}
}
