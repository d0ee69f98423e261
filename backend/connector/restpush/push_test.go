package restpush

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
)

// students are n new users, numbered from 1; the ones in bad have an email without @.
func students(n int, bad ...int) []connector.Push {
	out := make([]connector.Push, n)
	for i := range out {
		email := fmt.Sprintf("s%d@school.example.org", i+1)
		if slices.Contains(bad, i+1) {
			email = fmt.Sprintf("s%d.school.example.org", i+1)
		}
		out[i] = connector.Push{Entity: "users", Action: connector.PushCreate, ID: fmt.Sprint(i + 1),
			Body: fmt.Appendf(nil, `{"student_number": "S%d", "last_name": "Ngô", "email": %q}`, i+1, email)}
	}
	return out
}

// answers runs a push and returns what done got, by Push.ID.
func answers(t testing.TB, ctx context.Context, tg *target, items []connector.Push) (map[string]connector.Pushed, error) {
	t.Helper()
	got := map[string]connector.Pushed{}
	var busy atomic.Bool
	err := tg.Push(ctx, slices.Values(items), func(p connector.Push, r connector.Pushed) error {
		if !busy.CompareAndSwap(false, true) {
			t.Error("done called while another call was running")
		}
		defer busy.Store(false)
		if _, dup := got[p.ID]; dup {
			t.Errorf("record %s reported twice", p.ID)
		}
		got[p.ID] = r
		return nil
	}, events.Discard)
	return got, err
}

func delivered(got map[string]connector.Pushed) int {
	n := 0
	for _, r := range got {
		if r.Err == nil {
			n++
		}
	}
	return n
}

// apiRequests are the requests to the API proper, in the order they arrived.
func apiRequests(api *pushtest.API) []pushtest.Request {
	reqs := slices.DeleteFunc(api.Requests(), func(r pushtest.Request) bool { return r.Path == pushtest.TokenPath })
	slices.SortFunc(reqs, func(a, b pushtest.Request) int { return a.At.Compare(b.At) })
	return reqs
}

func TestCreateUpdateDelete(t *testing.T) {
	srv := pushtest.New(pushtest.Options{ClientID: clientID, ClientSecret: clientSecret, KeyField: "student_number"})
	defer srv.Close()
	tg := open(t, oauthSettings(srv.URL))
	ctx := context.Background()
	items := students(3)
	items[2].Body = []byte(`{"student_number": "S/3 b", "last_name": "Ngô"}`) // a key that needs escaping
	items = append(items, connector.Push{Entity: "classes", Action: connector.PushCreate, ID: "c1", Body: []byte(`{"section": "MATH-7"}`)})
	got, err := answers(t, ctx, tg, items)
	if err != nil || delivered(got) != 4 {
		t.Fatalf("create: %v %+v", err, got)
	}
	if got["1"].Status != http.StatusCreated || !strings.Contains(got["1"].Body, `"id":"S1"`) {
		t.Fatalf("answer: %+v", got["1"])
	}
	if recs := srv.Records("/api/v1/students"); len(recs) != 3 || recs["S/3 b"]["last_name"] != "Ngô" {
		t.Fatalf("students at the API: %v", recs)
	}
	if recs := srv.Records("/api/v1/sections"); len(recs) != 1 {
		t.Fatalf("sections at the API: %v", recs)
	}
	for _, r := range apiRequests(srv.API) {
		if r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			t.Fatalf("request %s %s %v", r.Method, r.Path, r.Header)
		}
	}

	changes := []connector.Push{
		{Entity: "users", Action: connector.PushUpdate, Key: "S/3 b", ID: "3", Body: []byte(`{"student_number": "S/3 b", "last_name": "Nguyen"}`)},
		{Entity: "users", Action: connector.PushDelete, Key: "S1", ID: "1"},
		{Entity: "users", Action: connector.PushUpdate, Key: "S99", ID: "99", Body: []byte(`{"student_number": "S99"}`)},
		{Entity: "users", Action: connector.PushDelete, Key: "S98", ID: "98"},
	}
	got, err = answers(t, ctx, tg, changes)
	if err != nil {
		t.Fatal(err)
	}
	if got["3"].Err != nil || got["3"].Status != http.StatusOK || got["1"].Err != nil || got["1"].Status != http.StatusNoContent {
		t.Fatalf("update and delete: %+v", got)
	}
	recs := srv.Records("/api/v1/students")
	if _, gone := recs["S1"]; gone || recs["S/3 b"]["last_name"] != "Nguyen" {
		t.Fatalf("students at the API: %v", recs)
	}
	for _, id := range []string{"99", "98"} {
		if r := got[id]; r.Status != http.StatusNotFound || r.Err == nil || !strings.Contains(r.Err.Error(), "the API has no record \"S9") ||
			!strings.Contains(r.Err.Error(), "(404)") || !strings.Contains(r.Err.Error(), "no record with the id S9") {
			t.Errorf("unknown record %s: %+v", id, r)
		}
	}
	paths := map[string]bool{}
	for _, r := range apiRequests(srv.API)[4:] {
		paths[r.Method+" "+r.Path] = true
		if r.Method == "DELETE" && len(r.Body) != 0 {
			t.Errorf("a delete with a body: %s", r.Body)
		}
	}
	for _, want := range []string{"PUT /api/v1/students/S%2F3%20b", "DELETE /api/v1/students/S1", "PUT /api/v1/students/S99", "DELETE /api/v1/students/S98"} {
		if !paths[want] {
			t.Errorf("no %s among %v", want, paths)
		}
	}
}

func TestBoundedConcurrency(t *testing.T) {
	srv := pushtest.New(pushtest.Options{APIKey: apiKey, Delay: 100 * time.Millisecond})
	defer srv.Close()
	got, err := answers(t, context.Background(), open(t, keySettings(srv.URL)), students(48))
	if err != nil || delivered(got) != 48 {
		t.Fatalf("%v, %d delivered", err, delivered(got))
	}
	if n := srv.MaxInFlight(); n != workers {
		t.Fatalf("%d requests at once, want %d", n, workers)
	}
	if r := apiRequests(srv.API)[0]; r.Header.Get("X-API-Key") != apiKey {
		t.Fatalf("key not sent: %v", r.Header)
	}
}

func TestExpiredTokenIsReplaced(t *testing.T) {
	srv := pushtest.New(pushtest.Options{ClientID: clientID, ClientSecret: clientSecret, TokenUses: 20})
	defer srv.Close()
	got, err := answers(t, context.Background(), open(t, oauthSettings(srv.URL)), students(200))
	if err != nil || delivered(got) != 200 {
		t.Fatalf("%v, %d delivered", err, delivered(got))
	}
	// A token is fetched when the one before has run out, not once per refused request.
	if tokens := len(srv.Requests()) - len(apiRequests(srv.API)); tokens < 200/20 || tokens > 2*200/20 {
		t.Fatalf("%d tokens fetched for 200 records at 20 requests a token", tokens)
	}
}

func TestCredentialsRefusedTwiceStops(t *testing.T) {
	var tokens, api atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pushtest.TokenPath {
			n := tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token": "t%d", "token_type": "Bearer", "expires_in": 3600}`, n)
			return
		}
		api.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error": "invalid_token", "error_description": "client is disabled"}`)
	}))
	defer srv.Close()
	got, err := answers(t, context.Background(), open(t, oauthSettings(srv.URL)), students(500))
	if err == nil || !strings.Contains(err.Error(), "refused Rosterdesk's credentials (401)") || !strings.Contains(err.Error(), "check the client ID and secret") ||
		!strings.Contains(err.Error(), "client is disabled") {
		t.Fatalf("got %v", err)
	}
	if len(got) != 0 || tokens.Load() != 2 || api.Load() > 2*workers {
		t.Fatalf("%d reported, %d tokens, %d API requests", len(got), tokens.Load(), api.Load())
	}

	// With an API key there is nothing to renew: the first 401 stops.
	key := pushtest.New(pushtest.Options{APIKey: "another key"})
	defer key.Close()
	_, err = answers(t, context.Background(), open(t, keySettings(key.URL)), students(100))
	if err == nil || !strings.Contains(err.Error(), "check the API key") || len(key.Requests()) > workers {
		t.Fatalf("got %v after %d requests", err, len(key.Requests()))
	}
}

// sent is when a request left and its answer came back.
type sent struct {
	start, end time.Time
	status     int
}

// recorder logs every request the target makes.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	log  []sent
}

func (rec *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	s := sent{start: time.Now()}
	resp, err := rec.next.RoundTrip(req)
	s.end = time.Now()
	if err == nil {
		s.status = resp.StatusCode
	}
	rec.mu.Lock()
	rec.log = append(rec.log, s)
	rec.mu.Unlock()
	return resp, err
}

func TestTooManyRequestsPausesEveryWorker(t *testing.T) {
	t.Parallel()
	date := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second)
	for _, tc := range []struct {
		name, after string
		until       func(answered time.Time) time.Time
	}{
		{"seconds", "1", func(answered time.Time) time.Time { return answered.Add(time.Second) }},
		{"HTTP date", date.Format(http.TimeFormat), func(time.Time) time.Time { return date }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// One 429, at the 100th request; without a pause the other 80 records would go on
			// leaving for about 400 ms.
			srv := pushtest.New(pushtest.Options{Throttle: 100, RetryAfter: tc.after, Delay: 40 * time.Millisecond})
			defer srv.Close()
			tg := open(t, keySettings(srv.URL))
			rec := &recorder{next: tg.http.Transport}
			tg.http.Transport = rec
			got, err := answers(t, context.Background(), tg, students(180))
			if err != nil || delivered(got) != 180 {
				t.Fatalf("%v, %d delivered", err, delivered(got))
			}
			i := slices.IndexFunc(rec.log, func(s sent) bool { return s.status == http.StatusTooManyRequests })
			if i < 0 {
				t.Fatal("no 429")
			}
			// A worker past the gate when the 429 came may still send; then nothing leaves until the pause is over.
			answered, until := rec.log[i].end, tc.until(rec.log[i].end)
			last := answered
			for _, s := range rec.log {
				if s.start.After(answered.Add(50*time.Millisecond)) && s.start.Before(until.Add(-10*time.Millisecond)) {
					t.Fatalf("a request left %s after the 429 that asked for a pause of %s", s.start.Sub(answered), until.Sub(answered))
				}
				if s.start.After(last) {
					last = s.start
				}
			}
			if last.Before(until) {
				t.Fatalf("the push ended %s before the pause did", until.Sub(last))
			}
		})
	}
}

func TestOutageRetried(t *testing.T) {
	srv := pushtest.New(pushtest.Options{Unavailable: 3})
	defer srv.Close()
	got, err := answers(t, context.Background(), open(t, keySettings(srv.URL)), students(20))
	if err != nil || delivered(got) != 20 {
		t.Fatalf("%v, %d delivered", err, delivered(got))
	}
}

func TestOutageThatLastsStops(t *testing.T) {
	var n, created atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 25 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"message": "database is down"}`)
			return
		}
		created.Add(1)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"id": "x"}`)
	}))
	defer srv.Close()
	got, err := answers(t, context.Background(), open(t, keySettings(srv.URL)), students(200))
	if err == nil || !strings.Contains(err.Error(), "answered HTTP 503 5 times in a row, for POST /api/v1/students: database is down") ||
		!strings.Contains(err.Error(), "try again later. The records not sent yet wait for the next export.") {
		t.Fatalf("got %v", err)
	}
	if int32(len(got)) != created.Load() || delivered(got) != len(got) {
		t.Fatalf("%d reported for %d created", len(got), created.Load())
	}

	busy := pushtest.New(pushtest.Options{Throttle: 1, RetryAfter: "0"})
	defer busy.Close()
	_, err = answers(t, context.Background(), open(t, keySettings(busy.URL)), students(20))
	if err == nil || !strings.Contains(err.Error(), "still asked Rosterdesk to slow down (429) after 5 tries, for POST /api/v1/students: rate limit exceeded") {
		t.Fatalf("got %v", err)
	}
}

func TestRefusedRecordFailsAlone(t *testing.T) {
	srv := pushtest.New(pushtest.Options{RejectEmailWithoutAt: true})
	defer srv.Close()
	items := students(30, 7, 21)
	items[9].Body = []byte(`{"student_number": "S10", "email": ""}`) // no address is not a wrong one
	got, err := answers(t, context.Background(), open(t, keySettings(srv.URL)), items)
	if err != nil || delivered(got) != 28 || len(got) != 30 {
		t.Fatalf("%v: %d of %d delivered", err, delivered(got), len(got))
	}
	r := got["7"]
	want := `the API refused this record (422): email is not valid: email: "s7.school.example.org" has no @`
	if r.Err == nil || r.Err.Error() != want || r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "has no @") {
		t.Fatalf("got %+v, want %q", r, want)
	}
}

func TestSlowAndSilentAPIs(t *testing.T) {
	slow := pushtest.New(pushtest.Options{Delay: 400 * time.Millisecond})
	defer slow.Close()
	got, err := answers(t, context.Background(), open(t, keySettings(slow.URL)), students(16))
	if err != nil || delivered(got) != 16 {
		t.Fatalf("slow API: %v, %d delivered", err, delivered(got))
	}

	silent := pushtest.New(pushtest.Options{Delay: time.Hour})
	defer silent.Close()
	defer func(d time.Duration) { requestTimeout = d }(requestTimeout)
	requestTimeout = 100 * time.Millisecond
	tg := open(t, keySettings(silent.URL))
	start := time.Now()
	_, err = answers(t, context.Background(), tg, students(3))
	if err == nil || !strings.Contains(err.Error(), "no answer within 100ms") || time.Since(start) > 10*time.Second {
		t.Fatalf("silent API: %v after %s", err, time.Since(start))
	}
}

func TestCancelStopsQuickly(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts pushtest.Options
	}{
		{"requests on their way", pushtest.Options{Delay: time.Minute}},
		{"waiting out a 429", pushtest.Options{Throttle: 1, RetryAfter: "30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := pushtest.New(tc.opts)
			defer srv.Close()
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			start := time.Now()
			got, err := answers(t, ctx, open(t, keySettings(srv.URL)), students(1000))
			if !errors.Is(err, context.Canceled) || len(got) != 0 || time.Since(start) > 2*time.Second {
				t.Fatalf("%v, %d reported, after %s", err, len(got), time.Since(start))
			}
		})
	}
}

func TestDoneErrorStops(t *testing.T) {
	srv := pushtest.New(pushtest.Options{})
	defer srv.Close()
	stop := errors.New("the baseline cannot be written")
	calls := 0
	err := open(t, keySettings(srv.URL)).Push(context.Background(), slices.Values(students(500)), func(connector.Push, connector.Pushed) error {
		calls++
		if calls == 10 {
			return stop
		}
		return nil
	}, nil)
	if !errors.Is(err, stop) || calls != 10 || len(srv.Requests()) > 10+2*workers {
		t.Fatalf("%v after %d calls and %d requests", err, calls, len(srv.Requests()))
	}
}

func TestHostileAnswersAreBounded(t *testing.T) {
	endless := pushtest.New(pushtest.Options{EndlessBody: true})
	defer endless.Close()
	got, err := answers(t, context.Background(), open(t, keySettings(endless.URL)), students(4))
	if err != nil || delivered(got) != 4 || len(got["1"].Body) > maxBody {
		t.Fatalf("endless body: %v, %+v", err, got)
	}
	if n := endless.EndlessBytes(); n > 64<<20 {
		t.Fatalf("the API got to write %d bytes", n)
	}

	// 1 GB promised, whatever arrives is cut off after a bounded read.
	var written atomic.Int64
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(1<<30))
		w.WriteHeader(http.StatusUnprocessableEntity)
		chunk := make([]byte, 64<<10)
		copy(chunk, `{"message": "`)
		for written.Load() < 1<<30 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer huge.Close()
	got, err = answers(t, context.Background(), open(t, keySettings(huge.URL)), students(2))
	if err != nil || got["1"].Err == nil || len(got["1"].Body) > maxBody || len(got["1"].Err.Error()) > 2*maxMessage {
		t.Fatalf("1 GB body: %v, %+v", err, got["1"])
	}
	if n := written.Load(); n > 64<<20 {
		t.Fatalf("read %d bytes of a 1 GB answer", n)
	}

	// A 201 whose body breaks off: the record arrived, and is not sent twice.
	cut := pushtest.New(pushtest.Options{CutBody: true})
	defer cut.Close()
	got, err = answers(t, context.Background(), open(t, keySettings(cut.URL)), students(3))
	if err != nil || delivered(got) != 3 || got["1"].Status != http.StatusCreated || len(cut.Requests()) != 3 {
		t.Fatalf("cut body: %v, %+v, %d requests", err, got, len(cut.Requests()))
	}
}

func TestUntrustedCertificateRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	defer srv.Close()
	tg := open(t, keySettings(srv.URL))
	got, err := answers(t, context.Background(), tg, students(5))
	if err == nil || !strings.Contains(err.Error(), "its certificate is not trusted by this computer") || len(got) != 0 || hits.Load() != 0 {
		t.Fatalf("push: %v, %d reported, %d requests", err, len(got), hits.Load())
	}
	if _, err := tg.Test(context.Background()); err == nil || !strings.Contains(err.Error(), "its certificate is not trusted by this computer") {
		t.Fatalf("test: %v", err)
	}
}

func TestTestConnection(t *testing.T) {
	srv := pushtest.New(pushtest.Options{ClientID: clientID, ClientSecret: clientSecret, APIKey: apiKey})
	defer srv.Close()
	for _, settings := range []map[string]string{oauthSettings(srv.URL), keySettings(srv.URL)} {
		msg, err := open(t, settings).Test(context.Background())
		if err != nil || !strings.Contains(msg, "the endpoints answer (classes /api/v1/sections, users /api/v1/students). Nothing was written.") {
			t.Fatalf("got %q, %v", msg, err)
		}
	}
	for _, r := range srv.Requests() {
		if r.Path != pushtest.TokenPath && (r.Method != "GET" || r.Query.Get("limit") != "1") {
			t.Fatalf("Test sent %s %s", r.Method, r.Path)
		}
	}
	wrongSecret := oauthSettings(srv.URL)
	tg := open(t, wrongSecret)
	tg.creds.cc.ClientSecret = "wrong"
	if _, err := tg.Test(context.Background()); err == nil || !strings.Contains(err.Error(), "refused the client ID or secret (401)") {
		t.Fatalf("wrong secret: %v", err)
	}

	answer := map[string]int{"/api/v1/students": http.StatusMethodNotAllowed, "/api/v1/sections": http.StatusNotFound}
	odd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != apiKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(answer[r.URL.Path])
	}))
	defer odd.Close()
	settings := keySettings(odd.URL)
	if msg, err := open(t, with(settings, "endpoints", `{"users": "/api/v1/students"}`)).Test(context.Background()); err != nil || !strings.Contains(msg, "users /api/v1/students") {
		t.Fatalf("405 is an answer: %q, %v", msg, err)
	}
	if _, err := open(t, settings).Test(context.Background()); err == nil || !strings.Contains(err.Error(), "The classes endpoint /api/v1/sections was not found") {
		t.Fatalf("404: %v", err)
	}
	keyed := with(settings, "apiKeyHeader", "Authorization-Key")
	if _, err := open(t, keyed).Test(context.Background()); err == nil || !strings.Contains(err.Error(), "refused Rosterdesk's credentials (401)") {
		t.Fatalf("401: %v", err)
	}
}

// pushThrottled pushes n students to an API that answers 429 every 50 requests and returns the rate.
func pushThrottled(t testing.TB, n int) float64 {
	srv := pushtest.New(pushtest.Options{ClientID: clientID, ClientSecret: clientSecret, Throttle: 50, RetryAfter: "0"})
	defer srv.Close()
	start := time.Now()
	var mu sync.Mutex
	count := 0
	err := open(t, oauthSettings(srv.URL)).Push(context.Background(), slices.Values(students(n)), func(_ connector.Push, r connector.Pushed) error {
		mu.Lock()
		defer mu.Unlock()
		if r.Err == nil {
			count++
		}
		return nil
	}, nil)
	rate := float64(n) / time.Since(start).Seconds()
	if err != nil || count != n || len(srv.Records("/api/v1/students")) != n {
		t.Fatalf("%v: %d delivered, %d at the API", err, count, len(srv.Records("/api/v1/students")))
	}
	return rate
}

func TestTenThousandWithRateLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 requests")
	}
	t.Logf("%.0f records/s", pushThrottled(t, 10000))
}

func BenchmarkPushThrottled(b *testing.B) {
	for b.Loop() {
		b.ReportMetric(pushThrottled(b, 10000), "records/s")
	}
}
