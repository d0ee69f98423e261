package restpush

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector/retry/faulttest"
)

// A certificate that is self-signed, expired or for another name is refused in words that say which,
// before any record or key is sent, and nothing is reported as delivered.
func TestFaultCertificatesRefusedInWords(t *testing.T) {
	bad := faulttest.Certificates(t, http.NotFoundHandler())
	for _, c := range bad.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			tg := open(t, keySettings(c.Server.URL))
			if c.Trust {
				tg.http.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: bad.Authority}
			}
			want := "Rosterdesk refused to connect to " + strings.TrimPrefix(c.Server.URL, "https://") + ": " + c.Want
			got, err := answers(t, context.Background(), tg, students(5))
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "never skips this check") || len(got) != 0 {
				t.Fatalf("push: %v (%d reported), want %q", err, len(got), want)
			}
			if c.Server.Requests.Load() != 0 {
				t.Fatalf("%d requests reached the server past its certificate", c.Server.Requests.Load())
			}
		})
	}
}

// A server that closes the connection in the middle of a record's request, every time, gets that
// request a bounded number of times; the push stops in words, and only the records the API
// acknowledged are reported delivered.
func TestFaultConnectionClosedMidRequest(t *testing.T) {
	var mu sync.Mutex
	acked := map[string]bool{}
	tries := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rec struct {
			Number string `json:"student_number"`
		}
		json.NewDecoder(r.Body).Decode(&rec)
		if rec.Number == "S7" {
			mu.Lock()
			tries++
			mu.Unlock()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		mu.Lock()
		acked[rec.Number] = true
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	got, err := answers(t, context.Background(), open(t, keySettings(srv.URL)), students(40))
	if err == nil || !strings.Contains(err.Error(), "the connection broke off before an answer came, for POST /api/v1/students") ||
		!strings.Contains(err.Error(), "The records not sent yet wait for the next export.") {
		t.Fatalf("got %v", err)
	}
	if tries != maxTries {
		t.Fatalf("record 7 was sent %d times, want %d", tries, maxTries)
	}
	for id, r := range got {
		if r.Err == nil && !acked["S"+id] {
			t.Errorf("record %s is reported delivered though the API never acknowledged it", id)
		}
	}
	if r, ok := got["7"]; ok && r.Err == nil {
		t.Fatal("the record whose request was cut off is reported delivered")
	}
	if delivered(got) == 0 {
		t.Fatal("no record was acknowledged before the push stopped")
	}
}
