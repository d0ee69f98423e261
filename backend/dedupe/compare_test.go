package dedupe

import (
	"encoding/json"
	"strings"
	"testing"
)

// student is a typical record of one system; tests change a field or two of it.
func student(id string) Person {
	return Person{ID: id, Given: "William", Family: "Johnson", Middle: "Henry", Identifier: "S0001234", Master: "",
		Email: "wjohnson@students.example.org", Username: "wjohnson", BirthDate: "2014-05-03", Sex: "male",
		Role: "student", School: "org-0001", Grades: "04"}
}

// second is the same student as another system typed him: its own ids and address.
func second(id string, change func(p *Person)) Person {
	p := student(id)
	p.Identifier, p.Email, p.Username, p.Middle = "X77", "", "will.johnson2", ""
	if change != nil {
		change(&p)
	}
	return p
}

func evidenceOf(p Pair, field string) Evidence {
	for _, e := range p.Evidence {
		if e.Field == field {
			return e
		}
	}
	return Evidence{}
}

func TestNameTolerances(t *testing.T) {
	for _, c := range []struct {
		name                string
		leftFamily          string // of the first record when not Johnson
		given, family       string // of the second record
		pref                string
		note                string
		wantLevel, wantNote string
	}{
		{name: "accents and case", given: "WILLÍAM", family: "johnson", wantLevel: Same, wantNote: "accents"},
		{name: "case only", given: "william", family: "JOHNSON", wantLevel: Same, wantNote: "case"},
		{name: "typo in the family name", given: "William", family: "Jonhson", wantLevel: Similar, wantNote: "spelling"},
		{name: "given and family swapped", given: "Johnson", family: "William", wantLevel: Similar, wantNote: "given and family swapped"},
		{name: "nickname", given: "Bill", family: "Johnson", wantLevel: Similar, wantNote: "nickname"},
		{name: "nickname Liam", given: "Liam", family: "Johnson", wantLevel: Similar, wantNote: "nickname"},
		{name: "middle name appended", given: "William Henry", family: "Johnson", wantLevel: Similar, wantNote: "middle name appended"},
		{name: "preferred given name", given: "Kwame", family: "Johnson", pref: "William", wantLevel: Similar, wantNote: "preferred name"},
		{name: "one of two family names", given: "William", family: "Johnson Pérez", wantLevel: Similar, wantNote: "one of two family names"},
		{name: "sounds alike", leftFamily: "Phillips", given: "William", family: "Filips", wantLevel: Similar, wantNote: "sounds alike"},
		{name: "letters swapped in a short name", leftFamily: "Ali", given: "William", family: "Ail", wantLevel: Similar, wantNote: "letters swapped"},
		{name: "another person", given: "Wendy", family: "Jackson", wantLevel: Different},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := second("b", func(p *Person) { p.Given, p.Family, p.PreferredGiven = c.given, c.family, c.pref })
			a := student("a")
			if c.leftFamily != "" {
				a.Family = c.leftFamily
			}
			p, ok := Compare(a, b, Defaults())
			ev := evidenceOf(p, "name")
			if ev.Level != c.wantLevel || ev.Note != c.wantNote {
				t.Errorf("name evidence %+v, want level %s note %q", ev, c.wantLevel, c.wantNote)
			}
			if want := c.wantLevel != Different; ok != want || ok && p.Domain != "Name and birth date" {
				t.Errorf("claimed %v by %q (score %.3f), want claimed %v by Name and birth date", ok, p.Domain, p.Score, want)
			}
		})
	}
}

func TestNicknameTable(t *testing.T) {
	for _, pair := range strings.Fields("Alexander:Alex Benjamin:Ben Christopher:Chris Daniel:Dan Elizabeth:Liz Elizabeth:Beth " +
		"Elizabeth:Eliza Gabriel:Gabe Isabella:Bella Jacob:Jake Joseph:Joe Joshua:Josh Michael:Mike Nathan:Nate Samuel:Sam " +
		"Sebastian:Seb Thomas:Tom Victoria:Tori William:Will William:Bill William:Liam Valentina:Vale José:Pepe Francisco:Paco " +
		"Katherine:Kate Katherine:Katie Robert:Bob Robert:Rob Nathaniel:Nathan Guadalupe:Lupe") {
		formal, nick, _ := strings.Cut(pair, ":")
		a, b := prepare(&Person{Given: formal}), prepare(&Person{Given: nick})
		if s, note := givenSim(&a, &b); s < DefaultThreshold || note != "nickname" {
			t.Errorf("%s / %s: similarity %.3f note %q, want a nickname", formal, nick, s, note)
		}
	}
	// Names that only share a short form are different people.
	for _, pair := range [][2]string{{"Alexander", "Alexandra"}, {"Samuel", "Samantha"}, {"Christopher", "Christina"}} {
		a, b := prepare(&Person{Given: pair[0]}), prepare(&Person{Given: pair[1]})
		if _, note := givenSim(&a, &b); note == "nickname" {
			t.Errorf("%s / %s taken for nicknames of each other", pair[0], pair[1])
		}
	}
}

func TestDateTolerances(t *testing.T) {
	for _, c := range []struct {
		left, right string
		level, note string
	}{
		{"2014-05-03", "2014-05-03", Same, ""},
		{"2014-05-03", "5/3/2014", Same, "written differently"},   // M/D/YYYY
		{"2014-05-13", "13/05/2014", Same, "written differently"}, // D/M/YYYY, the first number cannot be a month
		{"2014-05-03", "2014-05-03T00:00:00Z", Same, "written differently"},
		{"2014-05-03", "20140503", Same, "written differently"},
		{"2014-05-03", "2014-03-05", Similar, "day and month transposed"},
		{"2014-05-03", "03/05/2014", Similar, "day and month transposed"}, // a D/M export read as M/D
		{"2014-05-03", "2014-05-08", Similar, "one digit off"},
		{"2014-05-03", "2015-05-03", Similar, "one digit off"},
		{"2009-12-31", "2010-12-31", Similar, "one year apart"},
		{"2014-05-03", "2014-05-11", Similar, "days apart"},
		{"2014-05-12", "2014-05-03", Similar, "days apart"},
		{"2014-05-03", "2014-05-19", Different, ""},
		{"2014-05-03", "2014-06-11", Different, ""},
		{"2014-05-03", "2016-07-03", Different, ""},
		{"2014-05-03", "2014-07-21", Different, ""},
		{"2014-05-03", "2013-05-04", Different, ""},
		{"2014-05-03", "", Missing, ""},
		{"", "", Missing, ""},
		{"unknown", "unknown", Same, ""},
	} {
		a, b := student("a"), second("b", func(p *Person) { p.BirthDate = c.right })
		a.BirthDate = c.left
		p, _ := Compare(a, b, Defaults())
		if ev := evidenceOf(p, "birthDate"); ev.Level != c.level || ev.Note != c.note {
			t.Errorf("%q vs %q: %+v, want level %s note %q", c.left, c.right, ev, c.level, c.note)
		}
		// The name-and-date domain tolerates exactly the dates that are not different.
		onlyDate := Config{Domains: []Domain{{Name: "d", Mode: Manual, Rules: []Rule{{Field: "birthDate", Compare: Date}}}}}
		if _, ok := Compare(a, b, onlyDate); ok != (c.level == Same || c.level == Similar) {
			t.Errorf("%q vs %q: date rule agrees %v", c.left, c.right, ok)
		}
	}
}

func TestBlankNeverMatches(t *testing.T) {
	for _, field := range fields {
		for _, compare := range []string{Exact, Normalized, Fuzzy, Date} {
			r := Rule{Field: field, Compare: compare}
			if r.validate() != nil {
				continue
			}
			cfg := Config{Domains: []Domain{{Name: "d", Mode: Manual, Rules: []Rule{r}}}}
			empty := Person{ID: "a", Role: "student"}
			if p, ok := Compare(empty, Person{ID: "b", Role: "student"}, cfg); ok {
				t.Errorf("%s %s: two blank records claimed: %+v", field, compare, p)
			}
		}
	}
	a, b := Person{ID: "a", Role: "student"}, Person{ID: "b", Role: "student"}
	p, _ := Compare(a, b, Defaults())
	for _, e := range p.Evidence {
		if e.Level != Missing || e.Weight != 0 {
			t.Errorf("blank %s: %+v, want missing with no weight", e.Field, e)
		}
	}
}

func TestStudentNeverPairedWithAdult(t *testing.T) {
	a := student("a")
	for _, role := range []string{"teacher", "guardian", "parent", "administrator", "aide", ""} {
		b := a
		b.ID, b.Role = "b", role
		if p, ok := Compare(a, b, Defaults()); ok {
			t.Errorf("student paired with %q: %+v", role, p)
		}
	}
	t1, t2 := a, a
	t1.Role, t2.Role, t2.ID = "teacher", "administrator", "b"
	if _, ok := Compare(t1, t2, Defaults()); !ok {
		t.Error("a teacher and an administrator with the same master id were not paired")
	}
}

func TestDomainPriority(t *testing.T) {
	a := student("a")
	a.Master = "SM1"
	for _, c := range []struct {
		name   string
		change func(p *Person)
		domain string
		unatt  bool
	}{
		{"same master id claims first", func(p *Person) { p.Master = "SM1" }, "Master ID", true},
		{"same student id, padded differently", func(p *Person) { p.Identifier = "s-1234" }, "Student or staff ID", false},
		{"name and birth date", nil, "Name and birth date", false},
		{"only the e-mail address", func(p *Person) {
			p.Given, p.Family, p.BirthDate, p.Email = "Will", "Jonson", "", "WJohnson@Students.Example.org"
		}, "Email", false},
	} {
		b := second("b", c.change)
		p, ok := Compare(a, b, Defaults())
		if !ok || p.Domain != c.domain || p.Unattended != c.unatt {
			t.Errorf("%s: claimed %v by %q (unattended %v, score %.3f), want %q", c.name, ok, p.Domain, p.Unattended, p.Score, c.domain)
		}
	}
	// The order of the list decides, not the order of the defaults.
	cfg := Defaults()
	cfg.Domains[0], cfg.Domains[2] = cfg.Domains[2], cfg.Domains[0]
	if p, _ := Compare(a, second("b", func(p *Person) { p.Master = "SM1" }), cfg); p.Domain != "Name and birth date" {
		t.Errorf("reordered: claimed by %q", p.Domain)
	}
}

// A different id from a second system lowers the score a little; it does not decide.
func TestSecondSystemIDDoesNotSinkAPair(t *testing.T) {
	a := student("a")
	same, _ := Compare(a, second("b", func(p *Person) { p.Identifier = a.Identifier }), Defaults())
	other, ok := Compare(a, second("b", nil), Defaults())
	if !ok || other.Score < 0.9 {
		t.Fatalf("a pair differing in ids only: claimed %v score %.3f", ok, other.Score)
	}
	if w := evidenceOf(other, "identifier").Weight; w >= 0 || w < -1.5 {
		t.Errorf("a different identifier weighs %.3f, want a mild disagreement", w)
	}
	if same.Score <= other.Score {
		t.Errorf("an equal id does not raise the score: %.3f vs %.3f", same.Score, other.Score)
	}
}

// Different people who share a name and a birth date differ in what duplicates share.
func TestNameAndDateAloneAreNotEnough(t *testing.T) {
	a := student("a")
	a.Master = "SM1"
	b := student("b")
	b.Identifier, b.Master, b.Email, b.Username, b.School, b.Middle = "S0009999", "SM2", "wjohnson9@students.example.org", "wjohnson9", "org-0007", "Lee"
	if p, ok := Compare(a, b, Defaults()); ok {
		t.Errorf("two students with the same name and birth date in different schools paired: score %.3f", p.Score)
	}
}

func TestEvidenceOrderAndOrientation(t *testing.T) {
	p, _ := Compare(second("z", nil), student("a"), Defaults())
	if p.Left != "a" || p.Right != "z" {
		t.Fatalf("left %q right %q, want a < z", p.Left, p.Right)
	}
	var got []string
	for _, e := range p.Evidence {
		got = append(got, e.Field)
	}
	if want := "name middleName birthDate sex identifier userMasterIdentifier email username school grades"; strings.Join(got, " ") != want {
		t.Errorf("evidence fields %v, want %s", got, want)
	}
	if id := evidenceOf(p, "identifier"); id.Left != "S0001234" || id.Right != "X77" {
		t.Errorf("identifier evidence not oriented with the pair: %+v", id)
	}
	lead := Person{ID: "a", Identifier: "001234", Role: "student"}
	q, _ := Compare(lead, Person{ID: "b", Identifier: "1234", Role: "student"}, Defaults())
	if id := evidenceOf(q, "identifier"); id.Level != Same || id.Note != "leading zeros" {
		t.Errorf("padded ids: %+v", id)
	}
}

func TestMiddleName(t *testing.T) {
	for _, c := range []struct{ left, right, level, note string }{
		{"Henry", "H.", Similar, "initial"},
		{"Henry", "HENRY", Same, "case"},
		{"Henry", "Sofía", Different, ""},
		{"Henry", "", Missing, ""},
	} {
		a, b := student("a"), student("b")
		a.Middle, b.Middle = c.left, c.right
		p, _ := Compare(a, b, Defaults())
		if ev := evidenceOf(p, "middleName"); ev.Level != c.level || ev.Note != c.note {
			t.Errorf("%q vs %q: %+v, want %s %q", c.left, c.right, ev, c.level, c.note)
		}
	}
}

// The window and `duplicates show --json` read pairs in this shape.
func TestPairJSON(t *testing.T) {
	p, _ := Compare(student("a"), second("b", nil), Defaults())
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"left":"a","right":"b","domain":"Name and birth date","unattended":false,"score":`,
		`"evidence":[{"field":"name","left":"William Johnson","right":"William Johnson","similarity":1,"level":"same","weight":13.14}`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON %s\nlacks %s", data, want)
		}
	}
}
