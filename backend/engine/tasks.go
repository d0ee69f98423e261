package engine

import (
	"fmt"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/roster"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// taskEntities are the entity tasks of an integration (RunOptions.Entities) and the roster entities
// each moves. The three kinds of users share users and their roles, told apart by role.
var taskEntities = map[string][]roster.Entity{
	"schools":      {roster.Orgs},
	"sessions":     {roster.AcademicSessions},
	"courses":      {roster.Courses},
	"classes":      {roster.Classes},
	"students":     {roster.Users, roster.Roles},
	"teachers":     {roster.Users, roster.Roles},
	"guardians":    {roster.Users, roster.Roles},
	"enrollments":  {roster.Enrollments},
	"demographics": {roster.Demographics},
}

// taskNames lists the tasks in the order people read them.
const taskNames = "schools, sessions, courses, classes, students, teachers, guardians, enrollments and demographics"

// userTask is the task of a user of a role: guardians follow a student, every other role than
// student is staff, under teachers. A user without a role is in none.
func userTask(role string) string {
	switch role {
	case "":
		return ""
	case "student":
		return "students"
	case "guardian", "parent", "relative":
		return "guardians"
	}
	return "teachers"
}

// tasks are what of the roster a run moves: the whole of some entities and, of users, their roles
// and demographics, those of some kinds.
type tasks struct {
	ents  map[roster.Entity]bool // nil: every entity
	users map[string]bool        // the kinds of users (a task name); nil: every user
}

// parseTasks reads RunOptions.Entities; none means everything.
func parseTasks(names []string) (tasks, error) {
	if len(names) == 0 {
		return tasks{}, nil
	}
	t := tasks{ents: map[roster.Entity]bool{}, users: map[string]bool{}}
	for _, name := range names {
		name = strings.ToLower(strings.TrimSpace(name))
		ents, ok := taskEntities[name]
		if !ok {
			return tasks{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("%q is not an entity task. The entity tasks are %s.", name, taskNames))
		}
		for _, ent := range ents {
			t.ents[ent] = true
		}
		if ents[0] == roster.Users {
			t.users[name] = true
		}
	}
	if len(t.users) == 0 || len(t.users) == 3 {
		t.users = nil // demographics alone go for every user
	}
	return t, nil
}

// has says whether the run moves records of ent (of some users only, when byRole).
func (t tasks) has(ent roster.Entity) bool { return t.ents == nil || t.ents[ent] }

// byRole says whether the run moves the records of ent of some kinds of users only.
func (t tasks) byRole(ent roster.Entity) bool {
	return t.users != nil && t.has(ent) && (ent == roster.Users || ent == roster.Roles || ent == roster.Demographics)
}

// anyByRole says whether some entity moves by role.
func (t tasks) anyByRole() bool { return t.users != nil }

// keeps says whether the run moves a record of ent that belongs to user (a role or demographics
// belong to their user), role giving a user's role.
func (t tasks) keeps(ent roster.Entity, user string, role func(string) string) bool {
	if !t.byRole(ent) {
		return t.has(ent)
	}
	return t.users[userTask(role(user))]
}

// keepsRecord is keeps for a record.
func (t tasks) keepsRecord(rec roster.Record, role func(string) string) bool {
	user := rec.SourcedID()
	if rec.Entity == roster.Roles {
		user = rec.Get("userSourcedId")
	}
	return t.keeps(rec.Entity, user, role)
}

// keepsRoster is keeps for the roster record id of ent, by the roster's roles.
func (t tasks) keepsRoster(ent roster.Entity, id string, roles store.UserRoles) bool {
	user := id
	if ent == roster.Roles {
		user = roles.User[id]
	}
	return t.keeps(ent, user, func(u string) string { return roles.Role[u] })
}

// rosterScope is the scope of an export: the roster's roles tell its kinds of users apart.
func rosterScope(t tasks, x *store.Send) (scope, error) {
	s := scope{tasks: t}
	if t.anyByRole() {
		var err error
		if s.rosterRoles, err = x.UserRoles(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// sent returns what the target was sent of ent within the scope: what an export may delete there.
func (s scope) sent(x *store.Send, ent roster.Entity) (map[string]int64, error) {
	if !s.tasks.has(ent) {
		return map[string]int64{}, nil
	}
	before, err := x.Sent(ent)
	if s.tasks.byRole(ent) {
		for id := range before {
			if !s.keepsRoster(ent, id) {
				delete(before, id)
			}
		}
	}
	return before, err
}
