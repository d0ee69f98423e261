package hostile

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Repeat reads pattern over and over, n bytes in all.
func Repeat(pattern string, n int64) io.Reader { return &repeat{pattern: []byte(pattern), n: n} }

type repeat struct {
	pattern []byte
	n, off  int64
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n-r.off)]
	for i := range p {
		p[i] = r.pattern[(r.off+int64(i))%int64(len(r.pattern))]
	}
	r.off += int64(len(p))
	return len(p), nil
}

// Workbook writes to path an .xlsx whose sheet has rows (each a list of cells) and which also holds a
// part of size bytes of one repeated character: a few MB on disk that unpack to size.
func Workbook(t testing.TB, path string, rows [][]string, size int64) {
	t.Helper()
	f := excelize.NewFile()
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	var book bytes.Buffer
	if err := f.Write(&book); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(book.Bytes()), int64(book.Len()))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, zf := range zr.File {
		if err := zw.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	if size > 0 {
		w, _ := zw.Create("xl/media/padding.bin")
		if _, err := io.Copy(w, Repeat("A", size)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// Stream writes head, then item over and over, 1 GB in all or until the reader hangs up: an answer
// of a server that never ends.
func Stream(w io.Writer, head, item string) {
	io.WriteString(w, head)
	io.Copy(w, Repeat(item, 1<<30))
}
