package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// A plan reads every origin of its connection, a million at 100,000 students, and the SQLite driver
// takes 1.2–1.5 s for that on a 2-core machine whatever the query: more than half of a plan's
// processor time. So a plan keeps a copy of the origins it read, a file per connection and entity in
// the staging folder, which the next plan or import reads in a few tens of milliseconds instead.
//
// A copy is of the origins as they were while the workspace's origins_stamp held the stamp written in
// it. Every transaction that writes origins sets a new random stamp as it commits (Apply.Commit,
// Undo.Commit, retire), so a copy of any other state never matches: random rather than counted, so
// that a backup restored over a newer workspace does not meet the newer copies' stamp either. A plan
// rolls back, so what it read is still the workspace's afterwards (an import that commits renews the
// stamp, so it writes no copies); behind the window, CopyOrigins makes them from the workspace after
// an import. Tests compare every copy read with the workspace (checkCopies): a writer that forgets the
// stamp fails them.

// checkCopies says whether every copy read is compared with the origins in the workspace: in tests
// and the browser tests' app (ROSTERDESK_CHECK_COPIES=1), so that a writer that forgets the stamp
// fails them.
func checkCopies() bool { return os.Getenv("ROSTERDESK_CHECK_COPIES") != "" }

// copyMagic begins a copy; after it come the stamp, the origins in source id order (id, hash, flags,
// the roster id when it differs), then how many origins and id bytes there are (read first: they size
// what reading takes) and a CRC-32C of everything before it.
const copyMagic = "rosterdesk origins\n"

// copyTail is the size of what follows the origins: their number, their ids' bytes, the checksum.
const copyTail = 8 + 8 + 4

var copySum = crc32.MakeTable(crc32.Castagnoli)

// An origin's flags in a copy.
const (
	copyShared = 1 << iota
	copyAlike
	copyRecord // its roster id follows
)

// renewStamp marks the workspace's origins as changed, in the transaction that changes them: no copy
// made before matches any more.
func renewStamp(ctx context.Context, tx interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	_, err := tx.ExecContext(ctx, `UPDATE origins_stamp SET stamp = randomblob(16)`)
	return err
}

// originStamp is the stamp of the origins q sees.
func originStamp(ctx context.Context, q originReader) (stamp []byte, err error) {
	err = q.QueryRowContext(ctx, `SELECT stamp FROM origins_stamp`).Scan(&stamp)
	return stamp, err
}

// copiesDir is where a workspace keeps its copies of origins: in its staging folder, with the student
// data of its fetches.
func copiesDir(workspace string) string { return filepath.Join(StagingDir(workspace), "origins") }

func copyFile(dir string, connectionID int64, e roster.Entity) string {
	return filepath.Join(dir, fmt.Sprintf("%d-%s.bin", connectionID, e))
}

// removeCopies removes a connection's copies (it was removed).
func removeCopies(dir string, connectionID int64) {
	for _, e := range roster.Entities {
		os.Remove(copyFile(dir, connectionID, e))
	}
}

// copyWriter writes a copy, under a temporary name renamed into place once it is whole (readable by
// this user only, as the staging folder's other files).
type copyWriter struct {
	f       *os.File
	w       *bufio.Writer
	sum     hash.Hash32
	buf     []byte
	n, size uint64
}

func createCopy(dir string, stamp []byte) (*copyWriter, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := scratch.CreateTemp(dir, "origins-*.tmp")
	if err != nil {
		return nil, err
	}
	c := &copyWriter{f: f, w: bufio.NewWriterSize(f, 256<<10), sum: crc32.New(copySum)}
	if err := c.write(appendString([]byte(copyMagic), string(stamp))); err != nil {
		c.discard()
		return nil, err
	}
	return c, nil
}

func (c *copyWriter) write(b []byte) error {
	c.sum.Write(b)
	_, err := c.w.Write(b)
	return err
}

// add writes one origin, in source id order; m is what it says beyond its hash, when more.
func (c *copyWriter) add(id string, hash int64, m Origin, more bool) error {
	c.n++
	c.size += uint64(len(id))
	b := binary.BigEndian.AppendUint64(appendString(c.buf[:0], id), uint64(hash))
	flags := byte(0)
	if more && m.Shared {
		flags |= copyShared
	}
	if more && m.Alike {
		flags |= copyAlike
	}
	if more && m.Record != "" {
		flags |= copyRecord
	}
	b = append(b, flags)
	if flags&copyRecord != 0 {
		b = appendString(b, m.Record)
	}
	c.buf = b
	return c.write(b)
}

// finish ends the copy and puts it in place as path.
func (c *copyWriter) finish(path string) error {
	defer c.discard()
	err := c.write(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, c.n), c.size))
	if err == nil {
		_, err = c.w.Write(binary.BigEndian.AppendUint32(nil, c.sum.Sum32()))
	}
	if err == nil {
		err = c.w.Flush()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(c.f.Name(), path)
}

// discard removes the copy unless it was put in place.
func (c *copyWriter) discard() {
	c.f.Close()
	os.Remove(c.f.Name())
}

// saveCopy writes o, the origins of e read at stamp, as their copy.
func saveCopy(dir string, connectionID int64, e roster.Entity, stamp []byte, o Origins) error {
	c, err := createCopy(dir, stamp)
	if err != nil {
		return err
	}
	l := o.l
	for i := 0; i < l.ids.len() && err == nil; i++ {
		id := l.ids.at(i)
		m, more := l.more[id]
		err = c.add(id, l.hashes[i], m, more)
	}
	if err != nil {
		c.discard()
		return err
	}
	return c.finish(copyFile(dir, connectionID, e))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// originCopy is a copy opened at the stamp it was asked for.
type originCopy struct {
	f       *os.File
	r       *bufio.Reader
	sum     hash.Hash32 // of what r has read
	n, size int64       // origins, and their ids' bytes
	end     int64       // where the checksum is
}

// openCopy opens the copy of connectionID's origins of e when it was made at stamp; ok is false when
// there is none at that stamp, or it cannot be read (the origins are then read from the workspace).
// Its n and size say how much memory reading it takes.
func openCopy(dir string, connectionID int64, e roster.Entity, stamp []byte) (c *originCopy, ok bool) {
	f, err := os.Open(copyFile(dir, connectionID, e))
	if err != nil {
		return nil, false
	}
	fi, err := f.Stat()
	var tail [copyTail]byte
	if err != nil || fi.Size() < int64(len(copyMagic))+copyTail {
		f.Close()
		return nil, false
	}
	if _, err := f.ReadAt(tail[:], fi.Size()-copyTail); err != nil {
		f.Close()
		return nil, false
	}
	n, size := binary.BigEndian.Uint64(tail[:]), binary.BigEndian.Uint64(tail[8:])
	end := fi.Size() - 4
	// Each origin takes its id and ten bytes or more: a copy saying it holds more than its file does
	// is damaged, and is not allowed to size what is allocated.
	if size > math.MaxUint32 || size > uint64(end) || n > uint64(end)/10 {
		f.Close()
		return nil, false
	}
	sum := crc32.New(copySum)
	c = &originCopy{f: f, sum: sum, n: int64(n), size: int64(size), end: end}
	c.r = bufio.NewReaderSize(io.TeeReader(io.LimitReader(f, end), sum), 256<<10)
	magic := make([]byte, len(copyMagic))
	_, err = io.ReadFull(c.r, magic)
	var got []byte
	if err == nil && string(magic) == copyMagic {
		got, err = c.string(int64(len(stamp)))
	}
	if err == nil && bytes.Equal(got, stamp) {
		return c, true
	}
	f.Close()
	return nil, false
}

// string reads a length and that many bytes, refusing more than most.
func (c *originCopy) string(most int64) ([]byte, error) {
	n, err := binary.ReadUvarint(c.r)
	if err != nil {
		return nil, err
	}
	if n > uint64(most) {
		return nil, errors.New("too long")
	}
	b := make([]byte, n)
	_, err = io.ReadFull(c.r, b)
	return b, err
}

// read reads the origins and closes the copy; an error means it is damaged.
func (c *originCopy) read() (Origins, error) {
	defer c.f.Close()
	out := NoOrigins()
	l := out.l
	l.ids, l.hashes = idList{b: make([]byte, 0, c.size), end: make([]uint32, 0, c.n)}, make([]int64, 0, c.n)
	var hash [8]byte
	for range c.n {
		k, err := binary.ReadUvarint(c.r)
		if err != nil {
			return out, err
		}
		if k > uint64(c.size)-uint64(len(l.ids.b)) {
			return out, errors.New("more id bytes than its end says")
		}
		at := len(l.ids.b)
		l.ids.b = l.ids.b[:at+int(k)]
		if _, err := io.ReadFull(c.r, l.ids.b[at:]); err != nil {
			return out, err
		}
		l.ids.end = append(l.ids.end, uint32(len(l.ids.b)))
		if _, err := io.ReadFull(c.r, hash[:]); err != nil {
			return out, err
		}
		l.hashes = append(l.hashes, int64(binary.BigEndian.Uint64(hash[:])))
		flags, err := c.r.ReadByte()
		if err != nil {
			return out, err
		}
		if flags == 0 {
			continue
		}
		o := Origin{Hash: l.hashes[len(l.hashes)-1], Shared: flags&copyShared != 0, Alike: flags&copyAlike != 0}
		if flags&copyRecord != 0 {
			record, err := c.string(c.end)
			if err != nil {
				return out, err
			}
			o.Record = string(record)
		}
		if l.more == nil {
			l.more = map[string]Origin{}
		}
		l.more[string(l.ids.b[at:])] = o
	}
	if int64(len(l.ids.b)) != c.size {
		return out, errors.New("fewer id bytes than its end says")
	}
	if _, err := c.r.Discard(copyTail - 4); err != nil { // the counts, read already, summed now
		return out, err
	}
	if _, err := c.r.ReadByte(); err != io.EOF {
		return out, errors.New("more origins than its end says")
	}
	var want [4]byte
	if _, err := c.f.ReadAt(want[:], c.end); err != nil {
		return out, err
	}
	if binary.BigEndian.Uint32(want[:]) != c.sum.Sum32() {
		return out, errors.New("its checksum does not match")
	}
	l.gone, l.left = make([]uint64, (l.ids.len()+63)/64), l.ids.len()
	return out, nil
}

func (c *originCopy) close() { c.f.Close() }

// sameOrigins reports whether a and b hold the same origins.
func sameOrigins(a, b Origins) bool {
	x, y := a.l, b.l
	return bytes.Equal(x.ids.b, y.ids.b) && slices.Equal(x.ids.end, y.ids.end) && slices.Equal(x.hashes, y.hashes) && maps.Equal(x.more, y.more)
}

// checkCopy compares o, read from a copy, with the connection's origins of e in the workspace.
func checkCopy(ctx context.Context, q originReader, connectionID int64, e roster.Entity, o Origins) error {
	want, err := readOrigins(ctx, q, connectionID, e)
	if err != nil {
		return err
	}
	if !sameOrigins(o, want) {
		return fmt.Errorf("the copy of the %s origins of connection %d is not what the workspace holds: a transaction wrote origins without renewing origins_stamp", e, connectionID)
	}
	return nil
}

// CopyOrigins brings the copies of a connection's origins up to date, reading the workspace where
// they are not: behind the window after an import or a fetch, so that the first plan reads copies
// too. The origins stream from the workspace to the files, however many there are.
func (s *Store) CopyOrigins(ctx context.Context, connectionID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // read only: the stamp and the origins are read in one snapshot of the workspace
	stamp, err := originStamp(ctx, tx)
	if err != nil {
		return err
	}
	dir := copiesDir(s.path)
	for _, e := range roster.Entities {
		if c, ok := openCopy(dir, connectionID, e, stamp); ok {
			c.close()
			continue
		}
		c, err := createCopy(dir, stamp)
		if err != nil {
			return err
		}
		err = scanOrigins(ctx, tx, connectionID, e, func(id []byte, hash int64, o Origin, more bool) error {
			return c.add(string(id), hash, o, more)
		})
		if err == nil {
			err = c.finish(copyFile(dir, connectionID, e))
		}
		if err != nil {
			c.discard()
			return err
		}
	}
	return nil
}
