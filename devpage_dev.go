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

	_ "embed"

	"github.com/rosterdesk/rosterdesk/backend/cli"
)

// A development build also serves its window to a browser, at the address in $devserver (Wails' dev
// server): the browser tests and the UI bench drive it in Chromium. Wails heads that page with two
// scripts that carry their source maps inline: /wails/ipc.js, its WebSocket bridge with a reconnect
// overlay (669 KB, 52 KB of it code) and /wails/runtime.js, its debug runtime (108 KB, 26 KB of code),
// where a registrar's window loads a 412-byte bridge and a 13 KB runtime. The page blocks on them, a
// cost of the harness, not of the app. So the address is served here: the bridge is our own
// (devpage_bridge.js: Wails' protocol, no overlay), the runtime is Wails' own, taken from its server
// with the source map cut off, and every other request, the bridge's WebSocket too, goes on to Wails'
// server, which listens on another loopback port.
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

//go:embed devpage_bridge.js
var devBridge []byte

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
	script := func(path string, get func() ([]byte, error)) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			b, err := get()
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
		})
	}
	script("/wails/ipc.js", func() ([]byte, error) { return devBridge, nil })
	script("/wails/runtime.js", func() ([]byte, error) { return scripts.get("/wails/runtime.js") })
	return mux
}

// withoutSourceMaps fetches a script of Wails' once (the bindings in runtime.js do not change while
// the app runs) and keeps it without its inline source map.
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
