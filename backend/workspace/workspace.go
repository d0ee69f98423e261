// Package workspace finds the workspace file and builds the services over it, the same way for the
// desktop window and the command line.
package workspace

import (
	"context"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/connector/rest"
	"github.com/rosterdesk/rosterdesk/backend/connector/restpush"
	"github.com/rosterdesk/rosterdesk/backend/connector/sftpdrop"
	"github.com/rosterdesk/rosterdesk/backend/connector/spreadsheet"
	"github.com/rosterdesk/rosterdesk/backend/connector/xpress"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// EnvVar overrides the default workspace path.
const EnvVar = "ROSTERDESK_WORKSPACE"

// Workspace is an open workspace and the services over it.
type Workspace struct {
	Store        *store.Store
	Kinds        *connector.Registry
	Engine       *engine.Engine
	Connections  *connections.Service
	Integrations *integrations.Service
	Operator     string
}

// Resolve returns the workspace path: the flag, else $ROSTERDESK_WORKSPACE, else
// <user config dir>/Rosterdesk/workspace.db.
func Resolve(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if env := os.Getenv(EnvVar); env != "" {
		return filepath.Abs(env)
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "Rosterdesk", "workspace.db"), nil
}

// Kinds registers the connection kinds of this build.
func Kinds() *connector.Registry {
	return connector.NewRegistry(csvzip.Kind(), sftpdrop.Kind(), rest.Kind(), restpush.Kind(), spreadsheet.Kind(), xpress.Kind())
}

// OperatorVar names the operator instead of the account name, in a development build and in tests
// only (operatorVarTrusted): a release build ignores it, so nobody passes for another operator by
// setting a variable.
const OperatorVar = "ROSTERDESK_OPERATOR"

var operatorVarTrusted = testing.Testing()

// Operator is who runs things from this session: the operating-system account name.
func Operator() string {
	if name := os.Getenv(OperatorVar); name != "" && operatorVarTrusted {
		return name
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// Open opens the workspace at path and this computer's secret store, and builds the services over
// them, logging to log.
func Open(path string, log *slog.Logger) (*Workspace, error) {
	configDir, err := secrets.ConfigDir()
	if err != nil {
		return nil, err
	}
	vault, err := secrets.Open(configDir)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	kinds, op := Kinds(), Operator()
	// The first operator of a workspace (a new one, or one from before operators) is Full.
	if _, err := st.AddFirstOperator(context.Background(), op); err != nil {
		st.Close()
		return nil, err
	}
	eng := engine.New(st, kinds, vault, engine.StagingDir(path), op, log)
	return &Workspace{Store: st, Kinds: kinds, Operator: op, Engine: eng,
		Connections:  connections.New(st, kinds, vault, op),
		Integrations: integrations.New(st, kinds, eng, op)}, nil
}

// Close stops the engine's work in the background, then closes the workspace.
func (w *Workspace) Close() error {
	w.Engine.Close()
	return w.Store.Close()
}

// RemoveConnection removes a connection. A source's records are first released in a recorded run
// (engine.ReleaseSource): those other sources supply are worked out from them, those it alone
// supplied are kept as they are (keepRecords) or marked tobedeleted. The returned run is zero for a
// connection that supplied nothing.
func (w *Workspace) RemoveConnection(ctx context.Context, id int64, keepRecords bool, rep events.Reporter) (store.Run, error) {
	// Before the release run, which would otherwise change the roster and then be refused.
	if err := rights.Need(ctx, w.Store, w.Operator, rights.Connections, rights.Delete); err != nil {
		return store.Run{}, err
	}
	var run store.Run
	supply, err := w.Store.Supply(ctx, id)
	if err != nil {
		return run, err
	}
	if len(supply.Only)+len(supply.Shared) > 0 {
		if run, err = w.Engine.ReleaseSource(ctx, id, keepRecords, rep); err != nil {
			return run, err
		}
	}
	return run, w.Connections.Remove(ctx, id)
}
