// Package settings keeps per-user preferences (theme, window geometry) in a small JSON file in the
// user's config folder, apart from the workspace, which holds only domain data.
package settings

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Window is the last window geometry.
type Window struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
}

// Preferences are the user's settings.
type Preferences struct {
	Theme  string `json:"theme"` // auto | light | dark
	Window Window `json:"window"`
}

// File is a preferences file.
type File struct {
	path string
	mu   sync.Mutex
}

// Open returns the preferences file at path (it need not exist yet).
func Open(path string) *File { return &File{path: path} }

// DefaultPath is <user config dir>/Rosterdesk/settings.json.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "Rosterdesk", "settings.json"), nil
}

// Load reads the preferences; a missing or unreadable file yields the defaults, because preferences
// must never stop the app from starting.
func (f *File) Load() Preferences {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := Preferences{Theme: "auto"}
	if b, err := os.ReadFile(f.path); err == nil {
		_ = json.Unmarshal(b, &p)
	}
	if p.Theme != "light" && p.Theme != "dark" {
		p.Theme = "auto"
	}
	return p
}

// Update applies change to the stored preferences and writes them atomically.
func (f *File) Update(change func(*Preferences)) error {
	p := f.Load()
	change(&p)
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}
