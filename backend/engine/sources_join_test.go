package engine

import (
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Two sources that send a record alike, then part ways: each keeps what it sent. The first changes
// Ana's e-mail (it comes first, so the roster takes it), then deletes her: the roster goes back to the
// e-mail the second source sent, not the first's latest one.
func TestSourcesThatJoinedAlikeKeepWhatEachSent(t *testing.T) {
	a := newFixture(t, district())
	a.importFiles(district())
	b := a.addSource("SIS REST", nil)
	b.importFiles(district())
	changed := district()
	changed["users.csv"] = strings.Replace(changed["users.csv"], "ana@example.org", "ana.lopez@example.org", 1)
	run := a.importFiles(changed)
	if got := a.rosterValue(roster.Users, "u1", "email"); got != "ana.lopez@example.org" || run.Counts["users"].Updated != 1 {
		t.Fatalf("the first source changed Ana's e-mail: %q, users %+v", got, run.Counts["users"])
	}
	if c := a.conflicts(roster.Users, "u1"); len(c["email"]) != 2 || c["email"][1] != "ana@example.org" {
		t.Errorf("the second source still has the old e-mail: conflicts %v", c)
	}
	run = a.importFiles(usersDelta("u1,tobedeleted,2026-11-03T08:00:00Z,true,ana,,Ana,Lopez,,1001,,,,,03,,,,,,s1,\n"))
	if a.status(roster.Users, "u1") != "active" || run.Counts["users"].Updated != 1 {
		t.Fatalf("the second source still supplies Ana: %s, users %+v", a.status(roster.Users, "u1"), run.Counts["users"])
	}
	if got := a.rosterValue(roster.Users, "u1", "email"); got != "ana@example.org" {
		t.Errorf("Ana's e-mail is %q, not the one the second source sent", got)
	}
	// Ben, sent alike by both and changed by neither, follows the second when it changes him.
	precede(t, b)
	next := district()
	next["users.csv"] = strings.Replace(next["users.csv"], "Ben,Okafor", "Benjamin,Okafor", 1)
	b.importFiles(next)
	if got := a.rosterValue(roster.Users, "u2", "givenName"); got != "Benjamin" {
		t.Errorf("u2 %q", got)
	}
	precede(t, a)
	if got := a.rosterValue(roster.Users, "u2", "givenName"); got != "Ben" {
		t.Errorf("u2 %q with the first source first again", got)
	}
}
