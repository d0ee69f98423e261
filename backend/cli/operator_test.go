package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// `operator list|add|set|remove`: the first to use a workspace is Full; a Limited operator is
// refused a connection change with exit status 5 and the message on stderr, and still imports; the
// last Full operator stays Full.
func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	as := func(op string) { t.Setenv(workspace.OperatorVar, op) }
	as("ada")
	mustRun(t, dir, "generate", "--out", zip, "--users", "60", "--seed", "4")
	mustRun(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	if out := mustRun(t, dir, "operator", "add", "lin", "--role", "limited"); !strings.Contains(out, "Added lin as a Limited operator.") {
		t.Fatalf("add: %s", out)
	}
	mustRun(t, dir, "operator", "add", "rob", "--role", "read-only")
	var list operatorsJSON
	if err := json.Unmarshal([]byte(mustRun(t, dir, "operator", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if list.You.Name != "ada" || list.You.Role != "full" || !list.You.Listed || len(list.Operators) != 3 ||
		list.Operators[0].Name != "ada" || list.Operators[0].AddedBy != "" || list.Operators[1].Name != "lin" || list.Operators[1].Role != "limited" || list.Operators[1].AddedBy != "ada" {
		t.Fatalf("list --json: %+v", list)
	}
	if out := mustRun(t, dir, "operator", "list"); !strings.Contains(out, "ada (you)  Full") || !strings.Contains(out, "(first operator)") {
		t.Fatalf("list:\n%s", out)
	}
	if _, errOut, code := run(t, dir, "operator", "set", "ada", "--role", "limited"); code != 1 || !strings.Contains(errOut, "ada is the last Full operator") {
		t.Fatalf("demoting the last Full operator: %d %s", code, errOut)
	}

	as("lin")
	_, errOut, code := run(t, dir, "connection", "add", "Vendor", "--kind", "oneroster-csv", "--role", "target", "--set", "path="+dir)
	if code != exitForbidden || !strings.Contains(errOut, "needs the Write right on Connections. Your role, Limited (operator lin)") {
		t.Fatalf("a Limited operator adding a connection: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, dir, "runs", "clear", "--yes"); code != exitForbidden || !strings.Contains(errOut, "Delete right on History") {
		t.Fatalf("a Limited operator clearing the history: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, dir, "operator", "add", "sam", "--role", "full"); code != exitForbidden || !strings.Contains(errOut, "Write right on Operators") {
		t.Fatalf("a Limited operator adding an operator: %d %s", code, errOut)
	}
	if out := mustRun(t, dir, "import", "SIS"); !strings.Contains(out, "by lin") {
		t.Fatalf("a Limited operator's import:\n%s", out)
	}

	as("sam")
	_, errOut, code = run(t, dir, "fetch", "SIS")
	if code != exitForbidden || !strings.Contains(errOut, "sam is not an operator of this workspace") || !strings.Contains(errOut, "rosterdesk operator add sam --role limited") {
		t.Fatalf("someone not listed fetching: %d %s", code, errOut)
	}
	if out := mustRun(t, dir, "operator", "list"); !strings.Contains(out, "You (sam) are not an operator of this workspace") {
		t.Fatalf("list as sam:\n%s", out)
	}

	as("ada")
	mustRun(t, dir, "operator", "set", "lin", "--role", "full")
	if out := mustRun(t, dir, "operator", "remove", "ada"); !strings.Contains(out, "Removed ada") {
		t.Fatalf("remove: %s", out)
	}
	as("lin")
	if _, errOut, code := run(t, dir, "operator", "remove", "nobody"); code != 1 || !strings.Contains(errOut, "The operators are lin, rob.") {
		t.Fatalf("removing nobody: %d %s", code, errOut)
	}
}
