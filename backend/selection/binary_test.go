package selection_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
)

// binaryOf is g's binary form.
func binaryOf(t *testing.T, g *selection.Graph) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := g.WriteBinary(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A graph read back from its binary form answers as the graph it was written from.
func TestGraphBinaryRoundTrip(t *testing.T) {
	g, records := generated(t, 300)
	b := binaryOf(t, g)
	back, err := selection.ReadGraph(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	full := selection.Default()
	full.Saved = true
	some := saved(func(s *selection.Selection) { s.OrgsAll, s.Orgs = false, []string{g.Orgs(full)[1].ID} })
	for name, sel := range map[string]selection.Selection{"default": full, "one school": some} {
		if want, got := kept(g.Closure(sel), records), kept(back.Closure(sel), records); !reflect.DeepEqual(want, got) {
			t.Fatalf("%s: the read graph keeps other records", name)
		}
		if !reflect.DeepEqual(g.Orgs(sel), back.Orgs(sel)) || !reflect.DeepEqual(g.Classes(sel), back.Classes(sel)) || !reflect.DeepEqual(g.UserCounts(sel), back.UserCounts(sel)) {
			t.Fatalf("%s: the read graph lists other orgs, classes or users", name)
		}
	}
	if g.Role(records[len(records)-1].Get("userSourcedId")) == "" || len(kept(g.Closure(some), records)[roster.Enrollments]) == 0 {
		t.Fatal("the test district has no roles or keeps nothing: the comparison proves nothing")
	}
}

// A damaged file is refused, never read into a graph that is wrong or panics.
func TestGraphBinaryDamagedIsRefused(t *testing.T) {
	g, _ := generated(t, 50)
	b := binaryOf(t, g)
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"cut":       b[:len(b)/2],
		"longer":    append(append([]byte(nil), b...), 7),
		"format":    append([]byte{9}, b[1:]...),
		"reference": func() []byte { c := append([]byte(nil), b...); c[len(c)-2] = 0x7f; return c }(),
	} {
		if _, err := selection.ReadGraph(bytes.NewReader(bad), int64(len(bad))); !errors.Is(err, selection.ErrBadGraph) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
