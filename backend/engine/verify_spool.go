package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
)

// Differences are a verification's differences kept in a scratch file, so a district of any size
// is listed (after its counts, by the CLI) or saved (by the window) without being held in memory.
type Differences struct{ path string }

// VerifyToFile is Verify keeping every difference in a scratch file of dir (the system's temporary
// folder when ""), each also passed to seen when it is not nil. Remove must follow.
func (e *Engine) VerifyToFile(ctx context.Context, connectionID int64, opts VerifyOptions, dir string, rep events.Reporter, seen func(Difference)) (Verification, *Differences, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return Verification{}, nil, err
		}
	}
	f, err := scratch.CreateTemp(dir, "verify-*.jsonl")
	if err != nil {
		return Verification{}, nil, err
	}
	defer f.Close()
	d := &Differences{path: f.Name()}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	v, err := e.Verify(ctx, connectionID, opts, rep, func(diff Difference) error {
		if seen != nil {
			seen(diff)
		}
		return enc.Encode(diff)
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		d.Remove()
		return Verification{}, nil, err
	}
	return v, d, nil
}

// Each reads the differences back in the order they were found.
func (d *Differences) Each(fn func(Difference) error) error {
	f, err := os.Open(d.path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var diff Difference
		if err := dec.Decode(&diff); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if err := fn(diff); err != nil {
			return err
		}
	}
}

// Remove deletes the scratch file.
func (d *Differences) Remove() { os.Remove(d.path) }
