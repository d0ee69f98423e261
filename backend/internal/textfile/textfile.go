// Package textfile is the one place that judges a file given as a spreadsheet: Sniff tells an Excel
// workbook and a text file from anything else (a picture, a document, an .xls workbook) by content,
// and words the refusal, and Decode reads text files the way spreadsheet programs save them: UTF-8
// with or without a byte order mark ("CSV UTF-8"), UTF-16 with one ("Unicode Text"), or, when the
// bytes are not UTF-8, the Windows code page of the Americas and Western Europe, Windows-1252 (plain
// "CSV"), or Mac Roman when lines end in CR alone as Excel for Mac's "Macintosh Comma Separated" does.
// Lines, which Decode uses, is also how OneRoster CSV files are read when their lines end in CR alone.
package textfile

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Decode returns r's text as UTF-8, without its byte order mark, lines ending in LF or CRLF (a file
// whose lines end in CR alone gets LF instead). Otherwise it reads r to its end
// once to tell UTF-8 from Windows-1252 (a file can look like UTF-8 for megabytes, then not; some
// programs even put a UTF-8 mark on Windows-1252 text), then again from the start.
func Decode(r io.ReadSeeker) (io.Reader, error) {
	br := bufio.NewReaderSize(r, block)
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0xFF, 0xFE}) || bytes.Equal(head, []byte{0xFE, 0xFF}) {
		// ExpectBOM: the mark decides the byte order and is dropped.
		return lines(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(br)), nil
	}
	utf, err := validUTF8(br)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br.Reset(r)
	if head, _ := br.Peek(3); bytes.Equal(head, utf8BOM) {
		br.Discard(3)
	}
	if utf {
		return lines(br), nil
	}
	codePage := charmap.Windows1252
	if head, _ := br.Peek(block); crOnly(head) {
		codePage = charmap.Macintosh // CR alone is the Mac's line end, so the text is Mac's too
	}
	return lines(codePage.NewDecoder().Reader(br)), nil
}

// lines reads r as lines (see Lines).
func lines(r io.Reader) io.Reader {
	lr, _ := Lines(bufio.NewReaderSize(r, LineWindow))
	return lr
}

// crOnly reports whether the lines of a file starting with head end in CR alone.
func crOnly(head []byte) bool {
	return bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0
}

// validUTF8 reads r to its end and reports whether every byte belongs to a UTF-8 character.
func validUTF8(r *bufio.Reader) (bool, error) {
	for {
		c, size, err := r.ReadRune()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if c == utf8.RuneError && size == 1 {
			return false, nil
		}
	}
}
