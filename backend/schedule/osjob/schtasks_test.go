package osjob

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// crtArgs splits a Windows command line the way the C runtime (and so schtasks) does.
func crtArgs(line string) []string {
	var out []string
	var cur strings.Builder
	inQuotes, started := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(line) && line[i] == '\\' {
				n++
				i++
			}
			if i < len(line) && line[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					inQuotes = !inQuotes
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			started = true
		case c == '"':
			inQuotes = !inQuotes
			started = true
		case (c == ' ' || c == '\t') && !inQuotes:
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

func TestSchtasks(t *testing.T) {
	exe := `C:\Program Files\Rosterdesk\rosterdesk.exe`
	ws := `C:\Users\Ms O'Neil\Documents\Roster 2026\workspace.db`
	h := hash("windows", ws)
	if h != hash("windows", strings.ToUpper(ws)) {
		t.Error("the task name depends on the case of the path, which Windows ignores")
	}
	reg := schtasksPlan(exe, ws)
	wantRun := `"C:\Program Files\Rosterdesk\rosterdesk.exe" schedule run-due --workspace "C:\Users\Ms O'Neil\Documents\Roster 2026\workspace.db"`
	wantArgs := []string{"/Create", "/F", "/SC", "MINUTE", "/MO", "5", "/TN", `Rosterdesk\run-due ` + h, "/TR", wantRun}
	if got := schtasksCreateArgs(exe, ws); !reflect.DeepEqual(got, wantArgs) {
		t.Errorf("arguments %q\nwant %q", got, wantArgs)
	}
	if reg.Kind != Schtasks || reg.Command != wantRun || reg.Where != `Task Scheduler, task Rosterdesk\run-due `+h {
		t.Errorf("registration %+v", reg)
	}
	wantText := `schtasks /Create /F /SC MINUTE /MO 5 /TN "Rosterdesk\run-due ` + h + `" /TR "\"C:\Program Files\Rosterdesk\rosterdesk.exe\" schedule run-due --workspace \"C:\Users\Ms O'Neil\Documents\Roster 2026\workspace.db\""`
	if reg.Text != wantText {
		t.Errorf("text\n%s\nwant\n%s", reg.Text, wantText)
	}
	if got := crtArgs(reg.Text); !reflect.DeepEqual(got, append([]string{"schtasks"}, wantArgs...)) {
		t.Errorf("schtasks would read %q", got)
	}
	// The task's own command line splits back into the program and its arguments.
	if got := crtArgs(wantRun); !reflect.DeepEqual(got, args(exe, ws)) {
		t.Errorf("the task would run %q", got)
	}
}

func TestWindowsArg(t *testing.T) {
	for _, s := range []string{"", "plain", `a b`, `tab	here`, `quote"inside`, `C:\dir\`, `C:\dir with space\`, `\\server\share\"x`, `a\\"b c`} {
		if got := crtArgs(windowsArg(s)); !reflect.DeepEqual(got, []string{s}) {
			t.Errorf("windowsArg(%q) = %s reads back as %q", s, windowsArg(s), got)
		}
	}
}

func TestSchtasksTooLong(t *testing.T) {
	ws := `C:\` + strings.Repeat(`very long folder name\`, 12) + "workspace.db"
	err := schtasksRegister(`C:\Program Files\Rosterdesk\rosterdesk.exe`, ws)
	if e := apperr.From(err); e == nil || e.Code != apperr.CodeInvalid || !strings.Contains(e.Message, "at most 261") {
		t.Errorf("error = %v", err)
	}
}

func TestTaskRunOf(t *testing.T) {
	listing := "\r\nFolder: \\Rosterdesk\r\nHostName:                             PC\r\nTaskName:                             \\Rosterdesk\\run-due 0123456789\r\n" +
		"Aufgabe zum Ausführen:                \"C:\\Rosterdesk\\rosterdesk.exe\" schedule run-due --workspace \"C:\\ws.db\"\r\n"
	if got := taskRunOf(listing); got != `"C:\Rosterdesk\rosterdesk.exe" schedule run-due --workspace "C:\ws.db"` {
		t.Errorf("taskRunOf = %q", got)
	}
}
