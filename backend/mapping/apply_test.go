package mapping

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func compile(t testing.TB, e roster.Entity, fields ...Field) *Program {
	t.Helper()
	fields = append([]Field{{To: "id", Type: Direct, From: "sourcedId", Key: true}}, fields...)
	p, err := Compile(Mapping{Entity: string(e), Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// one maps src with a single field (after the key) and returns that field's value.
func one(t *testing.T, src Source, f Field) Value {
	t.Helper()
	e := src.Record.Entity
	r := compile(t, e, f).Apply(src)
	if len(r.Values) != 2 || r.Values[0].Value != src.Record.SourcedID() {
		t.Fatalf("Apply = %+v", r)
	}
	if r.Failed != (r.Values[1].Error != "") {
		t.Fatalf("Failed = %v with %+v", r.Failed, r.Values[1])
	}
	return r.Values[1]
}

func TestDirect(t *testing.T) {
	bare := Source{Record: *record(roster.Users, map[string]string{"sourcedId": "u2", "givenName": "Ana"})}
	for _, tc := range []struct {
		from string
		src  Source
		want string
	}{
		{"givenName", student(), "élodie"},
		{"grades", student(), "09,10"},
		{"role", student(), "student"}, // the primary role, not the first
		{"roles", student(), "aide,student"},
		{"demographics.sex", student(), "female"},
		{"school.name", student(), "Lincoln High"},
		{"metadata.homeLanguage", student(), "fr"},
		{"metadata.missing", student(), ""},
		// A user without relatives reads blank, never an error.
		{"demographics.sex", bare, ""},
		{"school.name", bare, ""},
		{"roles", bare, ""},
		{"role", bare, ""},
	} {
		v := one(t, tc.src, Field{To: "x", Type: Direct, From: tc.from})
		if v.Value != tc.want || v.Error != "" {
			t.Errorf("direct %s = %+v, want %q", tc.from, v, tc.want)
		}
	}
	// The first role when none is primary.
	src := student()
	src.Roles = src.Roles[:1]
	if v := one(t, src, Field{To: "x", Type: Direct, From: "role"}); v.Value != "aide" {
		t.Errorf("role without a primary = %v", v.Value)
	}
}

func class() Source {
	return Source{
		Record: *record(roster.Classes, map[string]string{"sourcedId": "c1", "title": "Algebra I - P3", "classCode": "ALG1-3"}),
		Course: record(roster.Courses, map[string]string{"sourcedId": "k1", "title": "Algebra I", "courseCode": "MATH101"}),
		School: record(roster.Orgs, map[string]string{"sourcedId": "s1", "name": "Lincoln High"}),
		Terms: []roster.Record{
			*record(roster.AcademicSessions, map[string]string{"sourcedId": "t1", "title": "Fall 2026", "type": "semester", "startDate": "2026-08-20", "schoolYear": "2027"}),
			*record(roster.AcademicSessions, map[string]string{"sourcedId": "t2", "title": "Spring 2027", "type": "semester", "schoolYear": "2027"}),
		},
	}
}

func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		f    Field
		want any
	}{
		{Field{Type: Direct, From: "course.courseCode"}, "MATH101"},
		{Field{Type: Direct, From: "terms"}, "Fall 2026,Spring 2027"},
		{Field{Type: Transformation, Expr: `course.courseCode + "-" + school.name`}, "MATH101-Lincoln High"},
		{Field{Type: Transformation, Expr: `terms[0].startDate`}, "2026-08-20"},
		{Field{Type: Transformation, Expr: `join(map(terms, .title), " / ")`}, "Fall 2026 / Spring 2027"},
		{Field{Type: Transformation, Expr: `len(terms)`}, 2},
	} {
		tc.f.To = "x"
		if v := one(t, class(), tc.f); !reflect.DeepEqual(v.Value, tc.want) || v.Error != "" {
			t.Errorf("%s%s = %+v, want %v", tc.f.From, tc.f.Expr, v, tc.want)
		}
	}
}

func TestCodes(t *testing.T) {
	table := CodeTable{{"female", "F"}, {"male", "M"}, {"Not Specified", "X"}}
	for _, tc := range []struct {
		name, sex, unmatched, def string
		codes                     CodeTable
		want, err                 string
	}{
		{"exact", "female", "", "", table, "F", ""},
		{"case and spaces", " FEMALE ", "", "", table, "F", ""},
		{"inner spaces", "notspecified", "", "", table, "X", ""},
		{"unmatched blank", "other", UnmatchedBlank, "", table, "", ""},
		{"unmatched default", "other", UnmatchedDefault, "U", table, "U", ""},
		{"unmatched fail", "other", UnmatchedFail, "", table, "", `gender: no code for "other" (the code table has female, male, Not Specified)`},
		{"blank stays blank", "", UnmatchedFail, "", table, "", ""},
		{"blank with a row for blank", "", UnmatchedFail, "", append(CodeTable{{"", "U"}}, table...), "U", ""},
		{"exact wins over loose", "Male", "", "", CodeTable{{"male", "m"}, {"Male", "M"}}[1:], "M", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := student()
			src.Demographics.Set("sex", tc.sex)
			v := one(t, src, Field{To: "gender", Type: Codes, From: "demographics.sex", Codes: tc.codes, Unmatched: tc.unmatched, Default: tc.def})
			if tc.err != "" {
				if v.Error != tc.err || v.Value != nil {
					t.Fatalf("value %+v, want error %q", v, tc.err)
				}
				return
			}
			if v.Value != tc.want || v.Error != "" {
				t.Fatalf("value %+v, want %q", v, tc.want)
			}
		})
	}
}

func TestTransformations(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want any
	}{
		{`upper(familyName) + ", " + title(givenName)`, "O'BRIEN, Élodie"},
		{`title("ÉLODIE o'brien-SMITH d'angelo don't")`, "Élodie O'Brien-Smith D'Angelo Don't"},
		{`lower("ÉLODIE")`, "élodie"},
		{`trim("  7 \t")`, "7"},
		{`substr("Élodie", 0, 3)`, "Élo"},
		{`substr("Élodie", 4, 100)`, "ie"},
		{`substr("Élodie", -5, 2)`, "Él"},
		{`substr("Élodie", 99, 2)`, ""},
		{`substr("Élodie", 2, -1)`, ""},
		{`substr("Élodie", 1, 9223372036854775807)`, "lodie"},
		{`replace("(555) 123-4567", "[^0-9]", "")`, "5551234567"},
		{`replace("o'brien, élodie", "^(\\S+), (\\S+)$", "$2 $1")`, "élodie o'brien"},
		{`padLeft(identifier, 8, "0")`, "00012345"},
		{`padLeft("123456789", 4, "0")`, "123456789"},
		{`padLeft("7", 5, "ab")`, "abab7"},
		{`padLeft("7", 3, "")`, "7"},
		{`coalesce(middleName, " ", preferredGivenName, givenName)`, "élodie"},
		{`coalesce(middleName, "")`, ""},
		{`default(demographics.cityOfBirth, "unknown")`, "unknown"},
		{`default(demographics.sex, "unknown")`, "female"},
		{`split(grades, ",")`, []string{"09", "10"}},
		{`split(middleName, ",")`, []string{}},
		{`join(split(grades, ","), ";")`, "09;10"},
		{`join(map(roles, .role), "|")`, "aide|student"},
		{`formatDate(demographics.birthDate, "MM/DD/YYYY")`, "03/07/2011"},
		{`formatDate(demographics.birthDate, "M/D/YY")`, "3/7/11"},
		{`formatDate("2026-01-05T14:30:00.000Z", "YYYY.MM.DD")`, "2026.01.05"},
		{`formatDate(demographics.cityOfBirth, "MM/DD/YYYY")`, ""},
		{`role`, "student"},
		{`filter(roles, .roleType == "primary")[0].orgSourcedId`, "s1"},
		{`metadata.homeLanguage == "fr" ? "French" : "Other"`, "French"},
		{`metadata["no-such-column"]`, ""},
		{`school.identifier + padLeft(identifier, 7, "0")`, "LHS0012345"},
		{`len(givenName)`, 6},
		{`demographics.sex == "female"`, true},
		{`nil`, nil},
		{`[familyName, 1]`, []any{"o'brien", 1}},
		{`let n = upper(familyName); n + n`, "O'BRIENO'BRIEN"},
		// A map used whole has every readable key; one used by name only its named keys (an optimisation
		// that must not show).
		{`sort(keys(demographics))[0:3]`, []any{"americanIndianOrAlaskaNative", "asian", "birthDate"}},
		{`len(keys(demographics)) + len(keys(school))`, 13 + 7},
		{`$env["familyName"] + $env.school.name`, "o'brienLincoln High"},
	} {
		v := one(t, student(), Field{To: "x", Type: Transformation, Expr: tc.expr})
		if !reflect.DeepEqual(v.Value, tc.want) || v.Error != "" {
			t.Errorf("%s = %#v (%s), want %#v", tc.expr, v.Value, v.Error, tc.want)
		}
	}
}

func TestTransformationFailures(t *testing.T) {
	for _, tc := range []struct{ expr, err string }{
		{`formatDate("1/05/2023", "MM/DD/YYYY")`, `x: "1/05/2023" is not a date formatDate can read: write dates as YYYY-MM-DD`},
		{`formatDate(givenName, "YYYY")`, `x: "élodie" is not a date formatDate can read`},
		{`replace(familyName, givenName + "(", "")`, `x: "élodie(" is not a regular expression: missing closing )`},
		{`split(familyName, "")`, `x: split needs a separator`},
		{`roles[5].role`, `x: index out of range: 5`},
		{`1.0 / 0`, `x: the expression made a number that is not a number`},
	} {
		v := one(t, student(), Field{To: "x", Type: Transformation, Expr: tc.expr})
		if v.Value != nil || !strings.HasPrefix(v.Error, tc.err) {
			t.Errorf("%s = %#v, error %q, want %q", tc.expr, v.Value, v.Error, tc.err)
		}
	}
}

func TestPayloadOverwrite(t *testing.T) {
	off := false
	p := compile(t, roster.Users,
		Field{To: "middle", Type: Direct, From: "middleName", Overwrite: &off},
		Field{To: "email", Type: Direct, From: "email", Overwrite: &off},
		Field{To: "phone", Type: Direct, From: "phone"},
		Field{To: "nick", Type: Transformation, Expr: "nil", Overwrite: &off},
		Field{To: "note", Type: Transformation, Expr: `"a \"quoted\" <b> & ünïcode"`},
		Field{To: "skip", Type: None, From: "sms"},
	)
	r := p.Apply(student())
	if got, want := string(r.Payload(false)), `{"id":"u1","middle":"","email":"elodie@school.org","phone":"","nick":null,"note":"a \"quoted\" <b> & ünïcode"}`; got != want {
		t.Errorf("Payload(false) = %s\nwant %s", got, want)
	}
	// An update leaves out the blank values of fields that must not overwrite; phone overwrites.
	if got, want := string(r.Payload(true)), `{"id":"u1","email":"elodie@school.org","phone":"","note":"a \"quoted\" <b> & ünïcode"}`; got != want {
		t.Errorf("Payload(true) = %s\nwant %s", got, want)
	}
}

// Payload writes text as encoding/json reads it back: every control character, quote and backslash,
// the JavaScript line ends, and bytes that are not UTF-8 (as U+FFFD).
func TestPayloadEscapes(t *testing.T) {
	var all strings.Builder
	for c := range 0x80 {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{all.String(), "\u2028 \u2029 é 😀", "bad \xff\xfe end"} {
		r := Result{Values: []Value{{To: "k\"\x01", Value: s}}}
		var back map[string]string
		if err := json.Unmarshal(r.Payload(false), &back); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var want string
		std, _ := json.Marshal(s)
		if err := json.Unmarshal(std, &want); err != nil || back["k\"\x01"] != want {
			t.Errorf("%q came back %q", want, back["k\"\x01"])
		}
	}
}

func TestResultError(t *testing.T) {
	p := compile(t, roster.Users,
		Field{To: "gender", Type: Codes, From: "givenName", Codes: CodeTable{{"a", "b"}}, Unmatched: UnmatchedFail},
		Field{To: "ok", Type: Direct, From: "familyName"},
		Field{To: "born", Type: Transformation, Expr: `formatDate(familyName, "YYYY")`},
	)
	r := p.Apply(student())
	want := `gender: no code for "élodie" (the code table has a); born: "o'brien" is not a date formatDate can read: write dates as YYYY-MM-DD`
	if !r.Failed || r.Error() != want || r.Values[2].Value != "o'brien" {
		t.Fatalf("Failed %v, Error() = %q\nwant %q", r.Failed, r.Error(), want)
	}
	if r := compile(t, roster.Users).Apply(student()); r.Failed || r.Error() != "" || r.Key != "u1" {
		t.Fatalf("a clean record: %+v", r)
	}
}

func TestBlankKeyFails(t *testing.T) {
	p, err := Compile(Mapping{Entity: "users", Fields: []Field{{To: "student_number", Type: Direct, From: "identifier", Key: true}}})
	if err != nil {
		t.Fatal(err)
	}
	src := student()
	src.Record.Set("identifier", " ")
	r := p.Apply(src)
	if want := "student_number: the key is blank, so the target cannot tell which record this is"; !r.Failed || r.Key != "" || r.Error() != want {
		t.Fatalf("Apply = %+v, error %q", r, r.Error())
	}
}

func TestCheckProblems(t *testing.T) {
	key := Field{To: "id", Type: Direct, From: "sourcedId", Key: true}
	for _, tc := range []struct {
		name string
		m    Mapping
		want []Problem
	}{
		{"unknown entity", Mapping{Entity: "students", Fields: []Field{key}},
			[]Problem{{Field: -1, Message: `"students" is not an entity a mapping can be for. Use one of orgs, academicSessions, courses, classes, users, roles, demographics, enrollments`}}},
		{"no fields", Mapping{Entity: "users"}, []Problem{{Field: -1, Message: "the mapping has no fields. Add the target fields to send"}}},
		{"names", Mapping{Entity: "users", Fields: []Field{key, {To: " ", Type: Direct, From: "email"}, {To: "id", Type: Direct, From: "email"}}},
			[]Problem{{Field: 1, To: " ", Message: "the target field has no name. Type the name the target system uses for it"},
				{Field: 2, To: "id", Message: "the target field id is already mapped by field 1. Give each target field one row"}}},
		{"type", Mapping{Entity: "users", Fields: []Field{key, {To: "a", Type: "copy", From: "email"}}},
			[]Problem{{Field: 1, To: "a", Message: `"copy" is not a mapping type. Use none, direct, codes or transformation`}}},
		{"unreadable from", Mapping{Entity: "users", Fields: []Field{key, {To: "a", Type: Direct, From: "familyname"}, {To: "b", Type: Direct, From: "demographics.gender"}, {To: "c", Type: Direct, From: "course.title"}, {To: "d", Type: Codes}}},
			[]Problem{{Field: 1, To: "a", Message: `a reads "familyname", which a users mapping cannot read. Did you mean familyName?`},
				{Field: 2, To: "b", Message: `b reads "demographics.gender", which a users mapping cannot read. Did you mean demographics.sex?`},
				{Field: 3, To: "c", Message: `c reads "course.title", which a users mapping cannot read. Pick one from the list of fields this mapping can read`},
				{Field: 4, To: "d", Message: "d has no source field. Pick the roster field it reads"}}},
		{"codes", Mapping{Entity: "users", Fields: []Field{key, {To: "g", Type: Codes, From: "demographics.sex", Unmatched: "skip", Codes: CodeTable{{"female", "F"}, {"Female", "W"}, {" ", "X"}, {"", ""}}}, {To: "h", Type: Codes, From: "email"}}},
			[]Problem{{Field: 1, To: "g", Message: `"skip" is not a choice for an unmatched value. Use default, blank or fail`},
				{Field: 1, To: "g", Message: `rows 1 and 2 of the code table both match "Female". Keep one of the two rows`},
				{Field: 1, To: "g", Message: "row 3 of the code table has only spaces as its source value. Type the source value, or clear the cell to match a blank value"},
				{Field: 1, To: "g", Message: "row 4 of the code table is blank. Type a source value and what to send for it, or remove the row"},
				{Field: 2, To: "h", Message: "h matches codes but its code table is empty. Add a row for each source value, like female → F"}}},
		{"keys", Mapping{Entity: "users", Fields: []Field{{To: "a", Type: None, From: "email", Key: true}, {To: "b", Type: Direct, From: "email", Key: true}}},
			[]Problem{{Field: 0, To: "a", Message: "a is the key field but is set to Do Not Map. The key must be sent: map it, or make another field the key"},
				{Field: -1, Message: "2 fields are marked as the key. Only one field may identify the record at the target"}}},
		{"no key", Mapping{Entity: "users", Fields: []Field{{To: "a", Type: Direct, From: "email"}}},
			[]Problem{{Field: -1, Message: "no field is the key. Mark the field that identifies the record at the target (for example its student number) as the key"}}},
		{"expressions", Mapping{Entity: "users", Fields: []Field{key,
			{To: "a", Type: Transformation, Expr: "upper(famlyName)"},
			{To: "b", Type: Transformation, Expr: "trim(givenName) +\n  uper(familyName)"},
			{To: "c", Type: Transformation, Expr: "demographics.sexx"},
			{To: "d", Type: Transformation, Expr: "upper(familyName"},
			{To: "e", Type: Transformation, Expr: `replace(familyName, "[a-", "")`},
			{To: "f", Type: Transformation, Expr: "familyName + 1"},
			{To: "g", Type: Transformation, Expr: " "},
			{To: "h", Type: Transformation, Expr: "repeat(familyName, 1000000)"},
			{To: "i", Type: Transformation, Expr: "substr(familyName, \"1\", 2)"},
			{To: "j", Type: Transformation, Expr: strings.Repeat("x", 2001)},
		}}, []Problem{
			{Field: 1, To: "a", Line: 1, Column: 7, Message: "famlyName is not a field or helper this mapping can read. Did you mean familyName?"},
			{Field: 2, To: "b", Line: 2, Column: 3, Message: "uper is not a field or helper this mapping can read. Did you mean upper?"},
			{Field: 3, To: "c", Line: 1, Column: 14, Message: "sexx is not a field or helper this mapping can read. Did you mean demographics.sex?"},
			{Field: 4, To: "d", Line: 1, Column: 16, Message: "the expression ends too soon: a closing bracket or quote may be missing"},
			{Field: 5, To: "e", Line: 1, Column: 21, Message: `"[a-" is not a regular expression: missing closing ]`},
			{Field: 6, To: "f", Line: 1, Column: 12, Message: "invalid operation: + (mismatched types string and int)"},
			{Field: 7, To: "g", Message: "the transformation has no expression. Write one, for example upper(familyName)"},
			{Field: 8, To: "h", Line: 1, Column: 1, Message: "repeat is not available in a mapping, because it can make values too large to send or changes from run to run. Use the helpers listed"},
			{Field: 9, To: "i", Line: 1, Column: 20, Message: "cannot use string as argument (type int) to call substr"},
			{Field: 10, To: "j", Message: "the expression is 2001 characters long; the most is 2000. Split the work over simpler fields"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(tc.m)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Check =\n%s\nwant\n%s", dump(got), dump(tc.want))
			}
			if _, err := Compile(tc.m); err == nil || !strings.Contains(err.Error(), tc.want[0].Message) {
				t.Errorf("Compile error %v", err)
			}
		})
	}
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

// Hostile expressions are refused when saved or fail fast on the record, never running away.
func TestHostileExpressions(t *testing.T) {
	for _, tc := range []struct{ expr, err string }{
		{`1..100000000`, "the expression made lists of more than 10000 items in all"},
		{`map(1..5000, map(1..5000, #))`, "the expression made lists of more than 10000 items in all"},
		{`let a = padLeft("", 60000, "x"); a + a`, "the expression made a text longer than 64 KB"},
		{`let a = familyName + familyName; let b = a + a; let c = b + b; let d = c + c; let e = d + d; let f = e + e; let g = f + f; let h = g + g; let i = h + h; let j = i + i; let k = j + j; let l = k + k; let m = l + l; let n = m + m; n + n`, "the expression made a text longer than 64 KB"},
		{`padLeft("", 100000000, "x")`, "padLeft to 100000000 characters is more than the 65536 allowed"},
		// Loops over a list made once: expr's memory budget does not see them, the work budget does.
		{`let r = map(1..2000, # + len(familyName)); count(r, count(r, count(r, # > 1) > #) > #)`, "the expression does too much work for one record (too many items or too much text)"},
		{`let r = 1..9000; count(r, true) + count(r, true)`, "the expression does too much work for one record (too many items or too much text)"},
		{`let s = padLeft("", 65536, "a"); count(split(s, "a"), # == "")`, "the expression does too much work for one record (too many items or too much text)"},
		{`let s = padLeft("", 65536, "a"); count(1..300, len(upper(s)) > 0)`, "the expression does too much work for one record (too many items or too much text)"},
		{`replace(padLeft("", 60000, "x"), "x", "$0$0")`, "the expression made a text longer than 64 KB"},
		{`join(map(1..4000, padLeft("", 60, "x")), ",")`, "the expression made a text longer than 64 KB"},
		{`map(1..4000, padLeft("", 60, "x"))`, "the expression made a text longer than 64 KB"},
		{`toJSON(map(1..4000, padLeft("", 60, "x")))`, "the expression made a text longer than 64 KB"},
	} {
		start := time.Now()
		v := one(t, student(), Field{To: "x", Type: Transformation, Expr: tc.expr})
		if v.Error != "x: "+tc.err {
			t.Errorf("%s = %.40v, error %q, want %q", tc.expr, v.Value, v.Error, tc.err)
		}
		// Each takes milliseconds (a second under the race detector); a runaway one takes minutes.
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", tc.expr, d)
		}
	}
	deep := strings.Repeat("-", 1999) + "1" // more nodes than expr's MaxNodes
	for _, expr := range []string{`repeat("x", 100000000)`, `reduce(1..10, #acc + #acc, "x")`, `now()`, deep, strings.Repeat("1+", 999) + "1", `groupBy(roles, .role)`} {
		if ps := Check(Mapping{Entity: "users", Fields: []Field{{To: "id", Type: Transformation, Expr: expr, Key: true}}}); len(ps) == 0 {
			t.Errorf("%.40s… was accepted", expr)
		}
	}
}

// Every helper is documented with an example that a users mapping accepts as written.
func TestHelpersDocumented(t *testing.T) {
	hs := Helpers()
	if len(hs) != len(helpers) {
		t.Fatalf("%d helpers documented of %d", len(hs), len(helpers))
	}
	for _, h := range hs {
		expr, result, ok := strings.Cut(h.Example, " → ")
		if h.Name == "" || h.Help == "" || !strings.HasPrefix(h.Signature, h.Name+"(") || !ok || result == "" || !strings.Contains(expr, h.Name+"(") {
			t.Errorf("helper %+v", h)
			continue
		}
		m := Mapping{Entity: "users", Fields: []Field{{To: "x", Type: Transformation, Expr: expr, Key: true}}}
		if ps := Check(m); len(ps) != 0 {
			t.Errorf("example of %s: %v", h.Name, ps)
		}
	}
}

// replace refuses a result past maxText before making it: "$0" repeated in the replacement would
// otherwise build megabytes for every record.
func TestReplaceStopsBeforeGrowing(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := replace(strings.Repeat("x", 60000), "x", strings.Repeat("$0", 500))
	runtime.ReadMemStats(&after)
	if err != errTooLong {
		t.Fatalf("error %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 { // finding the 60,000 matches takes ~8 MB; expanding them all, 160
		t.Fatalf("replace allocated %d MB before refusing", grew>>20)
	}
}
