package dedupe

import (
	"strings"
)

// Person is what a scan compares of one roster user (values as stored; blank = "").
type Person struct {
	ID                                    string // roster sourcedId
	Given, Family, Middle, PreferredGiven string
	Identifier, Master, Email, Username   string // Master = userMasterIdentifier
	BirthDate, Sex                        string // from the user's demographics record; BirthDate mostly YYYY-MM-DD
	Role                                  string // primary role: student, teacher, guardian, parent, administrator, aide, ...
	School                                string // primary org sourcedId
	Grades                                string
}

// prepared is a person's values in the forms comparisons use, computed once per scan so the pair
// loop neither normalizes nor allocates.
type prepared struct {
	p                           *Person
	student                     bool
	given, family, middle, pref string   // Normalize'd
	givenFirst, familyJoined    string   // the given name's first word; the family name without spaces
	givenSound, familySound     string   // phonetic forms
	groups, prefGroups          []uint16 // nickname groups of the first words of given and preferred
	id, master                  string   // NormalizeID'd
	email, username             string   // Normalize'd
	birth                       date
	birthText                   string // Normalize'd, only for a date that does not parse
	sex, school, grades         string
	// Hashes of the id-like fields (identifier, master, email, username: rIdentifier…rUsername) as
	// written and normalized, so most unequal values are told apart without comparing strings.
	exactHash, normHash [4]uint64
}

func prepare(p *Person) prepared {
	x := prepared{p: p, student: Normalize(p.Role) == "student",
		given: Normalize(p.Given), family: Normalize(p.Family), middle: Normalize(p.Middle), pref: Normalize(p.PreferredGiven),
		id: NormalizeID(p.Identifier), master: NormalizeID(p.Master), email: Normalize(p.Email), username: Normalize(p.Username),
		birth: parseDate(p.BirthDate), sex: normalizeSex(p.Sex),
		school: strings.TrimSpace(p.School), grades: NormalizeID(p.Grades)}
	if !x.birth.ok() {
		x.birthText = Normalize(p.BirthDate)
	}
	for f, v := range [4]string{p.Identifier, p.Master, p.Email, p.Username} {
		x.exactHash[f] = valueHash(strings.TrimSpace(v))
	}
	for f, v := range [4]string{x.id, x.master, x.email, x.username} {
		x.normHash[f] = valueHash(v)
	}
	x.givenFirst, _, _ = strings.Cut(x.given, " ")
	x.familyJoined = strings.ReplaceAll(x.family, " ", "")
	x.givenSound, x.familySound = phonetic(x.given), phonetic(x.familyJoined)
	x.groups = nickGroups[x.givenFirst]
	first, _, _ := strings.Cut(x.pref, " ")
	x.prefGroups = nickGroups[first]
	return x
}

func normalizeSex(s string) string {
	switch n := Normalize(s); n {
	case "f", "female", "w", "woman", "girl", "femenino":
		return "f"
	case "m", "male", "man", "boy", "masculino":
		return "m"
	default:
		return n
	}
}

// date is a calendar date as SIS exports write it; the zero value is "not a date".
type date struct{ y, m, d int }

// parseDate reads YYYY-MM-DD (a time after it is ignored), YYYY/MM/DD, YYYYMMDD, and M/D/YYYY or
// D/M/YYYY (also with - or .): month first unless it cannot be a month (then day first, also
// after a 4-digit year). A reading
// taken the wrong way round still matches as "day and month transposed".
func parseDate(s string) date {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "T "); i > 0 {
		s = s[:i]
	}
	var n [3]int
	var w [3]int // digits in each number
	k := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			n[k] = n[k]*10 + int(c-'0')
			w[k]++
		case (c == '-' || c == '/' || c == '.') && k < 2 && w[k] > 0:
			k++
		default:
			return date{}
		}
	}
	var d date
	switch {
	case k == 0 && w[0] == 8:
		d = date{n[0] / 10000, n[0] / 100 % 100, n[0] % 100}
	case k == 2 && w[0] == 4 && w[1] <= 2 && w[2] <= 2:
		d = date{n[0], n[1], n[2]}
		if d.m > 12 { // YYYY-DD-MM: a transposition that cannot be read otherwise
			d.m, d.d = d.d, d.m
		}
	case k == 2 && w[2] == 4 && w[0] <= 2 && w[1] <= 2:
		d = date{n[2], n[0], n[1]}
		if d.m > 12 {
			d.m, d.d = d.d, d.m
		}
	default:
		return date{}
	}
	if d.y < 1000 || d.m < 1 || d.m > 12 || d.d < 1 || d.d > 31 {
		return date{}
	}
	return d
}

func (d date) ok() bool { return d.y != 0 }

// digits is the date as the eight digits YYYYMMDD.
func (d date) digits() [8]byte {
	var out [8]byte
	v := d.y*10000 + d.m*100 + d.d
	for i := 7; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return out
}

// canonical is the date with month and day in ascending order, so a transposed date blocks with
// the right one.
func (d date) canonical() date {
	if d.m > d.d {
		d.m, d.d = d.d, d.m
	}
	return d
}

// valueHash is 0 for a blank value, otherwise FNV-1a (never 0).
func valueHash(s string) uint64 {
	if s == "" {
		return 0
	}
	return newHash(0, false).str(s).sum()
}
