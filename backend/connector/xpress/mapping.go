package xpress

// How xPress Roster objects become OneRoster 1.2 records. Only the fields below are read; anything else
// in an answer is ignored. xPress ids (refId, or @refId on a top-level object) become sourcedIds
// unchanged, so a school chosen in the selection is the refId of the school-scoped paths. A school year
// is the calendar year it ends (2026 for 2025-26); "2025-2026" and "2025-26" are read as 2026.
//
//	xPress                                               OneRoster 1.2
//	xLea      refId, localId, leaName                    orgs: sourcedId, identifier, name; type district
//	xSchool   refId, localId, schoolName, leaRefId       orgs: sourcedId, identifier, name, parentSourcedId; type school
//	xCalendar refId, schoolRefId, schoolYear,            academicSessions: sourcedId, schoolYear, type schoolYear, title
//	          days.firstInstructionDate,                 "2025-2026, <school name>", startDate,
//	          days.lastInstructionDate                   endDate (1 July – 30 June of the year when absent)
//	xCourse   refId, schoolRefId, courseTitle,           courses: sourcedId, orgSourcedId, title,
//	          schoolCourseId, subject,                   courseCode, subjects,
//	          applicableEducationLevels.applicableEducationLevel[]  grades; schoolYearSourcedId = the school's calendar
//	xRoster   refId, courseRefId, schoolRefId,           classes: sourcedId, courseSourcedId, schoolSourcedId,
//	          courseTitle, schoolSectionId, subject,     title "<courseTitle> (<section>)", classCode, subjects,
//	          schoolCalendarRefId                        termSourcedIds (else the school's calendar); classType scheduled
//	          students.studentReference[].refId          enrollments: role student, primary false
//	          primaryStaff.staffPersonReference.refId    enrollments: role teacher, primary true
//	          otherStaffs.otherStaff[].staffPersonReference.refId  enrollments: role teacher, primary false
//	                                                     (enrollment sourcedId = <roster refId>-<person refId>)
//	xStaff,   refId, localId, stateProvinceId,           users: sourcedId, identifier, userMasterIdentifier,
//	xStudent, name.givenName/familyName/middleName,      givenName, familyName, middleName,
//	xContact  email.emailAddress,                        email,
//	          appUserInfo.applicationUser.userId         username; enabledUser true (xPress lists active people only)
//	xStaff    primaryAssignment.schoolRefId (else        primaryOrgSourcedId and roles: org, roleType primary,
//	          leaRefId), primaryAssignment.jobFunction   role teacher, principal, counselor, aide, site/districtAdministrator
//	xStudent  enrollment.schoolRefId (else leaRefId),    primaryOrgSourcedId and roles: org, role student,
//	          enrollment.gradeLevel,                     grades,
//	          studentContacts.studentContactRefId[]      agentSourcedIds
//	          birthDate, sex                             demographics: birthDate, sex
//	xContact  phoneNumber.number,                        phone,
//	          relationships.relationship[].studentRefId  agentSourcedIds; roles at the first related student's org,
//	          relationships.relationship[].relationshipCode  role parent, relative or guardian
//
// A role's sourcedId is "role-<user refId>". A contact related to no staged student is left out: the
// package would hold a person with no place in it. In a changes-since answer, an object holding only its
// refId was deleted: its record and those derived from it (role, demographics) become tobedeleted.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// text is a JSON scalar read as a string: providers write ids and years as strings or as numbers.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(strings.TrimSpace(s))
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("a value was expected, not %.40s", b)
	default: // a number or a boolean, as written
		*t = text(b)
	}
	return nil
}

// year is a school year as the calendar year it ends: providers write 2026, "2026", or the span
// "2025-2026" or "2025-26".
type year string

func (y *year) UnmarshalJSON(b []byte) error {
	var t text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*y = year(t)
	parts := strings.FieldsFunc(string(t), func(r rune) bool { return r < '0' || r > '9' })
	if len(parts) == 2 && len(parts[0]) == 4 && (len(parts[1]) == 2 || len(parts[1]) == 4) {
		start, _ := strconv.Atoi(parts[0])
		*y = year(strconv.Itoa(start + 1))
	}
	return nil
}

// object is the id every top-level x-object has. Services converting from SIF XML write it as
// "@refId" (the XML attribute); references inside objects keep "refId".
type object struct {
	RefID   text `json:"refId"`
	AtRefID text `json:"@refId"`
}

// top gives fetch the object's id, whatever the x-object type.
func (o *object) top() *object { return o }

// list is a JSON array, or the single element alone: SIF services converting from XML write a list of
// one as the element itself.
type list[T any] []T

func (l *list[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*l = nil
		return nil
	case b[0] == '[':
		var items []T
		err := json.Unmarshal(b, &items)
		*l = items
		return err
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*l = list[T]{one}
	return nil
}

type xLea struct {
	object
	LocalID text `json:"localId"`
	LeaName text `json:"leaName"`
}

type xSchool struct {
	object
	LocalID    text `json:"localId"`
	LeaRefID   text `json:"leaRefId"`
	SchoolName text `json:"schoolName"`
}

type xCalendar struct {
	object
	SchoolRefID text `json:"schoolRefId"`
	SchoolYear  year `json:"schoolYear"`
	Days        struct {
		First text `json:"firstInstructionDate"`
		Last  text `json:"lastInstructionDate"`
	} `json:"days"`
}

type xCourse struct {
	object
	SchoolRefID               text `json:"schoolRefId"`
	SchoolCourseID            text `json:"schoolCourseId"`
	CourseTitle               text `json:"courseTitle"`
	Subject                   text `json:"subject"`
	ApplicableEducationLevels struct {
		Levels list[text] `json:"applicableEducationLevel"`
	} `json:"applicableEducationLevels"`
}

type ref struct {
	RefID text `json:"refId"`
}

type staffRef struct {
	Staff ref `json:"staffPersonReference"`
}

type xRoster struct {
	object
	CourseRefID         text `json:"courseRefId"`
	CourseTitle         text `json:"courseTitle"`
	SchoolRefID         text `json:"schoolRefId"`
	SchoolSectionID     text `json:"schoolSectionId"`
	SchoolYear          year `json:"schoolYear"`
	SchoolCalendarRefID text `json:"schoolCalendarRefId"`
	Subject             text `json:"subject"`
	Students            struct {
		Refs list[ref] `json:"studentReference"`
	} `json:"students"`
	PrimaryStaff staffRef `json:"primaryStaff"`
	OtherStaffs  struct {
		Staff list[staffRef] `json:"otherStaff"`
	} `json:"otherStaffs"`
}

// person holds the fields xStaff, xStudent and xContact share.
type person struct {
	object
	LocalID         text `json:"localId"`
	StateProvinceID text `json:"stateProvinceId"`
	Name            struct {
		FamilyName text `json:"familyName"`
		GivenName  text `json:"givenName"`
		MiddleName text `json:"middleName"`
	} `json:"name"`
	Email list[struct {
		EmailAddress text `json:"emailAddress"`
	}] `json:"email"`
	AppUserInfo struct {
		ApplicationUser struct {
			UserID text `json:"userId"`
		} `json:"applicationUser"`
	} `json:"appUserInfo"`
}

type xStaff struct {
	person
	PrimaryAssignment struct {
		LeaRefID    text `json:"leaRefId"`
		SchoolRefID text `json:"schoolRefId"`
		JobFunction text `json:"jobFunction"`
	} `json:"primaryAssignment"`
}

type xStudent struct {
	person
	BirthDate  text `json:"birthDate"`
	Sex        text `json:"sex"`
	Enrollment struct {
		LeaRefID    text `json:"leaRefId"`
		SchoolRefID text `json:"schoolRefId"`
		GradeLevel  text `json:"gradeLevel"`
	} `json:"enrollment"`
	StudentContacts struct {
		IDs list[text] `json:"studentContactRefId"`
	} `json:"studentContacts"`
}

type xContact struct {
	person
	PhoneNumber list[struct {
		Number text `json:"number"`
	}] `json:"phoneNumber"`
	Relationships struct {
		List list[struct {
			StudentRefID     text `json:"studentRefId"`
			RelationshipCode text `json:"relationshipCode"`
		}] `json:"relationship"`
	} `json:"relationships"`
}

func record(e roster.Entity, kv ...string) roster.Record {
	rec := roster.NewRecord(e)
	for i := 0; i < len(kv); i += 2 {
		rec.Set(kv[i], kv[i+1])
	}
	return rec
}

func join(items []text) string {
	parts := make([]string, 0, len(items))
	for _, v := range items {
		if v != "" {
			parts = append(parts, string(v))
		}
	}
	return strings.Join(parts, ",")
}

func (x xLea) org() roster.Record {
	return record(roster.Orgs, "sourcedId", string(x.RefID), "name", string(x.LeaName), "type", "district", "identifier", string(x.LocalID))
}

func (x xSchool) org() roster.Record {
	return record(roster.Orgs, "sourcedId", string(x.RefID), "name", string(x.SchoolName), "type", "school",
		"identifier", string(x.LocalID), "parentSourcedId", string(x.LeaRefID))
}

// session maps a calendar; fallback stands in for a calendar that names no year, school is the school's name.
func (x xCalendar) session(fallback, school string) roster.Record {
	ends := fallback
	if x.SchoolYear != "" {
		ends = string(x.SchoolYear)
	}
	rec := record(roster.AcademicSessions, "sourcedId", string(x.RefID), "type", "schoolYear", "schoolYear", ends,
		"startDate", string(x.Days.First), "endDate", string(x.Days.Last))
	if y, err := strconv.Atoi(ends); err == nil {
		title := fmt.Sprintf("%d-%d", y-1, y)
		if school != "" {
			title += ", " + school
		}
		rec.Set("title", title)
		// Dates are required; a US school year runs from July to June.
		if rec.Get("startDate") == "" {
			rec.Set("startDate", fmt.Sprintf("%d-07-01", y-1))
		}
		if rec.Get("endDate") == "" {
			rec.Set("endDate", fmt.Sprintf("%d-06-30", y))
		}
	}
	return rec
}

func (x xCourse) course(calendar string) roster.Record {
	return record(roster.Courses, "sourcedId", string(x.RefID), "schoolYearSourcedId", calendar, "title", string(x.CourseTitle),
		"courseCode", string(x.SchoolCourseID), "grades", join(x.ApplicableEducationLevels.Levels), "orgSourcedId", string(x.SchoolRefID),
		"subjects", string(x.Subject))
}

// class maps a roster; term stands in for a roster that names no calendar.
func (x xRoster) class(term string) roster.Record {
	if x.SchoolCalendarRefID != "" {
		term = string(x.SchoolCalendarRefID)
	}
	title := string(x.CourseTitle)
	switch {
	case title == "":
		title = string(x.SchoolSectionID)
	case x.SchoolSectionID != "":
		title += " (" + string(x.SchoolSectionID) + ")"
	}
	return record(roster.Classes, "sourcedId", string(x.RefID), "title", title, "courseSourcedId", string(x.CourseRefID),
		"classCode", string(x.SchoolSectionID), "classType", "scheduled", "schoolSourcedId", string(x.SchoolRefID),
		"termSourcedIds", term, "subjects", string(x.Subject))
}

// enrollments lists the roster's people, each once: the primary teacher, other staff, then students.
func (x xRoster) enrollments() []roster.Record {
	var out []roster.Record
	seen := map[text]bool{}
	add := func(id text, role, primary string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, record(roster.Enrollments, "sourcedId", string(x.RefID+"-"+id), "classSourcedId", string(x.RefID),
			"schoolSourcedId", string(x.SchoolRefID), "userSourcedId", string(id), "role", role, "primary", primary))
	}
	add(x.PrimaryStaff.Staff.RefID, "teacher", "true")
	for _, s := range x.OtherStaffs.Staff {
		add(s.Staff.RefID, "teacher", "false")
	}
	for _, s := range x.Students.Refs {
		add(s.RefID, "student", "false")
	}
	return out
}

func (p person) user(org string) roster.Record {
	rec := record(roster.Users, "sourcedId", string(p.RefID), "enabledUser", "true", "username", string(p.AppUserInfo.ApplicationUser.UserID),
		"givenName", string(p.Name.GivenName), "familyName", string(p.Name.FamilyName), "middleName", string(p.Name.MiddleName),
		"identifier", string(p.LocalID), "userMasterIdentifier", string(p.StateProvinceID), "primaryOrgSourcedId", org)
	if len(p.Email) > 0 {
		rec.Set("email", string(p.Email[0].EmailAddress))
	}
	return rec
}

// roles is the user's primary role at org, or none when the object names no org.
func roles(userID text, org, role string) []roster.Record {
	if org == "" {
		return nil
	}
	return []roster.Record{record(roster.Roles, "sourcedId", roleID(userID), "userSourcedId", string(userID),
		"roleType", "primary", "role", role, "orgSourcedId", org)}
}

func roleID(userID text) string { return "role-" + string(userID) }

func orgOf(school, lea text) string {
	if school != "" {
		return string(school)
	}
	return string(lea)
}

func (x xStaff) records() (roster.Record, []roster.Record) {
	org := orgOf(x.PrimaryAssignment.SchoolRefID, x.PrimaryAssignment.LeaRefID)
	return x.user(org), roles(x.RefID, org, staffRole(string(x.PrimaryAssignment.JobFunction), x.PrimaryAssignment.SchoolRefID != ""))
}

// staffRole reads a job function as a OneRoster role; one it cannot place is kept as a proprietary value.
func staffRole(job string, atSchool bool) string {
	switch f := strings.ToLower(job); {
	case f == "" || strings.Contains(f, "teach"):
		return "teacher"
	case strings.Contains(f, "principal"):
		return "principal"
	case strings.Contains(f, "counsel"):
		return "counselor"
	case strings.Contains(f, "aide") || strings.Contains(f, "para"):
		return "aide"
	case strings.Contains(f, "admin") && atSchool:
		return "siteAdministrator"
	case strings.Contains(f, "admin"):
		return "districtAdministrator"
	}
	return "ext:" + job
}

func (x xStudent) org() string { return orgOf(x.Enrollment.SchoolRefID, x.Enrollment.LeaRefID) }

func (x xStudent) records() (roster.Record, []roster.Record) {
	user := x.user(x.org())
	user.Set("grades", string(x.Enrollment.GradeLevel))
	user.Set("agentSourcedIds", join(x.StudentContacts.IDs))
	derived := roles(x.RefID, x.org(), "student")
	if x.BirthDate != "" || x.Sex != "" {
		derived = append(derived, record(roster.Demographics, "sourcedId", string(x.RefID), "birthDate", string(x.BirthDate), "sex", sex(string(x.Sex))))
	}
	return user, derived
}

func sex(v string) string {
	switch strings.ToLower(v) {
	case "":
		return ""
	case "m", "male":
		return "male"
	case "f", "female":
		return "female"
	case "x", "other", "nonbinary", "non-binary":
		return "other"
	}
	return "unspecified"
}

// records maps a contact related to at least one staged student; staged gives each staged student's org.
func (x xContact) records(staged map[string]string) (roster.Record, []roster.Record, bool) {
	var students []string
	var org, role string
	for _, r := range x.Relationships.List {
		studentOrg, ok := staged[string(r.StudentRefID)]
		if !ok {
			continue
		}
		students = append(students, string(r.StudentRefID))
		if role == "" {
			org, role = studentOrg, contactRole(string(r.RelationshipCode))
		}
	}
	if len(students) == 0 {
		return roster.Record{}, nil, false
	}
	user := x.user(org)
	user.Set("agentSourcedIds", strings.Join(students, ","))
	if len(x.PhoneNumber) > 0 {
		user.Set("phone", string(x.PhoneNumber[0].Number))
	}
	return user, roles(x.RefID, org, role), true
}

func contactRole(code string) string {
	switch strings.ToLower(strings.ReplaceAll(code, " ", "")) {
	case "mother", "father", "parent", "stepmother", "stepfather", "stepparent":
		return "parent"
	case "grandmother", "grandfather", "grandparent", "aunt", "uncle", "sibling", "brother", "sister", "relative":
		return "relative"
	}
	return "guardian"
}
