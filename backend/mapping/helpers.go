package mapping

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// Helper documents one expression helper for the mapping screen.
type Helper struct {
	Name      string `json:"name"`
	Signature string `json:"signature"`
	Help      string `json:"help"`
	Example   string `json:"example"`
}

// helper is a documented expression function with the types expr checks its calls against.
type helper struct {
	Helper
	fn    func(params ...any) (any, error)
	types []any
}

// Helpers documents the expression helpers.
func Helpers() []Helper {
	out := make([]Helper, len(helpers))
	for i, h := range helpers {
		out[i] = h.Helper
	}
	return out
}

var helpers = []helper{
	{Helper{"upper", "upper(text)", "The text in capitals.", `upper(familyName) → "O'BRIEN"`},
		text1(strings.ToUpper), []any{new(func(string) string)}},
	{Helper{"lower", "lower(text)", "The text in small letters.", `lower(email) → "ana@school.org"`},
		text1(strings.ToLower), []any{new(func(string) string)}},
	{Helper{"trim", "trim(text)", "The text without spaces at either end.", `trim(" 7 ") → "7"`},
		text1(strings.TrimSpace), []any{new(func(string) string)}},
	{Helper{"title", "title(text)", "Each word with a capital first letter.", `title("ÉLODIE o'brien") → "Élodie O'Brien"`},
		text1(title), []any{new(func(string) string)}},
	{Helper{"substr", "substr(text, start, length)", "Part of the text: length characters from start (the first character is 0).", `substr("Washington", 0, 4) → "Wash"`},
		substr, []any{new(func(string, int, int) string)}},
	{Helper{"replace", "replace(text, pattern, replacement)", "Replaces every match of a regular expression; $1 in the replacement is the first group.", `replace(phone, "[^0-9]", "") → "5551234567"`},
		replace, []any{new(func(string, string, string) string)}},
	{Helper{"padLeft", "padLeft(text, width, pad)", "The text made width characters long by adding pad on the left.", `padLeft(identifier, 8, "0") → "00012345"`},
		padLeft, []any{new(func(string, int, string) string)}},
	{Helper{"coalesce", "coalesce(a, b, ...)", "The first value that is not blank.", `coalesce(preferredGivenName, givenName) → "Ana"`},
		coalesce, []any{new(func(...any) any)}},
	{Helper{"default", "default(value, fallback)", "The value, or fallback when the value is blank.", `default(demographics.sex, "unspecified") → "unspecified"`},
		func(p ...any) (any, error) { return coalesce(p[0], p[1]) }, []any{new(func(any, any) any)}},
	{Helper{"split", "split(text, separator)", "The list of parts of the text between separators.", `split(grades, ",") → ["09", "10"]`},
		split, []any{new(func(string, string) []string)}},
	{Helper{"join", "join(list, separator)", "The list's values as one text, with separator between them.", `join(split(grades, ","), ";") → "09;10"`},
		join, []any{new(func(any, string) string)}},
	{Helper{"formatDate", "formatDate(date, layout)", "A date (YYYY-MM-DD or a full date and time) written with YYYY, YY, MM, M, DD and D.", `formatDate(demographics.birthDate, "MM/DD/YYYY") → "03/07/2011"`},
		formatDate, []any{new(func(any, string) string)}},
}

// text1 makes a helper of a text function.
func text1(f func(string) string) func(params ...any) (any, error) {
	return func(p ...any) (any, error) { return f(text(p[0])), nil }
}

// title capitalises the first letter of each word and lowers the rest. After an apostrophe it
// capitalises only behind a one-letter prefix: O'Brien and D'Angelo, but not Don'T.
func title(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	run := 0       // letters in the current word so far
	upNext := true // the next letter starts a word
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if upNext {
				b.WriteRune(unicode.ToTitle(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			upNext = false
			run++
		case r == '\'' || r == '’':
			b.WriteRune(r)
			upNext = run == 1
			run = 0
		default:
			b.WriteRune(r)
			upNext, run = true, 0
		}
	}
	return b.String()
}

func substr(p ...any) (any, error) {
	runes := []rune(text(p[0]))
	start, length := number(p[1]), number(p[2])
	start = min(max(start, 0), len(runes))
	length = min(max(length, 0), len(runes)-start) // clipped before adding: start+length may overflow
	return string(runes[start : start+length]), nil
}

// number is an integer argument. expr checks the types it knows; a value of unknown type (from get,
// say) counts if it is a number or its text, else it is 0.
func number(v any) int {
	switch v := v.(type) {
	case int:
		return v
	case float64:
		return int(v)
	}
	n, _ := strconv.Atoi(text(v))
	return n
}

// Compiled regular expressions, shared by every program: a mapping uses a few patterns for millions of
// records. The cache stops growing at maxRegexps so patterns made from record values cannot fill memory.
var (
	regexps     sync.Map
	regexpCount atomic.Int32
)

const maxRegexps = 256

func compileRegexp(pattern string) (*regexp.Regexp, error) {
	if re, ok := regexps.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		var bad *syntax.Error
		if errors.As(err, &bad) {
			return nil, fmt.Errorf("%q is not a regular expression: %s", pattern, bad.Code)
		}
		return nil, fmt.Errorf("%q is not a regular expression", pattern)
	}
	if regexpCount.Add(1) <= maxRegexps {
		regexps.Store(pattern, re)
	}
	return re, nil
}

func replace(p ...any) (any, error) {
	s, repl := text(p[0]), text(p[2])
	re, err := compileRegexp(text(p[1]))
	if err != nil {
		return nil, err
	}
	// Expand match by match, refusing before a replacement like "$0$0$0…" on many matches grows past maxText.
	dollars := strings.Count(repl, "$")
	var out []byte
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if len(out)+(m[0]-last)+len(repl)+dollars*(m[1]-m[0]) > maxText {
			return nil, errTooLong
		}
		out = append(out, s[last:m[0]]...)
		out = re.ExpandString(out, repl, s, m)
		last = m[1]
	}
	if len(out)+len(s)-last > maxText {
		return nil, errTooLong
	}
	return string(append(out, s[last:]...)), nil
}

func padLeft(p ...any) (any, error) {
	s, width, pad := text(p[0]), number(p[1]), []rune(text(p[2]))
	if width > maxText {
		return nil, fmt.Errorf("padLeft to %d characters is more than the %d allowed", width, maxText)
	}
	missing := width - len([]rune(s))
	if missing <= 0 || len(pad) == 0 {
		return s, nil
	}
	fill := make([]rune, missing)
	for i := range fill {
		fill[i] = pad[i%len(pad)]
	}
	return string(fill) + s, nil
}

func coalesce(p ...any) (any, error) {
	for _, v := range p {
		if !blank(v) {
			return v, nil
		}
	}
	if len(p) > 0 {
		return p[len(p)-1], nil
	}
	return nil, nil
}

func split(p ...any) (any, error) {
	s, sep := text(p[0]), text(p[1])
	if s == "" {
		return []string{}, nil // a blank list has no parts, not one blank part
	}
	if sep == "" {
		return nil, errors.New("split needs a separator, like \",\"")
	}
	return strings.Split(s, sep), nil
}

func join(p ...any) (any, error) {
	sep := text(p[1])
	var parts []string
	switch list := p[0].(type) {
	case []string:
		parts = list
	case []any:
		parts = make([]string, len(list))
		for i, v := range list {
			parts[i] = text(v)
		}
	case nil:
	default:
		parts = []string{text(list)}
	}
	size := len(sep) * max(len(parts)-1, 0)
	for _, s := range parts {
		size += len(s)
	}
	if size > maxText {
		return nil, errTooLong
	}
	return strings.Join(parts, sep), nil
}

// formatDate writes a date in a layout of YYYY, YY, MM, M, DD and D. It reads OneRoster dates
// (YYYY-MM-DD) and date-times; a blank date stays blank.
func formatDate(p ...any) (any, error) {
	s, layout := strings.TrimSpace(text(p[0])), text(p[1])
	if s == "" {
		return "", nil
	}
	var t time.Time
	var err error
	if len(s) == len(time.DateOnly) {
		t, err = time.Parse(time.DateOnly, s)
	} else if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
		t, err = time.Parse("2006-01-02T15:04:05.999999999", s)
	}
	if err != nil {
		return nil, fmt.Errorf("%q is not a date formatDate can read: write dates as YYYY-MM-DD", s)
	}
	b := make([]byte, 0, len(layout)+2)
	for i := 0; i < len(layout); {
		n, value, width := dateToken(layout[i:], t)
		switch {
		case n == 0:
			b = append(b, layout[i])
			i++
			continue
		case width == 2 && value < 10:
			b = append(b, '0')
		case width == 4 && value < 1000:
			b = append(b, "000"[:4-len(strconv.Itoa(value))]...)
		}
		b = strconv.AppendInt(b, int64(value), 10)
		i += n
	}
	return string(b), nil
}

// dateToken is the length of the layout token at the start of rest (0 if none), its value for t,
// and the digits it is padded to.
func dateToken(rest string, t time.Time) (n, value, width int) {
	switch {
	case strings.HasPrefix(rest, "YYYY"):
		return 4, t.Year(), 4
	case strings.HasPrefix(rest, "YY"):
		return 2, t.Year() % 100, 2
	case strings.HasPrefix(rest, "MM"):
		return 2, int(t.Month()), 2
	case strings.HasPrefix(rest, "M"):
		return 1, int(t.Month()), 1
	case strings.HasPrefix(rest, "DD"):
		return 2, t.Day(), 2
	case strings.HasPrefix(rest, "D"):
		return 1, t.Day(), 1
	}
	return 0, 0, 0
}

// suggest names the closest of names to name (a field may also match by its part after the dot, as
// in demographics.sexx), or says where the list is when none is close.
func suggest(name string, names []string) string {
	best, bestDist := "", -1
	for _, n := range names {
		_, field, _ := strings.Cut(n, ".")
		for _, candidate := range []string{n, field} {
			if candidate == "" {
				continue
			}
			if d := distance(strings.ToLower(name), strings.ToLower(candidate)); bestDist < 0 || d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	if best != "" && bestDist <= max(2, len([]rune(name))/3) {
		return fmt.Sprintf("Did you mean %s?", best)
	}
	return "Pick one from the list of fields this mapping can read"
}

// distance is the Levenshtein distance between a and b in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
