package roster

// Kind says how a column's value is written and checked.
type Kind int

const (
	Text     Kind = iota
	Enum          // one of Column.Choices, or a proprietary "ext:" value
	Date          // YYYY-MM-DD
	DateTime      // YYYY-MM-DDTHH:MM:SS.sssZ
	Year          // YYYY
	Bool          // true | false
	List          // comma-separated values
	Ref           // the sourcedId of a record of Column.Target
	RefList       // comma-separated sourcedIds of records of Column.Target
)

// Column describes one column of an entity in the 1.2 model.
type Column struct {
	Name     string
	Kind     Kind
	Required bool
	Choices  []string // for Enum
	Target   Entity   // for Ref and RefList
}

// EntitySchema is the ordered column list of one entity in the 1.2 model.
type EntitySchema struct {
	Entity  Entity
	Columns []Column
	index   map[string]int
}

// Index returns the position of the named column, or -1.
func (s *EntitySchema) Index(name string) int {
	if i, ok := s.index[name]; ok {
		return i
	}
	return -1
}

// Names returns the column names in order.
func (s *EntitySchema) Names() []string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	return names
}

// Schema returns the 1.2 schema of entity e; it panics on an unknown entity.
func Schema(e Entity) *EntitySchema {
	s, ok := schemas[e]
	if !ok {
		panic("roster: unknown entity " + string(e))
	}
	return s
}

// Enumerations from the OneRoster 1.1 and 1.2 CSV bindings.
var (
	OrgTypes           = []string{"department", "school", "district", "local", "state", "national"}
	SessionTypes       = []string{"gradingPeriod", "semester", "schoolYear", "term"}
	ClassTypes         = []string{"homeroom", "scheduled"}
	EnrollmentRoles    = []string{"administrator", "proctor", "student", "teacher"}
	RoleTypes          = []string{"primary", "secondary"}
	UserRoles          = []string{"aide", "counselor", "districtAdministrator", "guardian", "parent", "principal", "proctor", "relative", "siteAdministrator", "student", "systemAdministrator", "teacher"}
	Sexes              = []string{"male", "female", "unspecified", "other"}
	StatusValues       = []string{"active", "tobedeleted"}
	BoolValues         = []string{"true", "false"}
	PublicSchoolStatus = []string{"01652", "01653", "01654", "01655", "01656", "01657", "03503", "03504"}
)

func col(name string, k Kind) Column { return Column{Name: name, Kind: k} }
func req(name string, k Kind) Column { return Column{Name: name, Kind: k, Required: true} }
func enum(name string, required bool, choices []string) Column {
	return Column{Name: name, Kind: Enum, Required: required, Choices: choices}
}
func ref(name string, required bool, target Entity) Column {
	return Column{Name: name, Kind: Ref, Required: required, Target: target}
}
func refs(name string, required bool, target Entity) Column {
	return Column{Name: name, Kind: RefList, Required: required, Target: target}
}

// head is the three columns every entity starts with.
var head = []Column{req("sourcedId", Text), enum("status", false, StatusValues), col("dateLastModified", DateTime)}

var schemas = map[Entity]*EntitySchema{}

func define(e Entity, cols ...Column) {
	s := &EntitySchema{Entity: e, Columns: append(append([]Column{}, head...), cols...), index: map[string]int{}}
	for i, c := range s.Columns {
		s.index[c.Name] = i
	}
	schemas[e] = s
}

func init() {
	define(Orgs, req("name", Text), enum("type", true, OrgTypes), col("identifier", Text), ref("parentSourcedId", false, Orgs))
	define(AcademicSessions, req("title", Text), enum("type", true, SessionTypes), req("startDate", Date), req("endDate", Date),
		ref("parentSourcedId", false, AcademicSessions), req("schoolYear", Year))
	define(Courses, ref("schoolYearSourcedId", false, AcademicSessions), req("title", Text), col("courseCode", Text), col("grades", List),
		ref("orgSourcedId", true, Orgs), col("subjects", List), col("subjectCodes", List))
	define(Classes, req("title", Text), col("grades", List), ref("courseSourcedId", true, Courses), col("classCode", Text),
		enum("classType", true, ClassTypes), col("location", Text), ref("schoolSourcedId", true, Orgs),
		refs("termSourcedIds", true, AcademicSessions), col("subjects", List), col("subjectCodes", List), col("periods", List))
	define(Users, req("enabledUser", Bool), col("username", Text), col("userIds", List), req("givenName", Text), req("familyName", Text),
		col("middleName", Text), col("identifier", Text), col("email", Text), col("sms", Text), col("phone", Text),
		refs("agentSourcedIds", false, Users), col("grades", List), col("password", Text), col("userMasterIdentifier", Text),
		col("preferredGivenName", Text), col("preferredMiddleName", Text), col("preferredFamilyName", Text),
		ref("primaryOrgSourcedId", false, Orgs), col("pronouns", Text))
	define(Roles, ref("userSourcedId", true, Users), enum("roleType", true, RoleTypes), enum("role", true, UserRoles),
		col("beginDate", Date), col("endDate", Date), ref("orgSourcedId", true, Orgs), col("userProfileSourcedId", Text))
	define(Enrollments, ref("classSourcedId", true, Classes), ref("schoolSourcedId", true, Orgs), ref("userSourcedId", true, Users),
		enum("role", true, EnrollmentRoles), col("primary", Bool), col("beginDate", Date), col("endDate", Date))
	define(Demographics, col("birthDate", Date), enum("sex", false, Sexes),
		col("americanIndianOrAlaskaNative", Bool), col("asian", Bool), col("blackOrAfricanAmerican", Bool),
		col("nativeHawaiianOrOtherPacificIslander", Bool), col("white", Bool), col("demographicRaceTwoOrMoreRaces", Bool),
		col("hispanicOrLatinoEthnicity", Bool), col("countryOfBirthCode", Text), col("stateOfBirthAbbreviation", Text),
		col("cityOfBirth", Text), enum("publicSchoolResidenceStatus", false, PublicSchoolStatus))
}

// Users11Columns is the users.csv header of OneRoster 1.1, which carries orgs and role on the
// user row; in the 1.2 model those become roles records.
var Users11Columns = []string{"sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
	"userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"}

// Header returns the CSV header of entity e in the given OneRoster version ("1.1" or "1.2").
// Roles exist only in 1.2; the 1.1 users header differs from the 1.2 one.
func Header(e Entity, version string) []string {
	if version == "1.1" {
		switch e {
		case Users:
			return Users11Columns
		case Roles:
			return nil
		case Demographics, Orgs, AcademicSessions, Courses, Classes, Enrollments:
			// 1.1 and 1.2 share these headers.
		}
	}
	return Schema(e).Names()
}
