// Package roster is the OneRoster domain: entities, their columns and enumerations, and the
// dependency graph between them. It is pure Go with no I/O so every other package can share it.
package roster

// Entity names a OneRoster object type, spelt as the CSV file name without ".csv".
type Entity string

const (
	Orgs             Entity = "orgs"
	AcademicSessions Entity = "academicSessions"
	Courses          Entity = "courses"
	Classes          Entity = "classes"
	Users            Entity = "users"
	Roles            Entity = "roles"
	Enrollments      Entity = "enrollments"
	Demographics     Entity = "demographics"
)

// Entities lists every roster entity in dependency order: a record only references records of
// entities earlier in the list (org and session parents excepted), so reading, writing and
// applying in this order keeps references resolvable.
var Entities = []Entity{Orgs, AcademicSessions, Courses, Classes, Users, Roles, Demographics, Enrollments}

// FileName is the CSV file that holds the entity inside a OneRoster package.
func (e Entity) FileName() string { return string(e) + ".csv" }

// Status is the OneRoster record status. Bulk rows carry none; delta rows carry active or tobedeleted.
type Status string

const (
	StatusNone        Status = ""
	StatusActive      Status = "active"
	StatusToBeDeleted Status = "tobedeleted"
)

// Record is one row of one entity in the internal OneRoster 1.2 model. Values are aligned with
// Schema(Entity).Columns; Metadata holds extension columns ("metadata.*") in file order.
type Record struct {
	Entity   Entity
	Values   []string
	Metadata []MetadataValue
}

// MetadataValue is one extension column of a record.
type MetadataValue struct {
	Name  string // without the "metadata." prefix
	Value string
}

// NewRecord returns an empty record of entity e with every column present.
func NewRecord(e Entity) Record {
	return Record{Entity: e, Values: make([]string, len(Schema(e).Columns))}
}

// Get returns the value of the named column, or "" when the entity has no such column.
func (r Record) Get(column string) string {
	if i := Schema(r.Entity).Index(column); i >= 0 {
		return r.Values[i]
	}
	return ""
}

// Set stores the value of the named column; it panics on a column the entity does not have,
// because that is a programming error, never a data error.
func (r Record) Set(column, value string) {
	i := Schema(r.Entity).Index(column)
	if i < 0 {
		panic("roster: " + string(r.Entity) + " has no column " + column)
	}
	r.Values[i] = value
}

// SourcedID is the record's identifier (always column 0).
func (r Record) SourcedID() string { return r.Values[0] }

// Status is the record's status (always column 1).
func (r Record) Status() Status { return Status(r.Values[1]) }

// DateLastModified is the record's modification time (always column 2).
func (r Record) DateLastModified() string { return r.Values[2] }

// PrimaryRole is, of a user's roles, the one of roleType primary, else the first; ok is false when
// there are none.
func PrimaryRole(roles []Record) (Record, bool) {
	for _, r := range roles {
		if r.Get("roleType") == "primary" {
			return r, true
		}
	}
	if len(roles) > 0 {
		return roles[0], true
	}
	return Record{}, false
}
