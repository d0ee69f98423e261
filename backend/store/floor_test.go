package store

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkDriverFloor loads the CSV files of $FLOOR_CSV_DIR into key-less tables in one transaction,
// as many rows per statement as an import and in a file made as a workspace is — what the sqlite3
// shell's .import does, through this driver. It is the floor for an import's write speed with
// modernc.org/sqlite; make bench runs it beside the real import.
func BenchmarkDriverFloor(b *testing.B) {
	dir := os.Getenv("FLOOR_CSV_DIR")
	if dir == "" {
		b.Skip("FLOOR_CSV_DIR names a folder of CSV files (make bench sets it)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		b.Fatalf("no CSV files in %s", dir)
	}
	rows := 0
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "floor.db")
		if err := create(path); err != nil {
			b.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=synchronous(NORMAL)")
		if err != nil {
			b.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range files {
			if filepath.Base(f) != "manifest.csv" {
				rows += loadKeyless(b, tx, f)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func loadKeyless(b *testing.B, tx *sql.Tx, path string) int {
	in, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	r := csv.NewReader(in)
	header, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	name := `"` + strings.TrimSuffix(filepath.Base(path), ".csv") + `"`
	if _, err := tx.Exec(`CREATE TABLE ` + name + ` (` + quoted(header) + `)`); err != nil {
		b.Fatal(err)
	}
	one := "(?" + strings.Repeat(", ?", len(header)-1) + ")"
	batch := &batch{width: len(header)}
	if batch.full, err = tx.Prepare(`INSERT INTO ` + name + ` VALUES ` + strings.Repeat(one+", ", batchRows-1) + one); err != nil {
		b.Fatal(err)
	}
	if batch.one, err = tx.Prepare(`INSERT INTO ` + name + ` VALUES ` + one); err != nil {
		b.Fatal(err)
	}
	rows := 0
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		values := make([]any, len(rec))
		for i, v := range rec {
			values[i] = v
		}
		if err := batch.add(context.Background(), values...); err != nil {
			b.Fatal(err)
		}
		rows++
	}
	if err := batch.flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	return rows
}
