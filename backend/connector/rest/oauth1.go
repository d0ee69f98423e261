package rest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OAuth 1.0a request signing (RFC 5849) with HMAC-SHA256, as OneRoster 1.1 providers use it: the
// consumer key and secret sign every request, with no token. It is written here by hand because no
// well-kept Go library signs plain requests with HMAC-SHA256 (the maintained OAuth 1 packages serve
// three-legged HMAC-SHA1 flows), and the algorithm fits on a page of the RFC.

// signOAuth1 adds the Authorization header that signs req with the consumer key and secret.
func signOAuth1(req *http.Request, key, secret string, now time.Time) error {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	oauth := [][2]string{
		{"oauth_consumer_key", key},
		{"oauth_nonce", hex.EncodeToString(nonce)},
		{"oauth_signature_method", "HMAC-SHA256"},
		{"oauth_timestamp", strconv.FormatInt(now.Unix(), 10)},
		{"oauth_version", "1.0"},
	}
	// Every query parameter is signed (limit, offset, sort, filter), as the server sees them decoded.
	query, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return err
	}
	params := append([][2]string{}, oauth...)
	for name, values := range query {
		for _, v := range values {
			params = append(params, [2]string{name, v})
		}
	}
	// The token secret is empty: the key is the encoded consumer secret and "&".
	mac := hmac.New(sha256.New, []byte(percentEncode(secret)+"&"))
	mac.Write([]byte(signatureBase(req.Method, req.URL, params)))
	oauth = append(oauth, [2]string{"oauth_signature", base64.StdEncoding.EncodeToString(mac.Sum(nil))})
	parts := make([]string, len(oauth))
	for i, p := range oauth {
		parts[i] = percentEncode(p[0]) + `="` + percentEncode(p[1]) + `"`
	}
	req.Header.Set("Authorization", "OAuth "+strings.Join(parts, ", "))
	return nil
}

// signatureBase is the signature base string of RFC 5849 §3.4.1: the method, the base string URI
// (scheme and host in lower case, default port left out, path as sent, no query) and every parameter,
// each encoded, sorted by name then value.
func signatureBase(method string, u *url.URL, params [][2]string) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host += ":" + port
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	pairs := make([]string, len(params))
	encoded := make([][2]string, len(params))
	for i, p := range params {
		encoded[i] = [2]string{percentEncode(p[0]), percentEncode(p[1])}
	}
	sort.Slice(encoded, func(i, j int) bool {
		if encoded[i][0] != encoded[j][0] {
			return encoded[i][0] < encoded[j][0]
		}
		return encoded[i][1] < encoded[j][1]
	})
	for i, p := range encoded {
		pairs[i] = p[0] + "=" + p[1]
	}
	return strings.ToUpper(method) + "&" + percentEncode(scheme+"://"+host+path) + "&" + percentEncode(strings.Join(pairs, "&"))
}

// percentEncode is RFC 3986 encoding as RFC 5849 §3.6 requires: everything but letters, digits and
// -._~ becomes %XX in upper case (url.QueryEscape writes a space as +, url.PathEscape keeps = and &).
func percentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
