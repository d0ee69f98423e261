package osjob

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// maxTaskRun is the longest /TR schtasks accepts.
const maxTaskRun = 261

func taskName(h string) string { return `Rosterdesk\run-due ` + h }

// taskRun is the task's command line. Windows paths cannot hold a double quote, so quoting the two
// paths is enough.
func taskRun(exe, ws string) string {
	return fmt.Sprintf(`"%s" schedule run-due --workspace "%s"`, exe, ws)
}

func schtasksCreateArgs(exe, ws string) []string {
	return []string{"/Create", "/F", "/SC", "MINUTE", "/MO", "5", "/TN", taskName(hash("windows", ws)), "/TR", taskRun(exe, ws)}
}

func schtasksPlan(exe, ws string) Registration {
	words := append([]string{"schtasks"}, schtasksCreateArgs(exe, ws)...)
	for i, w := range words {
		words[i] = windowsArg(w)
	}
	return Registration{
		Kind:    Schtasks,
		Where:   `Task Scheduler, task ` + taskName(hash("windows", ws)),
		Command: taskRun(exe, ws),
		Text:    strings.Join(words, " "),
	}
}

// windowsArg quotes one argument the way Go's os/exec does on Windows (syscall.EscapeArg), so Text
// shows the command line schtasks receives: in double quotes when it holds a space or a tab, a quote
// as \" and the backslashes before a quote (or before the closing quote) doubled.
func windowsArg(s string) string {
	if s == "" {
		return `""`
	}
	quote := strings.ContainsAny(s, " \t")
	var b strings.Builder
	if quote {
		b.WriteByte('"')
	}
	slashes := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteByte(s[i])
	}
	if quote {
		b.WriteString(strings.Repeat(`\`, slashes) + `"`)
	}
	return b.String()
}

func schtasksRegister(exe, ws string) error {
	if n := len(taskRun(exe, ws)); n > maxTaskRun {
		return apperr.New(apperr.CodeInvalid, fmt.Sprintf(
			"The command for Task Scheduler is %d characters long and Windows takes at most %d. Move the workspace to a folder with a shorter path (for example C:\\Rosterdesk) and try again.", n, maxTaskRun))
	}
	if out, err := exec.Command("schtasks", schtasksCreateArgs(exe, ws)...).CombinedOutput(); err != nil {
		return failed("Creating the task (schtasks /Create)", err, out)
	}
	return nil
}

func schtasksUnregister(h string) error {
	if _, ok, err := schtasksStatus(h); !ok && err == nil {
		return nil
	}
	if out, err := exec.Command("schtasks", "/Delete", "/TN", taskName(h), "/F").CombinedOutput(); err != nil {
		return failed("Removing the task (schtasks /Delete)", err, out)
	}
	return nil
}

// schtasksStatus asks for the task. The query fails alike when there is none and when schtasks
// cannot answer (in words of the language of Windows), so then the list of all tasks tells which:
// ours is not in it, or the list cannot be had either. The labels of the listing are in the language
// of Windows too, so the command is found by its content.
func schtasksStatus(h string) (Registration, bool, error) {
	out, err := exec.Command("schtasks", "/Query", "/TN", taskName(h), "/V", "/FO", "LIST").Output()
	if err != nil {
		all, lerr := exec.Command("schtasks", "/Query", "/FO", "CSV", "/NH").CombinedOutput()
		if lerr == nil && !strings.Contains(string(all), taskName(h)) {
			return Registration{}, false, nil
		}
		reason := "schtasks /Query failed"
		if detail := strings.TrimSpace(string(all)); lerr != nil && detail != "" {
			reason += ": " + detail
		}
		return Registration{}, false, &CannotTellError{Reason: reason, Check: `Open Task Scheduler and look for the task ` + taskName(h) + `.`}
	}
	reg := Registration{Kind: Schtasks, Where: `Task Scheduler, task ` + taskName(h), Text: string(out)}
	reg.Command = taskRunOf(reg.Text)
	return reg, true, nil
}

// taskRunOf finds the "Task To Run:" value in schtasks /Query /V /FO LIST output.
func taskRunOf(listing string) string {
	for _, line := range strings.Split(listing, "\n") {
		if _, value, ok := strings.Cut(line, ":"); ok && strings.Contains(value, "schedule run-due") {
			return strings.TrimSpace(value)
		}
	}
	return ""
}
