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

// SelectionAPI is the selection wizard: what an integration lets through, chosen from its
// connection's last fetch (a source) or the roster (a target), by list or by spreadsheet.
type SelectionAPI struct {
	store  *store.Store
	engine *engine.Engine

	mu sync.Mutex
	// held is, per integration, the draft the last Choose made when its lists were long: the window
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
	Integration SetupOf                 `json:"integration"`
	Selection   selection.Selection     `json:"selection"`
	From        string                  `json:"from"`
	Users       []selection.StatusCount `json:"users"`
	Totals      map[roster.Entity]int   `json:"totals"`
	Guardians   int                     `json:"guardians"`
}

// SetupOf names the integration a selection or a mapping is of, and its connection.
type SetupOf struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	ConnectionID   int64  `json:"connectionId"`
	ConnectionName string `json:"connectionName"`
}

// setupOf returns the integration whose setup is edited.
func (a *SelectionAPI) setupOf(ctx context.Context, integrationID int64) (SetupOf, error) {
	in, err := a.store.Integration(ctx, integrationID)
	if err != nil {
		return SetupOf{}, apperr.New(apperr.CodeNotFound, "That integration is gone (was it removed?).")
	}
	return SetupOf{ID: in.ID, Name: in.Name, ConnectionID: in.ConnectionID, ConnectionName: in.ConnectionName}, nil
}

func (a *SelectionAPI) view(ctx context.Context, of SetupOf, sel selection.Selection) (SelectionView, error) {
	shape, err := a.engine.Shape(ctx, of.ConnectionID, events.Discard)
	if err != nil {
		return SelectionView{}, err
	}
	g := shape.Graph
	// The totals are those of what the wizard shows: for an integration nobody chose for yet, the
	// default it proposes (stored once the registrar saves it), not the everything it takes until then.
	return SelectionView{Integration: of, Selection: sel, From: shape.From, Users: g.UserCounts(sel), Totals: g.Closure(sel.Proposed()).Totals(),
		Guardians: g.Guardians()}, nil
}

// View returns the integration's saved selection with its lists.
func (a *SelectionAPI) View(integrationID int64) (SelectionView, error) {
	ctx := context.Background()
	of, err := a.setupOf(ctx, integrationID)
	if err != nil {
		return SelectionView{}, err
	}
	sel, err := a.store.Selection(ctx, of.ID)
	if err != nil {
		return SelectionView{}, err
	}
	return a.view(ctx, of, sel)
}

// OwnView returns the saved selection of a connection's own integration of direction (import or
// export): the one its card's buttons set up and run.
func (a *SelectionAPI) OwnView(connectionID int64, direction string) (SelectionView, error) {
	ctx := context.Background()
	conn, err := a.store.Connection(ctx, connectionID)
	if err != nil {
		return SelectionView{}, apperr.New(apperr.CodeNotFound, "That connection is gone (was it removed?).")
	}
	in, err := a.engine.OwnIntegration(ctx, conn, direction)
	if err != nil {
		return SelectionView{}, err
	}
	return a.View(in.ID)
}

// IntegrationSetup is what the integration dialog shows of an integration's setup: its safety hold,
// whether it lets everything through, and the entities it has a saved mapping of.
type IntegrationSetup struct {
	HoldDelete float64  `json:"holdDelete"`
	HoldChange float64  `json:"holdChange"`
	Everything bool     `json:"everything"`
	Mapped     []string `json:"mapped"`
}

// Setup returns an integration's setup, without the lists (quick, for its dialog).
func (a *SelectionAPI) Setup(integrationID int64) (IntegrationSetup, error) {
	ctx := context.Background()
	of, err := a.setupOf(ctx, integrationID)
	if err != nil {
		return IntegrationSetup{}, err
	}
	sel, err := a.store.Selection(ctx, of.ID)
	if err != nil {
		return IntegrationSetup{}, err
	}
	mapped, err := a.store.MappedEntities(ctx, of.ID)
	return IntegrationSetup{HoldDelete: sel.HoldDelete, HoldChange: sel.HoldChange, Everything: sel.Full(), Mapped: mapped}, err
}

// edited is a selection the wizard shows, as saving it would store it: a proposal nobody changed yet
// is the default it proposes, and a Held draft has the lists held for it put back.
func (a *SelectionAPI) edited(integrationID int64, sel selection.Selection) (selection.Selection, error) {
	if sel.Held {
		a.mu.Lock()
		h, ok := a.held[integrationID]
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
func (a *SelectionAPI) Preview(integrationID int64, sel selection.Selection) (SelectionView, error) {
	held := sel.Held
	sel, err := a.edited(integrationID, sel)
	if err != nil {
		return SelectionView{}, err
	}
	ctx := context.Background()
	of, err := a.setupOf(ctx, integrationID)
	if err != nil {
		return SelectionView{}, err
	}
	v, err := a.view(ctx, of, sel)
	if held {
		v.Selection.Orgs, v.Selection.Classes, v.Selection.Held = nil, nil, true
	}
	return v, err
}

// Save replaces the integration's selection.
func (a *SelectionAPI) Save(integrationID int64, sel selection.Selection) (SelectionView, error) {
	ctx := context.Background()
	sel, err := a.edited(integrationID, sel)
	if err != nil {
		return SelectionView{}, err
	}
	of, err := a.setupOf(ctx, integrationID)
	if err != nil {
		return SelectionView{}, err
	}
	if err := a.engine.SaveSelection(ctx, of.ID, sel); err != nil {
		return SelectionView{}, err
	}
	return a.view(ctx, of, sel)
}

// Reset lets everything through again.
func (a *SelectionAPI) Reset(integrationID int64) (SelectionView, error) {
	if err := a.engine.ResetSelection(context.Background(), integrationID); err != nil {
		return SelectionView{}, err
	}
	return a.View(integrationID)
}

// Page returns one page of the schools (q.What "orgs") or classes step for the selection being
// edited: searched, filtered and sorted here, where the lists are, so that the window draws a page.
func (a *SelectionAPI) Page(integrationID int64, sel selection.Selection, q selection.ListQuery) (selection.Page, error) {
	sel, shape, err := a.chosen(context.Background(), integrationID, sel)
	if err != nil {
		return selection.Page{}, err
	}
	return shape.Graph.Page(sel, q)
}

// Choose ticks or unticks rows of a list in the selection being edited (the ids given, or with none
// every row the query shows) and returns the selection with the page the query shows; nothing is
// saved until Save is called with it. When the selection's lists are long they stay here and the
// answer is Held without them: the window sends it back so, and every call puts them back.
func (a *SelectionAPI) Choose(integrationID int64, sel selection.Selection, q selection.ChooseQuery) (selection.Chosen, error) {
	sel, shape, err := a.chosen(context.Background(), integrationID, sel)
	if err != nil {
		return selection.Chosen{}, err
	}
	out, err := shape.Graph.Choose(sel, q)
	if err != nil || len(out.Selection.Orgs)+len(out.Selection.Classes) <= heldLists {
		return out, err
	}
	a.mu.Lock()
	a.held[integrationID] = out.Selection
	a.mu.Unlock()
	out.Selection.Orgs, out.Selection.Classes, out.Selection.Held = nil, nil, true
	return out, nil
}

// DownloadSheet writes the spreadsheet of what ("orgs" or "classes") into the Downloads folder,
// pre-filled with sel (the selection being edited, which stays unsaved), and returns its path.
func (a *SelectionAPI) DownloadSheet(integrationID int64, what string, sel selection.Selection) (string, error) {
	ctx := context.Background()
	of, err := a.setupOf(ctx, integrationID)
	if err != nil {
		return "", err
	}
	sel, shape, err := a.chosen(ctx, integrationID, sel)
	if err != nil {
		return "", err
	}
	return settings.SaveDownload(selectsheet.FileName(of.Name, what), func(w io.Writer) error {
		return selectsheet.Write(w, shape.Graph, sel, what)
	})
}

// ReadSheet reads an uploaded spreadsheet of what (the file's name and its bytes in base64, as the
// window's file picker gives them) and says what it would change in sel, the selection being
// edited; nothing is saved until Save is called with the result's selection.
func (a *SelectionAPI) ReadSheet(integrationID int64, what string, sel selection.Selection, fileName, contentBase64 string) (selectsheet.Result, error) {
	ctx := context.Background()
	raw, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return selectsheet.Result{}, apperr.New(apperr.CodeBadInput, fileName+" could not be read. Choose the file again.")
	}
	sel, shape, err := a.chosen(ctx, integrationID, sel)
	if err != nil {
		return selectsheet.Result{}, err
	}
	return selectsheet.Read(bytes.NewReader(raw), fileName, shape.Graph, sel, what)
}

// chosen returns a selection being edited, checked, and what its integration's connection chooses from.
func (a *SelectionAPI) chosen(ctx context.Context, integrationID int64, sel selection.Selection) (selection.Selection, engine.Shape, error) {
	sel, err := a.edited(integrationID, sel)
	if err != nil {
		return sel, engine.Shape{}, err
	}
	of, err := a.setupOf(ctx, integrationID)
	if err != nil {
		return sel, engine.Shape{}, err
	}
	shape, err := a.engine.Shape(ctx, of.ConnectionID, events.Discard)
	return sel, shape, err
}

// AddOrgs adds orgs of the roster to the selection of a target's own export integration ("Set sync
// connection" in the roster browser's Orgs tab) and saves it; with dryRun it only says what would change, for the confirmation.
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
	own, err := a.engine.OwnIntegration(ctx, conn, store.DirectionExport)
	if err != nil {
		return selection.OrgsAdded{}, err
	}
	sel, err := a.store.Selection(ctx, own.ID)
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
	return added, a.engine.SaveSelection(ctx, own.ID, sel)
}

// ShowFile opens a downloaded file with the program the system uses for it.
func (a *SelectionAPI) ShowFile(path string) error {
	if err := browser.OpenFile(path); err != nil {
		return apperr.New(apperr.CodeInternal, "The file could not be opened: "+err.Error())
	}
	return nil
}
