package district

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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

func TestSameSeedSameBytes(t *testing.T) {
	a, _ := generate(t, Options{Students: 300, Seed: 9})
	b, _ := generate(t, Options{Students: 300, Seed: 9})
	c, _ := generate(t, Options{Students: 300, Seed: 10})
	if !bytes.Equal(a, b) {
		t.Fatal("the same options gave different files")
	}
	if bytes.Equal(a, c) {
		t.Fatal("a different seed gave the same file")
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

func TestDuplicatesAreNearCopies(t *testing.T) {
	data, sum := generate(t, Options{Students: 1000, Seed: 3, Duplicates: 0.05})
	if sum.Duplicates != 50 {
		t.Fatalf("duplicates %d", sum.Duplicates)
	}
	_, recs := read(t, data)
	births := map[string]string{}
	users := map[string]roster.Record{}
	for _, r := range recs {
		switch r.Entity {
		case roster.Demographics:
			births[r.SourcedID()] = r.Get("birthDate")
		case roster.Users:
			users[r.SourcedID()] = r
		}
	}
	g := newGenerator(context.Background(), Options{Students: 1000, Duplicates: 0.05})
	for k := 0; k < sum.Duplicates; k++ {
		dup, orig := users[duplicateID(k)], users[studentID(g.duplicateOf(k))]
		if dup.Values == nil || births[duplicateID(k)] != births[studentID(g.duplicateOf(k))] {
			t.Fatalf("duplicate %d is missing or has another birth date", k)
		}
		if dup.Get("identifier") == orig.Get("identifier") {
			t.Fatalf("duplicate %d kept the original identifier", k)
		}
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
