package settings

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DownloadsDir is where files the user downloads from the window go, as a browser would put them:
// $XDG_DOWNLOAD_DIR on Linux when set, else the Downloads folder of the home folder (created if missing).
func DownloadsDir() (string, error) {
	dir := os.Getenv("XDG_DOWNLOAD_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, "Downloads")
	}
	return dir, os.MkdirAll(dir, 0o700)
}

// SaveDownload writes a file named name into the Downloads folder, never over an existing file
// ("name (2).xlsx" instead), and returns its path. The file appears whole or not at all.
func SaveDownload(name string, write func(io.Writer) error) (string, error) {
	dir, err := DownloadsDir()
	if err != nil {
		return "", fmt.Errorf("the Downloads folder is not available: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".rosterdesk-*.part")
	if err != nil {
		return "", fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for n := 1; ; n++ {
		path := filepath.Join(dir, name)
		if n > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", base, n, ext))
		}
		// A hard link fails if the name is taken, so two downloads never overwrite each other; a
		// folder that cannot hold links (FAT, some network drives) gets a checked rename instead.
		err := os.Link(tmp.Name(), path)
		if err == nil {
			return path, nil
		}
		if os.IsExist(err) {
			continue
		}
		if _, serr := os.Stat(path); os.IsNotExist(serr) {
			if err := os.Rename(tmp.Name(), path); err != nil {
				return "", fmt.Errorf("cannot save %s: %w", path, err)
			}
			return path, nil
		}
	}
}
