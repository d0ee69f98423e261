package engine

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// records are one side's records of a sync, by entity and sourcedId.
type records map[roster.Entity]map[string]roster.Record

// newRecords returns records with room for sizes records of each entity.
func newRecords(sizes map[roster.Entity]int) records {
	r := records{}
	for _, ent := range roster.Entities {
		r[ent] = make(map[string]roster.Record, sizes[ent])
	}
	return r
}

func (r records) put(rec roster.Record) {
	if r[rec.Entity] == nil {
		r[rec.Entity] = map[string]roster.Record{}
	}
	r[rec.Entity][rec.SourcedID()] = rec
}

func (r records) get(ent roster.Entity, id string) *roster.Record {
	if rec, ok := r[ent][id]; ok {
		return &rec
	}
	return nil
}

func (r records) empty() bool {
	for _, m := range r {
		if len(m) > 0 {
			return false
		}
	}
	return true
}

// counts are the records per entity, for the safety hold.
func (r records) counts() map[roster.Entity]int {
	out := map[roster.Entity]int{}
	for ent, m := range r {
		out[ent] = len(m)
	}
	return out
}

// roles gives a user's role from the role records of both sides, for entity tasks by kind of user.
func roles(sides ...records) func(string) string {
	role := map[string]string{}
	for _, side := range sides {
		for _, rec := range side[roster.Roles] {
			if u := rec.Get("userSourcedId"); role[u] == "" || rec.Get("roleType") == "primary" {
				role[u] = rec.Get("role")
			}
		}
	}
	return func(user string) string { return role[user] }
}

// fit11 makes a OneRoster 1.1 package comparable with the roster, where it holds less: a 1.1 user
// row has no column for some fields (those take the roster's values: the package cannot change
// them), and carries its orgs and role in place of roles records (a role is known by its user and
// org, not by an id of its own, and only its role can differ; the roster's role keeps its id and
// its other fields).
func fit11(ws, ext records) {
	carried := map[string]bool{}
	for _, c := range roster.Users11Columns {
		carried[c] = true
	}
	for id, x := range ext[roster.Users] {
		if w, ok := ws[roster.Users][id]; ok {
			for i, c := range roster.Schema(roster.Users).Columns {
				if !carried[c.Name] {
					x.Values[i] = w.Values[i]
				}
			}
		}
	}
	type pair struct{ user, org string }
	mine := map[pair]roster.Record{}
	for _, w := range ws[roster.Roles] {
		mine[pair{w.Get("userSourcedId"), w.Get("orgSourcedId")}] = w
	}
	roles := make(map[string]roster.Record, len(ext[roster.Roles]))
	for _, x := range ext[roster.Roles] {
		if w, ok := mine[pair{x.Get("userSourcedId"), x.Get("orgSourcedId")}]; ok {
			role := clone(w)
			role.Set("role", x.Get("role"))
			role.Values[1], role.Values[2] = x.Values[1], x.Values[2]
			x = role
		}
		roles[x.SourcedID()] = x
	}
	ext[roster.Roles] = roles
}

// rosterView is the roster side of a sync: the records the connection's export would send, and when
// records it no longer sends were deleted in the roster (for the policy newest).
type rosterView struct {
	records   records
	deletedAt map[roster.Entity]map[string]string
}

// rosterChange is what a sync does to a record of the roster: creates it, or edits its values or
// status (tobedeleted for a deletion).
type rosterChange struct {
	rec    roster.Record
	create bool
}

// merge is the three-way comparison of one sync: what each side becomes, counted and logged.
type merge struct {
	name, policy string
	initial      string // the starting truth of a first sync, else ""
	open         map[string]store.SyncConflict
	settled      map[string]bool // open conflicts this sync met again
	tasks        tasks
	role         func(string) string
	ws           rosterView
	ext          records
	base         map[roster.Entity]map[string]int64 // the baseline's content hashes
	loadBase     func(roster.Entity, string) (*roster.Record, error)
	err          error // reading the baseline failed

	roster, external map[roster.Entity]*store.EntityCounts
	log              *outcomes
	toRoster         []rosterChange // in roster.Entities order
	out              records        // everything the connection holds after the sync
	baseline         []store.BaselineRow
	dropped          []store.BaselineRow // only Entity and SourcedID
	waiting          []store.SyncConflict
	applied          []int64 // open conflicts whose choice this sync applies, or that the sides settled
	extChanges       int
}

func newMerge(name, policy, initial string, open []store.SyncConflict, work tasks, ws rosterView, ext records,
	base map[roster.Entity]map[string]int64, loadBase func(roster.Entity, string) (*roster.Record, error)) *merge {
	m := &merge{name: name, policy: policy, initial: initial, open: map[string]store.SyncConflict{}, settled: map[string]bool{},
		tasks: work, role: roles(ws.records, ext), ws: ws, ext: ext, base: base, loadBase: loadBase,
		roster: newCounts(), external: newCounts(), log: &outcomes{}, out: newRecords(ext.counts())}
	for _, c := range open {
		m.open[c.Key] = c
	}
	return m
}

// run merges every record of either side or of the baseline, entity by entity: the roster's, then
// the connection's it lacks, then the baseline's neither has.
func (m *merge) run() error {
	for _, ent := range roster.Entities {
		ws, ext, base := m.ws.records[ent], m.ext[ent], m.base[ent]
		for id := range ws {
			m.key(ent, id)
		}
		for id := range ext {
			if _, seen := ws[id]; !seen {
				m.key(ent, id)
			}
		}
		for id := range base {
			_, inWS := ws[id]
			if _, inExt := ext[id]; !inWS && !inExt {
				m.key(ent, id)
			}
		}
		if m.err != nil {
			return m.err
		}
	}
	for key, c := range m.open {
		if !m.settled[key] && m.tasks.has(roster.Entity(c.Entity)) {
			m.applied = append(m.applied, c.ID) // the sides agree by now, or the record is gone from both
		}
	}
	return nil
}

// key merges the record of ent with sourcedId id, when the sync's entity tasks take it.
func (m *merge) key(ent roster.Entity, id string) {
	w, x, bh := m.ws.records.get(ent, id), m.ext.get(ent, id), m.base[ent][id]
	rec := firstOf(w, x)
	if rec == nil {
		if rec = m.baseRecord(ent, id, bh); rec == nil {
			return
		}
	}
	if !m.tasks.keepsRecord(*rec, m.role) {
		if x != nil { // not this sync's: the connection keeps it as it is
			m.out.put(*x)
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
	rec, err := m.loadBase(ent, id)
	if err != nil {
		m.err = err
	}
	return rec
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
	wv, xv := sideText(w, f), sideText(x, f)
	take, why := store.SideWorkspace, "the workspace wins"
	switch m.policy {
	case PolicyExternal:
		take, why = store.SideExternal, m.name+" wins"
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
				Message: fmt.Sprintf("roster %s, %s %s: both changed it; waiting for a choice under Integrations, each side keeps its own meanwhile", wv, m.name, xv)})
			return ""
		}
		m.applied = append(m.applied, c.ID)
		take, why = c.Resolution, "chosen by "+c.ResolvedBy
	}
	kept := "the roster's"
	if take == store.SideExternal {
		kept = m.name + "'s"
	}
	m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionConflict, Status: "ok", Field: f,
		Message: fmt.Sprintf("roster %s, %s %s: both changed it; took %s (%s)", wv, m.name, xv, kept, why)})
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
		wd = m.ws.deletedAt[ent][id]
	case x == nil:
		return store.SideWorkspace, "the roster changed it after " + m.name + " deleted it"
	default:
		wd = w.DateLastModified()
	}
	if x != nil {
		xd = x.DateLastModified()
	}
	if xd > wd { // both written YYYY-MM-DDTHH:MM:SS.sssZ by the reader and the roster
		return store.SideExternal, m.name + "'s is newer"
	}
	return store.SideWorkspace, "the roster's is newer or as new"
}

// account counts and logs what the sync does to each side for one record, queues the roster's
// change and the connection's record, and works out the record's new baseline: the values both
// sides hold, and the baseline's own where a conflict waits.
func (m *merge) account(ent roster.Entity, id string, w, x *roster.Record, bh int64, toR, toX *roster.Record, keepBase bool) {
	rc, xc := m.roster[ent], m.external[ent]
	switch {
	case w == nil && toR != nil:
		rc.Created++
		m.toRoster = append(m.toRoster, rosterChange{rec: *toR, create: true})
	case w != nil && toR == nil:
		rc.Deleted++
		gone := clone(*w)
		gone.Values[1], gone.Values[2] = string(roster.StatusToBeDeleted), ""
		m.toRoster = append(m.toRoster, rosterChange{rec: gone})
		m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionDelete, Status: "ok", Message: "deleted in " + m.name})
	case w != nil && !sameContent(w, toR):
		rc.Updated++
		m.toRoster = append(m.toRoster, rosterChange{rec: *toR})
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
		m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionDelete, Status: "ok", Message: "deleted from " + m.name})
	case x != nil && !sameContent(x, toX):
		xc.Updated++
		m.extChanges++
		for _, f := range fieldNames(x, toX) {
			if before, after := field(x, f), field(toX, f); before != after {
				m.log.add(store.RunRecord{Entity: string(ent), SourcedID: id, Action: ActionUpdate, Status: "ok", Field: f,
					Message: "in " + m.name + ": " + change(before, after)})
			}
		}
	case x != nil:
		xc.Unchanged++
	}
	if toX != nil {
		m.out.put(*toX)
	}
	switch {
	case keepBase:
	case toR == nil || toX == nil:
		if bh != 0 {
			m.dropped = append(m.dropped, store.BaselineRow{Entity: ent, SourcedID: id})
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
	v := reconcile.Of(rec) // a copy
	v.V[1], v.V[2] = "", ""
	m.baseline = append(m.baseline, store.BaselineRow{Entity: rec.Entity, SourcedID: rec.SourcedID(), Values: v, Hash: h})
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

// sideText is a side's value for people: quoted, (blank) or (deleted).
func sideText(rec *roster.Record, f string) string {
	if rec == nil {
		return "(deleted)"
	}
	if f == "" {
		return "changed"
	}
	return quote(field(rec, f))
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
