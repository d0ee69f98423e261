package connector

import (
	"context"
	"iter"

	"github.com/rosterdesk/rosterdesk/backend/events"
)

// Actions a record target is asked to take for one record.
const (
	PushCreate = "create"
	PushUpdate = "update"
	PushDelete = "delete"
)

// Push is one record for a RecordTarget: the entity (which chooses the endpoint), what to do, the
// record's key at the target (the last part of the address of an update or delete) and its JSON
// object (nil for a delete). ID is the record's roster sourcedId, for the caller: the target passes
// it back to done untouched and sends it nowhere.
type Push struct {
	Entity string
	Action string
	Key    string
	Body   []byte
	ID     string
}

// Pushed is the target's answer to one Push. Err is nil when the record was delivered; otherwise it
// says in a registrar's words why not, with the API's own message when it gave one. Status and Body
// are the last HTTP answer (0 and "" when none came), Body cut to a few kilobytes.
type Pushed struct {
	Status int
	Body   string
	Err    error
}

// RecordTarget receives records one at a time (an API), unlike a Target, which takes a whole file.
type RecordTarget interface {
	// Endpoints lists the entities the target has an address for; records of others are not sent.
	Endpoints() []string
	// Push sends every item, several at once (a bounded number), and calls done once per item as
	// its answer comes, never two calls at the same time; done returning an error stops the push.
	// A record the API refuses (a 4xx answer) is reported to done and the others go on; Push
	// returns an error only when the rest cannot be sent (cancelled, the credentials refused, the
	// API not answering after its retries), after reporting every item that got an answer.
	Push(ctx context.Context, items iter.Seq[Push], done func(Push, Pushed) error, rep events.Reporter) error
	// Address is the method and full address (URL) a Push is sent to, for previews and history;
	// it sends nothing.
	Address(p Push) (method, url string)
	// Test authenticates and checks that every endpoint answers, writing nothing.
	Test(ctx context.Context) (string, error)
}
