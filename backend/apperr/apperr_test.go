package apperr

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

type rowError struct{}

func (rowError) Error() string { return "users.csv line 3: the date 31/02/2024 is not a date" }
func (rowError) ErrorDetails() any {
	return map[string]any{"file": "users.csv", "line": 3, "column": "birthDate"}
}

// Wails hands the formatter's value to new Error(value) in the window: only text survives that, so
// the error must arrive as JSON text holding the code, the message and the details.
func TestFormatIsJSONText(t *testing.T) {
	for _, tc := range []struct {
		err                   error
		code, message, detail string
	}{
		{fmt.Errorf("reading: %w", rowError{}), CodeBadInput, "reading: users.csv line 3: the date 31/02/2024 is not a date", `{"column":"birthDate","file":"users.csv","line":3}`},
		{New(CodeNotFound, "That connection is gone (was it removed?)."), CodeNotFound, "That connection is gone (was it removed?).", "null"},
		{context.Canceled, CodeCancelled, "Cancelled. Nothing was changed.", "null"},
		{&Error{Code: CodeInvalid, Message: "odd details", Details: func() {}}, CodeInvalid, "odd details", "null"},
	} {
		text, ok := Format(tc.err).(string)
		if !ok {
			t.Fatalf("Format(%v) = %T, want JSON text", tc.err, Format(tc.err))
		}
		var got struct {
			Code, Message string
			Details       json.RawMessage
		}
		if err := json.Unmarshal([]byte(text), &got); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if got.Details == nil {
			got.Details = json.RawMessage("null")
		}
		if got.Code != tc.code || got.Message != tc.message || string(got.Details) != tc.detail {
			t.Errorf("Format(%v) = %s", tc.err, text)
		}
	}
}
