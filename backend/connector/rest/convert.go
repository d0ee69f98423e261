package rest

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Reading JSON records into roster records. Providers bend the JSON binding in many small ways
// (booleans as "1", numbers as strings and strings as numbers, null lists, grades as one comma
// string, refs left out), so every value is read by what the column needs, whatever JSON type came.
// What cannot be read is passed on as it is: the reader of the staged package then reports it with
// the file, line and column the registrar sees.

// field is where one column's value sits in a JSON record.
type field struct {
	col  int
	keys []string // JSON names, tried in order
	kind roster.Kind
}

// fields maps every entity an endpoint serves to its columns' JSON names. In JSON a reference is an
// object named after the column without its "SourcedId(s)" suffix ("org": {"sourcedId": …},
// "terms": [{…}]); the CSV name is accepted too.
var fields = map[roster.Entity][]field{}

// aliases are JSON names that differ from the CSV column in the 1.2 JSON binding.
var aliases = map[string]string{"preferredGivenName": "preferredFirstName", "preferredFamilyName": "preferredLastName"}

func init() {
	for _, e := range roster.Entities {
		if e == roster.Roles { // inside users in JSON
			continue
		}
		for i, c := range roster.Schema(e).Columns {
			keys := []string{c.Name}
			switch {
			case c.Kind == roster.Ref:
				keys = []string{strings.TrimSuffix(c.Name, "SourcedId"), c.Name}
			case c.Kind == roster.RefList:
				keys = []string{strings.TrimSuffix(c.Name, "SourcedIds") + "s", c.Name}
			case aliases[c.Name] != "":
				keys = append(keys, aliases[c.Name])
			}
			fields[e] = append(fields[e], field{col: i, keys: keys, kind: c.Kind})
		}
	}
}

// toRecord reads one JSON record of entity e.
func toRecord(e roster.Entity, obj map[string]json.RawMessage) roster.Record {
	rec := roster.NewRecord(e)
	for _, f := range fields[e] {
		for _, k := range f.keys {
			if v := value(f.kind, obj[k]); v != "" {
				rec.Values[f.col] = v
				break
			}
		}
	}
	rec.Values[1] = status(rec.Values[1])
	rec.Metadata = metadata(obj["metadata"])
	return rec
}

func value(kind roster.Kind, raw json.RawMessage) string {
	switch kind {
	case roster.Bool:
		return boolean(raw)
	case roster.List:
		return list(raw, itemText)
	case roster.Ref:
		return ref(raw)
	case roster.RefList:
		return list(raw, ref)
	case roster.Date:
		// A date sent as a date-time ("2026-08-17T00:00:00Z") keeps its date.
		if v := scalar(raw); len(v) > 10 && v[10] == 'T' {
			return v[:10]
		}
	case roster.DateTime:
		return dateTime(scalar(raw))
	}
	return scalar(raw)
}

// scalar reads a string, number or boolean as text; null, absent, objects and arrays read as blank.
func scalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		if bytes.IndexByte(raw, '\\') < 0 { // no escapes: the text is what stands between the quotes
			return strings.TrimSpace(string(raw[1 : len(raw)-1]))
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw)
	}
	return ""
}

func boolean(raw json.RawMessage) string {
	switch v := scalar(raw); strings.ToLower(v) {
	case "true", "1", "yes", "y", "t":
		return "true"
	case "false", "0", "no", "n", "f":
		return "false"
	default:
		return v // the reader reports it
	}
}

// list reads an array (or one comma-separated string) as a comma-separated list, each item by read.
func list(raw json.RawMessage, read func(json.RawMessage) string) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var items []json.RawMessage
	switch raw[0] {
	case '[':
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
	case '{': // one ref where a list was due
		items = []json.RawMessage{raw}
	default:
		for _, part := range strings.Split(scalar(raw), ",") {
			if part = strings.TrimSpace(part); part != "" {
				b, _ := json.Marshal(part)
				items = append(items, b)
			}
		}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if v := read(it); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, ",")
}

// itemText reads a list item: a scalar, or a userIds entry {type, identifier} written the CSV way as
// {type:identifier}.
func itemText(raw json.RawMessage) string {
	var id struct {
		Type       json.RawMessage `json:"type"`
		Identifier json.RawMessage `json:"identifier"`
	}
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] == '{' {
		if json.Unmarshal(raw, &id) != nil || scalar(id.Identifier) == "" {
			return ""
		}
		return "{" + scalar(id.Type) + ":" + scalar(id.Identifier) + "}"
	}
	return scalar(raw)
}

// ref reads a reference {href, sourcedId, type}, or a bare sourcedId.
func ref(raw json.RawMessage) string {
	var r struct {
		SourcedID json.RawMessage `json:"sourcedId"`
	}
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] == '{' {
		if json.Unmarshal(raw, &r) != nil {
			return ""
		}
		return scalar(r.SourcedID)
	}
	return scalar(raw)
}

// status spells a record status the way a package does: inactive (1.0) and deleted mean tobedeleted.
func status(v string) string {
	switch v = strings.ToLower(v); v {
	case "inactive", "deleted":
		return string(roster.StatusToBeDeleted)
	}
	return v
}

// dateTime rewrites an ISO 8601 date-time in the package's form, so delta rows read without a warning.
func dateTime(v string) string {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return v
}

// metadata keeps the scalar entries of a record's metadata object, by name; nested values have no
// column to go to.
func metadata(raw json.RawMessage) []roster.MetadataValue {
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	names := make([]string, 0, len(m))
	for name, v := range m {
		if v = bytes.TrimSpace(v); len(v) > 0 && v[0] != '{' && v[0] != '[' && string(v) != "null" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]roster.MetadataValue, len(names))
	for i, name := range names {
		out[i] = roster.MetadataValue{Name: name, Value: scalar(m[name])}
	}
	return out
}

// userRole is one role of a user, from a 1.2 roles array or from a 1.1 role and orgs.
type userRole struct {
	roleType, role, org, profile, begin, end string
}

// rolesOf reads a user's roles: the 1.2 roles array when there is one, else the 1.1 role held at
// each of the user's orgs (primary at the first).
func rolesOf(obj map[string]json.RawMessage) []userRole {
	var out []userRole
	var roles []map[string]json.RawMessage
	if json.Unmarshal(obj["roles"], &roles) == nil && len(roles) > 0 {
		for _, r := range roles {
			out = append(out, userRole{roleType: scalar(r["roleType"]), role: role12(scalar(r["role"])), org: ref(r["org"]),
				profile: ref(r["userProfile"]), begin: value(roster.Date, r["beginDate"]), end: value(roster.Date, r["endDate"])})
		}
	} else if role := scalar(obj["role"]); role != "" {
		for _, org := range strings.Split(list(obj["orgs"], ref), ",") {
			if org != "" {
				out = append(out, userRole{role: role12(role), org: org})
			}
		}
	}
	for i := range out {
		if out[i].roleType == "" {
			out[i].roleType = "secondary"
			if i == 0 {
				out[i].roleType = "primary"
			}
		}
	}
	return out
}

// role12 maps the 1.1 role "administrator", which 1.2 splits, as the package reader does.
func role12(role string) string {
	if role == "administrator" {
		return "siteAdministrator"
	}
	return role
}
