package api

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/sheets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// RosterAPI lets the user browse the workspace roster.
type RosterAPI struct {
	store     *store.Store
	conflicts store.ConflictCache
	summary   summaryCounts
	search    store.SearchIndex
}

// NewRosterAPI returns the facade.
func NewRosterAPI(st *store.Store) *RosterAPI { return &RosterAPI{store: st} }

// browseView is what the roster browser shows of an entity: the columns (never passwords) and the
// columns its search box looks in.
type browseView struct{ columns, search []string }

var browseViews = map[roster.Entity]browseView{
	roster.Orgs:        {[]string{"sourcedId", "name", "type", "identifier", "parentSourcedId", "status"}, []string{"sourcedId", "name", "identifier"}},
	roster.Classes:     {[]string{"sourcedId", "title", "classCode", "classType", "schoolSourcedId", "courseSourcedId", "status"}, []string{"sourcedId", "title", "classCode"}},
	roster.Users:       {[]string{"sourcedId", "givenName", "familyName", "role", "school", "identifier", "username", "email", "grades", "enabledUser", "status"}, []string{"sourcedId", "givenName", "familyName", "identifier", "username", "email"}},
	roster.Enrollments: {[]string{"sourcedId", "classSourcedId", "userSourcedId", "role", "schoolSourcedId", "primary", "status"}, []string{"sourcedId", "classSourcedId", "userSourcedId"}},
}

// BrowseRequest asks for a window of rows matching the search, the filter and the columns' filters
// (column -> text it contains), in the order of one column.
type BrowseRequest struct {
	Entity string             `json:"entity"`
	Search string             `json:"search"`
	Filter store.RosterFilter `json:"filter"`
	Match  map[string]string  `json:"match"`
	Sort   string             `json:"sort"`
	Desc   bool               `json:"desc"`
	Offset int                `json:"offset"`
	Limit  int                `json:"limit"`
}

// query is the store's query for the request, or an error naming an entity that cannot be browsed.
func (r BrowseRequest) query() (browseView, store.RosterQuery, error) {
	view, ok := browseViews[roster.Entity(r.Entity)]
	if !ok {
		return view, store.RosterQuery{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q cannot be browsed", r.Entity))
	}
	if r.Limit <= 0 || r.Limit > 1000 {
		r.Limit = 200
	}
	return view, store.RosterQuery{Entity: roster.Entity(r.Entity), Columns: view.columns, Search: r.Search, In: view.search,
		Filter: r.Filter, Match: r.Match, Sort: r.Sort, Desc: r.Desc, Offset: max(r.Offset, 0), Limit: r.Limit}, nil
}

// MaxFilteredIDs caps "select all filtered": more than a district's people (135,000 in the largest
// measured) and few enough to cross the bridge in a second.
const MaxFilteredIDs = 200_000

// FilteredIDs are the roster IDs of every record a browse matches, at most MaxFilteredIDs; Total
// says how many match, so a view larger than the cap can say so.
type FilteredIDs struct {
	IDs   []string `json:"ids"`
	Total int      `json:"total"`
}

// BrowsePage is a window of rows. Total is how many records match when the window tells it (the
// first, shorter than its limit), else -1: Count says.
type BrowsePage struct {
	Columns []string   `json:"columns"`
	Total   int        `json:"total"`
	Rows    [][]string `json:"rows"`
}

// Counts returns the number of records per entity.
func (a *RosterAPI) Counts() (store.RosterCounts, error) {
	return a.store.RosterCounts(context.Background())
}

// query is the store's query for the request, its search answered from the search index when it can.
func (a *RosterAPI) query(ctx context.Context, req BrowseRequest) (browseView, store.RosterQuery, error) {
	view, q, err := req.query()
	if err != nil {
		return view, q, err
	}
	return view, a.search.Narrow(ctx, a.store, q), nil
}

// Browse returns rows offset..offset+limit of an entity matching the search and filter.
func (a *RosterAPI) Browse(req BrowseRequest) (BrowsePage, error) {
	ctx := context.Background()
	view, q, err := a.query(ctx, req)
	if err != nil {
		return BrowsePage{}, err
	}
	page, err := a.store.QueryRoster(ctx, q)
	return BrowsePage{Columns: view.columns, Total: page.Total, Rows: page.Rows}, err
}

// BrowseIDs returns the IDs of every record the browse matches (offset and limit aside), for
// "select all filtered".
func (a *RosterAPI) BrowseIDs(req BrowseRequest) (FilteredIDs, error) {
	ctx := context.Background()
	_, q, err := a.query(ctx, req)
	if err != nil {
		return FilteredIDs{}, err
	}
	ids, err := a.store.RosterIDs(ctx, q, MaxFilteredIDs)
	if err != nil || len(ids) < MaxFilteredIDs {
		return FilteredIDs{IDs: ids, Total: len(ids)}, err
	}
	total, err := a.store.CountRoster(ctx, q)
	return FilteredIDs{IDs: ids, Total: total}, err
}

// Count returns how many records the browse matches.
func (a *RosterAPI) Count(req BrowseRequest) (int, error) {
	ctx := context.Background()
	_, q, err := a.query(ctx, req)
	if err != nil {
		return 0, err
	}
	return a.store.CountRoster(ctx, q)
}

// SaveView writes every record the browse matches (all of them, in its order, offset and limit aside)
// with the columns the browser shows, as "xlsx" or "csv" in the Downloads folder, and returns its path.
// Rows stream from the query to the file: a 135,000-user view is never held whole.
func (a *RosterAPI) SaveView(req BrowseRequest, format string) (string, error) {
	if format != "xlsx" && format != "csv" {
		return "", apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not a format to save in; use xlsx or csv.", format))
	}
	ctx := context.Background()
	view, q, err := a.query(ctx, req)
	if err != nil {
		return "", err
	}
	q.Offset, q.Limit = 0, 0
	name := fmt.Sprintf("Rosterdesk %s %s.%s", q.Entity, store.Now()[:10], format)
	return settings.SaveDownload(name, func(w io.Writer) error {
		return sheets.WriteQuery(w, format, string(q.Entity), view.columns, func(emit func([]string) error) error {
			return a.store.EachRoster(ctx, q, emit)
		})
	})
}

// FilterChoices returns the values the filters of an entity's tab offer, taken from the roster.
func (a *RosterAPI) FilterChoices(entity string) (store.RosterFilterChoices, error) {
	if _, ok := browseViews[roster.Entity(entity)]; !ok {
		return store.RosterFilterChoices{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q cannot be browsed", entity))
	}
	return a.store.RosterFilterChoices(context.Background(), roster.Entity(entity))
}

// Record returns a roster record, asked for by its roster id or any source's id of it, with where each
// value came from, its origins, the fields its sources disagree on and the runs that touched it.
func (a *RosterAPI) Record(entity, id string) (store.RecordView, error) {
	return a.store.RecordView(context.Background(), roster.Entity(entity), strings.TrimSpace(id))
}

// ConflictsRequest asks for the fields sources disagree on: of one entity and field ("" for all),
// whose record id, field or a value contains search.
type ConflictsRequest struct {
	Entity string `json:"entity"`
	Field  string `json:"field"`
	Search string `json:"search"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

func (r ConflictsRequest) query() store.ConflictQuery {
	if r.Limit <= 0 || r.Limit > 1000 {
		r.Limit = 200
	}
	return store.ConflictQuery{Entity: roster.Entity(r.Entity), Field: r.Field, Search: strings.TrimSpace(r.Search), Offset: max(r.Offset, 0), Limit: r.Limit}
}

// Conflicts returns a page of the fields sources disagree on, with each source's value and the kept one.
func (a *RosterAPI) Conflicts(req ConflictsRequest) (store.ConflictPage, error) {
	return a.conflicts.Conflicts(context.Background(), a.store, req.query())
}

// SaveConflicts writes every conflict matching req (all pages) to an XLSX in the Downloads folder,
// one row per conflict with a column per source, and returns its path.
func (a *RosterAPI) SaveConflicts(req ConflictsRequest) (string, error) {
	ctx := context.Background()
	sources, err := a.store.Sources(ctx)
	if err != nil {
		return "", err
	}
	header := []string{"entity", "record", "field"}
	column := map[string]int{}
	for _, c := range sources {
		column[c.Name] = len(header)
		header = append(header, c.Name)
	}
	header = append(header, "kept from", "kept value")
	name := fmt.Sprintf("Rosterdesk conflicts %s.xlsx", store.Now()[:10])
	return settings.SaveDownload(name, func(w io.Writer) error {
		return sheets.WriteQuery(w, "xlsx", "Conflicts", header, func(emit func([]string) error) error {
			row := make([]string, len(header))
			return a.store.EachConflict(ctx, req.query(), func(c store.ConflictRow) error {
				clear(row)
				row[0], row[1], row[2] = string(c.Entity), c.Record, c.Field
				for _, v := range c.Values {
					if i, ok := column[v.Connection]; ok {
						row[i] = v.Value
					}
				}
				row[len(row)-2], row[len(row)-1] = c.Kept, c.KeptValue
				return emit(row)
			})
		})
	})
}
