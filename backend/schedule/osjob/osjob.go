// Package osjob registers `rosterdesk schedule run-due --workspace W` with the operating system, every
// five minutes, so scheduled integrations run while the window is closed: a crontab line on Linux, a
// launchd agent on macOS, a Task Scheduler task on Windows. Each entry names its workspace by a short
// hash of the workspace's absolute path, so two workspaces each have their own and removing one
// leaves the other.
package osjob

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// Kinds of registration.
const (
	Crontab  = "crontab"
	Launchd  = "launchd"
	Schtasks = "schtasks"
)

// Registration is what is (or would be) registered: Where says where in the registrar's words,
// Command is the command run every five minutes, Text the exact entry written.
type Registration struct {
	Kind    string `json:"kind"`
	Where   string `json:"where"`
	Command string `json:"command"`
	Text    string `json:"text"`
}

// Plan is what Register would register, to show before asking.
func Plan(exe, workspace string) Registration {
	return plan(runtime.GOOS, exe, absolute(workspace))
}

// Register adds (or replaces) this workspace's entry.
func Register(exe, workspace string) (Registration, error) {
	ws := absolute(workspace)
	if strings.ContainsAny(exe+ws, "\r\n") {
		return Registration{}, apperr.New(apperr.CodeInvalid,
			"The program's or the workspace's path has a line break, which the operating system's scheduler cannot hold. Move or rename it and try again.")
	}
	reg := plan(runtime.GOOS, exe, ws)
	var err error
	switch reg.Kind {
	case Schtasks:
		err = schtasksRegister(exe, ws)
	case Launchd:
		err = launchdRegister(reg)
	default:
		err = cronRegister(reg, hash(runtime.GOOS, ws))
	}
	if err != nil {
		return Registration{}, err
	}
	return reg, nil
}

// Unregister removes this workspace's entry, and only it; nothing registered is not an error.
func Unregister(workspace string) error {
	ws := absolute(workspace)
	switch runtime.GOOS {
	case "windows":
		return schtasksUnregister(hash("windows", ws))
	case "darwin":
		return launchdUnregister(hash("darwin", ws))
	}
	return cronUnregister(hash(runtime.GOOS, ws))
}

// CannotTellError is Status's error when the operating system's scheduler would not say whether this
// workspace's entry is there: Reason says what failed, Check where a person can look.
type CannotTellError struct{ Reason, Check string }

func (e *CannotTellError) Error() string {
	return fmt.Sprintf("Rosterdesk cannot tell whether scheduled integrations run while it is closed: %s. %s", e.Reason, e.Check)
}

// Status reads this workspace's entry back from the operating system: registered or not, or a
// *CannotTellError when the operating system does not say.
func Status(workspace string) (Registration, bool, error) {
	ws := absolute(workspace)
	switch runtime.GOOS {
	case "windows":
		return schtasksStatus(hash("windows", ws))
	case "darwin":
		return launchdStatus(hash("darwin", ws))
	}
	return cronStatus(hash(runtime.GOOS, ws))
}

func plan(goos, exe, ws string) Registration {
	switch goos {
	case "windows":
		return schtasksPlan(exe, ws)
	case "darwin":
		return launchdPlan(exe, ws)
	}
	return cronPlan(exe, ws, hash(goos, ws))
}

// absolute makes the workspace path absolute, so the entry works from any folder and its hash does
// not depend on where the command was typed.
func absolute(workspace string) string {
	if abs, err := filepath.Abs(workspace); err == nil {
		return abs
	}
	return filepath.Clean(workspace)
}

// hash names a workspace in entries: 10 hex digits of its path's SHA-256 (case-folded on Windows,
// where C:\Data and c:\data are one file).
func hash(goos, ws string) string {
	if goos == "windows" {
		ws = strings.ToLower(ws)
	}
	sum := sha256.Sum256([]byte(ws))
	return hex.EncodeToString(sum[:])[:10]
}

// args is what the operating system runs.
func args(exe, ws string) []string {
	return []string{exe, "schedule", "run-due", "--workspace", ws}
}

// shellQuote quotes for a POSIX shell: in single quotes, where an apostrophe is written as end
// quote, backslash, apostrophe, start quote; words made only of safe characters stay as they are.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func shellJoin(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shellQuote(w)
	}
	return strings.Join(q, " ")
}

// failed turns a scheduler command's failure into a message saying what to do.
func failed(what string, err error, out []byte) error {
	detail := strings.TrimSpace(string(out))
	if detail == "" {
		detail = err.Error()
	}
	return apperr.New(apperr.CodeInternal, fmt.Sprintf("%s failed: %s. Nothing else was changed; try again, or ask your IT support whether you may schedule tasks on this computer.", what, detail))
}
