package osjob

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func launchdLabel(h string) string { return "com.rosterdesk.run-due." + h }

// plistPath is the agent's file in the user's LaunchAgents folder.
func plistPath(h string) string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "~"
	}
	return filepath.Join(home, "Library", "LaunchAgents", launchdLabel(h)+".plist")
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// launchdPlan is a LaunchAgent run every 300 seconds and once when loaded (at login), so a slot
// missed while the Mac was off or asleep runs soon after.
func launchdPlan(exe, ws string) Registration {
	h := hash("darwin", ws)
	var list strings.Builder
	for _, a := range args(exe, ws) {
		fmt.Fprintf(&list, "\t\t<string>%s</string>\n", xmlText(a))
	}
	text := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + launchdLabel(h) + `</string>
	<key>ProgramArguments</key>
	<array>
` + list.String() + `	</array>
	<key>StartInterval</key>
	<integer>300</integer>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Background</string>
</dict>
</plist>
`
	return Registration{Kind: Launchd, Where: plistPath(h), Command: shellJoin(args(exe, ws)), Text: text}
}

// programArguments reads the ProgramArguments array back out of a plist.
func programArguments(text string) ([]string, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	var key string
	var inArray bool
	var out []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		start, ok := tok.(xml.StartElement)
		switch {
		case ok && start.Name.Local == "key":
			if err := d.DecodeElement(&key, &start); err != nil {
				return nil, err
			}
		case ok && start.Name.Local == "array":
			inArray = key == "ProgramArguments"
		case ok && start.Name.Local == "string" && inArray:
			var s string
			if err := d.DecodeElement(&s, &start); err != nil {
				return nil, err
			}
			out = append(out, s)
		default:
			if end, isEnd := tok.(xml.EndElement); isEnd && end.Name.Local == "array" {
				inArray = false
			}
		}
	}
}

func launchctl(args ...string) ([]byte, error) {
	return exec.Command("launchctl", args...).CombinedOutput()
}

func launchdRegister(reg Registration) error {
	if err := os.MkdirAll(filepath.Dir(reg.Where), 0o755); err != nil {
		return failed("Creating "+filepath.Dir(reg.Where), err, nil)
	}
	tmp := reg.Where + ".tmp"
	if err := os.WriteFile(tmp, []byte(reg.Text), 0o644); err != nil {
		return failed("Writing "+reg.Where, err, nil)
	}
	if err := os.Rename(tmp, reg.Where); err != nil {
		os.Remove(tmp)
		return failed("Writing "+reg.Where, err, nil)
	}
	domain := fmt.Sprintf("gui/%d", os.Getuid())
	label := strings.TrimSuffix(filepath.Base(reg.Where), ".plist")
	_, _ = launchctl("bootout", domain+"/"+label) // an earlier version of the agent, if loaded
	if out, err := launchctl("bootstrap", domain, reg.Where); err != nil {
		return failed("Loading the agent (launchctl bootstrap)", err, out)
	}
	return nil
}

func launchdUnregister(h string) error {
	_, _ = launchctl("bootout", fmt.Sprintf("gui/%d/%s", os.Getuid(), launchdLabel(h))) // fails when not loaded
	if err := os.Remove(plistPath(h)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return failed("Removing "+plistPath(h), err, nil)
	}
	return nil
}

func launchdStatus(h string) (Registration, bool, error) {
	text, err := os.ReadFile(plistPath(h))
	if errors.Is(err, fs.ErrNotExist) {
		return Registration{}, false, nil
	}
	if err != nil {
		return Registration{}, false, &CannotTellError{Reason: "reading " + plistPath(h) + " failed: " + err.Error(),
			Check: "Look in the Finder for " + filepath.Base(plistPath(h)) + " in " + filepath.Dir(plistPath(h)) + "."}
	}
	reg := Registration{Kind: Launchd, Where: plistPath(h), Text: string(text)}
	if a, err := programArguments(reg.Text); err == nil {
		reg.Command = shellJoin(a)
	}
	return reg, true, nil
}
