package store

import (
	"context"
	"errors"
	"testing"
)

// The first operator of a workspace is Full, and only the first; names compare without case; the
// last Full operator is neither demoted nor removed, by anyone, themselves included.
func TestOperatorsFirstFullAndLastFullStays(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	if role, err := st.OperatorRole(ctx, "anyone"); err != nil || role != OperatorFull {
		t.Fatalf("a workspace without operators has its opener as Full: %q %v", role, err)
	}
	if added, err := st.AddFirstOperator(ctx, "Ada"); !added || err != nil {
		t.Fatalf("first operator: %v %v", added, err)
	}
	if added, err := st.AddFirstOperator(ctx, "Bob"); added || err != nil {
		t.Fatalf("a second opener is not made Full: %v %v", added, err)
	}
	if _, err := st.OperatorRole(ctx, "Bob"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Bob is not listed: %v", err)
	}
	if role, err := st.OperatorRole(ctx, "ada"); err != nil || role != OperatorFull {
		t.Fatalf("ada is Ada, Full: %q %v", role, err)
	}
	if _, err := st.AddOperator(ctx, Operator{Name: "Bob", Role: OperatorLimited, AddedBy: "Ada"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddOperator(ctx, Operator{Name: "BOB", Role: OperatorFull, AddedBy: "Ada"}); !errors.Is(err, ErrOperatorExists) {
		t.Fatalf("BOB again: %v", err)
	}
	if err := st.SetOperatorRole(ctx, "Ada", OperatorLimited); !errors.Is(err, ErrLastFull) {
		t.Fatalf("demoting the last Full operator: %v", err)
	}
	if err := st.RemoveOperator(ctx, "Ada"); !errors.Is(err, ErrLastFull) {
		t.Fatalf("removing the last Full operator: %v", err)
	}
	if err := st.SetOperatorRole(ctx, "Ada", OperatorFull); err != nil {
		t.Fatalf("Ada staying Full: %v", err)
	}
	if err := st.SetOperatorRole(ctx, "Carol", OperatorFull); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Carol is not listed: %v", err)
	}
	if err := st.RemoveOperator(ctx, "Carol"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Carol is not listed: %v", err)
	}
	// With a second Full operator, the first may step down or leave.
	if err := st.SetOperatorRole(ctx, "bob", OperatorFull); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOperatorRole(ctx, "Ada", OperatorReadOnly); err != nil {
		t.Fatalf("Ada stepping down while Bob is Full: %v", err)
	}
	if err := st.RemoveOperator(ctx, "Bob"); !errors.Is(err, ErrLastFull) {
		t.Fatalf("Bob is now the last Full operator: %v", err)
	}
	if err := st.RemoveOperator(ctx, "Ada"); err != nil {
		t.Fatal(err)
	}
	ops, err := st.Operators(ctx)
	if err != nil || len(ops) != 1 || ops[0].Name != "Bob" || ops[0].Role != OperatorFull || ops[0].AddedBy != "Ada" || ops[0].AddedAt == "" {
		t.Fatalf("operators: %+v %v", ops, err)
	}
}
