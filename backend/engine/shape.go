package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Shape is what a connection's selection chooses from: for a source, its last fetch; for a target,
// the roster. From is that in words ("the fetch of …", "the roster").
type Shape struct {
	Graph *selection.Graph
	From  string
}

// shapes caches the last shape asked for: the selection wizard asks several times in a row about
// one connection, and a district's enrollments take a second or two to read. One entry bounds the
// memory to one district's shape.
type shapes struct {
	mu         sync.Mutex
	connection int64
	version    string // the snapshot's path and fetch time, or the roster's last change
	shape      Shape
}

// Shape returns what a connection's selection chooses from.
func (e *Engine) Shape(ctx context.Context, connectionID int64, rep events.Reporter) (Shape, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return Shape{}, notFound(err, "connection")
	}
	version, from, build, err := e.shapeSource(ctx, conn)
	if err != nil {
		return Shape{}, err
	}
	c := &e.shapes
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shape.Graph != nil && c.connection == conn.ID && c.version == version {
		return c.shape, nil
	}
	// A district's graph is a few hundred MB at a state's size: the collector keeps close to it
	// while it grows, rather than letting the heap double.
	restore := limitMemory()
	g, err := build(rep)
	restore()
	if err != nil {
		return Shape{}, err
	}
	c.connection, c.version, c.shape = conn.ID, version, Shape{Graph: g, From: from}
	return c.shape, nil
}

// forget lets go of the cached shape of a connection.
func (c *shapes) forget(connectionID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.connection == connectionID {
		c.shape = Shape{}
	}
}

// shapeSource says where a connection's shape comes from and how to read it.
func (e *Engine) shapeSource(ctx context.Context, conn store.Connection) (version, from string, build func(events.Reporter) (*selection.Graph, error), err error) {
	if conn.Role == connector.RoleTarget {
		version, err := e.store.RosterVersion(ctx)
		return "roster " + version, "the roster", func(rep events.Reporter) (*selection.Graph, error) {
			g := selection.NewGraph()
			counts, err := e.store.RosterCounts(ctx)
			if err != nil {
				return nil, err
			}
			g.Reserve(counts.Active)
			return g, addRoster(ctx, g, e.store.EachPartial, nil, rep)
		}, err
	}
	snap, err := e.store.Snapshot(ctx, conn.ID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return "", "", nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Fetch %s first: Rosterdesk lists its schools and classes from what it fetched.", conn.Name))
		}
		return "", "", nil, err
	}
	version = snap.Path + snap.FetchedAt
	delta := deltaSnapshot(snap)
	if delta {
		// The roster fills in what a delta snapshot leaves out, so it is part of the key; a complete
		// snapshot's shape stays valid across the imports that change the roster.
		rosterVersion, err := e.store.RosterVersion(ctx)
		if err != nil {
			return "", "", nil, err
		}
		version += " roster " + rosterVersion
	}
	return version, "the fetch of " + when(snap.FetchedAt), func(rep events.Reporter) (*selection.Graph, error) {
		// A complete snapshot's shape is saved beside it: the next start reads it in a fraction of
		// the time, so a wizard opened right after a start does not wait for the snapshot.
		if !delta {
			if g, ok := e.loadShape(snap); ok {
				return g, nil
			}
		}
		g := selection.NewGraph()
		if err := e.addSnapshot(ctx, g, snap.Path, &snap, rep); err != nil {
			return nil, err
		}
		if !delta {
			if err := saveShape(snap, g); err != nil {
				e.log.Warn("cannot save the selection shape beside the snapshot; it is read from the snapshot again next time", "path", snap.Path, "error", err)
			}
		}
		return g, nil
	}, nil
}

// shapeMagic begins a saved shape; after it come the key of the snapshot it is of, a checksum of
// the rest and the graph (selection.Graph.WriteBinary).
const shapeMagic = "rosterdesk selection shape\n"

// shapeFile is where a snapshot's shape is saved: in the snapshot's own folder, which goes when a
// new fetch replaces the snapshot.
func shapeFile(snap store.Snapshot) string {
	return filepath.Join(filepath.Dir(snap.Path), "shape.bin")
}

// shapeKey identifies a snapshot: its fetch time and the size of its file (of a folder, of its
// files). A shape saved with another key is of another snapshot.
func shapeKey(snap store.Snapshot) (string, error) {
	fi, err := os.Stat(snap.Path)
	if err != nil {
		return "", err
	}
	size := fi.Size()
	if fi.IsDir() {
		entries, err := os.ReadDir(snap.Path)
		if err != nil {
			return "", err
		}
		size = 0
		for _, entry := range entries {
			if info, err := entry.Info(); err == nil {
				size += info.Size()
			}
		}
	}
	return fmt.Sprintf("%s %d", snap.FetchedAt, size), nil
}

var shapeSum = crc32.MakeTable(crc32.Castagnoli)

// saveShape writes g as the saved shape of snap, under a temporary name renamed into place.
func saveShape(snap store.Snapshot, g *selection.Graph) error {
	key, err := shapeKey(snap)
	if err != nil {
		return err
	}
	head := binary.AppendUvarint([]byte(shapeMagic), uint64(len(key)))
	head = append(head, key...)
	tmp, err := scratch.CreateTemp(filepath.Dir(snap.Path), "shape-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	// The graph streams to the file, its checksum written in front of it once it is all there.
	sum := crc32.New(shapeSum)
	_, err = tmp.Write(binary.BigEndian.AppendUint32(head, 0))
	if err == nil {
		err = g.WriteBinary(io.MultiWriter(tmp, sum))
	}
	if err == nil {
		_, err = tmp.WriteAt(binary.BigEndian.AppendUint32(nil, sum.Sum32()), int64(len(head)))
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), shapeFile(snap))
}

// loadShape reads the saved shape of snap; ok is false when there is none, or it is of another
// snapshot or damaged (then it is read from the snapshot again, and saved anew).
func (e *Engine) loadShape(snap store.Snapshot) (g *selection.Graph, ok bool) {
	f, err := os.Open(shapeFile(snap))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, false
	}
	key, err := shapeKey(snap)
	// The head is the magic, the key's length and the key, then the checksum: a few hundred bytes.
	head := make([]byte, min(fi.Size(), int64(len(shapeMagic)+binary.MaxVarintLen64+len(key)+4)))
	if _, rerr := io.ReadFull(f, head); err != nil || rerr != nil {
		return nil, false
	}
	rest, magic := bytes.CutPrefix(head, []byte(shapeMagic))
	n, k := binary.Uvarint(rest)
	if !magic || k <= 0 || uint64(len(rest)-k) < n+4 || string(rest[k:k+int(n)]) != key {
		return nil, false
	}
	at := int64(len(shapeMagic) + k + int(n) + 4) // where the graph begins
	want := binary.BigEndian.Uint32(rest[k+int(n):])
	body := io.NewSectionReader(f, at, fi.Size()-at)
	sum := crc32.New(shapeSum)
	if _, err := io.Copy(sum, body); err != nil || sum.Sum32() != want {
		e.log.Warn("the saved selection shape is damaged; reading the snapshot instead", "path", shapeFile(snap))
		return nil, false
	}
	if g, err = selection.ReadGraph(io.NewSectionReader(f, at, body.Size()), body.Size()); err != nil {
		e.log.Warn("the saved selection shape cannot be read; reading the snapshot instead", "path", shapeFile(snap), "error", err)
		return nil, false
	}
	return g, true
}

// savedMagic begins a snapshot's saved records (oneroster.SavedWriter); after it comes their key.
const savedMagic = "rosterdesk saved records\n"

// savedFile is where the records of a snapshot are saved: beside it, gone with it.
func savedFile(snap store.Snapshot) string {
	return filepath.Join(filepath.Dir(snap.Path), "records.bin")
}

// savedKey identifies the snapshot (shapeKey) and the program that read it: another version may
// read a row otherwise, so records saved by one are not another's.
func savedKey(snap store.Snapshot) (string, error) {
	key, err := shapeKey(snap)
	if err != nil {
		return "", err
	}
	program, err := programKey()
	return key + " " + program, err
}

// programKey identifies this program: the commit it was built from, or when that is unknown or
// was changed, the executable's size and time.
func programKey() (string, error) {
	if info, ok := debug.ReadBuildInfo(); ok {
		var revision, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if revision != "" && modified == "false" {
			return "commit " + revision, nil
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("executable %d %d", fi.Size(), fi.ModTime().UnixNano()), nil
}

// openSaved opens the saved records of snap, checked whole, positioned at the first record, with
// their size; ok is false when there are none of this snapshot and program, or they are damaged.
func (e *Engine) openSaved(snap store.Snapshot) (f *os.File, size int64, ok bool) {
	key, err := savedKey(snap)
	if err != nil {
		return nil, 0, false
	}
	if f, err = os.Open(savedFile(snap)); err != nil {
		return nil, 0, false
	}
	head := make([]byte, len(savedMagic)+binary.MaxVarintLen64+len(key))
	n, _ := io.ReadFull(f, head)
	rest, magic := bytes.CutPrefix(head[:n], []byte(savedMagic))
	l, k := binary.Uvarint(rest)
	if !magic || k <= 0 || l != uint64(len(key)) || uint64(len(rest)-k) < l || string(rest[k:k+int(l)]) != key {
		f.Close()
		return nil, 0, false
	}
	start := int64(len(savedMagic) + k + int(l))
	fi, err := f.Stat()
	if err == nil {
		size = fi.Size() - start
		_, err = f.Seek(start, io.SeekStart)
	}
	if err == nil {
		err = oneroster.CheckSaved(f, size)
	}
	if err == nil {
		_, err = f.Seek(start, io.SeekStart)
	}
	if err != nil {
		e.log.Warn("the saved records of the fetch cannot be used; reading the fetch instead", "path", savedFile(snap), "error", err)
		f.Close()
		return nil, 0, false
	}
	return f, size, true
}

// visitSnapshot reads the records of pkg, snapshot snap's package: from the records an earlier read
// of it saved when there are, else from the package, saving them for the next read. A package an
// import staged itself (snap nil) is read as it is.
func (e *Engine) visitSnapshot(ctx context.Context, pkg *oneroster.Package, snap *store.Snapshot, v oneroster.Visitor) (*oneroster.Report, error) {
	if snap == nil {
		return pkg.Visit(ctx, v)
	}
	if f, size, ok := e.openSaved(*snap); ok {
		defer f.Close()
		return pkg.VisitSaved(ctx, f, size, v)
	}
	saver := saveRecords(*snap)
	rep, err := pkg.Visit(ctx, saver.visitor(v))
	saver.finish(rep, err)
	return rep, err
}

// recordSaver saves the records a read of a snapshot passes on, for the next read (openSaved).
type recordSaver struct {
	snap   store.Snapshot
	f      *os.File
	w      *oneroster.SavedWriter
	failed bool // a row failed to read, or saving failed: nothing is kept
}

// saveRecords starts saving the records of a read of snap; nil when it cannot (nothing is saved).
func saveRecords(snap store.Snapshot) *recordSaver {
	key, err := savedKey(snap)
	if err != nil {
		return nil
	}
	f, err := scratch.CreateTemp(filepath.Dir(snap.Path), "records-*.tmp")
	if err != nil {
		return nil
	}
	s := &recordSaver{snap: snap, f: f, w: oneroster.NewSavedWriter(f)}
	head := binary.AppendUvarint([]byte(savedMagic), uint64(len(key)))
	if _, err := f.Write(append(head, key...)); err != nil {
		s.failed = true
	}
	return s
}

// visitor passes v's records on to be saved as well; a row that fails to read means none is.
func (s *recordSaver) visitor(v oneroster.Visitor) oneroster.Visitor {
	if s == nil {
		return v
	}
	record, unread := v.Record, v.Unread
	v.Record = func(rec roster.Record) error {
		if !s.failed && s.w.Add(rec) != nil {
			s.failed = true
		}
		return record(rec)
	}
	v.Unread = func(u oneroster.Unread) error {
		s.failed = true
		if unread == nil {
			return nil
		}
		return unread(u)
	}
	return v
}

// finish keeps the records saved when the read passed every row on, else removes them.
func (s *recordSaver) finish(rep *oneroster.Report, err error) {
	if s == nil {
		return
	}
	defer os.Remove(s.f.Name())
	ok := err == nil && !s.failed && rep != nil && len(rep.Errors()) == 0
	if ok {
		for _, n := range rep.Failed {
			ok = ok && n == 0
		}
	}
	if ok {
		ok = s.w.Close() == nil
	}
	if s.f.Close() != nil || !ok {
		return
	}
	os.Rename(s.f.Name(), savedFile(s.snap)) // when it fails, the next read reads the fetch again
}

// deltaSnapshot reports whether a snapshot's report says one of its files is a delta; one that
// cannot be read counts as a delta, the safe side.
func deltaSnapshot(snap store.Snapshot) bool {
	var report struct {
		Modes map[roster.Entity]oneroster.Mode `json:"modes"`
	}
	if err := json.Unmarshal(snap.Report, &report); err != nil || report.Modes == nil {
		return true
	}
	for _, m := range report.Modes {
		if m == oneroster.Mode("delta") {
			return true
		}
	}
	return false
}

// snapshotCounts are the records per entity the fetch of snap read (none when its report says not).
func snapshotCounts(snap store.Snapshot) map[roster.Entity]int {
	var report struct {
		Counts map[roster.Entity]int `json:"counts"`
	}
	json.Unmarshal(snap.Report, &report)
	return report.Counts
}

// WarmShape builds a connection's shape, with the wizard's lists, in the background, so that the
// selection wizard opens at once: a district's shape takes seconds to read. Errors are left for
// the wizard to report. The copies of the sources' origins are brought up to date after it.
func (e *Engine) WarmShape(connectionID int64) {
	warm := e.warmContext()
	e.inBackground(func(ctx context.Context) {
		if shape, err := e.Shape(ctx, connectionID, events.Discard); err == nil {
			shape.Graph.Prepare()
		}
		e.warmOrigins(warm)
		// Reading a district leaves a few hundred MB of garbage: give it back, the window stays lean.
		debug.FreeOSMemory()
	})
}

// WarmOrigins brings the copies of every source's origins up to date in the background
// (store.CopyOrigins), after whatever changed them: the next plan reads them instead of the
// workspace, a second or more sooner at a district's size. Copies already current cost a look each.
// StopWarmingOrigins stops it.
func (e *Engine) WarmOrigins() {
	warm := e.warmContext()
	e.inBackground(func(context.Context) { e.warmOrigins(warm) })
}

// StopWarmingOrigins stops the warm-ups of the origins' copies started so far (those finished are
// kept): a job starting needs the processor more, and a plan copies what it reads itself. Reading a
// district's origins takes 1.5 s of processor time at 100,000 students, 15 s at 1,000,000.
func (e *Engine) StopWarmingOrigins() {
	e.warm.mu.Lock()
	defer e.warm.mu.Unlock()
	if e.warm.stop != nil {
		e.warm.stop()
		e.warm.ctx, e.warm.stop = nil, nil
	}
}

// warmContext is the context of a warm-up of the origins' copies starting now: Close and
// StopWarmingOrigins cancel it. Taken when the warm-up is asked for, so that a job starting before
// its goroutine runs stops it too.
func (e *Engine) warmContext() context.Context {
	e.warm.mu.Lock()
	defer e.warm.mu.Unlock()
	if e.warm.ctx == nil {
		e.warm.ctx, e.warm.stop = context.WithCancel(e.behind.ctx)
	}
	return e.warm.ctx
}

func (e *Engine) warmOrigins(ctx context.Context) {
	e.warming.Lock() // one at a time: the next finds the copies the first made current
	defer e.warming.Unlock()
	conns, err := e.store.Connections(ctx)
	if err != nil {
		return
	}
	for _, c := range conns {
		if c.Role == connector.RoleTarget {
			continue
		}
		if err := e.store.CopyOrigins(ctx, c.ID); err != nil && ctx.Err() == nil {
			e.log.Warn("cannot copy the origins beside the workspace; the next plan reads them from it", "connection", c.Name, "error", err)
		}
	}
}

// WarmLatestShape warms the shape of the source fetched last (at start, the one a registrar most
// likely works on next). One shape is cached at a time, which keeps the memory to one district's.
func (e *Engine) WarmLatestShape(ctx context.Context) {
	conns, err := e.store.Connections(ctx)
	if err != nil {
		return
	}
	var latest store.Snapshot
	for _, c := range conns {
		if c.Role == connector.RoleTarget {
			continue
		}
		if snap, err := e.store.Snapshot(ctx, c.ID); err == nil && snap.FetchedAt > latest.FetchedAt {
			latest = snap
		}
	}
	if latest.ConnectionID != 0 {
		e.WarmShape(latest.ConnectionID)
	}
}

// addRoster adds the roster's live records to g, reading only the columns the graph needs, except
// those in skip (entity → sourcedIds); each streams them (from the store, or inside an export's
// transaction).
func addRoster(ctx context.Context, g *selection.Graph, each func(context.Context, roster.Entity, []string, func(roster.Record) error) error,
	skip map[roster.Entity]map[string]bool, rep events.Reporter) error {
	for i, ent := range roster.Entities {
		rep.Report(events.Progress{Stage: "selecting", Done: int64(i), Total: int64(len(roster.Entities)), Unit: "files"})
		err := each(ctx, ent, selection.Columns[ent], func(rec roster.Record) error {
			if !skip[ent][rec.SourcedID()] {
				g.Add(rec, false)
			}
			return ctx.Err()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// shapeBatch is how many records the reader hands the graph at a time.
const shapeBatch = 1024

// addSnapshot adds the records of a staged package to g. A delta package holds only what changed,
// so the roster's records fill in the rest (a changed enrollment's class that did not change),
// except those the delta replaces.
func (e *Engine) addSnapshot(ctx context.Context, g *selection.Graph, path string, snap *store.Snapshot, rep events.Reporter) error {
	pkg, err := oneroster.Open(path)
	if err != nil {
		return err
	}
	defer pkg.Close()
	total := pkg.Size()
	delta := false
	for _, ent := range roster.Entities {
		delta = delta || pkg.Mode(ent) == oneroster.Mode("delta")
	}
	// Building the graph is a quarter of the work: it goes on in a goroutine of its own while the
	// package is read, so a wizard opened soon after a start or a fetch waits less.
	// Emptied batches come back to be filled again (a district is a thousand of them).
	batches, free := make(chan []roster.Record, 4), make(chan []roster.Record, 6)
	built := make(chan struct{})
	go func() {
		defer close(built)
		for batch := range batches {
			for _, rec := range batch {
				g.Add(rec, pkg.Mode(rec.Entity) == oneroster.Mode("delta"))
			}
			clear(batch)
			select {
			case free <- batch[:0]:
			default:
			}
		}
	}()
	var batch []roster.Record
	seen := map[roster.Entity]map[string]bool{}
	// A fetched snapshot was checked as it was fetched: it is read again without keeping its ids to
	// find duplicates, and the graph is given room for the records its report counts.
	checks := oneroster.Visitor{NoReferences: true}
	if snap != nil {
		checks = fetchChecks(*snap)
		g.Reserve(snapshotCounts(*snap))
	}
	_, err = e.visitSnapshot(ctx, pkg, snap, oneroster.Visitor{NoReferences: true, NoDuplicates: checks.NoDuplicates, Record: func(rec roster.Record) error {
		if delta {
			if seen[rec.Entity] == nil {
				seen[rec.Entity] = map[string]bool{}
			}
			seen[rec.Entity][rec.SourcedID()] = true // a delta is small: its ids fit in memory
		}
		if batch = append(batch, rec); len(batch) == shapeBatch {
			batches <- batch
			select {
			case batch = <-free:
			default:
				batch = nil
			}
		}
		return nil
	}, Progress: func(done int64) {
		rep.Report(events.Progress{Stage: "selecting", Done: done, Total: total, Unit: "bytes"})
	}})
	batches <- batch
	close(batches)
	<-built
	if err != nil || !delta {
		return err
	}
	return addRoster(ctx, g, e.store.EachPartial, seen, rep)
}
