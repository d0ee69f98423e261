package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
	"github.com/rosterdesk/rosterdesk/backend/mapping"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/selection"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// ownSetup is the id of a connection's own integration of direction, giving the connection its
// default integrations first when it has none (the fixtures add connections to the store directly).
func ownSetup(t *testing.T, st *store.Store, c store.Connection, direction string) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := st.OwnIntegration(ctx, c.ID, direction)
	if errors.Is(err, store.ErrNotFound) {
		if _, err = st.AddDefaultIntegrations(ctx, c); err == nil {
			id, err = st.OwnIntegration(ctx, c.ID, direction)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// secondImport adds another import integration on the fixture's source, with the selection sel.
func (f *fixture) secondImport(name string, sel selection.Selection) int64 {
	f.t.Helper()
	ownSetup(f.t, f.st, f.conn, store.DirectionImport)
	in, err := f.st.AddIntegration(context.Background(), store.Integration{Name: name, Type: store.IntegrationImport, ConnectionID: f.conn.ID, Schedule: "manual", Enabled: true})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.SaveSelection(context.Background(), in.ID, sel); err != nil {
		f.t.Fatal(err)
	}
	return in.ID
}

// schoolOnly lets through one school's classes and their users.
func schoolOnly(school string) selection.Selection {
	sel := selection.Default()
	sel.Saved, sel.OrgsAll, sel.Orgs = true, false, []string{school}
	return sel
}

// Two import integrations on one source, each with its own selection, import different records: a
// run of each takes its own selection, a run of neither (the card's Import) the connection's own.
func TestTwoImportIntegrationsOnOneSourceImportWhatEachSelects(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.fetchFiles(twoSchools())
	ctx := context.Background()
	if err := f.st.SaveSelection(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), schoolOnly("s1")); err != nil {
		t.Fatal(err)
	}
	second := f.secondImport("Lincoln only", schoolOnly("s2"))
	users := func(integration int64) []string {
		t.Helper()
		run, err := f.eng.Import(ctx, f.conn.ID, RunOptions{IntegrationID: integration, OverrideHold: true}, events.Discard)
		if err != nil || run.Status != store.RunSucceeded || run.IntegrationID != integration {
			t.Fatalf("import of %d: %+v %v", integration, run, err)
		}
		var ids []string
		for _, id := range []string{"u1", "u2", "t1", "u4", "t2"} {
			if v, err := f.st.RecordView(ctx, roster.Users, id); err == nil && v.Status != string(roster.StatusToBeDeleted) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	if got := users(second); !slices.Equal(got, []string{"u4", "t2"}) {
		t.Errorf("Lincoln only imported %v", got)
	}
	if got := users(0); !slices.Equal(got, []string{"u1", "u2", "t1"}) {
		t.Errorf("the connection's own import imported %v", got)
	}
}

// The safety hold of a run is its integration's: the same deletion holds one integration's run and
// not another's.
func TestHoldsUseTheIntegrationsThresholds(t *testing.T) {
	f := newFixture(t, district())
	f.importFiles(district())
	ctx := context.Background()
	lenient := selection.Everything()
	lenient.HoldDelete, lenient.HoldChange = 60, 90
	if err := f.st.SaveSelection(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), lenient); err != nil {
		t.Fatal(err)
	}
	strict := selection.Everything()
	strict.HoldDelete = 10
	careful := f.secondImport("Careful", strict)
	files := district() // Ben leaves: a third of the users
	files["users.csv"] = strings.Replace(files["users.csv"], "u2,,,true,ben,,Ben,Okafor,,1002,ben@example.org,,,,03,,,,,,s1,\n", "", 1)
	files["roles.csv"] = strings.Replace(files["roles.csv"], "r2,,,u2,primary,student,,,s1,\n", "", 1)
	files["enrollments.csv"] = strings.Replace(files["enrollments.csv"], "e2,,,k1,s1,u2,student,,,\n", "", 1)
	f.fetchFiles(files)
	for _, tc := range []struct {
		integration int64
		held        bool
	}{{0, false}, {careful, true}} {
		plan, err := f.eng.PlanImport(ctx, f.conn.ID, RunOptions{IntegrationID: tc.integration}, events.Discard)
		if err != nil || plan.Counts["users"].Deleted != 1 {
			t.Fatalf("plan of %d: %+v %v", tc.integration, plan.Counts, err)
		}
		if held := plan.Hold != ""; held != tc.held {
			t.Errorf("integration %d: held %v (%q), want %v", tc.integration, held, plan.Hold, tc.held)
		}
	}
}

// A mapping saved on one integration does not apply to another on the same connection: an import
// mapping changes what its own runs import only, and an export's mapping is that export's.
func TestAMappingIsItsIntegrations(t *testing.T) {
	f := newFixture(t, district())
	ctx := context.Background()
	shouting := f.secondImport("Shouting", selection.Everything())
	m := mapping.Mapping{Entity: "users", Fields: []mapping.Field{{To: "familyName", Type: mapping.Transformation, Expr: "upper(familyName)"}}}
	if err := f.eng.SaveMapping(ctx, shouting, m); err != nil {
		t.Fatal(err)
	}
	family := func() string {
		ana, _ := f.st.RecordView(ctx, roster.Users, "u1")
		return fields(ana)["familyName"]
	}
	f.fetchFiles(district())
	for _, tc := range []struct {
		integration int64
		want        string
	}{{shouting, "LOPEZ"}, {0, "Lopez"}} {
		if _, err := f.eng.Import(ctx, f.conn.ID, RunOptions{IntegrationID: tc.integration, OverrideHold: true}, events.Discard); err != nil {
			t.Fatal(err)
		}
		if got := family(); got != tc.want {
			t.Errorf("import of %d: familyName %q, want %q", tc.integration, got, tc.want)
		}
	}
	if _, saved, _ := f.eng.Mapping(ctx, ownSetup(t, f.st, f.conn, store.DirectionImport), roster.Users); saved {
		t.Error("the connection's own import got the other's mapping")
	}

	// Two exports to one target: the second's mapping is its own.
	tgt, err := f.st.AddConnection(ctx, store.Connection{Name: "Vendor", Kind: "oneroster-csv", Role: "target", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	own := ownSetup(t, f.st, tgt, store.DirectionExport)
	nightly, err := f.st.AddIntegration(ctx, store.Integration{Name: "Nightly", Type: store.IntegrationExport, ConnectionID: tgt.ID, Schedule: "manual", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.eng.SaveMapping(ctx, nightly.ID, m); err != nil {
		t.Fatal(err)
	}
	if _, saved, _ := f.eng.Mapping(ctx, own, roster.Users); saved {
		t.Error("the target's own export got Nightly's mapping")
	}
	if got, saved, _ := f.eng.Mapping(ctx, nightly.ID, roster.Users); !saved || got.Fields[0].Expr != "upper(familyName)" {
		t.Errorf("Nightly's mapping: %+v %v", got, saved)
	}
}

// A fetch takes the schools of every integration fetching from the source: the union of their
// selections (one limited to its own schools would starve the others), everything when one takes
// every org, and not those of a disabled integration other than the connection's own.
func TestChosenSchoolsAreTheUnionOfTheImportsSelections(t *testing.T) {
	f := newFixture(t, twoSchools())
	f.fetchFiles(twoSchools())
	ctx := context.Background()
	own := ownSetup(t, f.st, f.conn, store.DirectionImport)
	if err := f.st.SaveSelection(ctx, own, schoolOnly("s1")); err != nil {
		t.Fatal(err)
	}
	schools := func() []string {
		t.Helper()
		got, err := f.eng.chosenSchools(ctx, f.conn.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := schools(); !slices.Equal(got, []string{"s1"}) {
		t.Fatalf("one import: %v", got)
	}
	second := f.secondImport("Lincoln only", schoolOnly("s2"))
	if got := schools(); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("two imports: %v, want both schools", got)
	}
	in, err := f.st.Integration(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	in.Enabled = false
	if err := f.st.UpdateIntegration(ctx, in); err != nil {
		t.Fatal(err)
	}
	if got := schools(); !slices.Equal(got, []string{"s1"}) {
		t.Errorf("with the second disabled: %v", got)
	}
	in.Enabled = true
	if err := f.st.UpdateIntegration(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SaveSelection(ctx, second, selection.Everything()); err != nil {
		t.Fatal(err)
	}
	if got := schools(); got != nil {
		t.Errorf("with one taking every org: %v, want everything (nil)", got)
	}
}

// An export to an API sends with the mapping of the integration running it; the target's own buttons
// (no integration) with that of its own export integration.
func TestAnExportToAnAPISendsWithItsIntegrationsMapping(t *testing.T) {
	f := newPushFixture(t, pushtest.Options{})
	ctx := context.Background()
	loud, err := f.st.AddIntegration(ctx, store.Integration{Name: "Loud", Type: store.IntegrationExport, ConnectionID: f.target.ID, Schedule: "manual", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Parse([]byte(strings.Replace(studentsMapping, `"type": "direct", "from": "givenName"`, `"type": "transformation", "expr": "upper(givenName)"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.eng.SaveMapping(ctx, loud.ID, m); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		integration int64
		want        string
	}{{loud.ID, "ANA"}, {0, "Ana"}} {
		if _, err := f.eng.Export(ctx, f.target.ID, RunOptions{IntegrationID: tc.integration, OverrideHold: true}, events.Discard); err != nil {
			t.Fatal(err)
		}
		if got := f.api.Records("/api/students")["1001"]["first_name"]; got != tc.want {
			t.Errorf("export of integration %d: first_name %v, want %q", tc.integration, got, tc.want)
		}
	}
}

// A connection that is both source and target has an own integration of each direction: its card's
// Export (no integration) lets through what its export integration chooses, not its import's.
func TestTheOwnSelectionOfAConnectionThatIsBothFollowsTheRunsDirection(t *testing.T) {
	f := newFixture(t, district())
	ctx := context.Background()
	both, err := f.st.AddConnection(ctx, store.Connection{Name: "Drop", Kind: "oneroster-csv", Role: "both", Settings: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SaveSelection(ctx, ownSetup(t, f.st, both, store.DirectionExport), schoolOnly("s1")); err != nil {
		t.Fatal(err)
	}
	for direction, full := range map[string]bool{store.DirectionImport: true, store.DirectionExport: false} {
		sel, err := f.eng.runSelection(ctx, both.ID, 0, direction)
		if err != nil {
			t.Fatal(err)
		}
		if sel.Full() != full {
			t.Errorf("%s: the selection takes everything: %v, want %v", direction, sel.Full(), full)
		}
	}
}
