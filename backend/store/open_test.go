package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Names people type, with the characters a SQLite URI gives a meaning to: each must open exactly
// the file of that name, and names differing only after a "#" are different workspaces.
func TestAnyFileNameOpensExactlyThatFile(t *testing.T) {
	dir := t.TempDir()
	names := []string{"district#A.db", "district#B.db", "%41.db", "what?.db", "a&b;c=d.db", "with two  spaces.db",
		"Zoë – Ærø 学校.db", "100%.db", "x?mode=ro#y.db", "file:z.db"}
	if runtime.GOOS == "windows" { // names Windows itself refuses
		names = slices.DeleteFunc(names, func(n string) bool { return strings.ContainsAny(n, "?:") })
	}
	ctx := context.Background()
	for _, name := range names {
		st, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := st.AddConnection(ctx, Connection{Name: name, Kind: "k", Role: "source"}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st.Close()
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("files on disk:\n%q\nwant:\n%q", got, want)
	}
	for _, name := range names {
		st, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		conns, err := st.Connections(ctx)
		st.Close()
		if err != nil || len(conns) != 1 || conns[0].Name != name {
			t.Errorf("%s holds %+v (%v), want only its own connection", name, conns, err)
		}
	}
}

func TestFileURIEscapesWhatSQLiteWouldRead(t *testing.T) {
	for path, want := range map[string]string{
		"/data/district#A?.db": "file:///data/district%23A%3F.db",
		"/a b/%41&x;y=z.db":    "file:///a%20b/%2541%26x%3By%3Dz.db",
		"/é.db":                "file:///%C3%A9.db",
	} {
		if got := fileURI(filepath.FromSlash(path), nil); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", path, got, want)
		}
	}
}

// fileHash is the SHA-256 of a file's bytes.
func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(raw)
}

// Another program's database, a database with another application's mark, and a file that is no
// database at all are refused with a message, byte for byte untouched and with no -wal, -shm or
// journal left beside them.
func TestAnotherProgramsFileIsRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	foreign := map[string][]string{
		"invoices.db":  {`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)`, `INSERT INTO invoices (total) VALUES (12.5), (99)`},
		"marked.db":    {`PRAGMA application_id = 1234`},
		"walmode.db":   {`PRAGMA journal_mode = WAL`, `CREATE TABLE notes (body TEXT)`, `INSERT INTO notes VALUES ('keep me')`},
		"versioned.db": {`PRAGMA user_version = 3`},
	}
	for name, statements := range foreign {
		db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(dir, name)))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range statements {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	os.WriteFile(filepath.Join(dir, "students.db"), []byte("name,grade\r\nAna,3\r\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "short.db"), []byte("SQLite"), 0o600)
	before := map[string][32]byte{}
	for _, name := range []string{"invoices.db", "marked.db", "walmode.db", "versioned.db", "students.db", "short.db"} {
		before[name] = fileHash(t, filepath.Join(dir, name))
	}
	for name, hash := range before {
		path := filepath.Join(dir, name)
		st, err := Open(path)
		if err == nil {
			st.Close()
			t.Errorf("%s was opened as a workspace", name)
			continue
		}
		if !errors.Is(err, ErrNotWorkspace) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not a Rosterdesk workspace") {
			t.Errorf("%s: %v", name, err)
		}
		if fileHash(t, path) != hash {
			t.Errorf("%s was changed", name)
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(path + suffix); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s%s appeared", name, suffix)
			}
		}
	}
}

// An empty file (made by a file dialog or a script) becomes a workspace, with the mark.
func TestAnEmptyFileBecomesAWorkspace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	os.WriteFile(path, nil, 0o600)
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var id, page int
	st.db.QueryRow(`PRAGMA application_id`).Scan(&id)
	st.db.QueryRow(`PRAGMA page_size`).Scan(&page)
	if id != applicationID || page != pageSize {
		t.Fatalf("application_id=%#x page_size=%d", id, page)
	}
}

// The workspace holds student data: it and its -wal and -shm files are the owner's only.
func TestWorkspaceFilesAreReadableByTheOwnerOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps access in ACLs, not mode bits")
	}
	path := filepath.Join(t.TempDir(), "workspace.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.AddConnection(context.Background(), Connection{Name: "A", Kind: "k", Role: "source"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(f)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want -rw-------", filepath.Base(f), info.Mode(), err)
		}
	}
}

// readOnly makes path unwritable for this test: by its mode for an ordinary account, and, as root
// (whom modes do not stop), by the immutable attribute, which stops root too.
func readOnly(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, info.Mode().Perm()&^0o222); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, info.Mode().Perm()) })
		return
	}
	if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i is not possible here (%v: %s): no way to make %s read-only", err, out, path)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}

func TestReadOnlyWorkspaceOrFolderIsSaidInWords(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("read-only folders do not stop writes on Windows")
	}
	dir := filepath.Join(t.TempDir(), "shared")
	path := filepath.Join(dir, "workspace.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	t.Run("file", func(t *testing.T) {
		readOnly(t, path)
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), "Rosterdesk cannot write to "+path+": the file is read-only") || strings.Contains(err.Error(), "readonly database") {
			t.Fatalf("a read-only workspace: %v", err)
		}
	})
	t.Run("folder", func(t *testing.T) {
		readOnly(t, dir)
		for _, p := range []string{path, filepath.Join(dir, "new.db")} {
			_, err := Open(p)
			if err == nil || !strings.Contains(err.Error(), "Rosterdesk cannot write to the folder "+dir+": the folder is read-only") {
				t.Fatalf("%s in a read-only folder: %v", filepath.Base(p), err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "new.db")); !errors.Is(err, os.ErrNotExist) {
			t.Fatal("a workspace was created in a read-only folder")
		}
	})
	t.Run("translation", func(t *testing.T) {
		// SQLite's own refusal, should the file become read-only while open, reads the same.
		db, _ := sql.Open("sqlite", fileURI(path, map[string][]string{"mode": {"ro"}}))
		defer db.Close()
		_, err := db.Exec(`CREATE TABLE x (y)`)
		if err == nil || !strings.Contains(writeError(path, err).Error(), "Rosterdesk cannot write to "+path+": the file is read-only") {
			t.Fatalf("%v → %v", err, writeError(path, err))
		}
	})
}

// stagedFile makes a fetched file at rel in st's staging folder, as a fetch does.
func stagedFile(t *testing.T, st *Store, rel string) string {
	t.Helper()
	path := filepath.Join(StagingDir(st.Path()), filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("PK"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Stored fetches are kept relative to the workspace, so a copy reads its own; an absolute path an
// older Rosterdesk stored counts only inside this workspace's staging folder, and a fetch whose file
// is gone (a workspace copied without its staging folder) is no fetch.
func TestSnapshotPathsBelongToTheirWorkspace(t *testing.T) {
	st := openTemp(t)
	ctx := context.Background()
	c, _ := st.AddConnection(ctx, Connection{Name: "A", Kind: "k", Role: "source"})
	own := stagedFile(t, st, "c1-1/oneroster.zip")
	if _, err := st.PutSnapshot(ctx, Snapshot{ConnectionID: c.ID, FetchedAt: Now(), Path: own, Report: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	var stored string
	st.db.QueryRow(`SELECT path FROM snapshots`).Scan(&stored)
	if stored != "c1-1/oneroster.zip" {
		t.Fatalf("stored path %q", stored)
	}
	for old, want := range map[string]string{own: own, filepath.Join(t.TempDir(), "c1-1", "oneroster.zip"): ""} {
		st.db.Exec(`UPDATE snapshots SET path = ?`, old)
		snap, err := st.Snapshot(ctx, c.ID)
		if want == "" && !errors.Is(err, ErrNotFound) || want != "" && (err != nil || snap.Path != want) {
			t.Errorf("stored %s: %+v %v", old, snap, err)
		}
		if prev, _ := st.PutSnapshot(ctx, Snapshot{ConnectionID: c.ID, FetchedAt: Now(), Path: own, Report: []byte(`{}`)}); prev != want {
			t.Errorf("stored %s: the replaced snapshot to remove is %q, want %q", old, prev, want)
		}
	}
	os.RemoveAll(StagingDir(st.Path()))
	if _, err := st.Snapshot(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a fetch whose file is gone: %v", err)
	}
}
