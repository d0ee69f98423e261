package outcome

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/store"
)

// codes are the reason codes declared in this package, read from its source so that a code added
// without its sentences fails here.
func codes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "outcome.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					code, _ := strconv.Unquote(lit.Value)
					if code != Deleted && code != Whole {
						out = append(out, code)
					}
				}
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d codes read: %v", len(out), out)
	}
	return out
}

func TestEveryCodeHasAGoSentenceAndAWindowKey(t *testing.T) {
	en, err := os.ReadFile("../../frontend/src/langs/en.ts")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\n  outcome: \{.*?\n    reason: \{(.*?)\n    \},`).FindSubmatch(en)
	if block == nil {
		t.Fatal("en.ts has no outcome.reason block")
	}
	for _, c := range codes(t) {
		if _, ok := sentences[c]; !ok {
			t.Errorf("%s has no Go sentence", c)
		}
		if !regexp.MustCompile(`\n      ` + c + `: '`).Match(block[1]) {
			t.Errorf("%s has no key outcome.reason.%s in en.ts", c, c)
		}
	}
	if len(sentences) != len(codes(t)) {
		t.Errorf("%d sentences for %d codes", len(sentences), len(codes(t)))
	}
}

// The store logs an undo's codes itself (it cannot import this package): they must be these.
func TestTheStoresUndoCodesAreOurs(t *testing.T) {
	if store.ReasonUndoRemoved != UndoRemoved || store.ReasonUndoLeft != UndoLeft || store.ReasonUndoGone != UndoGone {
		t.Errorf("store's undo codes %q %q %q, ours %q %q %q", store.ReasonUndoRemoved, store.ReasonUndoLeft, store.ReasonUndoGone, UndoRemoved, UndoLeft, UndoGone)
	}
}

func TestSentence(t *testing.T) {
	for _, c := range []struct {
		r    store.RunRecord
		want string
	}{
		{store.RunRecord{Reason: Changed, Field: "givenName", Before: "Ana", After: "Anna"}, `givenName: "Ana" → "Anna"`},
		{store.RunRecord{Reason: Changed, Field: "email", Before: "a@x.org"}, `email: "a@x.org" → (blank)`},
		{store.RunRecord{Reason: ReadFailed, Field: "beginDate", Message: "the date 1/05/2023 could be day/month or month/day"}, "the date 1/05/2023 could be day/month or month/day"},
		{store.RunRecord{Reason: ConflictChoseExternal, Field: "email", Before: "a", After: Deleted, Message: "ana"},
			`both changed email: roster "a", connection (deleted); kept the connection's (chosen by ana)`},
		{store.RunRecord{Reason: Merged, After: "u1"}, `merged into "u1" as a duplicate`},
		{store.RunRecord{Reason: UndoLeft, Message: "North SIS"}, "no longer supplied by North SIS, which the undone run had made supply it"},
		// Logged before reasons were stored: the message as it is.
		{store.RunRecord{Field: "givenName", Message: `"Ana" → "Anna"`}, `"Ana" → "Anna"`},
	} {
		if got := Sentence(c.r); got != c.want {
			t.Errorf("%+v: %q, want %q", c.r, got, c.want)
		}
	}
}
