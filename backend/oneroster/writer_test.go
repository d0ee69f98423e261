package oneroster

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func rec(e roster.Entity, kv ...string) roster.Record {
	r := roster.NewRecord(e)
	for i := 0; i < len(kv); i += 2 {
		r.Set(kv[i], kv[i+1])
	}
	return r
}

// unzip returns the CSV rows of every file in a ZIP.
func unzip(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = rows
	}
	return out
}

func write(t *testing.T, opts WriteOptions, recs ...roster.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var sample = []roster.Record{
	rec(roster.Orgs, "sourcedId", "s1", "status", "active", "name", "North, Upper School", "type", "school"),
	rec(roster.Users, "sourcedId", "u1", "enabledUser", "true", "givenName", "Ana", "familyName", "Lopez", "grades", "03,04"),
	rec(roster.Roles, "sourcedId", "r1", "userSourcedId", "u1", "roleType", "primary", "role", "principal", "orgSourcedId", "s1"),
}

func TestWrite12Bulk(t *testing.T) {
	files := unzip(t, write(t, WriteOptions{Version: "1.2", SystemName: "Test"}, sample...))
	if got := strings.Join(files["users.csv"][0], ","); got != specUsers["1.2"] {
		t.Fatalf("users header %s", got)
	}
	org := files["orgs.csv"][1]
	if org[1] != "" || org[2] != "" || org[3] != "North, Upper School" {
		t.Fatalf("bulk org row %q", org)
	}
	if files["users.csv"][1][roster.Schema(roster.Users).Index("grades")] != "03,04" {
		t.Fatalf("list field %q", files["users.csv"][1])
	}
	manifest := map[string]string{}
	for _, row := range files["manifest.csv"][1:] {
		manifest[row[0]] = row[1]
	}
	want := map[string]string{"oneroster.version": "1.2", "file.orgs": "bulk", "file.users": "bulk", "file.roles": "bulk",
		"file.enrollments": "absent", "file.userProfiles": "absent", "source.systemName": "Test"}
	for k, v := range want {
		if manifest[k] != v {
			t.Errorf("manifest %s = %q, want %q", k, manifest[k], v)
		}
	}
}

func TestWriteDeltaStampsStatusAndTime(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC) }
	files := unzip(t, write(t, WriteOptions{Version: "1.2", Delta: true, Now: now}, sample[0]))
	if row := files["orgs.csv"][1]; row[1] != "active" || row[2] != "2026-11-22T09:30:00.000Z" {
		t.Fatalf("delta row %q", row)
	}
}

func TestWrite11PutsOrgsAndRoleOnTheUser(t *testing.T) {
	opts := WriteOptions{Version: "1.1", Roles11: func(id string) ([]string, string) { return []string{"s1", "s2"}, "principal" }}
	files := unzip(t, write(t, opts, sample...))
	if _, ok := files["roles.csv"]; ok {
		t.Fatal("1.1 has no roles.csv")
	}
	header, row := files["users.csv"][0], files["users.csv"][1]
	if strings.Join(header, ",") != specUsers["1.1"] || row[4] != "s1,s2" || row[5] != "administrator" {
		t.Fatalf("1.1 users %q / %q", header, row)
	}
	if _, err := NewWriter(io.Discard, WriteOptions{Version: "1.3"}); err == nil {
		t.Fatal("an unknown version must be refused")
	}
}

func TestWriteRefusesRecordsOutOfOrder(t *testing.T) {
	w, _ := NewWriter(io.Discard, WriteOptions{Version: "1.2"})
	w.Write(sample[1])
	if err := w.Write(sample[0]); err == nil || !strings.Contains(err.Error(), "order") {
		t.Fatalf("got %v", err)
	}
}

func TestWrittenPackagesReadBack(t *testing.T) {
	for _, version := range []string{"1.1", "1.2"} {
		opts := WriteOptions{Version: version, Roles11: func(string) ([]string, string) { return []string{"s1"}, "principal" }}
		path := writeFile(t, "out.zip", write(t, opts, sample...))
		recs, rep, err := readAll(t, path)
		if err != nil || len(rep.Errors()) != 0 {
			t.Fatalf("%s: %v %+v", version, err, rep)
		}
		if u, _ := find(recs, roster.Users, "u1"); u.Get("givenName") != "Ana" || u.Get("grades") != "03,04" {
			t.Fatalf("%s: user %q", version, u.Values)
		}
		if rep.Counts[roster.Roles] != 1 {
			t.Fatalf("%s: roles %d", version, rep.Counts[roster.Roles])
		}
	}
}
