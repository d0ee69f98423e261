package restpush

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry"
)

// maxTries bounds the attempts at one request: enough to ride out a short overload or restart, few
// enough that a registrar is not left waiting on an API that is down.
const maxTries = 5

// retryBase is the wait before the first retry; it doubles with every further try. Tests shorten it.
var retryBase = time.Second

// maxWait caps one wait, also when a Retry-After asks for longer: the registrar is watching.
const maxWait = time.Minute

// maxBody is how much of an answer is kept; drainMax how much more is read (and dropped) so the
// connection can serve the next request. Anything longer is cut off by closing the connection, so a
// hostile API cannot make Rosterdesk hold or read without end.
const (
	maxBody  = 4 << 10
	drainMax = 64 << 10
)

// credentials sign requests: an OAuth 2 token, fetched once and shared by every worker until it
// expires or the API refuses it, or an API key.
type credentials struct {
	header, key string // apikey

	http     *http.Client
	cc       *clientcredentials.Config // oauth2
	mu       sync.Mutex
	cur      *grant
	refusals int // tokens refused since the API last took one
}

// grant is a token and whether the API took it yet.
type grant struct {
	tok   *oauth2.Token
	taken atomic.Bool
}

// grant returns the current token (nil with an API key), fetching a new one when there is none.
func (c *credentials) grant(ctx context.Context) (*grant, error) {
	if c.cc == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.tok.Valid() {
		return c.cur, nil
	}
	tok, err := c.cc.Token(context.WithValue(ctx, oauth2.HTTPClient, c.http))
	if err != nil {
		return nil, err
	}
	c.cur = &grant{tok: tok}
	return c.cur, nil
}

// took notes that the API accepted g.
func (c *credentials) took(g *grant) {
	if g != nil && !g.taken.Swap(true) {
		c.mu.Lock()
		c.refusals = 0
		c.mu.Unlock()
	}
}

// refused notes that the API refused g (401) and says whether to try again with a new token: a token
// may expire before Rosterdesk expected, but two refused in a row, with no request taken between
// them, mean the credentials are wrong.
func (c *credentials) refused(g *grant) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != g { // another worker already dealt with g
		return c.refusals <= 1
	}
	if c.refusals++; c.refusals > 1 {
		return false // keep g, so that no other worker fetches a token in vain
	}
	c.cur = nil
	return true
}

func (c *credentials) sign(req *http.Request, g *grant) {
	if g != nil {
		g.tok.SetAuthHeader(req)
	} else {
		req.Header.Set(c.header, c.key)
	}
}

// gate holds every worker back while the API asked (with a 429) that nobody send anything.
type gate struct {
	mu    sync.Mutex
	until time.Time
}

func (g *gate) pause(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t := time.Now().Add(d); t.After(g.until) {
		g.until = t
	}
}

// wait returns once no pause is on, or ctx is done.
func (g *gate) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		d := time.Until(g.until)
		g.mu.Unlock()
		if d <= 0 {
			return ctx.Err()
		}
		if err := retry.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reply is an HTTP answer: its status and the start of its body.
type reply struct {
	status int
	body   []byte
	after  time.Duration // Retry-After; -1 when none
}

// call is one request of a push or a test.
type call struct {
	method, url, what string // what names it in messages, e.g. "POST /api/v1/students"
	body              []byte
}

// pending ends the message of a push that stopped; Test connection only reads.
func (c call) pending() string {
	if c.method == http.MethodGet {
		return ""
	}
	return " The records not sent yet wait for the next export."
}

// send makes the request until it gets an answer that is not worth retrying, and returns it: a 2xx
// or a refusal of the record. Its error means the push cannot go on (credentials refused, the API
// not answering after its retries, a certificate not trusted) or ctx ended; halt, which ends when
// another worker hit such an error, stops the waits between tries but never a request on its way.
func (t *target) send(ctx, halt context.Context, c call) (reply, error) {
	renewals := 0
	var last error
	for try := 1; ; try++ {
		if try > maxTries {
			return reply{}, last
		}
		if err := t.gate.wait(halt); err != nil {
			return reply{}, err
		}
		g, err := t.creds.grant(ctx)
		var r reply
		var ue *url.Error
		if errors.As(err, &ue) {
			err = &netError{host: t.tokenHost, err: err}
		} else if err == nil {
			r, err = t.attempt(ctx, c, g)
		}
		if ctx.Err() != nil {
			return reply{}, ctx.Err()
		}
		wait := min(retryBase<<(try-1), maxWait)
		switch {
		case err != nil:
			if last = t.failure(err, c); !retryable(err) {
				return reply{}, last
			}
		case r.status == http.StatusUnauthorized:
			if g == nil || renewals == maxTries || !t.creds.refused(g) {
				return reply{}, t.credentialsRefused(r)
			}
			renewals++
			try-- // a fresh token is not a retry
			continue
		case r.status == http.StatusTooManyRequests || r.status == http.StatusRequestTimeout || (r.status >= 500 && r.status != http.StatusNotImplemented):
			last = t.unavailable(r, c)
			if r.after >= 0 {
				wait = min(r.after, maxWait)
			}
			if r.status == http.StatusTooManyRequests { // the API speaks for every worker, not just this one
				t.gate.pause(wait)
				continue
			}
		default:
			t.creds.took(g)
			return r, nil
		}
		if try < maxTries {
			if err := retry.Sleep(halt, wait); err != nil {
				return reply{}, err
			}
		}
	}
}

// attempt makes the request once.
func (t *target) attempt(ctx context.Context, c call, g *grant) (reply, error) {
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.url, body)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Accept", "application/json")
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	t.creds.sign(req, g)
	resp, err := t.http.Do(req)
	if err != nil {
		return reply{}, &netError{host: t.host, err: err}
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, after: -1}
	if d, ok := retry.After(resp.Header.Get("Retry-After"), time.Now()); ok {
		r.after = d
	}
	// The status is the answer: a body that breaks off after a 201 still means the record arrived,
	// and sending it again would create it twice.
	r.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	r.body = bytes.ToValidUTF8(r.body, nil) // a cut may split a character
	io.CopyN(io.Discard, resp.Body, drainMax)
	return r, nil
}

// netError is a request that got no answer.
type netError struct {
	host string
	err  error
}

func (e *netError) Error() string { return e.host + ": " + e.err.Error() }
func (e *netError) Unwrap() error { return e.err }

// retryable says whether a request that got no answer is worth another try: a name that does not
// exist or a certificate that is not trusted will not change in a minute, nor will refused credentials.
func retryable(err error) bool {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.Response.StatusCode == http.StatusTooManyRequests || re.Response.StatusCode >= 500
	}
	var ne *netError
	var dns *net.DNSError
	return errors.As(err, &ne) && !(errors.As(err, &dns) && dns.IsNotFound) && !retry.Untrusted(err)
}

// failure says in a registrar's words why a request got no answer.
func (t *target) failure(err error, c call) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return t.tokenRefused(re)
	}
	var ne *netError
	if !errors.As(err, &ne) {
		if t.oauth2 {
			return badInput("Rosterdesk could not get a token from %s (%v): check the token URL.", t.tokenURL, err)
		}
		return badInput("Rosterdesk could not send %s to %s: %v", c.what, t.host, err)
	}
	err = ne.err
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if why, ok := retry.Certificate(err, ne.host); ok {
		return badInput("Rosterdesk refused to connect to %s: %s. Nothing was sent to it, and Rosterdesk never skips this check. Check the address; if it is right, ask the API's provider or your IT department to fix the certificate.%s", ne.host, why, c.pending())
	}
	reason := err.Error()
	switch {
	case retry.NoHandshake(err):
		reason = fmt.Sprintf("no secure handshake within %s", retry.HandshakeTimeout)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		reason = "the connection broke off before an answer came"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, http.ErrHandlerTimeout) || isTimeout(err):
		reason = fmt.Sprintf("no answer within %s", requestTimeout.Round(time.Millisecond))
	}
	return badInput("Rosterdesk cannot reach the API at %s (%s, for %s). Check the address and this computer's network connection.%s", ne.host, reason, c.what, c.pending())
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func (t *target) tokenRefused(re *oauth2.RetrieveError) error {
	status := re.Response.StatusCode
	switch {
	case status == http.StatusUnauthorized || re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client":
		return badInput("Rosterdesk could not sign in at %s: it refused the client ID or secret (%d). Check both in the connection's settings (a secret pasted with a space at the end is a common cause).", t.tokenHost, status)
	case re.ErrorCode == "invalid_scope":
		return badInput("The token URL refused the scopes asked for (%s). Check Scopes in the connection's settings against the API's documentation.", re.ErrorDescription)
	case status == http.StatusNotFound:
		return badInput("The token URL %s does not exist (HTTP 404): check the token URL.", t.tokenURL)
	}
	return badInput("The token URL %s answered HTTP %d (%s); check the token URL, or try again later.", t.tokenURL, status, apiMessage(re.Body))
}

func (t *target) credentialsRefused(r reply) error {
	check := "the client ID and secret"
	if t.creds.cc == nil {
		check = "the API key and the API key header"
	}
	msg := fmt.Sprintf("The API refused Rosterdesk's credentials (401) at %s: check %s in the connection's settings.", t.host, check)
	if m := apiMessage(r.body); m != "" {
		msg += " It said: " + m
	}
	return apperr.New(apperr.CodeBadInput, msg)
}

// unavailable is what the push says when an API kept answering r to the request c.
func (t *target) unavailable(r reply, c call) error {
	said := ""
	if m := apiMessage(r.body); m != "" {
		said = ": " + m
	}
	if r.status == http.StatusTooManyRequests {
		return badInput("The API at %s still asked Rosterdesk to slow down (429) after %d tries, for %s%s. Try again later.%s", t.host, maxTries, c.what, said, c.pending())
	}
	return badInput("The API at %s answered HTTP %d %d times in a row, for %s%s. The system has a problem: try again later.%s", t.host, r.status, maxTries, c.what, said, c.pending())
}

func badInput(format string, args ...any) error {
	return apperr.New(apperr.CodeBadInput, fmt.Sprintf(format, args...))
}
