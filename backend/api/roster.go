package api

import (
	"context"
	"fmt"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// RosterAPI lets the user browse the workspace roster.
type RosterAPI struct{ store *store.Store }

// NewRosterAPI returns the facade.
func NewRosterAPI(st *store.Store) *RosterAPI { return &RosterAPI{store: st} }

// browseView is what the roster browser shows of an entity: the columns (never passwords) and the
// columns its search box looks in.
type browseView struct{ columns, search []string }

var browseViews = map[roster.Entity]browseView{
	roster.Orgs:        {[]string{"sourcedId", "name", "type", "identifier", "parentSourcedId", "status"}, []string{"sourcedId", "name", "identifier"}},
	roster.Classes:     {[]string{"sourcedId", "title", "classCode", "classType", "schoolSourcedId", "courseSourcedId", "status"}, []string{"sourcedId", "title", "classCode"}},
	roster.Users:       {[]string{"sourcedId", "givenName", "familyName", "identifier", "username", "email", "grades", "enabledUser", "status"}, []string{"sourcedId", "givenName", "familyName", "identifier", "username", "email"}},
	roster.Enrollments: {[]string{"sourcedId", "classSourcedId", "userSourcedId", "role", "schoolSourcedId", "primary", "status"}, []string{"sourcedId", "classSourcedId", "userSourcedId"}},
}

// BrowseRequest asks for a window of rows.
type BrowseRequest struct {
	Entity string `json:"entity"`
	Search string `json:"search"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// BrowsePage is a window of rows with the total matching.
type BrowsePage struct {
	Columns []string   `json:"columns"`
	Total   int        `json:"total"`
	Rows    [][]string `json:"rows"`
}

// Counts returns the number of records per entity.
func (a *RosterAPI) Counts() (store.RosterCounts, error) {
	return a.store.RosterCounts(context.Background())
}

// Browse returns rows offset..offset+limit of an entity matching the search.
func (a *RosterAPI) Browse(req BrowseRequest) (BrowsePage, error) {
	view, ok := browseViews[roster.Entity(req.Entity)]
	if !ok {
		return BrowsePage{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q cannot be browsed", req.Entity))
	}
	if req.Limit <= 0 || req.Limit > 1000 {
		req.Limit = 200
	}
	page, err := a.store.QueryRoster(context.Background(), store.RosterQuery{Entity: roster.Entity(req.Entity), Columns: view.columns,
		Search: req.Search, In: view.search, Offset: max(req.Offset, 0), Limit: req.Limit})
	return BrowsePage{Columns: view.columns, Total: page.Total, Rows: page.Rows}, err
}
