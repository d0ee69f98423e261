package dedupe

import (
	"fmt"
	"testing"
)

// Published values: Winkler (1990) and the examples every implementation checks against.
func TestComparatorsPublishedValues(t *testing.T) {
	for _, c := range []struct {
		fn   func(a, b string) float64
		name string
		a, b string
		want string
	}{
		{JaroWinkler, "JW", "MARTHA", "MARHTA", "0.961"},
		{Jaro, "Jaro", "MARTHA", "MARHTA", "0.944"},
		{Jaro, "Jaro", "DIXON", "DICKSONX", "0.767"},
		{JaroWinkler, "JW", "DIXON", "DICKSONX", "0.813"},
		{JaroWinkler, "JW", "DWAYNE", "DUANE", "0.840"},
		{Jaro, "Jaro", "DWAYNE", "DUANE", "0.822"},
		{JaroWinkler, "JW", "JONES", "JOHNSON", "0.832"},
		{JaroWinkler, "JW", "ABC", "ABC", "1.000"},
		{JaroWinkler, "JW", "ABC", "XYZ", "0.000"},
		{JaroWinkler, "JW", "", "", "1.000"},
		{JaroWinkler, "JW", "A", "", "0.000"},
		// Runes, not bytes: é is one letter, so one substitution in four (bytes would make it 3 of 5).
		{Jaro, "Jaro", "JOSÉ", "JOSE", "0.833"},
		{JaroWinkler, "JW", "MARTHA", "MARTHA", "1.000"},
		// No prefix boost at or below Jaro 0.7 (Winkler's boost threshold).
		{JaroWinkler, "JW", "ABCDEFGH", "AXXXXXXX", "0.417"},
	} {
		got := fmt.Sprintf("%.3f", c.fn(c.a, c.b))
		if got != c.want {
			t.Errorf("%s(%s, %s) = %s, want %s", c.name, c.a, c.b, got, c.want)
		}
		if rev := fmt.Sprintf("%.3f", c.fn(c.b, c.a)); rev != got {
			t.Errorf("%s(%s, %s) = %s but reversed %s", c.name, c.a, c.b, got, rev)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, c := range [][2]string{
		{"José", "jose"}, {"  MUÑOZ  ", "munoz"}, {"O'Brien", "obrien"}, {"O’Brien", "obrien"},
		{"García-López", "garcia lopez"}, {"Mary  Jane\t", "mary jane"}, {"Strauß", "strauss"},
		{"Øster", "oster"}, {"J.R.", "j r"}, {"Zoë", "zoe"}, {"Łukasz", "lukasz"}, {"", ""}, {" -- ", ""},
		{"ＭＡＲＩＡ", "ｍａｒｉａ"}, {"Nguyễn", "nguyen"}, {"Иван", "иван"},
	} {
		if got := Normalize(c[0]); got != c[1] {
			t.Errorf("Normalize(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestNormalizeID(t *testing.T) {
	for _, c := range [][2]string{
		{"001234", "1234"}, {"S0001234", "s1234"}, {"s 1234", "s1234"}, {"S-0001234", "s1234"},
		{"1002", "1002"}, {"0000", "0"}, {"0", "0"}, {"A00B007", "a0b7"}, {"T1234", "t1234"},
		{"12 003", "12003"}, {" ", ""},
	} {
		if got := NormalizeID(c[0]); got != c[1] {
			t.Errorf("NormalizeID(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

// Soundex codes from the US National Archives' description of the algorithm.
func TestSoundex(t *testing.T) {
	for _, c := range [][2]string{
		{"Robert", "R163"}, {"Rupert", "R163"}, {"Rubin", "R150"}, {"Ashcraft", "A261"}, {"Ashcroft", "A261"},
		{"Tymczak", "T522"}, {"Pfister", "P236"}, {"Honeyman", "H555"}, {"Lee", "L000"}, {"Gutierrez", "G362"},
		{"O'Brien", "O165"}, {"Muñoz", "M520"}, {"", ""}, {"123", ""}, {"de la Cruz", "D426"},
		{"Bkwk", "B200"}, // w, like h, does not separate two letters of one code
	} {
		if got := Soundex(c[0]); got != c[1] {
			t.Errorf("Soundex(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestPhonetic(t *testing.T) {
	for _, c := range [][2]string{
		{"clark", "klark"}, {"smyth", "smith"}, {"phillips", "filips"}, {"gonzalez", "gonzales"}, {"catherine", "katherine"},
		{"jackson", "jakson"}, {"zoe", "soe"}, {"thomas", "tomas"}, {"silvia", "silbia"},
	} {
		if a, b := phonetic(c[0]), phonetic(c[1]); a != b {
			t.Errorf("phonetic(%s) = %s, phonetic(%s) = %s: want equal", c[0], a, c[1], b)
		}
	}
	for _, c := range [][2]string{{"cecilia", "kekilia"}, {"ana", "eva"}, {"lee", "li"}} {
		if a, b := phonetic(c[0]), phonetic(c[1]); a == b {
			t.Errorf("phonetic(%s) = phonetic(%s) = %s: want different", c[0], c[1], a)
		}
	}
}
