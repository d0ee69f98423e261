package mapping

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// reader reads one readable name of a record as text.
type reader func(src *Source) string

// Prefixes of the relatives a mapping reads, with the entity whose columns follow the dot.
var relativeOf = map[string]roster.Entity{
	"demographics": roster.Demographics,
	"school":       roster.Orgs,
	"course":       roster.Courses,
}

// newReader returns the reader of name for a mapping of entity e, or false when e cannot read it.
func newReader(e roster.Entity, name string, imp bool) (reader, bool) {
	if meta, ok := strings.CutPrefix(name, "metadata."); ok && meta != "" {
		return func(src *Source) string { return metadata(src.Record, meta) }, true
	}
	readable := false
	for _, n := range readableFor(e, imp) {
		readable = readable || n == name
	}
	if !readable {
		return nil, false
	}
	if i := roster.Schema(e).Index(name); i >= 0 {
		return func(src *Source) string { return column(src.Record, i) }, true
	}
	switch name {
	case "role":
		return func(src *Source) string { return primaryRole(src.Roles) }, true
	case "roles":
		return func(src *Source) string { return joinColumn(src.Roles, "role") }, true
	case "terms":
		return func(src *Source) string { return joinColumn(src.Terms, "title") }, true
	}
	prefix, col, _ := strings.Cut(name, ".")
	i := roster.Schema(relativeOf[prefix]).Index(col)
	return func(src *Source) string {
		if rel := src.relative(prefix); rel != nil {
			return column(*rel, i)
		}
		return "" // a user without demographics reads blank, never an error
	}, true
}

// relative is the record behind a prefix, or nil.
func (src *Source) relative(prefix string) *roster.Record {
	switch prefix {
	case "demographics":
		return src.Demographics
	case "school":
		return src.School
	case "course":
		return src.Course
	}
	return nil
}

// column is r.Values[i], or "" when r has no such column (a record built by hand is shorter).
func column(r roster.Record, i int) string {
	if i >= 0 && i < len(r.Values) {
		return r.Values[i]
	}
	return ""
}

func metadata(r roster.Record, name string) string {
	for _, m := range r.Metadata {
		if m.Name == name {
			return m.Value
		}
	}
	return ""
}

// primaryRole is the role of the primary role record, else of the first.
func primaryRole(roles []roster.Record) string {
	if r, ok := roster.PrimaryRole(roles); ok {
		return r.Get("role")
	}
	return ""
}

// joinColumn joins one column of records with commas, the way OneRoster writes lists.
func joinColumn(records []roster.Record, col string) string {
	var b strings.Builder
	for i, r := range records {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r.Get(col))
	}
	return b.String()
}

// columns is the given columns of a record as a map, blank when r is nil.
func columns(e roster.Entity, r *roster.Record, keys []string) map[string]string {
	schema := roster.Schema(e)
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = ""
		if r != nil {
			m[k] = column(*r, schema.Index(k))
		}
	}
	return m
}

// text is a value as the text a direct field or a code lookup would send.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []string:
		return strings.Join(v, ",")
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = text(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}
