// Package selectsheet is the spreadsheet round-trip of a selection (SPEC §5): download the orgs or
// classes a selection chooses from with a sync column, upload the edited file, and see what it would
// change before it replaces the selection. The window and the CLI both use it.
package selectsheet

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/sheets"
)

// What a spreadsheet lists.
const (
	Orgs    = "orgs"
	Classes = "classes"
)

func sheetName(what string) (string, error) {
	switch what {
	case Orgs:
		return "Orgs", nil
	case Classes:
		return "Classes", nil
	}
	return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("A selection spreadsheet lists orgs or classes, not %q.", what))
}

// Write writes the spreadsheet of what (orgs or classes) with the selection's choices pre-filled.
func Write(w io.Writer, g *selection.Graph, sel selection.Selection, what string) error {
	sheet, err := sheetName(what)
	if err != nil {
		return err
	}
	if what == Orgs {
		rows := []sheets.Row{}
		for _, o := range g.Orgs(sel) {
			rows = append(rows, sheets.Row{Cells: []any{o.ID, o.Name, o.Type, o.Identifier, o.Parent, o.Classes, o.Users}, Selected: o.Selected})
		}
		return sheets.WriteSelection(w, sheet, []string{"ID", "Name", "Type", "Identifier", "Parent", "Classes", "Users"}, rows)
	}
	rows := []sheets.Row{}
	for _, c := range g.Classes(sel) {
		rows = append(rows, sheets.Row{Cells: []any{c.ID, c.Title, c.Code, c.Type, c.School, c.Enrollments}, Selected: c.Selected})
	}
	return sheets.WriteSelection(w, sheet, []string{"ID", "Title", "Class code", "Type", "School", "Enrollments"}, rows)
}

// Result is what an uploaded spreadsheet would do to the selection.
type Result struct {
	Upload    sheets.Upload       `json:"upload"`
	Before    int                 `json:"before"` // chosen before, of the listed rows
	After     int                 `json:"after"`
	Added     []string            `json:"added"`   // IDs the upload chooses that were not chosen (first 50)
	Removed   []string            `json:"removed"` // IDs it unchooses (first 50)
	Selection selection.Selection `json:"selection"`
}

const listed = 50

// Read reads an uploaded spreadsheet of what. A file with findings (unknown or duplicate IDs, values
// that are not yes or no) is returned with them and Selection unchanged: the caller shows them and
// replaces nothing. An unreadable file is an error naming it.
func Read(r io.Reader, name string, g *selection.Graph, sel selection.Selection, what string) (Result, error) {
	sheet, err := sheetName(what)
	if err != nil {
		return Result{}, err
	}
	var ids, chosen []string
	if what == Orgs {
		for _, o := range g.Orgs(sel) {
			ids = append(ids, o.ID)
			if o.Selected {
				chosen = append(chosen, o.ID)
			}
		}
	} else {
		for _, c := range g.Classes(sel) {
			ids = append(ids, c.ID)
			if c.Selected {
				chosen = append(chosen, c.ID)
			}
		}
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	up, err := sheets.ReadSelection(r, name, sheet, func(id string) bool { return known[id] })
	if err != nil {
		return Result{}, err
	}
	res := Result{Upload: up, Before: len(chosen), Selection: sel, Added: []string{}, Removed: []string{}}
	if len(up.Findings) > 0 {
		res.After = res.Before
		return res, nil
	}
	res.After = len(up.Selected)
	res.Added, res.Removed = diff(chosen, up.Selected)
	next := sel.Proposed()
	all := len(up.Selected) == len(ids)
	if what == Orgs {
		next.OrgsAll, next.Orgs = all, slices.Clone(up.Selected)
	} else {
		next.ClassesAll, next.Classes = all, slices.Clone(up.Selected)
	}
	res.Selection, err = next.Normalize()
	return res, err
}

// diff lists (the first few of) the IDs in after but not before, and in before but not after.
func diff(before, after []string) (added, removed []string) {
	was, is := set(before), set(after)
	added, removed = []string{}, []string{}
	for _, id := range after {
		if !was[id] && len(added) < listed {
			added = append(added, id)
		}
	}
	for _, id := range before {
		if !is[id] && len(removed) < listed {
			removed = append(removed, id)
		}
	}
	return added, removed
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// FileName is the name a downloaded spreadsheet gets: the connection and what it lists.
func FileName(connection, what string) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			return '-'
		}
		return r
	}, connection)
	return fmt.Sprintf("%s - %s.xlsx", clean, what)
}
