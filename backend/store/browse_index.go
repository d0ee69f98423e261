package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// SearchIndex keeps in memory, for the roster browser's search, the searched columns of every record
// of the entities searched lately (lower-cased, in sourcedId order). A substring search in SQL reads
// the whole table when few records match (70 ms for 135,000 users, more than half the time a
// registrar allows between a keystroke and the rows); here it takes a few milliseconds and the query
// then reads only the records found. An index is current while no run has changed the roster since it was
// read (RosterVersion); a stale or missing one is read again in the
// background, the search meanwhile running in SQL. An index not used for a few minutes is dropped.
type SearchIndex struct {
	mu       sync.Mutex
	lists    map[string]*searchList // by entity and searched columns
	building map[string]bool
	sweeping bool
}

type searchList struct {
	stamp string
	large bool     // more records than maxIndexed: searched in SQL
	ids   []string // sourcedId order
	texts []string // the searched values of ids[i], lower-cased, separated by \x00
	used  time.Time
}

const (
	// maxIndexed keeps the largest tables (624,000 enrollments in a 100,000-student district) out of
	// memory: about 100 bytes a record.
	maxIndexed = 300_000
	// narrowMax: a search matching more records is left to SQL, which stops at the first page of them.
	narrowMax   = 5000
	forgetAfter = 5 * time.Minute
)

// Narrow returns q with its search replaced by the sourcedIds of the records it matches, when the
// index of its entity is current and they are at most narrowMax; otherwise q as it is.
func (x *SearchIndex) Narrow(ctx context.Context, s *Store, q RosterQuery) RosterQuery {
	if q.Search == "" || len(q.In) == 0 || q.IDs != nil {
		return q
	}
	stamp, err := s.RosterVersion(ctx)
	if err != nil {
		return q
	}
	key := string(q.Entity) + "\x00" + strings.Join(q.In, "\x00")
	x.mu.Lock()
	list := x.lists[key]
	if list == nil || list.stamp != stamp {
		if !x.building[key] {
			if x.building == nil {
				x.building = map[string]bool{}
			}
			x.building[key] = true
			go x.build(s, key, q.Entity, q.In, stamp)
		}
		x.mu.Unlock()
		return q
	}
	list.used = time.Now()
	x.mu.Unlock()
	if list.large {
		return q
	}
	term := strings.ToLower(q.Search)
	ids := []string{}
	for i, text := range list.texts {
		if strings.Contains(text, term) {
			if ids = append(ids, list.ids[i]); len(ids) > narrowMax {
				return q
			}
		}
	}
	q.Search, q.IDs = "", ids
	return q
}

// build reads the searched columns of entity e.
func (x *SearchIndex) build(s *Store, key string, e roster.Entity, in []string, stamp string) {
	list := &searchList{stamp: stamp, used: time.Now()}
	err := s.EachRoster(context.Background(), RosterQuery{Entity: e, Columns: append([]string{"sourcedId"}, in...)}, func(row []string) error {
		if len(list.ids) == maxIndexed {
			list.large, list.ids, list.texts = true, nil, nil
			return errStopIndex
		}
		list.ids = append(list.ids, row[0])
		list.texts = append(list.texts, strings.ToLower(strings.Join(row[1:], "\x00")))
		return nil
	})
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.building, key)
	if err != nil && !errors.Is(err, errStopIndex) {
		return // searched in SQL; the next search tries again
	}
	if x.lists == nil {
		x.lists = map[string]*searchList{}
	}
	x.lists[key] = list
	if !x.sweeping {
		x.sweeping = true
		time.AfterFunc(forgetAfter, x.sweep)
	}
}

var errStopIndex = errors.New("too many records to index")

// sweep drops the indexes not used for forgetAfter, and comes back while some are kept.
func (x *SearchIndex) sweep() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for key, list := range x.lists {
		if time.Since(list.used) >= forgetAfter {
			delete(x.lists, key)
		}
	}
	if x.sweeping = len(x.lists) > 0; x.sweeping {
		time.AfterFunc(forgetAfter, x.sweep)
	}
}

// idsJSON is a list of sourcedIds as a JSON array, for json_each.
func idsJSON(ids []string) string {
	b, _ := json.Marshal(ids)
	return string(b)
}
