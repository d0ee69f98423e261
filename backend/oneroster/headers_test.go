package oneroster

import (
	"archive/zip"
	"bufio"
	"bytes"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// The header lines of SPEC §2, copied literally: a written package is compared with these, not with
// the implementation's own schema, so a column dropped or moved there fails here.
var specHeaders = map[string]string{
	"manifest.csv":         "propertyName,value",
	"orgs.csv":             "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
	"academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
	"courses.csv":          "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes",
	"classes.csv":          "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
	"enrollments.csv":      "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
	"demographics.csv":     "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
	"roles.csv":            "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId",
}

var specUsers = map[string]string{
	"1.1": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
	"1.2": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns",
}

func TestWrittenHeadersAreTheSpecsLines(t *testing.T) {
	for _, version := range []string{"1.1", "1.2"} {
		var recs []roster.Record
		for _, e := range roster.Entities {
			recs = append(recs, rec(e, "sourcedId", "x1"))
		}
		opts := WriteOptions{Version: version, Roles11: func(string) ([]string, string) { return []string{"o1"}, "student" }}
		data := write(t, opts, recs...)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		written := map[string]bool{}
		for _, f := range zr.File {
			want, ok := specHeaders[f.Name]
			if f.Name == "users.csv" {
				want, ok = specUsers[version], true
			}
			if !ok {
				t.Errorf("%s: %s is not a file of SPEC §2", version, f.Name)
				continue
			}
			if f.Name == "roles.csv" && version == "1.1" {
				t.Errorf("1.1: roles.csv is a 1.2 file")
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(rc).ReadString('\n')
			rc.Close()
			if err != nil {
				t.Fatalf("%s %s: %v", version, f.Name, err)
			}
			if got := line[:len(line)-len("\n")]; got != want && got != want+"\r" {
				t.Errorf("%s %s header\n got %s\nwant %s", version, f.Name, got, want)
			}
			written[f.Name] = true
		}
		for _, name := range []string{"manifest.csv", "orgs.csv", "users.csv", "enrollments.csv", "demographics.csv"} {
			if !written[name] {
				t.Errorf("%s: %s was not written", version, name)
			}
		}
	}
}
