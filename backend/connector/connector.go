// Package connector defines what a connection kind is: its options declared as data (the UI renders
// each kind's form from them, the CLI checks --set keys against them) and the Source and Target it opens.
// Kinds are registered explicitly in a Registry; each lives in its own sub-package.
package connector

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Roles a connection can have.
const (
	RoleSource = "source"
	RoleTarget = "target"
	RoleBoth   = "both"
)

// OptionType tells the UI which input to draw.
type OptionType string

const (
	TypeText   OptionType = "text"
	TypePath   OptionType = "path" // a file or folder on this computer: text box plus Browse buttons
	TypeChoice OptionType = "choice"
	TypeNumber OptionType = "number"
	TypeSecret OptionType = "secret" // stored in the keychain, never in the workspace
	// TypeColumns is a JSON object mapping the headers of the file in the "path" option to roster
	// fields; the UI lets the user choose it over a preview of the file.
	TypeColumns OptionType = "columns"
)

// Option is one setting of a kind.
type Option struct {
	Key      string     `json:"key"`
	Label    string     `json:"label"`
	Help     string     `json:"help"`
	Type     OptionType `json:"type"`
	Required bool       `json:"required"`
	Default  string     `json:"default"`
	Choices  []string   `json:"choices"`
	// Multiline asks for a text area, for values such as a pasted key file.
	Multiline bool `json:"multiline"`
	// Roles limits the option to connections with one of these roles; empty means every role.
	Roles []string `json:"roles"`
}

// Source reads an endpoint. Stage copies what the endpoint holds now into dir (an empty folder the
// caller owns) and returns the path of the OneRoster package (zip or folder) inside it, so that an
// import later applies exactly what was fetched and reviewed. Test checks, without staging, that the
// endpoint can be reached and read, and says so in words a registrar understands; its error says
// what is wrong and what to do.
type Source interface {
	Stage(ctx context.Context, dir string, pull Pull, rep events.Reporter) (string, error)
	Test(ctx context.Context) (string, error)
}

// NoPackageError is a Source's refusal when its path holds no package yet: no such file or folder,
// or a folder without CSV files. A fetch fails with its message; a two-way sync takes that side for
// empty and fills it. Folder says whether the path names a folder of CSV files rather than a ZIP.
type NoPackageError struct {
	Err    *apperr.Error
	Folder bool
}

func (e *NoPackageError) Error() string { return e.Err.Message }
func (e *NoPackageError) Unwrap() error { return e.Err }

// NoPackage returns a NoPackageError with message, for a path that names a folder or a ZIP.
func NoPackage(message string, folder bool) error {
	return &NoPackageError{Err: apperr.New(apperr.CodeBadInput, message), Folder: folder}
}

// Target receives what an export wrote. Deliver puts the local file (a OneRoster ZIP the caller wrote and owns)
// at the endpoint so that a reader never sees half a file (write to a temporary name beside the final one, then
// rename over it), and returns where it went in words a registrar understands (a path or sftp://host/path).
// name is the file name to use when the connection's path is a folder. Test checks, with a harmless write where
// possible (create and remove a small temporary file), that the endpoint can take a delivery.
type Target interface {
	Deliver(ctx context.Context, local, name string, rep events.Reporter) (string, error)
	Test(ctx context.Context) (string, error)
}

// PartMarker is in the name of every file a delivery is still writing, so a reader (and a person
// looking at the folder) can tell it from a finished export.
const PartMarker = ".part-"

// PartName is a fresh temporary name beside final: in the same folder, so renaming it over final
// stays on one volume and is atomic, and unique, so a retry never writes into an older attempt.
func PartName(final string) string {
	return final + PartMarker + rand.Text()[:8]
}

// Pull narrows what Stage copies, for sources that can ask their endpoint for less (an API); a file
// source stages the whole file whatever it says. The zero Pull means everything.
type Pull struct {
	// Schools, when not empty, limits the pull to these schools (org sourcedIds): their classes and
	// enrollments, and the records those refer to.
	Schools []string
	// Since, when not zero, asks only for records changed after it; the staged package is then a delta.
	Since time.Time
}

// Kind declares a connection kind.
type Kind struct {
	Name    string   `json:"kind"`
	Label   string   `json:"label"`
	Roles   []string `json:"roles"` // roles this kind supports
	Options []Option `json:"options"`
	// Delta says the source honours Pull.Since: it can send only the records changed since a time.
	Delta bool `json:"delta"`
	// Check validates settings beyond the option declarations (e.g. that a path exists) for a
	// connection with role (RoleSource, RoleTarget or RoleBoth).
	Check func(role string, settings map[string]string) error `json:"-"`
	// NewSource opens the source; secrets holds the values of the kind's TypeSecret options that the
	// user has stored (a missing one is absent), read from the secret store just for this use.
	NewSource func(settings, secrets map[string]string) (Source, error) `json:"-"`
	// NewTarget opens the target, with secrets as for NewSource; nil for kinds that are not targets
	// or that take records one at a time.
	NewTarget func(settings, secrets map[string]string) (Target, error) `json:"-"`
	// NewRecordTarget opens a target that takes records one at a time (an API); nil for others.
	NewRecordTarget func(settings, secrets map[string]string) (RecordTarget, error) `json:"-"`
}

// PackageOptions are the settings of a target that writes OneRoster packages: which version, and
// whether each export is complete or holds only the changes.
func PackageOptions() []Option {
	target := []string{RoleTarget, RoleBoth}
	return []Option{
		{Key: "version", Label: "OneRoster version to write", Type: TypeChoice, Default: "1.2", Choices: []string{"1.1", "1.2"}, Roles: target,
			Help: "The OneRoster version the system that reads the export expects; newer systems take 1.2."},
		{Key: "mode", Label: "What to write", Type: TypeChoice, Default: "bulk", Choices: []string{"bulk", "delta"}, Roles: target,
			Help: "bulk: the complete selection every time, so the reader can remove what is no longer in it. " +
				"delta: only what changed since the last export, for readers that apply changes."},
	}
}

// SecretKeys lists the keys of the kind's TypeSecret options.
func (k Kind) SecretKeys() []string {
	var keys []string
	for _, o := range k.Options {
		if o.Type == TypeSecret {
			keys = append(keys, o.Key)
		}
	}
	return keys
}

// Registry holds the kinds this build supports.
type Registry struct{ kinds map[string]Kind }

// NewRegistry registers kinds. Every kind that reads gets the ids option, so all sources meet
// each other the same way.
func NewRegistry(kinds ...Kind) *Registry {
	r := &Registry{kinds: map[string]Kind{}}
	for _, k := range kinds {
		if k.NewSource != nil {
			k.Options = append(slices.Clip(k.Options), IDsOption())
		}
		r.kinds[k.Name] = k
	}
	return r
}

// IDsOption is how a source's records meet those of the roster's other sources (SPEC §3).
func IDsOption() Option {
	return Option{Key: "ids", Label: "Record IDs", Type: TypeChoice, Default: "shared", Choices: []string{"shared", "own"}, Roles: []string{RoleSource, RoleBoth},
		Help: "shared: a record with the same sourcedId as one another source sent is the same record (two feeds of one SIS). " +
			"own: this system numbers its records its own way; they meet other sources' records only when duplicates are merged."}
}

// Kinds lists the registered kinds by name.
func (r *Registry) Kinds() []Kind {
	out := make([]Kind, 0, len(r.kinds))
	for _, k := range r.kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Kind returns a registered kind or a clear error listing the known ones.
func (r *Registry) Kind(name string) (Kind, error) {
	if k, ok := r.kinds[name]; ok {
		return k, nil
	}
	names := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return Kind{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("unknown connection kind %q; available: %s", name, strings.Join(names, ", ")))
}

// Normalize checks role and settings against the declaration, fills defaults, trims values, and
// rejects unknown keys and missing required ones with a message naming the setting.
func (k Kind) Normalize(role string, settings map[string]string) (map[string]string, error) {
	if role == "" {
		role = k.Roles[0]
	}
	if !roleAllowed(k.Roles, role) {
		return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("a %s connection cannot have the role %q (possible: %s)", k.Label, role, strings.Join(k.Roles, ", ")))
	}
	out := map[string]string{}
	known := map[string]bool{}
	for _, o := range k.Options {
		known[o.Key] = true
		if o.Type == TypeSecret || (len(o.Roles) > 0 && !roleAllowed(o.Roles, role)) {
			continue
		}
		v := strings.TrimSpace(settings[o.Key])
		if v == "" {
			v = o.Default
		}
		if v == "" && o.Required {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s is required (setting %q)", o.Label, o.Key))
		}
		if v != "" && o.Type == TypeChoice && !slices.Contains(o.Choices, v) {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s must be one of %s, not %q", o.Label, strings.Join(o.Choices, ", "), v))
		}
		if v != "" {
			out[o.Key] = v
		}
	}
	for key := range settings {
		if !known[key] {
			return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s connections have no setting %q", k.Label, key))
		}
	}
	if k.Check != nil {
		if err := k.Check(role, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func roleAllowed(roles []string, role string) bool { return slices.Contains(roles, role) }

// HostKey is a server's public key as the user confirms it: the SHA256 fingerprint to compare with
// what the provider publishes, and the key line that pinning stores in the Setting option.
type HostKey struct {
	Host        string `json:"host"`
	Fingerprint string `json:"fingerprint"`
	Key         string `json:"key"`
	Setting     string `json:"setting"`
}

// HostKeyError is what a source returns when the server's key is not the pinned one. Changed false
// means no key is pinned yet: the user may confirm it (trust on first use). Changed true means the
// server's identity differs from the pinned one, which is refused.
type HostKeyError struct {
	HostKey
	Changed bool
}

func (e *HostKeyError) Error() string {
	if e.Changed {
		return fmt.Sprintf("The server's identity changed: %s presented the key %s, not the one pinned for this connection. "+
			"This can mean someone is intercepting the connection. Ask your SFTP provider whether they replaced the server's key; "+
			"only then clear the pinned key in the connection's settings and test again.", e.Host, e.Fingerprint)
	}
	return fmt.Sprintf("%s presented the key %s, which this connection has not trusted yet. Compare it with the fingerprint your SFTP provider "+
		"gave you, then choose Trust (on the command line: connection test --trust-host-key).", e.Host, e.Fingerprint)
}

// SizeText writes a byte count the way Test connection messages show it.
func SizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// WebAddress checks a server address a kind connects to: absolute, without a user name or password
// in it, and https, because student data and secrets must not cross a network unencrypted (plain
// http only for this computer: a local gateway or a test server). label names the setting.
func WebAddress(label, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s %q is not a web address; write it in full, starting with https://, e.g. https://sis.example.org", label, raw))
	}
	if u.User != nil {
		return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s must not hold a user name or password; enter them in their own fields.", label))
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s must start with https:// (not %s): student data and secrets must not travel unencrypted; http:// is accepted only for this computer.", label, raw))
	}
	return u, nil
}

// ServiceAddress is WebAddress for the address of a service that paths are added to: it may carry
// no fragment, and no query unless queryAllowed (a token URL).
func ServiceAddress(label, raw string, queryAllowed bool) (*url.URL, error) {
	u, err := WebAddress(label, raw)
	if err != nil {
		return nil, err
	}
	if u.Fragment != "" || (u.RawQuery != "" && !queryAllowed) {
		return nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s must not contain ? or #; enter the address only (not %q)", label, raw))
	}
	return u, nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}
