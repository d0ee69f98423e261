package xpress

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// stage writes the package. Orgs, academic sessions, courses, classes and users go straight into the
// ZIP as their objects arrive, in roster.Entities order. Roles, demographics and enrollments arrive
// with users and rosters but must follow them, so they wait in spool files beside the ZIP: memory stays
// flat however large the district, and unlike fetching xRosters a second time at the enrollments step,
// the largest download happens once and classes and enrollments come from the same answer.
// With pull.Since the package is a delta of the objects changed since then.
func stage(ctx context.Context, c *client, dir string, pull connector.Pull, rep events.Reporter) (_ string, err error) {
	path := filepath.Join(dir, "xpress.zip")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	s := &stager{ctx: ctx, c: c, rep: rep, pull: pull, spools: map[roster.Entity]*spool{},
		schoolNames: map[string]string{}, calendars: map[string]string{}, studentOrgs: map[string]string{}, outside: map[string]bool{}}
	if !pull.Since.IsZero() {
		s.since = changesSinceMarker(pull.Since)
	}
	defer func() {
		for _, sp := range s.spools {
			sp.remove()
		}
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	if len(pull.Schools) > 0 {
		s.scope = map[string]bool{}
		for _, id := range pull.Schools {
			s.scope[id] = true
		}
	}
	for _, e := range []roster.Entity{roster.Roles, roster.Demographics, roster.Enrollments} {
		if s.spools[e], err = newSpool(dir, e); err != nil {
			return "", err
		}
	}
	if s.w, err = oneroster.NewWriter(f, oneroster.WriteOptions{Version: "1.2", Delta: s.since != "", SystemName: "xPress Roster", SystemCode: c.host}); err != nil {
		return "", err
	}
	for _, step := range []func() error{s.orgs, s.sessions, s.courses, s.classes, s.staff, s.students, s.contacts, s.replay} {
		if err = step(); err != nil {
			return "", err
		}
	}
	if err = s.w.Close(); err != nil {
		return "", err
	}
	return path, f.Close()
}

type stager struct {
	ctx   context.Context
	c     *client
	rep   events.Reporter
	pull  connector.Pull
	scope map[string]bool // pull.Schools; nil means every school
	since string          // the changesSinceMarker of a delta; blank for a bulk package
	w     *oneroster.Writer
	done  int64 // records written, for progress

	entity roster.Entity
	// ids are the sourcedIds of the current entity written so far: an object served twice (a page
	// boundary moving while the SIS is edited, a teacher listed under two schools) is written once.
	ids    map[string]struct{}
	spools map[roster.Entity]*spool

	schoolNames map[string]string // school refId → name, for calendar titles
	calendars   map[string]string // school refId → its calendar, for courses and rosters that name none
	studentOrgs map[string]string // staged student refId → org, which their contacts' roles take
	outside     map[string]bool   // students a delta's contacts name that the server has not, or not in the pulled schools
}

// scoped are the objects read per school when the pull names schools.
var scoped = map[string]bool{"xRosters": true, "xStudents": true, "xStaffs": true}

// whole are the objects a delta reads whole, not only those changed: they are few (one or two per
// school), and courses and classes take their school year from the calendars, and calendars their
// title from the schools. Their deletions reach Rosterdesk with the next full fetch.
var whole = map[string]bool{"xLeas": true, "xSchools": true, "xCalendars": true}

// changesSinceMarker writes since as xPress asks for it: an ISO 8601 time without a zone, which the
// server reads in its own zone. Those are at most 12 hours behind UTC, so asking from 12 hours before
// since in UTC misses no change wherever the server is; what comes twice is found unchanged on import.
func changesSinceMarker(since time.Time) string {
	return since.UTC().Add(-12 * time.Hour).Format("2006-01-02T15:04:05")
}

// fetch reads every page of an object (of each pulled school, for a scoped object) and calls fn per
// item; an item holding only its refId is a deletion, which removed handles.
func fetch[T any, P interface {
	*T
	top() *object
}](s *stager, object string, fn func(T) error) error {
	paths := []string{object}
	if s.scope != nil && scoped[object] {
		paths = paths[:0]
		for _, id := range s.pull.Schools {
			paths = append(paths, "xSchools/"+url.PathEscape(id)+"/"+object)
		}
	}
	since := s.since
	if whole[object] {
		since = ""
	}
	for _, p := range paths {
		err := s.c.pages(s.ctx, p, since, func(items []json.RawMessage) error {
			for _, raw := range items {
				var x T
				err := json.Unmarshal(raw, &x)
				if err != nil {
					return apperr.New(apperr.CodeBadInput, fmt.Sprintf("The xPress server at %s sent %s that Rosterdesk cannot read (%v). Tell your xPress provider.", s.c.host, object, err))
				}
				id := P(&x).top()
				if id.RefID == "" {
					id.RefID = id.AtRefID
				}
				if onlyRefID(raw) {
					err = s.removed(object, id.RefID)
				} else {
					err = fn(x)
				}
				if err != nil {
					return err
				}
			}
			s.rep.Report(events.Progress{Stage: "downloading " + object, Done: s.done, Unit: "records"})
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inScope tells whether an object of school belongs in the pull; one of no school (the district's) always does.
func (s *stager) inScope(school text) bool {
	return s.scope == nil || school == "" || s.scope[string(school)]
}

// otherYear tells whether an object names a school year other than the one the connection asks for.
func (s *stager) otherYear(y year) bool {
	return s.c.schoolYear != "" && y != "" && string(y) != s.c.schoolYear
}

// onlyRefID tells whether raw is an object holding nothing but its id: how a changes-since answer
// says the object was deleted.
func onlyRefID(raw json.RawMessage) bool {
	if len(raw) > 256 { // an object with data; saves decoding every object twice
		return false
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || len(fields) != 1 {
		return false
	}
	_, ok := field(fields, "refId", "@refId")
	return ok
}

// removed writes the deletion of the records an object maps to. A bulk package has no way to say
// "deleted": there the object is left out, which deletes its records on import.
func (s *stager) removed(object string, id text) error {
	if s.since == "" || id == "" {
		return nil
	}
	gone := func(e roster.Entity, id string) roster.Record {
		return record(e, "sourcedId", id, "status", string(roster.StatusToBeDeleted))
	}
	switch object {
	case "xCourses":
		return s.write(gone(roster.Courses, string(id)))
	case "xRosters":
		return s.write(gone(roster.Classes, string(id)))
	case "xStudents":
		return s.write(gone(roster.Users, string(id)), gone(roster.Roles, roleID(id)), gone(roster.Demographics, string(id)))
	case "xStaffs", "xContacts":
		return s.write(gone(roster.Users, string(id)), gone(roster.Roles, roleID(id)))
	}
	return nil // the objects read whole
}

// write writes rec unless its sourcedId was written already, then spools the records derived from it.
func (s *stager) write(rec roster.Record, derived ...roster.Record) error {
	if rec.Entity != s.entity {
		s.entity, s.ids = rec.Entity, map[string]struct{}{}
	}
	if _, dup := s.ids[rec.SourcedID()]; dup {
		return nil
	}
	s.ids[rec.SourcedID()] = struct{}{}
	if err := s.w.Write(rec); err != nil {
		return err
	}
	s.done++
	for _, d := range derived {
		if err := s.spools[d.Entity].add(d); err != nil {
			return err
		}
	}
	return nil
}

func (s *stager) orgs() error {
	if err := fetch(s, "xLeas", func(x xLea) error { return s.write(x.org()) }); err != nil {
		return err
	}
	return fetch(s, "xSchools", func(x xSchool) error {
		if !s.inScope(x.RefID) {
			return nil
		}
		s.schoolNames[string(x.RefID)] = string(x.SchoolName)
		return s.write(x.org())
	})
}

func (s *stager) sessions() error {
	return fetch(s, "xCalendars", func(x xCalendar) error {
		if !s.inScope(x.SchoolRefID) || s.otherYear(x.SchoolYear) {
			return nil
		}
		school := string(x.SchoolRefID)
		if _, ok := s.calendars[school]; !ok {
			s.calendars[school] = string(x.RefID)
		}
		return s.write(x.session(s.c.schoolYear, s.schoolNames[school]))
	})
}

func (s *stager) courses() error {
	return fetch(s, "xCourses", func(x xCourse) error {
		if !s.inScope(x.SchoolRefID) {
			return nil
		}
		return s.write(x.course(s.calendars[string(x.SchoolRefID)]))
	})
}

func (s *stager) classes() error {
	return fetch(s, "xRosters", func(x xRoster) error {
		if s.otherYear(x.SchoolYear) {
			return nil
		}
		return s.write(x.class(s.calendars[string(x.SchoolRefID)]), x.enrollments()...)
	})
}

func (s *stager) staff() error {
	return fetch(s, "xStaffs", func(x xStaff) error {
		user, derived := x.records()
		return s.write(user, derived...)
	})
}

func (s *stager) students() error {
	return fetch(s, "xStudents", func(x xStudent) error {
		s.studentOrgs[string(x.RefID)] = x.org()
		user, derived := x.records()
		return s.write(user, derived...)
	})
}

func (s *stager) contacts() error {
	return fetch(s, "xContacts", func(x xContact) error {
		if s.since != "" {
			if err := s.lookUp(x); err != nil {
				return err
			}
		}
		user, derived, ok := x.records(s.studentOrgs)
		if !ok {
			return nil
		}
		return s.write(user, derived...)
	})
}

// lookUp reads the students of a delta's contact that the delta does not hold (they did not change),
// so that a changed contact keeps its place at their school instead of being left out.
func (s *stager) lookUp(x xContact) error {
	for _, r := range x.Relationships.List {
		id := string(r.StudentRefID)
		if _, staged := s.studentOrgs[id]; staged || s.outside[id] || id == "" {
			continue
		}
		raw, err := s.c.student(s.ctx, id)
		if err != nil {
			return err
		}
		var student xStudent
		if raw == nil || json.Unmarshal(raw, &student) != nil || onlyRefID(raw) || !s.inScope(student.Enrollment.SchoolRefID) {
			s.outside[id] = true
			continue
		}
		s.studentOrgs[id] = student.org()
	}
	return nil
}

// replay writes the spooled records, entity by entity in roster.Entities order.
func (s *stager) replay() error {
	for _, e := range roster.Entities {
		sp := s.spools[e]
		if sp == nil {
			continue
		}
		progress := events.Progress{Stage: "writing " + string(e), Unit: "records"}
		err := sp.replay(func(rec roster.Record) error {
			if err := s.w.Write(rec); err != nil {
				return err
			}
			if s.done++; s.done%1024 == 0 {
				if err := s.ctx.Err(); err != nil {
					return err
				}
				progress.Done = s.done
				s.rep.Report(progress)
			}
			return nil
		})
		if err != nil {
			return err
		}
		progress.Done = s.done
		s.rep.Report(progress)
	}
	return nil
}

// spool keeps records of one entity in a temporary CSV file until their turn comes.
type spool struct {
	entity roster.Entity
	f      *os.File
	w      *csv.Writer
}

func newSpool(dir string, e roster.Entity) (*spool, error) {
	f, err := os.CreateTemp(dir, string(e)+"-*.csv")
	if err != nil {
		return nil, err
	}
	return &spool{entity: e, f: f, w: csv.NewWriter(f)}, nil
}

func (sp *spool) add(rec roster.Record) error { return sp.w.Write(rec.Values) }

func (sp *spool) replay(fn func(roster.Record) error) error {
	sp.w.Flush()
	if err := sp.w.Error(); err != nil {
		return err
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := csv.NewReader(bufio.NewReader(sp.f))
	r.FieldsPerRecord = len(roster.Schema(sp.entity).Columns)
	r.ReuseRecord = true // the writer copies each row out at once
	for {
		row, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(roster.Record{Entity: sp.entity, Values: row}); err != nil {
			return err
		}
	}
}

func (sp *spool) remove() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}
