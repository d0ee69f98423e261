package oneroster

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// check normalises one value of a column. It returns the value to keep, and a warning (the value was
// understood and rewritten) or an error (the value cannot be read without guessing), each with the
// kind used to cap repeated findings.
func check(col roster.Column, v string) (value, warnKind, warn, errKind, fail string) {
	if v == "" {
		return v, "", "", "", ""
	}
	switch col.Kind {
	case roster.Date:
		return checkDate(v)
	case roster.DateTime:
		return checkDateTime(v)
	case roster.Year:
		if len(v) == 4 && digits(v) {
			return v, "", "", "", ""
		}
		return v, "", "", "year", fmt.Sprintf("%q is not a year; write four digits, e.g. 2027", v)
	case roster.Bool:
		switch v {
		case "true", "false":
			return v, "", "", "", ""
		}
		switch strings.ToLower(v) {
		case "true", "1", "yes", "y", "t":
			return "true", "bool", fmt.Sprintf("%q read as true (OneRoster writes true or false)", v), "", ""
		case "false", "0", "no", "n", "f":
			return "false", "bool", fmt.Sprintf("%q read as false (OneRoster writes true or false)", v), "", ""
		}
		return v, "", "", "bool", fmt.Sprintf("%q is not true or false", v)
	case roster.Enum:
		return checkEnum(col.Choices, v)
	case roster.List, roster.RefList:
		if strings.Contains(v, ", ") || strings.HasPrefix(v, " ") || strings.HasSuffix(v, " ") {
			parts := strings.Split(v, ",")
			for i := range parts {
				parts[i] = strings.TrimSpace(parts[i])
			}
			return strings.Join(parts, ","), "", "", "", ""
		}
	}
	return v, "", "", "", ""
}

func checkEnum(choices []string, v string) (value, warnKind, warn, errKind, fail string) {
	for _, c := range choices {
		if v == c {
			return v, "", "", "", ""
		}
	}
	if strings.HasPrefix(v, "ext:") {
		return v, "", "", "", ""
	}
	for _, c := range choices {
		if strings.EqualFold(v, c) {
			return c, "enum-case", fmt.Sprintf("%q read as %q (values are case-sensitive)", v, c), "", ""
		}
	}
	return v, "", "", "enum", fmt.Sprintf("%q is not allowed here; use one of %s, or a proprietary value starting with ext:", v, strings.Join(choices, ", "))
}

// checkDate accepts YYYY-MM-DD; other spellings only when they can be read one way.
func checkDate(v string) (value, warnKind, warn, errKind, fail string) {
	if isISODate(v) {
		return v, "", "", "", ""
	}
	iso, err := ParseDate(v)
	switch {
	case errors.Is(err, ErrAmbiguousDate):
		return v, "", "", "date-ambiguous", fmt.Sprintf("the date %s could be day/month or month/day; write it as YYYY-MM-DD", v)
	case errors.Is(err, ErrNotRealDate):
		return v, "", "", "date", fmt.Sprintf("%q is not a real date", v)
	case err != nil:
		return v, "", "", "date", fmt.Sprintf("%q is not a date; write it as YYYY-MM-DD", v)
	}
	return iso, "date-format", fmt.Sprintf("%q read as %s (write dates as YYYY-MM-DD)", v, iso), "", ""
}

// Why ParseDate fails.
var (
	ErrAmbiguousDate = errors.New("the date could be day/month or month/day")
	ErrNotADate      = errors.New("not a date")
	ErrNotRealDate   = fmt.Errorf("%w: no such day", ErrNotADate)
	ErrShortYear     = fmt.Errorf("%w: no four-digit year", ErrNotADate)
)

// ParseDate reads a date written year first (Y-M-D with -, / or .) or year last (D/M/Y or M/D/Y,
// only when one reading is possible: a part over 12, or day equal to month) and returns it as
// YYYY-MM-DD. Spreadsheets share it, so a date reads the same whichever source it came from.
func ParseDate(v string) (string, error) {
	sep := "-"
	if strings.Contains(v, "/") {
		sep = "/"
	} else if strings.Contains(v, ".") {
		sep = "."
	}
	parts := strings.Split(v, sep)
	if len(parts) != 3 {
		return "", ErrNotADate
	}
	n := make([]int, 3)
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		x, err := strconv.Atoi(parts[i])
		if err != nil {
			return "", ErrNotADate
		}
		n[i] = x
	}
	var y, m, d int
	switch {
	case len(parts[0]) == 4:
		y, m, d = n[0], n[1], n[2]
	case len(parts[2]) != 4:
		return "", ErrShortYear
	case n[0] == n[1] || (n[0] > 12 && n[1] <= 12):
		y, m, d = n[2], n[1], n[0]
	case n[1] > 12 && n[0] <= 12:
		y, m, d = n[2], n[0], n[1]
	case n[0] <= 12 && n[1] <= 12:
		return "", ErrAmbiguousDate
	default:
		return "", ErrNotADate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", ErrNotRealDate
	}
	return t.Format("2006-01-02"), nil
}

func isISODate(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' || !digits(v[:4]) || !digits(v[5:7]) || !digits(v[8:]) {
		return false
	}
	m, d := (v[5]-'0')*10+v[6]-'0', (v[8]-'0')*10+v[9]-'0'
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// checkDateTime accepts YYYY-MM-DDTHH:MM:SS.sssZ and rewrites other ISO 8601 forms to it, in UTC.
func checkDateTime(v string) (value, warnKind, warn, errKind, fail string) {
	if len(v) == 24 && v[10] == 'T' && v[23] == 'Z' && v[19] == '.' && isISODate(v[:10]) {
		return v, "", "", "", ""
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			norm := t.UTC().Format(dateTimeLayout)
			return norm, "datetime-format", fmt.Sprintf("%q read as %s (write date-times as YYYY-MM-DDTHH:MM:SS.sssZ)", v, norm), "", ""
		}
	}
	if d, _, _, ek, _ := checkDate(v); ek == "" {
		norm := d + "T00:00:00.000Z"
		return norm, "datetime-format", fmt.Sprintf("%q has no time; read as %s", v, norm), "", ""
	}
	return v, "", "", "datetime", fmt.Sprintf("%q is not a date-time; write it as YYYY-MM-DDTHH:MM:SS.sssZ", v)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// distance is the edit distance between two short strings (for "did you mean" on headers).
func distance(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
