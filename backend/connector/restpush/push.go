package restpush

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
)

// outcome is a worker's result for one item; answered is false when the push stopped before the
// API answered it, so it is not reported and the engine keeps it for the next export.
type outcome struct {
	push     connector.Push
	pushed   connector.Pushed
	answered bool
	err      error // stops the push
}

// Push sends the items with a few workers. The items are read, and done called, on the caller's
// goroutine only, so neither has to be safe for concurrent use.
func (t *target) Push(ctx context.Context, items iter.Seq[connector.Push], done func(connector.Push, connector.Pushed) error, rep events.Reporter) error {
	if rep == nil {
		rep = events.Discard
	}
	halt, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan connector.Push)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := range jobs {
				results <- t.push(ctx, halt, p)
			}
		})
	}
	var failed, doneErr error
	var n int64
	take := func(o outcome) {
		switch {
		case o.err != nil:
			if failed == nil {
				failed = o.err
			}
			stop()
		case o.answered && doneErr == nil:
			if doneErr = done(o.push, o.pushed); doneErr != nil {
				stop()
				return
			}
			n++
			rep.Report(events.Progress{Stage: "sending records", Done: n, Unit: "records"})
		}
	}
feed:
	for p := range items {
		for {
			select {
			case jobs <- p:
				continue feed
			case o := <-results:
				take(o)
			case <-halt.Done():
				break feed
			}
		}
	}
	close(jobs)
	go func() {
		wg.Wait()
		close(results)
	}()
	for o := range results { // every answer that is on its way is still reported
		take(o)
	}
	switch {
	case doneErr != nil:
		return doneErr
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return failed
}

// push sends one item and reads the API's answer.
func (t *target) push(ctx, halt context.Context, p connector.Push) outcome {
	o := outcome{push: p}
	c, err := t.request(p)
	if err != nil { // refused here, not at the API
		o.answered, o.pushed.Err = true, err
		return o
	}
	r, err := t.send(ctx, halt, c)
	if err != nil {
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			o.err = err
		}
		return o
	}
	o.answered = true
	o.pushed = connector.Pushed{Status: r.status, Body: string(r.body)}
	if r.status < 200 || r.status > 299 {
		o.pushed.Err = refusal(r, p, c)
	}
	return o
}

// request is the call that carries p: POST {path} for a new record, PUT or DELETE {path}/{key} for
// one the API has; with an error when p cannot be sent, and then the call as far as it is known.
func (t *target) request(p connector.Push) (call, error) {
	path, ok := t.endpoints[p.Entity]
	if !ok { // the engine sends only Endpoints()
		return call{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("the connection has no endpoint for %s", p.Entity))
	}
	c := call{method: http.MethodPost, url: t.base + path, body: p.Body}
	switch p.Action {
	case connector.PushCreate:
		if c.body == nil {
			c.body = []byte("{}")
		}
	case connector.PushUpdate, connector.PushDelete:
		c.method, c.url = http.MethodPut, c.url+"/"+url.PathEscape(p.Key)
		if p.Action == connector.PushDelete {
			c.method, c.body = http.MethodDelete, nil
		}
	default:
		return call{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("unknown action %q", p.Action))
	}
	c.what = c.method + " " + strings.TrimPrefix(c.url, t.base)
	if p.Key == "" && p.Action != connector.PushCreate {
		return c, apperr.New(apperr.CodeInvalid, "the record has no key, so its address at the API is unknown: mark the field that identifies it as the key in the mapping")
	}
	return c, nil
}

// Address is where p goes, for previews; it sends nothing.
func (t *target) Address(p connector.Push) (method, url string) {
	c, _ := t.request(p)
	return c.method, c.url
}

// refusal says why the API refused a record, in its own words when it gave any.
func refusal(r reply, p connector.Push, c call) error {
	msg := apiMessage(r.body)
	if msg == "" {
		msg = http.StatusText(r.status)
	}
	if r.status == http.StatusNotFound && p.Action != connector.PushCreate {
		return apperr.New(apperr.CodeNotFound, fmt.Sprintf("the API has no record %q to %s at %s (404): it may have been deleted there; it said: %s", p.Key, p.Action, c.what, msg))
	}
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf("the API refused this record (%d): %s", r.status, msg))
}

// Test signs in and asks every endpoint for one record, writing nothing. An endpoint that answers
// 405 exists but does not list; that is enough.
func (t *target) Test(ctx context.Context) (string, error) {
	var checked []string
	for _, entity := range t.Endpoints() {
		path := t.endpoints[entity]
		c := call{method: http.MethodGet, url: t.base + path + "?limit=1", what: "GET " + path + "?limit=1"}
		r, err := t.send(ctx, ctx, c)
		if err != nil {
			return "", err
		}
		switch {
		case r.status >= 200 && r.status <= 299, r.status == http.StatusMethodNotAllowed:
			checked = append(checked, entity+" "+path)
		case r.status == http.StatusForbidden:
			return "", badInput("The API at %s refused Rosterdesk access to the %s endpoint %s (403): ask the system's administrator to give this client access to it%s.", t.host, entity, path, said(r))
		case r.status == http.StatusNotFound:
			return "", badInput("The %s endpoint %s was not found at %s (404): check its path under Endpoints and the base URL%s.", entity, path, t.host, said(r))
		default:
			return "", badInput("The %s endpoint %s at %s answered HTTP %d%s; check the path under Endpoints.", entity, path, t.host, r.status, said(r))
		}
	}
	how := "with the API key"
	if t.oauth2 {
		how = "with OAuth 2"
	}
	return fmt.Sprintf("Connected to %s: signed in %s, and the endpoints answer (%s). Nothing was written.", t.host, how, strings.Join(checked, ", ")), nil
}

// said is what the API said in r, as the end of a sentence.
func said(r reply) string {
	if m := apiMessage(r.body); m != "" {
		return "; it said: " + m
	}
	return ""
}
