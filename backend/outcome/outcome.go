// Package outcome is the closed set of reason codes a run record carries, and the one English
// sentence built from a record's data where it is shown (the CLI and the reports; the window builds
// its own from vue-i18n keys named after the same codes).
package outcome

import (
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/store"
)

// Reason codes: stable strings stored in run_records.reason. Each says what happened and why; the
// record's Field, Before, After and Message carry the values.
const (
	Changed  = "changed"       // Field went from Before to After (metadata: its name=value list)
	Created  = "created"       // a record the run created; After is its id at the run's connection
	Supplied = "also_supplied" // a record another source brought in that this one now supplies too, as After

	ReadFailed    = "read_failed"    // a row failed to read; Field is its column, Message the reader's finding
	MappingFailed = "mapping_failed" // the mapping could not map the record; Message is the mapping's error
	NeverSent     = "never_sent"     // marked tobedeleted, but this source never sent it: nothing to delete

	// An import's deletion (the first three) logs Field dateLastModified and Before its value before
	// the deletion, which an undo puts back.
	DeletedAtSource = "deleted_at_source"    // the source deleted it (a tobedeleted row)
	MissingFromBulk = "missing_from_bulk"    // not in the new bulk file
	LeftSelection   = "left_selection"       // no longer in the source's selection
	SourceRemoved   = "source_removed"       // the source that supplied it was removed
	UnreadableRows  = "kept_unreadable_rows" // missing from a bulk file but kept: rows (Message) of file Field have no readable sourcedId
	Merged          = "merged"               // merged as a duplicate into After
	Folded          = "folded"               // the same as another record of the person it was merged into

	NotLive          = "not_live"          // a chosen ID that is no live record of the roster (unknown, or being deleted)
	NotFound         = "not_found"         // a chosen ID that matches nothing at the connection (a re-pull's fresh fetch)
	OutsideSelection = "outside_selection" // a chosen ID a re-pull passes over: the connection's selection leaves it out

	NoLongerSent      = "no_longer_sent"       // deleted at the target: gone from the roster, the selection or the mapping's condition
	OrgsOrRoleChanged = "orgs_or_role_changed" // a 1.1 user's orgs or role changed
	TargetLost        = "target_lost"          // the target no longer has it (Message: its reply); the next export creates it again
	TargetRefused     = "target_refused"       // the target refused it; Message is its reply

	DeletedAtExternal   = "deleted_at_external"   // a two-way sync: deleted at the connection, so in the roster
	DeletedFromExternal = "deleted_from_external" // a two-way sync: deleted in the roster, so at the connection
	ChangedAtExternal   = "changed_at_external"   // a two-way sync: Field went from Before to After at the connection

	// Conflicts of a two-way sync: both sides changed Field; Before is the roster's value, After the
	// connection's. The code says which side was kept and by which rule.
	ConflictWaiting       = "conflict_waiting"             // waits for a registrar's choice; each side keeps its own
	ConflictRosterWins    = "conflict_roster_wins"         // kept the roster's: the integration's policy
	ConflictExternalWins  = "conflict_external_wins"       // kept the connection's: the integration's policy
	ConflictRosterNewer   = "conflict_roster_newer"        // kept the roster's: newer or as new
	ConflictExternalNewer = "conflict_external_newer"      // kept the connection's: newer
	ConflictRosterAfter   = "conflict_roster_after_delete" // kept the roster's: changed after the connection deleted it
	ConflictChoseRoster   = "conflict_chose_roster"        // kept the roster's: chosen by Message (an operator)
	ConflictChoseExternal = "conflict_chose_external"      // kept the connection's: chosen by Message (an operator)

	// An undo of an import (store/undo.go logs them: the store cannot import this package).
	UndoRemoved = "undo_removed" // the undone run created it: removed from the roster
	UndoLeft    = "undo_left"    // the undone run made Message (a source) supply it too: that source no longer does
	UndoGone    = "undo_gone"    // the undone run changed it, but it is no longer in the roster: nothing to put back
)

// Markers stored as a conflict's Before or After when a side's whole record is concerned.
const (
	Deleted = "(deleted)" // the side deleted the record
	Whole   = "(changed)" // the side changed the record (a conflict of the whole record)
)

// sentences are the English sentence of each reason code: {field}, {before}, {after} and {message}
// stand for the record's values (before and after quoted, "(blank)" when empty).
var sentences = map[string]string{
	Changed:  "{field}: {before} → {after}",
	Created:  "created; its connection knows it as {after}",
	Supplied: "now also supplied by this source, which knows it as {after}",

	ReadFailed:    "{message}",
	MappingFailed: "the mapping could not map it: {message}",
	NeverSent:     "marked tobedeleted, but this source never sent it; nothing to delete",

	DeletedAtSource: "deleted at the source",
	MissingFromBulk: "not in the new bulk file",
	LeftSelection:   "no longer in the selection",
	SourceRemoved:   "its source was removed",
	UnreadableRows:  "not in the new bulk file, but not deleted: the sourcedId of {field} {message} cannot be read, and this record may be one of them. Fix the file, then fetch and import again.",
	Merged:          "merged into {after} as a duplicate",
	Folded:          "the same as another record of the person it was merged into",

	NotLive:          "not a live record of the roster (unknown, or being deleted)",
	NotFound:         "not found at the connection, so nothing changed for it",
	OutsideSelection: "outside the selection: the next import would delete it again; add its school or class to the selection first",

	NoLongerSent:      "deleted in the roster, or no longer in the selection or the mapping's condition",
	OrgsOrRoleChanged: "the user's orgs or role changed",
	TargetLost:        "{message} The next export creates it again.",
	TargetRefused:     "{message}",

	DeletedAtExternal:   "deleted at the connection",
	DeletedFromExternal: "deleted at the connection, as in the roster",
	ChangedAtExternal:   "at the connection, {field}: {before} → {after}",

	ConflictWaiting:       "both changed {field}: roster {before}, connection {after}; waiting for a choice under Integrations, each side keeps its own meanwhile",
	ConflictRosterWins:    "both changed {field}: roster {before}, connection {after}; kept the roster's (the workspace wins)",
	ConflictExternalWins:  "both changed {field}: roster {before}, connection {after}; kept the connection's (the connection wins)",
	ConflictRosterNewer:   "both changed {field}: roster {before}, connection {after}; kept the roster's (newer or as new)",
	ConflictExternalNewer: "both changed {field}: roster {before}, connection {after}; kept the connection's (newer)",
	ConflictRosterAfter:   "both changed {field}: roster {before}, connection {after}; kept the roster's (changed after the connection deleted it)",
	ConflictChoseRoster:   "both changed {field}: roster {before}, connection {after}; kept the roster's (chosen by {message})",
	ConflictChoseExternal: "both changed {field}: roster {before}, connection {after}; kept the connection's (chosen by {message})",

	UndoRemoved: "created by the undone run, so removed from the roster",
	UndoLeft:    "no longer supplied by {message}, which the undone run had made supply it",
	UndoGone:    "changed by the undone run, but no longer in the roster, so nothing was put back",
}

// Codes lists every reason code.
func Codes() []string {
	out := make([]string, 0, len(sentences))
	for c := range sentences {
		out = append(out, c)
	}
	return out
}

// Sentence is what a run record says, in English: built from its reason code and values, or, for a
// record logged before reasons were stored (or of an unknown code), its stored message as it is.
func Sentence(r store.RunRecord) string {
	s, ok := sentences[r.Reason]
	if !ok {
		return r.Message
	}
	return strings.NewReplacer("{field}", r.Field, "{before}", Quote(r.Before), "{after}", Quote(r.After), "{message}", r.Message).Replace(s)
}

// Quote shows a value in a sentence: quoted, "(blank)", or a marker as it is.
func Quote(v string) string {
	switch v {
	case "":
		return "(blank)"
	case Deleted, Whole:
		return v
	}
	return `"` + v + `"`
}
