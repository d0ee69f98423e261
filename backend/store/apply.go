package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Apply writes one run's changes to the roster in a single transaction, so the roster is never left
// half-applied. Upserts are queued and written many rows per statement, which is what makes bulk
// loads fast with SQLite; every other operation first writes what is queued, so the order of
// operations is kept.
type Apply struct {
	ctx          context.Context
	conn         *sql.Conn // the transaction's own connection, set up for bulk writes while it lasts
	tx           applyTx
	connectionID int64
	runID        int64
	pending      map[roster.Entity]*pending
	upserts      map[roster.Entity]*batch
	origins      map[roster.Entity]*batch
	marks        []mark                   // deletions queued, their records' dates not read yet
	deletes      map[roster.Entity]*batch // records marked tobedeleted: roster id, when
	originGone   map[roster.Entity]*batch // their origins: source id
	goneErr      error                    // the first error writing them, failing the run
	queued       bool                     // something but deletions may be queued
	records      *batch                   // the run's log, written as it commits
	closed       bool
	sources      // the other connections, for records several sources supply
	merges       map[roster.Entity]*merges
	reconciled   func(Reconciled) error
	// pins are the values registrars chose in merges of duplicates, per entity and record: they
	// stay whatever the sources send (merge.go).
	pins map[roster.Entity]map[string]map[string]string
	db   *sql.DB // for the other connection that reads origins ahead (Prefetch)
	ahead
	aheadBytes int64  // aheadBytes, but in tests
	copies     string // the folder of the workspace's copies of origins (origincopy.go)
}

// batchRows is how many rows one INSERT carries; 256 rows of the widest entity (users, 23 columns)
// stay far below SQLite's limit of 32,766 parameters.
const batchRows = 256

// SortRows is how many records of one entity an import holds back to write them ordered by sourcedId.
// Many files number their records in no order (GUIDs); inserted as they come, nearly every row lands
// on another page of the sourcedId index and of the provenance table, and each such page is read,
// copied to the statement journal and written again. A 100,000-student district with GUIDs took 58 s
// to import that way (251 s with 16 KiB pages), against 9–12 s sorted in runs of this many; a district
// with ordered ids is written as it comes, and the longer channel to the reader adds about 20 MB.
const SortRows = 16384

// pending holds an entity's upserts that came out of sourcedId order until SortRows of them are
// there, or something else is written. Records that come in order go straight to the batch.
type pending struct {
	recs    []roster.Record
	hashes  []int64
	sources []string // each record's id at its source, when it differs from its roster id
	order   []int32
	last    string // the highest sourcedId queued so far
}

// batch queues rows for one INSERT … VALUES (…), (…) statement. Values every row shares (the
// connection and run of a provenance row, say) are bound once per statement, not once per row.
// Its two statements are prepared when first used: a run uses few of its 120-odd batches, most
// never fill one of 256 rows, and preparing (then finalizing) them all took half the CPU of a small
// import.
type batch struct {
	tx              *sql.Tx
	head, row, tail string    // the statement: head, then row repeated, then tail
	full            *sql.Stmt // batchRows rows
	one             *sql.Stmt // one row, for what is left at a flush
	shared          int       // leading values of args bound once: ?1 … ?shared
	width           int       // values per row besides the shared ones
	args            []any
	rows            int
}

// stmt is the statement of n rows (batchRows or 1) in *st, prepared the first time.
func (b *batch) stmt(ctx context.Context, st **sql.Stmt, n int) (*sql.Stmt, error) {
	if *st == nil {
		prepared, err := b.tx.PrepareContext(ctx, b.head+strings.Repeat(b.row+", ", n-1)+b.row+b.tail)
		if err != nil {
			return nil, err
		}
		*st = prepared
	}
	return *st, nil
}

// add ends a row with values (its earlier values may be in args already) and writes the batch once
// it is full.
func (b *batch) add(ctx context.Context, values ...any) error {
	b.args = append(b.args, values...)
	if b.rows++; b.rows < batchRows {
		return nil
	}
	full, err := b.stmt(ctx, &b.full, batchRows)
	if err == nil {
		_, err = full.ExecContext(ctx, b.args...)
	}
	b.args, b.rows = b.args[:b.shared], 0
	return err
}

func (b *batch) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	st, err := b.stmt(ctx, &b.one, 1)
	if err != nil {
		return err
	}
	one := make([]any, b.shared, b.shared+b.width)
	copy(one, b.args)
	for i := 0; i < b.rows; i++ {
		start := b.shared + i*b.width
		if _, err := st.ExecContext(ctx, append(one, b.args[start:start+b.width]...)...); err != nil {
			return err
		}
	}
	b.args, b.rows = b.args[:b.shared], 0
	return nil
}

// preparer prepares a run's statements on its transaction, keeping the first error, so a run
// prepares them all and checks once.
type preparer struct {
	ctx context.Context
	tx  *sql.Tx
	err error
}

func (p *preparer) stmt(query string) *sql.Stmt {
	if p.err != nil {
		return nil
	}
	st, err := p.tx.PrepareContext(p.ctx, query)
	p.err = err
	return st
}

// batch is a batch on the transaction whose statement is head … VALUES, rows, tail. Each row has
// the shared values first, then width values of its own. SQLite numbers a plain ? one past the
// highest number used before it, so every row can repeat ?1 … ?k and go on with ?.
func (p *preparer) batch(head string, shared []any, width int, tail string) *batch {
	cells := make([]string, 0, len(shared)+width)
	for i := range shared {
		cells = append(cells, "?"+strconv.Itoa(i+1))
	}
	for range width {
		cells = append(cells, "?")
	}
	args := make([]any, len(shared), len(shared)+width*batchRows)
	copy(args, shared)
	return &batch{tx: p.tx, head: head, row: "(" + strings.Join(cells, ", ") + ")", tail: tail, shared: len(shared), width: width, args: args}
}

// BeginApply opens the run's transaction. Exactly one of Commit or Rollback must follow.
func (s *Store) BeginApply(ctx context.Context, connectionID, runID int64) (*Apply, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// Set up for bulk writes, on this connection only and only while it applies:
	//  - A statement that writes many rows inside a transaction keeps a journal of the pages it
	//    touches, to undo just itself if it fails. In a file that journal cost 1.3 s of a 9.5 s
	//    import of 100,000 students (make bench); in memory it is a few pages per statement. An
	//    export's table of changes, on other connections, stays on disk.
	//  - Every provenance row names this one connection, so Commit checks once that it still
	//    exists instead of the foreign key being looked up for each of a million rows (0.2–0.3 s).
	for _, q := range []string{`PRAGMA temp_store = MEMORY`, `PRAGMA foreign_keys = OFF`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return nil, err
		}
	}
	a := &Apply{ctx: ctx, conn: conn, db: s.db, connectionID: connectionID, runID: runID, aheadBytes: aheadBytes, copies: copiesDir(s.path),
		pending: map[roster.Entity]*pending{}, upserts: map[roster.Entity]*batch{}, origins: map[roster.Entity]*batch{}, deletes: map[roster.Entity]*batch{},
		originGone: map[roster.Entity]*batch{}, merges: map[roster.Entity]*merges{}}
	// Read before the transaction starts: a transaction that reads first cannot write once another
	// connection has written (removed the connection, say) in between.
	if a.sources, err = loadSources(ctx, conn); err != nil {
		a.release()
		return nil, err
	}
	if err := a.loadPins(conn); err != nil {
		a.release()
		return nil, err
	}
	if a.tx.Tx, err = conn.BeginTx(ctx, nil); err != nil {
		a.release()
		return nil, err
	}
	a.tx.gone = a.flushGone
	p := &preparer{ctx: ctx, tx: a.tx.Tx}
	a.records = runRecords(ctx, a.tx.Tx, runID)
	for _, e := range roster.Entities {
		names := roster.Schema(e).Names()
		set := make([]string, 0, len(names))
		for _, n := range names[1:] {
			set = append(set, `"`+n+`" = excluded."`+n+`"`)
		}
		cols := append([]string{names[1], names[0]}, names[2:]...) // status first: it is shared
		a.upserts[e] = p.batch(`INSERT INTO `+table(e)+` (`+quoted(cols)+`, metadata) VALUES `, []any{string(roster.StatusActive)}, len(names),
			` ON CONFLICT ("sourcedId") DO UPDATE SET `+strings.Join(set, ", ")+`, metadata = excluded.metadata`)
		a.origins[e] = p.batch(`INSERT INTO origins (connection_id, entity, created_run, source_id, hash, record) VALUES `,
			[]any{connectionID, string(e), runID}, 3, ` ON CONFLICT (connection_id, entity, source_id) DO UPDATE SET hash = excluded.hash`)
		a.merges[e] = &merges{
			vals: p.batch(`INSERT INTO origins (entity, connection_id, source_id, hash, created_run, record, vals) VALUES `, []any{string(e)}, 6,
				` ON CONFLICT (connection_id, entity, source_id) DO UPDATE SET hash = excluded.hash, record = excluded.record, vals = excluded.vals`),
			joins: p.batch(`INSERT INTO origins (connection_id, entity, created_run, vals, source_id, hash) VALUES `, []any{connectionID, string(e), -runID, ""}, 2, ``),
			// The origin is there: the row inserted is only the key of the update.
			shared: p.batch(`INSERT INTO origins (entity, vals, hash, created_run, connection_id, source_id) VALUES `, []any{string(e), "", 0, 0}, 2,
				` ON CONFLICT (connection_id, entity, source_id) DO UPDATE SET vals = excluded.vals`),
		}
		a.deletes[e] = p.batch(`UPDATE `+table(e)+` SET status = 'tobedeleted', "dateLastModified" = d.column2 FROM (VALUES `, nil, 2,
			`) AS d WHERE "sourcedId" = d.column1`)
		a.originGone[e] = p.batch(`UPDATE origins SET hash = 0 FROM (VALUES `, []any{connectionID, string(e)}, 1,
			`) AS d WHERE connection_id = d.column1 AND entity = d.column2 AND source_id = d.column3`)
		a.pending[e] = &pending{}
	}
	if p.err != nil {
		a.Rollback()
		return nil, p.err
	}
	return a, nil
}

// flush writes every queued row: the deletions first, as nothing else queued came before them.
func (a *Apply) flush() error {
	if err := a.flushGone(); err != nil {
		return err
	}
	return a.flushQueued()
}

// flushQueued writes every queued row but the deletions.
func (a *Apply) flushQueued() error {
	for _, e := range roster.Entities {
		if err := a.settle(e); err != nil {
			return err
		}
		if err := a.merge(e); err != nil {
			return err
		}
		if err := a.merges[e].vals.flush(a.ctx); err != nil {
			return err
		}
		if p := a.pending[e]; cap(p.recs) > 0 {
			if err := a.write(e); err != nil {
				return err
			}
			a.pending[e] = &pending{} // its buffers are not needed again soon
		}
		if err := a.upserts[e].flush(a.ctx); err != nil {
			return err
		}
		if err := a.origins[e].flush(a.ctx); err != nil {
			return err
		}
	}
	a.queued = false
	return nil
}

// write queues an entity's pending records to its batches in sourcedId order.
func (a *Apply) write(e roster.Entity) error {
	p := a.pending[e]
	if len(p.recs) == 0 {
		return nil
	}
	p.order = p.order[:0]
	for i := range p.recs {
		p.order = append(p.order, int32(i))
	}
	slices.SortFunc(p.order, func(x, y int32) int { return strings.Compare(p.recs[x].SourcedID(), p.recs[y].SourcedID()) })
	for _, i := range p.order {
		if err := a.queue(p.recs[i], p.sources[i], p.hashes[i]); err != nil {
			return err
		}
	}
	p.last = max(p.last, p.recs[p.order[len(p.order)-1]].SourcedID())
	clear(p.recs) // let the records go
	p.recs, p.hashes, p.sources = p.recs[:0], p.hashes[:0], p.sources[:0]
	return nil
}

// queue adds a record and its origin to the entity's batches; sourceID is the record's id at this
// connection, when it differs from its roster id.
func (a *Apply) queue(rec roster.Record, sourceID string, hash int64) error {
	if err := a.queueRow(rec); err != nil {
		return err
	}
	if sourceID == "" {
		return a.origins[rec.Entity].add(a.ctx, rec.SourcedID(), hash, nil)
	}
	return a.origins[rec.Entity].add(a.ctx, sourceID, hash, rec.SourcedID())
}

// queueRow adds a record to its entity's upserts, as active.
func (a *Apply) queueRow(rec roster.Record) error {
	a.pin(&rec)
	meta, err := metadata(rec)
	if err != nil {
		return err
	}
	b := a.upserts[rec.Entity]
	b.args = append(b.args, rec.Values[0])
	for _, v := range rec.Values[2:] { // the status is bound once per statement
		if v == "" {
			b.args = append(b.args, nil) // blank is stored as NULL: the driver copies every string it binds
		} else {
			b.args = append(b.args, v)
		}
	}
	return b.add(a.ctx, meta)
}

// metadata is a record's extension columns as a JSON object, or NULL when it has none.
func metadata(rec roster.Record) (any, error) {
	if len(rec.Metadata) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(rec.Metadata))
	for _, kv := range rec.Metadata {
		m[kv.Name] = kv.Value
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return string(raw), nil
}

// Origin is what the roster knows of one record this connection supplies.
type Origin struct {
	Hash   int64  // content hash last applied; 0 once the source deleted the record
	Record string // the roster record's sourcedId, when it is not the source's
	// Shared says other sources supply the record too: its values are worked out from all of them.
	Shared bool
	// Alike says they supply it with the same content, which the roster row holds (vals '').
	Alike bool
}

// RecordID is the roster sourcedId of the record a source supplies as sourceID.
func (o Origin) RecordID(sourceID string) string {
	if o.Record != "" {
		return o.Record
	}
	return sourceID
}

// Origins are what the roster knows of the records one connection supplies of one entity: a content
// hash per source id (8 bytes a record, as a re-import of a million records holds them all), and
// apart the few origins that say more: a roster id of their own, or records other sources supply.
// They are kept as the workspace reads them, sorted by source id, not in a map: files mostly list
// records in that order, or in long runs of it, so a lookup first tries the origin after the last
// one found, and a binary search finds the start of the next run. Reading a million origins into a
// map and looking each up in it took most of a plan's time at 100,000 students. Records in no
// order (GUIDs) miss that guess so often that an index by id is built once.
type Origins struct{ l *originList }

type originList struct {
	ids    idList
	hashes []int64
	gone   []uint64 // forgotten, a bit per origin: the import saw the record
	left   int      // origins not forgotten
	next   int      // where the next lookup looks first
	misses int      // lookups the guess missed, until index is built
	index  map[string]int32
	more   map[string]Origin
}

// idList holds ids end to end in one array: a million origins' ids cost their bytes and 4 more
// each, not a string and its allocation each (some 30 bytes more: 190 MB at 1,000,000 students).
type idList struct {
	b   []byte
	end []uint32 // where each id ends in b
}

func (x *idList) add(id []byte) { x.b = append(x.b, id...); x.end = append(x.end, uint32(len(x.b))) }

func (x idList) len() int { return len(x.end) }

// at returns id i, which shares b's memory (b never changes once read).
func (x idList) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = x.end[i-1]
	}
	if start == x.end[i] {
		return ""
	}
	return unsafe.String(&x.b[start], int(x.end[i]-start))
}

func (l *originList) isGone(i int) bool { return l.gone[i>>6]&(1<<(i&63)) != 0 }

// Get returns the origin of the record the connection calls id.
func (o Origins) Get(id string) (Origin, bool) {
	i, ok := o.find(id)
	if !ok {
		return Origin{}, false
	}
	if m, more := o.l.more[id]; more {
		return m, true
	}
	return Origin{Hash: o.l.hashes[i]}, true
}

// find returns the position of id among the origins not forgotten. It looks first where the last
// lookup ended, then gallops from there (files listing records in a stride of the id order, period
// by period, stay near), and builds the index once most lookups land far away.
func (o Origins) find(id string) (int, bool) {
	l := o.l
	if l == nil || l.left == 0 {
		return 0, false
	}
	var i int
	var ok bool
	switch {
	case l.next < l.ids.len() && l.ids.at(l.next) == id:
		i, ok = l.next, true
	case l.next > 0 && l.ids.at(l.next-1) == id: // the last one found again (Get, then Forget)
		i, ok = l.next-1, true
	case l.index != nil:
		var at int32
		at, ok = l.index[id]
		i = int(at)
	default:
		var far bool
		i, ok, far = gallop(l.ids, l.next, id)
		if far {
			if l.misses++; l.misses > 1024 && l.misses > l.ids.len()/8 {
				l.index = make(map[string]int32, l.ids.len())
				for at := range l.ids.len() {
					l.index[l.ids.at(at)] = int32(at)
				}
			}
		}
	}
	if !ok || l.isGone(i) {
		return 0, false
	}
	l.next = i + 1
	return i, true
}

// gallop searches sorted ids for id from position from, in steps doubling forwards or backwards,
// then by halves; far says it went more than a few hundred places.
func gallop(ids idList, from int, id string) (i int, found, far bool) {
	n, step := ids.len(), 1
	lo, hi := from-1, from // ids[lo] < id <= ids[hi], -1 and n standing for the ends
	if from < n && ids.at(from) < id {
		for lo = from; lo+step < n && ids.at(lo+step) < id; step *= 2 {
			lo += step
		}
		hi = min(lo+step, n)
	} else {
		for hi = min(from, n); hi-step >= 0 && ids.at(hi-step) >= id; step *= 2 {
			hi -= step
		}
		lo = max(hi-step, -1)
	}
	lo++
	i, found = sort.Find(min(hi+1, n)-lo, func(k int) int { return strings.Compare(id, ids.at(lo+k)) })
	return lo + i, found, step > 256
}

// Forget takes an origin out of these (the import saw its record).
func (o Origins) Forget(id string) {
	if i, ok := o.find(id); ok {
		o.l.gone[i>>6] |= 1 << (i & 63)
		o.l.left--
	}
}

// Len is the number of origins not forgotten.
func (o Origins) Len() int {
	if o.l == nil {
		return 0
	}
	return o.l.left
}

// Loaded reports whether these were read (the zero Origins were not).
func (o Origins) Loaded() bool { return o.l != nil }

// Each calls fn for every origin not forgotten, in source id order, until it fails.
func (o Origins) Each(fn func(id string, o Origin) error) error {
	if o.l == nil {
		return nil
	}
	for i := range o.l.ids.len() {
		if o.l.isGone(i) {
			continue
		}
		id := o.l.ids.at(i)
		origin, more := o.l.more[id]
		if !more {
			origin = Origin{Hash: o.l.hashes[i]}
		}
		if err := fn(id, origin); err != nil {
			return err
		}
	}
	return nil
}

// NoOrigins are the origins of an entity once its records were all seen.
func NoOrigins() Origins { return Origins{l: &originList{}} }

// Origins returns the origins of one entity of this connection, by source sourcedId.
func (a *Apply) Origins(e roster.Entity) (Origins, error) {
	if err := a.flush(); err != nil {
		return NoOrigins(), err
	}
	if r, ok := a.ahead.take(e); ok {
		return r.o, r.err
	}
	return readOrigins(a.ctx, a.tx, a.connectionID, e)
}

// ahead reads the origins of entities on connections of their own, in order, while the transaction
// goes on (Prefetch).
type ahead struct {
	ents    []roster.Entity // in the order they are read; those before next were taken or passed
	next    int
	results []chan readAhead
	room    *room // the memory of the origins read ahead and not yet taken
	stop    func()
}

type readAhead struct {
	o     Origins
	err   error
	bytes int64 // what o holds in memory, against aheadBytes
}

// aheadBytes bounds the memory of the origins read ahead and not yet taken. A district of 100,000
// students has some 25 MB of them, all read while its users are imported (its enrollments' take
// half a second, which the import would otherwise wait for when it gets to them). At 1,000,000
// students the enrollments' alone are 150 MB: they are read once the import has taken those before
// them, beside the demographics' rather than beside the users', roles' and demographics' too (the
// held import of half such a district peaked at 688 MB with three entities read ahead).
const aheadBytes = 64 << 20

// aheadReaders is how many connections read origins ahead at once: two, so that a district's
// enrollments are read beside its users, roles and demographics rather than after them. Once an
// import reads its package from the records saved beside it, reading the origins is the longest
// part of a plan.
const aheadReaders = 2

// room hands out aheadBytes to the entities read ahead in the order the import takes them: a later
// entity never holds room an earlier one waits for. An entity larger than all of it gets it all,
// once nothing is held.
type room struct {
	mu    sync.Mutex
	limit int64 // aheadBytes
	used  int64
	turn  int           // the entity whose turn it is, by its place in ahead.ents
	moved chan struct{} // closed when used or turn changes
}

// take waits for entity i's turn and for n bytes of room, and takes them.
func (r *room) take(ctx context.Context, i int, n int64) error {
	for {
		r.mu.Lock()
		if r.turn == i && (r.used == 0 || r.used+n <= r.limit) {
			r.used += n
			r.turn++
			r.changed()
			r.mu.Unlock()
			return nil
		}
		moved := r.moved
		r.mu.Unlock()
		select {
		case <-moved:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// give gives back n bytes taken.
func (r *room) give(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.used -= n
	r.changed()
}

func (r *room) changed() {
	close(r.moved)
	r.moved = make(chan struct{})
}

// Prefetch reads the origins of ents (in the order the import will ask for them) on other
// connections while the transaction goes on, so that Origins finds them read: reading a district's
// million origins took a second during which the import's reader waited. The transaction takes the
// workspace's write lock first, so that nobody commits before the other connections have read: they
// read what the transaction would. The import writes no origins of an entity before asking for them.
// Origins with a copy at the workspace's stamp are read from it (origincopy.go); plan says the
// transaction will be rolled back, so the origins read from the workspace are copied for the next.
func (a *Apply) Prefetch(ents []roster.Entity, plan bool) error {
	// The connections first: opening one sets it up (WAL), which waits while another holds the lock.
	ctx, cancel := context.WithCancel(a.ctx)
	var conns []*sql.Conn
	closeAll := func() {
		for _, c := range conns {
			c.Close()
		}
	}
	for range min(aheadReaders, len(ents)) {
		conn, err := a.db.Conn(ctx)
		if err != nil {
			cancel()
			closeAll()
			return err
		}
		conns = append(conns, conn)
	}
	if _, err := a.tx.Tx.ExecContext(a.ctx, `DELETE FROM origins WHERE 0`); err != nil { // takes the write lock
		cancel()
		closeAll()
		return err
	}
	var readers sync.WaitGroup
	a.ahead = ahead{ents: ents, results: make([]chan readAhead, len(ents)), room: &room{limit: a.aheadBytes, moved: make(chan struct{})},
		stop: func() { cancel(); readers.Wait() }}
	for i := range ents {
		a.ahead.results[i] = make(chan readAhead, 1)
	}
	// Each reader takes the next entity nobody took, then its room: results come in the import's order.
	var claimed atomic.Int32
	for _, conn := range conns {
		readers.Add(1)
		go func(results []chan readAhead, room *room) {
			defer readers.Done()
			defer conn.Close()
			stamp, stampErr := originStamp(ctx, conn) // nobody commits while the transaction holds the lock
			for {
				i := int(claimed.Add(1)) - 1
				if i >= len(ents) {
					return
				}
				r, read := readAhead{err: stampErr}, false
				if stampErr == nil {
					r, read = a.readAhead(ctx, conn, room, i, ents[i], stamp)
				}
				results[i] <- r // once cancelled, every entity left gets its error at once
				if read && plan && r.err == nil {
					// Not kept is only slower: the next plan reads the workspace again.
					saveCopy(a.copies, a.connectionID, ents[i], stamp, r.o)
				}
			}
		}(a.ahead.results, a.ahead.room)
	}
	return nil
}

// readAhead reads the origins of ents[i], e, on conn once room has room for them: from their copy
// when it is at stamp, else from the workspace (read true).
func (a *Apply) readAhead(ctx context.Context, conn *sql.Conn, room *room, i int, e roster.Entity, stamp []byte) (r readAhead, read bool) {
	c, copied := openCopy(a.copies, a.connectionID, e, stamp)
	var n, size int64
	var err error
	if copied {
		n, size = c.n, c.size
	} else {
		n, size, err = countOrigins(ctx, conn, a.connectionID, e)
	}
	if err != nil {
		return readAhead{err: err}, false
	}
	r.bytes = originsBytes(n, size)
	if r.err = room.take(ctx, i, r.bytes); r.err != nil {
		if copied {
			c.close()
		}
		return r, false
	}
	if copied {
		if r.o, err = c.read(); err == nil {
			if checkCopies() {
				r.err = checkCopy(ctx, conn, a.connectionID, e, r.o)
			}
			return r, false
		}
		// Damaged: read from the workspace as on a miss (a plan copies it again).
		if n, size, err = countOrigins(ctx, conn, a.connectionID, e); err != nil {
			r.err = err
			return r, false
		}
	}
	r.o, r.err = readCounted(ctx, conn, a.connectionID, e, n, size)
	return r, true
}

// take returns the origins of e read ahead (ok false when they were not, or were taken already);
// the entities before e that were not asked for are passed over.
func (h *ahead) take(e roster.Entity) (r readAhead, ok bool) {
	at := slices.Index(h.ents[h.next:], e)
	if at < 0 {
		return r, false
	}
	for ; at >= 0; at-- {
		r = <-h.results[h.next]
		h.room.give(r.bytes)
		h.next++
	}
	return r, true
}

// close stops reading ahead.
func (h *ahead) close() {
	if h.stop != nil {
		h.stop()
		h.stop = nil
	}
}

// originReader is a transaction or a connection.
type originReader interface {
	querier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readOrigins reads the origins of one entity of a connection, by source sourcedId.
func readOrigins(ctx context.Context, q originReader, connectionID int64, e roster.Entity) (Origins, error) {
	n, size, err := countOrigins(ctx, q, connectionID, e)
	if err != nil {
		return NoOrigins(), err
	}
	return readCounted(ctx, q, connectionID, e, n, size)
}

// countOrigins counts the origins of one entity of a connection, and the bytes of their ids.
// octet_length takes an id's size from its row's header, where LENGTH(CAST(… AS BLOB)) copied the id
// (a 100,000-student district's count: 240-270 ms against 300-340 ms).
func countOrigins(ctx context.Context, q originReader, connectionID int64, e roster.Entity) (n, size int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(octet_length(source_id)), 0) FROM origins WHERE connection_id = ? AND entity = ?`,
		connectionID, string(e)).Scan(&n, &size)
	return n, size, err
}

// originsBytes is what n origins with ids of size bytes in all hold in memory: the ids, where each
// ends, a hash and a bit each.
func originsBytes(n, size int64) int64 { return size + n*(4+8) + n/8 }

// readCounted reads the n origins of one entity of a connection, whose ids are size bytes in all.
func readCounted(ctx context.Context, q originReader, connectionID int64, e roster.Entity, n, size int64) (Origins, error) {
	out := NoOrigins()
	if size > math.MaxUint32 {
		return out, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The %s this connection supplies have ids of %d bytes in all, more than Rosterdesk can compare in one import (4 GB).", e, size))
	}
	l := out.l
	l.ids, l.hashes = idList{b: make([]byte, 0, size), end: make([]uint32, 0, n)}, make([]int64, 0, n)
	err := scanOrigins(ctx, q, connectionID, e, func(id []byte, hash int64, o Origin, more bool) error {
		l.ids.add(id)
		l.hashes = append(l.hashes, hash)
		if more {
			if l.more == nil {
				l.more = map[string]Origin{}
			}
			l.more[string(id)] = o
		}
		return nil
	})
	l.gone, l.left = make([]uint64, (l.ids.len()+63)/64), l.ids.len()
	return out, err
}

// scanOrigins calls fn with each origin of one entity of a connection, in source id order; more says
// the origin is one of the few that say more than their hash (o): a roster id of their own, or
// records other sources supply. id is fn's only during the call.
func scanOrigins(ctx context.Context, q originReader, connectionID int64, e roster.Entity, fn func(id []byte, hash int64, o Origin, more bool) error) error {
	// Most origins are a source id and a hash; the few renamed or shared ones say so in a third
	// column, NULL for the others: each column read costs, and a district has a million origins.
	rows, err := q.QueryContext(ctx, `SELECT source_id, hash, CASE WHEN record IS NOT NULL OR vals IS NOT NULL
		THEN (vals IS NOT NULL) || (vals IS '') || COALESCE(record, '') END FROM origins
		WHERE connection_id = ? AND entity = ? ORDER BY source_id`, connectionID, string(e))
	if err != nil {
		return err
	}
	defer rows.Close()
	var id, extra sql.RawBytes // extra: shared, alike, record
	for rows.Next() {
		var o Origin
		if err := rows.Scan(&id, &o.Hash, &extra); err != nil {
			return err
		}
		if extra != nil {
			o.Shared, o.Alike, o.Record = extra[0] == '1', extra[1] == '1', string(extra[2:])
		}
		if err := fn(id, o.Hash, o, o.Record != "" || o.Shared); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Upsert queues a record to be written into the roster as active, and remembers its origin and
// content hash: a new record, or a change to one this connection alone supplies. sourceID is the
// record's id at this connection when it differs from its roster id (rec's sourcedId), else "".
func (a *Apply) Upsert(rec roster.Record, sourceID string, hash int64) error {
	if err := a.queueing(); err != nil {
		return err
	}
	p := a.pending[rec.Entity]
	if id := rec.SourcedID(); len(p.recs) == 0 && id > p.last {
		p.last = id
		return a.queue(rec, sourceID, hash)
	}
	p.recs, p.hashes, p.sources = append(p.recs, rec), append(p.hashes, hash), append(p.sources, sourceID)
	if len(p.recs) < SortRows {
		return nil
	}
	return a.write(rec.Entity)
}

// MarkDeleted sets the status of a record this connection alone supplies (roster id recordID, source
// id sourceID) to tobedeleted as of when; its origin hash becomes 0 so the record counts as changed if
// the source sends it again. logged is told the record's dateLastModified before (an import logs it,
// so that an undo puts it back). Deletions are queued and their dates read batchRows at a time, in
// one query per entity, then written as many at a time (a plan leaving out half a district deletes
// half a million records: one statement each took most of its time, and reading each one's date a
// fifth of it). What was queued before is written first, and anything else queued or run in the
// transaction after writes them first (flushGone), so the order of operations is kept; logged is
// told in the order of the calls, before anything else is (LogDeletions).
func (a *Apply) MarkDeleted(e roster.Entity, recordID, sourceID, when string, logged func(prior string)) error {
	if a.queued {
		if err := a.flushQueued(); err != nil {
			return err
		}
	}
	a.marks = append(a.marks, mark{e: e, record: recordID, source: sourceID, when: when, logged: logged})
	if len(a.marks) < batchRows {
		return nil
	}
	return a.LogDeletions()
}

// mark is a deletion queued by MarkDeleted.
type mark struct {
	e                    roster.Entity
	record, source, when string
	logged               func(prior string)
}

// LogDeletions reads the dates of the records whose deletions are queued and tells each deletion's
// logged, in order: what a run logs next then comes after them. The deletions are queued to be
// written. Its first error stays, as flushGone's: the run fails at its next step.
func (a *Apply) LogDeletions() error {
	marks := a.marks
	if len(marks) == 0 || a.goneErr != nil {
		return a.goneErr
	}
	a.marks = nil // what logged logs asks for this again: nothing is queued now
	prior, err := a.priorDates(marks)
	for i, m := range marks {
		if err != nil {
			break
		}
		m.logged(prior[i])
		if err = a.deletes[m.e].add(a.ctx, m.record, m.when); err == nil {
			err = a.originGone[m.e].add(a.ctx, m.source)
		}
	}
	clear(marks)
	a.marks = marks[:0]
	return a.failGone(err)
}

// priorDates are the dateLastModified of the records marked ("" for none), read in one query per
// entity as the transaction has them: before their deletions are written.
func (a *Apply) priorDates(marks []mark) ([]string, error) {
	dates := make([]string, len(marks))
	done := map[roster.Entity]bool{}
	for _, first := range marks {
		if done[first.e] {
			continue
		}
		done[first.e] = true
		var ids []any
		for _, m := range marks {
			if m.e == first.e {
				ids = append(ids, m.record)
			}
		}
		found := make(map[string]string, len(ids))
		err := scanPairs(a.ctx, a.tx.Tx, `SELECT "sourcedId", COALESCE("dateLastModified", '') FROM `+table(first.e)+
			` WHERE "sourcedId" IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids, func(id, date string) { found[id] = date })
		if err != nil {
			return nil, err
		}
		for i, m := range marks {
			if m.e == first.e {
				dates[i] = found[m.record]
			}
		}
	}
	return dates, nil
}

// queueing is called before anything but a deletion is queued: the deletions queued come first.
func (a *Apply) queueing() error {
	a.queued = true
	return a.flushGone()
}

// flushGone writes the deletions queued. Its first error stays: the run fails at its next step.
func (a *Apply) flushGone() error {
	if err := a.LogDeletions(); err != nil {
		return err
	}
	for _, e := range roster.Entities {
		if err := a.deletes[e].flush(a.ctx); err != nil {
			return a.failGone(err)
		}
		if err := a.originGone[e].flush(a.ctx); err != nil {
			return a.failGone(err)
		}
	}
	return nil
}

func (a *Apply) failGone(err error) error {
	if err != nil && a.goneErr == nil {
		a.goneErr = err
	}
	return err
}

// applyTx is a run's transaction; every statement run through it writes the deletions queued first.
// (A row can only be read this way, so an error writing them is kept and fails the run's next step.)
type applyTx struct {
	*sql.Tx
	gone func() error
}

func (t applyTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := t.gone(); err != nil {
		return nil, err
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t applyTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := t.gone(); err != nil {
		return nil, err
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t applyTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	t.gone()
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t applyTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := t.gone(); err != nil {
		return nil, err
	}
	return t.Tx.PrepareContext(ctx, query)
}

// Current returns a roster record as it is before this run changes it.
func (a *Apply) Current(e roster.Entity, sourcedID string) (roster.Record, error) {
	return findRecord(a.ctx, a.tx, e, sourcedID)
}

// Record stores one per-record outcome of the run (with what is queued, by Commit).
func (a *Apply) Record(r RunRecord) error { return a.records.add(a.ctx, r.values()...) }

// ErrConnectionGone means the connection was removed while one of its runs applied.
var ErrConnectionGone = apperr.New(apperr.CodeNotFound, "The connection was removed while this run applied.")

// Flush writes what is queued, so every change of the run has been worked out and reported.
func (a *Apply) Flush() error { return a.flush() }

// Commit writes what is queued and makes the run's changes visible at once.
func (a *Apply) Commit() error {
	if err := a.flush(); err != nil {
		return err
	}
	if err := a.records.flush(a.ctx); err != nil {
		return err
	}
	// The run's writes hold the workspace's write lock by now, so a connection still here stays
	// until the commit.
	var here int
	if err := a.tx.QueryRowContext(a.ctx, `SELECT COUNT(*) FROM connections WHERE id = ?`, a.connectionID).Scan(&here); err != nil {
		return err
	}
	if here == 0 && a.connectionID != 0 { // 0: a run of no one connection (the sources' order changed)
		return ErrConnectionGone
	}
	if err := renewStamp(a.ctx, a.tx.Tx); err != nil {
		return err
	}
	err := a.tx.Commit()
	a.release()
	return err
}

// Rollback discards the run's changes; safe after Commit.
func (a *Apply) Rollback() error {
	if a.closed {
		return nil
	}
	err := a.tx.Rollback()
	a.release()
	return err
}

// release gives the connection back to the pool set up as the workspace's others are.
func (a *Apply) release() {
	if a.closed {
		return
	}
	a.closed = true
	a.ahead.close()
	for _, q := range []string{`PRAGMA temp_store = DEFAULT`, `PRAGMA foreign_keys = ON`} {
		a.conn.ExecContext(context.Background(), q) // these fail only inside a transaction
	}
	a.conn.Close()
}
