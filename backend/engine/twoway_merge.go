package engine

import (
	"errors"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// syncSides are the three sides of a sync, each read entity by entity in sourcedId order.
type syncSides struct {
	roster   func(roster.Entity) iter.Seq2[rosterRow, error]
	external func(roster.Entity) iter.Seq2[roster.Record, error]
	baseline func(roster.Entity) iter.Seq2[baseHash, error]
	loadBase func(roster.Entity, string) (*roster.Record, error) // a record's baseline values
	v11      bool                                                // the connection's package is OneRoster 1.1
}

// rosterRow is a record of the roster side: a live record the connection's export would send, or
// one the roster deleted (dated by its deletion, for the policy newest).
type rosterRow struct {
	rec     roster.Record
	deleted bool
}

// baseHash is the content hash of a record's baseline.
type baseHash struct {
	id   string
	hash int64
}

// userRoles gives a user's role from the role records of both sides, for entity tasks by kind of
// user: the primary one, else any.
type userRoles map[string]string

func (u userRoles) add(rec roster.Record) {
	if id := rec.Get("userSourcedId"); u[id] == "" || rec.Get("roleType") == "primary" {
		u[id] = rec.Get("role")
	}
}

func (u userRoles) of(user string) string { return u[user] }

// carried11 are the users columns a OneRoster 1.1 file has.
var carried11 = func() map[string]bool {
	out := map[string]bool{}
	for _, c := range roster.Users11Columns {
		out[c] = true
	}
	return out
}()

// fit11 makes a record of a OneRoster 1.1 package comparable with the roster's w, where it holds
// less: a 1.1 user row has no column for some fields (those take the roster's values: the package
// cannot change them), and carries its orgs and role in place of roles records (a role is known by
// its user and org, not by an id of its own — rekey11 gave it the roster's — and only its role can
// differ; the roster's role keeps its id and its other fields).
func fit11(w, x roster.Record) roster.Record {
	switch w.Entity {
	case roster.Users:
		for i, c := range roster.Schema(roster.Users).Columns {
			if !carried11[c.Name] {
				x.Values[i] = w.Values[i]
			}
		}
	case roster.Roles:
		if w.Get("userSourcedId") == x.Get("userSourcedId") && w.Get("orgSourcedId") == x.Get("orgSourcedId") {
			role := clone(w)
			role.Set("role", x.Get("role"))
			role.Values[1], role.Values[2] = x.Values[1], x.Values[2]
			return role
		}
	}
	return x
}

// merge is the three-way comparison of one sync: what each side becomes, counted and logged. What
// it decides for every record goes to spools: the roster's changes, everything the connection
// holds after the sync (in the order its package lists them), and the new baseline.
type merge struct {
	name, policy string
	initial      string // the starting truth of a first sync, else ""
	open         map[string]store.SyncConflict
	settled      map[string]bool // open conflicts this sync met again
	tasks        tasks
	role         func(string) string
	in           syncSides
	deletedAt    string // when the roster deleted the record being merged, if it did
	err          error  // reading the baseline or writing a spool failed

	roster, external map[roster.Entity]*store.EntityCounts
	held             map[string]map[roster.Entity]int // records each side holds (roster, external), for the safety hold
	log              *outcomes
	toRoster         *spool // a record to create (flag), or whose values or status (tobedeleted: deleted) change
	out              *spool // everything the connection holds after the sync
	outMeta          map[roster.Entity]map[string]bool
	baseline         *spool // the new baselines: flag gone (only the sourcedId), hash
	waiting          []store.SyncConflict
	applied          []int64 // open conflicts whose choice this sync applies, or that the sides settled
	extChanges       int
}

// newMerge returns a merge whose spools are in dir, removed by close.
func newMerge(name, policy, initial string, open []store.SyncConflict, work tasks, role func(string) string, in syncSides, dir string) (*merge, error) {
	m := &merge{name: name, policy: policy, initial: initial, open: map[string]store.SyncConflict{}, settled: map[string]bool{},
		tasks: work, role: role, in: in, roster: newCounts(), external: newCounts(), log: &outcomes{},
		held: map[string]map[roster.Entity]int{"roster": {}, "external": {}}, outMeta: map[roster.Entity]map[string]bool{}}
	for _, c := range open {
		m.open[c.Key] = c
	}
	var err error
	for _, sp := range []**spool{&m.toRoster, &m.out, &m.baseline} {
		if *sp, err = newSpool(dir, "sync"); err != nil {
			m.close()
			return nil, err
		}
	}
	return m, nil
}

func (m *merge) close() {
	for _, sp := range []*spool{m.toRoster, m.out, m.baseline} {
		if sp != nil {
			sp.close()
		}
	}
}

// run merges every record of either side or of the baseline, entity by entity in sourcedId order.
func (m *merge) run() error {
	for _, ent := range roster.Entities {
		if err := m.entity(ent); err != nil {
			return err
		}
	}
	m.settle()
	return nil
}

// settle marks the open conflicts this sync did not meet again as applied: the sides agree by now,
// or the record is gone from both.
func (m *merge) settle() {
	for key, c := range m.open {
		if !m.settled[key] && m.tasks.has(roster.Entity(c.Entity)) {
			m.applied = append(m.applied, c.ID)
		}
	}
}

// entity merges the records of ent: a join of the three sides on sourcedId.
func (m *merge) entity(ent roster.Entity) error {
	ws := newCursor(m.in.roster(ent), func(r rosterRow) string { return r.rec.SourcedID() })
	defer ws.stop()
	ext := newCursor(m.in.external(ent), roster.Record.SourcedID)
	defer ext.stop()
	base := newCursor(m.in.baseline(ent), func(b baseHash) string { return b.id })
	defer base.stop()
	for m.err == nil && ws.err == nil && ext.err == nil && base.err == nil {
		id, ok := lowest(ws.head, ext.head, base.head)
		if !ok {
			break
		}
		var w, x *roster.Record
		var bh int64
		m.deletedAt = ""
		if ws.at(id) {
			if r := ws.cur; r.deleted {
				m.deletedAt = r.rec.DateLastModified()
			} else {
				w = &r.rec
				m.held["roster"][ent]++
			}
			ws.advance()
		}
		if ext.at(id) {
			r := ext.cur
			x = &r
			m.held["external"][ent]++
			ext.advance()
		}
		if base.at(id) {
			bh = base.cur.hash
			base.advance()
		}
		if m.in.v11 && w != nil && x != nil {
			*x = fit11(*w, *x)
		}
		m.key(ent, id, w, x, bh)
	}
	return errors.Join(m.err, ws.err, ext.err, base.err)
}

// key merges the record of ent with sourcedId id, when the sync's entity tasks take it.
func (m *merge) key(ent roster.Entity, id string, w, x *roster.Record, bh int64) {
	rec := firstOf(w, x)
	if rec == nil {
		if rec = m.baseRecord(ent, id, bh); rec == nil {
			return
		}
	}
	if !m.tasks.keepsRecord(*rec, m.role) {
		if x != nil { // not this sync's: the connection keeps it as it is
			m.putOut(*x)
		}
		return
	}
	m.record(ent, id, w, x, bh)
}

// baseRecord reads the values of a record's baseline; nil when it has none (bh 0) or reading failed
// (m.err says why).
func (m *merge) baseRecord(ent roster.Entity, id string, bh int64) *roster.Record {
	if bh == 0 || m.err != nil {
		return nil
	}
	rec, err := m.in.loadBase(ent, id)
	if err != nil {
		m.err = err
	}
	return rec
}

// put adds e to a spool; a failure ends the merge.
func (m *merge) put(sp *spool, e entry) {
	if m.err == nil {
		m.err = sp.put(e)
	}
}

// putOut adds a record the connection holds after the sync.
func (m *merge) putOut(rec roster.Record) {
	meta := m.outMeta[rec.Entity]
	if meta == nil {
		meta = map[string]bool{}
		m.outMeta[rec.Entity] = meta
	}
	for _, kv := range rec.Metadata {
		meta[kv.Name] = true
	}
	m.put(m.out, entry{rec: rec})
}

// firstOf is the first record that is there.
func firstOf(recs ...*roster.Record) *roster.Record {
	for _, r := range recs {
		if r != nil {
			return r
		}
	}
	return nil
}

// record merges one record: w the roster's, x the connection's (nil where missing), bh the content
// hash of its baseline (0: none); the baseline's values are read only where a field is compared.
func (m *merge) record(ent roster.Entity, id string, w, x *roster.Record, bh int64) {
	var toR, toX *roster.Record // what the roster and the connection hold after the sync
	keepBase := false           // a conflict waits: the baseline stays, so it is met again
	switch {
	case m.initial == store.SideWorkspace:
		toR, toX = w, w
	case m.initial == store.SideExternal:
		toR, toX = x, x
	case w != nil && x != nil && sameContent(w, x):
		toR, toX = w, x
	case w != nil && x != nil:
		toR, toX = m.fields(ent, id, *w, *x, m.baseRecord(ent, id, bh))
	case bh == 0: // created on one side
		toR, toX = firstOf(w, x), firstOf(w, x)
	case w == nil && x == nil: // deleted on both
	case x == nil && contentHash(*w) == bh, w == nil && contentHash(*x) == bh: // deleted on one side, unchanged on the other
	default: // deleted on one side, changed on the other
		switch m.decide(ent, id, "", w, x, m.baseRecord(ent, id, bh)) {
		case store.SideWorkspace:
			toR, toX = w, w
		case store.SideExternal:
			toR, toX = x, x
		default:
			toR, toX, keepBase = w, x, true
		}
	}
	m.account(ent, id, w, x, bh, toR, toX, keepBase)
}

// fields merges a record both sides have, field by field; b is nil for a record both created.
func (m *merge) fields(ent roster.Entity, id string, w, x roster.Record, b *roster.Record) (toR, toX *roster.Record) {
	r, o := clone(w), clone(w)
	fromExt := false
	for _, f := range fieldNames(&w, &x, b) {
		wv, xv, bv := field(&w, f), field(&x, f), field(b, f)
		switch {
		case wv == xv, xv == bv: // the same on both sides, or changed in the roster only
			continue
		case wv == bv: // changed on the connection only
		default:
			switch m.decide(ent, id, f, &w, &x, b) {
			case store.SideWorkspace:
				continue
			case "": // waits: each side keeps its value
				setField(&o, f, xv)
				continue
			}
		}
		setField(&r, f, xv)
		setField(&o, f, xv)
		fromExt = true
	}
	if fromExt {
		r.Values[2] = x.DateLastModified() // blank: the time of the sync
	}
	return &r, &o
}

// decide resolves a conflict of field (or of the whole record, field "") by the policy: the side
// taken, or "" when it waits for a registrar's choice.
func (m *merge) decide(ent roster.Entity, id, f string, w, x, b *roster.Record) string {
	wv, xv := sideValue(w, f), sideValue(x, f)
	take, why, chooser := store.SideWorkspace, outcome.ConflictRosterWins, ""
	switch m.policy {
	case PolicyExternal:
		take, why = store.SideExternal, outcome.ConflictExternalWins
	case PolicyNewest:
		take, why = m.newest(ent, id, w, x)
	case PolicyAsk:
		key := store.ConflictKey(string(ent), f, id)
		m.settled[key] = true
		c, open := m.open[key]
		if !open || c.Resolution == "" || c.WorkspaceGone != (w == nil) || c.ExternalGone != (x == nil) || c.Workspace != fieldOr(w, f) || c.External != fieldOr(x, f) {
			m.waiting = append(m.waiting, store.SyncConflict{Entity: string(ent), SourcedID: id, Field: f, Baseline: fieldOr(b, f),
				Workspace: fieldOr(w, f), External: fieldOr(x, f), WorkspaceGone: w == nil, ExternalGone: x == nil})
			m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionConflict, Status: "skipped", Field: f,
				Reason: outcome.ConflictWaiting, Before: wv, After: xv})
			return ""
		}
		m.applied = append(m.applied, c.ID)
		take, why, chooser = c.Resolution, outcome.ConflictChoseRoster, c.ResolvedBy
		if take == store.SideExternal {
			why = outcome.ConflictChoseExternal
		}
	}
	m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionConflict, Status: "ok", Field: f,
		Reason: why, Before: wv, After: xv, Message: chooser})
	return take
}

// newest is the policy newest: the side whose record was modified later (a bulk file's record by
// when its file was written); a tie, or dates missing, keeps the roster's. A record deleted in the
// roster is dated by its deletion; one deleted on the connection has no date there, so the change
// wins.
func (m *merge) newest(ent roster.Entity, id string, w, x *roster.Record) (string, string) {
	var wd, xd string
	switch {
	case w == nil:
		wd = m.deletedAt
	case x == nil:
		return store.SideWorkspace, outcome.ConflictRosterAfter
	default:
		wd = w.DateLastModified()
	}
	if x != nil {
		xd = x.DateLastModified()
	}
	if xd > wd { // both written YYYY-MM-DDTHH:MM:SS.sssZ by the reader and the roster
		return store.SideExternal, outcome.ConflictExternalNewer
	}
	return store.SideWorkspace, outcome.ConflictRosterNewer
}

// account counts and logs what the sync does to each side for one record, queues the roster's
// change and the connection's record, and works out the record's new baseline: the values both
// sides hold, and the baseline's own where a conflict waits.
func (m *merge) account(ent roster.Entity, id string, w, x *roster.Record, bh int64, toR, toX *roster.Record, keepBase bool) {
	rc, xc := m.roster[ent], m.external[ent]
	switch {
	case w == nil && toR != nil:
		rc.Created++
		m.put(m.toRoster, entry{rec: *toR, flag: true})
	case w != nil && toR == nil:
		rc.Deleted++
		gone := clone(*w)
		gone.Values[1], gone.Values[2] = string(roster.StatusToBeDeleted), ""
		m.put(m.toRoster, entry{rec: gone})
		m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionDelete, Status: "ok", Reason: outcome.DeletedAtExternal})
	case w != nil && !sameContent(w, toR):
		rc.Updated++
		m.put(m.toRoster, entry{rec: *toR})
		m.log.updated(*w, *toR)
	case w != nil:
		rc.Unchanged++
	}
	switch {
	case x == nil && toX != nil: // counted only, as an export counts what it creates
		xc.Created++
		m.extChanges++
	case x != nil && toX == nil:
		xc.Deleted++
		m.extChanges++
		m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionDelete, Status: "ok", Reason: outcome.DeletedFromExternal})
	case x != nil && !sameContent(x, toX):
		xc.Updated++
		m.extChanges++
		for _, f := range fieldNames(x, toX) {
			if before, after := field(x, f), field(toX, f); before != after {
				m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionUpdate, Status: "ok", Field: f,
					Reason: outcome.ChangedAtExternal, Before: before, After: after})
			}
		}
	case x != nil:
		xc.Unchanged++
	}
	if toX != nil {
		m.putOut(*toX)
	}
	switch {
	case keepBase:
	case toR == nil || toX == nil:
		if bh != 0 {
			m.put(m.baseline, entry{rec: roster.Record{Entity: ent, Values: []string{id}}, flag: true})
		}
	case sameContent(toR, toX):
		if h := contentHash(*toR); h != bh {
			m.setBaseline(*toR, h)
		}
	default: // fields wait for a choice: their baseline stays
		both, b := clone(*toR), m.baseRecord(ent, id, bh)
		for _, f := range fieldNames(toR, toX) {
			if field(toR, f) != field(toX, f) {
				setField(&both, f, field(b, f))
			}
		}
		if h := contentHash(both); h != bh {
			m.setBaseline(both, h)
		}
	}
}

// setBaseline queues the new baseline of a record, of content hash h.
func (m *merge) setBaseline(rec roster.Record, h int64) {
	m.put(m.baseline, entry{rec: rec, hash: h})
}

// externalChanged says whether the connection's data must be written.
func (m *merge) externalChanged() bool { return m.extChanges > 0 }

// summary is the run's message: what changed on each side and the conflicts.
func (m *merge) summary() string {
	msg := "Roster: " + summary(countsOut(m.roster)) + " " + m.name + ": " + summary(countsOut(m.external))
	if n := len(m.waiting); n > 0 {
		msg += words.Sprintf(" %d conflicts wait for a choice under Integrations.", n)
	}
	return msg
}

// fieldNames are the fields a sync compares: every column but sourcedId, status and
// dateLastModified, then the extension columns of any of the records as metadata.NAME.
func fieldNames(recs ...*roster.Record) []string {
	var ent roster.Entity
	meta := map[string]bool{}
	for _, rec := range recs {
		if rec == nil {
			continue
		}
		ent = rec.Entity
		for _, kv := range rec.Metadata {
			meta[kv.Name] = true
		}
	}
	var out []string
	for _, c := range roster.Schema(ent).Columns[3:] {
		out = append(out, c.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(meta)) {
		out = append(out, metaPrefix+name)
	}
	return out
}

const metaPrefix = "metadata."

// field is a record's value of a field named as fieldNames names it; blank for no record.
func field(rec *roster.Record, f string) string {
	if rec == nil {
		return ""
	}
	if name, ok := strings.CutPrefix(f, metaPrefix); ok {
		for _, kv := range rec.Metadata {
			if kv.Name == name {
				return kv.Value
			}
		}
		return ""
	}
	return rec.Get(f)
}

// fieldOr is field, or for a whole record ("") its values as text.
func fieldOr(rec *roster.Record, f string) string {
	if f != "" || rec == nil {
		return field(rec, f)
	}
	return strings.Join(rec.Values[3:], ", ")
}

// sideValue is a side's value of a conflicting field for its run record: the value, or for a whole
// record outcome.Deleted or outcome.Whole.
func sideValue(rec *roster.Record, f string) string {
	if rec == nil {
		return outcome.Deleted
	}
	if f == "" {
		return outcome.Whole
	}
	return field(rec, f)
}

func setField(rec *roster.Record, f, v string) {
	name, ok := strings.CutPrefix(f, metaPrefix)
	if !ok {
		rec.Set(f, v)
		return
	}
	rec.Metadata = slices.DeleteFunc(rec.Metadata, func(kv roster.MetadataValue) bool { return kv.Name == name })
	if v != "" {
		rec.Metadata = append(rec.Metadata, roster.MetadataValue{Name: name, Value: v})
		sortMetadata(rec)
	}
}

// sortMetadata puts a record's extension columns in name order, so that content hashes of the two
// sides compare values, not the order their files list the columns in.
func sortMetadata(rec *roster.Record) {
	slices.SortFunc(rec.Metadata, func(a, b roster.MetadataValue) int { return strings.Compare(a.Name, b.Name) })
}

func clone(rec roster.Record) roster.Record {
	return roster.Record{Entity: rec.Entity, Values: slices.Clone(rec.Values), Metadata: slices.Clone(rec.Metadata)}
}

// sameContent compares two records' content (not status or dateLastModified).
func sameContent(a, b *roster.Record) bool {
	return a != nil && b != nil && contentHash(*a) == contentHash(*b)
}
