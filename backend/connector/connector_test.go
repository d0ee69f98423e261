package connector_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	"github.com/rosterdesk/rosterdesk/backend/connector/spreadsheet"
)

func TestNormalize(t *testing.T) {
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "export.zip")
	os.WriteFile(zipPath, []byte("x"), 0o600)
	kind, err := connector.NewRegistry(csvzip.Kind()).Kind("oneroster-csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		role     string
		settings map[string]string
		wantErr  string
	}{
		{"valid, role defaulted", "", map[string]string{"path": "  " + zipPath + " "}, ""},
		{"missing required", "source", map[string]string{}, `"path"`},
		{"unknown setting", "source", map[string]string{"path": zipPath, "pth": "x"}, `no setting "pth"`},
		{"path that does not exist", "source", map[string]string{"path": filepath.Join(dir, "nope.zip")}, "cannot find"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := kind.Normalize(tt.role, tt.settings)
			if tt.wantErr == "" {
				if err != nil || got["path"] != zipPath {
					t.Fatalf("got %v, %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
		})
	}
}

func TestRoleTheKindLacksIsRefused(t *testing.T) {
	_, err := spreadsheet.Kind().Normalize(connector.RoleTarget, map[string]string{"path": "people.csv", "columns": `{"ID":"sourcedId"}`})
	if err == nil || !strings.Contains(err.Error(), "cannot have the role") {
		t.Fatalf("got %v", err)
	}
}

func TestUnknownKindListsTheKnownOnes(t *testing.T) {
	_, err := connector.NewRegistry(csvzip.Kind()).Kind("oneroster-zip")
	if err == nil || !strings.Contains(err.Error(), "oneroster-csv") {
		t.Fatalf("got %v", err)
	}
}

func TestWebAddressKeepsStudentDataEncrypted(t *testing.T) {
	for raw, want := range map[string]string{
		"https://sis.example.org/api":    "",
		"http://127.0.0.1:8080/api":      "",
		"http://localhost/api":           "",
		"http://sis.example.org/api":     "must start with https://",
		"sis.example.org/api":            "is not a web address",
		"https://pat:pw@sis.example.org": "must not hold a user name or password",
	} {
		_, err := connector.WebAddress("Base URL", raw)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
}
