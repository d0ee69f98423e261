package mapping

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// issueExample is the CLI file of the issue, as a registrar would save it (CRLF, indented).
const issueExample = "{\r\n  \"entity\": \"users\",\r\n  \"fields\": [\r\n" +
	"    {\"to\": \"student_number\", \"type\": \"direct\", \"from\": \"identifier\", \"key\": true},\r\n" +
	"    {\"to\": \"last_name\", \"type\": \"transformation\", \"expr\": \"upper(familyName)\"},\r\n" +
	"    {\"to\": \"gender\", \"type\": \"codes\", \"from\": \"demographics.sex\", \"codes\": {\"female\": \"F\", \"male\": \"M\"},\r\n" +
	"     \"unmatched\": \"default\", \"default\": \"U\"},\r\n" +
	"    {\"to\": \"email\", \"type\": \"none\", \"from\": \"email\"}\r\n  ]\r\n}\r\n"

func record(e roster.Entity, values map[string]string) *roster.Record {
	r := roster.NewRecord(e)
	for k, v := range values {
		r.Set(k, v)
	}
	return &r
}

// student is a user with demographics, a school, two roles and an extension column.
func student() Source {
	u := record(roster.Users, map[string]string{
		"sourcedId": "u1", "givenName": "élodie", "familyName": "o'brien", "identifier": "12345",
		"email": "elodie@school.org", "grades": "09,10", "primaryOrgSourcedId": "s1",
	})
	u.Metadata = []roster.MetadataValue{{Name: "homeLanguage", Value: "fr"}}
	return Source{
		Record:       *u,
		Demographics: record(roster.Demographics, map[string]string{"sourcedId": "u1", "sex": "female", "birthDate": "2011-03-07"}),
		School:       record(roster.Orgs, map[string]string{"sourcedId": "s1", "name": "Lincoln High", "type": "school", "identifier": "LHS"}),
		Roles: []roster.Record{
			*record(roster.Roles, map[string]string{"role": "aide", "roleType": "secondary", "orgSourcedId": "s2"}),
			*record(roster.Roles, map[string]string{"role": "student", "roleType": "primary", "orgSourcedId": "s1"}),
		},
	}
}

func TestParseIssueExample(t *testing.T) {
	m, err := Parse([]byte("\uFEFF" + issueExample))
	if err != nil {
		t.Fatal(err)
	}
	want := Mapping{Entity: "users", Fields: []Field{
		{To: "student_number", Type: Direct, From: "identifier", Key: true},
		{To: "last_name", Type: Transformation, Expr: "upper(familyName)"},
		{To: "gender", Type: Codes, From: "demographics.sex", Codes: CodeTable{{"female", "F"}, {"male", "M"}}, Unmatched: UnmatchedDefault, Default: "U"},
		{To: "email", Type: None, From: "email"},
	}}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("Parse = %+v\nwant %+v", m, want)
	}
	if p := Check(m); len(p) != 0 {
		t.Fatalf("Check = %v", p)
	}
	prog, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	r := prog.Apply(student())
	if got, want := string(r.Payload(false)), `{"student_number":"12345","last_name":"O'BRIEN","gender":"F"}`; got != want || r.Key != "12345" || r.Failed {
		t.Fatalf("payload %s key %q failed %v, want %s", got, r.Key, r.Failed, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"bad JSON", "{\r\n  \"entity\": \"users\",\r\n  \"fields\": [\r\n    {\"to\": \"a\" \"type\": \"direct\"}\r\n  ]\r\n}", "line 4, column 17: this is not valid JSON"},
		{"unknown key", "{\"entity\": \"users\",\n \"fields\": [{\"to\": \"a\", \"typ\": \"direct\"}]}", `line 2, column 25: "typ" is not a mapping key`},
		{"wrong type", "{\"entity\": \"users\", \"fields\": [{\"to\": \"a\", \"key\": \"yes\"}]}", `line 1, column 56: the value just before must be true or false for "key", not text`},
		{"codes not strings", "{\"entity\": \"users\", \"fields\": [{\"to\": \"a\", \"codes\": {\"female\": 1}}]}", `the code for "female" must be text in quotes`},
		{"empty", "", "the mapping file is empty"},
		{"unknown top-level key", "{\"entity\": \"users\", \"feilds\": []}", `line 1, column 21: "feilds" is not a mapping key. A mapping has entity and fields`},
		{"two objects", "{\"entity\": \"users\", \"fields\": []}\n{}", "line 2, column 1: there is more after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCodeTableKeepsFileOrder(t *testing.T) {
	in := `{"z":"1","a":"2","Female ":"F","":"U","m":"M"}`
	var table CodeTable
	if err := json.Unmarshal([]byte(in), &table); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(table)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Fatalf("round trip = %s, want %s", out, in)
	}
	f, _ := json.Marshal(Field{To: "g", Type: Codes, Codes: CodeTable{{"b", "<&>"}, {"a", "1"}}})
	if want := `{"to":"g","type":"codes","codes":{"b":"\u003c\u0026\u003e","a":"1"}}`; string(f) != want {
		t.Fatalf("field = %s, want %s", f, want)
	}
}

func TestDefaultAndReadable(t *testing.T) {
	m := Default(roster.Users)
	if m.Entity != "users" || !reflect.DeepEqual(m.Fields[0], Field{To: "sourcedId", Type: Direct, From: "sourcedId", Key: true}) {
		t.Fatalf("Default starts %+v", m.Fields[0])
	}
	for _, f := range m.Fields {
		if f.To == "password" {
			t.Fatal("Default maps the password")
		}
	}
	if p := Check(m); len(p) != 0 {
		t.Fatalf("Check(Default) = %v", p)
	}
	for _, e := range roster.Entities {
		if p := Check(Default(e)); len(p) != 0 {
			t.Errorf("Check(Default(%s)) = %v", e, p)
		}
	}
	users := strings.Join(Readable(roster.Users), " ")
	for _, want := range []string{"familyName", " role ", " roles ", "demographics.sex", "school.name"} {
		if !strings.Contains(" "+users+" ", want) {
			t.Errorf("Readable(users) lacks %q", want)
		}
	}
	if strings.Contains(users, "demographics.sourcedId") || strings.Contains(users, "course.") {
		t.Errorf("Readable(users) = %s", users)
	}
	classes := strings.Join(Readable(roster.Classes), " ")
	for _, want := range []string{"title", "course.courseCode", "school.name", "terms"} {
		if !strings.Contains(classes, want) {
			t.Errorf("Readable(classes) lacks %q", want)
		}
	}
}
