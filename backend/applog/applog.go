// Package applog keeps the app's log in a rotating file in the user's Rosterdesk folder, for the
// registrar or their support to read after a scheduled or desktop run. It records what ran, when and
// how it ended — connection names, counts, errors — never secrets and never roster records.
package applog

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Dir is <user config dir>/Rosterdesk/logs.
func Dir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "Rosterdesk", "logs"), nil
}

// Open returns a logger writing to dir/rosterdesk.log, rotated at 5 MB with three old files kept.
func Open(dir string) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	file := &lumberjack.Logger{Filename: filepath.Join(dir, "rosterdesk.log"), MaxSize: 5, MaxBackups: 3}
	return slog.New(slog.NewTextHandler(file, nil)), file, nil
}

// Discard is a logger that writes nowhere, for tests.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
