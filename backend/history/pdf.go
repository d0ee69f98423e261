package history

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// The PDF's layout, in millimetres and points.
const (
	margin     = 12.0
	lineHeight = 3.6 // of the table's 7.5 pt text
	pad        = 1.2 // inside each cell
	maxLines   = 3   // a message wraps to at most this many lines, the last cut with an ellipsis
)

// maxRows bounds the table (about 1,700 pages): fpdf holds a document whole until it writes it, and a
// first import of a district (a million records created) would not be read on paper. Failures come
// first; past the bound the report counts the rest and names the CSV and XLSX reports, which list all.
var maxRows = 100_000

// words formats numbers for people, with thousands separators.
var words = message.NewPrinter(language.English)

// column is one column of the records table: its share of the page's width and its value.
type column struct {
	title string
	share float64
	value func(store.RunRecord) string
	wrap  bool
}

var columns = []column{
	{"Status", 0.08, func(r store.RunRecord) string { return r.Status }, false},
	{"Entity", 0.13, func(r store.RunRecord) string { return r.Entity }, false},
	{"Record ID", 0.22, func(r store.RunRecord) string { return r.SourcedID }, false},
	{"Action", 0.09, func(r store.RunRecord) string { return r.Action }, false},
	{"Field", 0.13, func(r store.RunRecord) string { return r.Field }, false},
	{"Details", 0.35, outcome.Sentence, true},
}

// pdfReport writes one report; rows stream into the document as the workspace reads them, so a run of
// 100,000 records is held once, as the PDF's own pages.
type pdfReport struct {
	pdf    *fpdf.Fpdf
	widths []float64
	bottom float64 // where rows stop on a page
	page   int     // the page the table's header was last drawn on
}

// latin1 turns UTF-8 into the Windows-1252 bytes of the PDF's core fonts; → prints as ->, another
// character they lack as "?".
func latin1(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
		} else if r == '→' { // a changed value's arrow
			b.WriteString("->")
		} else if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(c)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func writePDF(ctx context.Context, st *store.Store, run store.Run, paper string, w io.Writer) error {
	pdf := fpdf.New("P", "mm", paper, "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetTitle(fmt.Sprintf("Rosterdesk run %d report", run.ID), true)
	pdf.SetCreator("Rosterdesk", true)
	pdf.AliasNbPages("{nb}")
	pageW, pageH := pdf.GetPageSize()
	r := &pdfReport{pdf: pdf, bottom: pageH - margin - 6}
	for _, c := range columns {
		r.widths = append(r.widths, c.share*(pageW-2*margin))
	}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 4, latin1(fmt.Sprintf("Rosterdesk — run %d", run.ID)), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	r.summary(run)

	// Failed and skipped records first, then those that succeeded: two reads of the run's log.
	succeeded := "Records that succeeded"
	if run.Status == store.RunHeld {
		succeeded = "Records the run would change (held for review: nothing was applied)"
	}
	drawn := 0
	for _, section := range []struct {
		title string
		want  func(status string) bool
	}{
		{"Records that failed or were skipped", func(s string) bool { return s != "ok" }},
		{succeeded, func(s string) bool { return s == "ok" }},
	} {
		r.heading(section.title)
		n, left := 0, 0
		err := st.RunLog(ctx, run, func(rec store.RunRecord) error {
			if !section.want(rec.Status) {
				return nil
			}
			n++
			if drawn == maxRows {
				left++
				return nil
			}
			drawn++
			r.row(rec)
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		switch {
		case n == 0:
			r.note("None.")
		case left > 0:
			r.note(words.Sprintf("… and %d more records, not printed: the CSV and XLSX reports list every one.", left))
		}
	}
	return pdf.Output(w)
}

// note is a line in italics below a section's table.
func (r *pdfReport) note(text string) {
	pdf := r.pdf
	if pdf.GetY()+6 > r.bottom {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "I", 8)
	pdf.SetTextColor(90, 90, 90)
	pdf.CellFormat(0, 6, latin1(text), "", 1, "L", false, 0, "")
}

// summary is the first page's title and the run: who, what, when, the result and the counts per entity.
func (r *pdfReport) summary(run store.Run) {
	pdf := r.pdf
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, latin1(fmt.Sprintf("Run %d: %s of %s", run.ID, directionName(run.Direction), orDash(run.ConnectionName))), "", 1, "L", false, 0, "")
	pdf.Ln(2)
	startedBy := run.Operator
	if run.Trigger == "schedule" {
		startedBy = "the schedule"
	}
	result := statusName(run.Status)
	if run.Message != "" {
		result += ". " + run.Message
	}
	for _, kv := range [][2]string{
		{"Run number", fmt.Sprint(run.ID)},
		{"Connection", orDash(run.ConnectionName)},
		{"Integration", orDash(run.Integration)},
		{"Direction", directionName(run.Direction)},
		{"Mode", run.Mode},
		{"Operator", run.Operator},
		{"Started by", startedBy},
		{"Started", localTime(run.StartedAt)},
		{"Finished", localTime(run.FinishedAt)},
		{"Result", result},
	} {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(32, 5, latin1(kv[0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 5, latin1(kv[1]), "", "L", false)
	}
	pdf.Ln(3)
	heads := []string{"Entity", "Created", "Updated", "Deleted", "Unchanged", "Skipped", "Failed"}
	widths := []float64{40, 22, 22, 22, 22, 22, 22}
	pdf.SetFont("Helvetica", "B", 8.5)
	pdf.SetFillColor(230, 233, 238)
	for i, h := range heads {
		align := "R"
		if i == 0 {
			align = "L"
		}
		pdf.CellFormat(widths[i], 6, h, "B", 0, align, true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8.5)
	listed := 0
	for _, ent := range roster.Entities {
		c, ok := run.Counts[string(ent)]
		if !ok {
			continue
		}
		listed++
		pdf.CellFormat(widths[0], 5, string(ent), "", 0, "L", false, 0, "")
		for i, n := range []int{c.Created, c.Updated, c.Deleted, c.Unchanged, c.Skipped, c.Failed} {
			pdf.CellFormat(widths[i+1], 5, words.Sprint(n), "", 0, "R", false, 0, "")
		}
		pdf.Ln(-1)
	}
	if listed == 0 {
		pdf.SetFont("Helvetica", "I", 8.5)
		pdf.CellFormat(0, 5, "No record was counted.", "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)
}

// heading starts a section of the table, on a new page when fewer than a few rows would fit below it.
func (r *pdfReport) heading(title string) {
	pdf := r.pdf
	if pdf.GetY()+8+6+4*lineHeight > r.bottom {
		pdf.AddPage()
	}
	pdf.SetFont("Helvetica", "B", 11)
	pdf.SetTextColor(0, 0, 0)
	pdf.CellFormat(0, 8, title, "", 1, "L", false, 0, "")
	r.tableHeader()
}

// tableHeader draws the columns' titles; each page of the table repeats it.
func (r *pdfReport) tableHeader() {
	pdf := r.pdf
	pdf.SetFont("Helvetica", "B", 7.5)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFillColor(230, 233, 238)
	for i, c := range columns {
		pdf.CellFormat(r.widths[i], 5.5, c.title, "", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	r.page = pdf.PageNo()
}

// row draws one record: one line per value, the message wrapped; values too long end in an ellipsis.
func (r *pdfReport) row(rec store.RunRecord) {
	pdf := r.pdf
	pdf.SetFont("Helvetica", "", 7.5)
	cells := make([][]string, len(columns))
	lines := 1
	for i, c := range columns {
		text := latin1(c.value(rec))
		if c.wrap {
			cells[i] = r.wrap(text, r.widths[i]-2*pad)
		} else {
			cells[i] = []string{r.fit(text, r.widths[i]-2*pad, false)}
		}
		lines = max(lines, len(cells[i]))
	}
	h := float64(lines)*lineHeight + pad
	y := pdf.GetY()
	if y+h > r.bottom {
		pdf.AddPage()
		r.tableHeader()
		pdf.SetFont("Helvetica", "", 7.5)
		y = pdf.GetY()
	}
	// Text and fill of one colour: fpdf then writes no colour around each value.
	if rec.Status == "failed" {
		pdf.SetTextColor(170, 20, 20)
		pdf.SetFillColor(170, 20, 20)
	} else {
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFillColor(0, 0, 0)
	}
	x := margin
	for i, cell := range cells {
		for j, line := range cell {
			pdf.Text(x+pad, y+float64(j+1)*lineHeight-0.6, line)
		}
		x += r.widths[i]
	}
	pdf.SetDrawColor(215, 218, 224)
	pdf.Line(margin, y+h, x, y+h)
	pdf.SetY(y + h)
}

const ellipsis = "\x85" // … in Windows-1252

// fit cuts text (Windows-1252) to width, ending it with an ellipsis when it was cut or when cut is set.
func (r *pdfReport) fit(text string, width float64, cut bool) string {
	if !cut && r.pdf.GetStringWidth(text) <= width {
		return text
	}
	for len(text) > 0 && r.pdf.GetStringWidth(text+ellipsis) > width {
		text = text[:len(text)-1]
	}
	return text + ellipsis
}

// wrap splits text (Windows-1252, which fpdf's SplitText would read as UTF-8) into lines of width at
// its spaces, at most maxLines, the last ending with an ellipsis when more was left.
func (r *pdfReport) wrap(text string, width float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line == "" || r.pdf.GetStringWidth(line+" "+word) > width {
			if line != "" {
				lines = append(lines, line)
			}
			line = word
			continue
		}
		line += " " + word
	}
	lines = append(lines, line)
	cut := len(lines) > maxLines
	if cut {
		lines = append(lines[:maxLines-1], strings.Join(lines[maxLines-1:], " "))
	}
	for i, l := range lines {
		lines[i] = r.fit(l, width, cut && i == len(lines)-1)
	}
	return lines
}

func directionName(d string) string {
	switch d {
	case "import":
		return "Import"
	case "export":
		return "Export"
	case "sync":
		return "Two-way sync"
	case store.DirectionHistory:
		return "History"
	}
	return d
}

func statusName(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// localTime shows a workspace time (UTC) in this computer's time zone, naming the zone.
func localTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return orDash(s)
	}
	return t.Local().Format("2006-01-02 15:04:05 MST")
}
