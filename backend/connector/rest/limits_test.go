package rest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/hostile"
)

// stageFrom stages a OneRoster 1.2 source (OAuth 1, which a test server need not check) served by
// handler, within the memory ceiling, and returns the error.
func stageFrom(t *testing.T, handler http.HandlerFunc) error {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	src := open(t, map[string]string{"baseUrl": srv.URL, "version": "1.2", "clientId": "c", "auth": "oauth1"}, map[string]string{"clientSecret": "s"})
	var err error
	hostile.Within(t, func() { _, err = src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard) })
	return err
}

func TestAPageThatNeverEndsIsCutAt64MB(t *testing.T) {
	err := stageFrom(t, func(w http.ResponseWriter, r *http.Request) {
		hostile.Stream(w, fmt.Sprintf(`{"%s":[`, path.Base(r.URL.Path)), `{"sourcedId":"x","status":"active","name":"North School"},`)
	})
	if err == nil || !strings.Contains(err.Error(), "sent more than 64 MB in one answer") {
		t.Fatalf("got %v", err)
	}
}

func TestPagingThatNeverEndsStops(t *testing.T) {
	defer func(was int) { maxRecords = was }(maxRecords)
	maxRecords = 1000
	err := stageFrom(t, func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var recs []string
		for i := offset; i < offset+limit; i++ {
			recs = append(recs, fmt.Sprintf(`{"sourcedId":"org-%d","status":"active","name":"School %d","type":"school"}`, i, i))
		}
		fmt.Fprintf(w, `{"%s":[%s]}`, path.Base(r.URL.Path), strings.Join(recs, ","))
	})
	if err == nil || !strings.Contains(err.Error(), "kept sending new orgs past 1000 records") {
		t.Fatalf("got %v", err)
	}
}
