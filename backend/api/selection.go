package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"sync"

	"github.com/pkg/browser"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/selectsheet"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// SelectionAPI is the selection wizard: what a connection lets through, chosen from its last fetch
// (a source) or the roster (a target), by list or by spreadsheet.
type SelectionAPI struct {
	store  *store.Store
	engine *engine.Engine

	mu sync.Mutex
	// held is, per connection, the draft the last Choose made when its lists were long: the window
	// then sends a Held draft instead of the lists (see heldLists).
	held map[int64]selection.Selection
}

// NewSelectionAPI returns the facade.
func NewSelectionAPI(st *store.Store, e *engine.Engine) *SelectionAPI {
	return &SelectionAPI{store: st, engine: e, held: map[int64]selection.Selection{}}
}

// heldLists is how many chosen ids a Choose answers with; above it the lists stay here (Held).
var heldLists = 500

// SelectionView is what the wizard shows for one selection besides its lists (asked page by page,
// see Page): the users the chosen orgs and classes reach per status and role, how many records of
// each entity go through, and how many guardians and parents the source has (to offer them).
type SelectionView struct {
	Selection selection.Selection     `json:"selection"`
	From      string                  `json:"from"`
	Users     []selection.StatusCount `json:"users"`
	Totals    map[roster.Entity]int   `json:"totals"`
	Guardians int                     `json:"guardians"`
}

func (a *SelectionAPI) view(ctx context.Context, connectionID int64, sel selection.Selection) (SelectionView, error) {
	shape, err := a.engine.Shape(ctx, connectionID, events.Discard)
	if err != nil {
		return SelectionView{}, err
	}
	g := shape.Graph
	// The totals are those of what the wizard shows: for a connection nobody chose for yet, the
	// default it proposes (stored once the registrar saves it), not the everything it takes until then.
	return SelectionView{Selection: sel, From: shape.From, Users: g.UserCounts(sel), Totals: g.Closure(sel.Proposed()).Totals(),
		Guardians: g.Guardians()}, nil
}

// View returns the connection's saved selection with its lists.
func (a *SelectionAPI) View(connectionID int64) (SelectionView, error) {
	ctx := context.Background()
	sel, err := a.store.Selection(ctx, connectionID)
	if err != nil {
		return SelectionView{}, err
	}
	return a.view(ctx, connectionID, sel)
}

// edited is a selection the wizard shows, as saving it would store it: a proposal nobody changed yet
// is the default it proposes, and a Held draft has the lists held for it put back.
func (a *SelectionAPI) edited(connectionID int64, sel selection.Selection) (selection.Selection, error) {
	if sel.Held {
		a.mu.Lock()
		h, ok := a.held[connectionID]
		a.mu.Unlock()
		if !ok {
			return sel, apperr.New(apperr.CodeInvalid, "The schools and classes being chosen were lost (was the app restarted?). Close the wizard and open it again.")
		}
		sel.OrgsAll, sel.Orgs, sel.ClassesAll, sel.Classes, sel.Held = h.OrgsAll, h.Orgs, h.ClassesAll, h.Classes, false
	}
	sel.Saved = true
	return sel.Normalize()
}

// Preview returns the lists for a selection being edited, without saving it; a Held draft's
// answer stays Held, without the lists.
func (a *SelectionAPI) Preview(connectionID int64, sel selection.Selection) (SelectionView, error) {
	held := sel.Held
	sel, err := a.edited(connectionID, sel)
	if err != nil {
		return SelectionView{}, err
	}
	v, err := a.view(context.Background(), connectionID, sel)
	if held {
		v.Selection.Orgs, v.Selection.Classes, v.Selection.Held = nil, nil, true
	}
	return v, err
}

// Save replaces the connection's selection.
func (a *SelectionAPI) Save(connectionID int64, sel selection.Selection) (SelectionView, error) {
	ctx := context.Background()
	sel, err := a.edited(connectionID, sel)
	if err != nil {
		return SelectionView{}, err
	}
	if _, err := a.store.Connection(ctx, connectionID); err != nil {
		return SelectionView{}, apperr.New(apperr.CodeNotFound, "That connection is gone (was it removed?).")
	}
	if err := a.store.SaveSelection(ctx, connectionID, sel); err != nil {
		return SelectionView{}, err
	}
	return a.view(ctx, connectionID, sel)
}

// Reset lets everything through again.
func (a *SelectionAPI) Reset(connectionID int64) (SelectionView, error) {
	if err := a.store.ResetSelection(context.Background(), connectionID); err != nil {
		return SelectionView{}, err
	}
	return a.View(connectionID)
}

// Page returns one page of the schools (q.What "orgs") or classes step for the selection being
// edited: searched, filtered and sorted here, where the lists are, so that the window draws a page.
func (a *SelectionAPI) Page(connectionID int64, sel selection.Selection, q selection.ListQuery) (selection.Page, error) {
	sel, shape, err := a.chosen(context.Background(), connectionID, sel)
	if err != nil {
		return selection.Page{}, err
	}
	return shape.Graph.Page(sel, q)
}

// Choose ticks or unticks rows of a list in the selection being edited (the ids given, or with none
// every row the query shows) and returns the selection with the page the query shows; nothing is
// saved until Save is called with it. When the selection's lists are long they stay here and the
// answer is Held without them: the window sends it back so, and every call puts them back.
func (a *SelectionAPI) Choose(connectionID int64, sel selection.Selection, q selection.ChooseQuery) (selection.Chosen, error) {
	sel, shape, err := a.chosen(context.Background(), connectionID, sel)
	if err != nil {
		return selection.Chosen{}, err
	}
	out, err := shape.Graph.Choose(sel, q)
	if err != nil || len(out.Selection.Orgs)+len(out.Selection.Classes) <= heldLists {
		return out, err
	}
	a.mu.Lock()
	a.held[connectionID] = out.Selection
	a.mu.Unlock()
	out.Selection.Orgs, out.Selection.Classes, out.Selection.Held = nil, nil, true
	return out, nil
}

// DownloadSheet writes the spreadsheet of what ("orgs" or "classes") into the Downloads folder,
// pre-filled with sel (the selection being edited, which stays unsaved), and returns its path.
func (a *SelectionAPI) DownloadSheet(connectionID int64, what string, sel selection.Selection) (string, error) {
	ctx := context.Background()
	conn, err := a.store.Connection(ctx, connectionID)
	if err != nil {
		return "", apperr.New(apperr.CodeNotFound, "That connection is gone (was it removed?).")
	}
	sel, shape, err := a.chosen(ctx, connectionID, sel)
	if err != nil {
		return "", err
	}
	return settings.SaveDownload(selectsheet.FileName(conn.Name, what), func(w io.Writer) error {
		return selectsheet.Write(w, shape.Graph, sel, what)
	})
}

// ReadSheet reads an uploaded spreadsheet of what (the file's name and its bytes in base64, as the
// window's file picker gives them) and says what it would change in sel, the selection being
// edited; nothing is saved until Save is called with the result's selection.
func (a *SelectionAPI) ReadSheet(connectionID int64, what string, sel selection.Selection, fileName, contentBase64 string) (selectsheet.Result, error) {
	ctx := context.Background()
	raw, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return selectsheet.Result{}, apperr.New(apperr.CodeBadInput, fileName+" could not be read. Choose the file again.")
	}
	sel, shape, err := a.chosen(ctx, connectionID, sel)
	if err != nil {
		return selectsheet.Result{}, err
	}
	return selectsheet.Read(bytes.NewReader(raw), fileName, shape.Graph, sel, what)
}

// chosen returns a selection being edited, checked, and what the connection chooses from.
func (a *SelectionAPI) chosen(ctx context.Context, connectionID int64, sel selection.Selection) (selection.Selection, engine.Shape, error) {
	sel, err := a.edited(connectionID, sel)
	if err != nil {
		return sel, engine.Shape{}, err
	}
	shape, err := a.engine.Shape(ctx, connectionID, events.Discard)
	return sel, shape, err
}

// AddOrgs adds orgs of the roster to a target's selection ("Set sync connection" in the roster
// browser's Orgs tab) and saves it; with dryRun it only says what would change, for the confirmation.
// It never takes anything away: a target sending every school has them already.
func (a *SelectionAPI) AddOrgs(connectionID int64, orgIDs []string, dryRun bool) (selection.OrgsAdded, error) {
	ctx := context.Background()
	conn, err := a.store.Connection(ctx, connectionID)
	if err != nil {
		return selection.OrgsAdded{}, apperr.New(apperr.CodeNotFound, "That connection is gone (was it removed?).")
	}
	if conn.Role != connector.RoleTarget {
		// A source (or a two-way connection) chooses from its own fetch, whose IDs may not be the roster's.
		return selection.OrgsAdded{}, apperr.New(apperr.CodeInvalid, conn.Name+" is not a target: choose its schools in its selection wizard.")
	}
	sel, err := a.store.Selection(ctx, connectionID)
	if err != nil {
		return selection.OrgsAdded{}, err
	}
	shape, err := a.engine.Shape(ctx, connectionID, events.Discard)
	if err != nil {
		return selection.OrgsAdded{}, err
	}
	sel, added, err := shape.Graph.AddOrgs(sel, orgIDs)
	if err != nil || dryRun || len(added.Added) == 0 {
		return added, err
	}
	return added, a.store.SaveSelection(ctx, connectionID, sel)
}

// ShowFile opens a downloaded file with the program the system uses for it.
func (a *SelectionAPI) ShowFile(path string) error {
	if err := browser.OpenFile(path); err != nil {
		return apperr.New(apperr.CodeInternal, "The file could not be opened: "+err.Error())
	}
	return nil
}
