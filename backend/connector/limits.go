package connector

import (
	"errors"
	"io"
)

// Ceilings on what a server may send, so that a wrong or hostile server cannot take memory or time
// in proportion to what it sends.
const (
	// MaxBody is the most read of one answer: a page of 1,000 records of 2 KB each is 2 MB.
	MaxBody = 64 << 20
	// MaxRecords is the most records read of one collection: a 1,000,000-student state has about
	// 6,000,000 enrollments.
	MaxRecords = 20_000_000
)

// ErrBodyTooLarge ends an answer longer than MaxBody.
var ErrBodyTooLarge = errors.New("the answer is larger than 64 MB")

// LimitBody reads r up to MaxBody bytes, then fails with ErrBodyTooLarge.
func LimitBody(r io.Reader) io.Reader { return &limited{r: io.LimitReader(r, MaxBody+1)} }

type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if l.n += int64(n); l.n > MaxBody {
		return n - int(l.n-MaxBody), ErrBodyTooLarge
	}
	return n, err
}
