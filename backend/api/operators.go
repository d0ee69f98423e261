package api

import (
	"context"

	"github.com/rosterdesk/rosterdesk/backend/rights"
	"github.com/rosterdesk/rosterdesk/backend/store"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// OperatorsAPI is Settings → Operators: who may do what in this workspace, and who this window's
// operator is. The services check the rights; the window only greys out what the role cannot do.
type OperatorsAPI struct {
	store    *store.Store
	operator string
}

// NewOperatorsAPI returns the facade.
func NewOperatorsAPI(ws *workspace.Workspace) *OperatorsAPI {
	return &OperatorsAPI{store: ws.Store, operator: ws.Operator}
}

// Me is this window's operator: their role (Read-only when not Listed) and their rights per tool.
type Me struct {
	Name   string              `json:"name"`
	Role   string              `json:"role"`
	Listed bool                `json:"listed"`
	Rights map[string][]string `json:"rights"` // tool → read, write, delete
}

// Me returns this window's operator as the workspace knows them now.
func (a *OperatorsAPI) Me() (Me, error) {
	me, err := rights.Of(context.Background(), a.store, a.operator)
	if err != nil {
		return Me{}, err
	}
	out := Me{Name: me.Name, Role: me.Role, Listed: me.Listed, Rights: map[string][]string{}}
	for tool, rs := range rights.Table(me.Role) {
		for _, r := range rs {
			out.Rights[string(tool)] = append(out.Rights[string(tool)], string(r))
		}
	}
	return out, nil
}

// List lists the workspace's operators by name.
func (a *OperatorsAPI) List() ([]store.Operator, error) {
	return a.store.Operators(context.Background())
}

// Add lists an operator with a role (full, limited or read-only).
func (a *OperatorsAPI) Add(name, role string) (store.Operator, error) {
	return rights.Add(context.Background(), a.store, a.operator, name, role)
}

// SetRole changes an operator's role; the last Full operator stays Full.
func (a *OperatorsAPI) SetRole(name, role string) error {
	return rights.SetRole(context.Background(), a.store, a.operator, name, role)
}

// Remove takes an operator off the list; the last Full operator stays.
func (a *OperatorsAPI) Remove(name string) error {
	return rights.Remove(context.Background(), a.store, a.operator, name)
}
