package dedupe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Rule is one comparison a domain needs to agree.
type Rule struct {
	Field     string  `json:"field"`               // see fields
	Compare   string  `json:"compare"`             // exact | normalized | fuzzy | date
	Threshold float64 `json:"threshold,omitempty"` // fuzzy: minimum similarity, 0 = DefaultThreshold
}

// Domain is one way two records can be the same person.
type Domain struct {
	Name     string  `json:"name"`
	Mode     string  `json:"mode"`               // unattended | manual
	Rules    []Rule  `json:"rules"`              // all must agree for the domain to claim a pair
	MinScore float64 `json:"minScore,omitempty"` // the pair's score must reach this too (0 = no minimum)
}

// Config is a workspace's domains in priority order: the first domain that claims a pair names it.
type Config struct {
	Domains []Domain `json:"domains"`
}

// Modes and comparisons a rule may name.
const (
	Unattended = "unattended"
	Manual     = "manual"

	Exact      = "exact"
	Normalized = "normalized"
	Fuzzy      = "fuzzy"
	Date       = "date"

	// DefaultThreshold is a fuzzy rule's similarity when it names none: Winkler's names typed twice
	// by different clerks mostly score above it, different names of the same length mostly below.
	DefaultThreshold = 0.88
)

// fields a rule may compare, in the order the error message lists them (and of the r… indexes).
var fields = []string{"identifier", "userMasterIdentifier", "email", "username", "name", "givenName", "familyName", "birthDate", "sex"}

// Defaults are the domains a new workspace starts with.
func Defaults() Config {
	return Config{Domains: []Domain{
		{Name: "Master ID", Mode: Unattended, Rules: []Rule{{Field: "userMasterIdentifier", Compare: Exact}}},
		// The minimum scores keep out records that share a value and nothing else: two systems numbering
		// their students alike, or two parents sharing one e-mail address.
		{Name: "Student or staff ID", Mode: Manual, Rules: []Rule{{Field: "identifier", Compare: Normalized}}, MinScore: 0.2},
		{Name: "Name and birth date", Mode: Manual, Rules: []Rule{{Field: "name", Compare: Fuzzy, Threshold: DefaultThreshold},
			{Field: "birthDate", Compare: Date}}, MinScore: nameDateMinScore},
		{Name: "Email", Mode: Manual, Rules: []Rule{{Field: "email", Compare: Normalized}}, MinScore: 0.2},
	}}
}

// nameDateMinScore keeps out different people who share a name and a birth date, or nearly: they
// differ in master id, school or sex, which true duplicates share or leave blank (see the models
// in compare.go). Measured on the generator's district of 100,000 students with 2 % duplicates,
// 0.5 keeps all but one true pair of this domain and lets one false pair through.
const nameDateMinScore = 0.5

// Parse reads a domains file: {"domains": [...]}, strictly (an unknown setting is refused), and
// checks it.
func Parse(data []byte) (Config, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // the byte-order mark some editors write
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return Config{}, jsonError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(data, int(dec.InputOffset()))
		return Config{}, fmt.Errorf("line %d, column %d: something follows the domains; a domains file holds one {\"domains\": [...]}", line, col)
	}
	return c, c.Validate()
}

// jsonError says where and what in a registrar's words.
func jsonError(data []byte, dec *json.Decoder, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(data, int(syntax.Offset)-1) // Offset counts the bad byte
		return fmt.Errorf("line %d, column %d: not valid JSON (%s); a domains file looks like {\"domains\": [{\"name\": \"Email\", \"mode\": \"manual\", \"rules\": [{\"field\": \"email\", \"compare\": \"normalized\"}]}]}", line, col, syntax.Error())
	case errors.As(err, &typ):
		line, col := position(data, int(typ.Offset)-1)
		if typ.Field == "" {
			return fmt.Errorf("line %d, column %d: the domains file should be an object {\"domains\": [...]}", line, col)
		}
		field := typ.Field[strings.LastIndex(typ.Field, ".")+1:]
		if at := bytes.LastIndex(data[:typ.Offset], []byte(`"`+field+`"`)); at >= 0 {
			line, col = position(data, at) // at the setting's name rather than after its value
		}
		return fmt.Errorf("line %d, column %d: %s should be %s", line, col, field, kindName(typ.Type.Kind().String()))
	case err == io.EOF:
		return errors.New("the domains file is empty; it should hold {\"domains\": [...]}")
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(data, len(bytes.TrimRight(data, " \t\r\n")))
		return fmt.Errorf("line %d, column %d: the file ends before the domains do (a closing ] or } or a quote is missing)", line, col)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.TrimPrefix(err.Error(), "json: unknown field ")
		line, col := position(data, bytes.LastIndex(data[:dec.InputOffset()], []byte(key)))
		return fmt.Errorf("line %d, column %d: unknown setting %s; a domain has name, mode, rules and minScore, a rule has field, compare and threshold", line, col, key)
	}
	return err
}

func kindName(k string) string {
	switch k {
	case "float64":
		return "a number"
	case "string":
		return "text in quotes"
	case "slice":
		return "a list [...]"
	}
	return "an object {...}"
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	return line, off - bytes.LastIndexByte(data[:off], '\n')
}

// Validate checks the domains; an error names the domain by position and name and the setting at fault.
func (c Config) Validate() error {
	if len(c.Domains) == 0 {
		return errors.New("no domains: list at least one, e.g. {\"name\": \"Email\", \"mode\": \"manual\", \"rules\": [{\"field\": \"email\", \"compare\": \"normalized\"}]}")
	}
	seen := map[string]int{}
	for i, d := range c.Domains {
		at := fmt.Sprintf("domain %d %q", i+1, d.Name)
		if strings.TrimSpace(d.Name) == "" {
			return fmt.Errorf("domain %d has no name: give it one the review queue can show", i+1)
		}
		if j, ok := seen[Normalize(d.Name)]; ok {
			return fmt.Errorf("%s: domain %d has the same name; give each domain its own", at, j+1)
		}
		seen[Normalize(d.Name)] = i
		if d.Mode != Unattended && d.Mode != Manual {
			return fmt.Errorf("%s: mode %q is not known; use \"unattended\" (merge automatically) or \"manual\" (review queue)", at, d.Mode)
		}
		if d.MinScore < 0 || d.MinScore > 1 {
			return fmt.Errorf("%s: minScore %v is outside 0…1", at, d.MinScore)
		}
		if len(d.Rules) == 0 {
			return fmt.Errorf("%s has no rules: list at least one, e.g. {\"field\": \"email\", \"compare\": \"normalized\"}", at)
		}
		for k, r := range d.Rules {
			if err := r.validate(); err != nil {
				return fmt.Errorf("%s, rule %d: %w", at, k+1, err)
			}
		}
	}
	return nil
}

func (r Rule) validate() error {
	known := false
	for _, f := range fields {
		known = known || f == r.Field
	}
	if !known {
		return fmt.Errorf("field %q is not known; use one of %s", r.Field, strings.Join(fields, ", "))
	}
	switch r.Compare {
	case Exact, Normalized:
	case Fuzzy:
		if r.Field == "birthDate" {
			return errors.New("birthDate cannot be compared fuzzy; use \"date\" (tolerates day and month transposed and one digit off), \"exact\" or \"normalized\"")
		}
	case Date:
		if r.Field != "birthDate" {
			return fmt.Errorf("only birthDate can be compared as a date; compare %s exact, normalized or fuzzy", r.Field)
		}
	default:
		return fmt.Errorf("compare %q is not known; use exact, normalized, fuzzy or date", r.Compare)
	}
	if r.Threshold != 0 && r.Compare != Fuzzy {
		return fmt.Errorf("a threshold only applies to compare \"fuzzy\", not %q", r.Compare)
	}
	if r.Threshold < 0 || r.Threshold > 1 {
		return fmt.Errorf("threshold %v is outside 0…1 (0.88 is a good start for names)", r.Threshold)
	}
	return nil
}
