package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/dedupe"
)

// Pair statuses: waiting for review, or the decision taken on it.
const (
	PairPending = "pending"
	PairMerged  = "merged"  // the secondary was deleted into the primary
	PairIgnored = "ignored" // the secondary is kept, redundant
	PairNew     = "new"     // not a duplicate: never proposed again
)

// DuplicatePair is a pair of roster users a domain of uniqueness claimed, with its evidence and the
// decision taken on it.
type DuplicatePair struct {
	ID         int64             `json:"pair"`
	Domain     string            `json:"domain"`
	Score      float64           `json:"score"`
	Left       string            `json:"left"`
	Right      string            `json:"right"`
	Status     string            `json:"status"`
	Unattended bool              `json:"unattended"`
	Evidence   []dedupe.Evidence `json:"evidence"`
	School     string            `json:"school"`
	SchoolName string            `json:"schoolName"`
	LeftName   string            `json:"leftName"`
	RightName  string            `json:"rightName"`
	FoundAt    string            `json:"foundAt"`
	DecidedRun int64             `json:"decidedRun"`
	Primary    string            `json:"primary"`
}

// PairQuery asks for one page of pairs. Status "" is every status; Search matches ids and names.
type PairQuery struct {
	Status, Domain, School, Search string
	Offset, Limit                  int
}

// School is a school for the queue's filter.
type School struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PairPage is one page of pairs, highest score first, with what the filters can offer.
type PairPage struct {
	Total   int             `json:"total"`
	Pairs   []DuplicatePair `json:"pairs"`
	Domains []string        `json:"domains"`
	Schools []School        `json:"schools"`
	Counts  map[string]int  `json:"counts"`
}

// DuplicateSettings returns the workspace's domains (nil: the defaults) and whether imports end with a scan.
func (s *Store) DuplicateSettings(ctx context.Context) (domains []byte, afterImport bool, err error) {
	var raw sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT domains, after_import FROM duplicate_settings WHERE id = 1`).Scan(&raw, &afterImport)
	if raw.Valid {
		domains = []byte(raw.String)
	}
	return domains, afterImport, err
}

// SetDuplicateDomains stores the domains as JSON (nil: back to the defaults).
func (s *Store) SetDuplicateDomains(ctx context.Context, domains []byte) error {
	var v any
	if domains != nil {
		v = string(domains)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE duplicate_settings SET domains = ? WHERE id = 1`, v)
	return err
}

// SetScanAfterImport says whether every import ends with a duplicates scan.
func (s *Store) SetScanAfterImport(ctx context.Context, on bool) error {
	_, err := s.db.ExecContext(ctx, `UPDATE duplicate_settings SET after_import = ? WHERE id = 1`, on)
	return err
}

// People reads what a scan compares of every live user that is not the redundant or merged
// secondary of a decision: names and ids, the birth date and sex of its demographics, its primary
// role and school.
func (s *Store) People(ctx context.Context) ([]dedupe.Person, error) {
	roles := map[string]string{}
	err := scanPairs(ctx, s.db, `SELECT "userSourcedId", COALESCE("role", '') FROM roster_roles
		WHERE COALESCE(status, 'active') <> 'tobedeleted' ORDER BY "roleType" = 'primary'`, nil, func(user, role string) { roles[user] = role })
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT u."sourcedId", COALESCE(u."givenName", ''), COALESCE(u."familyName", ''), COALESCE(u."middleName", ''),
		COALESCE(u."preferredGivenName", ''), COALESCE(u."identifier", ''), COALESCE(u."userMasterIdentifier", ''), COALESCE(u."email", ''),
		COALESCE(u."username", ''), COALESCE(d."birthDate", ''), COALESCE(d."sex", ''), COALESCE(u."primaryOrgSourcedId", ''), COALESCE(u."grades", '')
		FROM roster_users u LEFT JOIN roster_demographics d ON d."sourcedId" = u."sourcedId"
		WHERE COALESCE(u.status, 'active') <> 'tobedeleted' AND u."sourcedId" NOT IN (SELECT secondary FROM merges)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dedupe.Person
	for rows.Next() {
		var p dedupe.Person
		if err := rows.Scan(&p.ID, &p.Given, &p.Family, &p.Middle, &p.PreferredGiven, &p.Identifier, &p.Master, &p.Email, &p.Username,
			&p.BirthDate, &p.Sex, &p.School, &p.Grades); err != nil {
			return nil, err
		}
		p.Role = roles[p.ID]
		out = append(out, p)
	}
	return out, rows.Err()
}

// Decided returns the pairs with a decision (left, right), which a scan never proposes again.
func (s *Store) Decided(ctx context.Context) (map[[2]string]bool, error) {
	out := map[[2]string]bool{}
	err := scanPairs(ctx, s.db, `SELECT "left", "right" FROM duplicate_pairs WHERE status <> 'pending'`, nil, func(l, r string) { out[[2]string{l, r}] = true })
	return out, err
}

// SavePairs makes the review queue the pairs a scan found: new pairs are added, pairs still found
// get their new score and evidence, pending pairs not found again leave the queue (their records
// changed or went). Decided pairs stay as they are. It returns the id of each found pair (0: decided
// meanwhile) and whether it is new to the queue.
func (s *Store) SavePairs(ctx context.Context, found []dedupe.Pair, schools map[string]string) (ids []int64, fresh []bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	existing := map[[2]string]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT id, "left", "right" FROM duplicate_pairs WHERE status = 'pending'`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id int64
		var l, r string
		if err := rows.Scan(&id, &l, &r); err != nil {
			rows.Close()
			return nil, nil, err
		}
		existing[[2]string{l, r}] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	upsert, err := tx.PrepareContext(ctx, `INSERT INTO duplicate_pairs ("left", "right", domain, unattended, score, evidence, school, status, found_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT ("left", "right") DO UPDATE SET domain = excluded.domain, unattended = excluded.unattended,
		score = excluded.score, evidence = excluded.evidence, school = excluded.school WHERE status = 'pending' RETURNING id`)
	if err != nil {
		return nil, nil, err
	}
	defer upsert.Close()
	now := Now()
	for _, p := range found {
		key := [2]string{p.Left, p.Right}
		evidence, err := json.Marshal(p.Evidence)
		if err != nil {
			return nil, nil, err
		}
		var id int64
		err = upsert.QueryRowContext(ctx, p.Left, p.Right, p.Domain, p.Unattended, p.Score, string(evidence), schools[p.Left], now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) { // decided already: the scan was told to skip it, but a decision may have come in between
			id, err = 0, nil
		}
		if err != nil {
			return nil, nil, err
		}
		_, known := existing[key]
		delete(existing, key)
		ids, fresh = append(ids, id), append(fresh, id != 0 && !known)
	}
	for _, id := range existing {
		if _, err := tx.ExecContext(ctx, `DELETE FROM duplicate_pairs WHERE id = ? AND status = 'pending'`, id); err != nil {
			return nil, nil, err
		}
	}
	return ids, fresh, tx.Commit()
}

// Waiting counts how many of the pairs ids (of which the new ones added) wait for review now.
func (s *Store) Waiting(ctx context.Context, ids, added []int64) (found, fresh int, err error) {
	isNew := make(map[int64]bool, len(added))
	for _, id := range added {
		isNew[id] = true
	}
	wanted := make(map[int64]bool, len(ids))
	for _, id := range ids {
		wanted[id] = true
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM duplicate_pairs p WHERE status = 'pending' AND `+live)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, 0, err
		}
		if wanted[id] {
			found++
			if isNew[id] {
				fresh++
			}
		}
	}
	return found, fresh, rows.Err()
}

// pairColumns are the columns a pair is read with; names come from the roster as it is now.
const pairColumns = `p.id, p.domain, p.score, p."left", p."right", p.status, p.unattended, p.evidence, p.school,
	COALESCE((SELECT name FROM roster_orgs WHERE "sourcedId" = p.school), ''),
	COALESCE((SELECT TRIM(COALESCE("givenName", '') || ' ' || COALESCE("familyName", '')) FROM roster_users WHERE "sourcedId" = p."left"), ''),
	COALESCE((SELECT TRIM(COALESCE("givenName", '') || ' ' || COALESCE("familyName", '')) FROM roster_users WHERE "sourcedId" = p."right"), ''),
	p.found_at, COALESCE(p.decided_run, 0), COALESCE((SELECT "primary" FROM merges m WHERE m.pair = p.id LIMIT 1), '')`

func scanPair(row scanner) (DuplicatePair, error) {
	var p DuplicatePair
	var evidence string
	err := row.Scan(&p.ID, &p.Domain, &p.Score, &p.Left, &p.Right, &p.Status, &p.Unattended, &evidence, &p.School, &p.SchoolName,
		&p.LeftName, &p.RightName, &p.FoundAt, &p.DecidedRun, &p.Primary)
	if err != nil {
		return p, err
	}
	p.Evidence = []dedupe.Evidence{}
	if err := json.Unmarshal([]byte(evidence), &p.Evidence); err != nil {
		return p, fmt.Errorf("the evidence of duplicate pair %d is damaged: %w", p.ID, err)
	}
	return p, nil
}

// live leaves out pending pairs one of whose records was merged into another meanwhile: a decision
// on it would be refused, and the next scan compares the merged record instead (undone, the pair is
// back).
const live = `(p.status <> 'pending' OR NOT EXISTS (SELECT 1 FROM merges m WHERE m.secondary IN (p."left", p."right")))`

// DuplicatePairs returns one page of pairs, highest score first.
func (s *Store) DuplicatePairs(ctx context.Context, q PairQuery) (PairPage, error) {
	page := PairPage{Pairs: []DuplicatePair{}, Domains: []string{}, Schools: []School{}, Counts: map[string]int{}}
	conds := []string{live}
	var args []any
	if q.Status != "" {
		conds, args = append(conds, `p.status = ?`), append(args, q.Status)
	}
	if q.Domain != "" {
		conds, args = append(conds, `p.domain = ?`), append(args, q.Domain)
	}
	if q.School != "" {
		conds, args = append(conds, `p.school = ?`), append(args, q.School)
	}
	if q.Search != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q.Search) + "%"
		conds = append(conds, `(p."left" LIKE ? ESCAPE '\' OR p."right" LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM roster_users u
			WHERE u."sourcedId" IN (p."left", p."right") AND (COALESCE(u."givenName", '') || ' ' || COALESCE(u."familyName", '')) LIKE ? ESCAPE '\'))`)
		args = append(args, like, like, like)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM duplicate_pairs p`+where, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+pairColumns+` FROM duplicate_pairs p`+where+` ORDER BY p.score DESC, p.id LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(q.Offset, 0)), args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPair(rows)
		if err != nil {
			return page, err
		}
		page.Pairs = append(page.Pairs, p)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	if err := scanPairs(ctx, s.db, `SELECT status, COUNT(*) FROM duplicate_pairs p WHERE `+live+` GROUP BY status`, nil, func(status, n string) {
		page.Counts[status], _ = strconv.Atoi(n)
	}); err != nil {
		return page, err
	}
	if err := scanPairs(ctx, s.db, `SELECT DISTINCT domain, '' FROM duplicate_pairs ORDER BY 1`, nil, func(d, _ string) { page.Domains = append(page.Domains, d) }); err != nil {
		return page, err
	}
	err = scanPairs(ctx, s.db, `SELECT DISTINCT p.school, COALESCE(o.name, p.school) FROM duplicate_pairs p LEFT JOIN roster_orgs o ON o."sourcedId" = p.school
		WHERE p.school <> '' ORDER BY 2`, nil, func(id, name string) { page.Schools = append(page.Schools, School{ID: id, Name: name}) })
	return page, err
}

// DuplicatePair returns one pair.
func (s *Store) DuplicatePair(ctx context.Context, id int64) (DuplicatePair, error) {
	p, err := scanPair(s.db.QueryRowContext(ctx, `SELECT `+pairColumns+` FROM duplicate_pairs p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, apperr.New(apperr.CodeNotFound, fmt.Sprintf("There is no duplicate pair %d. Run a scan and list the pairs to see their numbers.", id))
	}
	return p, err
}

// PairFor returns the pair of two records, adding one the registrar put together (a group merge) when
// no domain claimed it.
func (s *Store) PairFor(ctx context.Context, a, b string) (DuplicatePair, error) {
	left, right := min(a, b), max(a, b)
	_, err := s.db.ExecContext(ctx, `INSERT INTO duplicate_pairs ("left", "right", domain, score, school, status, found_at)
		VALUES (?, ?, 'Chosen by hand', 0, COALESCE((SELECT "primaryOrgSourcedId" FROM roster_users WHERE "sourcedId" = ?), ''), 'pending', ?)
		ON CONFLICT ("left", "right") DO NOTHING`, left, right, left, Now())
	if err != nil {
		return DuplicatePair{}, err
	}
	return scanPair(s.db.QueryRowContext(ctx, `SELECT `+pairColumns+` FROM duplicate_pairs p WHERE p."left" = ? AND p."right" = ?`, left, right))
}

// Merge is a decision that folds a secondary user into a primary.
type Merge struct {
	Secondary, Primary string
	Outcome            string // delete | ignore
	Pair, Run          int64
	Undo               []byte // JSON: what the merge changed
}

// MergeOf returns the merge a pair's decision made, if any.
func (a *Apply) MergeOf(pair int64) (Merge, bool, error) {
	m := Merge{Pair: pair}
	var undo string
	err := a.tx.QueryRowContext(a.ctx, `SELECT secondary, "primary", outcome, run, undo FROM merges WHERE pair = ?`, pair).Scan(&m.Secondary, &m.Primary, &m.Outcome, &m.Run, &undo)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	m.Undo = []byte(undo)
	return m, err == nil, err
}

// Group returns the merges the run that made m made into the same primary (a group merge decides
// them together, so they are undone together), m first.
func (a *Apply) Group(m Merge) ([]Merge, error) {
	out := []Merge{m}
	rows, err := a.tx.QueryContext(a.ctx, `SELECT secondary, outcome, pair, undo FROM merges WHERE run = ? AND "primary" = ? AND pair <> ?`, m.Run, m.Primary, m.Pair)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		g := Merge{Primary: m.Primary, Run: m.Run}
		var undo string
		if err := rows.Scan(&g.Secondary, &g.Outcome, &g.Pair, &undo); err != nil {
			return nil, err
		}
		g.Undo = []byte(undo)
		out = append(out, g)
	}
	return out, rows.Err()
}

// Decide records the decision on a pair (status) and the merge it made, if any (m.Secondary set).
func (a *Apply) Decide(pair int64, status string, m Merge) error {
	if _, err := a.tx.ExecContext(a.ctx, `UPDATE duplicate_pairs SET status = ?, decided_run = ? WHERE id = ?`, status, a.runID, pair); err != nil {
		return err
	}
	if m.Secondary == "" {
		return nil
	}
	_, err := a.tx.ExecContext(a.ctx, `INSERT INTO merges (secondary, "primary", outcome, pair, run, undo) VALUES (?, ?, ?, ?, ?, ?)`,
		m.Secondary, m.Primary, m.Outcome, pair, a.runID, string(m.Undo))
	return err
}

// Undecide puts a pair back in the queue, forgetting its merge and the values it pinned.
func (a *Apply) Undecide(pair int64) error {
	for _, q := range []string{`DELETE FROM merges WHERE pair = ?`, `DELETE FROM pins WHERE pair = ?`,
		`UPDATE duplicate_pairs SET status = 'pending', decided_run = NULL WHERE id = ?`} {
		if _, err := a.tx.ExecContext(a.ctx, q, pair); err != nil {
			return err
		}
	}
	return nil
}

// Merged tells whether a user is the secondary of a merge (then it cannot be merged again until that is undone).
func (a *Apply) Merged(record string) (primary string, err error) {
	err = a.tx.QueryRowContext(a.ctx, `SELECT "primary" FROM merges WHERE secondary = ?`, record).Scan(&primary)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return primary, err
}

// Redirects maps the users kept as redundant (ignored) to their primaries: an import writes a
// reference to one as a reference to its primary.
func (a *Apply) Redirects() (map[string]string, error) {
	out := map[string]string{}
	err := scanPairs(a.ctx, a.tx, `SELECT secondary, "primary" FROM merges WHERE outcome = 'ignore'`, nil, func(s, p string) { out[s] = p })
	return out, err
}

// redundantUsers is the condition leaving out users kept as redundant, for counts and exports.
const redundantUsers = `"sourcedId" NOT IN (SELECT secondary FROM merges WHERE outcome = 'ignore')`

// Older returns whichever of two users came into the roster first (rows are appended, so the lower
// rowid), the primary an unattended merge keeps.
func (a *Apply) Older(x, y string) (string, error) {
	var id string
	err := a.tx.QueryRowContext(a.ctx, `SELECT "sourcedId" FROM roster_users WHERE "sourcedId" IN (?, ?) ORDER BY rowid LIMIT 1`, x, y).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return x, nil
	}
	return id, err
}

// Older returns the ids given, the record that came into the roster first first.
func (s *Store) Older(ctx context.Context, ids []string) ([]string, error) {
	rank := map[string]int64{}
	for _, id := range ids {
		var r int64
		if err := s.db.QueryRowContext(ctx, `SELECT rowid FROM roster_users WHERE "sourcedId" = ?`, id).Scan(&r); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		rank[id] = r
	}
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(x, y string) int { return cmp.Compare(rank[x], rank[y]) })
	return out, nil
}

// MergeMove is a record that refers to a user and moves to the primary when the user is merged.
type MergeMove struct {
	Entity      string `json:"entity"`
	SourcedID   string `json:"sourcedId"`
	From        string `json:"from"`
	Description string `json:"description"`
}

// Moves lists what refers to a user: its enrollments (with the class), roles (with the org), its
// demographics and the users naming it as an agent.
func (s *Store) Moves(ctx context.Context, user string) ([]MergeMove, error) {
	out := []MergeMove{}
	add := func(entity, query string) error {
		return scanPairs(ctx, s.db, query, []any{user}, func(id, what string) {
			out = append(out, MergeMove{Entity: entity, SourcedID: id, From: user, Description: what})
		})
	}
	if err := add("enrollments", `SELECT e."sourcedId", COALESCE(e.role, '') || ' in ' || COALESCE(c.title, e."classSourcedId") FROM roster_enrollments e
		LEFT JOIN roster_classes c ON c."sourcedId" = e."classSourcedId" WHERE e."userSourcedId" = ? AND COALESCE(e.status, 'active') <> 'tobedeleted'`); err != nil {
		return nil, err
	}
	if err := add("roles", `SELECT r."sourcedId", COALESCE(r."roleType", '') || ' role ' || COALESCE(r.role, '') || ' at ' || COALESCE(o.name, r."orgSourcedId") FROM roster_roles r
		LEFT JOIN roster_orgs o ON o."sourcedId" = r."orgSourcedId" WHERE r."userSourcedId" = ? AND COALESCE(r.status, 'active') <> 'tobedeleted'`); err != nil {
		return nil, err
	}
	if err := add("demographics", `SELECT "sourcedId", 'demographics (birth date ' || COALESCE("birthDate", 'blank') || ')' FROM roster_demographics
		WHERE "sourcedId" = ? AND COALESCE(status, 'active') <> 'tobedeleted'`); err != nil {
		return nil, err
	}
	err := add("users", `SELECT "sourcedId", 'agent of ' || TRIM(COALESCE("givenName", '') || ' ' || COALESCE("familyName", '')) FROM roster_users
		WHERE ',' || REPLACE("agentSourcedIds", ' ', '') || ',' LIKE '%,' || ?1 || ',%'`)
	return out, err
}

// Suppliers lists the connections supplying a user, in precedence order.
func (s *Store) Suppliers(ctx context.Context, user string) ([]string, error) {
	conns, err := s.connectionIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	err = scanPairs(ctx, s.db, `SELECT DISTINCT c.name, c.precedence FROM origins o JOIN connections c ON c.id = o.connection_id
		WHERE o.entity = 'users' AND (o.record = ?1 OR o.record IS NULL AND o.source_id = ?1 AND o.connection_id IN (`+conns+`)) ORDER BY c.precedence`,
		[]any{user}, func(name, _ string) { out = append(out, name) })
	return out, err
}
