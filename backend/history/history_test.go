package history

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
	"github.com/rosterdesk/rosterdesk/backend/outcome"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// scheduledRun records a finished scheduled import of District by its integration, with records.
func scheduledRun(t testing.TB, st *store.Store, records iter.Seq[store.RunRecord]) store.Run {
	t.Helper()
	ctx := context.Background()
	c, err := st.AddConnection(ctx, store.Connection{Name: "District", Kind: "oneroster-csv", Role: "source"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := st.AddIntegration(ctx, store.Integration{Name: "Nightly import", Type: "import", ConnectionID: c.ID, Schedule: "manual"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.StartRun(ctx, store.Run{ConnectionID: c.ID, ConnectionName: c.Name, Direction: "import", Mode: "selective", Operator: "pat",
		IntegrationID: in.ID, Trigger: "schedule"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddRunRecords(ctx, run.ID, records); err != nil {
		t.Fatal(err)
	}
	run.Status, run.Message = store.RunFailed, "2 records failed; the rest was applied."
	run.Counts = map[string]store.EntityCounts{"users": {Created: 0, Updated: 240, Failed: 2}, "classes": {Unchanged: 7}}
	if err := st.FinishRun(&run); err != nil {
		t.Fatal(err)
	}
	if run, err = st.Run(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	return run
}

// pdfText is the text of a PDF as poppler's pdftotext reads it, one string per page.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (make apt)")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext cannot read the report: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}

func TestPDFReportReadsBack(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_PAPER", "")
	t.Setenv("LANG", "en_GB.UTF-8")
	st := openStore(t)
	long := strings.Repeat("usr-with-a-very-long-identifier-", 4)
	records := []store.RunRecord{
		{Entity: "users", SourcedID: "usr-zoe", Action: "read", Status: "failed", Field: "email", Message: "Zoë Núñez has no email address: add one in the SIS"},
		{Entity: "users", SourcedID: long, Action: "read", Status: "failed",
			Message: strings.Repeat("This message is far too long to fit on three lines of the message column of the report. ", 4) + "TAIL"},
	}
	for i := range 240 {
		records = append(records, store.RunRecord{Entity: "users", SourcedID: fmt.Sprintf("usr-%04d", i), Action: "update", Status: "ok", Field: "givenName",
			Reason: outcome.Changed, Before: "Ann", After: "Anne"})
	}
	run := scheduledRun(t, st, slices.Values(records))
	var buf bytes.Buffer
	if err := Write(context.Background(), st, run, "pdf", &buf); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	if len(pages) < 3 {
		t.Fatalf("%d pages for 242 records", len(pages))
	}
	first := pages[0]
	for _, want := range []string{
		fmt.Sprintf("Run %d: Import of District", run.ID), "Integration", "Nightly import", "Direction", "Import", "Mode", "selective",
		"Operator", "pat", "Started by", "the schedule", "Result", "Failed. 2 records failed; the rest was applied.",
		"Records that failed or were skipped", "usr-zoe", "Zoë Núñez has no email address: add one in the SIS",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("page 1 lacks %q:\n%s", want, first)
		}
	}
	if !regexp.MustCompile(`users\s+0\s+240\s+0\s+0\s+0\s+2`).MatchString(first) || !regexp.MustCompile(`classes\s+0\s+0\s+0\s+7\s+0\s+0`).MatchString(first) {
		t.Errorf("page 1 lacks the counts per entity:\n%s", first)
	}
	// Values too long for their column end with an ellipsis; a message wraps to three lines at most.
	if strings.Contains(first, long) || !strings.Contains(first, "usr-with-a-very-long-identifier-…") {
		t.Errorf("the long ID is not cut with an ellipsis:\n%s", first)
	}
	if strings.Contains(first, "TAIL") || !strings.Contains(first, "…") {
		t.Errorf("the long message is not cut:\n%s", first)
	}
	for i, page := range pages {
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(page, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if !strings.Contains(page, "Record ID") || !strings.Contains(page, "Details") {
			t.Errorf("page %d does not repeat the table's header:\n%s", i+1, page)
		}
	}
	last := pages[len(pages)-1]
	if !strings.Contains(strings.Join(pages, ""), "Records that succeeded") || !strings.Contains(last, "usr-0239") || !strings.Contains(last, `givenName: "Ann" -> "Anne"`) {
		t.Errorf("the succeeded records do not end the report:\n%s", last)
	}
	// Past the bound on rows, the report counts the rest.
	defer func(n int) { maxRows = n }(maxRows)
	maxRows = 100
	buf.Reset()
	if err := Write(context.Background(), st, run, "pdf", &buf); err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(pdfText(t, buf.Bytes()), ""); !strings.Contains(text, "usr-0097") || strings.Contains(text, "usr-0098") ||
		!strings.Contains(text, "… and 142 more records, not printed: the CSV and XLSX reports list every one.") {
		t.Errorf("the report of 242 records printed at most 100:\n%s", text)
	}
	if size := pageSize(t, buf.Bytes()); size != "595.28 x 841.89" {
		t.Errorf("paper %s, want A4 for en_GB", size)
	}
	t.Setenv("LANG", "en_US.UTF-8")
	buf.Reset()
	if err := Write(context.Background(), st, run, "pdf", &buf); err != nil {
		t.Fatal(err)
	}
	if size := pageSize(t, buf.Bytes()); size != "612 x 792" {
		t.Errorf("paper %s, want Letter for en_US", size)
	}
}

// pageSize is the first page's size in points as pdfinfo reads it.
func pageSize(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "size.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Page size:\s+([\d.]+ x [\d.]+) pts`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no page size in %s", out)
	}
	return m[1]
}

func TestPaperFor(t *testing.T) {
	for locale, want := range map[string]string{"en_US.UTF-8": "Letter", "es_MX": "Letter", "fr-CA": "Letter", "en_GB.UTF-8": "A4", "de_DE@euro": "A4", "C": "A4", "": "A4"} {
		if got := PaperFor(locale); got != want {
			t.Errorf("%q: %s, want %s", locale, got, want)
		}
	}
}

// The CSV and XLSX reports carry a record's sentence and its raw reason, before and after, for a
// spreadsheet to filter on; a record logged before reasons were stored keeps its message.
func TestCSVAndXLSXReportsCarryTheOutcomeAsData(t *testing.T) {
	st := openStore(t)
	run := scheduledRun(t, st, slices.Values([]store.RunRecord{
		{Entity: "users", SourcedID: "usr-zoe", Action: "read", Status: "failed", Field: "email", Reason: outcome.ReadFailed, Message: "Zoë Núñez: no email"},
		{Entity: "users", SourcedID: "usr-ana", Action: "update", Status: "ok", Field: "givenName", Reason: outcome.Changed, Before: "Ana", After: "Anna"},
		{Entity: "users", SourcedID: "usr-old", Action: "delete", Status: "ok", Message: "no longer in the selection"},
	}))
	want := [][]string{Header,
		{"users", "usr-zoe", "read", "failed", "email", "Zoë Núñez: no email", "read_failed", "", ""},
		{"users", "usr-ana", "update", "ok", "givenName", `givenName: "Ana" → "Anna"`, "changed", "Ana", "Anna"},
		{"users", "usr-old", "delete", "ok", "", "no longer in the selection", "", "", ""},
	}
	var buf bytes.Buffer
	if err := Write(context.Background(), st, run, "csv", &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil || !slices.EqualFunc(rows, want, slices.Equal) {
		t.Fatalf("csv %q %v", rows, err)
	}
	buf.Reset()
	if err := Write(context.Background(), st, run, "xlsx", &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if rows, err = f.GetRows("Log"); err != nil || len(rows) != len(want) {
		t.Fatalf("xlsx %q %v", rows, err)
	}
	for i, row := range rows {
		for len(row) < len(Header) { // excelize leaves out empty cells at a row's end
			row = append(row, "")
		}
		if !slices.Equal(row, want[i]) {
			t.Errorf("xlsx row %d %q, want %q", i, row, want[i])
		}
	}
	if err := Write(context.Background(), st, run, "ods", &buf); err == nil {
		t.Fatal("an unknown format was written")
	}
}

// TestPDFOf100000RecordsStreams writes the report of a run of 100,000 records: rows go from the
// workspace into the PDF one at a time, so the heap holds the document once (its pages, then the file
// compressed), never a list of the records besides.
func TestPDFOf100000RecordsStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 100,000-record report")
	}
	if !hostile.InStillWorld(t) {
		return
	}
	const n = 100_000
	st := openStore(t)
	run := scheduledRun(t, st, func(yield func(store.RunRecord) bool) {
		for i := range n {
			r := store.RunRecord{Entity: "enrollments", SourcedID: fmt.Sprintf("enr-%07d", i), Action: "update", Status: "ok", Field: "role", Reason: outcome.Changed, Before: "student", After: "teacher"}
			if i%1000 == 0 {
				r.Status, r.Reason, r.Message = "failed", outcome.TargetRefused, "Núñez: the class is not in the roster"
			}
			if !yield(r) {
				return
			}
		}
	})
	// A low GC target keeps the heap near what is live, so the peak measures what the report holds
	// rather than garbage not yet collected.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	start := time.Now()
	var size countingWriter
	var err error
	peak := hostile.Peak(func() { err = Write(context.Background(), st, run, "pdf", &size) })
	if err != nil {
		t.Fatal(err)
	}
	grew := peak >> 20
	t.Logf("%d records: %.1f s, %d MB PDF, heap grew by at most %d MB", n, time.Since(start).Seconds(), size>>20, grew)
	// What the heap holds is the document: its pages uncompressed until the end (fpdf writes a PDF
	// whole), a few hundred bytes a record. 800 bytes a record bounds it.
	if grew > n*800>>20 {
		t.Errorf("the heap grew by %d MB for %d records", grew, n)
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
