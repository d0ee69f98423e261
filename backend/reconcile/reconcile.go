// Package reconcile decides what the roster keeps of a record several sources supply (SPEC §1, §7): for
// each field, the value of the highest-precedence live origin that has one. Fields where live origins
// hold different non-blank values are conflicts. Pure Go, so the import, `roster show`, `roster
// conflicts` and the window all decide the same way.
package reconcile

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Origin is what one source supplies of a record.
type Origin struct {
	Connection int64
	SourcedID  string // the source's own id of the record
	Live       bool   // false once the source deleted the record or left it out of a bulk file
	Values     Values
}

// Values are a record's values as one source has them: columns in 1.2 order (references already in
// roster ids) and extension columns.
type Values struct {
	V []string          `json:"v"`
	M map[string]string `json:"m,omitempty"`
}

// Of returns the values of a record.
func Of(rec roster.Record) Values {
	v := Values{V: slices.Clone(rec.Values)}
	if len(rec.Metadata) > 0 {
		v.M = make(map[string]string, len(rec.Metadata))
		for _, kv := range rec.Metadata {
			v.M[kv.Name] = kv.Value
		}
	}
	return v
}

// Encode is how values are stored with an origin.
func (v Values) Encode() string {
	raw, _ := json.Marshal(v) // strings and a map of strings always marshal
	return string(raw)
}

// Decode reads values stored by Encode for a record of entity e.
func Decode(e roster.Entity, raw string) (Values, error) {
	var v Values
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return v, fmt.Errorf("stored values of a %s origin are damaged: %w", e, err)
	}
	if n := len(roster.Schema(e).Columns); len(v.V) != n {
		return v, fmt.Errorf("stored values of a %s origin have %d columns, not %d", e, len(v.V), n)
	}
	return v, nil
}

// Fields are the columns that reconcile: not the sourcedId (each origin has its own, the record keeps
// its roster id), the status (live or not decides it) or dateLastModified (when the roster changed).
const firstField = 3

// Result is the record the roster keeps.
type Result struct {
	Record roster.Record
	Live   bool // some origin still supplies the record
	// From gives, per column, the index in the origins of the one whose value the roster keeps (-1: no
	// live origin has one); MetaFrom the same per extension column.
	From     []int
	MetaFrom map[string]int
}

// Merge works out the record with roster id id from its origins, highest precedence first. Dead origins
// count only when no origin is live: the record then keeps the values it had (the first origin's) and
// becomes tobedeleted.
func Merge(e roster.Entity, id string, origins []Origin) Result {
	n := len(roster.Schema(e).Columns)
	res := Result{Record: roster.NewRecord(e), From: make([]int, n), MetaFrom: map[string]int{}}
	for _, o := range origins {
		res.Live = res.Live || o.Live
	}
	for i := range res.From {
		res.From[i] = -1
	}
	for oi, o := range origins {
		if o.Live != res.Live {
			continue
		}
		for c := firstField; c < n; c++ {
			if res.From[c] < 0 && o.Values.V[c] != "" {
				res.Record.Values[c], res.From[c] = o.Values.V[c], oi
			}
		}
		for name, val := range o.Values.M {
			if _, taken := res.MetaFrom[name]; !taken && val != "" {
				res.MetaFrom[name] = oi
				res.Record.Metadata = append(res.Record.Metadata, roster.MetadataValue{Name: name, Value: val})
			}
		}
	}
	slices.SortFunc(res.Record.Metadata, func(a, b roster.MetadataValue) int { return cmp.Compare(a.Name, b.Name) })
	res.Record.Values[0] = id
	if res.Live {
		res.Record.Values[1] = string(roster.StatusActive)
	} else {
		res.Record.Values[1] = string(roster.StatusToBeDeleted)
	}
	return res
}

// Conflict is a field where live origins disagree: each live origin's value ("" where it has none),
// in the order of the origins, and the index of the one the roster keeps.
type Conflict struct {
	Field  string   // a column name, or "metadata.NAME"
	Values []string // per origin
	Kept   int
}

// Conflicts lists the fields where two or more live origins hold different non-blank values.
func Conflicts(e roster.Entity, origins []Origin, merged Result) []Conflict {
	var out []Conflict
	differ := func(value func(Origin) string) ([]string, bool) {
		vals, first, split := make([]string, len(origins)), "", false
		for i, o := range origins {
			if !o.Live {
				continue
			}
			v := value(o)
			vals[i] = v
			if v == "" {
				continue
			}
			if first == "" {
				first = v
			} else if v != first {
				split = true
			}
		}
		return vals, split
	}
	schema := roster.Schema(e)
	for c := firstField; c < len(schema.Columns); c++ {
		if vals, split := differ(func(o Origin) string { return o.Values.V[c] }); split {
			out = append(out, Conflict{Field: schema.Columns[c].Name, Values: vals, Kept: merged.From[c]})
		}
	}
	var names []string
	for name := range merged.MetaFrom {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if vals, split := differ(func(o Origin) string { return o.Values.M[name] }); split {
			out = append(out, Conflict{Field: "metadata." + name, Values: vals, Kept: merged.MetaFrom[name]})
		}
	}
	return out
}
