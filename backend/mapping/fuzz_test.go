package mapping

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzCompileApply compiles any expression and applies it to a student whose family name is any
// text: nothing may panic, hang, or produce a payload that is not JSON.
func FuzzCompileApply(f *testing.F) {
	f.Add(`upper(familyName) + ", " + title(givenName)`, "o'brien")
	f.Add(`formatDate(familyName, "MM/DD/YYYY")`, "2011-03-07")
	f.Add(`replace(familyName, "(\\w+)", "$1$1")`, "Ünïcode \u2028 \x00 \xff")
	f.Add(`substr(familyName, -1, 3) + padLeft(familyName, 9, "0")`, "12")
	f.Add(`join(split(familyName, ","), ";")`, "a,,b")
	f.Fuzz(func(t *testing.T, expr, familyName string) {
		m := Mapping{Entity: "users", Fields: []Field{
			{To: "id", Type: Direct, From: "sourcedId", Key: true},
			{To: "x", Type: Transformation, Expr: expr},
			{To: "name", Type: Direct, From: "familyName"},
		}}
		p, err := Compile(m)
		if err != nil {
			return
		}
		src := student()
		src.Record.Set("familyName", familyName)
		start := time.Now()
		r := p.Apply(src)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%q took %v", expr, d)
		}
		payload := r.Payload(false)
		var back map[string]any
		if err := json.Unmarshal(payload, &back); err != nil {
			t.Fatalf("%q: payload %s is not JSON: %v", expr, payload, err)
		}
		if utf8.ValidString(familyName) && back["name"] != familyName {
			t.Fatalf("name %q came back %q", familyName, back["name"])
		}
		if r.Failed && r.Error() == "" {
			t.Fatal("a failed record without a message")
		}
	})
}
