package spreadsheet

import (
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

func column(e roster.Entity, name string) roster.Column {
	return roster.Schema(e).Columns[roster.Schema(e).Index(name)]
}

func TestValues(t *testing.T) {
	id, ref := column(roster.Users, "sourcedId"), column(roster.Users, "primaryOrgSourcedId")
	name, phone := column(roster.Users, "givenName"), column(roster.Users, "phone")
	grades, agents := column(roster.Users, "grades"), column(roster.Users, "agentSourcedIds")
	birth, sex := column(roster.Demographics, "birthDate"), column(roster.Demographics, "sex")
	enabled, orgType := column(roster.Users, "enabledUser"), column(roster.Orgs, "type")
	text := func(v string) cell { return cell{shown: v} }
	tests := []struct {
		col     roster.Column
		cell    cell
		want    string
		wantErr string
	}{
		{id, text(" 12345.0 "), "12345", ""},
		{id, text("1.0E+5"), "100000", ""},
		{id, text("1.5e3"), "1500", ""},
		{id, text("000123"), "000123", ""},
		{id, text("12.5"), "12.5", ""},
		{id, text("A-1.0"), "A-1.0", ""},
		{id, text("1.23457E+11"), "", "Excel shortened"},
		{ref, text("42.00"), "42", ""},
		{id, cell{shown: "1.23E+11", raw: "123456789012", workbook: true}, "123456789012", ""},
		{id, cell{shown: "00123", raw: "123", workbook: true}, "00123", ""},
		{id, cell{shown: "1,234", raw: "1234", workbook: true}, "1234", ""},
		{phone, text("5551234567.0"), "5551234567.0", ""}, // not an ID: kept as written
		{name, text("  Ana "), "Ana", ""},
		{name, text("   "), "", ""},
		{name, text("An\x00a"), "", "holds a NUL character"},
		{id, text("1001\x00"), "", "holds a NUL character"},
		{grades, text("3; 4,KG"), "03,04,KG", ""},
		{grades, text("13.0"), "13", ""},
		{agents, text("7.0, 8"), "7,8", ""},
		{enabled, text("Yes"), "true", ""},
		{enabled, text("x"), "true", ""},
		{enabled, text("FALSE"), "false", ""},
		{enabled, text("maybe"), "", "is not yes or no"},
		{orgType, text("School"), "school", ""},
		{orgType, text("ext:campus"), "ext:campus", ""},
		{orgType, text("campus"), "", "use one of department, school, district"},
		{sex, text("F"), "female", ""},
		{birth, text("2010-01-05"), "2010-01-05", ""},
		{birth, text("2010-01-05T00:00:00Z"), "2010-01-05", ""},
		{birth, text("2010/1/5"), "2010-01-05", ""},
		{birth, text("25/12/2010"), "2010-12-25", ""},
		{birth, text("12/25/2010"), "2010-12-25", ""},
		{birth, text("05.05.2010"), "2010-05-05", ""},
		{birth, text("01/05/2010"), "", "could be day/month or month/day"},
		{birth, text("1/5/10"), "", "no four-digit year"},
		{birth, text("2010-02-30"), "", "not a real date"},
		{birth, text("soon"), "", "is not a date"},
		{birth, cell{shown: "05/01/2010", raw: "40183", workbook: true}, "2010-01-05", ""},
		{birth, cell{shown: "0", raw: "0", workbook: true}, "", "is not a date"},
		{birth, cell{shown: "1/1/2010", raw: "1/1/2010", workbook: true}, "2010-01-01", ""},
		{birth, cell{shown: "2010-01-05", raw: "2010-01-05T00:00:00Z", workbook: true}, "2010-01-05", ""},
	}
	for _, tt := range tests {
		got, err := value(tt.col, tt.cell)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s %+v: want an error containing %q, got %q, %v", tt.col.Name, tt.cell, tt.wantErr, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s %+v: got %q, %v; want %q", tt.col.Name, tt.cell, got, err, tt.want)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	for _, tt := range []struct {
		head      string
		headerRow int
		want      rune
	}{
		{"a,b;c,d\n", 1, ','},
		{"a;b;c\n", 1, ';'},
		{"a\tb\tc\n", 1, '\t'},
		{"\"a;b\",c\n", 1, ','},
		{"Class list, 2026\nID;First;Last\n", 2, ';'},
		{"single\n", 1, ','},
	} {
		if got := sniffDelimiter([]byte(tt.head), tt.headerRow); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.head, got, tt.want)
		}
	}
}
