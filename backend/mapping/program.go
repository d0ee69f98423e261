package mapping

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/expr-lang/expr/vm"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Problem is one reason a mapping cannot be saved: which field (index and target name; -1 and "" for the
// mapping as a whole), and for an expression the 1-based line and column of the error (0 when not about
// a position in an expression).
type Problem struct {
	Field   int    `json:"field"`
	To      string `json:"to"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Source is one record with what a mapping may read of its relatives (nil or empty when it has none).
type Source struct {
	Record       roster.Record
	Demographics *roster.Record  // users
	School       *roster.Record  // users: primary school (org); classes: the class's school
	Roles        []roster.Record // users
	Course       *roster.Record  // classes
	Terms        []roster.Record // classes (academicSessions)
}

// Value is one mapped field: a string for direct and codes; whatever the expression produced for a
// transformation (string, number, bool, list, nil).
type Value struct {
	To    string `json:"to"`
	Value any    `json:"value"`
	Error string `json:"error,omitempty"`
}

// Result is one mapped record: fields in mapping order (do-not-map fields left out), the key's value as
// text, and Failed when any field failed (its Error says why).
type Result struct {
	Values  []Value
	dropped []string // an import mapping's Do Not Map fields (the Program's)
	Key     string
	Failed  bool
	// Excluded says the record does not meet the mapping's condition (Only): it is not sent.
	Excluded  bool
	overwrite []bool // per value: whether a blank may erase what the target has (the Program's)
}

// Program is a checked mapping prepared for many records. It is safe for concurrent use.
type Program struct {
	entity roster.Entity
	fields []compiled
	key    int         // index in fields of the key field
	only   *vm.Program // the condition a record must meet to be sent; nil: every record
	// dropped are an import mapping's Do Not Map fields: the roster does not take them.
	dropped []string
	reads   reads // environment variables the expressions read
	// overwrite is per field whether a blank may erase what the target has, shared by every Result.
	overwrite []bool
	vms       sync.Pool
}

// compiled is one mapped field ready to apply.
type compiled struct {
	field Field
	read  reader      // direct and codes
	codes *codeLookup // codes
	prog  *vm.Program // transformation
}

// Check validates m and returns every problem (none = valid).
func Check(m Mapping) []Problem {
	_, problems := build(m)
	return problems
}

// Compile checks m and prepares it for many records; an invalid m returns an error listing its problems.
func Compile(m Mapping) (*Program, error) {
	p, problems := build(m)
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, pr := range problems {
			lines[i] = pr.String()
		}
		return nil, fmt.Errorf("the mapping cannot be used: %s", strings.Join(lines, "; "))
	}
	return p, nil
}

// String is the problem as one sentence naming the field and position.
func (p Problem) String() string {
	switch {
	case p.To == "" && p.Field < 0:
		return p.Message
	case p.Line > 0:
		return fmt.Sprintf("field %d (%s), line %d, column %d: %s", p.Field+1, p.To, p.Line, p.Column, p.Message)
	}
	return fmt.Sprintf("field %d (%s): %s", p.Field+1, p.To, p.Message)
}

// build checks m and, when it is valid, compiles it.
func build(m Mapping) (*Program, []Problem) {
	var problems []Problem
	add := func(field int, format string, args ...any) {
		to := ""
		if field >= 0 {
			to = m.Fields[field].To
		}
		problems = append(problems, Problem{Field: field, To: to, Message: fmt.Sprintf(format, args...)})
	}
	e, ok := entity(m.Entity)
	if !ok {
		add(-1, "%q is not an entity a mapping can be for. Use one of %s", m.Entity, entityNames())
		return nil, problems
	}
	p := &Program{entity: e, key: -1}
	env := newEnvShape(e, m.Import)
	targets := map[string]int{}
	keys := 0
	vars := reads{}
	for i, f := range m.Fields {
		if strings.TrimSpace(f.To) == "" {
			add(i, "the target field has no name. Type the name the target system uses for it")
		} else if first, dup := targets[f.To]; dup {
			add(i, "the target field %s is already mapped by field %d. Give each target field one row", f.To, first+1)
		} else {
			targets[f.To] = i
		}
		if m.Import && strings.TrimSpace(f.To) != "" && !writable(e, f.To) {
			add(i, "%s is not a roster field an import can fill. %s", f.To, suggest(f.To, Writable(e)))
		}
		if f.Key && m.Import {
			add(i, "%s is marked as the key, but an import knows its records by their sourcedId: unmark it", f.To)
		} else if f.Key {
			keys++
			if f.Type == None {
				add(i, "%s is the key field but is set to Do Not Map. The key must be sent: map it, or make another field the key", f.To)
			}
		}
		c := compiled{field: f}
		switch f.Type {
		case None:
		case Direct, Codes:
			if f.From == "" {
				add(i, "%s has no source field. Pick the roster field it reads", f.To)
				break
			}
			read, ok := newReader(e, f.From, m.Import)
			if !ok {
				add(i, "%s reads %q, which a %s mapping cannot read. %s", f.To, f.From, e, suggest(f.From, readableFor(e, m.Import)))
				break
			}
			c.read = read
			if f.Type == Codes {
				lookup, msgs := newCodeLookup(f)
				for _, msg := range msgs {
					add(i, "%s", msg)
				}
				c.codes = lookup
			}
		case Transformation:
			prog, refs, pr := compileExpr(f.Expr, env)
			for _, x := range pr {
				x.Field, x.To = i, f.To
				problems = append(problems, x)
			}
			c.prog = prog
			vars.merge(refs)
		default:
			add(i, "%q is not a mapping type. Use none, direct, codes or transformation", f.Type)
		}
		if f.Key && f.Type != None {
			p.key = len(p.fields)
		}
		if f.Type == None && m.Import {
			p.dropped = append(p.dropped, f.To)
		}
		if f.Type != None {
			p.fields = append(p.fields, c)
			p.overwrite = append(p.overwrite, f.overwrites())
		}
	}
	if m.Import && strings.TrimSpace(m.Only) != "" {
		add(-1, "an import mapping has no condition: choose what an import takes in its selection")
	} else if strings.TrimSpace(m.Only) != "" {
		prog, refs, pr := compileCondition(m.Only, env)
		for _, x := range pr {
			x.Field, x.To = -1, ""
			x.Message = "the condition (send only records where …): " + x.Message
			problems = append(problems, x)
		}
		p.only = prog
		vars.merge(refs)
	}
	switch {
	case m.Import:
	case len(m.Fields) > 0 && keys == 0:
		add(-1, "no field is the key. Mark the field that identifies the record at the target (for example its student number) as the key")
	case keys > 1:
		add(-1, "%d fields are marked as the key. Only one field may identify the record at the target", keys)
	case len(m.Fields) == 0:
		add(-1, "the mapping has no fields. Add the target fields to send")
	}
	if len(problems) > 0 {
		return nil, problems
	}
	p.reads = vars
	p.vms.New = func() any { return &vm.VM{MemoryBudget: memoryBudget} }
	return p, nil
}

func entityNames() string {
	names := make([]string, len(roster.Entities))
	for i, e := range roster.Entities {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// Apply maps one record.
func (p *Program) Apply(src Source) Result {
	r := Result{Values: make([]Value, len(p.fields)), overwrite: p.overwrite, dropped: p.dropped}
	var env map[string]any
	if p.only != nil {
		env = p.environment(&src)
		ok, err := p.run(p.only, env)
		if err != nil {
			r.Values = []Value{{To: "only", Error: "the condition: " + err.Error()}}
			r.Failed = true
			return r
		}
		if ok != true {
			r.Values, r.Excluded = nil, true
			return r
		}
	}
	for i, c := range p.fields {
		v := Value{To: c.field.To}
		var err error
		switch c.field.Type {
		case Direct:
			v.Value = c.read(&src)
		case Codes:
			v.Value, err = c.codes.lookup(c.read(&src))
		case Transformation:
			if env == nil {
				env = p.environment(&src)
			}
			v.Value, err = p.run(c.prog, env)
		}
		if err != nil {
			v.Value, v.Error, r.Failed = nil, c.field.To+": "+err.Error(), true
		}
		r.Values[i] = v
	}
	if p.key < 0 { // an import mapping: records are known by their sourcedId
		return r
	}
	key := &r.Values[p.key]
	r.Key = text(key.Value)
	if strings.TrimSpace(r.Key) == "" && key.Error == "" {
		// Without a key the record has no address at the target: PUT or DELETE would hit the collection.
		key.Value, key.Error, r.Failed = nil, key.To+": the key is blank, so the target cannot tell which record this is", true
		r.Key = ""
	}
	return r
}

// Payload is the exact JSON object sent for the record, keys in mapping order. forUpdate leaves out
// blank values of fields whose Overwrite is off, so an update never erases what the target has.
func (r Result) Payload(forUpdate bool) []byte {
	b := make([]byte, 0, 64*len(r.Values))
	b = append(b, '{')
	first := true
	for i, v := range r.Values {
		if forUpdate && i < len(r.overwrite) && !r.overwrite[i] && blank(v.Value) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, v.To)
		b = append(b, ':')
		if s, ok := v.Value.(string); ok { // most values: no reflection
			b = appendString(b, s)
			continue
		}
		// The values expressions produce (numbers, bools, lists, maps of those) encode: measure refused
		// the numbers JSON cannot hold. Should one still not, null keeps the payload JSON.
		j, err := json.Marshal(v.Value)
		if err != nil {
			j = []byte("null")
		}
		b = append(b, j...)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string. Unlike encoding/json it leaves <, > and & as they are,
// since names like "Smith & Jones" go to an API, not into HTML.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...) // bytes that are not UTF-8, as encoding/json writes them
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf]) // JavaScript line ends
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// Into gives rec, a record as an import read it, the values an import mapping made of it: each
// mapped roster field (a copy: rec is not changed), text as text and anything else as JSON; a Do
// Not Map field is left blank, as if the source did not have it. kept
// lists the fields whose Overwrite is off and whose value came out blank: the roster keeps what it
// has for those.
func (r Result) Into(rec roster.Record) (out roster.Record, kept []string) {
	out = roster.Record{Entity: rec.Entity, Values: slices.Clone(rec.Values), Metadata: slices.Clone(rec.Metadata)}
	for _, name := range r.dropped {
		if meta, ok := strings.CutPrefix(name, "metadata."); ok {
			out.Metadata = slices.DeleteFunc(out.Metadata, func(m roster.MetadataValue) bool { return m.Name == meta })
		} else {
			out.Set(name, "")
		}
	}
	for i, v := range r.Values {
		value := text(v.Value)
		if i < len(r.overwrite) && !r.overwrite[i] && strings.TrimSpace(value) == "" {
			kept = append(kept, v.To)
		}
		if name, ok := strings.CutPrefix(v.To, "metadata."); ok {
			out.Metadata = setMetadata(out.Metadata, name, value)
		} else {
			out.Set(v.To, value)
		}
	}
	return out, kept
}

// setMetadata sets one extension column, adding it when the record has none of that name.
func setMetadata(m []roster.MetadataValue, name, value string) []roster.MetadataValue {
	for i := range m {
		if m[i].Name == name {
			m[i].Value = value
			return m
		}
	}
	return append(m, roster.MetadataValue{Name: name, Value: value})
}

// writable reports whether an import mapping may fill the roster field name.
func writable(e roster.Entity, name string) bool {
	if meta, ok := strings.CutPrefix(name, "metadata."); ok {
		return meta != ""
	}
	return slices.Contains(Writable(e), name)
}

// Error joins the failed fields' errors.
func (r Result) Error() string {
	var errs []string
	for _, v := range r.Values {
		if v.Error != "" {
			errs = append(errs, v.Error)
		}
	}
	return strings.Join(errs, "; ")
}

// blank reports whether v carries no value: nil or an empty (or spaces-only) text.
func blank(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	}
	return false
}
