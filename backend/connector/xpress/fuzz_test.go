package xpress

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzStudents reads any answer as a page of xStudents and maps each: nothing may panic.
func FuzzStudents(f *testing.F) {
	f.Add([]byte(`{"xStudents":{"xStudent":[{"refId":"s1","name":{"givenName":"Ana","familyName":"Lopez"},"enrollment":{"schoolRefId":"org-2","gradeLevel":"03"},"otherIds":{"otherId":{"type":"SIS","id":"9"}}}]}}`))
	f.Add([]byte(`{"xStudents":[{"@refId":"s2"}]}`))
	f.Add([]byte(`{"xStudents":{"xStudent":{"refId":"s3","demographics":{"sex":"F","birthDate":"2011-02-30"}}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := envelope(bytes.NewReader(body), "xStudents")
		if err != nil {
			return
		}
		for _, raw := range items {
			var x xStudent
			if json.Unmarshal(raw, &x) == nil {
				x.records()
			}
		}
	})
}
