package oneroster

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Saved records are the records one read of a package passed on, in their order, written in a
// binary form that reads back several times faster than the package (no unzipping, CSV splitting,
// checking or normalising): a plan reads a 100,000-student district's million records in a fraction
// of the time. Each record is its entity's index in roster.Entities, the length of the rest, then
// every value and the metadata, each a length and its bytes; after the last record come an end
// mark and a CRC-32C of everything before it.

var savedSum = crc32.MakeTable(crc32.Castagnoli)

// SavedWriter writes records in the saved form.
type SavedWriter struct {
	w   *bufio.Writer
	sum uint32
	buf []byte
}

// NewSavedWriter writes saved records to w; Close writes the checksum and flushes.
func NewSavedWriter(w io.Writer) *SavedWriter {
	return &SavedWriter{w: bufio.NewWriterSize(w, 256<<10)}
}

// Add writes one record.
func (s *SavedWriter) Add(rec roster.Record) error {
	at := entityAt(rec.Entity)
	if at < 0 {
		return fmt.Errorf("cannot save a record of %q", rec.Entity)
	}
	body := s.buf[:0]
	for _, v := range rec.Values {
		body = appendString(body, v)
	}
	body = binary.AppendUvarint(body, uint64(len(rec.Metadata)))
	for _, m := range rec.Metadata {
		body = appendString(appendString(body, m.Name), m.Value)
	}
	head := binary.AppendUvarint([]byte{byte(at)}, uint64(len(body)))
	s.sum = crc32.Update(crc32.Update(s.sum, savedSum, head), savedSum, body)
	s.buf = body
	if _, err := s.w.Write(head); err != nil {
		return err
	}
	_, err := s.w.Write(body)
	return err
}

// savedEnd follows the last record, before the checksum.
const savedEnd = 0xff

// Close ends the records with their checksum.
func (s *SavedWriter) Close() error {
	s.sum = crc32.Update(s.sum, savedSum, []byte{savedEnd})
	if _, err := s.w.Write(binary.BigEndian.AppendUint32([]byte{savedEnd}, s.sum)); err != nil {
		return err
	}
	return s.w.Flush()
}

func appendString(b []byte, v string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

func entityAt(e roster.Entity) int {
	for i, x := range roster.Entities {
		if x == e {
			return i
		}
	}
	return -1
}

// ErrSavedDamaged means saved records do not match their checksum or cannot be decoded.
var ErrSavedDamaged = errors.New("the saved records are damaged")

// CheckSaved reads saved records of size bytes through once and reports whether they match their
// checksum, so that a damaged file is never half passed on.
func CheckSaved(r io.Reader, size int64) error {
	if size < 5 {
		return ErrSavedDamaged
	}
	sum := crc32.New(savedSum)
	if _, err := io.CopyN(sum, r, size-4); err != nil {
		return ErrSavedDamaged
	}
	var tail [4]byte
	if _, err := io.ReadFull(r, tail[:]); err != nil || binary.BigEndian.Uint32(tail[:]) != sum.Sum32() {
		return ErrSavedDamaged
	}
	return nil
}

// VisitSaved is Visit of the records a read of this package saved (SavedWriter) in r, size bytes:
// it passes them to v.Record in their order and reports progress in the package's uncompressed
// bytes. Only a read in which no row failed is saved, so the report has no failed row and no
// finding. Check r first (CheckSaved): a damaged file fails part way.
func (p *Package) VisitSaved(ctx context.Context, r io.Reader, size int64, v Visitor) (*Report, error) {
	rep := &Report{Version: p.version, Source: p.systemName, Modes: map[roster.Entity]Mode{}, Counts: map[roster.Entity]int{}, Failed: map[roster.Entity]int{},
		Findings: []Finding{}, capped: map[findingKey]int{}, perKind: map[findingKey]int{}}
	for _, e := range roster.Entities {
		rep.Modes[e], rep.Counts[e], rep.Failed[e] = p.Mode(e), 0, 0
	}
	total := p.Size()
	br := bufio.NewReaderSize(r, 256<<10)
	var done, reported int64
	// Counted by entity here and put in rep.Counts on return, however it ends: a map update per record
	// took 1% of an import's plan at 100,000 students.
	counts := make([]int, len(roster.Entities))
	defer func() {
		for i, e := range roster.Entities {
			rep.Counts[e] = counts[i]
		}
	}()
	for n := 0; ; n++ {
		if n%512 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
		}
		at, err := br.ReadByte()
		if err != nil {
			return rep, ErrSavedDamaged
		}
		if at == savedEnd {
			break
		}
		length, err := binary.ReadUvarint(br)
		if err != nil || int(at) >= len(roster.Entities) {
			return rep, ErrSavedDamaged
		}
		// One string per record, which its values are slices of, as the CSV reader's records are;
		// copied once, out of the reader's buffer when it fits.
		var body string
		if length <= uint64(br.Size()) {
			b, err := br.Peek(int(length))
			if err != nil {
				return rep, ErrSavedDamaged
			}
			body = string(b)
			br.Discard(len(b))
		} else {
			b := make([]byte, length)
			if _, err := io.ReadFull(br, b); err != nil {
				return rep, ErrSavedDamaged
			}
			body = string(b)
		}
		rec, err := decodeSaved(roster.Entities[at], body)
		if err != nil {
			return rep, err
		}
		counts[at]++
		if err := v.Record(rec); err != nil {
			return rep, err
		}
		if done += int64(length) + 2; v.Progress != nil && size > 0 && done-reported >= 256<<10 {
			reported = done
			v.Progress(done * total / size)
		}
	}
	if v.Progress != nil {
		v.Progress(total)
	}
	return rep, nil
}

func decodeSaved(e roster.Entity, s string) (roster.Record, error) {
	rec := roster.NewRecord(e)
	next := func() (string, bool) {
		n, k := uvarint(s)
		if k <= 0 || uint64(len(s)-k) < n {
			return "", false
		}
		v := s[k : k+int(n)]
		s = s[k+int(n):]
		return v, true
	}
	var ok bool
	for i := range rec.Values {
		if rec.Values[i], ok = next(); !ok {
			return rec, ErrSavedDamaged
		}
	}
	n, k := uvarint(s)
	if k <= 0 || n > uint64(len(s)) {
		return rec, ErrSavedDamaged
	}
	s = s[k:]
	if n > 0 {
		rec.Metadata = make([]roster.MetadataValue, n)
		for i := range rec.Metadata {
			m := &rec.Metadata[i]
			if m.Name, ok = next(); !ok {
				return rec, ErrSavedDamaged
			}
			if m.Value, ok = next(); !ok {
				return rec, ErrSavedDamaged
			}
		}
	}
	if s != "" {
		return rec, ErrSavedDamaged
	}
	return rec, nil
}

// uvarint is binary.Uvarint of a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
