package osjob

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// cronEvery is the crontab time of the entry: every five minutes.
const cronEvery = "*/5 * * * *"

// cronMarker ends both of the entry's lines (a crontab comment, then a shell comment after the
// command), so Unregister finds them again and no one else's.
func cronMarker(h string) string { return "rosterdesk-run-due:" + h }

func cronPlan(exe, ws, h string) Registration {
	command := shellJoin(args(exe, ws))
	// cron runs the line with sh and a bare environment: the session bus lets Rosterdesk reach the
	// keychain holding the connections' passwords while the user is logged in. Output is dropped
	// (cron would mail it every time); each run is recorded in the workspace. cron reads an
	// unescaped % as the end of the command, so a % in a path is escaped.
	line := fmt.Sprintf("%s DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/%d/bus %s >/dev/null 2>&1 # %s",
		cronEvery, os.Getuid(), strings.ReplaceAll(command, "%", `\%`), cronMarker(h))
	return Registration{
		Kind:    Crontab,
		Where:   cronWhere(),
		Command: command,
		Text:    fmt.Sprintf("# Rosterdesk runs the scheduled integrations of %s [%s]\n%s\n", strings.ReplaceAll(ws, "\n", " "), cronMarker(h), line),
	}
}

func cronWhere() string {
	who := "your user"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	return "the crontab of " + who + " (crontab -l shows it)"
}

// isCronEntry says whether a crontab line is one of the entry's two lines.
func isCronEntry(line, h string) bool {
	line = strings.TrimRight(line, " \t\r")
	m := cronMarker(h)
	return strings.HasSuffix(line, "# "+m) || strings.HasSuffix(line, "["+m+"]")
}

// withoutEntry is the crontab without the entry's lines, every other line kept as it was.
func withoutEntry(tab, h string) (rest string, found []string) {
	var kept []string
	for _, line := range strings.SplitAfter(tab, "\n") {
		if line == "" {
			continue
		}
		if isCronEntry(strings.TrimSuffix(line, "\n"), h) {
			found = append(found, strings.TrimSuffix(line, "\n"))
			continue
		}
		kept = append(kept, line)
	}
	rest = strings.Join(kept, "")
	if rest != "" && !strings.HasSuffix(rest, "\n") {
		rest += "\n" // crontab refuses a last line without one
	}
	return rest, found
}

// readCrontab returns the user's crontab ("" when none); its error is what crontab -l said.
func readCrontab() (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("crontab", "-l")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && strings.Contains(stderr.String(), "no crontab") {
		return "", nil
	}
	if err != nil {
		if detail := strings.TrimSpace(stderr.String()); detail != "" {
			return "", errors.New(detail)
		}
		return "", err
	}
	return string(out), nil
}

func writeCrontab(tab string) error {
	cmd := exec.Command("crontab", "-")
	if strings.TrimSpace(tab) == "" {
		cmd = exec.Command("crontab", "-r")
	}
	cmd.Stdin = strings.NewReader(tab)
	if out, err := cmd.CombinedOutput(); err != nil {
		if strings.Contains(string(out), "no crontab") {
			return nil // removing a crontab there is none of
		}
		return failed("Writing your crontab", err, out)
	}
	return nil
}

func cronRegister(reg Registration, h string) error {
	if _, err := exec.LookPath("crontab"); err != nil {
		return cronMissing()
	}
	tab, err := readCrontab()
	if err != nil {
		return failed("Reading your crontab (crontab -l)", err, nil)
	}
	rest, _ := withoutEntry(tab, h)
	return writeCrontab(rest + reg.Text)
}

func cronUnregister(h string) error {
	if _, err := exec.LookPath("crontab"); err != nil {
		return nil // no crontab program, so nothing can be registered
	}
	tab, err := readCrontab()
	if err != nil {
		return failed("Reading your crontab (crontab -l)", err, nil)
	}
	rest, found := withoutEntry(tab, h)
	if len(found) == 0 {
		return nil
	}
	return writeCrontab(rest)
}

func cronStatus(h string) (Registration, bool, error) {
	if _, err := exec.LookPath("crontab"); err != nil {
		return Registration{}, false, nil
	}
	tab, err := readCrontab()
	if err != nil {
		return Registration{}, false, &CannotTellError{Reason: "crontab -l failed: " + err.Error(),
			Check: "Run crontab -l to see your crontab: this workspace's line ends with # " + cronMarker(h) + "."}
	}
	_, found := withoutEntry(tab, h)
	if len(found) == 0 {
		return Registration{}, false, nil
	}
	reg := Registration{Kind: Crontab, Where: cronWhere(), Text: strings.Join(found, "\n") + "\n"}
	for _, line := range found {
		if strings.HasPrefix(line, cronEvery+" ") {
			reg.Command = cronCommand(line, h)
		}
	}
	return reg, true, nil
}

// cronCommand reads the command back out of the entry's line.
func cronCommand(line, h string) string {
	cmd := strings.TrimPrefix(line, cronEvery+" ")
	if env, rest, ok := strings.Cut(cmd, " "); ok && strings.HasPrefix(env, "DBUS_SESSION_BUS_ADDRESS=") {
		cmd = rest
	}
	cmd = strings.TrimSuffix(strings.TrimRight(cmd, " \t\r"), " # "+cronMarker(h))
	cmd = strings.TrimSuffix(cmd, " >/dev/null 2>&1")
	return strings.ReplaceAll(cmd, `\%`, "%")
}

func cronMissing() error {
	return apperr.New(apperr.CodeInvalid, "This computer has no crontab program, so Rosterdesk cannot run on schedule while it is closed. Install cron (on Debian or Ubuntu: sudo apt-get install cron) and try again.")
}
