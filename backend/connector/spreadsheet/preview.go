package spreadsheet

import (
	"io"
	"strings"
	"unicode"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// SheetPreview is the top of a sheet, shown while the user chooses the sheet, header row and mapping.
type SheetPreview struct {
	Sheets  []string   `json:"sheets"`  // the workbook's sheets; empty for a CSV file
	Sheet   string     `json:"sheet"`   // the sheet shown; blank for a CSV file
	Headers []string   `json:"headers"` // the header row
	Rows    [][]string `json:"rows"`    // the first non-empty rows below it as the spreadsheet shows them, each as wide as Headers
	Note    string     `json:"note"`    // says when the file's name promises a workbook and it holds text, or the reverse
}

// Fields lists the roster fields a column of an entity's sheet (users, classes or orgs) can fill.
func Fields(entity string) []string { return fieldNames(fields(roster.Entity(entity))) }

// Preview reads the header row and up to rows rows below it from a sheet (the first one when sheet
// is blank) of a workbook, or from a CSV file.
func Preview(path, sheet string, headerRow, rows int) (SheetPreview, error) {
	headerRow = max(headerRow, 1)
	t, err := openTable(path, sheet, headerRow)
	if err != nil {
		return SheetPreview{}, err
	}
	defer t.Close()
	p := SheetPreview{Sheets: t.sheets, Sheet: t.sheet, Rows: [][]string{}, Note: t.note}
	if p.Headers, err = readHeader(t, headerRow); err != nil {
		return SheetPreview{}, err
	}
	for len(p.Rows) < rows {
		shown, _, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return SheetPreview{}, err
		}
		if blank(shown) {
			continue
		}
		r := make([]string, len(p.Headers))
		copy(r, shown)
		p.Rows = append(p.Rows, r)
	}
	return p, nil
}

// synonyms are headers common in school spreadsheets for each roster field, in the key form.
var synonyms = map[roster.Entity]map[string][]string{
	roster.Users: {
		"sourcedId":           {"studentid", "staffid", "teacherid", "personid", "userid", "id"},
		"givenName":           {"firstname", "first", "forename"},
		"familyName":          {"lastname", "last", "surname"},
		"middleName":          {"middle"},
		"email":               {"emailaddress", "mail"},
		"grades":              {"grade", "gradelevel"},
		"primaryOrgSourcedId": {"schoolid", "schoolcode", "school"},
		"username":            {"login", "loginid"},
		"phone":               {"phonenumber", "telephone"},
		"birthDate":           {"dateofbirth", "dob", "birthday"},
		"sex":                 {"gender"},
	},
	roster.Classes: {
		"sourcedId":       {"classid", "sectionid", "id"},
		"title":           {"classname", "class", "sectionname", "name"},
		"classCode":       {"sectioncode", "code"},
		"courseSourcedId": {"courseid", "coursecode", "course"},
		"schoolSourcedId": {"schoolid", "schoolcode", "school"},
		"termSourcedIds":  {"termid", "term", "terms"},
		"grades":          {"grade", "gradelevel"},
		"periods":         {"period"},
	},
	roster.Orgs: {
		"sourcedId":       {"schoolid", "orgid", "id"},
		"name":            {"schoolname", "orgname", "school"},
		"type":            {"orgtype"},
		"identifier":      {"schoolcode", "code", "ncesid"},
		"parentSourcedId": {"districtid", "parentid", "parent", "district"},
	},
}

// key reduces a header to what matters when matching: letters and digits, in lower case, so
// "First Name", "first_name" and "FIRSTNAME" agree.
func key(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// SuggestColumns guesses the mapping of headers (header → roster field) for an entity (users,
// classes or orgs): a header spelling a field's name wins over a common synonym, and each field and
// header is used once. Headers it cannot place are left out.
func SuggestColumns(entity string, headers []string) map[string]string {
	out := map[string]string{}
	e := roster.Entity(entity)
	if _, ok := nouns[e]; !ok {
		return out
	}
	taken := map[string]bool{}
	suggest := func(h, f string) {
		if _, used := out[h]; !used && !taken[f] {
			out[h], taken[f] = f, true
		}
	}
	for _, f := range fields(e) {
		for _, h := range headers {
			if key(h) == key(f.col.Name) {
				suggest(h, f.col.Name)
			}
		}
	}
	for _, f := range fields(e) {
		for _, syn := range synonyms[e][f.col.Name] {
			for _, h := range headers {
				if key(h) == syn {
					suggest(h, f.col.Name)
				}
			}
		}
	}
	return out
}
