package oneroster

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// WriteOptions choose what a Writer produces.
type WriteOptions struct {
	Version    string // "1.1" or "1.2"
	Delta      bool   // delta files carry status and dateLastModified; bulk files leave them blank
	SystemName string // manifest source.systemName
	SystemCode string // manifest source.systemCode
	// BlankStatus keeps a record's missing status blank in a delta file, where it is otherwise written
	// active: a source staged as a package passes on that its record had none (status Blank).
	BlankStatus bool
	// Now stamps delta rows that carry no dateLastModified; time.Now when nil.
	Now func() time.Time
	// Roles11 supplies a user's orgs and 1.1 role when writing 1.1, where they sit on the user row.
	// Users come before roles in roster.Entities, so the caller (who can look roles up) provides them
	// instead of the writer holding every role in memory. Required to write users in 1.1.
	Roles11 func(userSourcedID string) (orgSourcedIDs []string, role string)
}

// Writer streams records into a OneRoster CSV ZIP with entries at the root, exact spec headers and a
// manifest listing every file.
type Writer struct {
	zw      *zip.Writer
	opts    WriteOptions
	now     string
	cur     roster.Entity
	curIdx  int
	csv     *csv.Writer
	meta    []string // metadata.* columns of the current file, fixed by its first record
	row     []string
	written map[roster.Entity]bool
}

// zipTime fixes entry times so the same records always give the same bytes.
var zipTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// NewWriter starts a ZIP on w.
func NewWriter(w io.Writer, opts WriteOptions) (*Writer, error) {
	if opts.Version != "1.1" && opts.Version != "1.2" {
		return nil, fmt.Errorf("OneRoster version %q: write 1.1 or 1.2", opts.Version)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Writer{zw: zip.NewWriter(w), opts: opts, curIdx: -1, now: opts.Now().UTC().Format(dateTimeLayout), written: map[roster.Entity]bool{}}, nil
}

const dateTimeLayout = "2006-01-02T15:04:05.000Z"

// Begin starts the file of an entity with the given metadata.* columns (names without the prefix),
// even if no record follows: an empty bulk file says "none left", where a missing one says nothing.
func (w *Writer) Begin(e roster.Entity, metadata []string) error {
	idx := entityIndex(e)
	if idx <= w.curIdx {
		return fmt.Errorf("%s records arrived after %s records: write entities in roster.Entities order", e, w.cur)
	}
	w.curIdx = idx
	return w.startFile(e, metadata)
}

// Write adds one record. Records must arrive grouped by entity in roster.Entities order. The
// metadata.* columns of a file are those given to Begin, else those of its first record.
func (w *Writer) Write(rec roster.Record) error {
	if rec.Entity != w.cur {
		names := make([]string, len(rec.Metadata))
		for i, m := range rec.Metadata {
			names[i] = m.Name
		}
		if err := w.Begin(rec.Entity, names); err != nil {
			return err
		}
	}
	if w.csv == nil { // an entity this version has no file for (roles in 1.1)
		return nil
	}
	w.row = w.row[:0]
	if w.opts.Version == "1.1" && rec.Entity == roster.Users {
		if err := w.users11Row(rec); err != nil {
			return err
		}
	} else {
		w.row = append(w.row, rec.Values...)
	}
	w.stamp(rec)
	for _, name := range w.meta {
		w.row = append(w.row, metadataValue(rec, name))
	}
	return w.csv.Write(w.row)
}

// stamp sets status and dateLastModified: blank in bulk files, always present in delta files.
func (w *Writer) stamp(rec roster.Record) {
	if !w.opts.Delta {
		w.row[1], w.row[2] = "", ""
		return
	}
	if rec.Status() == roster.StatusNone && !w.opts.BlankStatus {
		w.row[1] = string(roster.StatusActive)
	}
	if rec.DateLastModified() == "" {
		w.row[2] = w.now
	}
}

func (w *Writer) users11Row(rec roster.Record) error {
	if w.opts.Roles11 == nil {
		return fmt.Errorf("writing OneRoster 1.1 users needs WriteOptions.Roles11")
	}
	orgs, role := w.opts.Roles11(rec.SourcedID())
	for _, col := range roster.Users11Columns {
		switch col {
		case "orgSourcedIds":
			w.row = append(w.row, strings.Join(orgs, ","))
		case "role":
			w.row = append(w.row, Role11(role))
		default:
			w.row = append(w.row, rec.Get(col))
		}
	}
	return nil
}

// Role11 maps a 1.2 roles.role to the 1.1 users.role vocabulary.
func Role11(role string) string {
	switch role {
	case "siteAdministrator", "districtAdministrator", "counselor", "principal", "systemAdministrator":
		return "administrator"
	}
	return role
}

func metadataValue(rec roster.Record, name string) string {
	for _, m := range rec.Metadata {
		if m.Name == name {
			return m.Value
		}
	}
	return ""
}

func (w *Writer) startFile(e roster.Entity, metadata []string) error {
	if err := w.flush(); err != nil {
		return err
	}
	w.cur, w.csv, w.meta = e, nil, nil
	header := roster.Header(e, w.opts.Version)
	if header == nil {
		return nil
	}
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: e.FileName(), Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	w.csv = csv.NewWriter(f)
	for _, m := range metadata {
		w.meta = append(w.meta, m)
		header = append(header[:len(header):len(header)], "metadata."+m)
	}
	w.written[e] = true
	return w.csv.Write(header)
}

func (w *Writer) flush() error {
	if w.csv == nil {
		return nil
	}
	w.csv.Flush()
	return w.csv.Error()
}

// Close writes manifest.csv and finishes the ZIP (it does not close the underlying writer).
func (w *Writer) Close() error {
	if err := w.flush(); err != nil {
		return err
	}
	f, err := w.zw.CreateHeader(&zip.FileHeader{Name: "manifest.csv", Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	mode := "bulk"
	if w.opts.Delta {
		mode = "delta"
	}
	c := csv.NewWriter(f)
	c.Write([]string{"propertyName", "value"})
	c.Write([]string{"manifest.version", "1.0"})
	c.Write([]string{"oneroster.version", w.opts.Version})
	for _, name := range fileNames(w.opts.Version) {
		m := "absent"
		if w.written[roster.Entity(name)] {
			m = mode
		}
		c.Write([]string{"file." + name, m})
	}
	c.Write([]string{"source.systemName", w.opts.SystemName})
	c.Write([]string{"source.systemCode", w.opts.SystemCode})
	c.Flush()
	if err := c.Error(); err != nil {
		return err
	}
	return w.zw.Close()
}

// fileNames lists the manifest's file entries of a version, in the spec's order.
func fileNames(version string) []string {
	names := []string{"academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics",
		"enrollments", "lineItems", "orgs", "resources", "results", "users"}
	if version == "1.2" {
		names = append(names, "roles", "userProfiles")
	}
	return names
}

func entityIndex(e roster.Entity) int {
	for i, x := range roster.Entities {
		if x == e {
			return i
		}
	}
	return -1
}
