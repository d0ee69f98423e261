package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/csvzip"
	generator "github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Tests that each rule of a run fails loudly when the rule is broken (issue 10, item 18).

func TestHoldReasonAtItsThresholds(t *testing.T) {
	def := selection.Default()
	custom := selection.Default()
	custom.HoldDelete, custom.HoldChange = 2, 50
	for _, tc := range []struct {
		sel                        selection.Selection
		ent                        roster.Entity
		updated, deleted, existing int
		want                       string // in the reason; "" = no hold
	}{
		{def, roster.Users, 0, 100, 1000, ""}, // exactly 10 % deleted
		{def, roster.Users, 0, 101, 1000, "delete 101 of the 1,000 users in the roster"},
		{def, roster.Enrollments, 750, 0, 1000, ""}, // exactly 75 % changed
		{def, roster.Enrollments, 751, 0, 1000, "change 751 of the 1,000 enrollments in the roster"},
		{def, roster.Users, 650, 100, 1000, ""}, // deletions are changes too
		{def, roster.Users, 651, 100, 1000, "change 751 of the 1,000 users"},
		{def, roster.Users, 1, 1, 2, "delete 1 of the 2 users"},
		{custom, roster.Classes, 0, 20, 1000, ""},
		{custom, roster.Classes, 0, 21, 1000, "delete 21 of the 1,000 classes"},
		{custom, roster.Classes, 500, 0, 1000, ""},
		{custom, roster.Classes, 501, 0, 1000, "change 501 of the 1,000 classes"},
	} {
		counts := newCounts()
		counts[tc.ent].Updated, counts[tc.ent].Deleted = tc.updated, tc.deleted
		got := holdReason(counts, map[roster.Entity]int{tc.ent: tc.existing}, tc.sel, "roster")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %d updated, %d deleted of %d (limits %g %%, %g %%): hold %q, want %q", tc.ent, tc.updated, tc.deleted,
				tc.existing, tc.sel.HoldDelete, tc.sel.HoldChange, got, tc.want)
		}
	}
	// Of several entities over a limit, the one with the most records at stake is named, not the first:
	// 4 of 5 orgs deleted beside 30,000 of 135,000 users.
	counts := newCounts()
	counts[roster.Orgs].Deleted, counts[roster.Users].Deleted, counts[roster.Enrollments].Updated = 4, 30000, 100
	got := holdReason(counts, map[roster.Entity]int{roster.Orgs: 5, roster.Users: 135000, roster.Enrollments: 120}, def, "roster")
	if !strings.Contains(got, "delete 30,000 of the 135,000 users") {
		t.Errorf("the largest change: %q", got)
	}
	// Creating where nothing existed never holds.
	counts = newCounts()
	counts[roster.Users].Created = 5000
	if got := holdReason(counts, map[roster.Entity]int{}, def, "target"); got != "" {
		t.Errorf("creating into an empty target holds: %q", got)
	}
}

// roll is a bulk package of one school and n students as SIS exports write them (a BOM, CRLF line
// ends): the first renamed students have a new family name, the last missing ones are left out.
func roll(n, renamed, missing int) map[string]string {
	files := district()
	for _, e := range []string{"academicSessions", "courses", "classes", "roles", "enrollments"} {
		files["manifest.csv"] = strings.Replace(files["manifest.csv"], "file."+e+",bulk", "file."+e+",absent", 1)
		delete(files, e+".csv")
	}
	header, _, _ := strings.Cut(files["users.csv"], "\n")
	var b strings.Builder
	b.WriteString("\ufeff" + header + "\r\n")
	for i := 1; i <= n-missing; i++ {
		family := "Lopez"
		if i <= renamed {
			family = "Lopez-Diaz"
		}
		fmt.Fprintf(&b, "u%03d,,,true,student%d,,Ana,%s,,%d,student%d@example.org,,,,03,,,,,,s1,\r\n", i, i, family, 1000+i, i)
	}
	files["users.csv"] = b.String()
	files["orgs.csv"] = "\ufeff" + strings.ReplaceAll(files["orgs.csv"], "\n", "\r\n")
	return files
}

// A re-import holds when it would delete more than 10 % or change more than 75 % of the users it
// imported before, and applies at exactly 10 % and 75 %.
func TestImportHoldsJustOverItsThresholds(t *testing.T) {
	for _, tc := range []struct {
		renamed, missing int
		held             bool
	}{
		{0, 4, false}, // 10 % deleted
		{0, 5, true},  // 12.5 %
		{30, 0, false},
		{31, 0, true}, // 77.5 % changed
		{27, 3, false},
		{28, 3, true},
	} {
		f := newFixture(t, roll(40, 0, 0))
		if run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard); err != nil || run.Status != store.RunSucceeded {
			t.Fatalf("first import: %+v %v", run, err)
		}
		f.fetchFiles(roll(40, tc.renamed, tc.missing))
		run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{}, events.Discard)
		if err != nil {
			t.Fatal(err)
		}
		c := run.Counts["users"]
		if c.Updated != tc.renamed || c.Deleted != tc.missing {
			t.Fatalf("%d renamed, %d missing: counts %+v", tc.renamed, tc.missing, c)
		}
		if held := run.Status == store.RunHeld; held != tc.held {
			t.Errorf("%d of 40 users renamed and %d missing: status %s (%s), want held %v", tc.renamed, tc.missing, run.Status, run.Message, tc.held)
		}
	}
}

// The content hash decides what a re-import updates and what a delta export sends: every column but
// status and dateLastModified, and every extension column, counts.
func TestContentHashSeesEveryColumnAndExtension(t *testing.T) {
	for _, ent := range roster.Entities {
		base := roster.NewRecord(ent)
		for i := range base.Values {
			base.Values[i] = fmt.Sprintf("%s-%d", ent, i)
		}
		base.Metadata = []roster.MetadataValue{{Name: "homeLanguage", Value: "es"}, {Name: "stateId", Value: "CA-0042"}}
		h := contentHash(base)
		edit := func(how string, change func(*roster.Record)) {
			rec := roster.Record{Entity: ent, Values: slices.Clone(base.Values), Metadata: slices.Clone(base.Metadata)}
			change(&rec)
			if contentHash(rec) == h {
				t.Errorf("%s: the hash does not change when %s", ent, how)
			}
		}
		for i, col := range roster.Schema(ent).Columns {
			if i == 1 || i == 2 {
				rec := roster.Record{Entity: ent, Values: slices.Clone(base.Values), Metadata: base.Metadata}
				rec.Values[i] = "2026-11-20T08:00:00.000Z"
				if contentHash(rec) != h {
					t.Errorf("%s: the hash changes with %s, which is bookkeeping", ent, col.Name)
				}
				continue
			}
			edit(col.Name+" changes", func(r *roster.Record) { r.Values[i] += "x" })
			edit(col.Name+" is blanked", func(r *roster.Record) { r.Values[i] = "" })
		}
		edit("a value moves to the next column", func(r *roster.Record) {
			r.Values[3], r.Values[4] = r.Values[3]+r.Values[4][:1], r.Values[4][1:]
		})
		edit("an extension value changes", func(r *roster.Record) { r.Metadata[1].Value = "CA-0043" })
		edit("an extension is renamed", func(r *roster.Record) { r.Metadata[0].Name = "homeLang" })
		edit("an extension is added", func(r *roster.Record) {
			r.Metadata = append(r.Metadata, roster.MetadataValue{Name: "zone", Value: "N"})
		})
		edit("an extension is dropped", func(r *roster.Record) { r.Metadata = r.Metadata[:1] })
	}
}

// A re-import where only an extension value, or only the last column, changed updates that record.
func TestReimportOfOneChangedValueUpdates(t *testing.T) {
	withExtensions := func(stateID, pronouns string) map[string]string {
		files := district()
		lines := strings.Split(strings.TrimSuffix(files["users.csv"], "\n"), "\n")
		lines[0] += ",metadata.stateId,metadata.homeLanguage"
		for i := 1; i < len(lines); i++ {
			lines[i] += fmt.Sprintf(",CA-%d,es", i)
		}
		lines[2] = strings.Replace(lines[2], ",CA-2,", ","+stateID+",", 1)
		lines[3] = strings.Replace(lines[3], "s1,,CA-3", "s1,"+pronouns+",CA-3", 1)
		files["users.csv"] = strings.Join(lines, "\r\n") + "\r\n"
		return files
	}
	f := newFixture(t, withExtensions("CA-2", ""))
	f.importFiles(withExtensions("CA-2", ""))
	run := f.importFiles(withExtensions("CA-2b", "she/her"))
	if c := run.Counts["users"]; c.Updated != 2 || c.Unchanged != 1 {
		t.Fatalf("users %+v", c)
	}
	records, _ := f.st.RunRecords(context.Background(), run.ID, 0, 100)
	if !hasRecord(records, "users", "u2", "update", "metadata", "") || !hasRecord(records, "users", "t1", "update", "pronouns", `pronouns: (blank) → "she/her"`) {
		t.Fatalf("records %+v", records)
	}
	var meta string
	f.st.DB().QueryRow(`SELECT metadata FROM roster_users WHERE "sourcedId" = 'u2'`).Scan(&meta)
	if !strings.Contains(meta, "CA-2b") {
		t.Fatalf("u2's extensions in the roster: %s", meta)
	}
}

// generate writes a generated district as the fixture's source.
func (f *fixture) generate(opts generator.Options) {
	f.t.Helper()
	if _, err := generator.GenerateFile(context.Background(), f.source, opts); err != nil {
		f.t.Fatal(err)
	}
}

// writeDelta writes records (in entity order, with their statuses) as the source's 1.2 delta package.
func (f *fixture) writeDelta(records []roster.Record) {
	f.t.Helper()
	out, err := os.Create(f.source)
	if err != nil {
		f.t.Fatal(err)
	}
	defer out.Close()
	w, err := oneroster.NewWriter(out, oneroster.WriteOptions{Version: "1.2", Delta: true, SystemName: "Test SIS", SystemCode: "T"})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, rec := range records {
		if err := w.Write(rec); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		f.t.Fatal(err)
	}
}

// importSource fetches the source as it is and imports it, the hold overridden as by importFiles.
func (f *fixture) importSource() store.Run {
	f.t.Helper()
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		f.t.Fatal(err)
	}
	run, err := f.eng.Import(context.Background(), f.conn.ID, RunOptions{OverrideHold: true}, events.Discard)
	if err != nil {
		f.t.Fatal(err)
	}
	return run
}

// countWrites counts, with triggers, every row any connection inserts, updates or deletes in the
// roster, the records' origins and the targets' baselines.
func countWrites(t *testing.T, st *store.Store) func() int {
	t.Helper()
	stmts := []string{`CREATE TABLE test_writes (n INTEGER NOT NULL)`, `INSERT INTO test_writes VALUES (0)`}
	tables := []string{"origins", "sent"}
	for _, e := range roster.Entities {
		tables = append(tables, "roster_"+string(e))
	}
	for _, table := range tables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER test_%s_%s AFTER %s ON %s BEGIN UPDATE test_writes SET n = n + 1; END`, table, op, op, table))
		}
	}
	for _, q := range stmts {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() int {
		var n int
		if err := st.DB().QueryRow(`SELECT n FROM test_writes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// A re-import of the same file, or a delta repeating records as they are (with a later
// dateLastModified), writes no roster row; nor does an export that sends nothing new.
func TestUnchangedRecordsAreNotRewritten(t *testing.T) {
	f := newFixture(t, district())
	f.generate(generator.Options{Students: 300, Seed: 7, Defects: true})
	f.importSource()
	writes := countWrites(t, f.st)
	again := f.importSource()
	if n := writes(); n != 0 {
		t.Errorf("re-importing the same file wrote %d rows (counts %+v)", n, again.Counts)
	}
	// The same users again, as a SIS sends them in a delta after touching them.
	pkg, err := oneroster.Open(f.source)
	if err != nil {
		t.Fatal(err)
	}
	var users []roster.Record
	if _, err := pkg.Read(context.Background(), func(rec roster.Record) error {
		if rec.Entity == roster.Users && len(users) < 60 {
			users = append(users, rec)
		}
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	pkg.Close()
	for _, u := range users {
		u.Values[1], u.Values[2] = "active", "2026-11-20T08:00:00.000Z"
	}
	f.writeDelta(users)
	if run := f.importSource(); run.Counts["users"].Unchanged != len(users) {
		t.Fatalf("delta: %+v", run.Counts["users"])
	}
	if n := writes(); n != 0 {
		t.Errorf("a delta of unchanged users wrote %d rows", n)
	}
	tgt, _ := f.target(map[string]string{"mode": "bulk"})
	f.export(tgt.ID, RunOptions{})
	before := writes()
	if again := f.export(tgt.ID, RunOptions{}); again.Counts["users"].Unchanged == 0 {
		t.Fatalf("second export: %+v", again.Counts)
	}
	if n := writes() - before; n != 0 {
		t.Errorf("an export of what the target already has wrote %d rows of its baseline", n)
	}
}

// A cancelled import stops within a few rows: cancelled from its first progress report, it reads
// only a small part of a large district, ends as cancelled and changes nothing.
func TestCancelStopsAnImportPromptly(t *testing.T) {
	f := newFixture(t, district())
	f.generate(generator.Options{Students: 3000, Seed: 5})
	if _, err := f.eng.Fetch(context.Background(), f.conn.ID, events.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reports, after int
	var read, total int64
	run, err := f.eng.Import(ctx, f.conn.ID, RunOptions{}, events.ReporterFunc(func(p events.Progress) {
		if p.Stage != "applying" {
			return
		}
		reports++
		read, total = max(read, p.Done), p.Total
		if reports == 1 {
			cancel()
		} else {
			after++
		}
	}))
	if !errors.Is(err, context.Canceled) || run.Status != store.RunCancelled {
		t.Fatalf("run %+v, err %v", run, err)
	}
	if total < 2<<20 || read > total/10 {
		t.Fatalf("the import went on reading after it was cancelled: %d of %d bytes read, %d progress reports after the cancel", read, total, after)
	}
	var rows, origins int
	f.st.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM roster_orgs) + (SELECT COUNT(*) FROM roster_classes), (SELECT COUNT(*) FROM origins)`).Scan(&rows, &origins)
	if rows != 0 || origins != 0 {
		t.Errorf("%d orgs and classes, %d origins after a cancelled import", rows, origins)
	}
}

// flaky is a target whose delivery fails while fail is set, then writes into a folder as a
// oneroster-csv target does.
type flaky struct {
	connector.Target
	fail error
}

func (t *flaky) Deliver(ctx context.Context, local, name string, rep events.Reporter) (string, error) {
	if t.fail != nil {
		return "", t.fail
	}
	return t.Target.Deliver(ctx, local, name, rep)
}

// A delivery that fails records nothing as sent: the next delta export sends all that the failed one
// tried to send, first export or not.
func TestAFailedDeliveryKeepsTheTargetsBaseline(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.importFiles(twoSchools())
	dir := t.TempDir()
	csv, err := csvzip.Kind().NewTarget(map[string]string{"path": dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	target := &flaky{Target: csv, fail: errors.New("the server closed the connection")}
	kind := csvzip.Kind()
	kind.NewTarget = func(map[string]string, map[string]string) (connector.Target, error) { return target, nil }
	f.eng.kinds = connector.NewRegistry(kind)
	tgt, err := f.st.AddConnection(context.Background(), store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target",
		Settings: map[string]string{"path": dir, "version": "1.2", "mode": "delta"}})
	if err != nil {
		t.Fatal(err)
	}
	failed := func() {
		t.Helper()
		run, err := f.eng.Export(context.Background(), tgt.ID, RunOptions{OverrideHold: true}, events.Discard)
		if err == nil || run.Status != store.RunFailed || !strings.Contains(run.Message, "closed the connection") {
			t.Fatalf("failed delivery: %+v %v", run, err)
		}
	}
	failed()
	target.fail = nil
	if run := f.export(tgt.ID, RunOptions{}); run.Counts["users"].Created != 5 || run.Counts["enrollments"].Created != 5 {
		t.Fatalf("after a failed first export: %+v", run.Counts)
	}
	next := twoSchools()
	next["users.csv"] = strings.Replace(next["users.csv"], "Ana,Lopez", "Ana,Lopez-Diaz", 1)
	next["enrollments.csv"] = strings.Replace(next["enrollments.csv"], "e4,,,k2,s2,u4,student,,,\n", "", 1)
	f.importFiles(next)
	target.fail = errors.New("the server closed the connection")
	failed()
	failed() // twice: still everything
	target.fail = nil
	run := f.export(tgt.ID, RunOptions{OverrideHold: true})
	if c, e := run.Counts["users"], run.Counts["enrollments"]; c.Updated != 1 || c.Unchanged != 4 || e.Deleted != 1 || e.Unchanged != 4 {
		t.Fatalf("after failed deliveries: users %+v, enrollments %+v", c, e)
	}
	_, got, _ := zips(t, dir)
	if len(got[roster.Users]) != 1 || got[roster.Users][0].Get("familyName") != "Lopez-Diaz" ||
		len(got[roster.Enrollments]) != 1 || got[roster.Enrollments][0].Status() != roster.StatusToBeDeleted {
		t.Fatalf("the delta sent after the failures: users %v, enrollments %v", got[roster.Users], got[roster.Enrollments])
	}
}

// Item 6 of issue 10: a user whose only enrollment in the chosen classes is being deleted is not
// enrolled. A selective import leaves such a user out and applies the enrollment's deletion; bulk
// and delta exports send each user with an enrollment.
func TestAUserWhoseOnlyEnrollmentIsDeletedIsNotSent(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.choose(func(s *selection.Selection) { s.WithoutEnrollments = false })
	f.importFiles(twoSchools())
	tgt, deltaDir := f.target(map[string]string{"mode": "delta"})
	if err := f.st.SaveSelection(context.Background(), ownSetup(t, f.st, tgt, store.DirectionExport), selection.Default().Proposed()); err != nil {
		t.Fatal(err)
	}
	f.export(tgt.ID, RunOptions{})
	header, _, _ := strings.Cut(district()["users.csv"], "\n")
	run := f.importFiles(map[string]string{
		"manifest.csv": "propertyName,value\r\nmanifest.version,1.0\r\noneroster.version,1.2\r\nfile.users,delta\r\nfile.enrollments,delta\r\n",
		"users.csv": header + "\r\n" +
			"u6,active,2026-11-20T08:00:00.000Z,true,eve,,Eve,Stone,,1006,eve@example.org,,,,03,,,,,,s1,\r\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r\n" +
			"e2,tobedeleted,2026-11-20T08:00:00.000Z,k1,s1,u2,student,,,\r\n" +
			"e6,tobedeleted,2026-11-20T08:00:00.000Z,k1,s1,u6,student,,,\r\n",
	})
	if c := run.Counts["users"]; c.Created != 0 || c.Skipped != 1 {
		t.Errorf("a new user whose only enrollment is being deleted was imported: users %+v", c)
	}
	if f.status(roster.Enrollments, "e2") != "tobedeleted" {
		t.Errorf("the deletion of u2's only enrollment was not applied: enrollments %+v", run.Counts["enrollments"])
	}
	// The delta tells the target, which has u2 and its enrollment, to delete both.
	f.export(tgt.ID, RunOptions{OverrideHold: true})
	_, got, _ := zips(t, deltaDir)
	sent := map[string]roster.Status{}
	for _, ent := range []roster.Entity{roster.Users, roster.Enrollments} {
		for _, rec := range got[ent] {
			sent[rec.SourcedID()] = rec.Status()
		}
	}
	if len(sent) != 2 || sent["u2"] != roster.StatusToBeDeleted || sent["e2"] != roster.StatusToBeDeleted {
		t.Errorf("delta export: %v, want u2 and e2 tobedeleted", sent)
	}
	// A bulk file of the same roster sends the enrolled users only.
	bulkDir := t.TempDir()
	if err := f.st.UpdateSettings(context.Background(), tgt.ID, map[string]string{"path": bulkDir, "version": "1.2", "mode": "bulk"}); err != nil {
		t.Fatal(err)
	}
	f.export(tgt.ID, RunOptions{})
	_, got, _ = zips(t, bulkDir)
	enrolled := map[string]bool{}
	for _, e := range got[roster.Enrollments] {
		enrolled[e.Get("userSourcedId")] = true
	}
	for _, u := range got[roster.Users] {
		if !enrolled[u.SourcedID()] {
			t.Errorf("bulk export: user %s is sent without an enrollment", u.SourcedID())
		}
	}
	if len(got[roster.Users]) != 4 {
		t.Errorf("bulk export: %d users, want the 4 enrolled", len(got[roster.Users]))
	}
}

// Whatever a target's selection chooses, the file an export writes is referentially complete (reading
// it back finds no reference to a record that is not in it) and sends each user with an enrollment
// unless users without enrollments are chosen; in 1.2 and in 1.1, whose user rows carry their orgs.
func TestEveryExportIsReferentiallyComplete(t *testing.T) {
	f := newFixture(t, district())
	f.generate(generator.Options{Students: 1500, Seed: 11, Defects: true})
	f.importSource()
	// Every fifth teacher also teaches at the next school: roles at orgs a selection may leave out.
	var roles []roster.Record
	for n := 1; n <= 75; n += 5 {
		role := roster.NewRecord(roster.Roles)
		for col, v := range map[string]string{"sourcedId": fmt.Sprintf("rol-t-%05d-x", n), "status": "active", "dateLastModified": "2026-11-20T08:00:00.000Z",
			"userSourcedId": fmt.Sprintf("usr-t-%05d", n), "roleType": "secondary", "role": "teacher", "orgSourcedId": fmt.Sprintf("org-%04d", (n-1)/25%3+2)} {
			role.Set(col, v)
		}
		roles = append(roles, role)
	}
	f.writeDelta(roles)
	if run := f.importSource(); run.Counts["roles"].Created != len(roles) {
		t.Fatalf("extra roles: %+v", run.Counts["roles"])
	}
	tgt, _ := f.target(nil)
	shape, err := f.eng.Shape(context.Background(), tgt.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	every := func(n int, school string) []string { // every n-th class of a school
		var ids []string
		for i, c := range shape.Graph.Classes(selection.Default().Proposed()) {
			if c.SchoolID == school && i%n == 0 {
				ids = append(ids, c.ID)
			}
		}
		return ids
	}
	all := selection.Statuses
	for _, tc := range []struct {
		version            string
		orgs, classes      []string
		statuses           []selection.Status
		withoutEnrollments bool
	}{
		{"1.2", []string{"org-0001"}, nil, all, false},
		{"1.1", []string{"org-0002"}, nil, all, true},
		{"1.1", []string{"org-0003"}, every(3, "org-0003"), []selection.Status{selection.Active}, false},
		{"1.2", []string{"org-0001", "org-0003"}, append(every(4, "org-0001"), every(2, "org-0003")...), all, true},
		{"1.1", []string{"org-0000"}, nil, []selection.Status{selection.Active, selection.Inactive}, false},
		{"1.2", []string{"org-0002"}, nil, []selection.Status{selection.Inactive}, false},
		{"1.1", []string{"org-0002", "org-0003"}, append(every(5, "org-0002"), every(7, "org-0003")...), all, false},
	} {
		name := fmt.Sprintf("%s %v, %d classes, %v, without enrollments %v", tc.version, tc.orgs, len(tc.classes), tc.statuses, tc.withoutEnrollments)
		sel := selection.Default().Proposed()
		sel.OrgsAll, sel.Orgs, sel.Statuses, sel.WithoutEnrollments = false, tc.orgs, tc.statuses, tc.withoutEnrollments
		if tc.classes != nil {
			sel.ClassesAll, sel.Classes = false, tc.classes
		}
		dir := t.TempDir()
		if err := f.st.UpdateSettings(context.Background(), tgt.ID, map[string]string{"path": dir, "version": tc.version, "mode": "bulk"}); err != nil {
			t.Fatal(err)
		}
		if err := f.st.SaveSelection(context.Background(), ownSetup(t, f.st, tgt, store.DirectionExport), sel); err != nil {
			t.Fatal(err)
		}
		f.export(tgt.ID, RunOptions{OverrideHold: true})
		_, got, pkg := zips(t, dir)
		report, err := pkg.Read(context.Background(), func(roster.Record) error { return nil }, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range report.Warnings() {
			if strings.Contains(w.Message, "which is not in") {
				t.Errorf("%s: %s line %d, %s %s", name, w.File, w.Line, w.Column, w.Message)
			}
		}
		enrolled := map[string]bool{}
		for _, e := range got[roster.Enrollments] {
			enrolled[e.Get("userSourcedId")] = true
		}
		// Guardians and parents go with the students they are linked to (agentSourcedIds, either way).
		linked := map[string]bool{}
		for _, u := range got[roster.Users] {
			for _, a := range strings.Split(u.Get("agentSourcedIds"), ",") {
				if a = strings.TrimSpace(a); a != "" && enrolled[u.SourcedID()] {
					linked[a] = true
				} else if a != "" && enrolled[a] {
					linked[u.SourcedID()] = true
				}
			}
		}
		for _, u := range got[roster.Users] {
			if !enrolled[u.SourcedID()] && !linked[u.SourcedID()] && !tc.withoutEnrollments {
				t.Errorf("%s: user %s is sent without an enrollment or a linked student", name, u.SourcedID())
			}
		}
		if len(got[roster.Users]) == 0 || len(got[roster.Classes]) == 0 {
			t.Errorf("%s: %d users and %d classes sent", name, len(got[roster.Users]), len(got[roster.Classes]))
		}
	}
}

// A plan's progress says it plans: it changes nothing, and "applying to the roster" would say it did.
func TestAPlanReportsPlanningNotApplying(t *testing.T) {
	f := newFixture(t, district())
	var stages []string
	if _, err := f.eng.PlanImport(context.Background(), f.conn.ID, RunOptions{}, events.ReporterFunc(func(p events.Progress) {
		if !slices.Contains(stages, p.Stage) {
			stages = append(stages, p.Stage)
		}
	})); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(stages, "planning") || slices.Contains(stages, "applying") {
		t.Fatalf("stages of a plan: %v", stages)
	}
}
