package osjob

import (
	"encoding/json"
	"encoding/xml"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// node is any XML element, for reading the plist back without the code under test.
type node struct {
	XMLName  xml.Name
	Text     string `xml:",chardata"`
	Children []node `xml:",any"`
}

func TestLaunchdPlist(t *testing.T) {
	exe := "/Applications/Rosterdesk.app/Contents/MacOS/Rosterdesk"
	ws := "/Users/ms o'neil/Documents/Roster <2026> & \"co\" 100%.db"
	reg := launchdPlan(exe, ws)
	h := hash("darwin", ws)
	if reg.Kind != Launchd || filepath.Base(reg.Where) != "com.rosterdesk.run-due."+h+".plist" ||
		!strings.HasSuffix(filepath.Dir(reg.Where), filepath.Join("Library", "LaunchAgents")) {
		t.Errorf("registration %+v", reg)
	}

	var doc node
	if err := xml.Unmarshal([]byte(reg.Text), &doc); err != nil {
		t.Fatalf("the plist is not XML: %v\n%s", err, reg.Text)
	}
	if doc.XMLName.Local != "plist" || len(doc.Children) != 1 || doc.Children[0].XMLName.Local != "dict" {
		t.Fatalf("plist shape: %+v", doc)
	}
	dict := map[string]node{}
	items := doc.Children[0].Children
	for i := 0; i+1 < len(items); i += 2 {
		if items[i].XMLName.Local != "key" {
			t.Fatalf("expected a key, got %s", items[i].XMLName.Local)
		}
		dict[items[i].Text] = items[i+1]
	}
	if n := dict["Label"]; n.XMLName.Local != "string" || n.Text != "com.rosterdesk.run-due."+h {
		t.Errorf("Label = %+v", n)
	}
	if n := dict["StartInterval"]; n.XMLName.Local != "integer" || n.Text != "300" {
		t.Errorf("StartInterval = %+v", n)
	}
	if n := dict["RunAtLoad"]; n.XMLName.Local != "true" {
		t.Errorf("RunAtLoad = %+v", n)
	}
	var got []string
	for _, c := range dict["ProgramArguments"].Children {
		got = append(got, c.Text)
	}
	want := []string{exe, "schedule", "run-due", "--workspace", ws}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ProgramArguments = %q, want %q", got, want)
	}
	if back, err := programArguments(reg.Text); err != nil || !reflect.DeepEqual(back, want) {
		t.Errorf("programArguments = %q, %v", back, err)
	}

	// Python's plistlib reads property lists the way macOS does; where it is installed, it must
	// read the same values.
	if _, err := exec.LookPath("python3"); err == nil {
		cmd := exec.Command("python3", "-c", "import json,plistlib,sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))")
		cmd.Stdin = strings.NewReader(reg.Text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("plistlib: %v", err)
		}
		var p struct {
			Label            string
			ProgramArguments []string
			StartInterval    int
			RunAtLoad        bool
		}
		if err := json.Unmarshal(out, &p); err != nil {
			t.Fatal(err)
		}
		if p.Label != "com.rosterdesk.run-due."+h || !reflect.DeepEqual(p.ProgramArguments, want) || p.StartInterval != 300 || !p.RunAtLoad {
			t.Errorf("plistlib read %+v", p)
		}
	}
}
