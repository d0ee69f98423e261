// Package textfiletest makes small real files that people choose by mistake where a spreadsheet
// belongs, for the tests of every place that reads one.
package textfiletest

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Sample is a file that is not a spreadsheet Rosterdesk reads, and words the refusal must hold.
type Sample struct {
	Name string
	Data []byte
	Says string
}

// Samples returns pictures, documents, a program, an old or locked workbook, noise and an empty file.
func Samples(t testing.TB) []Sample {
	t.Helper()
	dot := image.NewRGBA(image.Rect(0, 0, 1, 1))
	dot.Set(0, 0, color.RGBA{R: 200, A: 255})
	var pngFile, jpegFile bytes.Buffer
	if err := png.Encode(&pngFile, dot); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegFile, dot, nil); err != nil {
		t.Fatal(err)
	}
	noise := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.IntN(256))
	}
	// Junk without NUL bytes, told from text by its other control characters.
	noNUL := bytes.ReplaceAll(noise, []byte{0}, []byte{1})
	exe := make([]byte, 128) // a DOS header: "MZ", then counts and offsets, mostly zero
	copy(exe, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF")
	exe = append(exe, "This program cannot be run in DOS mode.\r\r\n$"...)
	return []Sample{
		{"class photo.png", pngFile.Bytes(), "it looks like a PNG picture"},
		{"class photo.jpg", jpegFile.Bytes(), "it looks like a JPEG picture"},
		{"scan.pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"), "it looks like a PDF document"},
		{"grades.xls", Compound("Workbook"), "is an Excel 97-2003 workbook (.xls), which Rosterdesk cannot read. Open it in Excel and save it as Excel Workbook (.xlsx)"},
		{"letter.doc", Compound("WordDocument"), "it looks like a Word 97-2003 document (.doc)"},
		{"locked.xlsx", locked(t), "is protected with a password"},
		{"letter.docx", Zip(t, "[Content_Types].xml", `<?xml version="1.0"?><Types/>`, "word/document.xml", `<w:document/>`), "it looks like a Word document"},
		{"minutes.odt", Zip(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", `<office:document-content/>`), "it looks like an OpenDocument text document (.odt)"},
		{"roster.ods", Zip(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", `<office:document-content/>`), "is an OpenDocument spreadsheet (.ods), which Rosterdesk cannot read. Open it in LibreOffice"},
		{"setup.exe", exe, "it looks like a Windows program (.exe)"},
		{"noise.csv", noise, "it is neither an Excel workbook nor a text file"},
		{"noise.txt", noNUL, "it is neither an Excel workbook nor a text file"},
		{"export.csv", nil, "is empty."},
		// What student information systems write for "Export to Excel": a web page named .xls.
		{"export.xls", []byte("<html>\r\n<body><table><tr><td>ID</td><td>Name</td></tr><tr><td>1</td><td>Ana</td></tr></table></body></html>\r\n"),
			"is a web page (HTML), not a spreadsheet, though Excel can open it. Open it in Excel and save it as Excel Workbook (.xlsx)"},
	}
}

// Zip makes a ZIP holding files given as name, content, name, content…, stored in that order.
func Zip(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(files); i += 2 {
		// OpenDocument stores its mimetype first and uncompressed; the rest does not mind.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: files[i], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Compound makes the start of a compound file (Office 97-2003) whose directory names one stream:
// the header, then a directory sector holding the root entry and the stream's entry.
func Compound(stream string) []byte {
	b := make([]byte, 3*512)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	entry := func(at int, name string) {
		for i, c := range name {
			b[at+2*i] = byte(c)
		}
		b[at+64] = byte(2*len(name) + 2) // the name's length in bytes, its terminating NUL included
	}
	entry(512, "Root Entry")
	entry(512+128, stream)
	return b
}

// locked is a workbook saved with a password, which Excel writes as an encrypted compound file.
func locked(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "sync"})
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
