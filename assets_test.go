package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func gzipped(t *testing.T, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, s); err != nil || zw.Close() != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A release build's front end, gzipped as scripts/dist.sh packs it, reaches the window as the files vite
// built: the page, its script (sizes and ranges too) and a missing file still missing. Served as the
// window's asset server does (open, stat, seek, http.ServeContent), by net/http's file server: Wails'
// own needs WebKitGTK's build tags, which make test's go test does not give.
func TestPackedFrontEndIsServedUnpacked(t *testing.T) {
	page := "<!doctype html><title>Rosterdesk</title><script src=/assets/index.js></script>"
	script := strings.Repeat("console.log('Rosterdesk');", 1000)
	packed := fstest.MapFS{
		"index.html":      {Data: gzipped(t, page)},
		"assets/index.js": {Data: gzipped(t, script)},
	}
	h := http.FileServerFS(gunzipFS{packed})
	get := func(path, rng string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	for path, want := range map[string]string{"/": page, "/assets/index.js": script} {
		res := get(path, "")
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || string(body) != want || res.ContentLength != int64(len(want)) {
			t.Errorf("GET %s: %d, %d bytes (length %d), want the unpacked %d bytes", path, res.StatusCode, len(body), res.ContentLength, len(want))
		}
	}
	if ct := get("/assets/index.js", "").Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("the script's type is %q", ct)
	}
	if body, _ := io.ReadAll(get("/assets/index.js", "bytes=8-10").Body); string(body) != "log" {
		t.Errorf("a range of the script is %q, want %q", body, "log")
	}
	if res := get("/assets/missing.js", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("a missing file: %d, want 404", res.StatusCode)
	}
}
