package sftpdrop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/pkg/sftp"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

type target struct{ cfg config }

var _ connector.Target = (*target)(nil)

// dest is where an export called name goes: the .zip the connection names, or name inside its folder.
func (t *target) dest(name string) (folder, final string) {
	if strings.EqualFold(path.Ext(t.cfg.remotePath), ".zip") {
		return path.Dir(t.cfg.remotePath), t.cfg.remotePath
	}
	return t.cfg.remotePath, path.Join(t.cfg.remotePath, name)
}

// Test connects, signs in, and creates and removes a small file in the folder deliveries go to.
func (t *target) Test(ctx context.Context) (string, error) {
	sess, err := dial(ctx, t.cfg)
	if err != nil {
		return "", err
	}
	defer sess.Close()
	folder, _ := t.dest("")
	probe := connector.PartName(path.Join(folder, "rosterdesk-test"))
	f, err := sess.client.OpenFile(probe, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err == nil {
		f.Close()
		err = sess.client.Remove(probe)
	}
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		var refused *apperr.Error
		if err = t.folderError(folder, err); !errors.As(err, &refused) {
			err = lost(t.cfg, err)
		}
		return "", err
	}
	return fmt.Sprintf("Connected to %s as %s: Rosterdesk can write to %s.", t.cfg.host, t.cfg.user, folder), nil
}

// MakeFolder creates the folder the connection names on the server, for a first two-way sync into
// a folder that is not there yet: its last element only. A missing folder above it is refused by
// name, as a path mistyped or a share not there is not something to create.
func (t *target) MakeFolder(ctx context.Context) error {
	sess, err := dial(ctx, t.cfg)
	if err != nil {
		return err
	}
	defer sess.Close()
	folder := t.cfg.remotePath
	err = sess.client.Mkdir(folder)
	if err == nil {
		return nil
	}
	if info, serr := sess.client.Stat(folder); serr == nil && info.IsDir() {
		return nil // there already (an empty folder, or made meanwhile)
	}
	parent := path.Dir(folder)
	if _, serr := sess.client.Stat(parent); errors.Is(serr, os.ErrNotExist) {
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("There is no folder %s on %s, so Rosterdesk did not create %s in it. Check the path, or ask the server's administrator to create %s.", parent, t.cfg.host, path.Base(folder), parent))
	}
	return t.folderError(parent, err)
}

// Deliver uploads local under a temporary name beside the final file, then renames it over the final
// one, so whoever collects the export finds the previous file or the new one, never half of it. When
// the connection drops the upload starts again, into a fresh temporary file.
func (t *target) Deliver(ctx context.Context, local, name string, rep events.Reporter) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	in, err := os.Open(local)
	if err != nil {
		return "", err
	}
	defer in.Close()
	folder, final := t.dest(name)
	l := &link{cfg: t.cfg, ctx: ctx}
	var parts []string // temporary files a failed try may have left on the server
	var sent, size int64
	if info, err := in.Stat(); err == nil {
		size = info.Size()
	}
	rep = sentTo(rep, &sent)
	doing := func() string {
		return fmt.Sprintf("%s was being uploaded (%s of %s)", path.Base(final), connector.SizeText(sent), connector.SizeText(size))
	}
	err = l.retry(rep, doing, "Nothing half-written was left in its place: "+path.Base(final)+" on the server is as it was, and the next export sends the same again.", func() error {
		sess, err := l.session()
		if err != nil {
			return err
		}
		part := connector.PartName(final)
		f, err := sess.client.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
		if err != nil {
			return t.folderError(folder, err)
		}
		parts = append(parts, part)
		if err := upload(ctx, sess.client, f, in, rep); err != nil {
			return t.folderError(folder, err)
		}
		if err := replace(sess.client, part, final); err != nil {
			return t.folderError(folder, err)
		}
		parts = parts[:len(parts)-1]
		return nil
	})
	l.close()
	t.sweep(ctx, parts)
	if err != nil {
		return "", err
	}
	host := t.cfg.host
	if t.cfg.port != "22" {
		host = t.cfg.addr()
	}
	return "sftp://" + host + "/" + strings.TrimPrefix(final, "/"), nil
}

// upload copies in, from its start, into the remote file f with byte progress, and closes f.
func upload(ctx context.Context, c *sftp.Client, f *sftp.File, in *os.File, rep events.Reporter) error {
	defer f.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// Concurrent writes keep a slow or distant link busy instead of waiting for each reply.
	if _, err := f.ReadFromWithConcurrency(&meter{r: in, ctx: ctx, rep: rep, total: info.Size()}, 0); err != nil {
		return err
	}
	// Flushed to the server's disk (OpenSSH can), the rename that follows never exposes an empty file
	// after a power cut there.
	if _, ok := c.HasExtension("fsync@openssh.com"); ok {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	return f.Close()
}

// replace renames part over final: atomically where the server offers posix-rename (OpenSSH does).
// Plain SFTP rename will not overwrite, so elsewhere the old file goes first and a reader may
// briefly find none, but never half of one.
func replace(c *sftp.Client, part, final string) error {
	if _, ok := c.HasExtension("posix-rename@openssh.com"); ok {
		return c.PosixRename(part, final)
	}
	if err := c.Remove(final); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return c.Rename(part, final)
}

// sweep removes the temporary files failed tries left. Their connection is gone by then (it dropped,
// or cancelling closed it), so it signs in once more, briefly, even after a cancel.
func (t *target) sweep(ctx context.Context, parts []string) {
	if len(parts) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.cfg.dialTimeout)
	defer cancel()
	sess, err := dial(ctx, t.cfg)
	if err != nil {
		return
	}
	defer sess.Close()
	for _, part := range parts {
		sess.client.Remove(part)
	}
}

// folderError says in words why the server would not write in folder. Other errors, such as a
// dropped connection, pass through as they are, so the upload is tried again.
func (t *target) folderError(folder string, err error) error {
	var status *sftp.StatusError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("There is no folder %s on %s. Check the folder name, or ask the server's administrator to create it.", folder, t.cfg.host))
	case errors.Is(err, os.ErrPermission):
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s may not write to the folder %s on %s: this SFTP account needs write access to it. Ask the server's administrator to give it.", t.cfg.user, folder, t.cfg.host))
	case errors.As(err, &status):
		// The server answered, so trying again would get the same answer (e.g. its disk is full).
		return apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s would not write to the folder %s: %v. Ask the server's administrator why.", t.cfg.host, folder, err))
	}
	return err
}

// sentTo passes rep's upload progress on, keeping the bytes sent in *sent for the failure message.
func sentTo(rep events.Reporter, sent *int64) events.Reporter {
	return events.ReporterFunc(func(p events.Progress) {
		if p.Unit == "bytes" {
			*sent = p.Done
		}
		rep.Report(p)
	})
}

// meter reports the bytes read through it, and ends the transfer once ctx is cancelled.
type meter struct {
	r           io.Reader
	ctx         context.Context
	rep         events.Reporter
	done, total int64
}

func (m *meter) Read(p []byte) (int, error) {
	if err := m.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := m.r.Read(p)
	if n > 0 {
		m.done += int64(n)
		m.rep.Report(events.Progress{Stage: "uploading", Done: m.done, Total: m.total, Unit: "bytes"})
	}
	return n, err
}
