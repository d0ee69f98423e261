package restpush

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxMessage is how much of an API's message a registrar is shown.
const maxMessage = 500

// apiMessage is what an API said in an error answer: the message of a JSON error body in the shapes
// APIs commonly use ({"message"}, {"error": "…"} or {"error": {"message"}}, OAuth's error_description,
// RFC 9457's detail and title, a list or object of errors per field), else the body's text; cut to
// maxMessage characters.
func apiMessage(body []byte) string {
	var doc map[string]any
	msg := ""
	if json.Unmarshal(body, &doc) == nil {
		msg = summary(doc)
		if details := fieldErrors(doc["errors"]); details != "" && !strings.Contains(msg, details) {
			msg = strings.TrimPrefix(msg+": "+details, ": ")
		}
	}
	if msg == "" {
		msg = string(body)
	}
	return cut(strings.Join(strings.Fields(msg), " "), maxMessage)
}

func summary(doc map[string]any) string {
	if e, ok := doc["error"].(map[string]any); ok { // {"error": {"code": 42, "message": "…"}}
		return summary(e)
	}
	for _, key := range []string{"message", "error_description", "detail", "title", "error", "msg", "description"} {
		if s, ok := doc[key].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// fieldErrors reads errors as ["…"], [{"field": "email", "message": "…"}] or {"email": ["…"]}.
func fieldErrors(v any) string {
	var parts []string
	switch errs := v.(type) {
	case []any:
		for _, e := range errs {
			switch e := e.(type) {
			case string:
				parts = append(parts, e)
			case map[string]any:
				msg := summary(e)
				for _, key := range []string{"field", "path", "pointer", "source"} {
					if f, ok := e[key].(string); ok && f != "" && msg != "" {
						msg = f + ": " + msg
						break
					}
				}
				if msg != "" {
					parts = append(parts, msg)
				}
			}
		}
	case map[string]any:
		for _, field := range slices.Sorted(maps.Keys(errs)) {
			switch m := errs[field].(type) {
			case string:
				parts = append(parts, field+": "+m)
			case []any:
				for _, s := range m {
					parts = append(parts, fmt.Sprintf("%s: %v", field, s))
				}
			}
		}
	}
	return strings.Join(parts, "; ")
}

// cut shortens s to n characters, marking the cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
