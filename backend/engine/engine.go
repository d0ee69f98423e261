// Package engine runs the work between sources, the roster and targets: fetch a source into a
// staged snapshot, then apply the snapshot to the roster in one transaction. GUI and CLI call the same
// methods; progress goes to an events.Reporter and cancellation comes from the context.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Engine runs fetches and imports against one workspace.
type Engine struct {
	store    *store.Store
	kinds    *connector.Registry
	vault    secrets.Store
	staging  string // folder holding the staged snapshots
	operator string // who starts runs, recorded on each run
	log      *slog.Logger

	writer workspaceWriter // one run writes the roster at a time, and no fetch replaces the snapshot it reads
	shapes shapes
	// fetching holds the connections being fetched: a second fetch of one would stage the same
	// data again and race the first for its snapshot.
	fetching sync.Map
	warming  sync.Mutex // held while the copies of the sources' origins are brought up to date
	behind   behind
	warm     warm
}

// warm holds the context of the warm-ups of the origins' copies, which StopWarmingOrigins cancels.
type warm struct {
	mu   sync.Mutex
	ctx  context.Context
	stop context.CancelFunc
}

// behind is the work an engine does in the background (the warm-ups), which Close stops and waits for.
type behind struct {
	ctx    context.Context
	stop   context.CancelFunc
	mu     sync.Mutex
	closed bool
	work   sync.WaitGroup
}

// New returns an engine. vault holds the connections' secrets; staging is a folder the engine owns
// (created if missing); log receives one line per fetch, import and test.
func New(st *store.Store, kinds *connector.Registry, vault secrets.Store, staging, operator string, log *slog.Logger) *Engine {
	e := &Engine{store: st, kinds: kinds, vault: vault, staging: staging, operator: operator, log: log,
		writer: workspaceWriter{store: st, operator: operator}}
	e.behind.ctx, e.behind.stop = context.WithCancel(context.Background())
	return e
}

// inBackground runs fn in a goroutine of its own, unless the engine was closed.
func (e *Engine) inBackground(fn func(ctx context.Context)) {
	b := &e.behind
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.work.Add(1)
	go func() {
		defer b.work.Done()
		fn(b.ctx)
	}()
}

// Close stops the engine's work in the background and waits for it, before the workspace closes:
// a warm-up writing beside the workspace would otherwise go on after it.
func (e *Engine) Close() {
	b := &e.behind
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.stop()
	b.work.Wait()
}

// StagingDir is where snapshots of a workspace live: beside the workspace file.
func StagingDir(workspace string) string { return store.StagingDir(workspace) }

// FetchResult is what a fetch found. Its JSON is the `fetch --json` shape of the SPEC.
type FetchResult struct {
	Connection string                           `json:"connection"`
	Version    string                           `json:"version"`
	Source     string                           `json:"source"` // the SIS that wrote the package, from its manifest
	FetchedAt  string                           `json:"fetchedAt"`
	Modes      map[roster.Entity]oneroster.Mode `json:"modes"`
	Counts     map[roster.Entity]int            `json:"counts"`
	Failed     map[roster.Entity]int            `json:"failed"`
	Warnings   []oneroster.Finding              `json:"warnings"`
	Errors     []oneroster.Finding              `json:"errors"`
}

func resultFromReport(conn string, fetchedAt string, r *oneroster.Report) FetchResult {
	res := FetchResult{Connection: conn, Version: r.Version, Source: r.Source, FetchedAt: fetchedAt, Modes: r.Modes, Counts: r.Counts, Failed: r.Failed,
		Warnings: r.Warnings(), Errors: r.Errors()}
	if res.Warnings == nil {
		res.Warnings = []oneroster.Finding{}
	}
	if res.Errors == nil {
		res.Errors = []oneroster.Finding{}
	}
	return res
}

// Operator is who this engine runs things for.
func (e *Engine) Operator() string { return e.operator }

// Fetch stages a source: it copies what the source holds, checks it record by record and keeps it as
// the connection's snapshot. The roster is not touched. A failed or cancelled fetch keeps the previous
// snapshot.
func (e *Engine) Fetch(ctx context.Context, connectionID int64, rep events.Reporter) (FetchResult, error) {
	return e.fetch(ctx, connectionID, false, false, rep)
}

// sinceMargin widens a changes-only fetch backwards, so a provider whose clock runs behind ours
// loses no change; records sent twice are found unchanged by the import.
const sinceMargin = 10 * time.Minute

// FetchChanges is Fetch for sources that can send only what changed (Kind.Delta): it asks for the
// records changed since the data of the last successful import was fetched, and the snapshot is a
// delta. A connection never imported is refused: the first import must be complete.
func (e *Engine) FetchChanges(ctx context.Context, connectionID int64, rep events.Reporter) (FetchResult, error) {
	return e.fetch(ctx, connectionID, true, false, rep)
}

// fetch is Fetch or FetchChanges; held says the caller holds the workspace's writer lock already (a
// re-pull takes it before fetching).
func (e *Engine) fetch(ctx context.Context, connectionID int64, changesOnly, held bool, rep events.Reporter) (res FetchResult, err error) {
	if err := rights.Need(ctx, e.store, e.operator, rights.Imports, rights.Write); err != nil {
		return FetchResult{}, err
	}
	start := time.Now()
	defer func() {
		if err != nil {
			e.log.Warn("fetch failed", "connection", connectionID, "changesOnly", changesOnly, "error", err)
			return
		}
		e.log.Info("fetch finished", "connection", res.Connection, "changesOnly", changesOnly, "version", res.Version, "records", total(res.Counts),
			"warnings", len(res.Warnings), "errors", len(res.Errors), "seconds", time.Since(start).Seconds())
	}()
	if _, busy := e.fetching.LoadOrStore(connectionID, true); busy {
		name := "this connection"
		if conn, err := e.store.Connection(ctx, connectionID); err == nil {
			name = conn.Name
		}
		return FetchResult{}, apperr.New(apperr.CodeBusy, fmt.Sprintf("%s is being fetched already; its result will show when that fetch ends.", name))
	}
	defer e.fetching.Delete(connectionID)
	var pull connector.Pull
	if changesOnly {
		if pull, err = e.changesSince(ctx, connectionID); err != nil {
			return FetchResult{}, err
		}
	}
	if pull.Schools, err = e.chosenSchools(ctx, connectionID); err != nil {
		return FetchResult{}, err
	}
	st, err := e.stage(ctx, connectionID, pull, rep)
	if err != nil {
		return FetchResult{}, err
	}
	report, err := readPackage(ctx, st.path, "checking", rep, func(roster.Record) error { return nil })
	if err != nil {
		st.discard()
		return FetchResult{}, err
	}
	// An import may be reading the snapshot this one replaces: wait for it to finish.
	if !held {
		if err := e.writer.Lock(ctx, rep); err != nil {
			st.discard()
			return FetchResult{}, err
		}
		defer e.writer.Unlock()
	}
	return e.keep(ctx, st, report)
}

// changesSince is the pull of a changes-only fetch.
func (e *Engine) changesSince(ctx context.Context, connectionID int64) (connector.Pull, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return connector.Pull{}, notFound(err, "connection")
	}
	kind, err := e.kinds.Kind(conn.Kind)
	if err != nil {
		return connector.Pull{}, err
	}
	if !kind.Delta {
		return connector.Pull{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s connections cannot send only what changed; use Fetch to read everything.", kind.Label))
	}
	applied, err := time.Parse(store.TimeLayout, conn.AppliedAt)
	if err != nil {
		return connector.Pull{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%s has not been imported yet: fetch everything and import it once, then later fetches can ask only for changes.", conn.Name))
	}
	return connector.Pull{Since: applied.Add(-sinceMargin)}, nil
}

// staged is a source's copy in the staging folder that is not yet the connection's snapshot.
type staged struct {
	conn      store.Connection
	dir, path string
}

func (s staged) discard() { os.RemoveAll(s.dir) }

// source opens the connection's source with its stored secrets.
func (e *Engine) source(ctx context.Context, connectionID int64) (store.Connection, connector.Source, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return conn, nil, notFound(err, "connection")
	}
	src, err := e.open(conn)
	return conn, src, err
}

func (e *Engine) open(conn store.Connection) (connector.Source, error) {
	kind, values, err := e.kind(conn, func(k connector.Kind) bool { return k.NewSource != nil && conn.Role != connector.RoleTarget },
		"%s is not a source: there is nothing to read from it")
	if err != nil {
		return nil, err
	}
	return kind.NewSource(conn.Settings, values)
}

// kind returns a connection's kind and stored secrets, or an error worded by refusal (with the
// connection's name) when the connection cannot be used as usable says.
func (e *Engine) kind(conn store.Connection, usable func(connector.Kind) bool, refusal string) (connector.Kind, map[string]string, error) {
	kind, err := e.kinds.Kind(conn.Kind)
	if err != nil {
		return kind, nil, err
	}
	if !usable(kind) {
		return kind, nil, apperr.New(apperr.CodeInvalid, fmt.Sprintf(refusal, conn.Name))
	}
	values, err := secrets.Load(e.vault, conn.SecretRef, kind.SecretKeys())
	return kind, values, err
}

// TestResult is the outcome of Test connection. HostKey is set when the server presented a key the
// connection has not trusted yet: the user compares its fingerprint and may trust it.
type TestResult struct {
	store.TestOutcome
	HostKey *connector.HostKey `json:"hostKey"`
}

// Test checks that a connection can be reached and read, and records the outcome for its card. A
// connection that fails the test is an outcome, not an error; only cancellation is. trustKey, when
// not empty, is a host key the user confirmed: it is tried in place of the pinned one and pinned if
// the test then succeeds.
func (e *Engine) Test(ctx context.Context, connectionID int64, trustKey string) (TestResult, error) {
	if trustKey != "" { // trusting a host key changes the connection
		if err := rights.Need(ctx, e.store, e.operator, rights.Connections, rights.Write); err != nil {
			return TestResult{}, err
		}
	}
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return TestResult{}, notFound(err, "connection")
	}
	var hostKey *connector.HostKeyError
	var pin string
	if trustKey != "" {
		// The setting to pin comes from the source's own refusal, so only a kind that asks for it pins.
		if _, err := e.testOnce(ctx, conn); errors.As(err, &hostKey) && !hostKey.Changed {
			pin = hostKey.Setting
			conn.Settings = withSetting(conn.Settings, pin, trustKey)
		}
	}
	msg, err := e.testOnce(ctx, conn)
	if ctx.Err() != nil {
		return TestResult{}, ctx.Err()
	}
	out := TestResult{TestOutcome: store.TestOutcome{At: store.Now(), OK: err == nil, Message: msg}}
	if err != nil {
		out.Message = apperr.From(err).Message
		if errors.As(err, &hostKey) && !hostKey.Changed {
			out.HostKey = &hostKey.HostKey
		}
	} else if pin != "" {
		if err := e.store.UpdateSettings(ctx, conn.ID, conn.Settings); err != nil {
			return out, err
		}
		e.log.Info("host key trusted", "connection", conn.Name, "fingerprint", hostKey.Fingerprint, "operator", e.operator)
		out.Message = fmt.Sprintf("Trusted the server's key %s. %s", hostKey.Fingerprint, msg)
	}
	e.log.Info("connection tested", "connection", conn.Name, "ok", out.OK, "message", out.Message)
	return out, e.store.RecordTest(ctx, conn.ID, out.TestOutcome)
}

// testOnce tests what the connection is used for: reading as a source, taking a delivery as a target.
func (e *Engine) testOnce(ctx context.Context, conn store.Connection) (string, error) {
	var tests []func(context.Context) (string, error)
	if conn.Role != connector.RoleTarget {
		src, err := e.open(conn)
		if err != nil {
			return "", err
		}
		tests = append(tests, src.Test)
	}
	if conn.Role != connector.RoleSource {
		t, records, err := e.openTarget(conn)
		if err != nil {
			return "", err
		}
		if records != nil {
			tests = append(tests, records.Test)
		} else {
			tests = append(tests, t.Test)
		}
	}
	var msgs []string
	for _, test := range tests {
		msg, err := test(ctx)
		if err != nil {
			return "", err
		}
		msgs = append(msgs, msg)
	}
	return strings.Join(msgs, " "), nil
}

func withSetting(settings map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(settings)+1)
	for k, v := range settings {
		out[k] = v
	}
	out[key] = value
	return out
}

// stage copies what a source holds now (narrowed by pull) into a fresh folder of the staging area.
func (e *Engine) stage(ctx context.Context, connectionID int64, pull connector.Pull, rep events.Reporter) (staged, error) {
	conn, src, err := e.source(ctx, connectionID)
	if err != nil {
		return staged{}, err
	}
	if err := os.MkdirAll(e.staging, 0o700); err != nil {
		return staged{}, err
	}
	dir, err := scratch.MkdirTemp(e.staging, fmt.Sprintf("c%d-", conn.ID))
	if err != nil {
		return staged{}, err
	}
	st := staged{conn: conn, dir: dir}
	if st.path, err = src.Stage(ctx, dir, pull, rep); err != nil {
		st.discard()
		return staged{}, err
	}
	return st, nil
}

// keep records a staged copy and its report as the connection's snapshot and removes the one it replaces.
func (e *Engine) keep(ctx context.Context, st staged, report *oneroster.Report) (FetchResult, error) {
	fetchedAt := store.Now()
	raw, err := json.Marshal(report)
	if err == nil {
		var previous string
		previous, err = e.store.PutSnapshot(ctx, store.Snapshot{ConnectionID: st.conn.ID, FetchedAt: fetchedAt, Path: st.path, Report: raw})
		if err == nil && previous != "" {
			os.RemoveAll(filepath.Dir(previous))
		}
	}
	if err != nil {
		st.discard()
		return FetchResult{}, err
	}
	return resultFromReport(st.conn.Name, fetchedAt, report), nil
}

// LastFetch returns the result of the connection's last fetch, or a not_found error.
func (e *Engine) LastFetch(ctx context.Context, connectionID int64) (FetchResult, error) {
	conn, err := e.store.Connection(ctx, connectionID)
	if err != nil {
		return FetchResult{}, notFound(err, "connection")
	}
	snap, err := e.store.Snapshot(ctx, connectionID)
	if err != nil {
		return FetchResult{}, notFound(err, "fetch of "+conn.Name)
	}
	var report oneroster.Report
	if err := json.Unmarshal(snap.Report, &report); err != nil {
		return FetchResult{}, err
	}
	return resultFromReport(conn.Name, snap.FetchedAt, &report), nil
}

// readPackage opens a OneRoster package and streams it to fn with byte progress.
func readPackage(ctx context.Context, path, stage string, rep events.Reporter, fn func(roster.Record) error) (*oneroster.Report, error) {
	pkg, err := oneroster.Open(path)
	if err != nil {
		return nil, err
	}
	defer pkg.Close()
	total := pkg.Size()
	return pkg.Read(ctx, fn, func(done int64) {
		rep.Report(events.Progress{Stage: stage, Done: done, Total: total, Unit: "bytes"})
	})
}

func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.New(apperr.CodeNotFound, "There is no "+what+" (was it removed?).")
	}
	return err
}

func total(counts map[roster.Entity]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// timestamp is the moment a run applies, as a OneRoster DateTime.
func timestamp() string { return store.FormatTime(time.Now()) }
