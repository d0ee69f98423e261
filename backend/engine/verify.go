package engine

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// The verification summary (SPEC §4) compares the roster with a source or a target record by
// record: records the connection has and the roster lacks, records the roster has and the
// connection lacks, and records whose fields differ. Against a source it reads the source's last
// fetch as an import would see it (its selection and import mapping); against a file target, the
// package there beside what an export would write; against an API target, what Rosterdesk last
// delivered. Both sides are walked in sourcedId order (the package's records sorted on disk), so a
// district of any size verifies in bounded memory. Nothing is changed and no run is recorded.

// Kinds of difference.
const (
	MissingInRoster     = "missingInRoster"     // the connection has it, the roster does not
	MissingInConnection = "missingInConnection" // the roster has it, the connection does not
	Differs             = "differs"             // both have it, with different values
)

// FieldDifference is one field of a record with its value on each side.
type FieldDifference struct {
	Field      string `json:"field"`
	Roster     string `json:"roster"`
	Connection string `json:"connection"`
}

// Difference is one record that is not the same on both sides.
type Difference struct {
	Entity string `json:"entity"`
	// SourcedID is the connection's id of the record (a target's is the roster's); RosterID is the
	// roster's, "" when the roster has no live record of it.
	SourcedID string            `json:"sourcedId"`
	RosterID  string            `json:"rosterId"`
	Kind      string            `json:"kind"`
	Fields    []FieldDifference `json:"fields"`
}

// VerifyCounts counts one entity's records by outcome.
type VerifyCounts struct {
	Same                int `json:"same"`
	MissingInRoster     int `json:"missingInRoster"`
	MissingInConnection int `json:"missingInConnection"`
	Differs             int `json:"differs"`
}

// Verification is what a verification compared and counted.
type Verification struct {
	ConnectionID int64  `json:"connectionId"`
	Connection   string `json:"connection"`
	Against      string `json:"against"` // source or target
	// Basis says in words what the roster was compared with.
	Basis string `json:"basis"`
	// FetchedAt is when the source's compared fetch was made; Stale says the roster holds data of
	// this source imported from a later fetch, so the comparison is with older data.
	FetchedAt   string                  `json:"fetchedAt"`
	Stale       bool                    `json:"stale"`
	Counts      map[string]VerifyCounts `json:"counts"`
	Differences int                     `json:"differences"`
}

// VerifyOptions say what to verify: an integration's selection, mapping and entity tasks (else
// the connection's), and one entity or all.
type VerifyOptions struct {
	IntegrationID int64
	Entities      []string
	Entity        roster.Entity
}

// Verify compares the roster with a connection and calls found with each difference, in entity
// order and sourcedId order within an entity. A connection that is both a source and a target is
// verified as a source.
func (e *Engine) Verify(ctx context.Context, connectionID int64, opts VerifyOptions, rep events.Reporter, found func(Difference) error) (Verification, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return Verification{}, notFound(err, "connection")
	}
	if opts.Entity != "" && !slices.Contains(roster.Entities, opts.Entity) {
		return Verification{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not an entity to verify: use one of %s.", opts.Entity, strings.Join(entityNames(), ", ")))
	}
	work, err := parseTasks(opts.Entities)
	if err != nil {
		return Verification{}, err
	}
	defer limitMemory()() // as an import: the collector runs before the heap doubles
	v := &verifier{e: e, conn: conn, opts: opts, work: work, rep: rep, found: found,
		out: Verification{ConnectionID: conn.ID, Connection: conn.Name, Counts: map[string]VerifyCounts{}}}
	if conn.Role == connector.RoleTarget || opts.IntegrationID != 0 && e.integrationType(ctx, opts.IntegrationID) == "export" {
		v.out.Against = "target"
		err = v.target(ctx)
	} else {
		v.out.Against = "source"
		err = v.source(ctx)
	}
	if err != nil {
		return Verification{}, err
	}
	for _, c := range v.out.Counts {
		v.out.Differences += c.MissingInRoster + c.MissingInConnection + c.Differs
	}
	e.log.Info("verified", "connection", conn.Name, "against", v.out.Against, "differences", v.out.Differences)
	return v.out, nil
}

func (e *Engine) integrationType(ctx context.Context, id int64) string {
	in, err := e.store.Integration(ctx, id)
	if err != nil {
		return ""
	}
	return in.Type
}

// verifier is one verification under way.
type verifier struct {
	e     *Engine
	conn  store.Connection
	opts  VerifyOptions
	work  tasks
	rep   events.Reporter
	found func(Difference) error
	out   Verification
	// columns11 are the users.csv columns of a OneRoster 1.1 package being compared (nil for 1.2).
	columns11 map[string]bool
}

func (v *verifier) wants(ent roster.Entity) bool {
	return v.work.has(ent) && (v.opts.Entity == "" || v.opts.Entity == ent)
}

func (v *verifier) count(ent roster.Entity, kind string) {
	c := v.out.Counts[string(ent)]
	switch kind {
	case MissingInRoster:
		c.MissingInRoster++
	case MissingInConnection:
		c.MissingInConnection++
	case Differs:
		c.Differs++
	default:
		c.Same++
	}
	v.out.Counts[string(ent)] = c
}

func (v *verifier) report(d Difference) error {
	v.count(roster.Entity(d.Entity), d.Kind)
	if d.Fields == nil {
		d.Fields = []FieldDifference{}
	}
	return v.found(d)
}

// source compares the roster with the source's last fetch, as an import would take it.
func (v *verifier) source(ctx context.Context) error {
	e, conn := v.e, v.conn
	snap, err := e.store.Snapshot(ctx, conn.ID)
	if errors.Is(err, store.ErrNotFound) {
		return &apperr.Error{Code: apperr.CodeInvalid, Details: map[string]string{"needs": "fetch"},
			Message: fmt.Sprintf("%s has not been fetched yet: a verification compares the roster with the source's last fetch. Fetch it first, then verify.", conn.Name)}
	}
	if err != nil {
		return err
	}
	v.out.FetchedAt = snap.FetchedAt
	v.out.Stale = conn.AppliedAt != "" && snap.FetchedAt < conn.AppliedAt
	v.out.Basis = fmt.Sprintf("the fetch of %s made %s, through its selection and import mapping", conn.Name, snap.FetchedAt)
	sel, err := e.runSelection(ctx, conn.ID, v.opts.IntegrationID, store.DirectionImport)
	if err != nil {
		return err
	}
	filter, role, err := e.selectIn(ctx, conn.ID, snap.Path, false, sel, v.work.anyByRole(), v.rep)
	if err != nil {
		return err
	}
	sc := scope{tasks: v.work, integration: v.opts.IntegrationID, sourceRole: role}
	if v.work.anyByRole() {
		if sc.rosterRoles, err = e.store.UserRoles(ctx); err != nil {
			return err
		}
	}
	mappings, err := e.importMappings(ctx, conn.ID, v.opts.IntegrationID)
	if err != nil {
		return err
	}
	pkg, err := oneroster.Open(snap.Path)
	if err != nil {
		return err
	}
	defer pkg.Close()
	srt, err := newSorters(e.staging)
	if err != nil {
		return err
	}
	defer srt.close()
	// A row that failed to read is never taken for a missing record (SPEC §2): its id, or all of
	// its entity when the row has none, is left out of "missing in the connection".
	unread := map[roster.Entity]map[string]bool{}
	total := pkg.Size()
	_, err = pkg.Visit(ctx, oneroster.Visitor{NoReferences: true,
		Record: func(rec roster.Record) error {
			if !v.wants(rec.Entity) || !sc.keeps(rec) || rec.Status() == roster.StatusToBeDeleted {
				return nil
			}
			h := mapIn(mappings[rec.Entity], rec)
			switch {
			case h.failed != "": // the import leaves the record as it is
				return unreadID(unread, rec.Entity, rec.SourcedID())
			case !filter.Keep(h.rec):
				return nil
			}
			return srt.add(keyed{rec: h.rec, kept: h.kept})
		},
		Unread: func(u oneroster.Unread) error { return unreadID(unread, u.Entity, u.SourcedID) },
		Progress: func(done int64) {
			v.rep.Report(events.Progress{Stage: "reading " + conn.Name, Done: done, Total: total, Unit: "bytes"})
		}})
	if err != nil {
		return err
	}
	for i, ent := range roster.Entities {
		mode := pkg.Mode(ent)
		if ent == roster.Roles && pkg.Version() != "1.2" {
			mode = pkg.Mode(roster.Users) // roles come from a 1.1 users.csv
		}
		if !v.wants(ent) || mode == oneroster.ModeAbsent {
			continue
		}
		v.rep.Report(events.Progress{Stage: "comparing " + string(ent), Done: int64(i), Total: int64(len(roster.Entities)), Unit: "files"})
		// A delta file lists changes only: a record it does not list is not missing.
		complete := mode == oneroster.Mode("bulk") && !unread[ent][""]
		if err := v.sourceEntity(ctx, ent, srt, sc, complete, unread[ent]); err != nil {
			return err
		}
	}
	return nil
}

func unreadID(unread map[roster.Entity]map[string]bool, ent roster.Entity, id string) error {
	if unread[ent] == nil {
		unread[ent] = map[string]bool{}
	}
	unread[ent][id] = true
	return nil
}

// errStop ends a pulled sequence early.
var errStop = errors.New("stop")

// pull turns an entity's sorted records into a function returning the next one, so they can be
// merged with a walk of the roster; stop ends it and returns the sort's error.
func pull(srt *sorters, ent roster.Entity) (next func() (keyed, bool), stop func() error) {
	var failed error
	seq := func(yield func(keyed) bool) {
		err := srt.sorted(ent, func(k keyed) error {
			if !yield(k) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			failed = err
		}
	}
	n, s := iter.Pull(iter.Seq[keyed](seq))
	return n, func() error {
		s()
		return failed
	}
}

// sourceEntity merges one entity of the source, sorted, with the records it supplies the roster.
func (v *verifier) sourceEntity(ctx context.Context, ent roster.Entity, srt *sorters, sc scope, complete bool, unread map[string]bool) error {
	next, stop := pull(srt, ent)
	cur, ok := next()
	last := ""
	advance := func() {
		last = cur.rec.SourcedID()
		cur, ok = next()
		for ok && cur.rec.SourcedID() == last { // a repeated sourcedId: the import takes it once
			cur, ok = next()
		}
	}
	missing := func(k keyed, record string) error {
		return v.report(Difference{Entity: string(ent), SourcedID: k.rec.SourcedID(), RosterID: record, Kind: MissingInRoster})
	}
	err := v.e.store.EachSupplied(ctx, v.conn.ID, ent, func(sp store.Supplied) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for ok && cur.rec.SourcedID() < sp.SourceID {
			if err := missing(cur, ""); err != nil {
				return err
			}
			advance()
		}
		if ok && cur.rec.SourcedID() == sp.SourceID {
			k := cur
			advance()
			if !sp.Live {
				return missing(k, "")
			}
			fields, err := v.fields(ctx, sp.Record, k.rec, k.kept, true)
			if err != nil || len(fields) == 0 {
				v.count(ent, "")
				return err
			}
			return v.report(Difference{Entity: string(ent), SourcedID: sp.SourceID, RosterID: sp.RecordID, Kind: Differs, Fields: fields})
		}
		if !sp.Live || !complete || unread[sp.SourceID] || !sc.keepsRoster(ent, sp.RecordID) {
			return nil
		}
		return v.report(Difference{Entity: string(ent), SourcedID: sp.SourceID, RosterID: sp.RecordID, Kind: MissingInConnection})
	})
	for err == nil && ok {
		err = missing(cur, "")
		advance()
	}
	if serr := stop(); err == nil {
		err = serr
	}
	return err
}

// fields lists the fields of a record that differ between the roster's values (ros) and the
// connection's (got). kept are fields an import mapping leaves to the roster; byOrigin resolves a
// source's references to roster ids before calling them different.
func (v *verifier) fields(ctx context.Context, ros, got roster.Record, kept []string, byOrigin bool) ([]FieldDifference, error) {
	var out []FieldDifference
	for c, col := range roster.Schema(ros.Entity).Columns {
		if c < firstColumn || slices.Contains(kept, col.Name) || !v.compares(got, col.Name) {
			continue
		}
		r, g := ros.Values[c], got.Values[c]
		if r == g {
			continue
		}
		if byOrigin && (col.Kind == roster.Ref || col.Kind == roster.RefList) {
			same, err := v.sameRefs(ctx, col.Target, r, g)
			if err != nil || same {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		if col.Name == "password" {
			r, g = hiddenIfSet(r), hiddenIfSet(g)
		}
		out = append(out, FieldDifference{Field: col.Name, Roster: r, Connection: g})
	}
	rm, gm := metadataMap(ros.Metadata), metadataMap(got.Metadata)
	names := make([]string, 0, len(rm)+len(gm))
	for name := range rm {
		names = append(names, name)
	}
	for name := range gm {
		if _, ok := rm[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if rm[name] != gm[name] && !slices.Contains(kept, "metadata."+name) {
			out = append(out, FieldDifference{Field: "metadata." + name, Roster: rm[name], Connection: gm[name]})
		}
	}
	return out, nil
}

// firstColumn is the first column compared: sourcedId, status and dateLastModified are bookkeeping.
const firstColumn = 3

// compares says whether a record read from a package has the field at all: a OneRoster 1.1
// users.csv has no 1.2-only columns.
func (v *verifier) compares(got roster.Record, field string) bool {
	return got.Entity != roster.Users || v.columns11 == nil || v.columns11[field]
}

// sameRefs says whether a source's references (comma-separated ids) name the records the roster's do.
func (v *verifier) sameRefs(ctx context.Context, target roster.Entity, ros, got string) (bool, error) {
	rs, gs := strings.Split(ros, ","), strings.Split(got, ",")
	if len(rs) != len(gs) {
		return false, nil
	}
	for i, id := range gs {
		id = strings.TrimSpace(id)
		rid, err := v.e.store.SuppliedAs(ctx, v.conn.ID, target, id)
		if errors.Is(err, store.ErrNotFound) {
			rid, err = id, nil
		}
		if err != nil {
			return false, err
		}
		if rid != strings.TrimSpace(rs[i]) {
			return false, nil
		}
	}
	return true, nil
}

func hiddenIfSet(v string) string {
	if v == "" {
		return ""
	}
	return "(hidden)"
}

// metadataMap is a record's extension columns with a value; a blank one is as good as none.
func metadataMap(m []roster.MetadataValue) map[string]string {
	out := map[string]string{}
	for _, kv := range m {
		if kv.Value != "" {
			out[kv.Name] = kv.Value
		}
	}
	return out
}

// target compares the roster, as an export would send it, with what the target holds: the package
// there for a file target, what Rosterdesk delivered for an API.
func (v *verifier) target(ctx context.Context) error {
	e := v.e
	xs, err := e.exportSettings(ctx, v.conn.ID, RunOptions{Entities: v.opts.Entities, IntegrationID: v.opts.IntegrationID})
	if err != nil {
		return err
	}
	x, err := e.store.BeginSend(ctx, v.conn.ID, 0)
	if err != nil {
		return err
	}
	defer x.Rollback()
	sel, err := e.runSelection(ctx, v.conn.ID, v.opts.IntegrationID, store.DirectionExport)
	if err != nil {
		return err
	}
	filter, err := selectRoster(ctx, x, sel, v.rep)
	if err != nil {
		return err
	}
	sc, err := rosterScope(xs.tasks, x)
	if err != nil {
		return err
	}
	if xs.records != nil {
		v.out.Basis = fmt.Sprintf("what Rosterdesk sent %s (its records as last delivered, not read back from %s)", v.conn.Name, v.conn.Name)
		return v.delivered(ctx, x, xs, filter, sc)
	}
	path, cleanup, err := v.targetPackage(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	v.out.Basis = fmt.Sprintf("the package at %s, beside what an export would write there", path)
	return v.pkg(ctx, x, path, filter, sc)
}

// targetPackage finds the package a file target holds now: the .zip the connection names, or the
// newest export in its folder (on this computer); an SFTP target's file is copied to the staging
// folder first. cleanup removes any copy.
func (v *verifier) targetPackage(ctx context.Context) (string, func(), error) {
	none := func() {}
	path := v.conn.Settings["path"]
	if path != "" && !strings.EqualFold(filepath.Ext(path), ".zip") {
		newest, err := newestExport(path)
		return newest, none, err
	}
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", none, apperr.New(apperr.CodeInvalid, fmt.Sprintf("There is no %s yet: export to %s first, then verify.", path, v.conn.Name))
		}
		return path, none, nil
	}
	kind, values, err := v.e.kind(v.conn, func(k connector.Kind) bool { return k.NewSource != nil },
		"%s cannot be read back: verify compares only with targets Rosterdesk can read (a folder, a .zip or an SFTP file)")
	if err != nil {
		return "", none, err
	}
	src, err := kind.NewSource(v.conn.Settings, values)
	if err != nil {
		return "", none, err
	}
	if err := os.MkdirAll(v.e.staging, 0o700); err != nil {
		return "", none, err
	}
	dir, err := scratch.MkdirTemp(v.e.staging, "verify-target-")
	if err != nil {
		return "", none, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	staged, err := src.Stage(ctx, dir, connector.Pull{}, v.rep)
	if err != nil {
		cleanup()
		return "", none, err
	}
	return staged, cleanup, nil
}

// newestExport is the newest OneRoster ZIP Rosterdesk exported into a folder.
func newestExport(folder string) (string, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("Rosterdesk cannot read the folder %s: %v", folder, err))
	}
	newest, at := "", int64(0)
	for _, en := range entries {
		if !strings.HasPrefix(en.Name(), "oneroster-") || !strings.EqualFold(filepath.Ext(en.Name()), ".zip") {
			continue
		}
		if info, err := en.Info(); err == nil && info.Mode().IsRegular() && info.ModTime().UnixNano() > at {
			newest, at = filepath.Join(folder, en.Name()), info.ModTime().UnixNano()
		}
	}
	if newest == "" {
		return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("Nothing has been exported to %s yet: export first, then verify.", folder))
	}
	return newest, nil
}

// expected walks the records an export would send of ent, in sourcedId order, as it would send
// them (references to records not sent left out).
func (v *verifier) expected(ctx context.Context, x *store.Send, ent roster.Entity, filter *selection.Filter, sc scope, fn func(roster.Record) error) error {
	return x.Each(ctx, ent, func(rec roster.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if rec.Status() == roster.StatusToBeDeleted || !sc.keepsRoster(ent, rec.SourcedID()) || !filter.Keep(rec) {
			return nil
		}
		filter.Trim(rec)
		return fn(rec)
	})
}

// pkg compares a target's package with what an export would write.
func (v *verifier) pkg(ctx context.Context, x *store.Send, path string, filter *selection.Filter, sc scope) error {
	pkg, err := oneroster.Open(path)
	if err != nil {
		return err
	}
	defer pkg.Close()
	if pkg.Version() != "1.2" {
		v.columns11 = map[string]bool{}
		for _, c := range roster.Users11Columns {
			v.columns11[c] = true
		}
	}
	for _, ent := range roster.Entities {
		if v.wants(ent) && pkg.Mode(ent) == oneroster.Mode("delta") {
			v.out.Basis += " (a delta file: only the records it lists are compared)"
			break
		}
	}
	srt, err := newSorters(v.e.staging)
	if err != nil {
		return err
	}
	defer srt.close()
	total := pkg.Size()
	_, err = pkg.Visit(ctx, oneroster.Visitor{NoReferences: true,
		Record: func(rec roster.Record) error {
			if !v.wants(rec.Entity) {
				return nil
			}
			return srt.add(keyed{rec: rec})
		},
		Progress: func(done int64) {
			v.rep.Report(events.Progress{Stage: "reading " + v.conn.Name, Done: done, Total: total, Unit: "bytes"})
		}})
	if err != nil {
		return err
	}
	for i, ent := range roster.Entities {
		mode := pkg.Mode(ent)
		if !v.wants(ent) || mode == oneroster.ModeAbsent || ent == roster.Roles && pkg.Version() != "1.2" {
			continue
		}
		v.rep.Report(events.Progress{Stage: "comparing " + string(ent), Done: int64(i), Total: int64(len(roster.Entities)), Unit: "files"})
		if err := v.pkgEntity(ctx, x, ent, srt, filter, sc, mode == oneroster.Mode("bulk")); err != nil {
			return err
		}
	}
	return nil
}

// pkgEntity merges one entity of a target's package, sorted, with what an export would send of it.
// complete says the file is bulk: a record it lacks is missing there.
func (v *verifier) pkgEntity(ctx context.Context, x *store.Send, ent roster.Entity, srt *sorters, filter *selection.Filter, sc scope, complete bool) error {
	next, stop := pull(srt, ent)
	cur, ok := next()
	there := func(k keyed) error { // the target has it; the roster would not send it
		if k.rec.Status() == roster.StatusToBeDeleted {
			v.count(ent, "")
			return nil
		}
		return v.report(Difference{Entity: string(ent), SourcedID: k.rec.SourcedID(), Kind: MissingInRoster})
	}
	err := v.expected(ctx, x, ent, filter, sc, func(rec roster.Record) error {
		id := rec.SourcedID()
		for ok && cur.rec.SourcedID() < id {
			if err := there(cur); err != nil {
				return err
			}
			cur, ok = next()
		}
		if !ok || cur.rec.SourcedID() != id {
			if !complete {
				return nil
			}
			return v.report(Difference{Entity: string(ent), SourcedID: id, RosterID: id, Kind: MissingInConnection})
		}
		k := cur
		for cur, ok = next(); ok && cur.rec.SourcedID() == id; cur, ok = next() {
		}
		if k.rec.Status() == roster.StatusToBeDeleted {
			return v.report(Difference{Entity: string(ent), SourcedID: id, RosterID: id, Kind: MissingInConnection})
		}
		fields, err := v.fields(ctx, rec, k.rec, nil, false)
		if err != nil || len(fields) == 0 {
			v.count(ent, "")
			return err
		}
		return v.report(Difference{Entity: string(ent), SourcedID: id, RosterID: id, Kind: Differs, Fields: fields})
	})
	for err == nil && ok {
		err = there(cur)
		cur, ok = next()
	}
	if serr := stop(); err == nil {
		err = serr
	}
	return err
}

// delivered compares what an API target would be sent now, mapped, with what it was last
// delivered: that is what Rosterdesk sent, not what the target holds now.
func (v *verifier) delivered(ctx context.Context, x *store.Send, xs exportSettings, filter *selection.Filter, sc scope) error {
	have := xs.records.Endpoints()
	for i, ent := range roster.Entities {
		if !v.wants(ent) || !slices.Contains(have, string(ent)) {
			continue
		}
		v.rep.Report(events.Progress{Stage: "comparing " + string(ent), Done: int64(i), Total: int64(len(roster.Entities)), Unit: "files"})
		if err := v.deliveredEntity(ctx, x, ent, filter, sc); err != nil {
			return err
		}
	}
	return nil
}

func (v *verifier) deliveredEntity(ctx context.Context, x *store.Send, ent roster.Entity, filter *selection.Filter, sc scope) error {
	c, err := v.e.compile(ctx, v.conn.ID, v.opts.IntegrationID, ent)
	if err != nil {
		return err
	}
	rel, err := openRelatives(ctx, x, c)
	if err != nil {
		return err
	}
	defer rel.close()
	before, err := sc.sent(x, ent)
	if err != nil {
		return err
	}
	err = v.expected(ctx, x, ent, filter, sc, func(rec roster.Record) error {
		src, err := rel.source(rec)
		if err != nil {
			return err
		}
		res := c.prog.Apply(src)
		if res.Excluded || res.Failed {
			return nil // not sent: an export leaves it out, or reports why it cannot map it
		}
		id := rec.SourcedID()
		prev, known := before[id]
		delete(before, id)
		object := res.Payload(false)
		switch {
		case !known:
			return v.report(Difference{Entity: string(ent), SourcedID: id, RosterID: id, Kind: MissingInConnection})
		case prev == objectHash(object):
			v.count(ent, "")
			return nil
		}
		_, was, err := x.Delivered(ent, id)
		if err != nil {
			return err
		}
		d := Difference{Entity: string(ent), SourcedID: id, RosterID: id, Kind: Differs}
		objectFields([]byte(was), object, func(field, sent, now string) {
			d.Fields = append(d.Fields, FieldDifference{Field: field, Roster: now, Connection: sent})
		})
		return v.report(d)
	})
	if err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(before)) {
		if err := v.report(Difference{Entity: string(ent), SourcedID: id, Kind: MissingInRoster}); err != nil {
			return err
		}
	}
	return nil
}
