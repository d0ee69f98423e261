package api

import (
	"slices"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/events"
)

// sent records the names of the asked sent to the window.
type sent []string

func (s *sent) Emit(name string, _ any) { *s = append(*s, name) }

func TestClosingWithWorkNotSavedAsksTheWindowFirst(t *testing.T) {
	var asked sent
	quits := 0
	closing := NewClosing(&asked, func() { quits++ })
	a := NewSettingsAPI(nil, nil, nil, nil, closing)

	if closing.Hold() || len(asked) != 0 {
		t.Fatalf("nothing unsaved: the window must close at once without asking (asked %v)", asked)
	}
	a.SetUnsaved(true)
	if !closing.Hold() || !slices.Equal(asked, sent{events.CloseAsked}) {
		t.Fatalf("work not saved: the window must stay open and be asked (asked %v)", asked)
	}
	a.CloseHeard()
	if !closing.Hold() || len(asked) != 2 { // Stay was answered, then the window is closed again
		t.Fatalf("closing again must ask again (asked %v)", asked)
	}
	a.SetUnsaved(false) // saved from the wizard
	if closing.Hold() {
		t.Fatal("once saved, the window must close at once")
	}

	a.SetUnsaved(true)
	a.Quit() // Save or Discard answered: Wails consults beforeClose again on quitting
	if quits != 1 || closing.Hold() || len(asked) != 2 {
		t.Fatalf("Quit must close the window without asking again (quits %d, asked %v)", quits, asked)
	}
}

// A window that never hears the question (its page hangs) must still close once the question has
// gone unheard for a while; one that heard it goes on asking however long the registrar takes.
func TestAWindowThatDoesNotAnswerStillCloses(t *testing.T) {
	var asked sent
	clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	closing := NewClosing(&asked, func() {})
	closing.now = func() time.Time { return clock }
	a := NewSettingsAPI(nil, nil, nil, nil, closing)
	a.SetUnsaved(true)

	if !closing.Hold() {
		t.Fatal("work not saved: the window must be asked")
	}
	clock = clock.Add(unheardFor / 2)
	if !closing.Hold() {
		t.Fatal("a question a few seconds old may still be answered: keep asking")
	}
	a.CloseHeard()
	clock = clock.Add(time.Minute)
	if !closing.Hold() {
		t.Fatal("the window heard the question: the registrar may take as long as they like")
	}
	clock = clock.Add(unheardFor + time.Second)
	if closing.Hold() {
		t.Fatal("the window did not hear the question asked before: it must close")
	}
}
