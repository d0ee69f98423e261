package mapping

import (
	"errors"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Problem is one reason a mapping cannot be saved: which field (index and target name), and for an
// expression the 1-based line and column of the error (0 when not about a position in an expression).
type Problem struct {
	Field   int    `json:"field"`
	To      string `json:"to"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Helper documents one expression helper for the mapping screen.
type Helper struct {
	Name      string `json:"name"`
	Signature string `json:"signature"`
	Help      string `json:"help"`
	Example   string `json:"example"`
}

// Source is one record with what a mapping may read of its relatives (nil or empty when it has none).
type Source struct {
	Record       roster.Record
	Demographics *roster.Record  // users
	School       *roster.Record  // users: primary school (org); classes: the class's school
	Roles        []roster.Record // users
	Course       *roster.Record  // classes
	Terms        []roster.Record // classes (academicSessions)
}

// Value is one mapped field: a string for direct and codes; whatever the expression produced for a
// transformation (string, number, bool, list, nil).
type Value struct {
	To    string `json:"to"`
	Value any    `json:"value"`
	Error string `json:"error,omitempty"`
}

// Result is one mapped record: fields in mapping order (do-not-map fields left out), the key's value as
// text, and Failed when any field failed (its Error says why).
type Result struct {
	Values []Value
	Key    string
	Failed bool
}

// Program is a checked mapping prepared for many records. It is safe for concurrent use.
type Program struct {
	mapping Mapping
}

// Check validates m and returns every problem (none = valid).
func Check(m Mapping) []Problem { return nil }

// Compile checks m and prepares it for many records; an invalid m returns an error listing its problems.
func Compile(m Mapping) (*Program, error) { return nil, errors.New("mapping: not implemented yet") }

// Apply maps one record.
func (p *Program) Apply(src Source) Result { return Result{} }

// Payload is the exact JSON object sent for the record, keys in mapping order. forUpdate leaves out
// blank values of fields whose Overwrite is off, so an update never erases what the target has.
func (r Result) Payload(forUpdate bool) []byte { return nil }

// Error joins the failed fields' errors.
func (r Result) Error() string { return "" }

// Helpers documents the expression helpers.
func Helpers() []Helper { return nil }
