package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// IDs settings of a source (SPEC §3): whether its sourcedIds meet other sources' by equality.
const (
	IDsShared = "shared"
	IDsOwn    = "own"
)

// OwnIDs reports whether a connection's settings say its ids are its own.
func OwnIDs(settings map[string]string) bool { return settings["ids"] == IDsOwn }

// sources is what an import needs to know of every connection: its place in the reconciliation order
// and whether its ids are its own.
type sources struct {
	rank map[int64]int // 0 first
	own  map[int64]bool
}

func loadSources(ctx context.Context, q querier) (sources, error) {
	s := sources{rank: map[int64]int{}, own: map[int64]bool{}}
	rows, err := q.QueryContext(ctx, `SELECT id, settings FROM connections ORDER BY precedence, id`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return s, err
		}
		var settings map[string]string
		json.Unmarshal([]byte(raw), &settings) // stored by AddConnection; a damaged one reads as shared
		s.rank[id], s.own[id] = len(s.rank), OwnIDs(settings)
	}
	return s, rows.Err()
}

// shared is the ids of the connections whose ids are shared, for an IN (…) list ("" when none).
func (s sources) shared() string {
	var ids []string
	for id, own := range s.own {
		if !own {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
	}
	return strings.Join(ids, ", ")
}

// Identities is how records of this connection that it never sent before find their roster record.
type Identities struct {
	// Taken holds every roster sourcedId of the entity, with who holds it.
	Taken map[string]Held
	// Renamed maps an id of a source with shared ids to its roster record where the two differ.
	Renamed map[string]string
	// Owned counts the records only sources with ids of their own supply (HeldOwn).
	Owned int
}

// Held is who supplies a roster record, as a record new to the importing source sees it.
type Held struct {
	// Hash is the content hash of the record's only origin, when that origin is live, under the
	// record's id and of a source with shared ids; Alone is its connection. A source with shared ids
	// sending the same content joins the record without working it out again (Join). (16 bytes in
	// all: a map of a million of them is read for each entity a second source imports.)
	Hash  int64
	Alone int32
	By    Holder
}

// Holder says who supplies a roster record.
type Holder int8

const (
	// HeldShared: other sources, at least one with shared ids (or none left): a source with shared
	// ids meets the record by its id.
	HeldShared Holder = iota
	// HeldOwn: only sources with ids of their own; no other source meets the record by id.
	HeldOwn
	// HeldMine: the importing source itself.
	HeldMine
)

// RosterSize is the number of roster records of an entity, from every source.
func (a *Apply) RosterSize(e roster.Entity) (int, error) {
	var n int
	err := a.tx.QueryRowContext(a.ctx, `SELECT COUNT(*) FROM `+table(e)).Scan(&n)
	return n, err
}

// Identities loads the roster ids of an entity (size of them), for an import that meets records other sources (or a
// removed one) brought in. They come from the other connections' origins (each connection's a range
// of the primary key) and the ids removed sources left (retired), not from a scan of the roster:
// every roster record has one or the other.
func (a *Apply) Identities(e roster.Entity, size int) (Identities, error) {
	if err := a.flush(); err != nil {
		return Identities{}, err
	}
	// size: the roster's records of the entity, so the map is made once, not grown a million times over.
	ids := Identities{Taken: make(map[string]Held, size), Renamed: map[string]string{}}
	ent, others := string(e), []string{}
	for id := range a.rank {
		if id != a.connectionID {
			others = append(others, strconv.FormatInt(id, 10))
		}
	}
	rows, err := a.tx.QueryContext(a.ctx, `SELECT COALESCE(record, source_id), connection_id, hash, vals IS NULL AND record IS NULL FROM origins
		WHERE connection_id IN (`+strings.Join(others, ", ")+`) AND entity = ?`, ent)
	if err != nil {
		return ids, err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var conn, hash int64
		var alone bool
		if err := rows.Scan(&key, &conn, &hash, &alone); err != nil {
			return ids, err
		}
		held, seen := ids.Taken[key]
		switch {
		case a.own[conn]:
			if !seen {
				ids.Taken[key] = Held{By: HeldOwn}
			}
		case alone && hash != 0: // its only origin, live: met by id, joined at once if the content is the same
			ids.Taken[key] = Held{By: HeldShared, Alone: int32(conn), Hash: hash}
		case !seen || held.By == HeldOwn:
			ids.Taken[key] = Held{By: HeldShared}
		}
	}
	if err := rows.Err(); err != nil {
		return ids, err
	}

	err = scanPairs(a.ctx, a.tx, `SELECT record, own FROM retired WHERE entity = ?`, []any{ent}, func(key, own string) {
		by := HeldShared
		if own != "0" {
			by = HeldOwn
		}
		if held, seen := ids.Taken[key]; !seen || (held.By == HeldOwn && by == HeldShared) {
			ids.Taken[key] = Held{By: by}
		}
	})
	if err != nil {
		return ids, err
	}
	for _, held := range ids.Taken {
		if held.By == HeldOwn {
			ids.Owned++
		}
	}
	err = scanPairs(a.ctx, a.tx, a.sharedRenamed(), []any{ent}, func(source, record string) { ids.Renamed[source] = record })
	return ids, err
}

// sharedRenamed selects, for entity ?1, the ids of sources with shared ids (removed ones too) whose
// roster ids differ from them.
func (a *Apply) sharedRenamed() string {
	// +connection_id: found through the small index of renamed origins, not each connection's range.
	return `SELECT source_id, record FROM origins WHERE entity = ?1 AND record IS NOT NULL AND +connection_id IN (` + a.shared() + `)
		UNION ALL SELECT source_id, record FROM retired WHERE entity = ?1 AND NOT own AND record <> source_id`
}

// Renamed maps this connection's ids of an entity to roster ids where they differ, so references
// in its records can be written as roster ids; with shared ids, other such sources' ids count too.
func (a *Apply) Renamed(e roster.Entity) (map[string]string, error) {
	if err := a.flush(); err != nil {
		return nil, err
	}
	out := map[string]string{}
	add := func(source, record string) { out[source] = record }
	if a.own[a.connectionID] {
		return out, scanPairs(a.ctx, a.tx, `SELECT source_id, record FROM origins WHERE entity = ? AND record IS NOT NULL AND +connection_id = ?`,
			[]any{string(e), a.connectionID}, add)
	}
	return out, scanPairs(a.ctx, a.tx, a.sharedRenamed(), []any{string(e)}, add)
}

// ConnectionID is the connection whose run this is.
func (a *Apply) ConnectionID() int64 { return a.connectionID }

// Own reports whether this connection's ids are its own.
func (a *Apply) Own() bool { return a.own[a.connectionID] }

func scanPairs(ctx context.Context, q querier, query string, args []any, fn func(a, b string)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var x, y string
		if err := rows.Scan(&x, &y); err != nil {
			return err
		}
		fn(x, y)
	}
	return rows.Err()
}

// Change is what happens to this connection's origin of a record several sources supply (or that it
// now joins): its new values, or its going. A change without SourceID changes no origin: the record
// is worked out again (the order of the sources changed).
type Change struct {
	Entity   roster.Entity
	Record   string // roster sourcedId
	SourceID string // the record's id at this connection
	Hash     int64  // content hash; 0: this connection no longer supplies the record
	Values   reconcile.Values
	Joined   bool   // this connection did not supply the record before
	When     string // dateLastModified of the record if it changes
	Why      string // with Hash 0: why the connection no longer supplies it ("" when its source deleted it)
	// Keep leaves the record as it is when no other source supplies it live (a source removed with
	// its records kept), instead of making it tobedeleted.
	Keep bool
	// Retire makes a record no source supplies any more tobedeleted even when it is only worked out
	// again (the secondary of a merge of duplicates, whose origins went to the primary).
	Retire bool
}

// Reconciled is a change worked out against the record's other origins.
type Reconciled struct {
	Change
	Before, After roster.Record
	Changed       bool // the roster record changed (values or status)
	Kept          bool // no source supplies it any more, and it was kept as it is (Change.Keep)
}

// OnReconciled sets what is told of every change once it is worked out; every queued change is
// worked out by the time Flush or Commit returns.
func (a *Apply) OnReconciled(fn func(Reconciled) error) { a.reconciled = fn }

// Join records that this connection now supplies, with the same content (hash), the record under
// its id sourceID that the connection alone supplied until now: both origins are marked as sharing
// the roster row's values (vals ”), which stay as they are.
func (a *Apply) Join(e roster.Entity, sourceID string, hash, alone int64) error {
	if err := a.queueing(); err != nil {
		return err
	}
	m := a.merges[e]
	if err := m.joins.add(a.ctx, sourceID, hash); err != nil {
		return err
	}
	return m.shared.add(a.ctx, alone, sourceID)
}

// settle writes the joins queued of an entity, with the origins those records had alone marked as
// sharing them.
func (a *Apply) settle(e roster.Entity) error {
	m := a.merges[e]
	if err := m.joins.flush(a.ctx); err != nil {
		return err
	}
	return m.shared.flush(a.ctx)
}

// merges queues the changes of one entity to work out mergeRows at a time: the records and their
// origins are read with one query each per batch, not one per record.
type merges struct {
	queue  []Change
	vals   *batch // origin rows with their values
	joins  *batch // origins of records joined with the same values (Join)
	shared *batch // the origins those records had alone, now sharing them
}

// mergeRows is how many changes are worked out together.
const mergeRows = 256

// Reconcile queues a change to a record several sources supply, or that this connection now joins.
func (a *Apply) Reconcile(c Change) error {
	if err := a.queueing(); err != nil {
		return err
	}
	m := a.merges[c.Entity]
	if m.queue = append(m.queue, c); len(m.queue) < mergeRows {
		return nil
	}
	return a.merge(c.Entity)
}

// stored is an origin row as read for a merge.
type stored struct {
	connection       int64
	source, record   string
	hash, createdRun int64
	vals             sql.NullString
	values           reconcile.Values
	dirty            bool
}

// merge works out the queued changes of an entity: each record's origins are put in precedence order,
// an origin alone so far gets the roster row's values kept with it, and the roster row becomes what
// reconcile.Merge says.
func (a *Apply) merge(e roster.Entity) error {
	m := a.merges[e]
	if len(m.queue) == 0 {
		return nil
	}
	changes := m.queue
	m.queue = m.queue[:0:0]
	ids := make([]any, 0, len(changes)+1)
	ids = append(ids, string(e))
	for _, c := range changes {
		ids = append(ids, c.Record)
	}
	// ?1 is the entity, ?2 … the records: numbered, as both halves of the query below use them.
	nums := make([]string, len(changes))
	for i := range changes {
		nums[i] = "?" + strconv.Itoa(i+2)
	}
	marks := strings.Join(nums, ", ")
	current := map[string]roster.Record{}
	err := eachRecordWhere(a.ctx, a.tx, e, ` WHERE "sourcedId" IN (`+marks+`) AND ?1 <> ''`, ids, func(r roster.Record) error {
		current[r.SourcedID()] = r
		return nil
	})
	if err != nil {
		return err
	}
	// A record's origins: those naming it in record, and those whose source id is its id with no
	// record; the second kind is looked up by the primary key, one connection at a time.
	conns := make([]string, 0, len(a.rank))
	for id := range a.rank {
		conns = append(conns, strconv.FormatInt(id, 10))
	}
	origins := map[string][]*stored{}
	query := `SELECT connection_id, source_id, COALESCE(record, ''), hash, created_run, vals FROM origins WHERE entity = ?1 AND record IS NOT NULL AND record IN (` + marks + `)
		UNION ALL SELECT connection_id, source_id, '', hash, created_run, vals FROM origins WHERE connection_id IN (` + strings.Join(conns, ", ") + `) AND entity = ?1 AND source_id IN (` + marks + `) AND record IS NULL`
	rows, err := a.tx.QueryContext(a.ctx, query, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		o := &stored{}
		if err := rows.Scan(&o.connection, &o.source, &o.record, &o.hash, &o.createdRun, &o.vals); err != nil {
			rows.Close()
			return err
		}
		key := o.record
		if key == "" {
			key = o.source
		}
		origins[key] = append(origins[key], o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if err := a.mergeOne(c, current[c.Record], origins[c.Record]); err != nil {
			return err
		}
	}
	return nil
}

func (a *Apply) mergeOne(c Change, before roster.Record, list []*stored) error {
	if before.Values == nil {
		before = roster.NewRecord(c.Entity)
		before.Values[0] = c.Record
	}
	var mine *stored
	for _, o := range list {
		if c.SourceID != "" && o.connection == a.connectionID && o.source == c.SourceID {
			mine = o
		}
		switch {
		case o.vals.Valid && o.vals.String != "":
			v, err := reconcile.Decode(c.Entity, o.vals.String)
			if err != nil {
				return err
			}
			o.values = v
		default: // alone so far, or joined with the same values (Join): the roster row holds its values
			o.values, o.dirty = reconcile.Of(before), true
		}
	}
	if mine == nil && c.SourceID != "" {
		// created_run -run: the run in which this source joined a record another brought in (store.RunLog)
		mine = &stored{connection: a.connectionID, source: c.SourceID, values: reconcile.Of(before), createdRun: -a.runID}
		if c.Record != c.SourceID {
			mine.record = c.Record
		}
		list = append(list, mine)
	}
	if mine != nil {
		mine.hash, mine.dirty = c.Hash, true
		if c.Hash != 0 {
			mine.values = c.Values
		}
	}
	// In precedence order; two origins of one connection (duplicates merged) with the record's own
	// id first, so the record is worked out the same way every time.
	slices.SortStableFunc(list, func(x, y *stored) int {
		if d := a.rank[x.connection] - a.rank[y.connection]; d != 0 {
			return d
		}
		if own := cmp.Compare(boolRank(x.record == "" && x.source == c.Record), boolRank(y.record == "" && y.source == c.Record)); own != 0 {
			return -own
		}
		return strings.Compare(x.source, y.source)
	})
	in := make([]reconcile.Origin, len(list))
	for i, o := range list {
		in[i] = reconcile.Origin{Connection: o.connection, SourcedID: o.source, Live: o.hash != 0, Values: o.values}
	}
	res := reconcile.Merge(c.Entity, c.Record, in)
	after := res.Record
	if res.Live {
		a.pin(&after)
	}
	kept := !res.Live && !c.Retire && (c.Keep || c.SourceID == "")
	if !res.Live { // no source supplies it any more: it keeps its values and becomes tobedeleted
		after = roster.Record{Entity: c.Entity, Values: slices.Clone(before.Values), Metadata: before.Metadata}
		if !kept { // unless kept as it is: released with its records kept, or only worked out again
			after.Values[1] = string(roster.StatusToBeDeleted)
		}
	}
	after.Values[2] = before.Values[2]
	changed := !slices.Equal(after.Values, before.Values) || !slices.Equal(after.Metadata, before.Metadata)
	if changed {
		after.Values[2] = c.When
	}
	for _, o := range list {
		if !o.dirty {
			continue
		}
		var record any
		if o.record != "" {
			record = o.record
		}
		if err := a.merges[c.Entity].vals.add(a.ctx, o.connection, o.source, o.hash, o.createdRun, record, o.values.Encode()); err != nil {
			return err
		}
	}
	if changed {
		if err := a.putMerged(after); err != nil {
			return err
		}
	}
	if a.reconciled == nil {
		return nil
	}
	return a.reconciled(Reconciled{Change: c, Before: before, After: after, Changed: changed, Kept: kept && before.Status() != roster.StatusToBeDeleted})
}

// putMerged writes a worked-out record: an active one like any upsert, a tobedeleted one in place.
func (a *Apply) putMerged(rec roster.Record) error {
	if rec.Status() == roster.StatusActive {
		return a.queueRow(rec)
	}
	d := a.deletes[rec.Entity]
	if err := d.add(a.ctx, rec.SourcedID(), rec.DateLastModified()); err != nil {
		return err
	}
	return d.flush(a.ctx)
}

// Reorder puts the given connections first in the reconciliation order, in this run's transaction,
// and queues every record several sources supply with different values to be worked out again in
// the new order (records they supply alike stay as they are in any order).
func (a *Apply) Reorder(ids []int64) error {
	if err := orderSources(a.ctx, a.tx.Tx, ids); err != nil {
		return err
	}
	var err error
	if a.sources, err = loadSources(a.ctx, a.tx); err != nil {
		return err
	}
	for _, e := range roster.Entities {
		var keys []string
		err := scanPairs(a.ctx, a.tx, `SELECT DISTINCT COALESCE(record, source_id), '' FROM origins WHERE entity = ? AND vals <> ''`, []any{string(e)},
			func(key, _ string) { keys = append(keys, key) })
		if err != nil {
			return err
		}
		for _, key := range keys {
			if err := a.Reconcile(Change{Entity: e, Record: key, When: Now()}); err != nil {
				return err
			}
		}
	}
	return a.flush()
}

// Release ends this connection's supply of every record, before the connection is removed:
//   - a record other sources supply with the same content (Alike) stays as it is;
//   - one they supply with values of their own goes to shared, which works it out again from them;
//   - one it alone supplied is kept as it is (keep), or marked tobedeleted as of when, each told to
//     deleted: one statement per entity, not one per record.
//
// Its origins are then dropped, their ids kept (retire). It returns how many records were kept;
// progress is told how many of the connection's origins are done, of how many.
func (a *Apply) Release(keep bool, when string, shared func(e roster.Entity, sourceID string, o Origin) error, deleted func(e roster.Entity, record string),
	progress func(done, total int64)) (int, error) {
	kept := 0
	var done, total int64
	if err := a.tx.QueryRowContext(a.ctx, `SELECT COUNT(*) FROM origins WHERE connection_id = ?`, a.connectionID).Scan(&total); err != nil {
		return kept, err
	}
	for _, e := range roster.Entities {
		origins, err := a.Origins(e)
		if err != nil {
			return kept, err
		}
		err = origins.Each(func(id string, o Origin) error {
			if done++; done%4096 == 0 {
				progress(done, total)
			}
			switch {
			case o.Hash == 0 || o.Alike:
			case o.Shared:
				return shared(e, id, o)
			case keep:
				kept++
			}
			return nil
		})
		if err == nil {
			err = a.flush()
		}
		if err != nil || keep {
			if err != nil {
				return kept, err
			}
			continue
		}
		alone := ` FROM origins WHERE connection_id = ?1 AND entity = ?2 AND vals IS NULL AND hash <> 0`
		err = scanPairs(a.ctx, a.tx, `SELECT COALESCE(record, source_id), ''`+alone, []any{a.connectionID, string(e)}, func(record, _ string) { deleted(e, record) })
		if err == nil {
			_, err = a.tx.ExecContext(a.ctx, `UPDATE `+table(e)+` SET status = 'tobedeleted', "dateLastModified" = ?3
				WHERE "sourcedId" IN (SELECT COALESCE(record, source_id)`+alone+`)`, a.connectionID, string(e), when)
		}
		if err != nil {
			return kept, err
		}
	}
	return kept, retire(a.ctx, a.tx.Tx, a.connectionID, a.own[a.connectionID])
}

// retire drops a connection's origins, keeping the ids it gave roster records (own: its ids were its
// own) so that later sources meet those records by id as its ids said.
func retire(ctx context.Context, tx *sql.Tx, connectionID int64, own bool) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO retired (entity, record, source_id, own)
		SELECT entity, COALESCE(record, source_id), source_id, ? FROM origins WHERE connection_id = ?`, own, connectionID)
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM origins WHERE connection_id = ?`, connectionID)
	}
	if err == nil {
		err = renewStamp(ctx, tx)
	}
	return err
}

// Supply counts, per entity, the live records a connection alone supplies and those other sources
// supply too: what removing it would touch.
type Supply struct {
	Only   map[roster.Entity]int `json:"only"`
	Shared map[roster.Entity]int `json:"shared"`
}

// Supply says what a connection supplies to the roster.
func (s *Store) Supply(ctx context.Context, connectionID int64) (Supply, error) {
	out := Supply{Only: map[roster.Entity]int{}, Shared: map[roster.Entity]int{}}
	all, err := s.Connections(ctx)
	if err != nil {
		return out, err
	}
	conns := make([]string, 0, len(all))
	for _, c := range all {
		conns = append(conns, strconv.FormatInt(c.ID, 10))
	}
	// Another live origin of the same record: among those with values of their own (by the partial
	// index), or, for records joined with the same values (vals ''), under the same id.
	rows, err := s.db.QueryContext(ctx, `SELECT o.entity, EXISTS (SELECT 1 FROM origins p WHERE p.entity = o.entity AND p.vals <> ''
			AND COALESCE(p.record, p.source_id) = COALESCE(o.record, o.source_id) AND p.hash <> 0 AND p.connection_id <> o.connection_id)
		OR (o.vals IS '' AND EXISTS (SELECT 1 FROM origins p WHERE p.connection_id IN (`+strings.Join(conns, ", ")+`) AND p.entity = o.entity
			AND p.source_id = o.source_id AND p.record IS NULL AND p.hash <> 0 AND p.connection_id <> o.connection_id)), COUNT(*)
		FROM origins o WHERE o.connection_id = ? AND o.hash <> 0 GROUP BY 1, 2`, connectionID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		var shared bool
		var n int
		if err := rows.Scan(&e, &shared, &n); err != nil {
			return out, err
		}
		if shared {
			out.Shared[roster.Entity(e)] += n
		} else {
			out.Only[roster.Entity(e)] += n
		}
	}
	return out, rows.Err()
}

// boolRank orders true after false.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
