package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunsReportPDFAndClear(t *testing.T) {
	dir := t.TempDir()
	zip := filepath.Join(dir, "district.zip")
	run(t, dir, "generate", "--out", zip, "--users", "150", "--seed", "7")
	run(t, dir, "connection", "add", "SIS", "--kind", "oneroster-csv", "--set", "path="+zip)
	if _, errOut, code := run(t, dir, "import", "SIS"); code != 0 {
		t.Fatal(errOut)
	}
	// Keep one school: the next import would delete most of the roster and is held for review.
	run(t, dir, "select", "SIS", "orgs", "--ids", "org-0001")
	if _, _, code := run(t, dir, "import", "SIS"); code != 3 {
		t.Fatalf("the import was not held: %d", code)
	}

	pdf := filepath.Join(dir, "run 1.pdf")
	if out, errOut, code := run(t, dir, "runs", "report", "1", "--format", "pdf", "--out", pdf); code != 0 {
		t.Fatalf("report: %d %s %s", code, out, errOut)
	}
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils) cannot read the report: %v", err)
	}
	for _, want := range []string{"Run 1: Import of SIS", "Started by", "Records that succeeded", "create", "Page 1 of "} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if _, errOut, code := run(t, dir, "runs", "report", "1", "--format", "ods", "--out", pdf); code == 0 || !strings.Contains(errOut, "--format is csv, xlsx or pdf") {
		t.Fatalf("ods: %d %s", code, errOut)
	}

	// Without --yes nothing goes, and it says what would.
	out, errOut, code := run(t, dir, "runs", "clear")
	if code == 0 || !strings.Contains(errOut, "Clearing the history deletes 1 run and its records; 1 run still running or held for review stays. Nothing was deleted; add --yes") {
		t.Fatalf("clear without --yes: %d %q %q", code, out, errOut)
	}
	if _, errOut, code := run(t, dir, "runs", "show", "1"); code != 0 {
		t.Fatalf("run 1 went without --yes: %s", errOut)
	}
	out, errOut, code = run(t, dir, "runs", "clear", "--yes")
	if code != 0 || !strings.Contains(out, "History cleared by ") || !strings.Contains(out, ": 1 run; 1 run kept (still running or held for review).") {
		t.Fatalf("clear: %d %q %q", code, out, errOut)
	}
	if _, errOut, code := run(t, dir, "runs", "show", "1"); code == 0 || !strings.Contains(errOut, "there is no run 1") {
		t.Fatalf("run 1 is still there: %d %s", code, errOut)
	}
	list, _, _ := run(t, dir, "runs", "list")
	if lines := strings.Split(strings.TrimSpace(list), "\n"); len(lines) != 3 || !strings.Contains(lines[1], "history") || !strings.Contains(lines[2], "held") {
		t.Fatalf("runs left:\n%s", list)
	}
	if _, err := os.Stat(pdf); err != nil {
		t.Fatal(err)
	}
}
