// Package spreadsheet is the spreadsheet connection kind: an ad hoc list of people, classes or
// organizations in an .xlsx workbook or a CSV file, whatever program saved it (Excel, LibreOffice,
// Google Sheets), with a mapping from its column headers to roster fields. Fetching turns it into a
// OneRoster 1.2 package, so it goes through the same review, selection and duplicate search as a
// SIS export.
package spreadsheet

import (
	"bufio"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/oneroster"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Kind is the spreadsheet declaration.
func Kind() connector.Kind {
	return connector.Kind{
		Name:  "spreadsheet",
		Label: "Spreadsheet (Excel or CSV)",
		Roles: []string{connector.RoleSource},
		Options: []connector.Option{
			{Key: "path", Label: "Spreadsheet file", Type: connector.TypePath, Required: true,
				Help: "An .xlsx workbook or a .csv file, as saved by Excel, LibreOffice or Google Sheets."},
			{Key: "sheet", Label: "Sheet", Type: connector.TypeText,
				Help: "The sheet of a workbook to read; blank reads the first sheet. Not used for CSV files."},
			{Key: "headerRow", Label: "Header row", Type: connector.TypeNumber, Default: "1",
				Help: "The row holding the column names, as numbered in the spreadsheet; the rows below it are read."},
			{Key: "entity", Label: "Each row is", Type: connector.TypeChoice, Default: string(roster.Users),
				Choices: []string{string(roster.Users), string(roster.Classes), string(roster.Orgs)},
				Help:    "users: one person per row; classes: one class per row; orgs: one school or other organization per row."},
			{Key: "columns", Label: "Column mapping", Type: connector.TypeColumns, Required: true,
				Help: `Which roster field each column fills, as JSON: {"Student ID": "sourcedId", "First Name": "givenName"}. One column must fill sourcedId. For people, demographics fields such as birthDate and sex may be mapped too.`},
		},
		Check: func(_ string, s map[string]string) error {
			cfg, err := parseSettings(s)
			if err != nil {
				return err
			}
			info, err := os.Stat(cfg.path)
			if err != nil || info.IsDir() {
				return apperr.New(apperr.CodeInvalid, fmt.Sprintf("Rosterdesk cannot find the file %s. Check the path, or use Browse to pick it.", cfg.path))
			}
			f, _, err := sniff(cfg.path)
			if err != nil {
				return err
			}
			return f.Close()
		},
		NewSource: func(s, _ map[string]string) (connector.Source, error) {
			cfg, err := parseSettings(s)
			if err != nil {
				return nil, err
			}
			return source{cfg}, nil
		},
	}
}

// config is the settings of a connection, checked.
type config struct {
	path      string
	sheet     string
	headerRow int
	entity    roster.Entity
	columns   map[string]string // spreadsheet header → roster field
}

// nouns name what a row of each entity is, in the plural and singular.
var nouns = map[roster.Entity][2]string{
	roster.Users:   {"people", "person"},
	roster.Classes: {"classes", "class"},
	roster.Orgs:    {"organizations", "organization"},
}

// defaults fill required fields the spreadsheet leaves blank or unmapped, where one value is right
// for nearly every ad hoc list.
var defaults = map[roster.Entity]map[string]string{
	roster.Users:   {"enabledUser": "true"},
	roster.Classes: {"classType": "scheduled"},
	roster.Orgs:    {"type": "school"},
}

// field is a roster column a spreadsheet column can fill.
type field struct {
	entity roster.Entity
	col    roster.Column
}

// fields lists what a spreadsheet can fill for an entity: its columns but status and
// dateLastModified (a spreadsheet is staged as a complete file, where both stay blank). People also
// get the demographics columns (birthDate, sex, …): OneRoster keeps them in a demographics record
// with the person's sourcedId.
func fields(e roster.Entity) []field {
	cols := roster.Schema(e).Columns
	out := []field{{e, cols[0]}}
	for _, c := range cols[3:] {
		out = append(out, field{e, c})
	}
	if e == roster.Users {
		for _, c := range roster.Schema(roster.Demographics).Columns[3:] {
			out = append(out, field{roster.Demographics, c})
		}
	}
	return out
}

func fieldNames(fs []field) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.col.Name
	}
	return names
}

func parseSettings(s map[string]string) (config, error) {
	cfg := config{path: s["path"], sheet: s["sheet"], headerRow: 1, entity: roster.Entity(s["entity"])}
	if cfg.entity == "" {
		cfg.entity = roster.Users
	}
	if _, ok := nouns[cfg.entity]; !ok {
		return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The setting entity must be users, classes or orgs, not %q.", cfg.entity))
	}
	if h := s["headerRow"]; h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 1 {
			return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The header row must be a row number (1 for the first row), not %q.", h))
		}
		cfg.headerRow = n
	}
	if err := json.Unmarshal([]byte(s["columns"]), &cfg.columns); err != nil {
		return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf(`The column mapping is not valid JSON (%v). Write it as {"Student ID": "sourcedId", "First Name": "givenName"}.`, err))
	}
	noun := nouns[cfg.entity]
	valid := fields(cfg.entity)
	byName := map[string]bool{}
	for _, f := range valid {
		byName[f.col.Name] = true
	}
	headers := make([]string, 0, len(cfg.columns))
	for h, target := range cfg.columns {
		if target == "" { // the UI sends every column, unmapped ones blank
			delete(cfg.columns, h)
			continue
		}
		headers = append(headers, h)
	}
	sort.Strings(headers)
	mappedFrom := map[string]string{}
	for _, h := range headers {
		target := cfg.columns[h]
		if !byName[target] {
			return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The column %q is mapped to %q, which is not a field of %s. Use one of: %s.", h, target, noun[0], strings.Join(fieldNames(valid), ", ")))
		}
		if other, dup := mappedFrom[target]; dup {
			return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf("The columns %q and %q are both mapped to %s; map only one of them.", other, h, target))
		}
		mappedFrom[target] = h
	}
	if mappedFrom["sourcedId"] == "" {
		return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Map a column to sourcedId: every %s needs an ID that stays the same from one file to the next.", noun[1]))
	}
	var missing []string
	for _, f := range valid {
		if f.entity == cfg.entity && f.col.Required && mappedFrom[f.col.Name] == "" && defaults[cfg.entity][f.col.Name] == "" {
			missing = append(missing, f.col.Name)
		}
	}
	if len(missing) > 0 {
		return cfg, apperr.New(apperr.CodeInvalid, fmt.Sprintf("Map columns to %s too: OneRoster needs them for every %s.", strings.Join(missing, ", "), noun[1]))
	}
	return cfg, nil
}

type source struct{ cfg config }

var _ connector.Source = source{}

// Problem is a cell that cannot be read, located as the user finds it in the spreadsheet program.
type Problem struct {
	File    string `json:"file"`
	Sheet   string `json:"sheet,omitempty"` // blank for a CSV file
	Row     int    `json:"row"`             // 1-based, the header row included
	Column  string `json:"column"`          // the column's header
	Message string `json:"message"`
}

func (p Problem) String() string {
	where := p.File
	if p.Sheet != "" {
		where += ", sheet " + p.Sheet
	}
	return fmt.Sprintf("%s, row %d, column %q: %s.", where, p.Row, p.Column, p.Message)
}

// maxProblems bounds the problems kept, so a wrong mapping over 50,000 rows gives a readable message.
const maxProblems = 50

// scanned is what reading a sheet found.
type scanned struct {
	in       string // the sheet and file, for sentences
	note     string // the table's note on a misleading file name
	rows     int    // non-empty rows below the header
	problems []Problem
	bad      int // problems in all, kept or not
}

// converted is one spreadsheet row as roster records.
type converted struct {
	rec  roster.Record // of the connection's entity
	demo roster.Record // a person's demographics; Values is nil when the row has none
}

// binding is a spreadsheet column feeding a roster field.
type binding struct {
	at     int
	header string
	field  field
}

// progressEvery is how many rows pass between progress reports and cancellation checks.
const progressEvery = 256

// scan reads the sheet and passes each non-empty row that converts cleanly to fn (when not nil);
// the others become problems. Stage and Test read through it, so both judge rows the same way.
func (s source) scan(ctx context.Context, rep events.Reporter, stage string, fn func(converted) error) (*scanned, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := openTable(s.cfg.path, s.cfg.sheet, s.cfg.headerRow)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	header, err := readHeader(t, s.cfg.headerRow)
	if err != nil {
		return nil, err
	}
	binds, err := s.bind(t, header)
	if err != nil {
		return nil, err
	}
	res := &scanned{in: t.in(), note: t.note}
	idHeader := s.cfg.headerFor("sourcedId", binds)
	seen := map[string]int{} // sourcedId → row
	for read := 1; ; read++ {
		shown, raw, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if read%progressEvery == 0 { // counting blank rows too: a sheet may hold a million formatted, empty ones
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rep.Report(events.Progress{Stage: stage, Done: int64(res.rows), Unit: "records"})
		}
		if blank(shown) {
			continue
		}
		res.rows++
		r, probs := s.convert(t, binds, shown, raw)
		if id := r.rec.SourcedID(); id != "" && len(probs) == 0 {
			if first, dup := seen[id]; dup {
				probs = append(probs, t.problem(idHeader, fmt.Sprintf("the ID %q is also in row %d; every %s needs its own", id, first, nouns[s.cfg.entity][1])))
			} else {
				seen[id] = t.row
			}
		}
		if len(probs) > 0 {
			res.bad += len(probs)
			res.problems = append(res.problems, probs[:min(len(probs), maxProblems-len(res.problems))]...)
			continue
		}
		if fn != nil {
			if err := fn(r); err != nil {
				return nil, err
			}
		}
	}
	rep.Report(events.Progress{Stage: stage, Done: int64(res.rows), Total: int64(res.rows), Unit: "records"})
	if res.rows == 0 {
		return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("There are no rows of %s below the header row (row %d) in %s. Check the sheet and header row settings.", nouns[s.cfg.entity][0], s.cfg.headerRow, res.in))
	}
	return res, nil
}

// readHeader reads up to the header row and returns its cells, trimmed, without blank cells at the end.
func readHeader(t *table, headerRow int) ([]string, error) {
	for {
		shown, _, err := t.Next()
		if err == io.EOF {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("%s has %d rows, so row %d cannot be the header row. Set the header row to the row holding the column names.", t.in(), t.row, headerRow))
		}
		if err != nil {
			return nil, err
		}
		if t.row < headerRow {
			continue
		}
		if t.row > headerRow { // a CSV file skips blank lines
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Row %d of %s is empty. Set the header row to the row holding the column names.", headerRow, t.in()))
		}
		header := make([]string, len(shown))
		for i, h := range shown {
			header[i] = strings.TrimSpace(h)
		}
		for len(header) > 0 && header[len(header)-1] == "" {
			header = header[:len(header)-1]
		}
		if len(header) == 0 {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("Row %d of %s is empty. Set the header row to the row holding the column names.", headerRow, t.in()))
		}
		return header, nil
	}
}

// sameHeader compares headers as a person reads them: case and runs of spaces do not matter.
func sameHeader(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// bind finds each mapped column in the header row.
func (s source) bind(t *table, header []string) ([]binding, error) {
	targets := map[string]field{}
	for _, f := range fields(s.cfg.entity) {
		targets[f.col.Name] = f
	}
	mapped := make([]string, 0, len(s.cfg.columns))
	for h := range s.cfg.columns {
		mapped = append(mapped, h)
	}
	sort.Strings(mapped)
	var binds []binding
	for _, h := range mapped {
		at := -1
		for i, cell := range header {
			if !sameHeader(cell, h) {
				continue
			}
			if at >= 0 {
				return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The header row (row %d) of %s has two columns named %q; rename one of them.", s.cfg.headerRow, t.in(), h))
			}
			at = i
		}
		if at < 0 {
			return nil, apperr.New(apperr.CodeBadInput, fmt.Sprintf("The column %q (mapped to %s) is not in the header row (row %d) of %s. The headers found there: %s. Check the header row setting, or update the column mapping.",
				h, s.cfg.columns[h], s.cfg.headerRow, t.in(), strings.Join(nonBlank(header), ", ")))
		}
		binds = append(binds, binding{at: at, header: header[at], field: targets[s.cfg.columns[h]]})
	}
	return binds, nil
}

func (c config) headerFor(target string, binds []binding) string {
	for _, b := range binds {
		if b.field.col.Name == target && b.field.entity == c.entity {
			return b.header
		}
	}
	return ""
}

func nonBlank(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func at(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func (t *table) problem(header, msg string) Problem {
	return Problem{File: t.file, Sheet: t.sheet, Row: t.row, Column: header, Message: msg}
}

// convert turns one row into records, or into the problems of its cells.
func (s source) convert(t *table, binds []binding, shown, raw []string) (converted, []Problem) {
	e := s.cfg.entity
	r := converted{rec: roster.NewRecord(e)}
	var probs []Problem
	for _, b := range binds {
		v, err := value(b.field.col, cell{shown: at(shown, b.at), raw: at(raw, b.at), workbook: t.sheet != "", date1904: t.date1904})
		if err != nil {
			probs = append(probs, t.problem(b.header, err.Error()))
			continue
		}
		if v == "" {
			if v = defaults[e][b.field.col.Name]; v == "" && b.field.col.Required {
				probs = append(probs, t.problem(b.header, fmt.Sprintf("blank, but every %s needs a %s", nouns[e][1], b.field.col.Name)))
			}
		}
		if b.field.entity == e {
			r.rec.Set(b.field.col.Name, v)
			continue
		}
		if v != "" {
			if r.demo.Values == nil {
				r.demo = roster.NewRecord(roster.Demographics)
			}
			r.demo.Set(b.field.col.Name, v)
		}
	}
	for name, v := range defaults[e] {
		if r.rec.Get(name) == "" {
			r.rec.Set(name, v)
		}
	}
	if r.demo.Values != nil {
		r.demo.Set("sourcedId", r.rec.SourcedID())
	}
	return r, probs
}

// Stage writes the rows as a OneRoster 1.2 package of complete (bulk) files, named after the
// spreadsheet. Any bad cell stops it, so a fetch never takes a list with rows silently left out.
func (s source) Stage(ctx context.Context, dir string, _ connector.Pull, rep events.Reporter) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	base := filepath.Base(s.cfg.path)
	out := filepath.Join(dir, strings.TrimSuffix(base, filepath.Ext(base))+".zip")
	f, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if err := s.write(ctx, f, dir, base, rep); err != nil {
		f.Close()
		os.Remove(out)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(out)
		return "", err
	}
	return out, nil
}

func (s source) write(ctx context.Context, f io.Writer, dir, base string, rep events.Reporter) error {
	w, err := oneroster.NewWriter(f, oneroster.WriteOptions{Version: "1.2", SystemName: "Spreadsheet " + base, SystemCode: "spreadsheet"})
	if err != nil {
		return err
	}
	// Demographics come after every user in a OneRoster package: they wait in a file beside it, so
	// that the sheet is read once (a million rows take a minute) and never held in memory.
	held, err := os.CreateTemp(dir, "demographics-*")
	if err != nil {
		return err
	}
	defer func() {
		held.Close()
		os.Remove(held.Name())
	}()
	buf := bufio.NewWriter(held)
	enc := gob.NewEncoder(buf)
	demographics := 0
	res, err := s.scan(ctx, rep, "reading", func(r converted) error {
		if r.demo.Values != nil {
			demographics++
			if err := enc.Encode(r.demo.Values); err != nil {
				return err
			}
		}
		return w.Write(r.rec)
	})
	if err != nil {
		return err
	}
	if res.bad > 0 {
		return problemsError(res)
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	if _, err := held.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := gob.NewDecoder(bufio.NewReader(held))
	for range demographics {
		var values []string
		if err := dec.Decode(&values); err != nil {
			return err
		}
		if err := w.Write(roster.Record{Entity: roster.Demographics, Values: values}); err != nil {
			return err
		}
	}
	return w.Close()
}

// problemsError says which cells to fix, the first few in full; Details carries the kept ones.
func problemsError(res *scanned) error {
	const listed = 10
	msg := res.problems[0].String() + " Fix it in the spreadsheet and fetch again; nothing was fetched."
	if res.bad > 1 {
		lines := make([]string, 0, listed+1)
		for _, p := range res.problems[:min(len(res.problems), listed)] {
			lines = append(lines, p.String())
		}
		if res.bad > listed {
			lines = append(lines, fmt.Sprintf("…and %d more.", res.bad-listed))
		}
		msg = fmt.Sprintf("%d cells in %s need fixing before it can be fetched; nothing was fetched.\n%s", res.bad, res.in, strings.Join(lines, "\n"))
	}
	return &apperr.Error{Code: apperr.CodeBadInput, Message: msg, Details: res.problems}
}

// Test reads the whole sheet as a fetch would, without writing anything.
func (s source) Test(ctx context.Context) (string, error) {
	res, err := s.scan(ctx, events.Discard, "testing", nil)
	if err != nil {
		return "", err
	}
	msg := fmt.Sprintf("Found %s of %s in %s.", count(res.rows, "row"), nouns[s.cfg.entity][0], res.in)
	if res.bad > 0 {
		msg = fmt.Sprintf("Found %s of %s in %s, but %s cannot be read; fix them before fetching. The first: %s",
			count(res.rows, "row"), nouns[s.cfg.entity][0], res.in, count(res.bad, "cell"), res.problems[0])
	}
	if res.note != "" {
		msg += " " + res.note
	}
	return msg, nil
}

// count writes n things in words: "1 row", "245 rows".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
