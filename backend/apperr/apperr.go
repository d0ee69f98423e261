// Package apperr carries errors to the user as values with a code the UI can act on, a message a
// registrar understands and optional details (e.g. file, line, column).
package apperr

import (
	"context"
	"encoding/json"
	"errors"
)

// Codes the front end and the CLI know.
const (
	CodeInvalid   = "invalid"   // the request or a value in it is wrong
	CodeNotFound  = "not_found" // the thing asked for does not exist
	CodeConflict  = "conflict"  // e.g. a name already used
	CodeBadInput  = "bad_input" // a file or source that cannot be read
	CodeCancelled = "cancelled" // the user cancelled
	CodeBusy      = "busy"      // another job holds what this one needs
	CodeForbidden = "forbidden" // the operator's role lacks the right (backend/rights)
	CodeInternal  = "internal"  // anything unexpected
)

// Error is an error for people: Code for programs, Message for the person, Details for specifics.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
}

func (e *Error) Error() string { return e.Message }

// New returns an Error.
func New(code, message string) *Error { return &Error{Code: code, Message: message} }

// Detailer is implemented by errors that carry structured details (file, line, column).
type Detailer interface{ ErrorDetails() any }

// From turns any error into an *Error: an *Error passes through, cancellation becomes CodeCancelled,
// an error with details becomes CodeBadInput, anything else CodeInternal with its text.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) {
		return New(CodeCancelled, "Cancelled. Nothing was changed.")
	}
	if busyDatabase(err) {
		return New(CodeBusy, "Another Rosterdesk (a window, the command line or a scheduled run) kept this workspace busy for more than 10 seconds, so nothing was changed. Try again when its run has finished.")
	}
	var d Detailer
	if errors.As(err, &d) {
		return &Error{Code: CodeBadInput, Message: err.Error(), Details: d.ErrorDetails()}
	}
	return New(CodeInternal, err.Error())
}

// busyDatabase reports SQLITE_BUSY (5, in the low byte of an extended code) from the sqlite driver,
// whose errors have a Code method: another process held the workspace past the busy timeout.
func busyDatabase(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == 5
}

// Format is the Wails ErrorFormatter. It returns the error as JSON text, not as an object: Wails'
// runtime rejects the call with new Error(value) (Callback in runtime/desktop/calls.js, which the
// desktop IPC and the development server's websocket both call), and an object would become
// "[object Object]". The window's toAppError reads the text back.
func Format(err error) any {
	e := From(err)
	text, jerr := json.Marshal(e)
	if jerr != nil { // details that do not encode: the message still reaches the window
		text, _ = json.Marshal(New(e.Code, e.Message))
	}
	return string(text)
}
