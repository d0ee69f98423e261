package rest

import (
	"bufio"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Stage reads the provider, collection by collection in roster.Entities order, and streams the
// records into a OneRoster CSV ZIP of the connection's version in dir: a delta package when
// pull.Since is set, else a bulk one.
func (s *source) Stage(ctx context.Context, dir string, pull connector.Pull, rep events.Reporter) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "oneroster-rest.zip")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	st := &stager{session: s.open(ctx, rep), dir: dir, delta: !pull.Since.IsZero()}
	if st.delta {
		// Whole seconds: a record changed within Since's second comes again, which a delta tolerates.
		st.filter = "dateLastModified>'" + pull.Since.UTC().Format(time.RFC3339) + "'"
	}
	err = st.run(f, pull.Schools)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

type stager struct {
	*session
	dir    string
	w      *oneroster.Writer
	delta  bool
	filter string // the delta filter, or blank
	// user11 is the orgs and role of the 1.1 user being written, which the writer puts on the user's
	// row; kept for one user at a time so memory does not grow with the district.
	user11 struct {
		id, role string
		orgs     []string
	}
	// roles are the 1.2 roles of the users written, held until the users are done because roles come
	// after users in a package: a few short strings per user, never the users themselves.
	roles []roster.Record
}

func (st *stager) run(out io.Writer, schools []string) error {
	var err error
	st.w, err = oneroster.NewWriter(out, oneroster.WriteOptions{Version: st.version, Delta: st.delta, BlankStatus: true,
		SystemName: "OneRoster API at " + st.root.Host, SystemCode: "oneroster-rest", Roles11: st.roles11})
	if err != nil {
		return err
	}
	for _, e := range []roster.Entity{roster.Orgs, roster.AcademicSessions, roster.Courses} {
		if err := st.each(e, nil, st.write); err != nil {
			return err
		}
	}
	if len(schools) == 0 {
		err = st.everything()
	} else {
		err = st.schools(schools)
	}
	if err != nil {
		return err
	}
	return st.w.Close()
}

func (st *stager) write(rec roster.Record, _ map[string]json.RawMessage) error {
	return st.w.Write(rec)
}

func (st *stager) everything() error {
	if err := st.each(roster.Classes, nil, st.write); err != nil {
		return err
	}
	if err := st.users(nil); err != nil {
		return err
	}
	if err := st.each(roster.Demographics, nil, st.write); err != nil {
		return err
	}
	return st.each(roster.Enrollments, nil, st.write)
}

// schools stages the classes and enrollments of the chosen schools, and the users they concern: those
// enrolled, and those holding a role at one of the schools (which also catches, in a delta, a changed
// user whose enrollments did not change). The users endpoint is read whole and filtered here: a
// users-per-school endpoint exists, but providers differ on whether it lists students, staff or both.
func (st *stager) schools(ids []string) error {
	if err := st.each(roster.Classes, ids, st.write); err != nil {
		return err
	}
	// Enrollments come last in a package but decide which users go in, so they wait in a file.
	spool, err := os.CreateTemp(st.dir, "enrollments-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	buf := bufio.NewWriter(spool)
	enc := gob.NewEncoder(buf)
	enrolled := map[string]bool{}
	err = st.each(roster.Enrollments, ids, func(rec roster.Record, _ map[string]json.RawMessage) error {
		enrolled[rec.Get("userSourcedId")] = true
		return enc.Encode(rec)
	})
	if err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, id := range ids {
		chosen[id] = true
	}
	staged := map[string]bool{}
	err = st.users(func(user roster.Record, roles []userRole) bool {
		ok := enrolled[user.SourcedID()]
		for _, r := range roles {
			ok = ok || chosen[r.org]
		}
		if ok {
			staged[user.SourcedID()] = true
		}
		return ok
	})
	if err != nil {
		return err
	}
	// In a delta only changed users come, so a changed demographic of an unchanged user would be lost
	// to this filter: a delta keeps every changed demographic, and the import's selection decides.
	err = st.each(roster.Demographics, nil, func(rec roster.Record, _ map[string]json.RawMessage) error {
		if !st.delta && !staged[rec.SourcedID()] {
			return nil
		}
		return st.w.Write(rec)
	})
	if err != nil {
		return err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReader(spool))
	for n := 1; ; n++ {
		var rec roster.Record // fresh each time: gob leaves fields a record does not carry untouched
		if err := dec.Decode(&rec); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if n%1024 == 0 {
			if err := st.ctx.Err(); err != nil {
				return err
			}
		}
		if err := st.w.Write(rec); err != nil {
			return err
		}
	}
}

// each calls fn with every record of entity e (of each school in schools, when not nil) that
// belongs in the package. Demographics are optional: a provider that does not offer them, or not to
// this client, gives a package without demographics rather than no package.
func (st *stager) each(e roster.Entity, schools []string, fn func(roster.Record, map[string]json.RawMessage) error) error {
	seen := idSet{}
	visit := func(obj map[string]json.RawMessage) error {
		rec := toRecord(e, obj)
		// A bulk package is the complete reference and has no status to say "deleted": a record the
		// provider marks tobedeleted is left out, which deletes it on import.
		if !st.delta && rec.Status() == roster.StatusToBeDeleted {
			return nil
		}
		return fn(rec, obj)
	}
	if schools == nil {
		return st.list(string(e), "", st.filter, e == roster.Demographics, seen, visit)
	}
	for _, school := range schools {
		if err := st.list(string(e), school, st.filter, false, seen, visit); err != nil {
			return err
		}
	}
	return nil
}

// users writes the users that keep lets through (all when nil), then their roles.
func (st *stager) users(keep func(roster.Record, []userRole) bool) error {
	err := st.each(roster.Users, nil, func(user roster.Record, obj map[string]json.RawMessage) error {
		roles := rolesOf(obj)
		if keep != nil && !keep(user, roles) {
			return nil
		}
		if st.version == "1.1" {
			st.user11.id, st.user11.orgs, st.user11.role = user.SourcedID(), nil, ""
			for _, r := range roles {
				st.user11.orgs = append(st.user11.orgs, r.org)
			}
			if len(roles) > 0 {
				st.user11.role = roles[0].role
			}
		} else {
			st.hold(user, roles)
		}
		return st.w.Write(user)
	})
	if err != nil {
		return err
	}
	for _, r := range st.roles {
		if err := st.w.Write(r); err != nil {
			return err
		}
	}
	st.roles = nil
	return nil
}

func (st *stager) roles11(id string) ([]string, string) {
	if id != st.user11.id {
		return nil, ""
	}
	return st.user11.orgs, st.user11.role
}

// hold keeps a 1.2 user's roles as roles records. JSON roles have no sourcedId of their own, so one
// is made from the user and the org (and the role, for a second role at the same org), the way the
// package reader names roles it makes from 1.1 users: stable from one fetch to the next.
func (st *stager) hold(user roster.Record, roles []userRole) {
	first := len(st.roles)
	for _, r := range roles {
		id := user.SourcedID() + "-" + r.org
		for _, prev := range st.roles[first:] {
			if prev.SourcedID() == id {
				id += "-" + r.role
				break
			}
		}
		rec := roster.NewRecord(roster.Roles)
		rec.Set("sourcedId", id)
		rec.Set("status", string(user.Status()))
		rec.Set("dateLastModified", user.DateLastModified())
		rec.Set("userSourcedId", user.SourcedID())
		rec.Set("roleType", r.roleType)
		rec.Set("role", r.role)
		rec.Set("orgSourcedId", r.org)
		rec.Set("userProfileSourcedId", r.profile)
		rec.Set("beginDate", r.begin)
		rec.Set("endDate", r.end)
		st.roles = append(st.roles, rec)
	}
}
