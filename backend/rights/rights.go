// Package rights says what each operator of a workspace may do (SPEC §8): roles, the tools of the
// app and the read / write / delete pattern over them. The services call Need at their entry points,
// so the window and the command line refuse the same things with the same message. Rights guard
// against mistakes among colleagues sharing a workspace, not against someone who can edit its file.
package rights

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Tool is a part of the app rights are given on.
type Tool string

const (
	Connections  Tool = "connections"  // adding, editing, testing with a new host key, removing connections
	Integrations Tool = "integrations" // integrations and their selection, mapping, safety hold and schedule
	Imports      Tool = "imports"      // fetch, import, verify against a fresh fetch, undo an import
	Exports      Tool = "exports"      // export runs, two-way sync runs and their conflicts, the test-record send
	Resyncs      Tool = "resyncs"      // re-pull by IDs from a source, re-send by IDs to a target
	Roster       Tool = "roster"       // duplicate domains, scans, merges and their undo, source precedence
	History      Tool = "history"      // runs and reports; Delete clears it
	Operators    Tool = "operators"    // who may do what
)

// Tools lists every tool in the order people read them.
var Tools = []Tool{Connections, Integrations, Imports, Exports, Resyncs, Roster, History, Operators}

// Right is one of the three rights on a tool.
type Right string

const (
	Read   Right = "read"   // see it
	Write  Right = "write"  // run and edit it
	Delete Right = "delete" // delete history and records
)

// Rights lists the rights in order.
var Rights = []Right{Read, Write, Delete}

// grants is, per role, the rights besides Read on each tool: every role reads everything.
var grants = map[string]map[Tool][]Right{
	store.OperatorFull:     everything(),
	store.OperatorLimited:  {Imports: {Write}, Resyncs: {Write}}, // runs imports and re-syncs
	store.OperatorReadOnly: {},
}

func everything() map[Tool][]Right {
	all := map[Tool][]Right{}
	for _, t := range Tools {
		all[t] = []Right{Write, Delete}
	}
	return all
}

// Has reports whether role has right on tool; an unknown role has none.
func Has(role string, tool Tool, right Right) bool {
	g, ok := grants[role]
	if !ok {
		return false
	}
	if right == Read {
		return true
	}
	for _, r := range g[tool] {
		if r == right {
			return true
		}
	}
	return false
}

// Table is role's rights on every tool, for the window to show what it may do.
func Table(role string) map[Tool][]Right {
	out := map[Tool][]Right{}
	for _, t := range Tools {
		out[t] = []Right{}
		for _, r := range Rights {
			if Has(role, t, r) {
				out[t] = append(out[t], r)
			}
		}
	}
	return out
}

// Me is an operator as the workspace knows them.
type Me struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	Listed bool   `json:"listed"` // false: not an operator of this workspace, so Read-only
}

// Of returns operator's role, read from the workspace each time: another process may have changed it.
func Of(ctx context.Context, st *store.Store, operator string) (Me, error) {
	role, err := st.OperatorRole(ctx, operator)
	if errors.Is(err, store.ErrNotFound) {
		return Me{Name: operator, Role: store.OperatorReadOnly}, nil
	}
	return Me{Name: operator, Role: role, Listed: true}, err
}

// Need returns nil when operator has right on tool, else a CodeForbidden error saying who lacks
// which right and whom to ask.
func Need(ctx context.Context, st *store.Store, operator string, tool Tool, right Right) error {
	me, err := Of(ctx, st, operator)
	if err != nil {
		return err
	}
	if Has(me.Role, tool, right) {
		return nil
	}
	details := map[string]string{"operator": me.Name, "role": me.Role, "tool": string(tool), "right": string(right)}
	msg := fmt.Sprintf("This needs the %s right on %s. Your role, %s (operator %s), does not have it: ask a Full operator to change it (Settings → Operators).",
		label(string(right)), ToolLabel(tool), RoleLabel(me.Role), me.Name)
	if !me.Listed {
		msg = fmt.Sprintf("This needs the %s right on %s. %s is not an operator of this workspace and may only look: ask a Full operator to add you "+
			"(Settings → Operators, or rosterdesk operator add %s --role limited).", label(string(right)), ToolLabel(tool), me.Name, me.Name)
	}
	return &apperr.Error{Code: apperr.CodeForbidden, Message: msg, Details: details}
}

// RoleLabel is a role as people read it.
func RoleLabel(role string) string {
	switch role {
	case store.OperatorFull:
		return "Full"
	case store.OperatorLimited:
		return "Limited"
	case store.OperatorReadOnly:
		return "Read-only"
	}
	return role
}

// ToolLabel is a tool as people read it.
func ToolLabel(t Tool) string {
	if t == Resyncs {
		return "Re-sync by IDs"
	}
	return label(string(t))
}

func label(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
