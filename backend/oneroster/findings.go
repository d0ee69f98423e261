// Package oneroster reads and writes OneRoster CSV packages (a ZIP or a folder of CSV files) in
// versions 1.0, 1.1 and 1.2. The reader streams: no file is ever held in memory whole. It is tolerant
// where the meaning is unambiguous (a warning naming file, line and column) and strict where it is
// not (an error with a fix a registrar can apply).
package oneroster

import (
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Severity of a finding.
type Severity string

const (
	SeverityWarning Severity = "warning" // the record was read, normalised
	SeverityError   Severity = "error"   // the record was skipped
)

// Finding is one validation finding.
type Finding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   string   `json:"column"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

// Error is a problem that makes the whole package unusable; nothing from it may be imported.
type Error struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	var where []string
	if e.File != "" {
		where = append(where, e.File)
	}
	if e.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", e.Line))
	}
	if e.Column != "" {
		where = append(where, "column "+e.Column)
	}
	if len(where) == 0 {
		return e.Message
	}
	return strings.Join(where, ", ") + ": " + e.Message
}

// ErrorDetails lets apperr pass file, line and column to the UI.
func (e *Error) ErrorDetails() any {
	return map[string]any{"file": e.File, "line": e.Line, "column": e.Column}
}

// Report is what reading a package found.
type Report struct {
	Version  string                 `json:"version"`
	Source   string                 `json:"source"` // the manifest's source.systemName
	Modes    map[roster.Entity]Mode `json:"modes"`
	Counts   map[roster.Entity]int  `json:"counts"` // records passed on, per entity
	Failed   map[roster.Entity]int  `json:"failed"` // records skipped for an error, per entity
	Findings []Finding              `json:"findings"`
	capped   map[findingKey]int     // findings held back per kind, beyond maxPerKind
	perKind  map[findingKey]int
}

// maxPerKind bounds the findings of one kind in one file, so a report on 600,000 rows stays readable.
const maxPerKind = 50

type findingKey struct {
	file, kind string
	severity   Severity
}

func (r *Report) add(kind string, f Finding) {
	k := findingKey{f.File, kind, f.Severity}
	r.perKind[k]++
	if r.perKind[k] > maxPerKind {
		r.capped[k]++
		return
	}
	r.Findings = append(r.Findings, f)
}

// closeCaps turns held-back findings into one summary finding per kind.
func (r *Report) closeCaps() {
	for k, n := range r.capped {
		r.Findings = append(r.Findings, Finding{File: k.file, Severity: k.severity,
			Message: fmt.Sprintf("…and %d more like this in %s", n, k.file)})
	}
	r.capped = map[findingKey]int{}
}

// Warnings returns the warnings.
func (r *Report) Warnings() []Finding { return r.bySeverity(SeverityWarning) }

// Errors returns the errors.
func (r *Report) Errors() []Finding { return r.bySeverity(SeverityError) }

func (r *Report) bySeverity(s Severity) []Finding {
	out := []Finding{}
	for _, f := range r.Findings {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}
