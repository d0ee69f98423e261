// Package csvzip is the oneroster-csv connection kind: a OneRoster CSV package in a .zip file or a
// folder on this computer (or a network drive mounted on it).
package csvzip

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Kind is the oneroster-csv declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "oneroster-csv",
		Label: "OneRoster CSV (ZIP or folder)",
		Roles: []string{connector.RoleSource, connector.RoleTarget, connector.RoleBoth},
		Options: append([]connector.Option{
			{Key: "path", Label: "ZIP file or folder", Type: connector.TypePath, Required: true,
				Help: "To read: a OneRoster .zip exported from your SIS, or a folder holding its CSV files. " +
					"To write: a folder (each export is saved there under its own name) or a .zip file that each export replaces."},
		}, connector.PackageOptions()...),
		Check: func(role string, s map[string]string) error {
			if role != connector.RoleTarget {
				if _, err := os.Stat(s["path"]); err != nil {
					return apperr.New(apperr.CodeInvalid, fmt.Sprintf("Rosterdesk cannot find %s. Check the path, or use Browse to pick the file.", s["path"]))
				}
			}
			if role != connector.RoleSource {
				folder, _ := target{s["path"]}.dest("")
				return checkFolder(apperr.CodeInvalid, folder)
			}
			return nil
		},
		NewSource: func(s, _ map[string]string) (connector.Source, error) { return source{path: s["path"]}, nil },
		NewTarget: func(s, _ map[string]string) (connector.Target, error) { return target{path: s["path"]}, nil },
	}
}

type source struct{ path string }

var _ connector.Source = source{}

// Stage copies the zip, or the CSV files of the folder, into dir.
func (s source) Stage(ctx context.Context, dir string, _ connector.Pull, rep events.Reporter) (string, error) {
	info, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return "", connector.NoPackage(fmt.Sprintf("Rosterdesk cannot open %s: there is no such file or folder. Check the path, or use Browse to pick it.", s.path), !isZip(s.path))
	}
	if err != nil {
		return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot open %s: %v", s.path, err))
	}
	copier := &copier{ctx: ctx, rep: rep}
	if !info.IsDir() {
		copier.total = info.Size()
		// The copy keeps the file's name, so findings and errors name the file the user knows.
		dst := filepath.Join(dir, filepath.Base(s.path))
		return dst, copier.file(s.path, dst)
	}
	entries, err := os.ReadDir(s.path)
	if err != nil {
		return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read the folder %s: %v", s.path, err))
	}
	var files []string
	for _, e := range entries {
		if !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		// A symbolic link is followed, as oneroster.Open (and so Test) follows it.
		info, err := os.Stat(filepath.Join(s.path, e.Name()))
		if err != nil {
			return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot read %s in the folder %s: %v. If it is a shortcut (a symbolic link), check that the file it points to exists.", e.Name(), s.path, err))
		}
		if info.Mode().IsRegular() {
			files = append(files, e.Name())
			copier.total += info.Size()
		}
	}
	dst := filepath.Join(dir, filepath.Base(s.path))
	if err := os.Mkdir(dst, 0o700); err != nil {
		return "", err
	}
	for _, name := range files {
		if err := copier.file(filepath.Join(s.path, name), filepath.Join(dst, name)); err != nil {
			return "", err
		}
	}
	return dst, nil
}

// sampleSize is how many records Test reads: enough to catch a broken header or encoding early.
const sampleSize = 500

// errSampled stops a sample read once it has enough records.
var errSampled = errors.New("sampled")

// Test opens the package as a fetch would and reads its first records.
func (s source) Test(ctx context.Context) (string, error) {
	pkg, err := oneroster.Open(s.path)
	if err != nil {
		return "", err
	}
	defer pkg.Close()
	n := 0
	report, err := pkg.Read(ctx, func(roster.Record) error {
		if n++; n >= sampleSize {
			return errSampled
		}
		return nil
	}, nil)
	if err != nil && !errors.Is(err, errSampled) {
		return "", err
	}
	msg := fmt.Sprintf("Rosterdesk can read it: OneRoster %s, %s of data; the first %d records read without a problem.", pkg.Version(), connector.SizeText(pkg.Size()), n)
	if len(report.Errors()) > 0 {
		msg = fmt.Sprintf("Rosterdesk can read it (OneRoster %s), but %d of the first records have errors; fetch it to see the report.", pkg.Version(), len(report.Errors()))
	}
	return msg, nil
}

// copier copies files with progress in bytes and stops when the context is cancelled.
type copier struct {
	ctx         context.Context
	rep         events.Reporter
	done, total int64
}

// file copies src to dst, a new file, and flushes it to disk, so that a rename which follows
// never exposes an empty file after a power cut.
func (c *copier) file(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Rosterdesk cannot open %s: %v", src, err))
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := c.copy(out, in, src); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyBufs keeps the copies' 1 MB buffers between files: a sync delivers a dozen files, each its own
// copier, and a fresh buffer for each was a tenth of a small sync's processor time.
var copyBufs = sync.Pool{New: func() any { return new([1 << 20]byte) }}

func (c *copier) copy(out io.Writer, in io.Reader, src string) error {
	b := copyBufs.Get().(*[1 << 20]byte)
	defer copyBufs.Put(b)
	buf := b[:]
	for {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		n, rerr := in.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				return err
			}
			c.done += int64(n)
			c.rep.Report(events.Progress{Stage: "copying", Done: c.done, Total: c.total, Unit: "bytes"})
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return apperr.New(apperr.CodeBadInput, fmt.Sprintf("Reading %s failed: %v", src, rerr))
		}
	}
}
