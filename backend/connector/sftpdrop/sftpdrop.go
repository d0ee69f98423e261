// Package sftpdrop is the oneroster-sftp connection kind: a OneRoster ZIP, or a folder of its CSV
// files, that a SIS drops on an SFTP server, or that Rosterdesk uploads to one for another system
// to pick up. The server's identity is pinned (trust on first use, only after the user confirms the
// fingerprint), a download that loses its connection resumes and an upload starts again.
package sftpdrop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Kind is the oneroster-sftp declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "oneroster-sftp",
		Label: "OneRoster on an SFTP server",
		Roles: []string{connector.RoleSource, connector.RoleTarget, connector.RoleBoth},
		Options: append([]connector.Option{
			{Key: "host", Label: "Server", Type: connector.TypeText, Required: true, Help: "The SFTP server's name, e.g. sftp.district.org."},
			{Key: "port", Label: "Port", Type: connector.TypeNumber, Default: "22", Help: "Usually 22."},
			{Key: "username", Label: "User name", Type: connector.TypeText, Required: true},
			{Key: "password", Label: "Password", Type: connector.TypeSecret, Help: "Leave empty when the server takes a private key."},
			{Key: "privateKey", Label: "Private key", Type: connector.TypeSecret, Multiline: true, Help: "The key file's text (BEGIN … PRIVATE KEY), when the server takes keys instead of a password."},
			{Key: "passphrase", Label: "Key passphrase", Type: connector.TypeSecret, Help: "Only if the private key is protected by one."},
			{Key: "remotePath", Label: "File or folder on the server", Type: connector.TypeText, Required: true,
				Help: "To read: where the SIS puts its export, a .zip file or a folder holding the CSV files, e.g. /exports/oneroster.zip. " +
					"To write: a folder (each export is saved there under its own name) or a .zip file that each export replaces, e.g. /imports/oneroster.zip."},
			{Key: "hostKey", Label: "Server's key", Type: connector.TypeText,
				Help: "Filled in when you trust the server at the first Test connection. A SHA256: fingerprint from your provider also works."},
		}, connector.PackageOptions()...),
		Check: func(_ string, s map[string]string) error {
			if p, err := strconv.Atoi(s["port"]); err != nil || p < 1 || p > 65535 {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("Port must be a number from 1 to 65535, not %q", s["port"]))
			}
			if s["hostKey"] != "" {
				if _, err := parsePin(s["hostKey"]); err != nil {
					return err
				}
			}
			return nil
		},
		NewSource: func(s, secrets map[string]string) (connector.Source, error) {
			cfg, err := newConfig(s, secrets)
			if err != nil {
				return nil, err
			}
			return &source{cfg: cfg}, nil
		},
		NewTarget: func(s, secrets map[string]string) (connector.Target, error) {
			cfg, err := newConfig(s, secrets)
			if err != nil {
				return nil, err
			}
			return &target{cfg: cfg}, nil
		},
	}
}

type source struct{ cfg config }

var _ connector.Source = (*source)(nil)

// Test connects, signs in and looks at the remote path without downloading it.
func (s *source) Test(ctx context.Context) (string, error) {
	sess, err := dial(ctx, s.cfg)
	if err != nil {
		return "", err
	}
	defer sess.Close()
	info, err := sess.client.Stat(s.cfg.remotePath)
	if err != nil {
		return "", s.pathError(err)
	}
	where := fmt.Sprintf("Connected to %s as %s", s.cfg.host, s.cfg.user)
	if !info.IsDir() {
		f, err := sess.client.Open(s.cfg.remotePath)
		if err != nil {
			return "", s.pathError(err)
		}
		defer f.Close()
		magic := make([]byte, 4)
		if _, err := io.ReadFull(f, magic); err != nil || string(magic) != "PK\x03\x04" {
			return "", apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s on %s is not a ZIP file. Point the connection at the .zip your SIS exports, or at a folder holding its CSV files.", s.cfg.remotePath, s.cfg.host))
		}
		return fmt.Sprintf("%s: found %s (%s, changed %s).", where, path.Base(s.cfg.remotePath), connector.SizeText(info.Size()), info.ModTime().Format("2 Jan 2006 15:04")), nil
	}
	files, err := s.csvFiles(sess)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: found %d CSV files in %s.", where, len(files), s.cfg.remotePath), nil
}

// Stage downloads the ZIP, or the folder's CSV files, into dir.
func (s *source) Stage(ctx context.Context, dir string, _ connector.Pull, rep events.Reporter) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	d := &downloader{link: link{cfg: s.cfg, ctx: ctx}, src: s, rep: rep}
	defer d.close()
	sess, err := d.session()
	if err != nil {
		return "", err
	}
	info, err := sess.client.Stat(s.cfg.remotePath)
	if err != nil {
		return "", s.pathError(err)
	}
	base := path.Base(s.cfg.remotePath)
	if !info.IsDir() {
		d.total = info.Size()
		dst := filepath.Join(dir, base)
		return dst, d.file(s.cfg.remotePath, dst, info.Size())
	}
	files, err := s.csvFiles(sess)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		d.total += f.Size()
	}
	dst := filepath.Join(dir, base)
	if err := os.Mkdir(dst, 0o700); err != nil {
		return "", err
	}
	for _, f := range files {
		if err := d.file(path.Join(s.cfg.remotePath, f.Name()), filepath.Join(dst, f.Name()), f.Size()); err != nil {
			return "", err
		}
	}
	return dst, nil
}

func (s *source) csvFiles(sess *session) ([]os.FileInfo, error) {
	entries, err := sess.client.ReadDir(s.cfg.remotePath)
	if err != nil {
		return nil, s.pathError(err)
	}
	var files []os.FileInfo
	for _, e := range entries {
		if e.Mode().IsRegular() && strings.EqualFold(path.Ext(e.Name()), ".csv") {
			files = append(files, e)
		}
	}
	if len(files) == 0 {
		return nil, connector.NoPackage(fmt.Sprintf("The folder %s on %s holds no OneRoster files (no .csv files). Check the folder, or point at the .zip instead.", s.cfg.remotePath, s.cfg.host), true)
	}
	return files, nil
}

func (s *source) pathError(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return connector.NoPackage(fmt.Sprintf("There is no %s on %s. Check the file or folder name with whoever set up the export.", s.cfg.remotePath, s.cfg.host),
			!strings.EqualFold(path.Ext(s.cfg.remotePath), ".zip"))
	}
	if errors.Is(err, os.ErrPermission) {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s may not read %s on %s. Ask the server's administrator for read access.", s.cfg.user, s.cfg.remotePath, s.cfg.host))
	}
	return lost(s.cfg, err)
}

// downloader copies remote files with byte progress, resuming where it stopped when the connection
// drops.
type downloader struct {
	link
	src         *source
	rep         events.Reporter
	done, total int64
}

func (d *downloader) file(remote, local string, size int64) error {
	out, err := os.OpenFile(local, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	var written int64
	doing := func() string {
		return fmt.Sprintf("%s was being downloaded (%s of %s)", path.Base(remote), connector.SizeText(d.done), connector.SizeText(d.total))
	}
	err = d.retry(d.rep, doing, "Nothing was changed: the last fetch is kept; fetch again later.", func() error {
		n, err := d.copyFrom(remote, out, written)
		written += n
		return err
	})
	if err != nil {
		return err
	}
	if written != size {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s changed on %s while it was downloading (%d bytes instead of %d). Fetch again once the SIS has finished writing it.", remote, d.cfg.host, written, size))
	}
	return out.Sync()
}

// copyFrom copies remote from offset to the end into out, returning how much it copied.
func (d *downloader) copyFrom(remote string, out io.Writer, offset int64) (int64, error) {
	sess, err := d.session()
	if err != nil {
		return 0, err
	}
	in, err := sess.client.Open(remote)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			return 0, d.src.pathError(err)
		}
		return 0, err
	}
	defer in.Close()
	if _, err := in.Seek(offset, io.SeekStart); err != nil {
		return 0, err
	}
	buf := make([]byte, 256<<10)
	var n int64
	for {
		if err := d.ctx.Err(); err != nil {
			return n, err
		}
		r, rerr := in.Read(buf)
		if r > 0 {
			if _, err := out.Write(buf[:r]); err != nil {
				return n, err
			}
			n += int64(r)
			d.done += int64(r)
			d.rep.Report(events.Progress{Stage: "downloading", Done: d.done, Total: d.total, Unit: "bytes"})
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}
