package csvzip

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// target writes exports into a folder on this computer (or a network drive mounted on it).
type target struct{ path string }

var _ connector.Target = target{}

// dest is where an export called name goes: the .zip the connection names, or name inside its folder.
func (t target) dest(name string) (folder, final string) {
	if isZip(t.path) {
		return filepath.Dir(t.path), t.path
	}
	return t.path, filepath.Join(t.path, name)
}

// Deliver copies local beside the final file under a temporary name, then renames it over the final
// one, so a program reading the folder sees the previous export or the new one, never half of it.
func (t target) Deliver(ctx context.Context, local, name string, rep events.Reporter) (string, error) {
	folder, final := t.dest(name)
	if err := checkFolder(apperr.CodeBadInput, folder); err != nil {
		return "", err
	}
	info, err := os.Stat(local)
	if err != nil {
		return "", err
	}
	part := connector.PartName(final)
	c := &copier{ctx: ctx, rep: rep, total: info.Size()}
	if err = c.file(local, part); err == nil {
		err = os.Rename(part, final)
	}
	if err != nil {
		os.Remove(part)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", writeError(folder, err)
	}
	return final, nil
}

// Test creates and removes a small file in the folder, as a delivery would.
func (t target) Test(context.Context) (string, error) {
	folder, _ := t.dest("")
	if err := checkFolder(apperr.CodeBadInput, folder); err != nil {
		return "", err
	}
	probe := connector.PartName(filepath.Join(folder, "rosterdesk-test"))
	f, err := os.OpenFile(probe, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", writeError(folder, err)
	}
	f.Close()
	if err := os.Remove(probe); err != nil {
		return "", writeError(folder, err)
	}
	return fmt.Sprintf("Rosterdesk can write to %s.", folder), nil
}

// isZip says whether path names a .zip file rather than a folder.
func isZip(path string) bool { return strings.EqualFold(filepath.Ext(path), ".zip") }

// checkFolder says, with code, why folder cannot receive exports when it is not an existing folder.
func checkFolder(code, folder string) error {
	info, err := os.Stat(folder)
	switch {
	case err != nil:
		return apperr.New(code, fmt.Sprintf("The folder %s does not exist. Create it, or use Browse to pick the folder exports go to.", folder))
	case !info.IsDir():
		return apperr.New(code, fmt.Sprintf("%s is a file, not a folder. Pick the folder exports go to, or a path ending in .zip.", folder))
	}
	return nil
}

func writeError(folder string, err error) error {
	var appErr *apperr.Error
	switch {
	case errors.As(err, &appErr):
		return err
	case errors.Is(err, os.ErrPermission):
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk may not write to the folder %s. Pick another folder, or ask whoever manages this computer for write access.", folder))
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk could not write the export to %s: %v", folder, err))
}
