package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// withDuplicate is the tiny district with a second record of Ana Lopez (u1) as another clerk typed
// it: leading zeros on her student ID, a typo in the family name, another e-mail address, an
// enrollment in a second class and a role of its own, and demographics for both.
func withDuplicate() map[string]string {
	files := district()
	files["manifest.csv"] = strings.Replace(files["manifest.csv"], "file.demographics,absent", "file.demographics,bulk", 1)
	files["users.csv"] += "u7,,,true,alopes,,Ana,Lopes,,001001,a.lopes@mail.example.net,,,,03,,,,,,s1,\n"
	files["roles.csv"] += "r7,,,u7,primary,student,,,s1,\n"
	files["classes.csv"] += "k2,,,Reading 3A,03,c1,R3A,scheduled,Room 5,s1,y1,Reading,,2\n"
	files["enrollments.csv"] += "e7,,,k2,s1,u7,student,,,\n"
	files["demographics.csv"] = "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus\n" +
		"u1,,,2017-05-03,female,,,,,,,true,,,,\nu2,,,2017-01-20,male,,,,,,,,,,,\nu7,,,2017-03-05,female,,,,,,,true,,,Springfield,\n"
	return files
}

// pending returns the pairs waiting for review.
func (f *fixture) pending() []store.DuplicatePair {
	f.t.Helper()
	page, err := f.st.DuplicatePairs(context.Background(), store.PairQuery{Status: store.PairPending})
	if err != nil {
		f.t.Fatal(err)
	}
	return page.Pairs
}

// onePair imports the district with its duplicate (the import ends with a scan) and returns the pair.
func onePair(t *testing.T) (*fixture, store.DuplicatePair) {
	f := newFixture(t, withDuplicate())
	run := f.importFiles(withDuplicate())
	if !strings.Contains(run.Message, "Duplicates:") {
		t.Fatalf("the import did not scan for duplicates: %q", run.Message)
	}
	pairs := f.pending()
	if len(pairs) != 1 || pairs[0].Left != "u1" || pairs[0].Right != "u7" || pairs[0].Domain != "Student or staff ID" {
		t.Fatalf("pairs after import: %+v", pairs)
	}
	return f, pairs[0]
}

func (f *fixture) resolve(pair int64, d Decision) store.Run {
	f.t.Helper()
	run, err := f.eng.ResolveDuplicate(context.Background(), pair, d)
	if err != nil || run.Status != store.RunSucceeded {
		f.t.Fatalf("resolve: %v %+v", err, run)
	}
	return run
}

func (f *fixture) value(e roster.Entity, id, field string) string {
	f.t.Helper()
	rec, ok := f.record(e, id)
	if !ok {
		f.t.Fatalf("no %s %s", e, id)
	}
	return rec.Get(field)
}

// Merged with the outcome delete, the secondary becomes tobedeleted, its enrollment, role and
// demographics go to the primary, the primary keeps its own values where it has them, the one chosen
// from the secondary, and the secondary's where it has none; its source sending it again (changed)
// updates the primary, never bringing the secondary back.
func TestMergeDeleteMovesEverythingAndTheSecondaryAttachesToThePrimary(t *testing.T) {
	f, pair := onePair(t)
	run := f.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete, Values: map[string]string{"email": "a.lopes@mail.example.net"}})
	if f.status(roster.Users, "u7") != "tobedeleted" || f.status(roster.Users, "u1") != "active" {
		t.Fatal("the secondary is not tobedeleted")
	}
	for _, c := range []struct {
		e               roster.Entity
		id, field, want string
	}{
		{roster.Enrollments, "e7", "userSourcedId", "u1"},
		{roster.Roles, "r7", "userSourcedId", "u1"},
		{roster.Users, "u1", "email", "a.lopes@mail.example.net"}, // chosen
		{roster.Users, "u1", "familyName", "Lopez"},               // the primary's
		{roster.Users, "u1", "identifier", "1001"},
		{roster.Demographics, "u1", "birthDate", "2017-05-03"},
		{roster.Demographics, "u1", "cityOfBirth", "Springfield"}, // the secondary's, where the primary has none
	} {
		if got := f.value(c.e, c.id, c.field); got != c.want {
			t.Errorf("%s %s %s = %q, want %q", c.e, c.id, c.field, got, c.want)
		}
	}
	if f.status(roster.Demographics, "u7") != "tobedeleted" {
		t.Error("the secondary's demographics are not tobedeleted")
	}
	log := f.runLog(run)
	if !hasLog(log, "users", "u7", ActionDelete) || !hasLog(log, "enrollments", "e7", ActionUpdate) {
		t.Errorf("the run's log: %+v", log)
	}
	// The same export again changes nothing and brings nothing back.
	again := f.importFiles(withDuplicate())
	if c := again.Counts["users"]; c.Created != 0 || f.status(roster.Users, "u7") != "tobedeleted" {
		t.Fatalf("re-import: %+v, u7 %s", again.Counts, f.status(roster.Users, "u7"))
	}
	if got := f.pending(); len(got) != 0 {
		t.Fatalf("a merged pair was proposed again: %+v", got)
	}
	// The secondary's source changes it: the primary takes what it does not have itself, and what was
	// chosen stays.
	changed := withDuplicate()
	changed["users.csv"] = strings.Replace(changed["users.csv"], "u7,,,true,alopes,,Ana,Lopes,,001001,a.lopes@mail.example.net,,,,03,,,,,,s1,",
		"u7,,,true,alopes,,Ana,Lopes,Maria,001001,other@mail.example.net,,,,03,,,,,,s1,", 1)
	changed["enrollments.csv"] = strings.Replace(changed["enrollments.csv"], "e7,,,k2,s1,u7,student,,,", "e7,,,k2,s1,u7,student,true,,", 1)
	third := f.importFiles(changed)
	if c := third.Counts["users"]; c.Created != 0 {
		t.Fatalf("the secondary came back: %+v", third.Counts)
	}
	if f.status(roster.Users, "u7") != "tobedeleted" || f.value(roster.Users, "u1", "middleName") != "Maria" ||
		f.value(roster.Users, "u1", "email") != "a.lopes@mail.example.net" || f.value(roster.Enrollments, "e7", "userSourcedId") != "u1" {
		u1, _ := f.record(roster.Users, "u1")
		t.Fatalf("after the secondary changed: u7 %s, u1 %v, e7 user %s", f.status(roster.Users, "u7"), u1.Values, f.value(roster.Enrollments, "e7", "userSourcedId"))
	}
}

func hasLog(log []store.RunRecord, entity, id, action string) bool {
	for _, r := range log {
		if r.Entity == entity && r.SourcedID == id && r.Action == action {
			return true
		}
	}
	return false
}

// Undo puts both records back as they were, the moved enrollment and role included, and the pair
// waits for review again.
func TestUndoAMergeRestoresBothRecords(t *testing.T) {
	f, pair := onePair(t)
	before := map[string]roster.Record{}
	for _, k := range []struct {
		e  roster.Entity
		id string
	}{{roster.Users, "u1"}, {roster.Users, "u7"}, {roster.Enrollments, "e7"}, {roster.Roles, "r7"}, {roster.Demographics, "u1"}, {roster.Demographics, "u7"}} {
		before[string(k.e)+"/"+k.id], _ = f.record(k.e, k.id)
	}
	f.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete, Values: map[string]string{"givenName": "Anita"}})
	if f.value(roster.Users, "u1", "givenName") != "Anita" {
		t.Fatal("the typed value was not kept")
	}
	run, err := f.eng.UndoDuplicate(context.Background(), pair.ID)
	if err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("undo: %v %+v", err, run)
	}
	for key, want := range before {
		e, id, _ := strings.Cut(key, "/")
		got, _ := f.record(roster.Entity(e), id)
		got.Values[2], want.Values[2] = "", "" // dateLastModified says when the roster changed
		if strings.Join(got.Values, "|") != strings.Join(want.Values, "|") {
			t.Errorf("%s after undo:\n got %v\nwant %v", key, got.Values, want.Values)
		}
	}
	if p := f.pending(); len(p) != 1 || p[0].ID != pair.ID {
		t.Fatalf("the pair does not wait for review again: %+v", p)
	}
	if _, err := f.eng.UndoDuplicate(context.Background(), pair.ID); err == nil {
		t.Fatal("undoing a pending pair was not refused")
	}
	// Undone, the secondary's source updates the secondary again.
	changed := withDuplicate()
	changed["users.csv"] = strings.Replace(changed["users.csv"], "Ana,Lopes,,001001", "Ana,Lopes,Maria,001001", 1)
	f.importFiles(changed)
	if f.value(roster.Users, "u7", "middleName") != "Maria" || f.value(roster.Users, "u1", "middleName") != "" {
		t.Fatal("after undo the secondary's changes do not go to it")
	}
}

// Ignored, the secondary stays in the roster but is not counted, its enrollment goes to the primary,
// and a later import of its source keeps referring to the primary.
func TestIgnoreKeepsTheSecondaryOutOfCountsAndPointsItsReferencesAtThePrimary(t *testing.T) {
	f, pair := onePair(t)
	counts, _ := f.st.RosterCounts(context.Background())
	f.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeIgnore})
	after, _ := f.st.RosterCounts(context.Background())
	if after.Active[roster.Users] != counts.Active[roster.Users]-1 || f.status(roster.Users, "u7") != "active" {
		t.Fatalf("users counted %d, before %d; u7 %s", after.Active[roster.Users], counts.Active[roster.Users], f.status(roster.Users, "u7"))
	}
	if f.value(roster.Enrollments, "e7", "userSourcedId") != "u1" {
		t.Fatal("the enrollment did not move")
	}
	changed := withDuplicate()
	changed["enrollments.csv"] = strings.Replace(changed["enrollments.csv"], "e7,,,k2,s1,u7,student,,,", "e7,,,k2,s1,u7,student,true,,", 1)
	f.importFiles(changed)
	if f.value(roster.Enrollments, "e7", "userSourcedId") != "u1" || f.value(roster.Enrollments, "e7", "primary") != "true" {
		t.Fatal("a re-sent enrollment of the ignored secondary does not refer to the primary")
	}
}

// Not a duplicate: nothing changes and no scan proposes the pair again.
func TestNotADuplicateIsNeverProposedAgain(t *testing.T) {
	f, pair := onePair(t)
	f.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeNew})
	if f.status(roster.Users, "u7") != "active" || f.value(roster.Enrollments, "e7", "userSourcedId") != "u7" {
		t.Fatal("not a duplicate changed records")
	}
	scan, err := f.eng.ScanDuplicates(context.Background(), events.Discard)
	if err != nil || scan.Pending != 0 || len(f.pending()) != 0 {
		t.Fatalf("scan after 'not a duplicate': %v %+v", err, scan)
	}
	if _, err := f.eng.ResolveDuplicate(context.Background(), pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete}); err == nil {
		t.Fatal("deciding a decided pair again was not refused")
	}
}

// An unattended domain merges its pairs during the import's scan, in a recorded run, keeping the
// older record.
func TestUnattendedDomainMergesDuringTheImport(t *testing.T) {
	files := withDuplicate()
	files["users.csv"] = strings.Replace(files["users.csv"], "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,,", "u1,,,true,ana,,Ana,Lopez,,1001,ana@example.org,,,,03,,M-77,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "a.lopes@mail.example.net,,,,03,,,", "a.lopes@mail.example.net,,,,03,,M-77,", 1)
	f := newFixture(t, files)
	run := f.importFiles(files)
	if !strings.Contains(run.Message, "1 merged automatically") {
		t.Fatalf("import message: %q", run.Message)
	}
	if f.status(roster.Users, "u7") != "tobedeleted" || f.value(roster.Enrollments, "e7", "userSourcedId") != "u1" {
		t.Fatal("the unattended pair was not merged into the older record")
	}
	page, _ := f.st.DuplicatePairs(context.Background(), store.PairQuery{Status: store.PairMerged})
	if len(page.Pairs) != 1 || page.Pairs[0].Domain != "Master ID" || page.Pairs[0].Primary != "u1" || page.Pairs[0].DecidedRun == 0 {
		t.Fatalf("merged pairs: %+v", page.Pairs)
	}
}

// Downstream a merged pair is one person: a target that received both is told in its next delta to
// delete the secondary, and the secondary's enrollment comes under the primary; a secondary kept as
// redundant is withdrawn the same way and never sent again.
func TestTargetsReceiveAMergedPairAsOnePerson(t *testing.T) {
	for _, outcome := range []string{OutcomeDelete, OutcomeIgnore} {
		t.Run(outcome, func(t *testing.T) {
			f, pair := onePair(t)
			tgt, dir := f.target(map[string]string{"mode": "delta"})
			if first := f.export(tgt.ID, RunOptions{}); first.Counts["users"].Created != 4 {
				t.Fatalf("first export: %+v", first.Counts)
			}
			f.resolve(pair.ID, Decision{Primary: "u1", Outcome: outcome})
			run := f.export(tgt.ID, RunOptions{OverrideHold: true})
			_, got, _ := zips(t, dir)
			users := map[string]string{}
			for _, u := range got[roster.Users] {
				users[u.SourcedID()] = string(u.Status())
			}
			if users["u7"] != "tobedeleted" || len(got[roster.Users]) > 2 {
				t.Fatalf("delta users after the merge: %v (%+v)", users, run.Counts)
			}
			moved := false
			for _, e := range got[roster.Enrollments] {
				moved = moved || e.SourcedID() == "e7" && e.Get("userSourcedId") == "u1"
			}
			if !moved {
				t.Fatalf("the secondary's enrollment is not sent under the primary: %v", got[roster.Enrollments])
			}
			// Sent once as deleted, the secondary is never sent again, whatever its source does.
			f.importFiles(withDuplicate())
			again := f.export(tgt.ID, RunOptions{})
			if names, later, _ := zips(t, dir); len(names) != 2 || len(later[roster.Users]) > 2 {
				t.Fatalf("a further delta: %+v files %v", again.Counts, names)
			}
		})
	}
}

// A decision naming an unknown field, or choosing a password by the mask it is shown with, is
// refused and changes nothing.
func TestADecisionWithAnUnusableValueIsRefused(t *testing.T) {
	f, pair := onePair(t)
	for _, values := range []map[string]string{{"shoeSize": "9"}, {"password": "(hidden)"}} {
		if _, err := f.eng.ResolveDuplicate(context.Background(), pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete, Values: values}); err == nil {
			t.Fatalf("%v was not refused", values)
		}
	}
	if p := f.pending(); len(p) != 1 || f.status(roster.Users, "u7") != "active" {
		t.Fatal("a refused decision changed something")
	}
}

// A record's page says which values were chosen in a merge and which merges it is part of.
func TestARecordsPageShowsItsMerges(t *testing.T) {
	f, pair := onePair(t)
	f.resolve(pair.ID, Decision{Primary: "u1", Outcome: OutcomeDelete, Values: map[string]string{"email": "a.lopes@mail.example.net"}})
	primary, err := f.st.RecordView(context.Background(), roster.Users, "u1")
	if err != nil {
		t.Fatal(err)
	}
	for _, fv := range primary.Fields {
		if fv.Chosen != (fv.Name == "email") {
			t.Errorf("field %s chosen = %v", fv.Name, fv.Chosen)
		}
	}
	secondary, err := f.st.RecordView(context.Background(), roster.Users, "u7")
	if err != nil {
		t.Fatal(err)
	}
	want := store.MergeNote{Pair: pair.ID, Primary: "u1", Secondary: "u7", Outcome: OutcomeDelete}
	for _, v := range []store.RecordView{primary, secondary} {
		if len(v.Merges) != 1 || v.Merges[0].Run == 0 {
			t.Fatalf("%s merges: %+v", v.ID, v.Merges)
		}
		got := v.Merges[0]
		got.Run = 0
		if got != want {
			t.Fatalf("%s merge: %+v", v.ID, got)
		}
	}
	if len(secondary.Origins) != 0 {
		t.Fatalf("the secondary still has origins: %+v", secondary.Origins)
	}
}

// A group merge (three records of one person in one decision) moves both secondaries to the primary,
// and undoing it, from either of its pairs, brings both back.
func TestAGroupMergeIsUndoneWhole(t *testing.T) {
	files := withDuplicate()
	files["users.csv"] += "u8,,,true,alopez2,,Ana,Lopez,,1001,,,,,03,,,,,,s1,\n"
	files["roles.csv"] += "r8,,,u8,primary,student,,,s1,\n"
	files["enrollments.csv"] += "e8,,,k1,s1,u8,student,,,\n"
	f := newFixture(t, files)
	f.importFiles(files)
	pairs := f.pending()
	if len(pairs) != 3 {
		t.Fatalf("pairs: %+v", pairs)
	}
	var first store.DuplicatePair
	for _, p := range pairs {
		if p.Left == "u1" && p.Right == "u7" {
			first = p
		}
	}
	f.resolve(first.ID, Decision{Primary: "u1", Secondaries: []string{"u7", "u8"}, Outcome: OutcomeDelete})
	for _, id := range []string{"u7", "u8"} {
		if f.status(roster.Users, id) != "tobedeleted" {
			t.Fatalf("%s was not merged", id)
		}
	}
	if e7, e8 := f.value(roster.Enrollments, "e7", "userSourcedId"), f.value(roster.Enrollments, "e8", "userSourcedId"); e7 != "u1" || e8 != "u1" {
		t.Fatalf("enrollments after the group merge: %s %s", e7, e8)
	}
	if p := f.pending(); len(p) != 0 {
		t.Fatalf("the pair of the two merged records still waits for review: %+v", p)
	}
	merged, _ := f.st.DuplicatePairs(context.Background(), store.PairQuery{Status: store.PairMerged})
	var other int64
	for _, p := range merged.Pairs {
		if p.Right == "u8" {
			other = p.ID
		}
	}
	if other == 0 {
		t.Fatalf("merged pairs: %+v", merged.Pairs)
	}
	if _, err := f.eng.UndoDuplicate(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"u7", "u8"} {
		if f.status(roster.Users, id) != "active" {
			t.Fatalf("%s is not back after undoing the group", id)
		}
	}
	if e7, e8 := f.value(roster.Enrollments, "e7", "userSourcedId"), f.value(roster.Enrollments, "e8", "userSourcedId"); e7 != "u7" || e8 != "u8" {
		t.Fatalf("enrollments after undo: %s %s", e7, e8)
	}
	if p := f.pending(); len(p) != 3 {
		t.Fatalf("pairs after undo: %+v", p)
	}
}

// Three records one unattended domain claims in pairs are merged into the oldest, their enrollments
// with them, whatever order the pairs come in.
func TestUnattendedMergesOfThreeEndInTheOldest(t *testing.T) {
	for _, perRun := range []int{mergesPerRun, 1} { // one run, or a run per pair
		t.Run(strconv.Itoa(perRun), func(t *testing.T) {
			defer func(n int) { mergesPerRun = n }(mergesPerRun)
			mergesPerRun = perRun
			threeEndInTheOldest(t)
		})
	}
}

func threeEndInTheOldest(t *testing.T) {
	files := withDuplicate()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org,,,,03,,,", "ana@example.org,,,,03,,M-77,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "a.lopes@mail.example.net,,,,03,,,", "a.lopes@mail.example.net,,,,03,,M-77,", 1)
	files["users.csv"] += "u8,,,true,alopez2,,Ana,Lopez,,A-1,,,,,03,,M-77,,,,s1,\n"
	files["roles.csv"] += "r8,,,u8,primary,student,,,s1,\n"
	files["enrollments.csv"] += "e8,,,k1,s1,u8,student,,,\n"
	f := newFixture(t, files)
	f.importFiles(files)
	for _, id := range []string{"u7", "u8"} {
		if f.status(roster.Users, id) != "tobedeleted" {
			t.Fatalf("%s was not merged", id)
		}
	}
	if e7, e8 := f.value(roster.Enrollments, "e7", "userSourcedId"), f.value(roster.Enrollments, "e8", "userSourcedId"); e7 != "u1" || e8 != "u1" {
		t.Fatalf("enrollments: %s %s", e7, e8)
	}
}

// Kept as redundant, a secondary with demographics the primary lacks keeps them: nothing is refused.
func TestIgnoreWhenOnlyTheSecondaryHasDemographics(t *testing.T) {
	files := withDuplicate()
	files["demographics.csv"] = strings.Replace(files["demographics.csv"], "u1,,,2017-05-03,female,,,,,,,true,,,,\n", "", 1)
	f := newFixture(t, files)
	f.importFiles(files)
	pairs := f.pending()
	if len(pairs) != 1 {
		t.Fatalf("pairs: %+v", pairs)
	}
	f.resolve(pairs[0].ID, Decision{Primary: "u1", Outcome: OutcomeIgnore})
	if f.status(roster.Demographics, "u7") != "active" {
		t.Fatal("the redundant secondary lost its demographics")
	}
}

// A scan's counts are those of the queue once its unattended merges are done: a pair of a record
// merged meanwhile is neither waiting nor new.
func TestAScanCountsTheQueueAfterItsMerges(t *testing.T) {
	files := withDuplicate()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org,,,,03,,,", "ana@example.org,,,,03,,M-77,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "a.lopes@mail.example.net,,,,03,,,", "a.lopes@mail.example.net,,,,03,,M-77,", 1)
	files["users.csv"] += "u8,,,true,alopes2,,Ana,Lopes,,1001,,,,,03,,,,,,s1,\n"
	files["roles.csv"] += "r8,,,u8,primary,student,,,s1,\n"
	f := newFixture(t, files)
	run := f.importFiles(files)
	if !strings.Contains(run.Message, "1 pairs wait for review (1 new), 1 merged automatically") {
		t.Fatalf("import message: %q", run.Message)
	}
	if p := f.pending(); len(p) != 1 || p[0].Left != "u1" || p[0].Right != "u8" {
		t.Fatalf("pending: %+v", p)
	}
}

// An enrollment or role of the secondary that repeats one of the primary's (the same class and role)
// is folded into it: the class has the student once, both sources supply that enrollment, and undo
// takes them apart again.
func TestAMergeFoldsRepeatedEnrollmentsAndRoles(t *testing.T) {
	files := withDuplicate()
	files["enrollments.csv"] += "e9,,,k1,s1,u7,student,,2026-09-01,\n"
	f := newFixture(t, files)
	f.importFiles(files)
	pairs := f.pending()
	if len(pairs) != 1 {
		t.Fatalf("pairs: %+v", pairs)
	}
	run := f.resolve(pairs[0].ID, Decision{Primary: "u1", Outcome: OutcomeDelete})
	if f.status(roster.Enrollments, "e9") != "tobedeleted" || f.status(roster.Roles, "r7") != "tobedeleted" {
		t.Fatalf("not folded: e9 %s, r7 %s", f.status(roster.Enrollments, "e9"), f.status(roster.Roles, "r7"))
	}
	if f.status(roster.Enrollments, "e7") != "active" || f.value(roster.Enrollments, "e7", "userSourcedId") != "u1" {
		t.Fatal("the enrollment in another class did not move to the primary")
	}
	if f.value(roster.Enrollments, "e1", "beginDate") != "2026-09-01" || len(f.originsOf(roster.Enrollments, "e1")) != 2 {
		t.Fatalf("e1 does not have both origins: %+v", f.originsOf(roster.Enrollments, "e1"))
	}
	if !hasLog(f.runLog(run), "enrollments", "e9", ActionDelete) {
		t.Fatalf("the run's log: %+v", f.runLog(run))
	}
	// The secondary's source sends its enrollment again, changed: the folded one takes it.
	changed := files
	changed["enrollments.csv"] = strings.Replace(changed["enrollments.csv"], "e9,,,k1,s1,u7,student,,2026-09-01,", "e9,,,k1,s1,u7,student,,2026-09-01,2027-06-01", 1)
	f.importFiles(changed)
	if f.status(roster.Enrollments, "e9") != "tobedeleted" || f.value(roster.Enrollments, "e1", "endDate") != "2027-06-01" {
		t.Fatalf("after a re-import: e9 %s, e1 end %q", f.status(roster.Enrollments, "e9"), f.value(roster.Enrollments, "e1", "endDate"))
	}
	if _, err := f.eng.UndoDuplicate(context.Background(), pairs[0].ID); err != nil {
		t.Fatal(err)
	}
	if f.status(roster.Enrollments, "e9") != "active" || f.value(roster.Enrollments, "e9", "userSourcedId") != "u7" || f.value(roster.Enrollments, "e9", "endDate") != "2027-06-01" ||
		f.status(roster.Roles, "r7") != "active" || f.value(roster.Enrollments, "e1", "beginDate") != "" || len(f.originsOf(roster.Enrollments, "e1")) != 1 {
		e9, _ := f.record(roster.Enrollments, "e9")
		e1, _ := f.record(roster.Enrollments, "e1")
		t.Fatalf("after undo: e9 %v, e1 %v, r7 %s", e9.Values, e1.Values, f.status(roster.Roles, "r7"))
	}
}

// A master ID four records share is no proof they are one person (a placeholder an SIS fills in):
// an unattended domain merges none of them, they wait for review.
func TestAValueSharedByManyIsNotMergedUnasked(t *testing.T) {
	files := withDuplicate()
	files["users.csv"] = strings.Replace(files["users.csv"], "ana@example.org,,,,03,,,", "ana@example.org,,,,03,,0,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "ben@example.org,,,,03,,,", "ben@example.org,,,,03,,0,", 1)
	files["users.csv"] = strings.Replace(files["users.csv"], "a.lopes@mail.example.net,,,,03,,,", "a.lopes@mail.example.net,,,,03,,0,", 1)
	files["users.csv"] += "u8,,,true,cruiz,,Carla,Ruiz,,1008,,,,,03,,0,,,,s1,\n"
	files["roles.csv"] += "r8,,,u8,primary,student,,,s1,\n"
	f := newFixture(t, files)
	run := f.importFiles(files)
	if strings.Contains(run.Message, "merged automatically") {
		t.Fatalf("import message: %q", run.Message)
	}
	for _, id := range []string{"u1", "u2", "u7", "u8"} {
		if f.status(roster.Users, id) != "active" {
			t.Fatalf("%s was merged unasked", id)
		}
	}
	if p := f.pending(); len(p) != 6 {
		t.Fatalf("pairs waiting: %d, want the 6 of the four records", len(p))
	}
}
