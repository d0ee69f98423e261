//go:build dev

package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sync"

	"github.com/rosterdesk/rosterdesk/backend/cli"
)

// A development build also serves its window to a browser, at the address in $devserver (Wails' dev
// server): the browser tests and the UI bench drive it in Chromium. Wails heads that page with two
// scripts that carry their source maps inline: /wails/ipc.js, its WebSocket bridge (669 KB, 52 KB
// of it code) and /wails/runtime.js, its debug runtime (108 KB, 26 KB of code), where a registrar's
// window loads a 412-byte bridge and a 13 KB runtime. The page blocked on them for some 300 ms, a
// cost of the harness, not of the app. So the address is served here: those two scripts are Wails'
// own, taken from its server with the source map cut off, and every other request, the bridge's
// WebSocket too, goes on to Wails' server, which listens on another loopback port.
func init() {
	addr := os.Getenv("devserver")
	if addr == "" || cli.Headless(os.Args[1:]) {
		return
	}
	inner, err := serveDevPage(addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rosterdesk: cannot serve the development page:", err)
		os.Exit(1)
	}
	os.Setenv("devserver", inner)
}

// serveDevPage serves addr and returns the loopback address Wails' own server is to take.
func serveDevPage(addr string) (string, error) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	inner := free.Addr().String()
	free.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go http.Serve(ln, devPage(&url.URL{Scheme: "http", Host: inner}))
	return inner, nil
}

func devPage(wails *url.URL) http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(wails)
	proxy.FlushInterval = -1
	// Until Wails' server is up (the tests ask every 100 ms), a plain 502 rather than a log line each.
	proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, err error) {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
	scripts := &withoutSourceMaps{from: wails}
	mux := http.NewServeMux()
	mux.Handle("/", proxy)
	for _, path := range []string{"/wails/ipc.js", "/wails/runtime.js"} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			b, err := scripts.get(path)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
		})
	}
	return mux
}

// withoutSourceMaps fetches Wails' scripts once each (the bindings in runtime.js do not change while
// the app runs) and keeps them without their inline source maps.
type withoutSourceMaps struct {
	from *url.URL
	mu   sync.Mutex
	kept map[string][]byte
}

func (s *withoutSourceMaps) get(path string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.kept[path]; ok {
		return b, nil
	}
	// Asked as a browser asks (Wails' own window loads its page in the process, not from here), Wails
	// answers with the WebSocket bridge.
	resp, err := http.Get(s.from.JoinPath(path).String())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", path, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndex(b, []byte("\n//# sourceMappingURL=data:")); i >= 0 {
		b = b[:i+1]
	}
	if s.kept == nil {
		s.kept = map[string][]byte{}
	}
	s.kept[path] = b
	return b, nil
}
