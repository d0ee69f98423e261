package engine

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// rosterSide reads the roster as the connection's export would send it: the live records its
// selection lets through, trimmed as an export trims them, in one read transaction.
func (e *Engine) rosterSide(ctx context.Context, connectionID int64, sel selection.Selection, sizes store.RosterCounts, rep events.Reporter) (rosterView, error) {
	x, err := e.store.BeginSend(ctx, connectionID, 0)
	if err != nil {
		return rosterView{}, err
	}
	defer x.Rollback()
	filter, err := selectRoster(ctx, x, sel, rep)
	if err != nil {
		return rosterView{}, err
	}
	v := rosterView{records: newRecords(sizes.Active), deletedAt: map[roster.Entity]map[string]string{}}
	for i, ent := range roster.Entities {
		rep.Report(events.Progress{Stage: "reading the roster", Done: int64(i), Total: int64(len(roster.Entities)), Unit: "files"})
		v.deletedAt[ent] = make(map[string]string, sizes.Deleted[ent])
		err := x.Each(ctx, ent, func(rec roster.Record) error {
			switch {
			case rec.Status() == roster.StatusToBeDeleted:
				v.deletedAt[ent][rec.SourcedID()] = rec.DateLastModified()
			case filter.Keep(rec):
				filter.Trim(rec)
				sortMetadata(&rec)
				v.records.put(rec)
			}
			return nil
		})
		if err != nil {
			return rosterView{}, err
		}
	}
	return v, nil
}

// external is the connection's side of a sync, read fresh into a private staging folder.
type external struct {
	records records
	version string // of its package, or the connection's setting when it has none yet
	folder  bool   // its package is a folder of CSV files (written file by file), not a ZIP
	// missing is the source's word that there is no package yet: empty for a first sync, which
	// fills it (creating a folder on this computer); a sync after one fails with it.
	missing *connector.NoPackageError
	dir     string // the staging folder, removed by discard
}

func (x external) discard() {
	if x.dir != "" {
		os.RemoveAll(x.dir)
	}
}

// externalSide reads what the connection holds now through its source, mapped as an import maps it.
// A package that is not there yet (its source says so), or a folder without CSV files, is an empty
// side the sync fills. A package with rows that cannot be read is refused: the sync would take their
// records for deleted.
func (e *Engine) externalSide(ctx context.Context, conn store.Connection, integrationID int64, sizes map[roster.Entity]int, rep events.Reporter) (external, error) {
	path := conn.Settings["path"]
	x := external{records: newRecords(sizes), version: conn.Settings["version"]}
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
		x.records.put(h.rec)
		return nil
	})
	if err != nil {
		x.discard()
		return x, err
	}
	if errs := report.Errors(); len(errs) > 0 {
		x.discard()
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

// deliver writes everything the connection holds after the sync as one bulk package in the version
// it has, and puts it in place through the connection's target: a ZIP whole, a folder's files one by
// one (each under a temporary name, then renamed), the manifest last. It returns where it went.
func (s *syncRun) deliver(ctx context.Context, x external, m *merge) (string, error) {
	opts := oneroster.WriteOptions{Version: x.version, SystemName: "Rosterdesk", SystemCode: s.conn.Name}
	if x.version == "1.1" {
		opts.Roles11 = roles11Of(m.out[roster.Roles])
	}
	if err := os.MkdirAll(s.e.staging, 0o700); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(s.e.staging, "sync-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	name := fmt.Sprintf("oneroster-%s-sync-%s-run%d.zip", x.version, time.Now().Format("20060102-150405"), s.runID)
	local := filepath.Join(dir, name)
	if err := writePackage(local, opts, m.out); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !x.folder {
		return s.target.Deliver(ctx, local, name, s.rep)
	}
	files, err := unzip(local, filepath.Join(dir, "files"))
	if err != nil {
		return "", err
	}
	if path := s.conn.Settings["path"]; x.missing != nil && path != "" {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk could not create the folder %s: %v. Create it, or pick another folder.", path, err))
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

// writePackage writes recs as a bulk OneRoster ZIP at path: every file of the version, in sourcedId order.
func writePackage(path string, opts oneroster.WriteOptions, recs records) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer file.Close()
	w, err := oneroster.NewWriter(file, opts)
	if err != nil {
		return err
	}
	for _, ent := range roster.Entities {
		meta := map[string]bool{}
		for _, rec := range recs[ent] {
			for _, kv := range rec.Metadata {
				meta[kv.Name] = true
			}
		}
		if err := w.Begin(ent, slices.Sorted(maps.Keys(meta))); err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(recs[ent])) {
			if err := w.Write(recs[ent][id]); err != nil {
				return err
			}
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return file.Close()
}

// roles11Of gives, for a 1.1 file, each user's orgs and role from the roles it holds.
func roles11Of(roles map[string]roster.Record) func(string) ([]string, string) {
	orgs, role := map[string][]string{}, map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(roles)) {
		r := roles[id]
		u := r.Get("userSourcedId")
		orgs[u] = append(orgs[u], r.Get("orgSourcedId"))
		if role[u] == "" || r.Get("roleType") == "primary" {
			role[u] = r.Get("role")
		}
	}
	return func(user string) ([]string, string) { return orgs[user], role[user] }
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
	for _, c := range m.toRoster {
		if c.create {
			err = a.record(c.rec, contentHash(c.rec), nil)
		} else {
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
	if err := tx.DropBaseline(m.dropped); err != nil {
		return err
	}
	if err := tx.SetBaseline(m.baseline); err != nil {
		return err
	}
	a.log = m.log // the sync's own account of both sides, not the applier's of one
	return a.commit()
}

// newApplier returns an applier of the roster changes of one run in tx, of the records filter lets
// through (imports and syncs).
func newApplier(tx *store.Apply, filter *selection.Filter, sel selection.Selection) *applier {
	return &applier{tx: tx, now: timestamp(), filter: filter, log: &outcomes{}, counts: newCounts(),
		origins: map[roster.Entity]store.Origins{}, existing: map[roster.Entity]int{}, pending: map[roster.Entity]bool{},
		ids: map[roster.Entity]*store.Identities{}, renamed: map[roster.Entity]map[string]string{}, quiet: map[roster.Entity]int{},
		nameless: map[roster.Entity]*namelessRows{}, deletedUsers: sel.Allows(selection.Deleted)}
}
