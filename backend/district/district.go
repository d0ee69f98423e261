// Package district generates a synthetic school district as a OneRoster ZIP: realistic in shape and
// size, entirely made up, and the same bytes for the same options. It feeds the demo workspace, the
// tests and the benchmarks, so nobody needs real student data.
//
// Shape: one district; a school per 500 students (at least two), cycling elementary (KG-05), middle
// (06-08) and high (09-12); one school year with two semesters; per school six daily periods
// (period 0 is the homeroom), each with sections of 25 students and a course per period; a teacher
// per 20 students, each teaching about five sections; every student enrolled in one section of each
// period (100,000 students ≈ 600,000 student enrollments plus one teacher enrollment per section);
// a guardian for 30 % of students; demographics for every student, born on any day of the year of
// their grade's cohort.
//
// With Duplicates, some students get a second record as another system or a second enrollment typed
// it (see Kinds), and GenerateFile writes the true pairs beside the ZIP (see PairsPath).
//
// Nothing is held per student: every record is computed from its index, so memory stays flat however
// many students are asked for.
package district

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Options choose the district.
type Options struct {
	Students int    // default 1000
	Version  string // "1.1" or "1.2" (default)
	Seed     int64  // the same seed gives the same bytes
	// Duplicates is the share of students (0..1) who get a second record (usr-d-NNNNN) in their
	// school, as another system or a second enrollment typed it: see Kinds and WritePairs.
	Duplicates float64
	// Defects injects a few things real exports get wrong and the reader tolerates with a warning:
	// enabledUser written "TRUE" (every 101st student), an unambiguous D/M/Y birth date such as
	// 13/05/2014 (every 211th student, when born after the 12th of a month), a class type in the
	// wrong case ("Scheduled", every 53rd section) and a guardian reference to a record that does
	// not exist (the 7th student).
	Defects bool
	// GUIDs gives every record a GUID-shaped sourcedId instead of a numbered one, as many SIS
	// exports do: the same id for the same record and seed, in no particular order.
	GUIDs bool
	// OtherIDs is the share of students and teachers (0..1) who carry another system's sourcedIds
	// ("sis2-" and 16 hex digits, the same for the same seed), with their roles, demographics and
	// enrollments and every reference to them; everything else keeps the id the seed gives without
	// it. So the same seed with and without OtherIDs gives two feeds of one district that share the
	// other people by id; every 10th person they share has another e-mail address in this feed, so
	// the two sources disagree somewhere.
	OtherIDs float64
	Progress func(done, total int) // called about every thousand records; may be nil
}

// Summary tells what was generated.
type Summary struct {
	Counts     map[roster.Entity]int
	Schools    int
	Duplicates int
	OtherIDs   int    // students and teachers under another system's ids
	PairsFile  string // where GenerateFile wrote the true duplicate pairs; "" without Duplicates
}

// Kinds are the ways an injected duplicate differs from its original, as the pairs file names them.
// Several often come together; the sourcedId, username, guardian link and classes always differ.
var Kinds = []string{
	"typo",            // a letter swapped with the next, dropped or doubled in the given or family name
	"accents",         // accents dropped (Pérez → Perez)
	"case",            // the family name or the whole name in capitals, or all in lower case
	"swapped-names",   // given and family name swapped
	"nickname",        // the common short form of the given name (Michael → Mike)
	"middle-name",     // the middle name typed after the given name ("Ana Maria", no middle name)
	"transposed-date", // birth date with day and month swapped (2014-05-03 → 2014-03-05)
	"date-off",        // birth day 1 to 9 days off within the month, or birth year one off
	"no-birth-date",   // birth date blank
	"id-format",       // the same identifier typed otherwise: lower case, a space, leading zeros dropped
	"other-id",        // another system's identifier (X and seven digits)
	"no-master-id",    // userMasterIdentifier blank (when kept, a match on it is certain)
	"no-email",        // e-mail blank
	"new-email",       // another e-mail address (otherwise the original's)
	"no-sex",          // sex blank
}

const (
	studentsPerSchool  = 500
	studentsPerSection = 25
	studentsPerTeacher = 20
	periods            = 6
)

var schoolGrades = [][]string{
	{"KG", "01", "02", "03", "04", "05"},
	{"06", "07", "08"},
	{"09", "10", "11", "12"},
}
var schoolKinds = []string{"Elementary School", "Middle School", "High School"}

// PairsPath is where GenerateFile writes the true duplicate pairs of the ZIP at path:
// district.zip → district.duplicates.csv.
func PairsPath(path string) string {
	if ext := filepath.Ext(path); strings.EqualFold(ext, ".zip") {
		path = path[:len(path)-len(ext)]
	}
	return path + ".duplicates.csv"
}

// GenerateFile writes the district to path and, with Duplicates, its true pairs to PairsPath(path),
// each through a temporary file, so a reader never sees half a file. Without Duplicates it removes a
// pairs file an earlier run left there, which would not describe this ZIP.
func GenerateFile(ctx context.Context, path string, opts Options) (Summary, error) {
	var sum Summary
	zipTmp, err := writeTemp(path, func(w io.Writer) (err error) {
		sum, err = Generate(ctx, w, opts)
		return err
	})
	if err != nil {
		return Summary{}, err
	}
	pairs := PairsPath(path)
	if opts.Duplicates == 0 {
		err = os.Remove(pairs)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	} else {
		var pairsTmp string
		if pairsTmp, err = writeTemp(pairs, func(w io.Writer) error { return WritePairs(w, opts) }); err == nil {
			if err = os.Rename(pairsTmp, pairs); err != nil {
				os.Remove(pairsTmp)
			}
		}
		sum.PairsFile = pairs
	}
	if err == nil {
		err = os.Rename(zipTmp, path)
	}
	if err != nil {
		os.Remove(zipTmp)
		return Summary{}, err
	}
	return sum, nil
}

// writeTemp writes path + ".tmp" with fn and returns its name; on failure it leaves nothing.
func writeTemp(path string, fn func(io.Writer) error) (string, error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	err = fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// WritePairs writes the true pairs of the district Generate writes for opts as CSV: a header
// "left,right,kinds", then per injected duplicate the original's sourcedId, the duplicate's (as the
// ZIP writes them, GUIDs or another system's ids included) and the Kinds it differs by, joined by
// ";". Nothing is held per pair.
func WritePairs(w io.Writer, opts Options) error {
	opts, err := opts.checked()
	if err != nil {
		return err
	}
	g := newGenerator(context.Background(), opts)
	cw := csv.NewWriter(w)
	cw.Write([]string{"left", "right", "kinds"})
	for k := 0; k < g.dups; k++ {
		_, _, kinds := g.duplicate(k)
		cw.Write([]string{g.writtenID(studentID(g.duplicateOf(k))), g.writtenID(duplicateID(k)), strings.Join(kinds, ";")})
	}
	cw.Flush()
	return cw.Error()
}

// checked fills in the defaults and refuses shares outside 0..1.
func (opts Options) checked() (Options, error) {
	if opts.Students <= 0 {
		opts.Students = 1000
	}
	if opts.Version == "" {
		opts.Version = "1.2"
	}
	if opts.Duplicates < 0 || opts.Duplicates > 1 {
		return opts, fmt.Errorf("duplicates must be a share between 0 and 1, not %g", opts.Duplicates)
	}
	if opts.OtherIDs < 0 || opts.OtherIDs > 1 {
		return opts, fmt.Errorf("other ids must be a share between 0 and 1, not %g", opts.OtherIDs)
	}
	return opts, nil
}

// Generate writes the district as a OneRoster ZIP to w.
func Generate(ctx context.Context, w io.Writer, opts Options) (Summary, error) {
	opts, err := opts.checked()
	if err != nil {
		return Summary{}, err
	}
	g := newGenerator(ctx, opts)
	system, code := "Rosterdesk demo SIS", "demo"
	if opts.OtherIDs > 0 {
		system, code = "Rosterdesk demo SIS 2", "demo2"
	}
	g.w, err = oneroster.NewWriter(w, oneroster.WriteOptions{Version: opts.Version, SystemName: system, SystemCode: code,
		Roles11: func(string) ([]string, string) { return []string{g.id(g.userOrg)}, g.userRole }})
	if err != nil {
		return Summary{}, err
	}
	for _, step := range []func() error{g.orgs, g.sessions, g.courses, g.classes, g.users, g.roles, g.demographics, g.enrollments} {
		if err := step(); err != nil {
			return Summary{}, err
		}
	}
	if err := g.w.Close(); err != nil {
		return Summary{}, err
	}
	g.report(true)
	others := g.spread(opts.Students) + g.spread(g.teacherStart[g.schools])
	return Summary{Counts: g.counts, Schools: g.schools, Duplicates: g.dups, OtherIDs: others}, nil
}

type generator struct {
	ctx    context.Context
	opts   Options
	w      *oneroster.Writer
	counts map[roster.Entity]int
	done   int
	total  int

	schools      int
	start        []int // first student index of each school, plus N at the end
	teacherStart []int // first teacher index of each school, plus the teacher count at the end
	dups         int
	district     string
	year, s1, s2 string
	userOrg      string // the org and role of the user being written, for 1.1 rows
	userRole     string
}

func newGenerator(ctx context.Context, opts Options) *generator {
	n := opts.Students
	g := &generator{ctx: ctx, opts: opts, counts: map[roster.Entity]int{}, schools: max(2, n/studentsPerSchool),
		district: "org-0000", year: "ses-2027", s1: "ses-2027-s1", s2: "ses-2027-s2"}
	for s := 0; s <= g.schools; s++ {
		g.start = append(g.start, (s*n+g.schools-1)/g.schools)
	}
	g.teacherStart = []int{0}
	for s := 0; s < g.schools; s++ {
		g.teacherStart = append(g.teacherStart, g.teacherStart[s]+g.teachers(s))
	}
	g.dups = int(float64(n)*opts.Duplicates + 0.5)
	users := n + g.teacherStart[g.schools] + g.guardians() + g.dups
	sections := 0
	for s := 0; s < g.schools; s++ {
		sections += periods * g.sections(s)
	}
	g.total = 1 + g.schools + 3 + periods*g.schools + sections + 2*users + n + g.dups + n*periods + sections + g.dups
	return g
}

func (g *generator) students(s int) int { return g.start[s+1] - g.start[s] }
func (g *generator) sections(s int) int {
	return max(1, (g.students(s)+studentsPerSection-1)/studentsPerSection)
}
func (g *generator) teachers(s int) int {
	return max(1, (g.students(s)+studentsPerTeacher-1)/studentsPerTeacher)
}
func (g *generator) school(i int) int { return i * g.schools / g.opts.Students }
func (g *generator) hasGuardian(i int) bool {
	switch i % 10 {
	case 0, 3, 7:
		return true
	}
	return false
}
func (g *generator) guardians() int {
	n := g.opts.Students
	return n/10*3 + min(n%10, 1) + min(max(n%10-3, 0), 1) + min(max(n%10-7, 0), 1)
}

func schoolID(s int) string                { return fmt.Sprintf("org-%04d", s+1) }
func studentID(i int) string               { return fmt.Sprintf("usr-%06d", i+1) }
func teacherID(t int) string               { return fmt.Sprintf("usr-t-%05d", t+1) }
func guardianID(i int) string              { return fmt.Sprintf("usr-g-%06d", i+1) }
func duplicateID(k int) string             { return fmt.Sprintf("usr-d-%05d", k+1) }
func courseID(s, p int) string             { return fmt.Sprintf("crs-%04d-%d", s+1, p) }
func classID(s, p, c int) string           { return fmt.Sprintf("cls-%04d-%d-%03d", s+1, p, c+1) }
func (g *generator) grades(s int) []string { return schoolGrades[s%len(schoolGrades)] }

// duplicateOf is the student the k-th duplicate copies, spread evenly over the district.
func (g *generator) duplicateOf(k int) int { return (2*k + 1) * g.opts.Students / (2 * g.dups) }

// id is how a generated id is written: itself, or with GUIDs a GUID made from it and the seed.
func (g *generator) id(id string) string {
	if !g.opts.GUIDs || id == "" {
		return id
	}
	h := fnv.New128a()
	fmt.Fprintf(h, "%d/%s", g.opts.Seed, id)
	b := h.Sum(nil)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// spread is how many of the first k students (or teachers) carry other ids: the k-th does when
// the count goes up, which spreads them evenly and gives exactly the share asked for.
func (g *generator) spread(k int) int { return int(float64(k) * g.opts.OtherIDs) }

// other tells whether the person with this generated id carries another system's ids.
func (g *generator) other(id string) bool {
	if g.opts.OtherIDs == 0 {
		return false
	}
	n, ok := strings.CutPrefix(id, "usr-t-") // a teacher
	if !ok {
		n, ok = strings.CutPrefix(id, "usr-") // a student; guardians (usr-g-) and duplicates (usr-d-) are no number
	}
	k, err := strconv.Atoi(n)
	return ok && err == nil && g.spread(k) > g.spread(k-1)
}

// written is how a generated id is written for a record of a person who carries other ids (other)
// or not.
func (g *generator) written(id string, other bool) string {
	if !other || id == "" {
		return g.id(id)
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/other/%s", g.opts.Seed, id)
	return fmt.Sprintf("sis2-%016x", h.Sum64())
}

// writtenID is how the ZIP writes the id of the person it names.
func (g *generator) writtenID(id string) string { return g.written(id, g.other(id)) }

// emit writes one record, counts it and reports progress.
func (g *generator) emit(rec roster.Record) error {
	if g.opts.GUIDs || g.opts.OtherIDs > 0 {
		owner := "" // the person whose ids the record's own id follows
		switch rec.Entity {
		case roster.Users, roster.Demographics:
			owner = rec.SourcedID()
		case roster.Roles, roster.Enrollments:
			owner = rec.Get("userSourcedId")
		}
		for i, c := range roster.Schema(rec.Entity).Columns {
			if i == 0 {
				rec.Values[0] = g.written(rec.Values[0], g.other(owner))
			} else if c.Kind == roster.Ref || c.Kind == roster.RefList {
				ids := strings.Split(rec.Values[i], ",")
				for j := range ids {
					ids[j] = g.written(ids[j], g.other(ids[j]))
				}
				rec.Values[i] = strings.Join(ids, ",")
			}
		}
	}
	if err := g.w.Write(rec); err != nil {
		return err
	}
	g.counts[rec.Entity]++
	g.done++
	if g.done%1024 == 0 {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		g.report(false)
	}
	return nil
}

func (g *generator) report(final bool) {
	if g.opts.Progress != nil && (final || g.done%1024 == 0) {
		g.opts.Progress(g.done, max(g.total, g.done))
	}
}

func record(e roster.Entity, kv ...string) roster.Record {
	rec := roster.NewRecord(e)
	for i := 0; i < len(kv); i += 2 {
		rec.Set(kv[i], kv[i+1])
	}
	return rec
}

func (g *generator) schoolName(s int) string {
	return placeWords[s%len(placeWords)] + " " + schoolKinds[s%len(schoolKinds)] + suffix(s/len(placeWords))
}

func suffix(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" %d", n+1)
}

func (g *generator) orgs() error {
	if err := g.emit(record(roster.Orgs, "sourcedId", g.district, "name", "Springfield Unified School District", "type", "district", "identifier", "D0001")); err != nil {
		return err
	}
	for s := 0; s < g.schools; s++ {
		if err := g.emit(record(roster.Orgs, "sourcedId", schoolID(s), "name", g.schoolName(s), "type", "school",
			"identifier", fmt.Sprintf("S%04d", s+1), "parentSourcedId", g.district)); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) sessions() error {
	for _, rec := range []roster.Record{
		record(roster.AcademicSessions, "sourcedId", g.year, "title", "2026-2027", "type", "schoolYear", "startDate", "2026-08-17", "endDate", "2027-06-11", "schoolYear", "2027"),
		record(roster.AcademicSessions, "sourcedId", g.s1, "title", "Fall 2026", "type", "semester", "startDate", "2026-08-17", "endDate", "2027-01-15", "parentSourcedId", g.year, "schoolYear", "2027"),
		record(roster.AcademicSessions, "sourcedId", g.s2, "title", "Spring 2027", "type", "semester", "startDate", "2027-01-19", "endDate", "2027-06-11", "parentSourcedId", g.year, "schoolYear", "2027"),
	} {
		if err := g.emit(rec); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) courses() error {
	for s := 0; s < g.schools; s++ {
		grades := g.grades(s)
		for p := 0; p < periods; p++ {
			rec := record(roster.Courses, "sourcedId", courseID(s, p), "schoolYearSourcedId", g.year,
				"title", fmt.Sprintf("%s, grades %s-%s", subjects[p], grades[0], grades[len(grades)-1]),
				"courseCode", fmt.Sprintf("%s-%s", strings.ToUpper(subjects[p][:3]), grades[0]), "grades", strings.Join(grades, ","),
				"orgSourcedId", schoolID(s), "subjects", subjects[p])
			if err := g.emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) classes() error {
	n := 0
	for s := 0; s < g.schools; s++ {
		for p := 0; p < periods; p++ {
			for c := 0; c < g.sections(s); c++ {
				n++
				classType := "scheduled"
				if p == 0 {
					classType = "homeroom"
				} else if g.opts.Defects && n%53 == 0 {
					classType = "Scheduled"
				}
				rec := record(roster.Classes, "sourcedId", classID(s, p, c), "title", fmt.Sprintf("%s %d-%c", subjects[p], p, 'A'+rune(c%26)),
					"grades", strings.Join(g.grades(s), ","), "courseSourcedId", courseID(s, p), "classCode", fmt.Sprintf("P%d-%03d", p, c+1),
					"classType", classType, "location", fmt.Sprintf("Room %d%02d", p+1, c+1), "schoolSourcedId", schoolID(s),
					"termSourcedIds", g.s1+","+g.s2, "subjects", subjects[p], "periods", fmt.Sprint(p))
				if err := g.emit(rec); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// person is the made-up identity of one user, derived from the seed and the user's key alone.
type person struct {
	given, middle, family string
	birthDay              uint32 // which day of the grade's cohort (see birthDate)
	sex                   string
	enabled               bool
	race                  int
	hispanic              bool
}

func (g *generator) person(kind uint64, i int) person {
	r := rand.New(rand.NewPCG(uint64(g.opts.Seed), kind<<48|uint64(i)))
	p := person{given: givenNames[r.IntN(len(givenNames))], family: familyNames[r.IntN(len(familyNames))],
		birthDay: r.Uint32(), enabled: r.IntN(50) != 0, race: r.IntN(7), hispanic: r.IntN(4) == 0}
	if r.IntN(3) == 0 {
		p.middle = givenNames[r.IntN(len(givenNames))]
	}
	if r.IntN(2) == 0 {
		p.sex = "female"
	} else {
		p.sex = "male"
	}
	return p
}

const (
	kindStudent uint64 = iota + 1
	kindTeacher
	kindGuardian
	kindDuplicate
)

// accents pairs the accented letters the name lists use with their plain form.
var accents = []string{"á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ñ", "N"}

var (
	unaccented = strings.NewReplacer(accents...)
	// inUsername also drops what a username leaves out; built once, as building costs more than using.
	inUsername = strings.NewReplacer(append([]string{"'", "", " ", ""}, accents...)...)
)

func username(p person, id string) string {
	return inUsername.Replace(strings.ToLower(p.given+"."+p.family)) + strings.TrimLeft(id[strings.LastIndex(id, "-")+1:], "0")
}

func (g *generator) studentGrade(i int) string {
	s := g.school(i)
	grades := g.grades(s)
	return grades[(i-g.start[s])%len(grades)]
}

func (g *generator) studentRecord(i int) roster.Record {
	p := g.person(kindStudent, i)
	id := studentID(i)
	enabled := fmt.Sprint(p.enabled)
	if g.opts.Defects && i%101 == 100 {
		enabled = "TRUE"
	}
	agents := ""
	if g.hasGuardian(i) {
		agents = guardianID(i)
	}
	if g.opts.Defects && i == 6 {
		agents = "usr-g-missing"
	}
	user := username(p, id)
	return record(roster.Users, "sourcedId", id, "enabledUser", enabled, "username", user, "givenName", p.given, "familyName", p.family,
		"middleName", p.middle, "identifier", fmt.Sprintf("S%07d", i+1), "email", user+"@students.example.org", "agentSourcedIds", agents,
		"grades", g.studentGrade(i), "userMasterIdentifier", fmt.Sprintf("SM%07d", i+1), "primaryOrgSourcedId", schoolID(g.school(i)))
}

// duplicate is the k-th injected duplicate as another system or a second enrollment typed it: its
// user and demographics records and the Kinds they differ from the original's by. It comes from the
// seed and k alone, so users, roles, demographics and the pairs file agree with nothing held.
func (g *generator) duplicate(k int) (user, demo roster.Record, kinds []string) {
	i := g.duplicateOf(k)
	r := rand.New(rand.NewPCG(uint64(g.opts.Seed), kindDuplicate<<48|uint64(k)))
	user, demo = g.disagree(g.studentRecord(i), i), g.demographicsOf(i, duplicateID(k))
	user.Set("sourcedId", duplicateID(k))
	user.Set("agentSourcedIds", "")
	given, middle, family := user.Get("givenName"), user.Get("middleName"), user.Get("familyName")
	was := given + family
	if unaccented.Replace(was) != was && r.IntN(5) != 0 {
		given, family = unaccented.Replace(given), unaccented.Replace(family)
		kinds = append(kinds, "accents")
	}
	if nick, ok := nicknames[given]; ok && r.IntN(2) == 0 {
		given = nick
		kinds = append(kinds, "nickname")
	}
	if middle != "" && r.IntN(3) == 0 {
		given, middle = given+" "+middle, ""
		kinds = append(kinds, "middle-name")
	}
	if r.IntN(10) < 3 {
		if r.IntN(5) < 3 {
			family = typo(r, family)
		} else {
			given = typo(r, given)
		}
		kinds = append(kinds, "typo")
	}
	if r.IntN(8) == 0 {
		switch r.IntN(3) {
		case 0:
			family = strings.ToUpper(family)
		case 1:
			given, family = strings.ToUpper(given), strings.ToUpper(family)
		default:
			given, family = strings.ToLower(given), strings.ToLower(family)
		}
		kinds = append(kinds, "case")
	}
	if r.IntN(10) == 0 && given != family {
		given, family = family, given
		kinds = append(kinds, "swapped-names")
	}
	user.Set("givenName", given)
	user.Set("middleName", middle)
	user.Set("familyName", family)
	user.Set("username", username(person{given: given, family: family}, duplicateID(k)))

	birth := g.birthDate(i, g.person(kindStudent, i))
	switch n := r.IntN(100); {
	case n < 25 && birth.Day() <= 12 && birth.Day() != int(birth.Month()):
		demo.Set("birthDate", fmt.Sprintf("%04d-%02d-%02d", birth.Year(), birth.Day(), birth.Month()))
		kinds = append(kinds, "transposed-date")
	case n >= 25 && n < 40:
		demo.Set("birthDate", dateOff(r, birth).Format(time.DateOnly))
		kinds = append(kinds, "date-off")
	case n >= 40 && n < 48:
		demo.Set("birthDate", "")
		kinds = append(kinds, "no-birth-date")
	}

	switch id := user.Get("identifier"); r.IntN(20) {
	case 0, 1, 2, 3, 4: // kept
	case 5, 6:
		user.Set("identifier", strings.ToLower(id))
		kinds = append(kinds, "id-format")
	case 7, 8:
		user.Set("identifier", id[:1]+" "+id[1:])
		kinds = append(kinds, "id-format")
	case 9, 10:
		if short := id[:1] + strings.TrimLeft(id[1:], "0"); short != id {
			user.Set("identifier", short)
		} else { // past a million students there are no zeros to drop
			user.Set("identifier", strings.ToLower(id))
		}
		kinds = append(kinds, "id-format")
	default:
		user.Set("identifier", fmt.Sprintf("X%07d", k+1))
		kinds = append(kinds, "other-id")
	}
	if r.IntN(10) != 0 {
		user.Set("userMasterIdentifier", "")
		kinds = append(kinds, "no-master-id")
	}
	switch r.IntN(20) {
	case 0, 1, 2, 3, 4, 5, 6: // the original's
	case 7, 8, 9, 10, 11:
		user.Set("email", "")
		kinds = append(kinds, "no-email")
	default:
		user.Set("email", user.Get("username")+"@students.example.org")
		kinds = append(kinds, "new-email")
	}
	if r.IntN(20) == 0 {
		demo.Set("sex", "")
		kinds = append(kinds, "no-sex")
	}
	return user, demo, kinds
}

// typo changes one letter of name past the first, as a hurried typist does: swaps it with the
// next, drops it or doubles it.
func typo(r *rand.Rand, name string) string {
	l := []rune(name)
	if len(l) < 3 { // a two-letter name ("Mo") keeps both
		return string(append(l, l[len(l)-1]))
	}
	p := 1 + r.IntN(len(l)-1)
	switch r.IntN(3) {
	case 0:
		if p+1 < len(l) && l[p] != l[p+1] {
			l[p], l[p+1] = l[p+1], l[p]
			return string(l)
		}
	case 1:
		return string(append(l[:p:p], l[p+1:]...))
	}
	return string(l[:p+1]) + string(l[p:])
}

// dateOff is birth with the day 1 to 9 days off within its month, or the year one off.
func dateOff(r *rand.Rand, birth time.Time) time.Time {
	if r.IntN(3) == 0 && (birth.Month() != time.February || birth.Day() != 29) {
		return birth.AddDate(1-2*r.IntN(2), 0, 0)
	}
	last := time.Date(birth.Year(), birth.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	for {
		if d := birth.Day() + (1+r.IntN(9))*(1-2*r.IntN(2)); d >= 1 && d <= last {
			return birth.AddDate(0, 0, d-birth.Day())
		}
	}
}

// disagree gives the i-th student or teacher another e-mail address when OtherIDs is set and the
// person is the 10th, 20th… of those the feed shares by id with the one without OtherIDs.
func (g *generator) disagree(rec roster.Record, i int) roster.Record {
	if g.opts.OtherIDs > 0 && !g.other(rec.SourcedID()) && (i-g.spread(i))%10 == 9 {
		rec.Set("email", rec.Get("username")+"@mail.example.net")
	}
	return rec
}

// eachUser calls fn for every user in file order with the user's school and role.
func (g *generator) eachUser(fn func(rec roster.Record, school int, role string) error) error {
	for i := 0; i < g.opts.Students; i++ {
		if err := fn(g.disagree(g.studentRecord(i), i), g.school(i), "student"); err != nil {
			return err
		}
	}
	for s := 0; s < g.schools; s++ {
		for t := g.teacherStart[s]; t < g.teacherStart[s+1]; t++ {
			p := g.person(kindTeacher, t)
			id := teacherID(t)
			user := username(p, id)
			rec := record(roster.Users, "sourcedId", id, "enabledUser", "true", "username", user, "givenName", p.given, "familyName", p.family,
				"middleName", p.middle, "identifier", fmt.Sprintf("T%05d", t+1), "email", user+"@example.org",
				"userMasterIdentifier", fmt.Sprintf("TM%05d", t+1), "primaryOrgSourcedId", schoolID(s))
			if err := fn(g.disagree(rec, t), s, "teacher"); err != nil {
				return err
			}
		}
	}
	for i := 0; i < g.opts.Students; i++ {
		if !g.hasGuardian(i) {
			continue
		}
		p := g.person(kindGuardian, i)
		p.family = g.person(kindStudent, i).family
		id := guardianID(i)
		rec := record(roster.Users, "sourcedId", id, "enabledUser", "true", "username", username(p, id), "givenName", p.given,
			"familyName", p.family, "email", username(p, id)+"@example.org", "agentSourcedIds", studentID(i),
			"phone", fmt.Sprintf("555-01%02d-%04d", i%100, i%10000), "primaryOrgSourcedId", schoolID(g.school(i)))
		if err := fn(rec, g.school(i), "guardian"); err != nil {
			return err
		}
	}
	for k := 0; k < g.dups; k++ {
		user, _, _ := g.duplicate(k)
		if err := fn(user, g.school(g.duplicateOf(k)), "student"); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) users() error {
	return g.eachUser(func(rec roster.Record, s int, role string) error {
		g.userOrg, g.userRole = schoolID(s), role
		return g.emit(rec)
	})
}

func (g *generator) roles() error {
	if g.opts.Version == "1.1" { // 1.1 keeps orgs and role on the user row
		return nil
	}
	return g.eachUser(func(user roster.Record, s int, role string) error {
		id := user.SourcedID()
		return g.emit(record(roster.Roles, "sourcedId", "rol-"+strings.TrimPrefix(id, "usr-"), "userSourcedId", id, "roleType", "primary",
			"role", role, "orgSourcedId", schoolID(s)))
	})
}

var raceColumns = []string{"americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces"}

func (g *generator) demographicsOf(i int, id string) roster.Record {
	p := g.person(kindStudent, i)
	date := g.birthDate(i, p)
	birth := date.Format(time.DateOnly)
	if g.opts.Defects && i%211 == 210 && id == studentID(i) && date.Day() > 12 {
		birth = date.Format("02/01/2006")
	}
	rec := record(roster.Demographics, "sourcedId", id, "birthDate", birth, "sex", p.sex, "hispanicOrLatinoEthnicity", fmt.Sprint(p.hispanic))
	race := p.race % len(raceColumns)
	for j, col := range raceColumns {
		rec.Set(col, fmt.Sprint(j == race))
	}
	return rec
}

// birthDate is the i-th student's: any day of the year of the grade's cohort, those who turned the
// grade's age (5 in kindergarten) between 2 September 2025 and 1 September 2026, the usual cut-off.
func (g *generator) birthDate(i int, p person) time.Time {
	age := 5 // kindergarten
	if grade := g.studentGrade(i); grade != "KG" {
		n, _ := strconv.Atoi(grade)
		age += n
	}
	first := time.Date(2026-age-1, time.September, 2, 0, 0, 0, 0, time.UTC)
	days := uint32(first.AddDate(1, 0, 0).Sub(first).Hours() / 24)
	return first.AddDate(0, 0, int(p.birthDay%days))
}

func (g *generator) demographics() error {
	for i := 0; i < g.opts.Students; i++ {
		if err := g.emit(g.demographicsOf(i, studentID(i))); err != nil {
			return err
		}
	}
	for k := 0; k < g.dups; k++ {
		_, demo, _ := g.duplicate(k)
		if err := g.emit(demo); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) enrollments() error {
	for s := 0; s < g.schools; s++ {
		sections, teachers := g.sections(s), g.teachers(s)
		for p := 0; p < periods; p++ {
			for c := 0; c < sections; c++ {
				class := classID(s, p, c)
				t := g.teacherStart[s] + (p*sections+c)%teachers
				if err := g.emit(record(roster.Enrollments, "sourcedId", "enr-t-"+strings.TrimPrefix(class, "cls-"), "classSourcedId", class,
					"schoolSourcedId", schoolID(s), "userSourcedId", teacherID(t), "role", "teacher", "primary", "true",
					"beginDate", "2026-08-17", "endDate", "2027-06-11")); err != nil {
					return err
				}
				for i := g.start[s] + c*studentsPerSection; i < min(g.start[s+1], g.start[s]+(c+1)*studentsPerSection); i++ {
					if err := g.emit(record(roster.Enrollments, "sourcedId", fmt.Sprintf("enr-%06d-%d", i+1, p), "classSourcedId", class,
						"schoolSourcedId", schoolID(s), "userSourcedId", studentID(i), "role", "student", "primary", "false",
						"beginDate", "2026-08-17", "endDate", "2027-06-11")); err != nil {
						return err
					}
				}
			}
		}
	}
	for k := 0; k < g.dups; k++ { // a duplicate sits in the first-period class of its original
		i := g.duplicateOf(k)
		s := g.school(i)
		if err := g.emit(record(roster.Enrollments, "sourcedId", fmt.Sprintf("enr-d-%05d", k+1), "classSourcedId", classID(s, 1, (i-g.start[s])/studentsPerSection),
			"schoolSourcedId", schoolID(s), "userSourcedId", duplicateID(k), "role", "student", "primary", "false")); err != nil {
			return err
		}
	}
	return nil
}
