package mapping

import (
	"fmt"
	"strings"
	"unicode"
)

// codeLookup is a field's code table ready for lookups.
type codeLookup struct {
	exact, loose map[string]string
	from         []string // the table's source values, for messages
	unmatched    string
	def          string
}

// newCodeLookup prepares f's code table, with a message for each problem in it.
func newCodeLookup(f Field) (*codeLookup, []string) {
	var msgs []string
	c := &codeLookup{exact: map[string]string{}, loose: map[string]string{}, unmatched: f.Unmatched, def: f.Default}
	switch f.Unmatched {
	case "", UnmatchedBlank, UnmatchedDefault, UnmatchedFail:
	default:
		msgs = append(msgs, fmt.Sprintf("%q is not a choice for an unmatched value. Use default, blank or fail", f.Unmatched))
	}
	if len(f.Codes) == 0 {
		msgs = append(msgs, fmt.Sprintf("%s matches codes but its code table is empty. Add a row for each source value, like female → F", f.To))
	}
	firstRow := map[string]int{}
	for i, code := range f.Codes {
		// A row for "" sends a value for blank sources; a row blank on both sides is an unfinished one.
		switch {
		case code.From != "" && strings.TrimSpace(code.From) == "":
			msgs = append(msgs, fmt.Sprintf("row %d of the code table has only spaces as its source value. Type the source value, or clear the cell to match a blank value", i+1))
			continue
		case code.From == "" && strings.TrimSpace(code.To) == "":
			msgs = append(msgs, fmt.Sprintf("row %d of the code table is blank. Type a source value and what to send for it, or remove the row", i+1))
			continue
		}
		key := loose(code.From)
		if first, dup := firstRow[key]; dup {
			msgs = append(msgs, fmt.Sprintf("rows %d and %d of the code table both match %q. Keep one of the two rows", first+1, i+1, code.From))
			continue
		}
		firstRow[key] = i
		c.exact[code.From] = code.To
		c.loose[key] = code.To
		c.from = append(c.from, code.From)
	}
	return c, msgs
}

// loose is a code as matched when the exact value is not in the table: case and spaces ignored.
func loose(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// lookup returns what the target gets for the source value s.
func (c *codeLookup) lookup(s string) (string, error) {
	if to, ok := c.exact[s]; ok {
		return to, nil
	}
	if to, ok := c.loose[loose(s)]; ok {
		return to, nil
	}
	if strings.TrimSpace(s) == "" {
		return "", nil // a blank sex must not fail every record; a table row for "" says otherwise
	}
	switch c.unmatched {
	case UnmatchedDefault:
		return c.def, nil
	case UnmatchedFail:
		return "", fmt.Errorf("no code for %q (the code table has %s)", s, strings.Join(c.from, ", "))
	}
	return "", nil
}
