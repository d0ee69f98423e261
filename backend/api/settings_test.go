package api

import (
	"slices"
	"testing"
)

// sent records the names of the events sent to the window.
type sent []string

func (s *sent) Emit(name string, _ any) { *s = append(*s, name) }

func TestClosingWithWorkNotSavedAsksTheWindowFirst(t *testing.T) {
	var events sent
	quits := 0
	closing := NewClosing(&events, func() { quits++ })
	a := NewSettingsAPI(nil, nil, nil, nil, closing)

	if closing.Hold() || len(events) != 0 {
		t.Fatalf("nothing unsaved: the window must close at once without asking (events %v)", events)
	}
	a.SetUnsaved(true)
	if !closing.Hold() || !slices.Equal(events, sent{CloseAsked}) {
		t.Fatalf("work not saved: the window must stay open and be asked (events %v)", events)
	}
	if !closing.Hold() || len(events) != 2 { // Stay was answered, then the window is closed again
		t.Fatalf("closing again must ask again (events %v)", events)
	}
	a.SetUnsaved(false) // saved from the wizard
	if closing.Hold() {
		t.Fatal("once saved, the window must close at once")
	}

	a.SetUnsaved(true)
	a.Quit() // Save or Discard answered: Wails consults beforeClose again on quitting
	if quits != 1 || closing.Hold() || len(events) != 2 {
		t.Fatalf("Quit must close the window without asking again (quits %d, events %v)", quits, events)
	}
}
