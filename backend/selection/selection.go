// Package selection decides what a selective import or export lets through (SPEC §5): the chosen
// schools and classes, the users of the chosen statuses, and everything those records need so that
// nothing sent points at a record that was not sent. Import, export, the wizard's lists and the CLI
// all ask this one package, fed with the records of a staged snapshot or of the roster.
package selection

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// Status groups users for the status step of the wizard.
type Status string

const (
	Active   Status = "active"   // status active (or a bulk row) and enabledUser not false
	Inactive Status = "inactive" // enabledUser false
	Deleted  Status = "deleted"  // status tobedeleted
	Blank    Status = "blank"    // no status where one was due: a delta row or an API record without one
)

// Statuses lists every status in the order the wizard shows them.
var Statuses = []Status{Active, Inactive, Deleted, Blank}

// Selection is what a connection lets through. A connection nobody has chosen for (Saved false) lets
// everything through, exactly as an import did before selections existed; the wizard then proposes
// Default.
type Selection struct {
	Saved      bool     `json:"saved"`
	OrgsAll    bool     `json:"orgsAll"` // every org, including those a later fetch adds
	Orgs       []string `json:"orgs"`
	ClassesAll bool     `json:"classesAll"` // every class of the chosen orgs, including later ones
	Classes    []string `json:"classes"`
	Statuses   []Status `json:"statuses"`
	// WithoutEnrollments also lets through users who have a role at a chosen org but no enrollment in
	// a chosen class (staff, guardians); by default only enrolled users go.
	WithoutEnrollments bool `json:"withoutEnrollments"`
	// Guardians also lets through the guardians, parents and relatives linked to a user who goes
	// through (agentSourcedIds, either way), of an allowed status: they have no enrollment, and
	// without it an import of the chosen schools would delete every one of them.
	Guardians bool `json:"guardians"`
	// Hold thresholds in percent of an entity's existing records: a run deleting more than HoldDelete
	// or changing (updating or deleting) more than HoldChange stops as held for review.
	HoldDelete float64 `json:"holdDelete"`
	HoldChange float64 `json:"holdChange"`
	// Held marks a wizard's draft whose orgs and classes are the ones the backend holds for its
	// connection (the last Choose's), so that a tick among 24,000 chosen classes does not send them
	// all each way. Never stored: the facade puts the lists back before anything else reads it.
	Held bool `json:"held,omitempty"`
}

// Default thresholds of the safety hold.
const (
	DefaultHoldDelete = 10
	DefaultHoldChange = 75
)

// Default is what the wizard proposes (SPEC §5): every org, class and status, and the users enrolled
// in them with their guardians and parents.
func Default() Selection {
	return Selection{OrgsAll: true, ClassesAll: true, Statuses: slices.Clone(Statuses), Guardians: true,
		HoldDelete: DefaultHoldDelete, HoldChange: DefaultHoldChange}
}

// Everything lets every record through, users without enrollments included ("Let everything through").
func Everything() Selection {
	sel := Default()
	sel.Saved, sel.WithoutEnrollments = true, true
	return sel
}

// Full reports whether the selection lets every record through unfiltered (a "full" run).
func (s Selection) Full() bool {
	return !s.Saved || (s.OrgsAll && s.ClassesAll && s.WithoutEnrollments && len(s.Statuses) == len(Statuses))
}

// Allows reports whether users of status st go through.
func (s Selection) Allows(st Status) bool { return slices.Contains(s.Statuses, st) }

// Normalize checks the statuses and thresholds and sorts out duplicates, with messages naming the value.
func (s Selection) Normalize() (Selection, error) {
	for _, st := range s.Statuses {
		if !slices.Contains(Statuses, st) {
			return s, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a user status; use %s", st, statusList()))
		}
	}
	if s.HoldDelete <= 0 || s.HoldDelete > 100 || s.HoldChange <= 0 || s.HoldChange > 100 {
		return s, apperr.New(apperr.CodeInvalid, "The safety hold thresholds are percentages between 1 and 100.")
	}
	slices.Sort(s.Orgs)
	s.Orgs = slices.Compact(s.Orgs)
	slices.Sort(s.Classes)
	s.Classes = slices.Compact(s.Classes)
	slices.SortFunc(s.Statuses, func(a, b Status) int { return slices.Index(Statuses, a) - slices.Index(Statuses, b) })
	s.Statuses = slices.Compact(s.Statuses)
	if s.OrgsAll {
		s.Orgs = nil
	}
	if s.ClassesAll {
		s.Classes = nil
	}
	return s, nil
}

// ParseStatuses reads a comma-separated list such as "active,blank" (the CLI's --statuses).
func ParseStatuses(list string) ([]Status, error) {
	out := []Status{}
	for _, part := range strings.Split(list, ",") {
		st := Status(strings.ToLower(strings.TrimSpace(part)))
		if st == "" {
			continue
		}
		if !slices.Contains(Statuses, st) {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a user status; use %s", part, statusList()))
		}
		out = append(out, st)
	}
	return out, nil
}

func statusList() string {
	names := make([]string, len(Statuses))
	for i, st := range Statuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}
