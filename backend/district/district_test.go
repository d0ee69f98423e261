package district

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func generate(t *testing.T, opts Options) ([]byte, Summary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := Generate(context.Background(), &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), sum
}

// read parses a generated district with the project's own reader.
func read(t *testing.T, data []byte) (*oneroster.Report, []roster.Record) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "district.zip")
	os.WriteFile(path, data, 0o600)
	pkg, err := oneroster.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pkg.Close()
	var recs []roster.Record
	rep, err := pkg.Read(context.Background(), func(r roster.Record) error { recs = append(recs, r); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep, recs
}

// With GUIDs every id and every reference is GUID-shaped, the references still meet, and the ids of
// a file come in no order.
func TestGUIDs(t *testing.T) {
	for _, version := range []string{"1.1", "1.2"} {
		data, _ := generate(t, Options{Students: 600, Version: version, Seed: 3, GUIDs: true})
		rep, recs := read(t, data)
		if len(rep.Findings) != 0 {
			t.Fatalf("%s: findings with GUIDs (e.g. a dangling reference): %+v", version, rep.Findings[:min(5, len(rep.Findings))])
		}
		guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
		var enrollments []string
		for _, r := range recs {
			if version == "1.1" && r.Entity == roster.Roles {
				continue // the reader names 1.1 roles after their user and org
			}
			if !guid.MatchString(r.SourcedID()) {
				t.Fatalf("%s: %s id %q is not a GUID", version, r.Entity, r.SourcedID())
			}
			if r.Entity == roster.Enrollments {
				if ref := r.Get("classSourcedId"); !guid.MatchString(ref) {
					t.Fatalf("%s: enrollment refers to class %q", version, ref)
				}
				enrollments = append(enrollments, r.SourcedID())
			}
		}
		if slices.IsSorted(enrollments) {
			t.Fatalf("%s: enrollment ids come sorted", version)
		}
	}
}

// With OtherIDs the asked share of students and teachers, and their roles, demographics and
// enrollments, carry another system's ids and every reference follows them; everything else keeps
// the ids of the same seed without it, and every 10th person the two feeds share has another e-mail.
func TestOtherIDs(t *testing.T) {
	for _, c := range []struct {
		version string
		guids   bool
	}{{"1.2", false}, {"1.1", false}, {"1.2", true}} {
		name := fmt.Sprintf("%s guids=%v", c.version, c.guids)
		plainData, _ := generate(t, Options{Students: 1000, Version: c.version, Seed: 4, GUIDs: c.guids})
		data, sum := generate(t, Options{Students: 1000, Version: c.version, Seed: 4, GUIDs: c.guids, OtherIDs: 0.5})
		rep, recs := read(t, data)
		if len(rep.Findings) != 0 {
			t.Fatalf("%s: findings (e.g. a reference to an id that is not in the file): %+v", name, rep.Findings[:min(5, len(rep.Findings))])
		}
		_, plainRecs := read(t, plainData)
		plain := map[roster.Entity]map[string]roster.Record{}
		for _, r := range plainRecs {
			if plain[r.Entity] == nil {
				plain[r.Entity] = map[string]roster.Record{}
			}
			plain[r.Entity][r.SourcedID()] = r
		}
		other := regexp.MustCompile(`^sis2-[0-9a-f]{16}$`)
		people := map[string]int{} // role → users under other ids
		var shared, disagree, otherEnrollments int
		seen := map[roster.Entity]int{}
		for _, r := range recs {
			seen[r.Entity]++
			id := r.SourcedID()
			p, inPlain := plain[r.Entity][id]
			switch {
			case r.Entity == roster.Roles && c.version == "1.1":
				// the reader names 1.1 roles after their user and org
			case other.MatchString(id):
				switch r.Entity {
				case roster.Orgs, roster.AcademicSessions, roster.Courses, roster.Classes:
					t.Fatalf("%s: %s %s got another system's id", name, r.Entity, id)
				case roster.Users:
					people[roleOf(r)]++
				case roster.Enrollments:
					otherEnrollments++
					if !other.MatchString(r.Get("userSourcedId")) {
						t.Fatalf("%s: enrollment %s under another id is of user %s", name, id, r.Get("userSourcedId"))
					}
				}
			case !inPlain:
				t.Fatalf("%s: %s %s is neither in the feed without other ids nor another system's id", name, r.Entity, id)
			case r.Entity == roster.Users && r.Get("email") != p.Get("email"):
				disagree++
				fallthrough
			case r.Entity == roster.Users:
				if r.Get("givenName") != p.Get("givenName") || r.Get("agentSourcedIds") != p.Get("agentSourcedIds") && !other.MatchString(r.Get("agentSourcedIds")) {
					t.Fatalf("%s: shared user %s differs beyond the e-mail: %v / %v", name, id, r.Values, p.Values)
				}
				if roleOf(r) != "guardian" {
					shared++
				}
			}
		}
		for e, n := range seen {
			if want := len(plain[e]); n != want && !(e == roster.Roles && c.version == "1.1") {
				t.Errorf("%s: %d %s, %d without other ids", name, n, e, want)
			}
		}
		// 1000 students and 50 teachers: half of each under other ids, the rest shared
		if people["student"] != 500 || people["teacher"] != 25 || people["guardian"] != 0 || sum.OtherIDs != 525 || shared != 525 {
			t.Errorf("%s: under other ids %v (summary %d), shared %d", name, people, sum.OtherIDs, shared)
		}
		if disagree != 52 || otherEnrollments != 500*periods+rep.Counts[roster.Classes]/2 {
			t.Errorf("%s: %d shared people with another e-mail (want 52), %d enrollments under other ids", name, disagree, otherEnrollments)
		}
	}
	a, _ := generate(t, Options{Students: 200, Seed: 4, OtherIDs: 0.3})
	b, _ := generate(t, Options{Students: 200, Seed: 4, OtherIDs: 0.3})
	c, _ := generate(t, Options{Students: 200, Seed: 5, OtherIDs: 0.3})
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("other ids are not the same for the same seed, or the same for another seed")
	}
}

// roleOf tells a generated user's role by its identifier, whatever its id.
func roleOf(u roster.Record) string {
	switch id := u.Get("identifier"); {
	case id == "":
		return "guardian"
	case strings.HasPrefix(id, "T"):
		return "teacher"
	}
	return "student"
}

// The same options give the same ZIP and pairs file, byte for byte; another seed gives others.
func TestSameSeedSameBytes(t *testing.T) {
	files := func(seed int64) (zip, pairs []byte) {
		path := filepath.Join(t.TempDir(), "d.zip")
		sum, err := GenerateFile(context.Background(), path, Options{Students: 300, Seed: seed, Duplicates: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		zip, _ = os.ReadFile(path)
		pairs, _ = os.ReadFile(sum.PairsFile)
		return zip, pairs
	}
	a, ap := files(9)
	b, bp := files(9)
	c, cp := files(10)
	if !bytes.Equal(a, b) || !bytes.Equal(ap, bp) || len(ap) == 0 {
		t.Fatal("the same options gave different files")
	}
	if bytes.Equal(a, c) || bytes.Equal(ap, cp) {
		t.Fatal("a different seed gave the same files")
	}
}

func TestShapeAndReferentialIntegrity(t *testing.T) {
	for _, version := range []string{"1.1", "1.2"} {
		data, sum := generate(t, Options{Students: 1000, Version: version, Seed: 1})
		rep, _ := read(t, data)
		if len(rep.Findings) != 0 {
			t.Fatalf("%s: a clean district has findings (e.g. a dangling reference): %+v", version, rep.Findings[:min(5, len(rep.Findings))])
		}
		students := rep.Counts[roster.Demographics]
		sections := rep.Counts[roster.Classes]
		if sum.Schools != 2 || students != 1000 || rep.Counts[roster.Enrollments] != 1000*periods+sections {
			t.Fatalf("%s: schools %d, students %d, enrollments %d, sections %d", version, sum.Schools, students, rep.Counts[roster.Enrollments], sections)
		}
		if rep.Counts[roster.Roles] != rep.Counts[roster.Users] {
			t.Fatalf("%s: %d roles for %d users", version, rep.Counts[roster.Roles], rep.Counts[roster.Users])
		}
		for _, e := range roster.Entities {
			want := sum.Counts[e]
			if version == "1.1" && e == roster.Roles {
				want = rep.Counts[e] // 1.1 carries roles on the user rows; the reader rebuilds them
			}
			if rep.Counts[e] != want {
				t.Errorf("%s: %s summary %d, read %d", version, e, sum.Counts[e], rep.Counts[e])
			}
		}
	}
}

// pairs reads a pairs file: left, right and kinds per row, after the header.
func pairs(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != "left,right,kinds" {
		t.Fatalf("pairs file %s: %v %v", path, err, rows[:min(1, len(rows))])
	}
	return rows[1:]
}

// generateFile writes a district with GenerateFile and reads it back: its users by written id, and
// every record.
func generateFile(t *testing.T, path string, opts Options) (Summary, map[string]roster.Record, []roster.Record) {
	t.Helper()
	sum, err := GenerateFile(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, recs := read(t, data)
	users := map[string]roster.Record{}
	for _, r := range recs {
		if r.Entity == roster.Users {
			users[r.SourcedID()] = r
		}
	}
	return sum, users, recs
}

// The pairs file beside the ZIP names exactly the injected duplicates, each beside its original, by
// the ids users.csv gives them (numbered, GUIDs or another system's), in 1.1 and 1.2; a run without
// duplicates leaves no pairs file that would not describe its ZIP.
func TestPairsFileNamesTheInjectedDuplicates(t *testing.T) {
	for _, opts := range []Options{
		{Students: 1000, Seed: 3, Duplicates: 0.05},
		{Students: 1000, Seed: 3, Duplicates: 0.05, Version: "1.1"},
		{Students: 1000, Seed: 3, Duplicates: 0.05, GUIDs: true},
		{Students: 1000, Seed: 3, Duplicates: 0.05, OtherIDs: 0.5},
		{Students: 1000, Seed: 3, Duplicates: 0.05, OtherIDs: 0.5, GUIDs: true, Defects: true},
	} {
		name := fmt.Sprintf("%+v", opts)
		dir := t.TempDir()
		path := filepath.Join(dir, "district.zip")
		sum, users, _ := generateFile(t, path, opts)
		if sum.Duplicates != 50 || sum.PairsFile != filepath.Join(dir, "district.duplicates.csv") {
			t.Fatalf("%s: %d duplicates, pairs file %q", name, sum.Duplicates, sum.PairsFile)
		}
		plain := opts
		plain.Duplicates = 0
		_, without, _ := generateFile(t, filepath.Join(dir, "plain.zip"), plain)
		injected := map[string]bool{} // users only the file with duplicates has
		for id := range users {
			if _, ok := without[id]; !ok {
				injected[id] = true
			}
		}
		rows := pairs(t, sum.PairsFile)
		if len(rows) != 50 || len(injected) != 50 {
			t.Fatalf("%s: %d pairs for %d injected users", name, len(rows), len(injected))
		}
		for _, row := range rows {
			left, right := row[0], row[1]
			orig, ok := without[left]
			if !injected[right] || !ok || roleOf(orig) != "student" || users[right].Get("primaryOrgSourcedId") != orig.Get("primaryOrgSourcedId") {
				t.Fatalf("%s: pair %v is not an injected duplicate beside a student of its school", name, row)
			}
			delete(injected, right)
		}
		if _, err := GenerateFile(context.Background(), path, plain); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(sum.PairsFile); !os.IsNotExist(err) {
			t.Fatalf("%s: a district without duplicates kept the pairs file of an earlier one", name)
		}
	}
	if got := PairsPath("out/District.ZIP"); got != "out/District.duplicates.csv" {
		t.Errorf("PairsPath(District.ZIP) = %q", got)
	}
}

// At 2 % of 5,000 students every kind of difference appears, often several in one record, and each
// pair differs from its original exactly as its kinds say: birth dates only transposed, a few days or
// a year off, or blank; identifiers only retyped or replaced; the same school and one of its classes.
func TestDuplicatesDifferAsTheirKindsSay(t *testing.T) {
	dir := t.TempDir()
	sum, users, recs := generateFile(t, filepath.Join(dir, "district.zip"), Options{Students: 5000, Seed: 1, Duplicates: 0.02})
	demo := map[string]roster.Record{}
	classes := map[string][]string{}
	for _, r := range recs {
		switch r.Entity {
		case roster.Demographics:
			demo[r.SourcedID()] = r
		case roster.Enrollments:
			classes[r.Get("userSourcedId")] = append(classes[r.Get("userSourcedId")], r.Get("classSourcedId"))
		}
	}
	count := map[string]int{}
	alones := map[string]int{} // name changes alone, checked for what they did
	several := 0
	for _, row := range pairs(t, sum.PairsFile) {
		o, d := users[row[0]], users[row[1]]
		od, dd := demo[row[0]], demo[row[1]]
		kinds := strings.Split(row[2], ";")
		has := func(k string) bool { return slices.Contains(kinds, k) }
		changes := 0
		for _, k := range kinds {
			if !slices.Contains(Kinds, k) {
				t.Fatalf("pair %v: unknown kind %q", row, k)
			}
			count[k]++
			if !strings.HasPrefix(k, "no-") && k != "new-email" && k != "id-format" && k != "other-id" {
				changes++
			}
		}
		if changes >= 2 {
			several++
		}
		fail := func(what string) {
			t.Fatalf("pair %v: %s:\n%v\n%v\n%v\n%v", row, what, o.Values, d.Values, od.Values, dd.Values)
		}

		nameOf := func(u roster.Record) string {
			return u.Get("givenName") + "|" + u.Get("middleName") + "|" + u.Get("familyName")
		}
		nameKinds := has("typo") || has("accents") || has("case") || has("swapped-names") || has("nickname") || has("middle-name")
		if (nameOf(o) != nameOf(d)) != nameKinds {
			fail("names differ other than the kinds say")
		}
		if has("accents") && unaccented.Replace(nameOf(o)) == nameOf(o) {
			fail("accents dropped from a name without any")
		}
		if alone := nameKind(kinds); alone != "" {
			og, om, of := o.Get("givenName"), o.Get("middleName"), o.Get("familyName")
			dg, dm, df := d.Get("givenName"), d.Get("middleName"), d.Get("familyName")
			ok := map[string]bool{
				"accents":       dg == unaccented.Replace(og) && dm == om && df == unaccented.Replace(of),
				"case":          strings.EqualFold(dg, og) && dm == om && strings.EqualFold(df, of),
				"swapped-names": dg == of && dm == om && df == og,
				"nickname":      dg == nicknames[og] && dm == om && df == of,
				"middle-name":   dg == og+" "+om && dm == "" && df == of,
				"typo":          dm == om && (dg == og && oneTypo(of, df) || df == of && oneTypo(og, dg)),
			}[alone]
			if !ok {
				fail(alone + " is not all that changed the name")
			}
			alones[alone]++
		}

		ob, db := od.Get("birthDate"), dd.Get("birthDate")
		ot, err := time.Parse(time.DateOnly, ob)
		if err != nil {
			fail("original birth date unreadable")
		}
		switch dt, _ := time.Parse(time.DateOnly, db); {
		case has("no-birth-date"):
			if db != "" {
				fail("birth date not blank")
			}
		case has("transposed-date"):
			if dt.Year() != ot.Year() || int(dt.Month()) != ot.Day() || dt.Day() != int(ot.Month()) || dt.Equal(ot) {
				fail("birth date not transposed")
			}
		case has("date-off"):
			days := dt.Day() - ot.Day()
			dayOff := dt.Year() == ot.Year() && dt.Month() == ot.Month() && days != 0 && days >= -9 && days <= 9
			yearOff := dt.Month() == ot.Month() && dt.Day() == ot.Day() && (dt.Year()-ot.Year() == 1 || ot.Year()-dt.Year() == 1)
			if !dayOff && !yearOff {
				fail("birth date not one day within the month or one year off")
			}
		case db != ob:
			fail("birth date changed")
		}

		oi, di := o.Get("identifier"), d.Get("identifier")
		normal := func(id string) string {
			id = strings.ToUpper(strings.ReplaceAll(id, " ", ""))
			return id[:1] + strings.TrimLeft(id[1:], "0")
		}
		switch {
		case has("other-id"):
			if !regexp.MustCompile(`^X[0-9]{7}$`).MatchString(di) {
				fail("not another system's identifier")
			}
		case has("id-format"):
			if di == oi || normal(di) != normal(oi) {
				fail("identifier not the same one retyped")
			}
		case di != oi:
			fail("identifier changed")
		}
		if has("no-master-id") != (d.Get("userMasterIdentifier") == "") || !has("no-master-id") && d.Get("userMasterIdentifier") != o.Get("userMasterIdentifier") {
			fail("userMasterIdentifier neither blank nor the original's")
		}
		switch de := d.Get("email"); {
		case has("no-email") != (de == ""), has("new-email") == (de == o.Get("email")) && de != "":
			fail("e-mail neither blank, new nor the original's")
		}
		if has("no-sex") != (dd.Get("sex") == "") || !has("no-sex") && dd.Get("sex") != od.Get("sex") {
			fail("sex neither blank nor the original's")
		}
		if d.Get("primaryOrgSourcedId") != o.Get("primaryOrgSourcedId") || len(classes[row[1]]) != 1 || !slices.Contains(classes[row[0]], classes[row[1]][0]) {
			fail("not in the original's school and one of its classes")
		}
	}
	for _, k := range Kinds {
		if count[k] < 3 {
			t.Errorf("kind %s appears %d times in 100 duplicates", k, count[k])
		}
	}
	if len(alones) != 6 {
		t.Errorf("name changes seen alone: %v", alones)
	}
	if several < 10 {
		t.Errorf("only %d duplicates combine several changes", several)
	}
	t.Logf("kinds in 100 duplicates: %v; %d with several changes", count, several)
}

// nameKind is the one kind of name change among kinds, or "" when there are none or several.
func nameKind(kinds []string) string {
	found := ""
	for _, k := range kinds {
		if slices.Contains([]string{"typo", "accents", "case", "swapped-names", "nickname", "middle-name"}, k) {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

// oneTypo tells whether typed is name with one letter past the first swapped with the next, dropped
// or doubled.
func oneTypo(name, typed string) bool {
	l := []rune(name)
	for p := 1; p < len(l); p++ {
		if typed == string(l[:p])+string(l[p+1:]) || typed == string(l[:p+1])+string(l[p:]) {
			return true
		}
		if swapped := slices.Clone(l); p+1 < len(l) && l[p] != l[p+1] {
			swapped[p], swapped[p+1] = l[p+1], l[p]
			if typed == string(swapped) {
				return true
			}
		}
	}
	return false
}

// Birth dates cover every day of the year, each within its grade's cohort (2 September to
// 1 September, 5 years old in kindergarten), so namesakes seldom share one.
func TestBirthDatesSpreadOverTheCohort(t *testing.T) {
	data, _ := generate(t, Options{Students: 20000, Seed: 2})
	_, recs := read(t, data)
	grade := map[string]string{}
	for _, r := range recs {
		if r.Entity == roster.Users {
			grade[r.SourcedID()] = r.Get("grades")
		}
	}
	days := map[string]bool{}
	for _, r := range recs {
		if r.Entity != roster.Demographics {
			continue
		}
		birth, err := time.Parse(time.DateOnly, r.Get("birthDate"))
		if err != nil {
			t.Fatal(err)
		}
		age := 5
		if g := grade[r.SourcedID()]; g != "KG" {
			n, _ := strconv.Atoi(g)
			age += n
		}
		if first := time.Date(2026-age-1, 9, 2, 0, 0, 0, 0, time.UTC); birth.Before(first) || !birth.Before(first.AddDate(1, 0, 0)) {
			t.Fatalf("%s in grade %s born %s", r.SourcedID(), grade[r.SourcedID()], birth.Format(time.DateOnly))
		}
		days[birth.Format("01-02")] = true
	}
	if len(days) != 366 {
		t.Fatalf("birthdays fall on %d days of the year", len(days))
	}
}

func TestDefectsAreToleratedWithWarnings(t *testing.T) {
	data, _ := generate(t, Options{Students: 1000, Seed: 1, Defects: true})
	rep, _ := read(t, data)
	if len(rep.Errors()) != 0 {
		t.Fatalf("defects must be tolerated, got errors %+v", rep.Errors())
	}
	var text strings.Builder
	for _, f := range rep.Warnings() {
		text.WriteString(f.Column + ": " + f.Message + "\n")
	}
	for _, want := range []string{"enabledUser: \"TRUE\" read as true", "birthDate: ", "classType: \"Scheduled\"", "usr-g-missing"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("no warning like %q in:\n%s", want, text.String())
		}
	}
}

func TestCancelStopsGeneration(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "d.zip")
	if _, err := GenerateFile(ctx, path, Options{Students: 5000}); err == nil {
		t.Fatal("a cancelled generation succeeded")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a cancelled generation left a file")
	}
}

// BenchmarkGenerate reports records per second for a 20,000-student district.
func BenchmarkGenerate(b *testing.B) {
	var records int
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		sum, err := Generate(context.Background(), &buf, Options{Students: 20000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range sum.Counts {
			records += n
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
