// Package mapping turns roster records into the fields a target system asks for (SPEC §6): per target
// field a mapping type (do not map, direct, match codes, transformation), an overwrite flag, and one key
// field that names the record at the target. It is pure Go: the caller loads records and sends payloads.
package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Types of a field mapping.
const (
	None           = "none"
	Direct         = "direct"
	Codes          = "codes"
	Transformation = "transformation"
)

// What an unmatched code does.
const (
	UnmatchedDefault = "default"
	UnmatchedBlank   = "blank"
	UnmatchedFail    = "fail"
)

// Code is one row of a code table: a source value and what the target gets for it.
type Code struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// CodeTable is a field's code table in the registrar's order. In JSON it is an object
// ({"female": "F", "male": "M"}) written and read in that order, so a file round-trips unchanged.
type CodeTable []Code

// MarshalJSON writes the table as an object in table order.
func (t CodeTable) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range t {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(c.From)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(c.To)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of strings in file order. A key written twice is kept twice, so Check
// can name it instead of the second silently replacing the first.
func (t *CodeTable) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*t = nil
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New(`codes must be an object of source value → value sent, like {"female": "F", "male": "M"}`)
	}
	table := CodeTable{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		from, _ := tok.(string) // object keys are always strings
		var to string
		if err := dec.Decode(&to); err != nil {
			return fmt.Errorf("the code for %q must be text in quotes", from)
		}
		table = append(table, Code{From: from, To: to})
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*t = table
	return nil
}

// Field is one target field.
type Field struct {
	To        string    `json:"to"`
	Type      string    `json:"type"`
	From      string    `json:"from,omitempty"`      // direct and codes (kept on none, so switching back is easy)
	Expr      string    `json:"expr,omitempty"`      // transformation
	Codes     CodeTable `json:"codes,omitempty"`     // codes
	Unmatched string    `json:"unmatched,omitempty"` // codes: default|blank|fail ("" = blank)
	Default   string    `json:"default,omitempty"`
	Key       bool      `json:"key,omitempty"`       // identifies the record at the target (PUT/DELETE addresses)
	Overwrite *bool     `json:"overwrite,omitempty"` // nil = true
}

// overwrites reports whether a blank value of f may erase what the target has.
func (f Field) overwrites() bool { return f.Overwrite == nil || *f.Overwrite }

// Mapping is the field table of one entity for one target.
type Mapping struct {
	Entity string  `json:"entity"`
	Fields []Field `json:"fields"`
	// Only, when not blank, is a condition a record must meet to be sent (e.g. role == "student",
	// for an endpoint that takes students only); records that do not meet it are not sent, and
	// the target is told to delete one it was sent before.
	Only string `json:"only,omitempty"`
	// Import marks a source's mapping: its target fields are roster fields, filled as a record
	// arrives on import from the record alone (no relatives); it has no key and no condition, and
	// fields it does not list are taken as they come.
	Import bool `json:"import,omitempty"`
}

// Parse reads the CLI file format (JSON). Errors name the line and column of bad JSON and of keys the
// format does not have.
func Parse(data []byte) (Mapping, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // Notepad saves UTF-8 with a byte order mark
	var m Mapping
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&m)
	if err == nil {
		end := dec.InputOffset()
		if _, extra := dec.Token(); extra != io.EOF {
			rest := data[end:]
			line, col := position(data, end+int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n"))))
			return Mapping{}, fmt.Errorf("line %d, column %d: there is more after the mapping's closing }. A mapping file holds one object: remove what follows it", line, col)
		}
		return m, nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset)
		return Mapping{}, fmt.Errorf("line %d, column %d: this is not valid JSON (%s). Check for a missing comma, quote or bracket just before", line, col, syntax.Error())
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		key := typ.Field[strings.LastIndex(typ.Field, ".")+1:]
		return Mapping{}, fmt.Errorf("line %d, column %d: the value just before must be %s for %q, not %s", line, col, jsonKind(typ.Type.Kind().String()), key, jsonValue[typ.Value])
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return Mapping{}, errors.New(`the mapping file is empty or cut short. It must hold an object like {"entity": "users", "fields": [...]}`)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		// The decoder has read past the object holding the key: point at the key itself.
		line, col := position(data, int64(bytes.LastIndex(data[:dec.InputOffset()], []byte(name))))
		return Mapping{}, fmt.Errorf("line %d, column %d: %s is not a mapping key. A mapping has entity and fields; a field has to, type, from, expr, codes, unmatched, default, key and overwrite", line, col, name)
	}
	line, col := position(data, dec.InputOffset())
	return Mapping{}, fmt.Errorf("line %d, column %d: %v", line, col, err)
}

// jsonKind names a Go kind the way a JSON file spells it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "text in quotes"
	case "bool":
		return "true or false"
	case "slice":
		return "a list [...]"
	case "struct", "map":
		return "an object {...}"
	}
	return kind
}

// jsonValue names the kinds of JSON value an UnmarshalTypeError reports.
var jsonValue = map[string]string{"string": "text", "number": "a number", "bool": "true or false", "array": "a list", "object": "an object", "null": "null"}

// position turns a byte offset into a 1-based line and column (in characters).
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:]))) + 1
	return line, col
}

// Default is the starting mapping of an entity: every column (never the password) sent as is under
// its own name, keyed on sourcedId.
func Default(e roster.Entity) Mapping {
	m := Mapping{Entity: string(e), Fields: []Field{}}
	for _, name := range roster.Schema(e).Names() {
		if name == "password" {
			continue
		}
		m.Fields = append(m.Fields, Field{To: name, Type: Direct, From: name, Key: name == "sourcedId"})
	}
	return m
}

// DefaultImport is the starting mapping of a source's entity: every writable field taken as it comes.
func DefaultImport(e roster.Entity) Mapping {
	m := Mapping{Entity: string(e), Fields: []Field{}, Import: true}
	for _, name := range Writable(e) {
		m.Fields = append(m.Fields, Field{To: name, Type: Direct, From: name})
	}
	return m
}

// Writable lists the roster fields an import mapping of entity e may fill: its values, not the
// record's identity and bookkeeping (sourcedId, status, dateLastModified) nor its references to
// other records, which selections and merges follow as the source sent them. metadata.<name> is
// writable for any name and not listed.
func Writable(e roster.Entity) []string {
	var out []string
	for i, c := range roster.Schema(e).Columns {
		if i > 2 && c.Kind != roster.Ref && c.Kind != roster.RefList {
			out = append(out, c.Name)
		}
	}
	return out
}

// readableFor is what a mapping can read: on import the record's own columns only, since records
// arrive one by one.
func readableFor(e roster.Entity, imp bool) []string {
	if imp {
		return slices.Clone(roster.Schema(e).Names())
	}
	return Readable(e)
}

// Readable lists what a mapping of entity e can read: its own columns, and for users also role, roles,
// demographics.* and school.* (primary school); for classes also course.*, school.* and terms.
// metadata.<name> is readable for any name and not listed.
func Readable(e roster.Entity) []string {
	names := slices.Clone(roster.Schema(e).Names())
	prefixed := func(prefix string, of roster.Entity, skip ...string) {
		for _, n := range roster.Schema(of).Names() {
			if !slices.Contains(skip, n) {
				names = append(names, prefix+"."+n)
			}
		}
	}
	switch e {
	case roster.Users:
		names = append(names, "role", "roles")
		prefixed("demographics", roster.Demographics, "sourcedId", "status", "dateLastModified")
		prefixed("school", roster.Orgs)
	case roster.Classes:
		prefixed("course", roster.Courses)
		prefixed("school", roster.Orgs)
		names = append(names, "terms")
	}
	return names
}

// entity returns the roster entity named name, or false.
func entity(name string) (roster.Entity, bool) {
	for _, e := range roster.Entities {
		if string(e) == name {
			return e, true
		}
	}
	return "", false
}
