package textfile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// Kind is how Rosterdesk can read a file chosen as a spreadsheet.
type Kind int

const (
	Text     Kind = iota // delimited text (CSV, tab-separated), read with Decode
	Workbook             // an Excel workbook (.xlsx, .xlsm)
	Other                // anything else: a picture, a document, an older spreadsheet format…
)

// Format is what a file holds, told by its content: people rename files, and programs that export
// "to Excel" often write text or a web page under an .xls name.
type Format struct {
	Kind Kind
	// For Other, one of: what a file that is no spreadsheet looks like ("a PNG picture"); or what a
	// spreadsheet Rosterdesk cannot read is ("is … , which Rosterdesk cannot read") and how to save it
	// as one it can; or damaged, for a workbook that cannot be opened; or empty. All blank: neither
	// workbook nor text.
	looks    string
	is, save string
	damaged  bool
	empty    bool
}

// Advice is what the screen the file was given on asks for instead: Instead, a sentence, for a file
// that is no spreadsheet at all; Then, the step after saving it in a format Rosterdesk reads.
type Advice struct{ Instead, Then string }

// Refusal says, naming the file, why a file of Kind Other cannot be read and what to do.
func (f Format) Refusal(name string, a Advice) string {
	switch {
	case f.empty:
		return fmt.Sprintf("%s is empty. %s", name, a.Instead)
	case f.damaged:
		return Damaged(name, a)
	case f.is != "":
		return fmt.Sprintf("%s %s. %s, then %s.", name, f.is, f.save, a.Then)
	case f.looks != "":
		return fmt.Sprintf("%s is not a spreadsheet: it looks like %s. %s", name, f.looks, a.Instead)
	}
	return fmt.Sprintf("%s is not a spreadsheet: it is neither an Excel workbook nor a text file. %s", name, a.Instead)
}

// Damaged says a workbook cannot be opened.
func Damaged(name string, a Advice) string {
	return fmt.Sprintf("%s cannot be opened: it is damaged or is not an Excel workbook. Open it in your spreadsheet program, save it again as Excel Workbook (.xlsx), and %s.", name, a.Then)
}

// Misnamed says, when the name's extension promises the other kind of spreadsheet than the content
// holds, which one Rosterdesk reads; "" when they agree or the extension says neither.
func (f Format) Misnamed(name string) string {
	ext := filepath.Ext(name)
	switch e := strings.ToLower(ext); {
	case f.Kind == Workbook && (e == ".csv" || e == ".tsv" || e == ".txt"):
		return fmt.Sprintf("%s is an Excel workbook although its name ends in %s, so Rosterdesk reads it as a workbook.", name, ext)
	case f.Kind == Text && (e == ".xlsx" || e == ".xlsm" || e == ".xls"):
		return fmt.Sprintf("%s holds text (CSV or tab-separated) although its name ends in %s, so Rosterdesk reads it as text.", name, ext)
	}
	return ""
}

// block is how much of a file is looked at to tell text from anything else.
const block = 8 << 10

// signatures are the first bytes of common files that are not spreadsheets.
var signatures = []struct{ magic, looks string }{
	{"\x89PNG\r\n\x1a\n", "a PNG picture"},
	{"\xFF\xD8\xFF", "a JPEG picture"},
	{"GIF87a", "a GIF picture"},
	{"GIF89a", "a GIF picture"},
	{"II*\x00", "a TIFF picture"},
	{"MM\x00*", "a TIFF picture"},
	{"%PDF-", "a PDF document"},
	{"{\\rtf", "a Word document (RTF)"},
	{"SQLite format 3\x00", "a database file"},
	{"\x1F\x8B", "a compressed (gzip) file"},
	{"Rar!\x1A\x07", "a RAR archive"},
	{"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
	{"\x7FELF", "a program"},
	{"\xCF\xFA\xED\xFE", "a program"},
	{"\xCE\xFA\xED\xFE", "a program"},
	{"\xCA\xFE\xBA\xBE", "a program"},
}

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts a compound file: an Excel 97-2003 .xls, a Word 97-2003 .doc, or an Office
	// file encrypted with a password.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Sniff tells what the file r (size bytes, named name) holds, from its first bytes, the names
// inside a ZIP or compound file, and whether its first block reads as text. Only read errors of r
// are returned.
func Sniff(r io.ReaderAt, size int64, name string) (Format, error) {
	head := make([]byte, min(size, block))
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return Format{}, err
	}
	head = head[:n]
	switch {
	case size == 0:
		return Format{Kind: Other, empty: true}, nil
	case bytes.HasPrefix(head, zipMagic):
		return sniffZip(r, size, name), nil
	case bytes.HasPrefix(head, oleMagic):
		return sniffCompound(r, size)
	}
	for _, s := range signatures {
		if bytes.HasPrefix(head, []byte(s.magic)) {
			return Format{Kind: Other, looks: s.looks}, nil
		}
	}
	if looks := media(head); looks != "" {
		return Format{Kind: Other, looks: looks}, nil
	}
	text, ok := asText(head)
	if !ok {
		switch strings.ToLower(filepath.Ext(name)) {
		case ".xlsx", ".xlsm": // likely a workbook spoilt in a download or a copy
			return Format{Kind: Other, damaged: true}, nil
		}
		return Format{Kind: Other}, nil
	}
	return sniffMarkup(text), nil
}

// media recognises the pictures and programs whose signature is not at the very start, or is
// short enough to begin a line of text.
func media(head []byte) string {
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		switch string(head[8:12]) {
		case "heic", "heix", "mif1", "msf1":
			return "a HEIC picture (as iPhones take them)"
		}
		return "a video or sound file"
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" {
		return "a WebP picture"
	}
	// "MZ" and "BM" could start a line of text; their headers hold NUL bytes, which text does not.
	if len(head) >= 64 && string(head[:2]) == "MZ" && bytes.IndexByte(head[2:64], 0) >= 0 {
		return "a Windows program (.exe)"
	}
	if len(head) >= 26 && string(head[:2]) == "BM" && bytes.Equal(head[6:10], []byte{0, 0, 0, 0}) {
		return "a BMP picture"
	}
	return ""
}

// asText decodes the first block of a file as Decode would and reports whether it reads as text:
// no NUL, and hardly any other control character (a stray one can come from a SIS's data).
func asText(head []byte) (string, bool) {
	text, bad := head, 0
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		var err error
		if text, err = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(head[:len(head)&^1]); err != nil {
			return "", false
		}
		bad = bytes.Count(text, []byte(string(utf8.RuneError))) // bytes that are not UTF-16, or a character the block cut in two
	}
	for _, c := range text {
		switch {
		case c == 0:
			return "", false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1A: // 0x1A: old DOS end of file
			bad++
		}
	}
	return string(text), bad*100 <= len(text)
}

// sniffMarkup tells apart the text files that are not delimited rows: web pages and Excel's XML,
// which programs exporting "to Excel" write under an .xls name.
func sniffMarkup(text string) Format {
	start := strings.ToLower(strings.TrimLeft(strings.TrimPrefix(text, "\uFEFF"), " \t\r\n"))
	switch {
	case strings.HasPrefix(start, "<?xml") && strings.Contains(start, "urn:schemas-microsoft-com:office:spreadsheet"):
		return Format{Kind: Other, is: "is an Excel 2003 XML spreadsheet, which Rosterdesk cannot read", save: "Open it in Excel and save it as Excel Workbook (.xlsx)"}
	case strings.HasPrefix(start, "<!doctype html"), strings.HasPrefix(start, "<html"), strings.HasPrefix(start, "<table"):
		return Format{Kind: Other, is: "is a web page (HTML), not a spreadsheet, though Excel can open it", save: "Open it in Excel and save it as Excel Workbook (.xlsx)"}
	case strings.HasPrefix(start, "<?xml"):
		return Format{Kind: Other, looks: "an XML file"}
	}
	return Format{Kind: Text}
}

// sniffZip tells an Excel workbook from the other files that are ZIP archives inside.
func sniffZip(r io.ReaderAt, size int64, name string) Format {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Format{Kind: Other, damaged: true}
	}
	has := map[string]*zip.File{}
	for _, f := range zr.File {
		has[f.Name] = f
	}
	spreadsheet := func(is, save string) Format {
		return Format{Kind: Other, is: is + ", which Rosterdesk cannot read", save: save}
	}
	switch {
	case has["xl/workbook.xml"] != nil:
		return Format{Kind: Workbook}
	case has["xl/workbook.bin"] != nil:
		return spreadsheet("is an Excel binary workbook (.xlsb)", "Open it in Excel and save it as Excel Workbook (.xlsx)")
	case has["word/document.xml"] != nil:
		return Format{Kind: Other, looks: "a Word document"}
	case has["ppt/presentation.xml"] != nil:
		return Format{Kind: Other, looks: "a PowerPoint presentation"}
	case has["mimetype"] != nil:
		switch mimetype(has["mimetype"]) {
		case "application/vnd.oasis.opendocument.spreadsheet":
			return spreadsheet("is an OpenDocument spreadsheet (.ods)", "Open it in LibreOffice and save it as Excel 2007-365 (.xlsx)")
		case "application/vnd.oasis.opendocument.text":
			return Format{Kind: Other, looks: "an OpenDocument text document (.odt)"}
		}
		return Format{Kind: Other, looks: "an OpenDocument file"}
	case has["Index/CalculationEngine.iwa"] != nil, has["Index/Document.iwa"] != nil && strings.EqualFold(filepath.Ext(name), ".numbers"):
		return spreadsheet("is an Apple Numbers spreadsheet", "In Numbers, choose File > Export To > Excel")
	case has["Index/Document.iwa"] != nil:
		return Format{Kind: Other, looks: "an Apple Pages or Keynote document"}
	case has["manifest.csv"] != nil:
		return Format{Kind: Other, looks: "a OneRoster ZIP file"}
	}
	return Format{Kind: Other, looks: "a ZIP archive"}
}

// mimetype reads an OpenDocument file's declaration of what it is.
func mimetype(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 100))
	return strings.TrimSpace(string(b))
}

// utf16Name is a stream name as a compound file's directory stores it.
func utf16Name(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

// sniffCompound tells what a compound file holds by the streams its directory names: the
// directory may sit anywhere in the file, so all of it is searched.
func sniffCompound(r io.ReaderAt, size int64) (Format, error) {
	names := []struct {
		stream string
		f      Format
	}{
		{"EncryptionInfo", Format{Kind: Other, is: "is protected with a password, so Rosterdesk cannot read it",
			save: "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear the password), save it"}},
		{"WordDocument", Format{Kind: Other, looks: "a Word 97-2003 document (.doc)"}},
		{"PowerPoint Document", Format{Kind: Other, looks: "a PowerPoint 97-2003 presentation (.ppt)"}},
	}
	found, err := search(io.NewSectionReader(r, 0, size), func(b []byte) int {
		for i, n := range names {
			if bytes.Contains(b, utf16Name(n.stream)) {
				return i
			}
		}
		return -1
	}, 2*len("PowerPoint Document"))
	if err != nil {
		return Format{}, err
	}
	if found >= 0 {
		return names[found].f, nil
	}
	return Format{Kind: Other, is: "is an Excel 97-2003 workbook (.xls), which Rosterdesk cannot read", save: "Open it in Excel and save it as Excel Workbook (.xlsx)"}, nil
}

// search runs match over r in overlapping chunks, so that a name up to overlap bytes long
// straddling two chunks is seen, and returns the first index match gives that is not -1.
func search(r io.Reader, match func([]byte) int, overlap int) (int, error) {
	buf := make([]byte, 0, 64<<10)
	for {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if i := match(buf); i >= 0 {
			return i, nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return -1, nil
		}
		if err != nil {
			return -1, err
		}
		keep := min(overlap, len(buf))
		buf = append(buf[:0], buf[len(buf)-keep:]...)
	}
}
