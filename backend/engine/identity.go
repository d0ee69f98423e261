package engine

import (
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Which roster record a source's record is (SPEC §1, §3 ids): the record another source brought in
// under the same id, or a record of its own; and its references written as roster ids.

// renamedFrom is a record's source id when it is not its roster id, else "".
func renamedFrom(sourceID, record string) string {
	if sourceID == record {
		return ""
	}
	return sourceID
}

// identify finds the roster record of a record this connection sends for the first time (place)
// and, for a new one, takes its id.
func (a *applier) identify(ent roster.Entity, id string) (record string, joins bool, err error) {
	if record, joins, err = a.place(ent, id); err != nil || joins {
		return record, joins, err
	}
	if ids := a.ids[ent]; ids != nil {
		ids.Taken[strings.Clone(record)] = store.Held{By: store.HeldMine} // not a slice of the file's line, kept alive by the map
	}
	if record != id {
		names, err := a.names(ent)
		if err != nil {
			return "", false, err
		}
		names[id] = record
	}
	return record, false, nil
}

// place says which roster record a record this connection has not sent before is: with shared ids,
// the record another source (or a removed one) brought in under the same id; else a new record,
// under the source's id unless another record has it (then the id with "~" and this connection's
// number, so that no two records share an id and none is overwritten). Demographics have the id of
// their user. It takes nothing, so references to records later in the file resolve the same way.
func (a *applier) place(ent roster.Entity, id string) (record string, joins bool, err error) {
	record = id
	if ent == roster.Demographics {
		users, err := a.names(roster.Users)
		if err != nil {
			return "", false, err
		}
		if r, ok := users[id]; ok {
			record = r
		}
	}
	ids := a.ids[ent]
	if ids == nil {
		return record, false, nil
	}
	held, taken := ids.Taken[record]
	holder := held.By
	if !a.tx.Own() {
		if r, ok := ids.Renamed[record]; ok {
			return r, true, nil
		}
		if taken && holder == store.HeldShared {
			return record, true, nil
		}
	}
	if !taken || holder == store.HeldMine {
		return record, false, nil
	}
	base := record
	for n := 1; ; n++ {
		record = fmt.Sprintf("%s~%d", base, a.tx.ConnectionID())
		if n > 1 {
			record += fmt.Sprintf(".%d", n)
		}
		if h, taken := ids.Taken[record]; !taken || h.By == store.HeldMine {
			return record, false, nil
		}
	}
}

// translate writes a record's references as roster ids, where this connection's ids differ from them,
// and a reference to a user kept as the redundant secondary of a merge as one to its primary.
func (a *applier) translate(rec roster.Record) error {
	for i, col := range roster.Schema(rec.Entity).Columns {
		if (col.Kind != roster.Ref && col.Kind != roster.RefList) || rec.Values[i] == "" {
			continue
		}
		names, err := a.names(col.Target)
		if err != nil {
			return err
		}
		redirect, err := a.redirected(col.Target)
		if err != nil {
			return err
		}
		// Usually every id of that entity is its roster id (always on a first import); with shared ids,
		// only a record of own-ids sources alone would put a reference elsewhere.
		same := false
		if ids, loaded := a.ids[col.Target]; loaded && len(names) == 0 && (ids == nil || !a.tx.Own() && ids.Owned == 0) {
			if same = true; len(redirect) == 0 {
				continue
			}
		}
		parts := []string{rec.Values[i]}
		if col.Kind == roster.RefList {
			parts = strings.Split(rec.Values[i], ",")
		}
		for j, p := range parts {
			id, r := strings.TrimSpace(p), strings.TrimSpace(p)
			if !same {
				if r, err = a.resolve(col.Target, id); err != nil {
					return err
				}
			}
			if to, ok := redirect[r]; ok {
				r = to
			}
			if r != id {
				parts[j] = r
			}
		}
		rec.Values[i] = strings.Join(parts, ",")
	}
	return nil
}

// redirected returns (loading on first use) the users kept as redundant secondaries of merges, with
// their primaries; nil for other entities.
func (a *applier) redirected(ent roster.Entity) (map[string]string, error) {
	if ent != roster.Users {
		return nil, nil
	}
	if a.redirects == nil {
		m, err := a.tx.Redirects()
		if err != nil {
			return nil, err
		}
		a.redirects = m
	}
	return a.redirects, nil
}

// resolve is the roster id of the record of entity ent this connection calls id: renamed earlier or
// in this run, or — for a record of the entity being imported, which may come later in the file —
// where place would put it.
func (a *applier) resolve(ent roster.Entity, id string) (string, error) {
	names, err := a.names(ent)
	if err != nil {
		return "", err
	}
	if r, ok := names[id]; ok { // every renamed origin is here, the known ones too
		return r, nil
	}
	if _, loaded := a.ids[ent]; !loaded { // an entity this run has no file of
		mine, err := a.tx.Origins(ent)
		if err != nil {
			return "", err
		}
		if a.ids[ent], err = a.identities(ent, mine); err != nil {
			return "", err
		}
	}
	if a.ids[ent] == nil {
		return id, nil
	}
	r, _, err := a.place(ent, id)
	return r, err
}

// names returns (loading on first use) the ids of an entity this connection has under other roster ids.
func (a *applier) names(ent roster.Entity) (map[string]string, error) {
	if m, ok := a.renamed[ent]; ok {
		return m, nil
	}
	m, err := a.tx.Renamed(ent)
	a.renamed[ent] = m
	return m, err
}

// identities loads the roster ids of an entity (mine: this connection's origins of it) when the
// roster holds records of it this connection did not bring in; nil when it holds none.
func (a *applier) identities(ent roster.Entity, mine store.Origins) (*store.Identities, error) {
	size, err := a.tx.RosterSize(ent)
	if err != nil || size <= mine.Len() {
		return nil, err
	}
	ids, err := a.tx.Identities(ent, size)
	if err != nil {
		return nil, err
	}
	mine.Each(func(id string, x store.Origin) error {
		ids.Taken[x.RecordID(id)] = store.Held{By: store.HeldMine}
		return nil
	})
	return &ids, nil
}

// referenced are the entities some column refers to.
var referenced = func() map[roster.Entity]bool {
	out := map[roster.Entity]bool{}
	for _, e := range roster.Entities {
		for _, c := range roster.Schema(e).Columns {
			if c.Kind == roster.Ref || c.Kind == roster.RefList {
				out[c.Target] = true
			}
		}
	}
	return out
}()
