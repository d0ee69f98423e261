package spreadsheet

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// cell is one cell of a row: what the spreadsheet shows, and for a workbook the value stored behind it.
type cell struct {
	shown, raw string
	workbook   bool
	date1904   bool
}

// value turns a cell into the value OneRoster writes in col, or says in plain words why it cannot.
// A blank cell gives "".
func value(col roster.Column, c cell) (string, error) {
	v := strings.TrimSpace(c.shown)
	if v == "" {
		return "", nil
	}
	// A NUL past the first block of a text file, which told it from binary junk: no program shows
	// it, and a roster system would store or cut the value at it.
	if strings.ContainsRune(v, 0) {
		return "", errors.New("holds a NUL character, which is not text and stays invisible in a spreadsheet program; retype the value")
	}
	if len(v) > oneroster.MaxField {
		return "", fmt.Errorf("is %d KB long, more than the %d KB a roster value may hold (names and IDs are a few dozen characters), so something else was pasted into it; shorten or clear it", len(v)>>10, oneroster.MaxField>>10)
	}
	if formulaError(v) {
		return "", fmt.Errorf("shows the formula error %s instead of a value; fix the formula (a lookup that finds nothing shows #N/A) or type the value", v)
	}
	switch {
	case col.Kind == roster.Date:
		return dateValue(c)
	case col.Kind == roster.Bool:
		return boolValue(v)
	case col.Kind == roster.Enum:
		return enumValue(col.Choices, v)
	case col.Kind == roster.List || col.Kind == roster.RefList:
		return listValue(col, v)
	case isID(col):
		return idValue(c)
	}
	return v, nil
}

// formulaError tells the error values Excel and Google Sheets (#N/A, #REF!…) and LibreOffice
// (Err:502…) show in a cell whose formula fails, and save in a CSV file as if they were text.
func formulaError(v string) bool {
	switch v {
	case "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#ERROR!":
		return true
	}
	code, ok := strings.CutPrefix(v, "Err:")
	return ok && len(code) == 3 && digitsOnly(code)
}

// isID tells the columns holding identifiers, where a number the spreadsheet formatted must come
// back as the digits it stands for.
func isID(col roster.Column) bool {
	return col.Name == "sourcedId" || col.Kind == roster.Ref || col.Kind == roster.RefList ||
		col.Name == "identifier" || col.Name == "userMasterIdentifier"
}

// idValue gives an identifier as plain digits when the spreadsheet shows it as a number: 12345.0,
// 1.0E+5. A workbook keeps every digit behind the format; a CSV file has only what was shown, and
// when Excel wrote a long number in scientific notation its last digits are gone.
func idValue(c cell) (string, error) {
	v := strings.TrimSpace(c.shown)
	if c.workbook && c.raw != c.shown && !digitsOnly(v) { // a format like 00000 shows the digits meant
		if f, err := strconv.ParseFloat(strings.TrimSpace(c.raw), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f, 'f', -1, 64), nil
		}
	}
	return plainDigits(v)
}

// plainDigits rewrites a whole number written as 12345.0 or 1.0E+5 as digits; other text is kept.
func plainDigits(v string) (string, error) {
	if digitsOnly(v) {
		return v, nil // leading zeros are part of an ID
	}
	mantissa, exp := v, 0
	if i := strings.IndexAny(v, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(v[i+1:], "+"))
		if err != nil {
			return v, nil
		}
		mantissa, exp = v[:i], e
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	if strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") || !digitsOnly(whole) || (frac != "" && !digitsOnly(frac)) {
		return v, nil
	}
	digits := whole + frac
	exp -= len(frac)
	significant := strings.TrimRight(strings.TrimLeft(digits, "0"), "0")
	for exp < 0 && strings.HasSuffix(digits, "0") {
		digits, exp = digits[:len(digits)-1], exp+1
	}
	if exp < 0 {
		return v, nil // a fraction: not a number standing for an ID
	}
	digits += strings.Repeat("0", exp)
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	// Excel shows at most 6 significant digits in scientific notation and saves a CSV as shown.
	if exp > 0 && len(significant) >= 6 && len(digits) > len(significant) {
		return v, fmt.Errorf("%q is a long number that Excel shortened when it saved the file, so its last digits are lost. Format the column as Text in Excel, put the full IDs back and save again (or save as .xlsx)", v)
	}
	return digits, nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func boolValue(v string) (string, error) {
	switch strings.ToLower(v) {
	case "true", "yes", "y", "x", "1", "t":
		return "true", nil
	case "false", "no", "n", "0", "f":
		return "false", nil
	}
	return "", fmt.Errorf("%q is not yes or no; write TRUE or FALSE", v)
}

// enumSynonyms are spellings common in spreadsheets for values OneRoster spells out.
var enumSynonyms = map[string]string{"m": "male", "f": "female"}

func enumValue(choices []string, v string) (string, error) {
	if strings.HasPrefix(v, "ext:") {
		return v, nil
	}
	want := strings.ToLower(v)
	if s, ok := enumSynonyms[want]; ok {
		want = s
	}
	for _, c := range choices {
		if strings.ToLower(c) == want {
			return c, nil
		}
	}
	return "", fmt.Errorf("%q is not allowed here; use one of %s, or a value of your own starting with ext:", v, strings.Join(choices, ", "))
}

// listValue splits a list on commas or semicolons. Grade levels typed as numbers become the
// two-digit codes OneRoster uses (3 → 03).
func listValue(col roster.Column, v string) (string, error) {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if col.Kind == roster.RefList {
			p, err := plainDigits(part)
			if err != nil {
				return "", err
			}
			part = p
		}
		if col.Name == "grades" {
			if p, err := plainDigits(part); err == nil {
				if n, err := strconv.Atoi(p); err == nil && n >= 1 && n <= 13 {
					part = fmt.Sprintf("%02d", n)
				}
			}
		}
		out = append(out, part)
	}
	return strings.Join(out, ","), nil
}

// dateValue reads a date stored as a serial number in a workbook (what Excel, LibreOffice and Google
// Sheets save behind a date format), or written as text in an unambiguous form.
func dateValue(c cell) (string, error) {
	text := c.shown
	if c.workbook {
		text = c.raw // a date cell of type "d" holds ISO text
		if serial, err := strconv.ParseFloat(strings.TrimSpace(c.raw), 64); err == nil {
			t, err := excelize.ExcelDateToTime(math.Floor(serial), c.date1904)
			if err != nil || serial < 1 || t.Year() > 9999 {
				return "", fmt.Errorf("%s is not a date; format the column as a date, or %s", strings.TrimSpace(c.shown), writeDates)
			}
			return t.Format("2006-01-02"), nil
		}
	}
	return textDate(strings.TrimSpace(text))
}

const writeDates = "write dates as YYYY-MM-DD"

// textDate reads a date typed as text: YYYY-MM-DD with or without a time after it, or the other
// spellings oneroster.ParseDate reads one way only.
func textDate(v string) (string, error) {
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		v = v[:10]
	}
	iso, err := oneroster.ParseDate(v)
	switch {
	case errors.Is(err, oneroster.ErrAmbiguousDate):
		return "", fmt.Errorf("%q could be day/month or month/day; %s, or format the column as a date", v, writeDates)
	case errors.Is(err, oneroster.ErrShortYear):
		return "", fmt.Errorf("%q has no four-digit year; %s", v, writeDates)
	case errors.Is(err, oneroster.ErrNotRealDate):
		return "", fmt.Errorf("%q is not a real date", v)
	case err != nil:
		return "", fmt.Errorf("%q is not a date; %s", v, writeDates)
	}
	return iso, nil
}
