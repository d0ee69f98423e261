package engine

import (
	"bufio"
	minheap "container/heap"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/scratch"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// A package's records come in file order; a verification compares them with the roster in
// sourcedId order. A sorter sorts one entity's records in bounded memory: chunks of records are
// sorted and written to files of a scratch folder, then merged as they are read back.

// sortChunk is how many records the sorters of a package hold before they write them out (a
// variable for tests).
var sortChunk = 20000

// keyed is a record read from a connection with the fields its import mapping left to the roster
// (blank with overwrite off: no difference).
type keyed struct {
	rec  roster.Record
	kept []string
}

type sorter struct {
	ent   roster.Entity
	dir   string
	buf   []keyed
	files []string
}

func (s *sorter) sortBuf() {
	slices.SortStableFunc(s.buf, func(a, b keyed) int { return strings.Compare(a.rec.SourcedID(), b.rec.SourcedID()) })
}

// spill writes the records held, sorted, to a new file.
func (s *sorter) spill() error {
	s.sortBuf()
	f, err := os.CreateTemp(s.dir, string(s.ent)+"-*.bin")
	if err != nil {
		return err
	}
	s.files = append(s.files, f.Name())
	w := bufio.NewWriterSize(f, 1<<16)
	var b []byte
	for _, k := range s.buf {
		b = appendKeyed(b[:0], k)
		if _, err := w.Write(b); err != nil {
			f.Close()
			return err
		}
	}
	s.buf = s.buf[:0]
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendKeyed(b []byte, k keyed) []byte {
	b = binary.AppendUvarint(b, uint64(len(k.rec.Values)))
	for _, v := range k.rec.Values {
		b = appendString(b, v)
	}
	b = binary.AppendUvarint(b, uint64(len(k.rec.Metadata)))
	for _, m := range k.rec.Metadata {
		b = appendString(appendString(b, m.Name), m.Value)
	}
	b = binary.AppendUvarint(b, uint64(len(k.kept)))
	for _, f := range k.kept {
		b = appendString(b, f)
	}
	return b
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return string(b), err
}

// readKeyed reads one record written by appendKeyed; io.EOF at the end of the file.
func readKeyed(r *bufio.Reader, ent roster.Entity) (keyed, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return keyed{}, err // io.EOF between records: the end
	}
	k := keyed{rec: roster.Record{Entity: ent, Values: make([]string, n)}}
	more := func(err error) error { // a file cut short inside a record
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	for i := range k.rec.Values {
		if k.rec.Values[i], err = readString(r); err != nil {
			return k, more(err)
		}
	}
	if n, err = binary.ReadUvarint(r); err != nil {
		return k, more(err)
	}
	for range n {
		var m roster.MetadataValue
		if m.Name, err = readString(r); err == nil {
			m.Value, err = readString(r)
		}
		if err != nil {
			return k, more(err)
		}
		k.rec.Metadata = append(k.rec.Metadata, m)
	}
	if n, err = binary.ReadUvarint(r); err != nil {
		return k, more(err)
	}
	for range n {
		f, err := readString(r)
		if err != nil {
			return k, more(err)
		}
		k.kept = append(k.kept, f)
	}
	return k, nil
}

// sorted yields the records added, in sourcedId order, to fn; the sorter's files are removed.
func (s *sorter) sorted(fn func(keyed) error) error {
	defer func() {
		for _, name := range s.files {
			os.Remove(name)
		}
		s.files = nil
	}()
	if len(s.files) == 0 { // all in memory
		s.sortBuf()
		for _, k := range s.buf {
			if err := fn(k); err != nil {
				return err
			}
		}
		s.buf = nil
		return nil
	}
	if len(s.buf) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	h := &heads{}
	for _, name := range s.files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		src := &head{r: bufio.NewReaderSize(f, 1<<16), ent: s.ent}
		if ok, err := src.next(); err != nil {
			return err
		} else if ok {
			h.list = append(h.list, src)
		}
	}
	minheap.Init(h)
	for h.Len() > 0 {
		top := h.list[0]
		if err := fn(top.cur); err != nil {
			return err
		}
		ok, err := top.next()
		if err != nil {
			return err
		}
		if ok {
			minheap.Fix(h, 0)
		} else {
			minheap.Pop(h)
		}
	}
	return nil
}

// head is one sorted file being merged, with its current record.
type head struct {
	r   *bufio.Reader
	ent roster.Entity
	cur keyed
}

func (h *head) next() (bool, error) {
	k, err := readKeyed(h.r, h.ent)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	h.cur = k
	return err == nil, err
}

type heads struct{ list []*head }

func (h *heads) Len() int { return len(h.list) }
func (h *heads) Less(i, j int) bool {
	return h.list[i].cur.rec.SourcedID() < h.list[j].cur.rec.SourcedID()
}
func (h *heads) Swap(i, j int) { h.list[i], h.list[j] = h.list[j], h.list[i] }
func (h *heads) Push(x any)    { h.list = append(h.list, x.(*head)) }
func (h *heads) Pop() any {
	last := h.list[len(h.list)-1]
	h.list = h.list[:len(h.list)-1]
	return last
}

// sorters sorts the records of every entity of one package, in a scratch folder removed by close.
// They hold sortChunk records in all: past that, every entity's records held are written out.
type sorters struct {
	dir  string
	by   map[roster.Entity]*sorter
	held int
}

func newSorters(staging string) (*sorters, error) {
	if err := os.MkdirAll(staging, 0o700); err != nil {
		return nil, err
	}
	dir, err := scratch.MkdirTemp(staging, "verify-")
	if err != nil {
		return nil, err
	}
	return &sorters{dir: dir, by: map[roster.Entity]*sorter{}}, nil
}

func (s *sorters) add(k keyed) error {
	ent := k.rec.Entity
	x := s.by[ent]
	if x == nil {
		x = &sorter{ent: ent, dir: filepath.Clean(s.dir)}
		s.by[ent] = x
	}
	x.buf = append(x.buf, k)
	if s.held++; s.held < sortChunk {
		return nil
	}
	s.held = 0
	for _, x := range s.by {
		if len(x.buf) > 0 {
			if err := x.spill(); err != nil {
				return err
			}
		}
	}
	return nil
}

// sorted yields an entity's records in sourcedId order (none when it had none).
func (s *sorters) sorted(ent roster.Entity, fn func(keyed) error) error {
	if x := s.by[ent]; x != nil {
		return x.sorted(fn)
	}
	return nil
}

func (s *sorters) close() { os.RemoveAll(s.dir) }
