package dedupe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folds are letters that carry no combining mark to strip but that registrars type both ways.
var folds = map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}

// stripMarks decomposes a letter (NFD) and drops its combining marks: é → e.
func stripMarks(r rune) string {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	var out []rune
	for _, c := range norm.NFD.String(string(buf[:n])) {
		if !unicode.IsMark(c) {
			out = append(out, c)
		}
	}
	return string(out)
}

// latinFold holds stripMarks of the Latin-1 and Latin Extended letters, the accents names carry,
// so normalizing them does not allocate.
const latinFrom, latinTo = 0xC0, 0x250

var latinFold = func() (t [latinTo - latinFrom]string) {
	for r := rune(latinFrom); r < latinTo; r++ {
		t[r-latinFrom] = stripMarks(r)
	}
	return t
}()

// Normalize folds what differs between two systems typing the same value: case, accents (é→e,
// ñ→n), apostrophes (O'Brien → obrien), other punctuation and symbols (a space: Garcia-Lopez →
// garcia lopez) and runs of whitespace (one space, none at either end).
func Normalize(s string) string {
	if normalized(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a separator is pending
	put := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				put(r)
			case 'A' <= r && r <= 'Z':
				put(r + 'a' - 'A')
			case r == '\'' || r == '`':
			default:
				space = true
			}
		case r == '’' || r == '‘' || r == 'ʼ' || r == '´':
		case unicode.IsMark(r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if f, ok := folds[r]; ok {
				for _, c := range f {
					put(c)
				}
				continue
			}
			if r >= latinFrom && r < latinTo {
				for _, c := range latinFold[r-latinFrom] {
					put(c)
				}
				continue
			}
			for _, c := range stripMarks(r) {
				put(c)
			}
		default:
			space = true
		}
	}
	return b.String()
}

// normalized reports whether Normalize would return s unchanged (lower-case ASCII letters and
// digits, single inner spaces): most e-mail-less values, saving an allocation per value.
func normalized(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == ' ' && i > 0 && i < len(s)-1 && s[i-1] != ' ') {
			return false
		}
	}
	return true
}

// NormalizeID is Normalize without spaces and with the leading zeros of every run of digits
// dropped, because SIS exports pad ids to a width and spreadsheets strip the padding again:
// "001234" ≡ "1234" and "S0001234" ≡ "s 1234" ≡ "s-1234" (a letter prefix is kept, so "S1234" and
// "T1234" stay apart). A run of zeros only keeps one zero.
func NormalizeID(s string) string {
	n := strings.ReplaceAll(Normalize(s), " ", "")
	b := make([]byte, 0, len(n))
	leading := false // among the zeros that open a run of digits
	for i := 0; i < len(n); i++ {
		c := n[i]
		if isDigit(c) && (i == 0 || !isDigit(n[i-1])) {
			leading = true
		}
		if leading && c == '0' && i+1 < len(n) && isDigit(n[i+1]) {
			continue
		}
		leading = false
		b = append(b, c)
	}
	return string(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Soundex is the American Soundex code (as in the US census): the first letter, then the digits
// of the following consonants (b f p v → 1; c g j k q s x z → 2; d t → 3; l → 4; m n → 5; r → 6),
// a digit repeated only when a vowel separates the letters (h and w do not separate), padded with
// zeros to four characters. It reads the Normalize'd letters a–z only; a value without any gives "".
func Soundex(s string) string {
	if c := soundex(Normalize(s)); c[0] != 0 {
		return string(c[:])
	}
	return ""
}

// soundex is Soundex of a Normalize'd value without allocating; a zero code when it has no letter.
func soundex(s string) [4]byte {
	const codes = "01230120022455012623010202" // a..z
	var out [4]byte
	n := 0
	var last byte
	for i := 0; i < len(s) && n < 4; i++ {
		r := s[i]
		if r < 'a' || r > 'z' {
			continue
		}
		c := codes[r-'a']
		switch {
		case n == 0:
			out[0] = r - 'a' + 'A'
			n, last = 1, c
		case r == 'h' || r == 'w':
		case c == '0':
			last = 0
		case c != last:
			out[n] = c
			n++
			last = c
		}
	}
	if n == 0 {
		return out
	}
	for ; n < 4; n++ {
		out[n] = '0'
	}
	return out
}

// Jaro is the Jaro similarity of two strings, rune by rune (0 different … 1 equal).
func Jaro(a, b string) float64 {
	var ba, bb [64]rune
	return jaro(runes(a, ba[:]), runes(b, bb[:]))
}

// JaroWinkler is Winkler's variant of Jaro: a common prefix of up to 4 runes raises the similarity
// by 0.1 × prefix × (1 − Jaro) when Jaro is above 0.7 (Winkler 1990).
func JaroWinkler(a, b string) float64 {
	var ba, bb [64]rune
	ra, rb := runes(a, ba[:]), runes(b, bb[:])
	j := jaro(ra, rb)
	if j <= 0.7 {
		return j
	}
	p := 0
	for p < 4 && p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	return j + 0.1*float64(p)*(1-j)
}

// runes decodes s into buf (on the caller's stack, so names compare without allocating) or, when
// longer, into a new slice.
func runes(s string, buf []rune) []rune {
	n := 0
	for _, r := range s {
		if n == len(buf) {
			return []rune(s)
		}
		buf[n] = r
		n++
	}
	return buf[:n]
}

func jaro(a, b []rune) float64 {
	if len(a) == 0 || len(b) == 0 {
		if len(a) == len(b) {
			return 1
		}
		return 0
	}
	// Flags live on the stack for names (the hot path); longer values allocate.
	var fa, fb [64]bool
	ma, mb := fa[:0], fb[:0]
	if len(a) <= len(fa) && len(b) <= len(fb) {
		ma, mb = fa[:len(a)], fb[:len(b)]
	} else {
		ma, mb = make([]bool, len(a)), make([]bool, len(b))
	}
	window := max(len(a), len(b))/2 - 1
	window = max(window, 0)
	m := 0
	for i, r := range a {
		for j := max(0, i-window); j < min(len(b), i+window+1); j++ {
			if !mb[j] && b[j] == r {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, j := 0, 0
	for i, r := range a {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if b[j] != r {
			t++
		}
		j++
	}
	fm := float64(m)
	return (fm/float64(len(a)) + fm/float64(len(b)) + (fm-float64(t)/2)/fm) / 3
}

// phonetic folds spellings that sound alike in English and Spanish names, for a Normalize'd value:
// ph → f, c before a, o, u or a consonant → k, q(u) → k, ck → k, z → s, y → i, v → b, h after a
// consonant other than c or s dropped, doubled letters once. Clark ≡ Klark, Smyth ≡ Smith,
// Phillips ≡ Filips, Gonzalez ≡ Gonzales, Catherine ≡ Katherine.
func phonetic(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case c == 'p' && next == 'h':
			c = 'f'
			i++
		case c == 'c' && next == 'k', c == 'q' && next == 'u':
			c = 'k'
			i++
		case c == 'c' && next != 'e' && next != 'i' && next != 'y' && next != 'h', c == 'q':
			c = 'k'
		case c == 'z':
			c = 's'
		case c == 'y':
			c = 'i'
		case c == 'v':
			c = 'b'
		case c == 'h' && i > 0 && !strings.ContainsRune("aeioucs ", rune(s[i-1])):
			continue
		}
		if len(b) > 0 && b[len(b)-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}
