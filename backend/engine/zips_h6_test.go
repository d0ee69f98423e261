package engine

import (
	"path/filepath"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/internal/testzip"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// The test helper zips reads the file of the latest export: run 10 after run 9 (which sorts after it
// by name), and a bulk file after a delta written the same second.
func TestZipsReadsTheLatestExport(t *testing.T) {
	dir := t.TempDir()
	for name, org := range map[string]string{
		"oneroster-1.2-delta-20261201-090000-run9.zip": "org-run9",
		"oneroster-1.2-bulk-20261201-090000-run10.zip": "org-run10",
		"oneroster-1.2-delta-20261201-085959-run2.zip": "org-run2",
	} {
		testzip.Write(t, filepath.Join(dir, name), map[string]string{
			"manifest.csv": "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.2\r\nfile.orgs,bulk\r\n",
			"orgs.csv":     "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\n" + org + ",,,Springfield District,district,D1,\r\n",
		})
	}
	names, got, _ := zips(t, dir)
	if len(got[roster.Orgs]) != 1 || got[roster.Orgs][0].SourcedID() != "org-run10" {
		t.Fatalf("read %v of %v, want run 10's file", got[roster.Orgs], names)
	}
	if filepath.Base(names[0]) != "oneroster-1.2-delta-20261201-085959-run2.zip" {
		t.Fatalf("files %v are not oldest first", names)
	}
}
