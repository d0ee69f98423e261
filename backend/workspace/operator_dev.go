//go:build dev

package workspace

// A development build trusts ROSTERDESK_OPERATOR, so browser tests run the app as another operator.
func init() { operatorVarTrusted = true }
