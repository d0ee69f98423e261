package oneroster

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// referenced are the entities other records point at; their ids are kept while reading so dangling
// references can be reported. Enrollment, role and demographic ids are never kept past their file.
var referenced = map[roster.Entity]bool{roster.Orgs: true, roster.AcademicSessions: true, roster.Courses: true, roster.Classes: true, roster.Users: true}

// Read streams every file of the package in roster.Entities order and calls fn once per valid record.
// progress, when not nil, receives the uncompressed bytes read so far. Row problems become findings
// (an error skips the record); problems with a whole file stop the read with an *Error. When fn stops
// the read with an error, the report so far comes back with it.
func (p *Package) Read(ctx context.Context, fn func(roster.Record) error, progress func(bytes int64)) (*Report, error) {
	return p.Visit(ctx, Visitor{Record: fn, Progress: progress})
}

// Visitor receives what Visit finds.
type Visitor struct {
	Record func(roster.Record) error
	// Unread, when not nil, hears of every row that failed to read, in file order with the records
	// (a duplicate sourcedId once the rest of its file is read: see fileIDs).
	Unread func(Unread) error
	// Progress, when not nil, receives the uncompressed bytes read so far.
	Progress func(bytes int64)
	// NoReferences skips the check for references to records the package lacks: a reader that
	// ignores the report's warnings (the selection wizard's shape) saves an eighth of the work.
	NoReferences bool
	// NoDuplicates, with NoReferences, skips the check for a sourcedId repeated in a file: a package
	// read before without a row failing (a fetched snapshot) has none. A fifth of an import's reading.
	NoDuplicates bool
}

// Unread is a row that failed to read. Its record is in the file all the same, so a complete (bulk)
// file must not be taken to say it is gone. SourcedID is blank when even that could not be read.
type Unread struct {
	Entity    roster.Entity
	SourcedID string
	File      string
	Line      int
}

// Visit is Read, telling v also of the rows that failed.
func (p *Package) Visit(ctx context.Context, v Visitor) (*Report, error) {
	rep := &Report{Version: p.version, Source: p.systemName, Modes: map[roster.Entity]Mode{}, Counts: map[roster.Entity]int{}, Failed: map[roster.Entity]int{},
		Findings: []Finding{}, capped: map[findingKey]int{}, perKind: map[findingKey]int{}}
	for _, n := range p.notes {
		rep.add("open", n)
	}
	rd := &reader{pkg: p, rep: rep, v: v, ctx: ctx, hash: idHash(), ids: map[roster.Entity]idSet{},
		found: map[roster.Entity]string{}}
	for _, e := range roster.Entities {
		rep.Modes[e], rep.Counts[e], rep.Failed[e] = p.Mode(e), 0, 0
	}
	// Every header is checked before any row is passed on, so a broken last file fails at once.
	headers := map[roster.Entity]columnMap{}
	for _, e := range roster.Entities {
		if p.Mode(e) == ModeAbsent {
			continue
		}
		cm, err := rd.header(e, p.files[e])
		if err != nil {
			return nil, err
		}
		headers[e] = cm
	}
	for _, e := range roster.Entities {
		if cm, ok := headers[e]; ok && cm.width > 0 {
			if err := rd.file(e, p.files[e], cm); err != nil {
				rep.closeCaps()
				return rep, err
			}
		}
	}
	rd.checkDangling()
	rep.closeCaps()
	return rep, nil
}

type reader struct {
	pkg      *Package
	rep      *Report
	v        Visitor
	ctx      context.Context
	consumed int64 // bytes of finished files
	hash     func(id string) uint64
	ids      map[roster.Entity]idSet  // ids of referenced entities read so far
	found    map[roster.Entity]string // per entity, the id a reference last found in ids
	pending  []pendingRef             // references to check once every file is read
}

// pendingRef is a reference checked at the end, because its target may come later (a parent org
// further down the file, or a user referenced by an agent).
type pendingRef struct {
	file, column, id string
	line             int
	target           roster.Entity
}

// maxPending bounds the references kept for the end-of-read check.
const maxPending = 100000

// columnMap says where each schema column sits in the file's header.
type columnMap struct {
	at       []int    // schema column index → CSV index, -1 when absent
	meta     []int    // CSV indexes of metadata.* columns
	metaName []string // their names without the prefix
	orgs     int      // 1.1 users: orgSourcedIds
	role     int      // 1.1 users: role
	width    int
	names    []string // the header's column names, for messages
}

// counter counts the bytes a file's reader consumed, for progress.
type counter struct {
	r    io.Reader
	n    int64
	last int64
	rd   *reader
}

func (c *counter) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	if c.rd.v.Progress != nil && c.n-c.last >= 64<<10 {
		c.last = c.n
		c.rd.v.Progress(c.rd.consumed + c.n)
	}
	return n, err
}

// header reads and checks the header line of a file; an empty file yields a zero columnMap.
func (rd *reader) header(e roster.Entity, f file) (columnMap, error) {
	rc, err := f.open()
	if err != nil {
		return columnMap{}, &Error{File: f.name, Message: "cannot be read: " + err.Error()}
	}
	defer rc.Close()
	in, crOnly := text(rc, textfile.LineWindow)
	if crOnly {
		rd.warn("cr-only", crFinding(f.name))
	}
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		rd.warn("empty", Finding{File: f.name, Line: 1, Message: "the file is empty (not even a header line)"})
		return columnMap{}, nil
	}
	if err != nil {
		return columnMap{}, rd.fatal(f.name, err)
	}
	return rd.mapHeader(e, f.name, header)
}

func crFinding(name string) Finding {
	return Finding{File: name, Severity: SeverityWarning, Message: "the lines of this file end in CR alone (an old Mac format); read line by line all the same"}
}

// minJudged is the number of rows from which a file where more than half the rows fail is refused
// whole: so many failures mean a wrong or damaged export, and importing the rest could delete or
// change records on a wrong reading. Below it, each failed row is reported and kept as it was.
const minJudged = 10

// headerOnly is the most bytes a file without rows can hold: a header and blank lines. A file
// larger than that which yields no row was misread, and is never taken for an empty file.
const headerOnly = 8 << 10

// file streams the rows of one file whose header was checked.
func (rd *reader) file(e roster.Entity, f file, cols columnMap) error {
	rc, err := f.open()
	if err != nil {
		return &Error{File: f.name, Message: "cannot be read: " + err.Error()}
	}
	defer rc.Close()
	cnt := &counter{r: rc, rd: rd}
	r, err := rd.body(f.name, cnt)
	if err != nil {
		return err
	}
	fr := fileRead{e: e, name: f.name, mode: rd.pkg.Mode(e), cols: cols, users11: e == roster.Users && rd.pkg.version != "1.2"}
	if !rd.v.NoDuplicates || referenced[e] && !rd.v.NoReferences {
		fr.ids = &fileIDs{set: idSet{}}
	}
	var extra, empty LineList
	rows, failed := 0, 0
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rd.fatal(f.name, err)
		}
		line, _ := r.FieldPos(0)
		if err := longValue(f.name, line, cols, row); err != nil {
			return err
		}
		if blank(row) {
			empty.Add(line)
			continue
		}
		rows++
		if rows%512 == 0 {
			if err := rd.ctx.Err(); err != nil {
				return err
			}
		}
		bad, err := rd.take(&fr, line, row, &extra)
		if err != nil {
			return err
		}
		if bad {
			failed++
		}
	}
	if fr.ids != nil && len(fr.ids.suspects) > 0 {
		bad, err := rd.settle(&fr, f)
		if err != nil {
			return err
		}
		failed += bad
	}
	if extra.Len() > 0 {
		rd.warn("trailing", Finding{File: f.name, Message: fmt.Sprintf("%s: the row ends with more values than the header has columns, all of them empty (trailing commas); read without them", extra.String())})
	}
	if empty.Len() > 0 {
		rd.warn("empty-row", Finding{File: f.name, Message: fmt.Sprintf("%s: the row has no values at all; ignored", empty.String())})
	}
	if rows == 0 && r.InputOffset() > headerOnly {
		return &Error{File: f.name, Message: fmt.Sprintf("the file holds %d bytes, but Rosterdesk cannot tell a single row apart from its header, so it takes nothing from this package. Export the file again, or open it in a spreadsheet program and save it as CSV UTF-8.", r.InputOffset())}
	}
	if rows >= minJudged && failed*2 > rows {
		return &Error{File: f.name, Message: fmt.Sprintf("%d of its %d rows cannot be read, so Rosterdesk takes nothing from this package: nothing is imported, nothing deleted (a wrong or damaged export?). %sFix the file or export it again, then fetch again.", failed, rows, rd.firstErrors(f.name))}
	}
	if rows == 0 && fr.mode == ModeBulk {
		rd.warn("header-only", Finding{File: f.name, Message: fmt.Sprintf("the file has a header but no rows: as a complete (bulk) file it means every %s imported earlier from this source will be marked for deletion", e)})
	}
	if referenced[e] && fr.ids != nil {
		rd.ids[e] = fr.ids.set
	}
	rd.consumed += cnt.n
	if rd.v.Progress != nil {
		rd.v.Progress(rd.consumed)
	}
	return nil
}

// body reads the rows of a file after its header (checked already), reusing one slice for each.
func (rd *reader) body(name string, rc io.Reader) (*csv.Reader, error) {
	in, _ := text(rc, 256<<10)
	r := csv.NewReader(in)
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	if _, err := r.Read(); err != nil {
		return nil, rd.fatal(name, err)
	}
	return r, nil
}

// fileRead is what reading a file's rows needs to know of it.
type fileRead struct {
	e       roster.Entity
	name    string
	mode    Mode
	cols    columnMap
	users11 bool
	ids     *fileIDs // nil: neither duplicates nor references are looked for
}

// take reads one row and passes on its records, or tells Unread of it; bad says it failed. A row
// whose sourcedId is a suspected duplicate waits for settle and is neither, yet.
func (rd *reader) take(fr *fileRead, line int, row []string, extra *LineList) (bad bool, err error) {
	rec, id, ok := rd.row(fr.e, fr.name, line, fr.mode, fr.cols, row, fr.ids, extra)
	if !ok {
		if fr.ids.waiting(line) {
			return false, nil
		}
		rd.rep.Failed[fr.e]++
		if rd.v.Unread != nil {
			if err := rd.v.Unread(Unread{Entity: fr.e, SourcedID: id, File: fr.name, Line: line}); err != nil {
				return true, err
			}
		}
		if fr.users11 {
			return true, rd.unreadRoles11(id, fr.name, line, fr.cols, row)
		}
		return true, nil
	}
	var roles []roster.Record
	if fr.users11 {
		if roles, ok = rd.roles11(rec, fr.name, line, fr.cols, row); !ok {
			if err := rd.unreadRoles11(id, fr.name, line, fr.cols, row); err != nil {
				return false, err
			}
		}
	}
	if err := rd.emit(rec); err != nil {
		return false, err
	}
	for _, role := range roles {
		if err := rd.emit(role); err != nil {
			return false, err
		}
	}
	return false, nil
}

// settle reads the file again up to its last suspected duplicate, keeping exactly the ids of the
// rows whose hash a suspect has, and takes each suspect: a duplicate when its id came earlier, else
// (two ids of one hash) the valid row it is. It returns how many failed.
func (rd *reader) settle(fr *fileRead, f file) (bad int, err error) {
	rc, err := f.open()
	if err != nil {
		return 0, &Error{File: f.name, Message: "cannot be read: " + err.Error()}
	}
	defer rc.Close()
	r, err := rd.body(f.name, rc)
	if err != nil {
		return 0, err
	}
	ids := fr.ids
	hashes := make(map[uint64]bool, len(ids.suspects))
	for _, s := range ids.suspects {
		hashes[s.hash] = true
	}
	earlier := map[string]bool{}
	var extra LineList // said on the first read
	ids.settling = true
	for n, next := 0, 0; next < len(ids.suspects); n++ {
		row, err := r.Read()
		if err != nil { // the first read got past here
			return bad, rd.fatal(f.name, err)
		}
		if n%512 == 0 {
			if err := rd.ctx.Err(); err != nil {
				return bad, err
			}
		}
		id, ok := fr.cols.checkedID(row)
		if !ok || !hashes[rd.hash(id)] {
			continue
		}
		if line, _ := r.FieldPos(0); line == ids.suspects[next].line {
			next++
			ids.duplicate = earlier[id]
			failed, err := rd.take(fr, line, row, &extra)
			if err != nil {
				return bad, err
			}
			if failed {
				bad++
			}
		}
		earlier[id] = true
	}
	return bad, nil
}

// firstErrors quotes the first few errors found in a file, for a message about the whole file.
func (rd *reader) firstErrors(name string) string {
	var quoted []string
	for _, f := range rd.rep.Findings {
		if f.File != name || f.Severity != SeverityError || f.Line == 0 {
			continue
		}
		where := fmt.Sprintf("line %d", f.Line)
		if f.Column != "" {
			where += ", column " + f.Column
		}
		if quoted = append(quoted, where+": "+strings.TrimSuffix(f.Message, ".")); len(quoted) == 3 {
			break
		}
	}
	if len(quoted) == 0 {
		return ""
	}
	return "The first problems: " + strings.Join(quoted, "; ") + ". "
}

// blank reports a row without a single value (",,,,": a spreadsheet's empty row).
func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func (rd *reader) emit(rec roster.Record) error {
	rd.rep.Counts[rec.Entity]++
	return rd.v.Record(rec)
}

// longValue refuses a row with a value longer than MaxField.
func longValue(name string, line int, cols columnMap, row []string) error {
	for i, v := range row {
		if len(v) > MaxField {
			col := fmt.Sprintf("%d", i+1)
			if i < len(cols.names) {
				col = cols.names[i]
			}
			return &Error{File: name, Line: line, Column: col, Message: fmt.Sprintf("the value is %s long, more than the %s Rosterdesk reads in one value (real values are a few hundred bytes), so the file is damaged or not a OneRoster export; nothing is imported. Export it again.", sizeText(int64(len(v))), sizeText(MaxField))}
		}
	}
	return nil
}

// tooLong is the message for a row longer than maxLine, or nil for another error.
func tooLong(name string, err error) *Error {
	var le *textfile.RowTooLong
	if !errors.As(err, &le) {
		return nil
	}
	return &Error{File: name, Line: le.Line, Message: fmt.Sprintf("the row is longer than %s, the most Rosterdesk reads in one row (real rows are under 4 KB), so the file is damaged or not a OneRoster export; nothing is imported. Export it again.", sizeText(maxLine))}
}

func (rd *reader) fatal(name string, err error) error {
	if e := tooLong(name, err); e != nil {
		return e
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: name, Line: pe.StartLine, Message: "a quote (\") is not closed or stands in the middle of a value, so the rows after it cannot be told apart. Open the file in a spreadsheet program and save it again as CSV UTF-8."}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &Error{File: name, Message: "could not be read completely (" + err.Error() + "); the ZIP may be damaged — export or download it again."}
}

func (rd *reader) warn(kind string, f Finding) {
	f.Severity = SeverityWarning
	rd.rep.add(kind, f)
}

func (rd *reader) fail(kind string, f Finding) {
	f.Severity = SeverityError
	rd.rep.add(kind, f)
}

// expected is the header a file of this entity has in this package's version.
func (rd *reader) expected(e roster.Entity) []string {
	if e == roster.Users && rd.pkg.version != "1.2" {
		return roster.Users11Columns
	}
	return roster.Schema(e).Names()
}

func (rd *reader) mapHeader(e roster.Entity, name string, header []string) (columnMap, error) {
	schema := roster.Schema(e)
	named := len(header)
	for named > 0 && strings.TrimSpace(header[named-1]) == "" {
		named--
	}
	if named < len(header) {
		rd.warn("trailing", Finding{File: name, Line: 1, Message: "the header ends with empty column names (trailing commas); ignored"})
		header = header[:named]
	}
	cm := columnMap{at: make([]int, len(schema.Columns)), orgs: -1, role: -1, width: len(header), names: header}
	for i := range cm.at {
		cm.at[i] = -1
	}
	var unknown []string
	found := map[string]bool{}
	for i, h := range header {
		if strings.ContainsAny(h, "\r\n") {
			return cm, &Error{File: name, Line: 1, Message: "a column name of the header holds a line break (a quote left open?), so Rosterdesk cannot tell the header from the rows. Open the file in a spreadsheet program and save it again as CSV UTF-8."}
		}
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if meta, ok := strings.CutPrefix(h, "metadata."); ok {
			cm.meta, cm.metaName = append(cm.meta, i), append(cm.metaName, meta)
			continue
		}
		canonical := ""
		for _, want := range rd.expected(e) {
			if h == want {
				canonical = want
				break
			}
			if strings.EqualFold(h, want) {
				canonical = want
				rd.warn("header-case", Finding{File: name, Line: 1, Column: h, Message: fmt.Sprintf("column %q read as %q (header names are case-sensitive)", h, want)})
			}
		}
		switch {
		case canonical == "" && e == roster.Users && h == "resourceSourcedIds": // OneRoster 1.2.0 only
		case canonical == "":
			unknown = append(unknown, h)
		case found[canonical]:
			return cm, &Error{File: name, Line: 1, Column: canonical, Message: "the header has this column twice; remove one."}
		default:
			found[canonical] = true
			switch canonical {
			case "orgSourcedIds":
				cm.orgs = i
			case "role":
				if e == roster.Users {
					cm.role = i
					continue
				}
				cm.at[schema.Index(canonical)] = i
			default:
				cm.at[schema.Index(canonical)] = i
			}
		}
	}
	required := []string{}
	for _, c := range schema.Columns {
		if c.Required {
			required = append(required, c.Name)
		}
	}
	if e == roster.Users && rd.pkg.version == "1.1" {
		required = append(required, "orgSourcedIds", "role")
	}
	for _, col := range required {
		if found[col] {
			continue
		}
		for _, u := range unknown {
			if distance(u, col) <= 2 {
				return cm, &Error{File: name, Line: 1, Column: col, Message: fmt.Sprintf("the column %s is missing; the header has %q — rename it to %s.", col, u, col)}
			}
		}
		return cm, &Error{File: name, Line: 1, Column: col, Message: fmt.Sprintf("the column %s is missing; add it to the header (the first line).", col)}
	}
	for _, u := range unknown {
		rd.warn("header-unknown", Finding{File: name, Line: 1, Column: u, Message: fmt.Sprintf("column %q is not part of OneRoster %s; ignored", u, rd.pkg.version)})
	}
	var missing []string
	order := true
	last := -1
	for _, want := range rd.expected(e) {
		if !found[want] {
			missing = append(missing, want)
			continue
		}
		idx := indexOf(header, want)
		if idx >= 0 && idx < last {
			order = false
		}
		if idx >= 0 {
			last = idx
		}
	}
	if len(missing) > 0 {
		rd.warn("header-missing", Finding{File: name, Line: 1, Message: fmt.Sprintf("optional columns %s are missing (an older OneRoster version?); read as blank", strings.Join(missing, ", "))})
	}
	if !order {
		rd.warn("header-order", Finding{File: name, Line: 1, Message: "the columns are not in the order the OneRoster specification gives; read by name"})
	}
	return cm, nil
}

func indexOf(list []string, v string) int {
	for i, s := range list {
		if strings.TrimSpace(s) == v {
			return i
		}
	}
	return -1
}

// checkedID is the sourcedId of a row that passes what row checks before looking for duplicates;
// ok is false for one that does not, without a word (row says it).
func (cm columnMap) checkedID(row []string) (id string, ok bool) {
	if len(row) < cm.width || len(row) > cm.width && !blank(row[cm.width:]) {
		return "", false
	}
	for _, at := range cm.at {
		if at >= 0 && !readable(row[at]) {
			return "", false
		}
	}
	id = strings.TrimSpace(row[cm.at[0]])
	return id, id != ""
}

// row turns one CSV row into a record, or reports why it cannot, with the sourcedId of the row when
// it could be read all the same. Extra empty values at the end of the row go into extra.
func (rd *reader) row(e roster.Entity, name string, line int, mode Mode, cm columnMap, row []string, ids *fileIDs, extra *LineList) (rec roster.Record, id string, ok bool) {
	if len(row) != cm.width {
		if len(row) < cm.width || !blank(row[cm.width:]) {
			rd.fail("width", Finding{File: name, Line: line, Message: fmt.Sprintf("the row has %d values but the header has %d columns (a comma inside a value that is not quoted?)", len(row), cm.width)})
			// The values are out of place, but the first one is the first one.
			if cm.at[0] == 0 && readable(row[0]) {
				id = strings.TrimSpace(row[0])
			}
			return rec, id, false
		}
		extra.Add(line)
	}
	schema := roster.Schema(e)
	if !rd.value(name, line, "sourcedId", row[cm.at[0]]) {
		return rec, "", false
	}
	if id = strings.TrimSpace(row[cm.at[0]]); id == "" {
		rd.fail("blank-id", Finding{File: name, Line: line, Column: "sourcedId", Message: "the sourcedId is blank; every record needs one"})
		return rec, "", false
	}
	rec = roster.NewRecord(e)
	rec.Values[0] = id
	for i, at := range cm.at {
		if at < 0 || i == 0 {
			continue
		}
		v := row[at]
		if !rd.value(name, line, schema.Columns[i].Name, v) {
			return rec, id, false
		}
		rec.Values[i] = strings.TrimSpace(v)
	}
	// What comes before this is what checkedID checks.
	if ids != nil {
		dup, wait := ids.check(rd.hash(id), line)
		if wait {
			return rec, id, false
		}
		if dup {
			rd.fail("duplicate-id", Finding{File: name, Line: line, Column: "sourcedId", Message: fmt.Sprintf("sourcedId %q appears earlier in the file; this row is skipped", id)})
			return rec, id, false
		}
	}
	if !rd.status(rec, name, line, mode) {
		return rec, id, false
	}
	for i := 3; i < len(schema.Columns); i++ {
		col := schema.Columns[i]
		v, wk, warn, ek, fail := check(col, rec.Values[i])
		if fail != "" {
			rd.fail(ek, Finding{File: name, Line: line, Column: col.Name, Message: fail})
			return rec, id, false
		}
		if warn != "" {
			rd.warn(wk, Finding{File: name, Line: line, Column: col.Name, Message: warn})
		}
		rec.Values[i] = v
		if v == "" && col.Required && rec.Status() != roster.StatusToBeDeleted {
			rd.fail("required", Finding{File: name, Line: line, Column: col.Name, Message: col.Name + " is required and blank"})
			return rec, id, false
		}
		if v != "" && (col.Kind == roster.Ref || col.Kind == roster.RefList) {
			rd.reference(name, line, col, v)
		}
	}
	if e == roster.Demographics {
		rd.reference(name, line, roster.Column{Name: "sourcedId", Target: roster.Users}, id)
	}
	for j, at := range cm.meta {
		if !rd.value(name, line, "metadata."+cm.metaName[j], row[at]) {
			return rec, id, false
		}
		rec.Metadata = append(rec.Metadata, roster.MetadataValue{Name: cm.metaName[j], Value: row[at]})
	}
	return rec, id, true
}

// readable reports text that can be stored: UTF-8 without NUL bytes.
func readable(v string) bool {
	return utf8.ValidString(v) && strings.IndexByte(v, 0) < 0
}

// value reports whether a value can be stored, with an error finding when it cannot.
func (rd *reader) value(name string, line int, column, v string) bool {
	switch {
	case readable(v):
		return true
	case !utf8.ValidString(v):
		rd.fail("utf8", Finding{File: name, Line: line, Column: column, Message: "the text is not UTF-8; save the file as \"CSV UTF-8\" and export again"})
	default:
		rd.fail("nul", Finding{File: name, Line: line, Column: column, Message: "the value holds a NUL byte (a binary character no text has), so the file is damaged or not plain text; export it again"})
	}
	return false
}

// status applies the file's mode to the row's status and dateLastModified.
func (rd *reader) status(rec roster.Record, name string, line int, mode Mode) bool {
	s := rec.Values[1]
	switch strings.ToLower(s) {
	case "":
		if mode == ModeDelta {
			msg := "the row has no status (a delta file says active or tobedeleted); read as a current record"
			if rec.Entity == roster.Users {
				msg += " of status Blank: it is imported when Blank is among the chosen user statuses"
			}
			rd.warn("delta-status", Finding{File: name, Line: line, Column: "status", Message: msg})
		}
	case "active":
		rec.Values[1] = "active"
	case "tobedeleted":
		rec.Values[1] = "tobedeleted"
	case "inactive", "deleted":
		rd.warn("inactive", Finding{File: name, Line: line, Column: "status", Message: fmt.Sprintf("%q (OneRoster 1.0) read as tobedeleted", s)})
		rec.Values[1] = "tobedeleted"
	default:
		rd.fail("status", Finding{File: name, Line: line, Column: "status", Message: fmt.Sprintf("%q is not a status; write active or tobedeleted", s)})
		return false
	}
	if mode == ModeBulk && s != "" {
		rd.warn("bulk-status", Finding{File: name, Line: line, Column: "status", Message: fmt.Sprintf("a complete (bulk) file leaves status blank; read as %s", rec.Values[1])})
	}
	if s != "" && s != rec.Values[1] && strings.ToLower(s) == rec.Values[1] {
		rd.warn("enum-case", Finding{File: name, Line: line, Column: "status", Message: fmt.Sprintf("%q read as %q (values are case-sensitive)", s, rec.Values[1])})
	}
	if mode == ModeBulk {
		rec.Values[2] = ""
		return true
	}
	v, wk, warn, ek, fail := check(roster.Schema(rec.Entity).Columns[2], rec.Values[2])
	if fail != "" {
		rd.fail(ek, Finding{File: name, Line: line, Column: "dateLastModified", Message: fail})
		return false
	}
	if warn != "" {
		rd.warn(wk, Finding{File: name, Line: line, Column: "dateLastModified", Message: warn})
	}
	rec.Values[2] = v
	return true
}

// reference notes a reference to check once all files are read, when its target is a complete file
// of this package (in a delta the target may already be in the roster).
func (rd *reader) reference(name string, line int, col roster.Column, v string) {
	if rd.v.NoReferences || rd.pkg.Mode(col.Target) != ModeBulk {
		return
	}
	if ids, done := rd.ids[col.Target]; done {
		// Files list the rows of one class or school together: the id found last needs no lookup
		// again in a set of 100,000.
		for id := range strings.SplitSeq(v, ",") {
			if id == rd.found[col.Target] {
				continue
			}
			if !ids.has(rd.hash(id)) {
				rd.dangling(name, line, col.Name, id, col.Target)
				continue
			}
			rd.found[col.Target] = id
		}
		return
	}
	for id := range strings.SplitSeq(v, ",") {
		if len(rd.pending) < maxPending {
			rd.pending = append(rd.pending, pendingRef{file: name, line: line, column: col.Name, id: id, target: col.Target})
		}
	}
}

func (rd *reader) checkDangling() {
	for _, ref := range rd.pending {
		if !rd.ids[ref.target].has(rd.hash(ref.id)) {
			rd.dangling(ref.file, ref.line, ref.column, ref.id, ref.target)
		}
	}
	rd.pending = nil
}

func (rd *reader) dangling(name string, line int, column, id string, target roster.Entity) {
	rd.warn("dangling", Finding{File: name, Line: line, Column: column, Message: fmt.Sprintf("refers to %q, which is not in %s", id, target.FileName())})
}

// roles11 turns a 1.1 user's orgSourcedIds and role into 1.2 roles records, primary at the first
// org, which also becomes the user's primaryOrgSourcedId when that is blank. ok is false when the
// role cannot be read.
func (rd *reader) roles11(user roster.Record, name string, line int, cm columnMap, row []string) (roles []roster.Record, ok bool) {
	role := ""
	if cm.role >= 0 {
		role = strings.TrimSpace(row[cm.role])
	}
	if role == "administrator" {
		role = "siteAdministrator"
	}
	if role != "" {
		v, wk, warn, _, fail := checkEnum(roster.UserRoles, role)
		if fail != "" {
			rd.fail("enum", Finding{File: name, Line: line, Column: "role", Message: fail + "; the user's roles are left as they were"})
			return nil, false
		}
		if warn != "" {
			rd.warn(wk, Finding{File: name, Line: line, Column: "role", Message: warn})
		}
		role = v
	}
	if cm.orgs < 0 || role == "" {
		return nil, true
	}
	var out []roster.Record
	orgs := strings.Split(row[cm.orgs], ",")
	for i, org := range orgs {
		org = strings.TrimSpace(org)
		if org == "" {
			continue
		}
		if i == 0 && user.Get("primaryOrgSourcedId") == "" {
			user.Set("primaryOrgSourcedId", org)
		}
		rec := roster.NewRecord(roster.Roles)
		roleType := "secondary"
		if i == 0 {
			roleType = "primary"
		}
		rec.Set("sourcedId", user.SourcedID()+"-"+org)
		rec.Set("status", string(user.Status()))
		rec.Set("dateLastModified", user.DateLastModified())
		rec.Set("userSourcedId", user.SourcedID())
		rec.Set("roleType", roleType)
		rec.Set("role", role)
		rec.Set("orgSourcedId", org)
		rd.reference(name, line, roster.Column{Name: "orgSourcedIds", Target: roster.Orgs}, org)
		out = append(out, rec)
	}
	return out, true
}

// unreadRoles11 passes on, as failed rows, the roles a 1.1 user row whose user or role failed would
// have given (named as roles11 names them), or one role without a sourcedId when its values are out
// of place and its orgs cannot be told.
func (rd *reader) unreadRoles11(userID, name string, line int, cm columnMap, row []string) error {
	if rd.v.Unread == nil || cm.orgs < 0 {
		return nil
	}
	if userID == "" || len(row) < cm.width || !blank(row[cm.width:]) {
		return rd.v.Unread(Unread{Entity: roster.Roles, File: name, Line: line})
	}
	for _, org := range strings.Split(row[cm.orgs], ",") {
		if org = strings.TrimSpace(org); org != "" {
			if err := rd.v.Unread(Unread{Entity: roster.Roles, SourcedID: userID + "-" + org, File: name, Line: line}); err != nil {
				return err
			}
		}
	}
	return nil
}

// idSet holds the sourcedIds of one file by 64-bit hash, to find duplicates and, for entities other
// records reference, dangling references: a state's 1,350,000 users cost some 20 MB, where the ids
// themselves took 90 bytes each. Two different ids share a hash with a chance of about one in 10^7
// for a million rows: a duplicate is then only suspected (fileIDs), and one dangling reference may
// go unreported.
type idSet map[uint64]struct{}

// add records an id's hash and reports whether it was new.
func (s idSet) add(h uint64) bool {
	if _, dup := s[h]; dup {
		return false
	}
	s[h] = struct{}{}
	return true
}

func (s idSet) has(h uint64) bool {
	_, ok := s[h]
	return ok
}

// idHash makes the hash a read keeps ids by (a variable: a test forces collisions).
var idHash = func() func(string) uint64 {
	seed := maphash.MakeSeed()
	return func(id string) uint64 { return maphash.String(seed, id) }
}

// fileIDs finds the duplicate sourcedIds of one file. A row whose id's hash an earlier row's has is
// suspected: a duplicate, or another id of the same hash. It waits until the file has been read,
// then settle reads the file again for the suspects' ids and decides exactly, so a collision never
// refuses a valid row; a file without duplicates is read once.
type fileIDs struct {
	set      idSet
	suspects []suspect
	// While settling: whether the suspect being taken is a duplicate.
	settling, duplicate bool
}

type suspect struct {
	line int
	hash uint64
}

// check says whether the row at line, its id of hash h, is a duplicate; on the first read, a row
// whose hash came earlier waits instead, a suspect.
func (s *fileIDs) check(h uint64, line int) (dup, wait bool) {
	if s.settling {
		return s.duplicate, false
	}
	if s.set.add(h) {
		return false, false
	}
	s.suspects = append(s.suspects, suspect{line, h})
	return false, true
}

// waiting says whether the row at line waits to be settled.
func (s *fileIDs) waiting(line int) bool {
	return s != nil && !s.settling && len(s.suspects) > 0 && s.suspects[len(s.suspects)-1].line == line
}
