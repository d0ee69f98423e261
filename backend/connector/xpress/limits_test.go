package xpress

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

// stageFrom stages an xPress source whose token endpoint signs anyone in and whose lists handler
// answers, within the memory ceiling, and returns the error.
func stageFrom(t *testing.T, lists http.HandlerFunc) error {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"t","token_type":"Bearer","expires_in":3600}`)
			return
		}
		lists(w, r)
	}))
	t.Cleanup(srv.Close)
	src := open(t, map[string]string{"baseUrl": srv.URL + "/api", "tokenUrl": srv.URL + "/token", "clientId": "c"}, map[string]string{"clientSecret": "s"})
	var err error
	hostile.Within(t, func() { _, err = src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard) })
	return err
}

func TestAnAnswerThatNeverEndsIsCutAt64MB(t *testing.T) {
	err := stageFrom(t, func(w http.ResponseWriter, r *http.Request) {
		hostile.Stream(w, fmt.Sprintf(`{"%s":{"%s":[`, path.Base(r.URL.Path), strings.TrimSuffix(path.Base(r.URL.Path), "s")), `{"refId":"x","name":"North District"},`)
	})
	if err == nil || !strings.Contains(err.Error(), "sent more than 64 MB in one answer (xLeas)") {
		t.Fatalf("got %v", err)
	}
}

func TestPagingThatNeverEndsStops(t *testing.T) {
	defer func(was int) { maxRecords = was }(maxRecords)
	maxRecords = 70
	err := stageFrom(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.Header.Get("navigationPage"))
		var items []string
		for i := range pageSize {
			items = append(items, fmt.Sprintf(`{"refId":"lea-%d-%d","leaName":"District"}`, n, i))
		}
		fmt.Fprintf(w, `{"xLeas":{"xLea":[%s]}}`, strings.Join(items, ","))
	})
	if err == nil || !strings.Contains(err.Error(), "kept sending pages of xLeas past 70 records") {
		t.Fatalf("got %v", err)
	}
}
