package xpress

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rosterdesk/rosterdesk/backend/connector/retry/faulttest"
)

// A server whose certificate this computer does not trust is refused in words, before the client
// secret is sent.
func TestFaultUntrustedCertificateRefused(t *testing.T) {
	srv := faulttest.Certificates(t, http.NotFoundHandler()).SelfSigned
	settings := map[string]string{"baseUrl": srv.URL + "/api", "tokenUrl": srv.URL + "/token", "clientId": "x"}
	_, err := open(t, settings, map[string]string{"clientSecret": "s"}).Test(context.Background())
	want := "Rosterdesk refused to connect to " + strings.TrimPrefix(srv.URL, "https://") + ": its certificate is not trusted by this computer"
	if err == nil || !strings.Contains(err.Error(), want) || srv.Requests.Load() != 0 {
		t.Fatalf("%v (%d requests), want %q", err, srv.Requests.Load(), want)
	}
}
