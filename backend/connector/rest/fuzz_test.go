package rest

import (
	"testing"
	"unicode/utf8"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// FuzzPage reads any answer as a page of users and turns each record into a roster record: nothing
// may panic, and every value is text a workspace can store.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`{"users":[{"sourcedId":"u1","status":"active","givenName":"Ana","enabledUser":true,"roles":[{"roleType":"primary","role":"student","org":{"sourcedId":"s1"}}],"grades":["03",4],"metadata":{"x":1}}]}`))
	f.Add([]byte(`{"users":null,"statusInfoSet":[]}`))
	f.Add([]byte(`{"users":[{"sourcedId":7,"givenName":{"a":[1,2]},"userIds":[{"type":"x","identifier":"y"}],"agents":[{"sourcedId":"p1","type":"user"}]}]}`))
	f.Add([]byte(`{"users":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		recs, err := envelope(body, "users")
		if err != nil {
			return
		}
		for _, obj := range recs {
			rec := toRecord(roster.Users, obj)
			for _, v := range rec.Values {
				if !utf8.ValidString(v) && utf8.Valid(body) {
					t.Fatalf("value %q is not UTF-8", v)
				}
			}
			rolesOf(obj)
		}
	})
}
