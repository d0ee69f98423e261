package engine

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// rosterSide opens the roster as the connection's export would send it, in one read transaction
// the caller ends: the filter gives the live records its selection lets through.
func (e *Engine) rosterSide(ctx context.Context, connectionID int64, sel selection.Selection, rep events.Reporter) (*store.Send, *selection.Filter, error) {
	x, err := e.store.BeginSend(ctx, connectionID, 0)
	if err != nil {
		return nil, nil, err
	}
	filter, err := selectRoster(ctx, x, sel, rep)
	if err != nil {
		x.Rollback()
		return nil, nil, err
	}
	return x, filter, nil
}

// rosterRows streams an entity of the roster side in sourcedId order: its live records the
// filter lets through, trimmed as an export trims them, and the records the roster deleted.
func rosterRows(ctx context.Context, x *store.Send, filter *selection.Filter, rep events.Reporter) func(roster.Entity) iter.Seq2[rosterRow, error] {
	return func(ent roster.Entity) iter.Seq2[rosterRow, error] {
		rep.Report(events.Progress{Stage: "comparing", Done: int64(slices.Index(roster.Entities, ent)), Total: int64(len(roster.Entities)), Unit: "files"})
		return seqOf(func(fn func(rosterRow) error) error {
			return eachLive(ctx, x, filter, ent, fn)
		})
	}
}

// eachLive gives fn an entity's roster records in sourcedId order: those the filter lets through
// (trimmed), and those the roster deleted.
func eachLive(ctx context.Context, x *store.Send, filter *selection.Filter, ent roster.Entity, fn func(rosterRow) error) error {
	return x.Each(ctx, ent, func(rec roster.Record) error {
		switch {
		case rec.Status() == roster.StatusToBeDeleted:
			return fn(rosterRow{rec: rec, deleted: true})
		case filter.Keep(rec):
			filter.Trim(rec)
			sortMetadata(&rec)
			return fn(rosterRow{rec: rec})
		}
		return nil
	})
}

// rosterEmpty says whether the roster side has no record at all; it stops at the first.
func rosterEmpty(ctx context.Context, x *store.Send, filter *selection.Filter) (bool, error) {
	for _, ent := range roster.Entities {
		err := eachLive(ctx, x, filter, ent, func(r rosterRow) error {
			if r.deleted {
				return nil
			}
			return errStop
		})
		if errors.Is(err, errStop) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// eachRole gives fn the roster side's live roles.
func eachRole(ctx context.Context, x *store.Send, filter *selection.Filter, fn func(roster.Record)) error {
	return eachLive(ctx, x, filter, roster.Roles, func(r rosterRow) error {
		if !r.deleted {
			fn(r.rec)
		}
		return nil
	})
}

// external is the connection's side of a sync, read fresh into a private staging folder and sorted
// there by sourcedId.
type external struct {
	srt     *sorters
	roles11 *sorters // a 1.1 package's roles under the roster's ids (rekey11)
	records int
	roles   userRoles // when entity tasks go by kind of user
	version string    // of its package, or the connection's setting when it has none yet
	folder  bool      // its package is a folder of CSV files (written file by file), not a ZIP
	// missing is the source's word that there is no package yet: empty for a first sync, which
	// fills it (creating the folder); a sync after one fails with it.
	missing *connector.NoPackageError
	dir     string // the staging folder, removed by discard
}

func (x *external) discard() {
	for _, s := range []*sorters{x.srt, x.roles11} {
		if s != nil {
			s.close()
		}
	}
	if x.dir != "" {
		os.RemoveAll(x.dir)
	}
}

func (x *external) empty() bool { return x.records == 0 }

// rows streams the records of ent in sourcedId order, once.
func (x *external) rows(ent roster.Entity) iter.Seq2[roster.Record, error] {
	srt := x.srt
	if ent == roster.Roles && x.roles11 != nil {
		srt = x.roles11
	}
	return seqOf(func(fn func(roster.Record) error) error {
		if srt == nil {
			return nil
		}
		return srt.sorted(ent, func(k keyed) error { return fn(k.rec) })
	})
}

// rekey11 gives the roles of a 1.1 package, which a 1.1 file carries with its users, the id of the
// roster's role of the same user and org, so the two meet in the merge (fit11).
func (x *external) rekey11(ctx context.Context, rx *store.Send, filter *selection.Filter) error {
	type pair struct{ user, org string }
	mine := map[pair]string{}
	if err := eachRole(ctx, rx, filter, func(w roster.Record) {
		mine[pair{w.Get("userSourcedId"), w.Get("orgSourcedId")}] = w.SourcedID()
	}); err != nil {
		return err
	}
	again, err := newSorters(x.dir)
	if err != nil {
		return err
	}
	x.roles11 = again
	return x.srt.sorted(roster.Roles, func(k keyed) error {
		if id, ok := mine[pair{k.rec.Get("userSourcedId"), k.rec.Get("orgSourcedId")}]; ok {
			k.rec.Values[0] = id
		}
		return again.add(k)
	})
}

// externalSide reads what the connection holds now through its source, mapped as an import maps it,
// and sorts it. A package that is not there yet (its source says so), or a folder without CSV
// files, is an empty side the sync fills. A package with rows that cannot be read is refused: the
// sync would take their records for deleted. byRole gathers the package's roles of users.
func (e *Engine) externalSide(ctx context.Context, conn store.Connection, integrationID int64, byRole bool, rep events.Reporter) (*external, error) {
	path := conn.Settings["path"]
	x := &external{version: conn.Settings["version"], roles: userRoles{}}
	if x.version == "" {
		x.version = "1.2"
	}
	mappings, err := e.importMappings(ctx, conn.ID, integrationID)
	if err != nil {
		return x, err
	}
	st, err := e.stage(ctx, conn.ID, connector.Pull{}, rep)
	var none *connector.NoPackageError
	if errors.As(err, &none) {
		x.missing, x.folder = none, none.Folder
		return x, nil
	}
	if err != nil {
		return x, err
	}
	x.dir = st.dir
	if info, err := os.Stat(st.path); err == nil && info.IsDir() {
		x.folder = true
		if files, _ := filepath.Glob(filepath.Join(st.path, "*.csv")); len(files) == 0 {
			return x, nil
		}
	}
	if x.srt, err = newSorters(st.dir); err != nil {
		return x, err
	}
	written := writtenAt(path, x.folder)
	report, err := readPackage(ctx, st.path, "reading "+conn.Name, rep, func(rec roster.Record) error {
		if rec.Status() == roster.StatusToBeDeleted {
			return nil // a delta row of a deletion: not there
		}
		if rec.Values[2] == "" {
			rec.Values[2] = written(rec.Entity)
		}
		h := mapIn(mappings[rec.Entity], rec)
		if h.failed != "" {
			return apperr.New(apperr.CodeInvalid, fmt.Sprintf("The import mapping of %s could not map %s %s: %s. Fix the mapping or the record, then sync again.", conn.Name, rec.Entity, rec.SourcedID(), h.failed))
		}
		sortMetadata(&h.rec)
		if byRole && h.rec.Entity == roster.Roles {
			x.roles.add(h.rec)
		}
		x.records++
		return x.srt.add(keyed{rec: h.rec})
	})
	if err != nil {
		return x, err
	}
	if errs := report.Errors(); len(errs) > 0 {
		f := errs[0]
		return x, apperr.New(apperr.CodeBadInput, words.Sprintf("%d rows of %s cannot be read (the first: %s line %d, %s). A sync would take their records for deleted: fix them, then sync again.",
			len(errs), conn.Name, f.File, f.Line, f.Message))
	}
	x.version = report.Version
	return x, nil
}

// writtenAt dates the records of a package whose rows carry no dateLastModified (a bulk file
// leaves it blank), for the policy newest: by when their file on this computer was last written
// (a folder's CSV file, else the ZIP); blank when that is not known (a remote package). Each file
// is looked at once.
func writtenAt(path string, folder bool) func(roster.Entity) string {
	at := map[roster.Entity]string{}
	return func(ent roster.Entity) string {
		if when, ok := at[ent]; ok {
			return when
		}
		file := path
		if folder {
			file = filepath.Join(path, ent.FileName())
		}
		if info, err := os.Stat(file); path != "" && err == nil {
			at[ent] = store.FormatTime(info.ModTime())
		} else {
			at[ent] = ""
		}
		return at[ent]
	}
}

// metadataOf turns extension columns as stored with a baseline into a record's, in name order.
func metadataOf(m map[string]string) []roster.MetadataValue {
	var out []roster.MetadataValue
	for _, name := range slices.Sorted(maps.Keys(m)) {
		out = append(out, roster.MetadataValue{Name: name, Value: m[name]})
	}
	return out
}

// checkPlace refuses a first sync into a folder or ZIP on this computer whose folder above is
// missing: that is a network drive not connected or a USB stick not plugged in more often than a
// place to create, and a folder created there would hide the drive once it is back.
func checkPlace(path string) error {
	parent := filepath.Dir(path)
	if info, err := os.Stat(parent); err != nil || !info.IsDir() {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The folder %s, which should hold %s, does not exist, so Rosterdesk did not create anything there. If it is on a network drive or a USB stick, connect it; otherwise fix the connection's path. Then sync again.", parent, path))
	}
	return nil
}

// folderMaker is a target that creates the folder its path names, the last element only (an SFTP drop).
type folderMaker interface {
	MakeFolder(ctx context.Context) error
}

// makeFolder creates the connection's folder for a first sync into a folder that is not there yet:
// only its last element (checkPlace saw to the folder above on this computer).
func (s *syncRun) makeFolder(ctx context.Context) error {
	if fm, ok := s.target.(folderMaker); ok {
		return fm.MakeFolder(ctx)
	}
	path := s.conn.Settings["path"]
	if err := os.Mkdir(path, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk could not create the folder %s: %v. Check the path, or pick another folder.", path, err))
	}
	return nil
}

// deliver writes everything the connection holds after the sync as one bulk package in the version
// it has, and puts it in place through the connection's target: a ZIP whole, a folder's files one by
// one (each under a temporary name, then renamed), the manifest last. It returns where it went.
func (s *syncRun) deliver(ctx context.Context, x *external, m *merge) (string, error) {
	opts := oneroster.WriteOptions{Version: x.version, SystemName: "Rosterdesk", SystemCode: s.conn.Name}
	if x.version == "1.1" {
		var err error
		if opts.Roles11, err = roles11Of(m.out.all()); err != nil {
			return "", err
		}
	}
	name := fmt.Sprintf("oneroster-%s-sync-%s-run%d.zip", x.version, time.Now().Format("20060102-150405"), s.runID)
	local := filepath.Join(s.dir, name)
	if err := writePackage(local, opts, m.out.all(), m.outMeta); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !x.folder {
		return s.target.Deliver(ctx, local, name, s.rep)
	}
	files, err := unzip(local, filepath.Join(s.dir, "files"))
	if err != nil {
		return "", err
	}
	if x.missing != nil {
		if err := s.makeFolder(ctx); err != nil {
			return "", err
		}
	}
	var where string
	ctx = context.WithoutCancel(ctx) // a folder half written would mix two syncs' files
	for _, f := range files {
		if where, err = s.target.Deliver(ctx, f, filepath.Base(f), s.rep); err != nil {
			return "", err
		}
	}
	return filepath.Dir(where), nil
}

// writePackage writes a bulk OneRoster ZIP at path: every file of the version, each with the
// extension columns meta names, of the records out gives in entity and sourcedId order.
func writePackage(path string, opts oneroster.WriteOptions, out iter.Seq2[entry, error], meta map[roster.Entity]map[string]bool) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer file.Close()
	w, err := oneroster.NewWriter(file, opts)
	if err != nil {
		return err
	}
	next, stop := iter.Pull2(out)
	defer stop()
	cur, err, ok := next()
	for _, ent := range roster.Entities {
		if err := w.Begin(ent, slices.Sorted(maps.Keys(meta[ent]))); err != nil {
			return err
		}
		for ; ok && err == nil && cur.rec.Entity == ent; cur, err, ok = next() {
			if err := w.Write(cur.rec); err != nil {
				return err
			}
		}
		if err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return file.Close()
}

// roles11Of gives, for a 1.1 file, each user's orgs and role from the roles out holds.
func roles11Of(out iter.Seq2[entry, error]) (func(string) ([]string, string), error) {
	orgs, role := map[string][]string{}, map[string]string{}
	for e, err := range out {
		if err != nil {
			return nil, err
		}
		if e.rec.Entity != roster.Roles {
			continue
		}
		u := e.rec.Get("userSourcedId")
		orgs[u] = append(orgs[u], e.rec.Get("orgSourcedId"))
		if role[u] == "" || e.rec.Get("roleType") == "primary" {
			role[u] = e.rec.Get("role")
		}
	}
	return func(user string) ([]string, string) { return orgs[user], role[user] }, nil
}

// unzip extracts a package's files into dir and returns their paths, the manifest last: a reader
// of the folder takes the new files once their manifest is there.
func unzip(path, dir string) ([]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	var files []string
	for _, f := range zr.File {
		out := filepath.Join(dir, filepath.Base(f.Name))
		if err := extract(f, out); err != nil {
			return nil, err
		}
		files = append(files, out)
	}
	slices.SortStableFunc(files, func(a, b string) int {
		return boolOrder(filepath.Base(a) == "manifest.csv") - boolOrder(filepath.Base(b) == "manifest.csv")
	})
	return files, nil
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}

func extract(f *zip.File, path string) error {
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	return createFrom(path, in)
}

// createFrom writes what in gives to a new file at path.
func createFrom(path string, in io.Reader) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// applySync writes the roster's side of a sync in one transaction: records the connection created
// come in through the import's applier as its supply (identities and origins as for an import);
// changes and deletions of records the roster has are written to them, their origins kept (the
// change stands until a source sends a change of the record); then the conflicts waiting, the new
// baseline and the run's outcomes.
func (e *Engine) applySync(ctx context.Context, connectionID, runID int64, m *merge) error {
	tx, err := e.store.BeginApply(ctx, connectionID, runID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a := newApplier(tx, selection.NewGraph().Closure(selection.Selection{}), selection.Selection{})
	tx.OnReconciled(a.reconciled)
	a.modes = map[roster.Entity]oneroster.Mode{} // no bulk entity: what the sync does not send stays
	for c, err := range m.toRoster.all() {
		if err == nil && c.flag {
			err = a.record(c.rec, contentHash(c.rec), nil)
		} else if err == nil {
			c.rec.Values[2] = a.dateOf(c.rec)
			err = tx.SyncEdit(c.rec)
		}
		if err != nil {
			return err
		}
	}
	for _, ent := range roster.Entities {
		if err := a.finish(ent); err != nil {
			return err
		}
	}
	if err := tx.Flush(); err != nil {
		return err
	}
	for _, c := range m.waiting {
		if err := tx.PutConflict(c); err != nil {
			return err
		}
	}
	for _, id := range m.applied {
		if err := tx.ConflictApplied(id); err != nil {
			return err
		}
	}
	if err := tx.PutBaseline(baselineRows(m.baseline.all())); err != nil {
		return err
	}
	a.log = m.log // the sync's own account of both sides, not the applier's of one
	return a.commit()
}

// baselineRows reads the baselines a merge spooled.
func baselineRows(spooled iter.Seq2[entry, error]) iter.Seq2[store.BaselineRow, error] {
	return func(yield func(store.BaselineRow, error) bool) {
		for e, err := range spooled {
			r := store.BaselineRow{Entity: e.rec.Entity, Gone: e.flag, Hash: e.hash}
			if err == nil {
				r.SourcedID = e.rec.SourcedID()
			}
			if err == nil && !e.flag {
				r.Values = reconcile.Of(e.rec)
				r.Values.V[1], r.Values.V[2] = "", "" // status and dateLastModified are no content
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

// newApplier returns an applier of the roster changes of one run in tx, of the records filter lets
// through (imports and syncs).
func newApplier(tx *store.Apply, filter *selection.Filter, sel selection.Selection) *applier {
	return &applier{tx: tx, now: timestamp(), filter: filter, log: &outcomes{}, counts: newCounts(),
		origins: map[roster.Entity]store.Origins{}, existing: map[roster.Entity]int{}, pending: map[roster.Entity]bool{},
		ids: map[roster.Entity]*store.Identities{}, renamed: map[roster.Entity]map[string]string{}, quiet: map[roster.Entity]int{},
		nameless: map[roster.Entity]*namelessRows{}, deletedUsers: sel.Allows(selection.Deleted)}
}
