package rights

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Every role × tool × right, written out as SPEC §8 and issue 16 say: Full everything; Limited
// reads everything and runs imports and re-syncs by IDs; Read-only reads; an unknown role nothing.
func TestEveryRoleToolAndRight(t *testing.T) {
	want := map[string]map[Tool]string{ // r, w, d: the rights held
		store.OperatorFull:     {Connections: "rwd", Integrations: "rwd", Imports: "rwd", Exports: "rwd", Resyncs: "rwd", Roster: "rwd", History: "rwd", Operators: "rwd"},
		store.OperatorLimited:  {Connections: "r", Integrations: "r", Imports: "rw", Exports: "r", Resyncs: "rw", Roster: "r", History: "r", Operators: "r"},
		store.OperatorReadOnly: {Connections: "r", Integrations: "r", Imports: "r", Exports: "r", Resyncs: "r", Roster: "r", History: "r", Operators: "r"},
		"admin":                {},
	}
	if len(Tools) != 8 {
		t.Fatalf("tools: %v", Tools)
	}
	for role, tools := range want {
		for _, tool := range Tools {
			for _, right := range Rights {
				has := strings.Contains(tools[tool], string(right[0]))
				if Has(role, tool, right) != has {
					t.Errorf("%s %s on %s: want %v", role, right, tool, has)
				}
			}
		}
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A refusal is a forbidden error naming the right, the tool, the operator and their role, and whom
// to ask; someone not listed is Read-only and is told how to be added.
func TestNeedSaysWhoLacksWhichRight(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if _, err := st.AddFirstOperator(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	if err := Need(ctx, st, "ada", History, Delete); err != nil {
		t.Fatalf("Ada is Full: %v", err)
	}
	if _, err := Add(ctx, st, "ada", "lin", "Limited"); err != nil {
		t.Fatal(err)
	}
	if err := Need(ctx, st, "lin", Imports, Write); err != nil {
		t.Fatalf("a Limited operator imports: %v", err)
	}
	var ae *apperr.Error
	err := Need(ctx, st, "LIN", Connections, Write)
	if !errors.As(err, &ae) || ae.Code != apperr.CodeForbidden || ae.Message != "This needs the Write right on Connections. Your role, Limited (operator LIN), does not have it: ask a Full operator to change it (Settings → Operators)." {
		t.Fatalf("refusal: %#v", err)
	}
	err = Need(ctx, st, "sam", Imports, Write)
	if !errors.As(err, &ae) || ae.Code != apperr.CodeForbidden || !strings.Contains(ae.Message, "sam is not an operator of this workspace") ||
		!strings.Contains(ae.Message, "rosterdesk operator add sam --role limited") {
		t.Fatalf("not listed: %#v", err)
	}
	if d, _ := ae.Details.(map[string]string); d["role"] != store.OperatorReadOnly || d["tool"] != "imports" || d["right"] != "write" {
		t.Fatalf("details: %#v", ae.Details)
	}
}

// Operators are managed by Full operators only; a wrong role or name changes nothing; the last Full
// operator stays Full, even asking to step down themselves.
func TestManagingOperators(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	st.AddFirstOperator(ctx, "ada")
	code := func(err error) string {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return ae.Code
		}
		return ""
	}
	if _, err := Add(ctx, st, "ada", "lin", "boss"); code(err) != apperr.CodeInvalid || !strings.Contains(err.Error(), "full, limited or read-only") {
		t.Fatalf("role boss: %v", err)
	}
	if _, err := Add(ctx, st, "ada", "  ", "full"); code(err) != apperr.CodeInvalid {
		t.Fatalf("no name: %v", err)
	}
	if o, err := Add(ctx, st, "ada", " lin ", "read only"); err != nil || o.Name != "lin" || o.Role != store.OperatorReadOnly || o.AddedBy != "ada" {
		t.Fatalf("add lin: %+v %v", o, err)
	}
	if _, err := Add(ctx, st, "ada", "LIN", "full"); code(err) != apperr.CodeConflict {
		t.Fatalf("LIN again: %v", err)
	}
	if _, err := Add(ctx, st, "lin", "sam", "full"); code(err) != apperr.CodeForbidden || !strings.Contains(err.Error(), "Write right on Operators") {
		t.Fatalf("a Read-only operator adding one: %v", err)
	}
	if err := SetRole(ctx, st, "lin", "lin", "full"); code(err) != apperr.CodeForbidden {
		t.Fatalf("promoting oneself: %v", err)
	}
	if err := SetRole(ctx, st, "ada", "ada", "limited"); code(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "ada is the last Full operator") {
		t.Fatalf("the last Full operator stepping down: %v", err)
	}
	if err := Remove(ctx, st, "ada", "ada"); code(err) != apperr.CodeConflict {
		t.Fatalf("the last Full operator leaving: %v", err)
	}
	if err := Remove(ctx, st, "ada", "sam"); code(err) != apperr.CodeNotFound || !strings.Contains(err.Error(), "The operators are ada, lin.") {
		t.Fatalf("removing sam: %v", err)
	}
	if err := SetRole(ctx, st, "ada", "lin", "full"); err != nil {
		t.Fatal(err)
	}
	if err := Remove(ctx, st, "ada", "ada"); err != nil {
		t.Fatalf("ada leaving, lin Full: %v", err)
	}
	if err := Need(ctx, st, "ada", Operators, Write); code(err) != apperr.CodeForbidden {
		t.Fatalf("ada, gone, manages operators: %v", err)
	}
}
