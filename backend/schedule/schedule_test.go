package schedule

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseCanonical(t *testing.T) {
	cases := []struct{ in, want string }{
		{"manual", "manual"},
		{"", "manual"},
		{"  MANUAL ", "manual"},
		{"hourly", "hourly :00"},
		{"hourly :15", "hourly :15"},
		{"Hourly  :5", "hourly :05"},
		{"hourly 45", "hourly :45"},
		{"daily 02:00", "daily 02:00"},
		{"daily 2:00", "daily 02:00"},
		{"DAILY   23:59", "daily 23:59"},
		{"weekly mon,wed 06:30", "weekly mon,wed 06:30"},
		{"weekly wed, mon 6:30", "weekly mon,wed 06:30"},
		{"weekly Monday,Wednesday 06:30", "weekly mon,wed 06:30"},
		{"weekly sun sat fri thurs tues weds mon 07:05", "weekly mon,tue,wed,thu,fri,sat,sun 07:05"},
		{"weekly mon,mon,MON 00:00", "weekly mon 00:00"},
	}
	for _, c := range cases {
		s, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := s.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got, c.want)
		}
		back, err := Parse(s.String())
		if err != nil || !reflect.DeepEqual(back, s) {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", s.String(), back, err, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const usage = "say manual, hourly :MM, daily HH:MM or weekly DAYS HH:MM, e.g. weekly mon,wed 06:30"
	if _, err := Parse("dayly 02:00"); err == nil || err.Error() != `"dayly 02:00": `+usage {
		t.Errorf("Parse(dayly 02:00) error = %v", err)
	}
	cases := map[string]string{
		"daily 24:00":         `"24:00" is not a time of day`,
		"daily 2pm":           `"2pm" is not a time of day`,
		"daily":               "daily takes one time",
		"daily 02:00 03:00":   "daily takes one time",
		"hourly :60":          `":60" is not a minute past the hour`,
		"hourly :15 :30":      "hourly takes only the minute past the hour",
		"weekly 06:30":        "weekly takes one or more days and a time",
		"weekly mon,fun 6:30": `"fun" is not a day`,
		"weekly mon":          "weekly takes one or more days and a time",
		"weekly mon tue":      `"tue" is not a time of day`,
		"manual 02:00":        "manual takes no time",
		"daily -1:00":         "is not a time of day",
	}
	for in, want := range cases {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), usage) {
			t.Errorf("Parse(%q) error = %v, want it to say %q and end with the usage", in, err, want)
		}
	}
}

func TestDescribe(t *testing.T) {
	cases := map[string]string{
		"manual":                   "Only when started by hand",
		"hourly :00":               "Every hour, on the hour",
		"hourly :15":               "Every hour at 15 minutes past",
		"daily 02:00":              "Every day at 02:00",
		"weekly wed 06:30":         "Every Wednesday at 06:30",
		"weekly mon,wed 06:30":     "Every Monday and Wednesday at 06:30",
		"weekly mon,wed,fri 18:05": "Every Monday, Wednesday and Friday at 18:05",
		"weekly mon,tue,wed,thu,fri,sat,sun 07:00": "Every day at 07:00",
	}
	for in, want := range cases {
		s, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Describe(); got != want {
			t.Errorf("%q.Describe() = %q, want %q", in, got, want)
		}
	}
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s is not available: %v", name, err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustParse(t *testing.T, text string) Spec {
	t.Helper()
	s, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestNextDaylightSaving walks daily and weekly schedules over both changes of 2026 in three zones.
// want lists the slots from `from` on, as UTC instants, and how the computer's clock reads them.
func TestNextDaylightSaving(t *testing.T) {
	cases := []struct {
		name, zone, schedule, from string // from: local wall time
		want                       []string
		wall                       []string
	}{
		{"New York spring, skipped time runs right after the gap", "America/New_York", "daily 02:30", "2026-03-07 12:00",
			[]string{"2026-03-08 07:00", "2026-03-09 06:30"}, []string{"03:00 EDT", "02:30 EDT"}},
		{"New York spring, time on the change itself", "America/New_York", "daily 02:00", "2026-03-07 12:00",
			[]string{"2026-03-08 07:00", "2026-03-09 06:00"}, []string{"03:00 EDT", "02:00 EDT"}},
		{"New York spring, time after the gap is not moved", "America/New_York", "daily 03:00", "2026-03-07 12:00",
			[]string{"2026-03-08 07:00", "2026-03-09 07:00"}, []string{"03:00 EDT", "03:00 EDT"}},
		{"New York fall, repeated time runs once", "America/New_York", "daily 01:30", "2026-10-31 12:00",
			[]string{"2026-11-01 05:30", "2026-11-02 06:30"}, []string{"01:30 EDT", "01:30 EST"}},
		{"New York fall, weekly on the change day", "America/New_York", "weekly sun,wed 01:15", "2026-10-31 00:00",
			[]string{"2026-11-01 05:15", "2026-11-04 06:15", "2026-11-08 06:15"}, []string{"01:15 EDT", "01:15 EST", "01:15 EST"}},
		{"New York spring, weekly on the change day", "America/New_York", "weekly sun 02:45", "2026-03-01 03:00",
			[]string{"2026-03-08 07:00", "2026-03-15 06:45"}, []string{"03:00 EDT", "02:45 EDT"}},
		{"London spring", "Europe/London", "daily 01:30", "2026-03-28 12:00",
			[]string{"2026-03-29 01:00", "2026-03-30 00:30"}, []string{"02:00 BST", "01:30 BST"}},
		{"London fall", "Europe/London", "daily 01:30", "2026-10-24 12:00",
			[]string{"2026-10-25 00:30", "2026-10-26 01:30"}, []string{"01:30 BST", "01:30 GMT"}},
		{"London weekly both changes", "Europe/London", "weekly sun 01:00", "2026-03-28 12:00",
			[]string{"2026-03-29 01:00", "2026-04-05 00:00"}, []string{"02:00 BST", "01:00 BST"}},
		{"London weekly fall", "Europe/London", "weekly sun 01:00", "2026-10-24 12:00",
			[]string{"2026-10-25 00:00", "2026-11-01 01:00"}, []string{"01:00 BST", "01:00 GMT"}},
		{"Sydney autumn (April), repeated time runs once", "Australia/Sydney", "daily 02:30", "2026-04-04 12:00",
			[]string{"2026-04-04 15:30", "2026-04-05 16:30"}, []string{"02:30 AEDT", "02:30 AEST"}},
		{"Sydney spring (October), skipped time runs right after the gap", "Australia/Sydney", "daily 02:30", "2026-10-03 12:00",
			[]string{"2026-10-03 16:00", "2026-10-04 15:30"}, []string{"03:00 AEDT", "02:30 AEDT"}},
		{"Sydney weekly both", "Australia/Sydney", "weekly sun,mon 02:10", "2026-10-03 12:00",
			[]string{"2026-10-03 16:00", "2026-10-04 15:10", "2026-10-10 15:10"}, []string{"03:00 AEDT", "02:10 AEDT", "02:10 AEDT"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc := zone(t, c.zone)
			s := mustParse(t, c.schedule)
			from, err := time.ParseInLocation("2006-01-02 15:04", c.from, loc)
			if err != nil {
				t.Fatal(err)
			}
			at := from
			for i, w := range c.want {
				next := s.Next(at)
				if !next.Equal(utc(w)) || next.Location() != loc {
					t.Fatalf("slot %d after %v = %v, want %s UTC", i, at, next.UTC(), w)
				}
				if got := next.Format("15:04 MST"); got != c.wall[i] {
					t.Errorf("slot %d reads %s on the clock, want %s", i, got, c.wall[i])
				}
				at = next
			}
		})
	}
}

// TestNextHourlyDaylightSaving: hourly slots over a whole change day are one per wall-clock hour
// that exists, each wall time once, and no real hour gets two.
func TestNextHourlyDaylightSaving(t *testing.T) {
	cases := []struct {
		zone, day string
		want      []string // the slots in the five real hours from local midnight, UTC
	}{
		// Clocks jump from 02:00 to 03:00: 02:20 does not exist, 03:20 follows 01:20 an hour later.
		{"America/New_York", "2026-03-08", []string{"05:20", "06:20", "07:20", "08:20", "09:20"}},
		// 01:00-02:00 happens twice: 01:20 runs at its first occurrence only.
		{"America/New_York", "2026-11-01", []string{"04:20", "05:20", "07:20", "08:20"}},
		{"Europe/London", "2026-03-29", []string{"00:20", "01:20", "02:20", "03:20", "04:20"}},
		{"Europe/London", "2026-10-25", []string{"23:20", "00:20", "02:20", "03:20"}},
		{"Australia/Sydney", "2026-04-05", []string{"13:20", "14:20", "15:20", "17:20"}},
		{"Australia/Sydney", "2026-10-04", []string{"14:20", "15:20", "16:20", "17:20", "18:20"}},
	}
	s := mustParse(t, "hourly :20")
	for _, c := range cases {
		t.Run(c.zone+" "+c.day, func(t *testing.T) {
			loc := zone(t, c.zone)
			start, _ := time.ParseInLocation("2006-01-02", c.day, loc)
			end := start.Add(5 * time.Hour)
			var got []string
			seen := map[string]bool{}
			for at := s.Next(start); at.Before(end); at = s.Next(at) {
				got = append(got, at.UTC().Format("15:04"))
				wall := at.Format("2006-01-02 15:04")
				if seen[wall] {
					t.Errorf("wall time %s runs twice", wall)
				}
				seen[wall] = true
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("slots %v, want %v", got, c.want)
			}
		})
	}
	// Over the whole of 2026 in each zone: consecutive slots are one hour apart except across a
	// repeated hour (two), never less, never more.
	for _, name := range []string{"America/New_York", "Europe/London", "Australia/Sydney"} {
		loc := zone(t, name)
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		gaps := 0
		for i := 0; i < 366*24; i++ {
			next := s.Next(at)
			d := next.Sub(at)
			if i > 0 && d != time.Hour {
				if d != 2*time.Hour {
					t.Fatalf("%s: %v after %v", name, d, at)
				}
				gaps++
			}
			at = next
		}
		if gaps != 1 {
			t.Errorf("%s: %d repeated hours in a year, want 1", name, gaps)
		}
	}
}

func TestNextBasics(t *testing.T) {
	loc := zone(t, "America/New_York")
	at := time.Date(2026, 5, 6, 6, 30, 0, 0, loc) // a Wednesday, exactly on a slot
	cases := map[string]time.Time{
		"manual":               {},
		"hourly :30":           time.Date(2026, 5, 6, 7, 30, 0, 0, loc),
		"hourly :31":           time.Date(2026, 5, 6, 6, 31, 0, 0, loc),
		"daily 06:30":          time.Date(2026, 5, 7, 6, 30, 0, 0, loc),
		"daily 23:00":          time.Date(2026, 5, 6, 23, 0, 0, 0, loc),
		"weekly mon,wed 06:30": time.Date(2026, 5, 11, 6, 30, 0, 0, loc),
		"weekly wed 06:29":     time.Date(2026, 5, 13, 6, 29, 0, 0, loc),
		"weekly sun 00:00":     time.Date(2026, 5, 10, 0, 0, 0, 0, loc),
		"weekly tue 12:00":     time.Date(2026, 5, 12, 12, 0, 0, 0, loc),
	}
	for text, want := range cases {
		if got := mustParse(t, text).Next(at); !got.Equal(want) {
			t.Errorf("%q.Next(%v) = %v, want %v", text, at, got, want)
		}
	}
	// The location of `after` decides: 06:30 in New York is 11:30 in London.
	london := zone(t, "Europe/London")
	if got := mustParse(t, "daily 12:00").Next(at.In(london)); !got.Equal(time.Date(2026, 5, 6, 12, 0, 0, 0, london)) {
		t.Errorf("Next in London = %v", got)
	}
}

func TestDue(t *testing.T) {
	ny := zone(t, "America/New_York")
	local := func(s string) time.Time {
		at, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	cases := []struct {
		name, schedule, last, now string
		slot                      string // local wall time of the slot, "" = not due
	}{
		{"off for three days runs once, the latest slot", "daily 02:00", "2026-05-03 02:00", "2026-05-06 09:00", "2026-05-06 02:00"},
		{"off over the spring change: the latest slot is the moved one", "daily 02:00", "2026-03-05 02:00", "2026-03-08 12:00", "2026-03-08 03:00"},
		{"hourly: three missed hours run once", "hourly :00", "2026-05-06 10:00", "2026-05-06 13:20", "2026-05-06 13:00"},
		{"already ran this slot", "hourly :00", "2026-05-06 13:00", "2026-05-06 13:59", ""},
		{"now exactly on the slot", "daily 02:00", "2026-05-05 02:00", "2026-05-06 02:00", "2026-05-06 02:00"},
		{"a minute before the slot", "daily 02:00", "2026-05-05 02:00", "2026-05-06 01:59", ""},
		{"weekly missed twice runs once", "weekly mon,wed 06:30", "2026-04-27 06:30", "2026-05-06 08:00", "2026-05-06 06:30"},
		{"weekly: created after this week's slot", "weekly mon 06:30", "2026-05-04 07:00", "2026-05-10 23:59", ""},
		{"clock moved back: last after now", "hourly :00", "2026-05-06 13:00", "2026-05-06 11:30", ""},
		{"manual is never due", "manual", "2026-01-01 00:00", "2026-05-06 13:00", ""},
		{"created a year ago, weekly", "weekly fri 17:00", "2025-05-06 00:00", "2026-05-06 13:00", "2026-05-01 17:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			slot, due := Due(mustParse(t, c.schedule), local(c.last), local(c.now))
			if c.slot == "" {
				if due || !slot.IsZero() {
					t.Errorf("due at %v, want not due", slot)
				}
				return
			}
			if !due || !slot.Equal(local(c.slot)) {
				t.Errorf("Due = %v, %v; want %s", slot, due, c.slot)
			}
		})
	}
}

// TestDueRepeatedHour: a daily run at a repeated time is not due again when the clock shows that
// time the second time; hourly runs again an hour after the repeated hour ends.
func TestDueRepeatedHour(t *testing.T) {
	ny := zone(t, "America/New_York")
	first := utc("2026-11-01 05:30").In(ny)  // 01:30 EDT
	second := utc("2026-11-01 06:30").In(ny) // 01:30 EST
	if _, due := Due(mustParse(t, "daily 01:30"), first, second); due {
		t.Error("daily 01:30 due again at 01:30 EST")
	}
	hourly := mustParse(t, "hourly :30")
	if _, due := Due(hourly, first, second.Add(29*time.Minute)); due {
		t.Error("hourly :30 due again in the repeated hour")
	}
	if slot, due := Due(hourly, first, second.Add(time.Hour)); !due || !slot.Equal(utc("2026-11-01 07:30")) {
		t.Errorf("hourly after the repeated hour = %v, %v", slot, due)
	}
	// Catch-up spanning the change in Sydney: the latest slot is the one after the gap.
	syd := zone(t, "Australia/Sydney")
	last := time.Date(2026, 10, 1, 2, 30, 0, 0, syd)
	now := time.Date(2026, 10, 4, 3, 59, 0, 0, syd)
	if slot, due := Due(mustParse(t, "daily 02:30"), last, now); !due || !slot.Equal(utc("2026-10-03 16:00")) {
		t.Errorf("Sydney catch-up = %v, %v", slot, due)
	}
}

// wallOf is the clock reading of an instant, as a UTC time that compares like the reading.
func wallOf(at time.Time) time.Time {
	return time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), 0, 0, time.UTC)
}

// TestWallTimeAgainstTheClock checks every quarter-hour wall time of every day of 2026 against a
// plain reading of the clock: the slot is the first instant the clock shows that time, or, when the
// clock never shows it (skipped), the first instant it shows a later one. Lord Howe moves its clocks
// by half an hour and Santiago at midnight.
func TestWallTimeAgainstTheClock(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago"} {
		loc := zone(t, name)
		for day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == 2026; day = day.AddDate(0, 0, 1) {
			y, m, d := day.Date()
			// The instants whose clock reading can fall on this date, every quarter hour, in order,
			// and the first instant each reading is shown.
			var instants []time.Time
			first := map[time.Time]time.Time{}
			for at := day.Add(-15 * time.Hour); at.Before(day.Add(39 * time.Hour)); at = at.Add(15 * time.Minute) {
				at = at.In(loc)
				instants = append(instants, at)
				if _, seen := first[wallOf(at)]; !seen {
					first[wallOf(at)] = at
				}
			}
			for q := 0; q < 96; q++ {
				h, min := q/4, q%4*15
				target := time.Date(y, m, d, h, min, 0, 0, time.UTC)
				want, exact := first[target]
				for i := 0; !exact && want.IsZero(); i++ {
					at := instants[i]
					if wallOf(at).After(target) {
						want = at
					}
				}
				got, gotExact := wallTime(y, m, d, h, min, loc)
				if !got.Equal(want) || gotExact != exact {
					t.Fatalf("%s %s: wallTime = %v (exact %v), the clock says %v (exact %v)",
						name, target.Format("2006-01-02 15:04"), got, gotExact, want, exact)
				}
			}
		}
	}
}
