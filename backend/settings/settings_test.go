package settings

import (
	"os"
	"path/filepath"
	"testing"
)

func TestUpdateAndLoadRoundTrip(t *testing.T) {
	f := Open(filepath.Join(t.TempDir(), "Rosterdesk", "settings.json"))
	if p := f.Load(); p.Theme != "auto" {
		t.Fatalf("default theme %q", p.Theme)
	}
	err := f.Update(func(p *Preferences) {
		p.Theme = "dark"
		p.Window = Window{X: 10, Y: 20, Width: 1200, Height: 800}
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Load(); p.Theme != "dark" || p.Window.Width != 1200 || p.Window.Y != 20 {
		t.Fatalf("loaded %+v", p)
	}
}

func TestCorruptFileFallsBackToDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	os.WriteFile(path, []byte("{not json"), 0o600)
	if p := Open(path).Load(); p.Theme != "auto" {
		t.Fatalf("loaded %+v", p)
	}
}
