package mapping

import (
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func TestImportMappingChecks(t *testing.T) {
	off := false
	m := Mapping{Entity: "users", Import: true, Only: `role == "student"`, Fields: []Field{
		{To: "identifier", Type: Direct, From: "identifier", Key: true},
		{To: "sourcedId", Type: Direct, From: "username"},
		{To: "gender", Type: Direct, From: "givenName"},
		{To: "familyName", Type: Direct, From: "demographics.sex"},
		{To: "email", Type: Direct, From: "email", Overwrite: &off},
	}}
	var got []string
	for _, p := range Check(m) {
		got = append(got, p.Message)
	}
	for _, want := range []string{"identifier is marked as the key", "sourcedId is not a roster field an import can fill",
		"gender is not a roster field an import can fill", `familyName reads "demographics.sex"`, "an import mapping has no condition"} {
		if !slices.ContainsFunc(got, func(msg string) bool { return strings.Contains(msg, want) }) {
			t.Errorf("no problem %q in %q", want, got)
		}
	}
	if p := Check(DefaultImport(roster.Users)); len(p) != 0 {
		t.Errorf("the default import mapping: %v", p)
	}
}

func TestImportMappingInto(t *testing.T) {
	off := false
	prog, err := Compile(Mapping{Entity: "users", Import: true, Fields: []Field{
		{To: "familyName", Type: Transformation, Expr: "title(familyName)"},
		{To: "email", Type: Direct, From: "email", Overwrite: &off},
		{To: "sms", Type: None, From: "sms"},
		{To: "metadata.house", Type: Codes, From: "metadata.house_code", Codes: CodeTable{{From: "R", To: "Red"}}, Unmatched: UnmatchedBlank},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rec := roster.NewRecord(roster.Users)
	rec.Set("sourcedId", "u1")
	rec.Set("familyName", "O'BRIEN-ÉLODIE")
	rec.Set("givenName", "Ana")
	rec.Set("sms", "555-0100")
	rec.Metadata = []roster.MetadataValue{{Name: "house_code", Value: "R"}}
	res := prog.Apply(Source{Record: rec})
	if res.Failed {
		t.Fatal(res.Error())
	}
	out, kept := res.Into(rec)
	if out.Get("familyName") != "O'Brien-Élodie" || out.Get("givenName") != "Ana" || out.Get("sms") != "" || out.Get("sourcedId") != "u1" {
		t.Errorf("mapped: %v", out.Values)
	}
	if !slices.Equal(kept, []string{"email"}) {
		t.Errorf("a blank value whose overwrite is off is kept from the roster: %v", kept)
	}
	if !slices.Contains(out.Metadata, roster.MetadataValue{Name: "house", Value: "Red"}) || rec.Get("sms") != "555-0100" {
		t.Errorf("metadata %v; the record read is not changed: %q", out.Metadata, rec.Get("sms"))
	}
}

func TestImportMappingsLeaveReferencesAlone(t *testing.T) {
	for _, name := range []string{"primaryOrgSourcedId", "agentSourcedIds", "sourcedId"} {
		if slices.Contains(Writable(roster.Users), name) {
			t.Errorf("%s is writable", name)
		}
	}
	if !slices.Contains(Writable(roster.Users), "familyName") || !slices.Contains(Writable(roster.Enrollments), "role") {
		t.Error("values are writable")
	}
}
