package dedupe

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Evidence is how one field of a pair compared.
type Evidence struct {
	Field      string  `json:"field"`
	Left       string  `json:"left"`
	Right      string  `json:"right"`
	Similarity float64 `json:"similarity"` // 0..1
	Level      string  `json:"level"`      // same | similar | different | missing (either side blank)
	Note       string  `json:"note,omitempty"`
	Weight     float64 `json:"weight"` // Fellegi-Sunter log2 weight
}

// Pair is two roster users a domain claims are one person.
type Pair struct {
	Left       string     `json:"left"` // roster sourcedIds, Left < Right
	Right      string     `json:"right"`
	Domain     string     `json:"domain"` // the claiming domain's name ("" when none claims it)
	Unattended bool       `json:"unattended"`
	Score      float64    `json:"score"`    // 0..1
	Evidence   []Evidence `json:"evidence"` // every compared field, in display order
}

// Evidence levels.
const (
	Same      = "same"
	Similar   = "similar"
	Different = "different"
	Missing   = "missing"
)

// The compared fields in display order.
const (
	fName = iota
	fMiddle
	fBirth
	fSex
	fIdentifier
	fMaster
	fEmail
	fUsername
	fSchool
	fGrades
	nFields
)

// model is a field's Fellegi-Sunter parameters: m = P(agree | same person), u = P(agree | two
// people picked at random). Agreement weighs log2(m/u), disagreement log2((1-m)/(1-u)); a
// similarity s in between weighs in proportion to (s-lo)/(1-lo), so a nickname or a one-letter
// typo counts most of an agreement and anything below lo counts as a disagreement.
type model struct {
	name     string
	m, u, lo float64
}

var (
	// Given and family name are weighed apart (a given name alone agreeing is some evidence) and
	// shown together as "name". m: clerks mistype or shorten a name in about 1 record in 20;
	// u: a district's commonest names are each about 1 % of its people.
	givenModel  = model{"givenName", 0.95, 0.01, 0.75}
	familyModel = model{"familyName", 0.95, 0.01, 0.75}
	models      = [nFields]model{
		{"name", 0, 0, 0}, // weighed as givenModel + familyModel
		// Often left out or reduced to an initial; a few hundred middle names share most students.
		{"middleName", 0.7, 0.05, 0.75},
		// 1 in 20 is mistyped; a birth date is shared by chance about once in 13 school years × 365 days
		// (u = 0.0003); the tolerated typos (similarity 0.8 transposed, 0.75 one digit) count most of an agreement.
		{"birthDate", 0.95, 0.0003, 0},
		{"sex", 0.97, 0.5, 0},
		// A second system numbers its people its own way, so ids agree for only half the true pairs
		// (m = 0.5): a different id weighs just -1, it never sinks a pair alone; an equal one is near proof.
		{"identifier", 0.5, 0.00001, 0},
		// The master (state) id is meant to follow a person everywhere: when both have one it agrees
		// but for a typo, so two different master ids speak against a pair (-5.6).
		{"userMasterIdentifier", 0.98, 0.000001, 0},
		// Addresses and usernames are made per system (a second system's differ: -1 and -0.5), but a
		// shared one is telling.
		{"email", 0.5, 0.0001, 0},
		{"username", 0.3, 0.0001, 0},
		// Duplicates mostly sit in the same school and grade; a district has tens of schools and 13 grades.
		{"school", 0.85, 0.1, 0},
		{"grades", 0.85, 0.1, 0},
	}
)

// priorLog2Odds turns the summed weight into a probability: a 2 % duplicate rate among 100,000
// people is 2,000 true pairs among 5·10⁹, odds of about 2⁻²¹. Score = 1 / (1 + 2^-(W - 21)), so
// exact name and birth date alone (W ≈ 24.8) score about 0.93, and each further agreement raises it.
const priorLog2Odds = -21

func (md model) weight(sim float64) float64 {
	agree, disagree := math.Log2(md.m/md.u), math.Log2((1-md.m)/(1-md.u))
	f := 1.0
	if sim < 1 {
		f = min(max((sim-md.lo)/(1-md.lo), 0), 1)
	}
	return disagree + (agree-disagree)*f
}

func score(w float64) float64 { return 1 / (1 + math.Exp2(-(w + priorLog2Odds))) }

// result is one field's comparison before it becomes Evidence (no allocation).
type result struct {
	sim, weight float64
	level       string
	note        string
}

// pairCmp compares two prepared people, computing each field once and only when a rule or the
// score needs it.
type pairCmp struct {
	a, b              *prepared
	nameDone, allDone bool
	given, family     float64 // name similarities, swapped when that fits better
	nameNote          string
	res               [nFields]result
	total             float64
}

func blank(s string) bool { return s == "" }

func (c *pairCmp) nameMissing() bool {
	return blank(c.a.given) && blank(c.a.family) || blank(c.b.given) && blank(c.b.family)
}

// names compares given and family names with their tolerances, then the same crossed (given and
// family swapped), keeping what fits better.
func (c *pairCmp) names() {
	if c.nameDone {
		return
	}
	c.nameDone = true
	a, b := c.a, c.b
	g, gn := givenSim(a, b)
	f, fn := familySim(a, b)
	c.given, c.family, c.nameNote = g, f, joinNotes(gn, fn)
	if min(g, f) < 1 {
		sg, sf := plainSim(a.given, b.family), plainSim(a.family, b.given)
		// Slightly below the same names in order, so a real order wins.
		if s := min(sg, sf) - 0.02; s > min(g, f) {
			c.given, c.family, c.nameNote = sg-0.02, sf-0.02, "given and family swapped"
		}
	}
}

// nameSim is the name's similarity: the lower of given and family, so both must be close.
func (c *pairCmp) nameSim() float64 {
	c.names()
	return min(c.given, c.family)
}

func plainSim(a, b string) float64 {
	if a == b {
		return 1
	}
	return JaroWinkler(a, b)
}

func givenSim(a, b *prepared) (float64, string) {
	switch {
	case a.given == b.given:
		return 1, ""
	case wordPrefix(a.given, b.given) || wordPrefix(b.given, a.given):
		return 0.95, "middle name appended"
	}
	best, note := JaroWinkler(a.given, b.given), "spelling"
	if best < 0.9 && lettersSwapped(a.given, b.given) {
		best, note = 0.9, "letters swapped"
	}
	if best < 0.93 && a.givenSound == b.givenSound {
		best, note = 0.93, "sounds alike"
	}
	if best < 0.95 && sameGroup(a.groups, b.groups) {
		best, note = 0.95, "nickname"
	}
	if best < 0.97 && (a.pref != "" && (a.pref == b.given || a.pref == b.pref || sameGroup(a.prefGroups, b.groups)) ||
		b.pref != "" && (b.pref == a.given || sameGroup(b.prefGroups, a.groups))) {
		best, note = 0.97, "preferred name"
	}
	if best < 0.97 && a.pref != "" && b.pref != "" && sameGroup(a.prefGroups, b.prefGroups) {
		best, note = 0.97, "preferred name"
	}
	return best, note
}

func familySim(a, b *prepared) (float64, string) {
	switch {
	case a.family == b.family:
		return 1, ""
	case a.familyJoined == b.familyJoined:
		return 1, "spacing"
	case wordPrefix(a.family, b.family) || wordPrefix(b.family, a.family) ||
		wordSuffix(a.family, b.family) || wordSuffix(b.family, a.family):
		return 0.93, "one of two family names"
	}
	best, note := JaroWinkler(a.family, b.family), "spelling"
	if best < 0.9 && lettersSwapped(a.family, b.family) {
		best, note = 0.9, "letters swapped"
	}
	if best < 0.93 && a.familySound == b.familySound {
		best, note = 0.93, "sounds alike"
	}
	return best, note
}

// lettersSwapped reports whether a and b differ by two neighbouring letters typed the other way
// round: Jaro-Winkler forgives that in long names but not in short ones (Ali / Ail: 0.56).
func lettersSwapped(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// wordPrefix reports whether long starts with the words of short ("ana" in "ana sofia").
func wordPrefix(short, long string) bool {
	return short != "" && len(long) > len(short) && long[len(short)] == ' ' && strings.HasPrefix(long, short)
}

func wordSuffix(short, long string) bool {
	return short != "" && len(long) > len(short) && long[len(long)-len(short)-1] == ' ' && strings.HasSuffix(long, short)
}

func joinNotes(a, b string) string {
	switch {
	case a == "" || a == "spelling" && b != "":
		return b
	case b == "" || b == "spelling":
		return a
	}
	return a + ", " + b
}

// dateSim compares birth dates: same 1, day and month transposed 0.8, one digit of YYYYMMDD
// off 0.75 (2014-05-03 ~ 2014-05-08 ~ 2015-05-03), the year one apart 0.75 (2009 ~ 2010), the day
// up to maxDaysApart apart in the same month 0.6, otherwise 0. Dates that do not parse compare as
// text.
func dateSim(a, b *prepared) (float64, string) {
	if !a.birth.ok() || !b.birth.ok() {
		if a.birthText == b.birthText {
			return 1, ""
		}
		return 0, ""
	}
	x, y := a.birth, b.birth
	switch {
	case x == y:
		return 1, ""
	case x.y == y.y && x.m == y.d && x.d == y.m:
		return 0.8, "day and month transposed"
	}
	dx, dy := x.digits(), y.digits()
	diff := 0
	for i := range dx {
		if dx[i] != dy[i] {
			diff++
		}
	}
	switch {
	case diff == 1:
		return 0.75, "one digit off"
	case x.m == y.m && x.d == y.d && (x.y-y.y == 1 || y.y-x.y == 1):
		return 0.75, "one year apart"
	case x.y == y.y && x.m == y.m && x.d-y.d <= maxDaysApart && y.d-x.d <= maxDaysApart:
		return 0.6, "days apart"
	}
	return 0, ""
}

// maxDaysApart is how far apart two days of one month may be and still be a mistyped birth date
// (a clerk's slip or a date read from a form); further apart, and in other months, they are
// different dates.
const maxDaysApart = 9

func (c *pairCmp) dateMissing() bool {
	return !c.a.birth.ok() && blank(c.a.birthText) || !c.b.birth.ok() && blank(c.b.birthText)
}

// evaluate compares every field (once) and sums the weights.
func (c *pairCmp) evaluate() {
	if c.allDone {
		return
	}
	c.allDone = true
	a, b := c.a, c.b
	if c.nameMissing() {
		c.res[fName] = result{level: Missing}
	} else {
		c.names()
		sim := min(c.given, c.family)
		note := c.nameNote
		switch {
		case sim < DefaultThreshold:
			note = "" // no tolerance made them alike
		case note == "":
			note = rawNote(a.p.Given+" "+a.p.Family, b.p.Given+" "+b.p.Family)
		}
		c.res[fName] = result{sim: sim, level: level(sim, DefaultThreshold), note: note,
			weight: givenModel.weight(c.given) + familyModel.weight(c.family)}
	}
	c.text(fMiddle, a.middle, b.middle, a.p.Middle, b.p.Middle)
	if c.dateMissing() {
		c.res[fBirth] = result{level: Missing}
	} else {
		sim, note := dateSim(a, b)
		lv := level(sim, 0.5) // every tolerated difference is "similar"
		if note == "" && sim == 1 && strings.TrimSpace(a.p.BirthDate) != strings.TrimSpace(b.p.BirthDate) {
			note = "written differently"
		}
		c.res[fBirth] = result{sim: sim, level: lv, note: note, weight: models[fBirth].weight(sim)}
	}
	c.equal(fSex, a.sex, b.sex, a.p.Sex, b.p.Sex)
	c.equal(fIdentifier, a.id, b.id, a.p.Identifier, b.p.Identifier)
	c.equal(fMaster, a.master, b.master, a.p.Master, b.p.Master)
	c.equal(fEmail, a.email, b.email, a.p.Email, b.p.Email)
	c.equal(fUsername, a.username, b.username, a.p.Username, b.p.Username)
	c.equal(fSchool, a.school, b.school, a.p.School, b.p.School)
	c.equal(fGrades, a.grades, b.grades, a.p.Grades, b.p.Grades)
	c.total = 0
	for _, r := range c.res {
		c.total += r.weight
	}
}

// equal compares a field that agrees or not (ids, addresses, codes): no partial credit, since
// two students' ids one digit apart are neighbours, not a typo.
func (c *pairCmp) equal(f int, x, y, rx, ry string) {
	switch {
	case x == "" || y == "":
		c.res[f] = result{level: Missing}
	case x == y:
		c.res[f] = result{sim: 1, level: Same, note: rawNote(rx, ry), weight: models[f].weight(1)}
	default:
		c.res[f] = result{level: Different, weight: models[f].weight(0)}
	}
}

// text compares a free-text field by Jaro-Winkler; an initial matches the name it begins.
func (c *pairCmp) text(f int, x, y, rx, ry string) {
	var sim float64
	note := ""
	switch {
	case x == "" || y == "":
		c.res[f] = result{level: Missing}
		return
	case x == y:
		sim, note = 1, rawNote(rx, ry)
	case len(x) == 1 && y[0] == x[0] || len(y) == 1 && x[0] == y[0]:
		sim, note = 0.9, "initial"
	default:
		sim = JaroWinkler(x, y)
	}
	c.res[f] = result{sim: sim, level: level(sim, DefaultThreshold), note: note, weight: models[f].weight(sim)}
}

func level(sim, similar float64) string {
	switch {
	case sim >= 1:
		return Same
	case sim >= similar:
		return Similar
	}
	return Different
}

// rawNote says how two values equal once normalized were written differently.
func rawNote(x, y string) string {
	x, y = strings.TrimSpace(x), strings.TrimSpace(y)
	switch {
	case x == y:
		return ""
	case strings.EqualFold(x, y):
		return "case"
	case !ascii(x) || !ascii(y):
		if n := Normalize(x); n == Normalize(y) && strings.ToLower(x) != strings.ToLower(y) && n != "" {
			return "accents"
		}
	}
	a, b := strings.ReplaceAll(Normalize(x), " ", ""), strings.ReplaceAll(Normalize(y), " ", "")
	switch {
	case a == b:
		return "punctuation or spacing"
	case NormalizeID(x) == NormalizeID(y):
		return "leading zeros"
	}
	return "written differently"
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// evidence is the comparison as the window shows it.
func (c *pairCmp) evidence() []Evidence {
	c.evaluate()
	a, b := c.a.p, c.b.p
	values := [nFields][2]string{
		{join(a.Given, a.Family), join(b.Given, b.Family)},
		{a.Middle, b.Middle}, {a.BirthDate, b.BirthDate}, {a.Sex, b.Sex}, {a.Identifier, b.Identifier},
		{a.Master, b.Master}, {a.Email, b.Email}, {a.Username, b.Username}, {a.School, b.School}, {a.Grades, b.Grades},
	}
	out := make([]Evidence, nFields)
	for f, r := range c.res {
		out[f] = Evidence{Field: models[f].name, Left: values[f][0], Right: values[f][1], Similarity: round3(r.sim),
			Level: r.level, Note: r.note, Weight: round3(r.weight)}
	}
	return out
}

func join(given, family string) string {
	return strings.TrimSpace(strings.TrimSpace(given) + " " + strings.TrimSpace(family))
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
