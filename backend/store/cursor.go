package store

import (
	"database/sql"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Cursor walks the live records of an entity in the order of one column, alongside an export's walk
// of another entity in sourcedId order (a merge join): the records a mapping reads beside each user
// (its roles, its demographics) come in one sorted pass, without an index and without holding them.
type Cursor struct {
	rows   *sql.Rows
	entity roster.Entity
	column int
	ptrs   []any
	next   roster.Record // the record read ahead, when ok
	ok     bool
	err    error
}

// Sorted opens a cursor over entity e's live records ordered by column, in the export's read
// transaction. Close must follow.
func (x *Send) Sorted(e roster.Entity, column string) (*Cursor, error) {
	names := roster.Schema(e).Names()
	rows, err := x.tx.QueryContext(x.ctx, `SELECT `+blanks(names)+`, COALESCE(metadata, '') FROM `+table(e)+
		` WHERE status IS NOT 'tobedeleted'`+sendable(e, " AND ")+` ORDER BY "`+column+`"`)
	if err != nil {
		return nil, err
	}
	c := &Cursor{rows: rows, entity: e, column: roster.Schema(e).Index(column), ptrs: make([]any, len(names)+1)}
	c.advance()
	return c, c.err
}

func (c *Cursor) advance() {
	c.ok = false
	if !c.rows.Next() {
		c.err = c.rows.Err()
		return
	}
	c.next, c.err = scanRecord(c.rows, c.entity, c.ptrs)
	c.ok = c.err == nil
}

// Take returns the records whose column holds key, passing over those before it; keys must come
// in ascending order (sourcedId order, as Send.Each walks).
func (c *Cursor) Take(key string) ([]roster.Record, error) {
	var out []roster.Record
	for c.ok && c.next.Values[c.column] <= key {
		if c.next.Values[c.column] == key {
			out = append(out, c.next)
		}
		c.advance()
	}
	return out, c.err
}

// Close ends the walk.
func (c *Cursor) Close() error { return c.rows.Close() }
