package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/reconcile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// dump is the roster and its provenance as text, one line per row, for comparing a workspace
// before and after: dateLastModified left out where an undo writes its own time.
func (f *fixture) dump(withDates bool) string {
	f.t.Helper()
	var b strings.Builder
	for _, e := range roster.Entities {
		names := roster.Schema(e).Names()
		cols := make([]string, 0, len(names))
		for i, n := range names {
			if i != 2 || withDates {
				cols = append(cols, `COALESCE("`+n+`", '')`)
			}
		}
		f.dumpQuery(&b, string(e), `SELECT `+strings.Join(cols, " || ',' || ")+` || ',' || COALESCE(metadata, '') FROM roster_`+string(e)+` ORDER BY "sourcedId"`)
	}
	f.dumpQuery(&b, "origins", `SELECT connection_id || ',' || entity || ',' || source_id || ',' || COALESCE(record, '-') || ',' || hash || ',' || created_run || ',' || COALESCE(vals, 'NULL')
		FROM origins ORDER BY connection_id, entity, source_id`)
	f.dumpQuery(&b, "pairs", `SELECT "left" || ',' || "right" || ',' || status FROM duplicate_pairs ORDER BY 1`)
	return b.String()
}

func (f *fixture) dumpQuery(b *strings.Builder, what, q string) {
	f.t.Helper()
	rows, err := f.st.DB().Query(q)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			f.t.Fatal(err)
		}
		fmt.Fprintf(b, "%s: %s\n", what, line)
	}
}

// undo undoes run and wants it to succeed.
func (f *fixture) undo(run store.Run) store.Run {
	f.t.Helper()
	u, err := f.eng.Undo(context.Background(), run.ID, RunOptions{}, events.Discard)
	if err != nil || u.Status != store.RunSucceeded {
		f.t.Fatalf("undo of run %d: %v %+v", run.ID, err, u)
	}
	return u
}

// refused wants undoing run refused with a message containing each of want, and nothing recorded.
func (f *fixture) refused(run store.Run, want ...string) {
	f.t.Helper()
	before, _ := f.st.Runs(context.Background(), 0, 1000)
	preview, err := f.eng.UndoPreview(context.Background(), run.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	_, err = f.eng.Undo(context.Background(), run.ID, RunOptions{}, events.Discard)
	if err == nil {
		f.t.Fatalf("undo of run %d was not refused", run.ID)
	}
	if preview.Refused != err.Error() {
		f.t.Errorf("the preview says %q, the undo %q", preview.Refused, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			f.t.Errorf("refusal %q does not say %q", err, w)
		}
	}
	if after, _ := f.st.Runs(context.Background(), 0, 1000); len(after) != len(before) {
		f.t.Errorf("a refused undo recorded a run")
	}
}

func withHouse(files map[string]string, email, house string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	lines := strings.Split(strings.TrimSuffix(out["users.csv"], "\n"), "\n")
	lines[0] += ",metadata.house"
	for i := 1; i < len(lines); i++ {
		lines[i] += "," + house
	}
	out["users.csv"] = strings.Replace(strings.Join(lines, "\n")+"\n", "ana@example.org", email, 1)
	return out
}

// Undoing a first import removes every record it created with their origins; the run is recorded as
// an undo of it, it shows as undone, and importing again brings everything back.
func TestUndoOfAFirstImportEmptiesWhatItCreated(t *testing.T) {
	f := newFixture(t, district())
	empty := f.dump(true)
	first := f.importFiles(district())
	preview, err := f.eng.UndoPreview(context.Background(), first.ID)
	if err != nil || preview.Refused != "" || preview.Counts["users"].Removed != 3 || preview.Counts["enrollments"].Removed != 3 {
		t.Fatalf("preview %+v %v", preview, err)
	}
	u := f.undo(first)
	if got := f.dump(true); got != empty {
		t.Fatalf("after undoing the first import the roster holds:\n%s", got)
	}
	if u.Mode != store.ModeUndo || u.UndoOf != first.ID || u.Direction != "import" || u.Counts["users"].Deleted != 3 || !strings.Contains(u.Message, fmt.Sprintf("Undid run #%d", first.ID)) {
		t.Fatalf("undo run %+v", u)
	}
	if again, _ := f.st.Run(context.Background(), first.ID); again.UndoneBy != u.ID {
		t.Fatalf("run %d shows no undo: %+v", first.ID, again)
	}
	log := f.runLog(u)
	if !hasRecord(log, "users", "u1", ActionDelete, "", "") {
		t.Fatalf("the undo's log does not list the users it removed: %+v", log)
	}
	f.refused(first, "undone already", fmt.Sprintf("run #%d", u.ID))
	f.refused(u, "an undo cannot be undone")
	if again := f.importFiles(district()); again.Counts["users"].Created != 3 {
		t.Fatalf("importing again: %+v", again.Counts)
	}
}

// Undoing an update puts each field back (extension columns too); the next import of the same
// source applies it again rather than finding it unchanged.
func TestUndoOfAnUpdateRestoresEachFieldAndTheNextImportReappliesIt(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(withHouse(district(), "ana@example.org", "Red"))
	before := f.dump(false)
	changed := withHouse(district(), "ana.lopez@springfield.k12.us", "Blue")
	second := f.importFiles(changed)
	if second.Counts["users"].Updated != 3 {
		t.Fatalf("second import %+v", second.Counts)
	}
	u := f.undo(second)
	if got := f.dump(false); !sameBut(got, before, ",2,") {
		t.Fatalf("roster after undo:\n%s\nwant\n%s", got, before)
	}
	if got := f.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Fatalf("u1 email %q after undo", got)
	}
	if rec, _ := f.record(roster.Users, "u2"); len(rec.Metadata) != 1 || rec.Metadata[0].Value != "Red" {
		t.Fatalf("u2 metadata %+v after undo", rec.Metadata)
	}
	if !hasRecord(f.runLog(u), "users", "u1", ActionUpdate, "email", "") {
		t.Fatalf("undo log %+v", f.runLog(u))
	}
	again := f.importFiles(changed)
	if again.Counts["users"].Updated != 3 || f.rosterValue(roster.Users, "u1", "email") != "ana.lopez@springfield.k12.us" {
		t.Fatalf("the next import did not apply the source again: %+v", again.Counts)
	}
	if rec, _ := f.record(roster.Users, "u2"); rec.Metadata[0].Value != "Blue" {
		t.Fatalf("u2 metadata %+v after importing again", rec.Metadata)
	}
}

// sameBut says whether two dumps differ only in origin hashes set to the undo's ReapplyHash.
func sameBut(got, want, hash string) bool {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] == w[i] {
			continue
		}
		if !strings.HasPrefix(g[i], "origins: ") || !strings.Contains(g[i], hash) {
			return false
		}
	}
	return true
}

// Undoing an import that deleted records (missing from a bulk file) makes them active again; the
// next import of the same file deletes them again.
func TestUndoOfDeletionsRestoresTheirStatus(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	without := district()
	without["users.csv"] = strings.Replace(without["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	gone := f.importFiles(without)
	if f.status(roster.Users, "u2") != "tobedeleted" || gone.Counts["users"].Deleted != 1 {
		t.Fatalf("u2 %s, %+v", f.status(roster.Users, "u2"), gone.Counts)
	}
	preview, _ := f.eng.UndoPreview(context.Background(), gone.ID)
	if preview.Counts["users"].Revived != 1 {
		t.Fatalf("preview %+v", preview)
	}
	f.undo(gone)
	if f.status(roster.Users, "u2") != "active" || !f.originLive(roster.Users, "u2") {
		t.Fatalf("u2 is %s after undo", f.status(roster.Users, "u2"))
	}
	if again := f.importFiles(without); again.Counts["users"].Deleted != 1 || f.status(roster.Users, "u2") != "tobedeleted" {
		t.Fatalf("importing the file again: %+v", again.Counts)
	}
}

// consistent wants every record two sources supply to be what their origins give in precedence order.
func (f *fixture) consistent(e roster.Entity, id string) {
	f.t.Helper()
	rec, _ := f.record(e, id)
	res := reconcile.Merge(e, id, f.originsOf(e, id))
	res.Record.Values[2] = rec.Values[2]
	for i, v := range res.Record.Values {
		if rec.Values[i] != v {
			f.t.Errorf("%s %s: %s is %q in the roster, %q from its origins", e, id, roster.Schema(e).Names()[i], rec.Values[i], v)
		}
	}
}

// Two sources: undoing the second's first import takes back its supply of the records it joined and
// removes those it created, leaving the roster and the first source's origins as they were; undoing
// an update of the first source on a record both supply leaves it as its origins give it.
func TestUndoWithTwoSourcesComesBackConsistent(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	before := a.dump(false)
	b := a.addSource("SIS REST", nil)
	joined := b.importFiles(secondFeed())
	preview, _ := a.eng.UndoPreview(context.Background(), joined.ID)
	if preview.Counts["users"].Removed != 1 || preview.Counts["users"].Left != 3 {
		t.Fatalf("preview %+v", preview.Counts)
	}
	a.undo(joined)
	if got := a.dump(false); got != before {
		t.Fatalf("after undoing the second source's import:\n%s\nwant\n%s", got, before)
	}

	b.importFiles(secondFeed())
	changed := district()
	changed["users.csv"] = strings.Replace(changed["users.csv"], "Lopez", "Lopez-Diaz", 1)
	update := a.importFiles(changed)
	if a.rosterValue(roster.Users, "u1", "familyName") != "Lopez-Diaz" {
		t.Fatal("the first source comes first")
	}
	a.undo(update)
	if got := a.rosterValue(roster.Users, "u1", "familyName"); got != "Lopez" {
		t.Fatalf("u1 familyName %q after undo", got)
	}
	a.consistent(roster.Users, "u1")
	if again := a.importFiles(changed); again.Counts["users"].Updated != 1 || a.rosterValue(roster.Users, "u1", "familyName") != "Lopez-Diaz" {
		t.Fatalf("importing again: %+v", again.Counts)
	}
	a.consistent(roster.Users, "u1")
}

// An undo is refused, naming the record and the later run, when a later import changed a record of
// the run, when a merge of duplicates did, and when the run is no import of a source.
func TestUndoIsRefusedWhenAnythingChangedItsRecordsSince(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	changed := district()
	changed["users.csv"] = strings.Replace(changed["users.csv"], "Lopez", "Lopez-Diaz", 1)
	first := f.importFiles(changed)
	changed["users.csv"] = strings.Replace(changed["users.csv"], "ana@example.org", "ana@new.example.org", 1)
	later := f.importFiles(changed)
	f.refused(first, fmt.Sprintf("run #%d changed it since", later.ID), "user u1")

	b := f.addSource("SIS REST", nil)
	join := b.importFiles(secondFeed())
	f.refused(later, fmt.Sprintf("run #%d made another source supply it too", join.ID), "user u1")

	precedence := precede(t, b)
	f.refused(precedence, "not an import of a source")

	d, pair := onePair(t)
	imported, _ := d.st.Runs(context.Background(), 0, 1)
	merge := d.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete})
	d.refused(imported[0], fmt.Sprintf("run #%d changed it since", merge.ID), "u1")
}

// A cancelled or failed undo changes nothing: the roster, its provenance and the counts are as before.
func TestCancelledOrFailedUndoChangesNothing(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	changed := withHouse(district(), "ana.lopez@springfield.k12.us", "Blue")
	changed["users.csv"] += "u9,,,true,zoe,,Zoe,Park,,1009,zoe@example.org,,,,03,,,,,,s1,,Green\n"
	run := f.importFiles(changed)
	before := f.dump(true)
	counts, _ := f.st.RosterCounts(context.Background())

	// Cancelled once the fields are put back, before the created records go.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u, err := f.eng.Undo(ctx, run.ID, RunOptions{}, events.ReporterFunc(func(p events.Progress) {
		if p.Stage == "removing" {
			cancel()
		}
	}))
	if err == nil || u.Status != store.RunCancelled {
		t.Fatalf("cancelled undo: %v %+v", err, u)
	}
	// Failed while removing them.
	if _, err := f.st.DB().Exec(`CREATE TRIGGER no_removal BEFORE DELETE ON roster_users BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	u, err = f.eng.Undo(context.Background(), run.ID, RunOptions{}, events.Discard)
	if err == nil || u.Status != store.RunFailed || !strings.Contains(u.Message, "Nothing was changed") {
		t.Fatalf("failed undo: %v %+v", err, u)
	}
	if got := f.dump(true); got != before {
		t.Fatalf("a cancelled or failed undo changed the roster:\n%s\nwant\n%s", got, before)
	}
	if after, _ := f.st.RosterCounts(context.Background()); fmt.Sprint(after) != fmt.Sprint(counts) {
		t.Fatalf("counts %+v, want %+v", after, counts)
	}
	if again, _ := f.st.Run(context.Background(), run.ID); again.UndoneBy != 0 {
		t.Fatalf("run %d shows undone by %d", run.ID, again.UndoneBy)
	}
	var check string
	if err := f.st.DB().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity %q %v", check, err)
	}
	if _, err := f.st.DB().Exec(`DROP TRIGGER no_removal`); err != nil {
		t.Fatal(err)
	}
	f.undo(run)
	if _, ok := f.record(roster.Users, "u9"); ok {
		t.Fatal("u9 is still there after the undo")
	}
}

// agrees wants an undo's result to be what its preview said, entity by entity.
func agrees(t *testing.T, preview UndoPreview, u store.Run) {
	t.Helper()
	if want := undoneCounts(preview.Counts); fmt.Sprint(want) != fmt.Sprint(u.Counts) {
		t.Errorf("the preview said %+v, the undo did %+v", want, u.Counts)
	}
}

// A record the run created and also logged as changed is removed, once: not put back first.
func TestUndoRemovesARecordTheRunCreatedAndChangedOnce(t *testing.T) {
	f := newFixture(t, district())
	first := f.importFiles(district())
	// The run logged a change to u1, which it created.
	if _, err := f.st.DB().Exec(`INSERT INTO run_records (run_id, entity, sourced_id, action, status, field, reason, "before", "after")
		VALUES (?, 'users', 'u1', 'update', 'ok', 'email', 'changed', 'ana@old.example.org', 'ana@example.org')`, first.ID); err != nil {
		t.Fatal(err)
	}
	preview, err := f.eng.UndoPreview(context.Background(), first.ID)
	if err != nil || preview.Counts["users"].Removed != 3 || preview.Counts["users"].Restored != 0 || preview.Counts["users"].Fields != 0 {
		t.Fatalf("preview %+v %v", preview.Counts, err)
	}
	u := f.undo(first)
	agrees(t, preview, u)
	var u1 []store.RunRecord
	for _, r := range f.runLog(u) {
		if r.SourcedID == "u1" && r.Entity == "users" {
			u1 = append(u1, r)
		}
	}
	if len(u1) != 1 || u1[0].Reason != store.ReasonUndoRemoved {
		t.Fatalf("the undo's records of u1: %+v", u1)
	}
	if f.exists(roster.Users, "u1") {
		t.Fatal("u1 is still in the roster")
	}
}

// A record the run changed that is no longer in the roster is counted in the preview as such, and
// the undo lists it as skipped with its reason: the preview and the result agree.
func TestUndoReportsALoggedRecordNoLongerInTheRoster(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	changed := district()
	changed["users.csv"] = strings.Replace(changed["users.csv"], "Lopez", "Lopez-Diaz", 1)
	changed["users.csv"] = strings.Replace(changed["users.csv"], "Okafor", "Okafor-Reyes", 1)
	second := f.importFiles(changed)
	if _, err := f.st.DB().Exec(`DELETE FROM roster_users WHERE "sourcedId" = 'u1'`); err != nil { // gone, by hand
		t.Fatal(err)
	}
	preview, err := f.eng.UndoPreview(context.Background(), second.ID)
	if err != nil || preview.Refused != "" {
		t.Fatalf("preview %+v %v", preview, err)
	}
	if c := preview.Counts["users"]; c.Gone != 1 || c.Restored != 1 || c.Fields != 1 {
		t.Fatalf("preview users %+v", c)
	}
	u := f.undo(second)
	agrees(t, preview, u)
	if !hasRecord(f.runLog(u), "users", "u1", ActionSkip, "", "changed by the undone run, but no longer in the roster, so nothing was put back") {
		t.Fatalf("the undo does not list u1: %+v", f.runLog(u))
	}
	if !strings.Contains(u.Message, "1 no longer in the roster") {
		t.Errorf("message %q", u.Message)
	}
	if got := f.rosterValue(roster.Users, "u2", "familyName"); got != "Okafor" {
		t.Errorf("u2 familyName %q after the undo", got)
	}
}

// A deletion an undo reverts brings the record back as it was, its dateLastModified too (not the
// undo's time): missing from a bulk file, or marked tobedeleted by the source.
func TestUndoOfADeletionPutsTheRecordBackAsItWas(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	before := f.dump(true)
	without := district()
	without["users.csv"] = strings.Replace(without["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	without["users.csv"] = strings.Replace(without["users.csv"], "u1,,,", "u1,tobedeleted,2026-11-23T08:00:00.000Z,", 1)
	prior := map[string]string{"u1": f.rosterValue(roster.Users, "u1", "dateLastModified"), "u2": f.rosterValue(roster.Users, "u2", "dateLastModified")}
	gone := f.importFiles(without)
	if f.status(roster.Users, "u1") != "tobedeleted" || f.status(roster.Users, "u2") != "tobedeleted" || gone.Counts["users"].Deleted != 2 {
		t.Fatalf("u1 %s, u2 %s, %+v", f.status(roster.Users, "u1"), f.status(roster.Users, "u2"), gone.Counts)
	}
	// The log, and so the report, names the field its before is of.
	for _, r := range f.runLog(gone) {
		if r.Action != ActionDelete {
			continue
		}
		want := store.RunRecord{Entity: "users", SourcedID: r.SourcedID, Action: ActionDelete, Status: "ok", Reason: r.Reason,
			Field: "dateLastModified", Before: prior[r.SourcedID]}
		if r != want || r.Before == "" {
			t.Errorf("deletion logged as %+v, want %+v", r, want)
		}
		delete(prior, r.SourcedID)
	}
	if len(prior) != 0 {
		t.Errorf("deletions not logged: %v", prior)
	}
	f.undo(gone)
	if got := f.dump(true); !sameBut(got, before, ",2,") {
		t.Fatalf("after the undo:\n%s\nwant\n%s", got, before)
	}
}

// Undoing the later run first, as the refusal says, lets the earlier one be undone: the later run
// and its undo changed nothing in the end.
func TestUndoingTheLaterRunFirstLetsTheEarlierOneBeUndone(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	before := f.dump(false)
	first := district()
	first["users.csv"] = strings.Replace(first["users.csv"], "Lopez", "Lopez-Diaz", 1)
	earlier := f.importFiles(first)
	second := district()
	second["users.csv"] = strings.Replace(second["users.csv"], "Lopez", "Lopez-Smith", 1)
	later := f.importFiles(second)
	f.refused(earlier, fmt.Sprintf("run #%d changed it since", later.ID), "undo the later run first")
	f.undo(later)
	if got := f.rosterValue(roster.Users, "u1", "familyName"); got != "Lopez-Diaz" {
		t.Fatalf("u1 familyName %q after undoing the later run", got)
	}
	f.undo(earlier)
	if got := f.dump(false); !sameBut(got, before, ",2,") {
		t.Fatalf("after undoing both:\n%s\nwant\n%s", got, before)
	}
}
