package dedupe

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDefaultsAreValidAndRoundTrip(t *testing.T) {
	d := Defaults()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Defaults as JSON): %v\n%s", err, data)
	}
	if again, _ := json.Marshal(back); string(again) != string(mustJSON(d)) {
		t.Errorf("round trip changed the defaults:\n%s\n%s", again, mustJSON(d))
	}
	var names []string
	for _, dom := range d.Domains {
		names = append(names, dom.Name+"/"+dom.Mode)
	}
	if got := strings.Join(names, ", "); got != "Master ID/unattended, Student or staff ID/manual, Name and birth date/manual, Email/manual" {
		t.Errorf("defaults %s", got)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestParseAcceptsAFileAsWritten(t *testing.T) {
	// A registrar's file: CRLF line ends, a UTF-8 BOM some editors add, a threshold given.
	data := "\ufeff{\r\n  \"domains\": [\r\n    {\"name\": \"State ID\", \"mode\": \"unattended\", \"rules\": [{\"field\": \"userMasterIdentifier\", \"compare\": \"normalized\"}]},\r\n" +
		"    {\"name\": \"Name\", \"mode\": \"manual\", \"minScore\": 0.5, \"rules\": [{\"field\": \"familyName\", \"compare\": \"fuzzy\", \"threshold\": 0.9}, {\"field\": \"birthDate\", \"compare\": \"exact\"}]}\r\n  ]\r\n}\r\n"
	c, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Domains) != 2 || c.Domains[1].Rules[0].Threshold != 0.9 || c.Domains[1].MinScore != 0.5 {
		t.Errorf("parsed %+v", c)
	}
}

func TestParseErrors(t *testing.T) {
	rule := `{"field": "email", "compare": "normalized"}`
	dom := func(name, mode, rules string) string {
		return `{"name": "` + name + `", "mode": "` + mode + `", "rules": [` + rules + `]}`
	}
	file := func(domains ...string) string { return `{"domains": [` + strings.Join(domains, ",\n") + `]}` }
	for _, c := range []struct{ name, data, want string }{
		{"unknown key", `{"domains": [{"name": "E", "mode": "manual", "rule": []}]}`, `line 1, column 46: unknown setting "rule"; a domain has name, mode, rules and minScore`},
		{"unknown key in a rule", file(dom("E", "manual", `{"field": "email", "compare": "exact", "treshold": 1}`)), `unknown setting "treshold"`},
		{"unknown field", file(dom("Email", "manual", rule), dom("Phone", "manual", `{"field": "phone", "compare": "exact"}`)),
			`domain 2 "Phone", rule 1: field "phone" is not known; use one of identifier, userMasterIdentifier, email, username, name, givenName, familyName, birthDate, sex`},
		{"unknown compare", file(dom("Email", "manual", `{"field": "email", "compare": "soundex"}`)),
			`domain 1 "Email", rule 1: compare "soundex" is not known; use exact, normalized, fuzzy or date`},
		{"date on a name", file(dom("N", "manual", `{"field": "name", "compare": "date"}`)), `domain 1 "N", rule 1: only birthDate can be compared as a date`},
		{"fuzzy birth date", file(dom("B", "manual", `{"field": "birthDate", "compare": "fuzzy"}`)), `domain 1 "B", rule 1: birthDate cannot be compared fuzzy`},
		{"bad mode", file(dom("Email", "automatic", rule)), `domain 1 "Email": mode "automatic" is not known; use "unattended" (merge automatically) or "manual" (review queue)`},
		{"no mode", file(dom("Email", "", rule)), `domain 1 "Email": mode "" is not known`},
		{"threshold above 1", file(dom("N", "manual", `{"field": "name", "compare": "fuzzy", "threshold": 88}`)), `domain 1 "N", rule 1: threshold 88 is outside 0…1`},
		{"threshold below 0", file(dom("N", "manual", `{"field": "name", "compare": "fuzzy", "threshold": -0.5}`)), `domain 1 "N", rule 1: threshold -0.5 is outside 0…1`},
		{"threshold on exact", file(dom("N", "manual", `{"field": "email", "compare": "exact", "threshold": 0.9}`)), `a threshold only applies to compare "fuzzy"`},
		{"minScore out of range", `{"domains": [{"name": "E", "mode": "manual", "minScore": 2, "rules": [` + rule + `]}]}`, `domain 1 "E": minScore 2 is outside 0…1`},
		{"no rules", file(dom("Email", "manual", "")), `domain 1 "Email" has no rules`},
		{"rules missing", `{"domains": [{"name": "Email", "mode": "manual"}]}`, `domain 1 "Email" has no rules`},
		{"duplicate names", file(dom("Email", "manual", rule), dom("email ", "manual", rule)), `domain 2 "email ": domain 1 has the same name`},
		{"no name", file(dom("", "manual", rule)), `domain 1 has no name`},
		{"empty list", `{"domains": []}`, `no domains: list at least one`},
		{"no domains key", `{}`, `no domains: list at least one`},
		{"empty file", ``, `the domains file is empty`},
		{"cut short", "{\"domains\": [\n  {\"name\": \"E\"", `line 2, column 15: the file ends before the domains do`},
		{"not JSON", "{\"domains\": [\n  {\"name\": \"E\",}\n]}", `line 2, column 16: not valid JSON`},
		{"wrong type", `{"domains": [{"name": "E", "mode": "manual", "minScore": "high", "rules": []}]}`, `line 1, column 46: minScore should be a number`},
		{"a bare list", `[` + dom("E", "manual", rule) + `]`, `line 1, column 1: the domains file should be an object {"domains": [...]}`},
		{"something after", file(dom("E", "manual", rule)) + ` {}`, `something follows the domains`},
	} {
		_, err := Parse([]byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}
