package api

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/applog"
	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/jobs"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/settings"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// discard is an Emitter for tests: the window is not there.
type discard struct{}

func (discard) Emit(string, any) {}

type facades struct {
	conns    *ConnectionsAPI
	sync     *SyncAPI
	roster   *RosterAPI
	history  *HistoryAPI
	settings *SettingsAPI
	sel      *SelectionAPI
	dir      string
}

// openWorkspace opens a new workspace in dir, its secrets in an encrypted file under dir, closed
// when the test ends.
func openWorkspace(t *testing.T, dir string) *workspace.Workspace {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config")) // the secret store
	t.Setenv(secrets.EnvBackend, "file")
	ws, err := workspace.Open(filepath.Join(dir, "workspace.db"), applog.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func newFacades(t *testing.T) facades {
	t.Helper()
	dir := t.TempDir()
	ws := openWorkspace(t, dir)
	j := jobs.New(discard{})
	return facades{
		conns:    NewConnectionsAPI(ws.Store, ws.Connections, ws.Kinds, &events.Window{}),
		sync:     NewSyncAPI(ws, j),
		roster:   NewRosterAPI(ws.Store),
		history:  NewHistoryAPI(ws, j),
		settings: NewSettingsAPI(ws.Store, ws.Engine, j, settings.Open(filepath.Join(dir, "settings.json")), NewClosing(discard{}, func() {})),
		sel:      NewSelectionAPI(ws.Store, ws.Engine),
		dir:      dir,
	}
}

func (f facades) wait(t *testing.T, id string) jobs.Job {
	t.Helper()
	job, ok := f.sync.jobs.Wait(id)
	if !ok {
		t.Fatalf("job %s unknown", id)
	}
	return job
}

func TestAddFetchImportBrowse(t *testing.T) {
	f := newFacades(t)
	zip := filepath.Join(f.dir, "district.zip")
	if _, err := district.GenerateFile(context.Background(), zip, district.Options{Students: 150, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	card, err := f.conns.Add(connections.Request{Name: " Lakeside SIS ", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}})
	if err != nil {
		t.Fatal(err)
	}
	if card.Name != "Lakeside SIS" || card.Role != "source" || card.LastFetch != "" || card.LastRun != nil {
		t.Fatalf("card = %+v", card)
	}
	if _, err := f.conns.Add(connections.Request{Name: "lakeside sis", Kind: "oneroster-csv", Settings: map[string]string{"path": zip}}); apperr.From(err).Code != apperr.CodeConflict {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := f.sync.LastFetch(card.ID); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("LastFetch before any fetch: %v", err)
	}

	job := f.wait(t, f.sync.StartFetch(card.ID))
	if job.Status != jobs.Succeeded {
		t.Fatalf("fetch job %+v", job)
	}
	job = f.wait(t, f.sync.StartImport(card.ID, false))
	if job.Status != jobs.Succeeded {
		t.Fatalf("import job %+v", job)
	}
	cards, _ := f.conns.List()
	if len(cards) != 1 || cards[0].LastFetch == "" || cards[0].LastRun == nil || cards[0].LastRun.Status != "succeeded" {
		t.Fatalf("cards after import: %+v", cards)
	}

	page, err := f.roster.Browse(BrowseRequest{Entity: "orgs", Limit: 50})
	if err != nil || page.Total < 2 || len(page.Rows) != page.Total || page.Columns[1] != "name" {
		t.Fatalf("orgs page %+v, %v", page, err)
	}
	page, err = f.roster.Browse(BrowseRequest{Entity: "users", Search: "usr-000001", Limit: 10})
	if err != nil || page.Total != 1 {
		t.Fatalf("user search: %+v, %v", page, err)
	}
	for _, c := range page.Columns {
		if c == "password" {
			t.Fatal("the roster browser must never show passwords")
		}
	}
	if _, err := f.roster.Browse(BrowseRequest{Entity: "secrets"}); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("unknown entity: %v", err)
	}

	runs, _ := f.history.Find(store.RunQuery{})
	if len(runs) != 1 {
		t.Fatalf("runs %+v", runs)
	}
	detail, err := f.history.Run(runs[0].ID)
	if err != nil || detail.Run.Counts["enrollments"].Created != 936 /* 150 × 6 + one teacher per section */ || len(detail.Records) != 0 {
		t.Fatalf("run detail %+v, %v", detail.Run, err)
	}
	if _, err := f.history.Run(999); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("unknown run: %v", err)
	}
}

func TestFetchOfABrokenFileFailsWithAClearMessage(t *testing.T) {
	f := newFacades(t)
	path := filepath.Join(f.dir, "export.zip")
	os.WriteFile(path, []byte("PK\x03\x04 truncated"), 0o600)
	card, err := f.conns.Add(connections.Request{Name: "Broken", Kind: "oneroster-csv", Settings: map[string]string{"path": path}})
	if err != nil {
		t.Fatal(err)
	}
	job := f.wait(t, f.sync.StartFetch(card.ID))
	if job.Status != jobs.Failed || job.Error.Code != apperr.CodeBadInput || !strings.Contains(job.Error.Message, "export.zip") {
		t.Fatalf("job %+v error %+v", job, job.Error)
	}
	if err := f.conns.Remove(card.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.conns.Remove(card.ID); apperr.From(err).Code != apperr.CodeNotFound {
		t.Fatalf("second remove: %v", err)
	}
}

func TestDemoAndTheme(t *testing.T) {
	f := newFacades(t)
	info, err := f.settings.Workspace()
	if err != nil || info.Connections != 0 || !strings.HasSuffix(info.Path, "workspace.db") {
		t.Fatalf("info %+v %v", info, err)
	}
	if _, err := f.settings.LoadDemo(5); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("tiny demo: %v", err)
	}
	id, err := f.settings.LoadDemo(100)
	if err != nil {
		t.Fatal(err)
	}
	if job := f.wait(t, id); job.Status != jobs.Succeeded {
		t.Fatalf("demo job %+v %+v", job, job.Error)
	}
	if info, _ := f.settings.Workspace(); info.Connections != 1 {
		t.Fatalf("after demo: %+v", info)
	}
	counts, _ := f.roster.Counts()
	if counts.Active["enrollments"] < 600 {
		t.Fatalf("demo roster %+v", counts.Active)
	}
	if err := f.settings.SetTheme("neon"); apperr.From(err).Code != apperr.CodeInvalid {
		t.Fatalf("bad theme: %v", err)
	}
	if err := f.settings.SetTheme("dark"); err != nil || f.settings.Theme() != "dark" {
		t.Fatalf("theme %q %v", f.settings.Theme(), err)
	}
}
