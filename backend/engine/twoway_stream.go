package engine

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"iter"
	"os"
	"slices"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// A sync reads its three sides in one order, entity by entity and then by sourcedId, and merges
// them as a join, so it holds a record or so of each side at a time; what it decides goes to spools
// on disk. The roster and the baseline come sorted from the workspace, the connection's package
// through a sorter (verify_sort.go).

// seqOf turns a function streaming values to fn into a sequence; an error ends it as its last pair.
func seqOf[T any](each func(fn func(T) error) error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		err := each(func(v T) error {
			if !yield(v, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			var zero T
			yield(zero, err)
		}
	}
}

// cursor walks a sorted sequence one value at a time, for a join.
type cursor[T any] struct {
	next func() (T, error, bool)
	stop func()
	id   func(T) string
	cur  T
	ok   bool
	err  error
}

func newCursor[T any](seq iter.Seq2[T, error], id func(T) string) *cursor[T] {
	next, stop := iter.Pull2(seq)
	c := &cursor[T]{next: next, stop: stop, id: id}
	c.advance()
	return c
}

func (c *cursor[T]) advance() {
	v, err, ok := c.next()
	if ok && err != nil {
		c.err, ok = err, false
	}
	c.cur, c.ok = v, ok
}

// at says whether the cursor's value is the one of sourcedId id.
func (c *cursor[T]) at(id string) bool { return c.ok && c.id(c.cur) == id }

// lowest is the smallest sourcedId of the cursors' values, and whether any has one.
func lowest(ids ...func() (string, bool)) (string, bool) {
	low, any := "", false
	for _, id := range ids {
		if v, ok := id(); ok && (!any || v < low) {
			low, any = v, true
		}
	}
	return low, any
}

func (c *cursor[T]) head() (string, bool) {
	if !c.ok {
		return "", false
	}
	return c.id(c.cur), true
}

// entry is one entry of a spool: a record, with a flag and a hash of the spool's own meaning.
type entry struct {
	rec  roster.Record
	flag bool
	hash int64
}

// spool keeps entries on disk in the order they come, to be read back once they are all there.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
}

func newSpool(dir, name string) (*spool, error) {
	f, err := os.CreateTemp(dir, name+"-*.bin")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (s *spool) put(e entry) error {
	b := append(s.buf[:0], byte(slices.Index(roster.Entities, e.rec.Entity)), boolByte(e.flag))
	b = binary.AppendVarint(b, e.hash)
	s.buf = appendKeyed(b, keyed{rec: e.rec})
	_, err := s.w.Write(s.buf)
	return err
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// all reads back what was put, from the start; it may be read again.
func (s *spool) all() iter.Seq2[entry, error] {
	return func(yield func(entry, error) bool) {
		if err := s.w.Flush(); err != nil {
			yield(entry{}, err)
			return
		}
		if _, err := s.f.Seek(0, io.SeekStart); err != nil {
			yield(entry{}, err)
			return
		}
		r := bufio.NewReaderSize(s.f, 1<<16)
		for {
			e, err := readSpooled(r)
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

func readSpooled(r *bufio.Reader) (entry, error) {
	var head [2]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return entry{}, err // io.EOF between entries: the end
	}
	if int(head[0]) >= len(roster.Entities) {
		return entry{}, errors.New("a sync's spool is damaged")
	}
	e := entry{flag: head[1] == 1}
	var err error
	if e.hash, err = binary.ReadVarint(r); err == nil {
		var k keyed
		k, err = readKeyed(r, roster.Entities[head[0]])
		e.rec = k.rec
	}
	if errors.Is(err, io.EOF) { // cut short inside an entry
		err = io.ErrUnexpectedEOF
	}
	return e, err
}

func (s *spool) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}
