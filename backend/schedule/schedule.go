// Package schedule reads an integration's schedule ("manual", "hourly :15", "daily 02:00",
// "weekly mon,wed 06:30") and works out when it runs, in the computer's time zone.
//
// Daylight saving: a daily or weekly time the clocks skip runs once, right when the clocks jump
// ("daily 02:30" runs at 03:00 new time that day); a time the clocks show twice runs at its first
// showing only. Hourly runs once in each wall-clock hour that exists: none in the skipped hour (the
// hours either side are one real hour apart), one in a repeated hour. Slots missed while the
// computer was off run once, at the latest slot.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
)

// How often a schedule runs.
const (
	Manual = "manual"
	Hourly = "hourly"
	Daily  = "daily"
	Weekly = "weekly"
)

// Spec is a parsed schedule. Hourly uses Minute only; Weekly's Days are sorted Monday first and
// hold no repeats, so Parse(s.String()) equals s.
type Spec struct {
	Every        string
	Days         []time.Weekday
	Hour, Minute int
}

const usage = "say manual, hourly :MM, daily HH:MM or weekly DAYS HH:MM, e.g. weekly mon,wed 06:30"

// dayNames maps the names people type to weekdays: three letters, the full name and the common
// longer abbreviations.
var dayNames = map[string]time.Weekday{}

func init() {
	extra := map[time.Weekday][]string{
		time.Tuesday:   {"tues"},
		time.Wednesday: {"weds"},
		time.Thursday:  {"thur", "thurs"},
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		full := strings.ToLower(d.String())
		dayNames[full] = d
		dayNames[full[:3]] = d
		for _, n := range extra[d] {
			dayNames[n] = d
		}
	}
}

// Parse reads a schedule. Case and spacing do not matter; empty text is manual.
func Parse(text string) (Spec, error) {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return r == ' ' || r == '\t' || r == ','
	})
	if len(fields) == 0 {
		return Spec{Every: Manual}, nil
	}
	bad := func(why string) (Spec, error) {
		msg := fmt.Sprintf("%q: %s", strings.TrimSpace(text), usage)
		if why != "" {
			msg = fmt.Sprintf("%q: %s; %s", strings.TrimSpace(text), why, usage)
		}
		return Spec{}, apperr.New(apperr.CodeInvalid, msg)
	}
	switch fields[0] {
	case Manual:
		if len(fields) > 1 {
			return bad("manual takes no time")
		}
		return Spec{Every: Manual}, nil
	case Hourly:
		switch len(fields) {
		case 1:
			return Spec{Every: Hourly}, nil
		case 2:
			m, ok := minutePast(fields[1])
			if !ok {
				return bad(fmt.Sprintf("%q is not a minute past the hour (:00 to :59)", fields[1]))
			}
			return Spec{Every: Hourly, Minute: m}, nil
		}
		return bad("hourly takes only the minute past the hour")
	case Daily:
		if len(fields) != 2 {
			return bad("daily takes one time")
		}
		h, m, ok := clock(fields[1])
		if !ok {
			return bad(fmt.Sprintf("%q is not a time of day (00:00 to 23:59)", fields[1]))
		}
		return Spec{Every: Daily, Hour: h, Minute: m}, nil
	case Weekly:
		if len(fields) < 3 {
			return bad("weekly takes one or more days and a time")
		}
		h, m, ok := clock(fields[len(fields)-1])
		if !ok {
			return bad(fmt.Sprintf("%q is not a time of day (00:00 to 23:59)", fields[len(fields)-1]))
		}
		seen := map[time.Weekday]bool{}
		for _, f := range fields[1 : len(fields)-1] {
			d, ok := dayNames[f]
			if !ok {
				return bad(fmt.Sprintf("%q is not a day (mon, tue, wed, thu, fri, sat, sun)", f))
			}
			seen[d] = true
		}
		s := Spec{Every: Weekly, Hour: h, Minute: m}
		for i := 1; i <= 7; i++ { // Monday first, the way a school week reads
			if d := time.Weekday(i % 7); seen[d] {
				s.Days = append(s.Days, d)
			}
		}
		return s, nil
	}
	return bad("")
}

// clock reads HH:MM (one or two digits for the hour).
func clock(f string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(f, ":")
	if !found || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || strings.ContainsAny(f, "+-") {
		return 0, 0, false
	}
	return h, m, true
}

// minutePast reads ":MM" (or "MM").
func minutePast(f string) (int, bool) {
	f = strings.TrimPrefix(f, ":")
	if len(f) < 1 || len(f) > 2 || strings.ContainsAny(f, "+-") {
		return 0, false
	}
	m, err := strconv.Atoi(f)
	return m, err == nil && m >= 0 && m <= 59
}

// String is the canonical text: manual, hourly :15, daily 02:00, weekly mon,wed 06:30.
func (s Spec) String() string {
	switch s.Every {
	case Hourly:
		return fmt.Sprintf("hourly :%02d", s.Minute)
	case Daily:
		return fmt.Sprintf("daily %02d:%02d", s.Hour, s.Minute)
	case Weekly:
		days := make([]string, len(s.Days))
		for i, d := range s.Days {
			days[i] = strings.ToLower(d.String()[:3])
		}
		return fmt.Sprintf("weekly %s %02d:%02d", strings.Join(days, ","), s.Hour, s.Minute)
	}
	return Manual
}

// Describe says the schedule in words: "Every Monday and Wednesday at 06:30".
func (s Spec) Describe() string {
	switch s.Every {
	case Hourly:
		if s.Minute == 0 {
			return "Every hour, on the hour"
		}
		return fmt.Sprintf("Every hour at %d minutes past", s.Minute)
	case Daily:
		return fmt.Sprintf("Every day at %02d:%02d", s.Hour, s.Minute)
	case Weekly:
		if len(s.Days) == 7 {
			return fmt.Sprintf("Every day at %02d:%02d", s.Hour, s.Minute)
		}
		names := make([]string, len(s.Days))
		for i, d := range s.Days {
			names[i] = d.String()
		}
		list := names[len(names)-1]
		if len(names) > 1 {
			list = strings.Join(names[:len(names)-1], ", ") + " and " + list
		}
		return fmt.Sprintf("Every %s at %02d:%02d", list, s.Hour, s.Minute)
	}
	return "Only when started by hand"
}

// Next is the first slot strictly after `after`, in after's location; zero for manual.
func (s Spec) Next(after time.Time) time.Time {
	if !s.timed() {
		return time.Time{}
	}
	loc := after.Location()
	y, m, d := after.Date()
	var best time.Time
	// A slot belongs to a calendar date, and moving it past a gap can carry it past midnight, so the
	// day before is looked at too; a week and a day always hold a weekly slot.
	for k := -1; k <= 8; k++ {
		for _, t := range s.slotsOn(y, m, d+k, loc) {
			if t.After(after) && (best.IsZero() || t.Before(best)) {
				best = t
			}
		}
		if !best.IsZero() && k >= 1 {
			break
		}
	}
	return best
}

// Due says whether a slot fell in (last, now], in now's location. last is the slot last run, or
// when the integration or its schedule was created or changed. slot is the latest such slot, so
// slots missed while the computer was off run once. A clock set back (last after now) is not due.
func Due(s Spec, last, now time.Time) (slot time.Time, due bool) {
	if !s.timed() {
		return time.Time{}, false
	}
	loc := now.Location()
	y, m, d := now.Date()
	for k := 1; k >= -8; k-- {
		for _, t := range s.slotsOn(y, m, d+k, loc) {
			if !t.After(now) && t.After(slot) {
				slot = t
			}
		}
		if !slot.IsZero() && k <= -1 {
			break
		}
	}
	if slot.IsZero() || !slot.After(last) {
		return time.Time{}, false
	}
	return slot, true
}

// timed says whether the schedule has slots at all (manual has none).
func (s Spec) timed() bool { return s.Every == Hourly || s.Every == Daily || s.Every == Weekly }

// slotsOn lists the schedule's slots on a calendar date (day may overflow its month), in order.
func (s Spec) slotsOn(y int, m time.Month, day int, loc *time.Location) []time.Time {
	date := time.Date(y, m, day, 0, 0, 0, 0, time.UTC) // normalises the date; no clock involved
	y, m, day = date.Date()
	switch s.Every {
	case Hourly:
		// One slot per wall-clock hour that exists: an hour skipped by spring-forward has none (the
		// hour before and after are one real hour apart, so no real hour goes without a run) and a
		// repeated hour runs at its first occurrence only.
		out := make([]time.Time, 0, 24)
		for h := 0; h < 24; h++ {
			if t, exact := wallTime(y, m, day, h, s.Minute, loc); exact {
				out = append(out, t)
			}
		}
		return out
	case Weekly:
		if !containsDay(s.Days, date.Weekday()) {
			return nil
		}
	}
	t, _ := wallTime(y, m, day, s.Hour, s.Minute, loc)
	return []time.Time{t}
}

func containsDay(days []time.Weekday, d time.Weekday) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}

// wallTime is the instant the clocks in loc show y-m-d h:min. time.Date does not say which instant
// it picks for a repeated time or where a skipped one goes, so this works it out itself:
//
// The instant is the wall time read as UTC minus the offset in effect, and every offset in effect
// within 15 hours of that reading (offsets lie between -12 and +14 hours) is the one before or the
// one after the nearby change. Each of the two is tried; a candidate whose clock reading in loc is
// the wall time is a real occurrence. Two real occurrences: the wall time is repeated (clocks set
// back) and the earlier is taken. None: the wall time was skipped (clocks set forward); reading it
// with the offset from before the gap lands after the gap, and the zone period that instant lies in
// began when the gap ended, so that start is the slot ("02:30" becomes 03:00 new time).
// exact is false for a skipped wall time.
func wallTime(y int, m time.Month, d, h, min int, loc *time.Location) (t time.Time, exact bool) {
	wall := time.Date(y, m, d, h, min, 0, 0, time.UTC)
	_, before := wall.Add(-15 * time.Hour).In(loc).Zone()
	_, after := wall.Add(15 * time.Hour).In(loc).Zone()
	for _, off := range []int{before, after} {
		c := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(c, wall) && (t.IsZero() || c.Before(t)) {
			t = c
		}
	}
	if !t.IsZero() {
		return t, true
	}
	if before < after {
		start, _ := wall.Add(-time.Duration(before) * time.Second).In(loc).ZoneBounds()
		if !start.IsZero() {
			return start.In(loc), false
		}
	}
	return time.Date(y, m, d, h, min, 0, 0, loc), false
}

func sameWall(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}
