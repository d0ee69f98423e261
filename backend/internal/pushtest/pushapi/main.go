// Command pushapi serves the in-memory test API of backend/internal/pushtest on a loopback port,
// for make bench and the browser end-to-end test: it prints its base URL on one line, then serves
// until it is killed.
//
//	go run ./backend/internal/pushtest/pushapi -apikey k -throttle 50
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/internal/pushtest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	var opts pushtest.Options
	flag.StringVar(&opts.APIKey, "apikey", "", "accept this API key")
	flag.StringVar(&opts.APIKeyHeader, "apikey-header", "X-API-Key", "the header that carries the API key")
	flag.StringVar(&opts.ClientID, "client-id", "", "accept this OAuth 2 client at "+pushtest.TokenPath)
	flag.StringVar(&opts.ClientSecret, "client-secret", "", "the client's secret")
	flag.StringVar(&opts.KeyField, "key-field", "", "the body field whose value identifies a new record (blank: the API numbers records)")
	flag.IntVar(&opts.Throttle, "throttle", 0, "answer every Nth request 429")
	flag.StringVar(&opts.RetryAfter, "retry-after", "0", "the Retry-After of those 429s, in seconds")
	flag.BoolVar(&opts.RejectEmailWithoutAt, "reject-email-without-at", false, `answer 422 to a record whose "email" is given without an @`)
	flag.DurationVar(&opts.Delay, "delay", 0, "hold every answer this long")
	flag.Parse()
	if err := run(*addr, opts); err != nil {
		fmt.Fprintln(os.Stderr, "pushapi:", err)
		os.Exit(1)
	}
}

func run(addr string, opts pushtest.Options) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address: the test API is for this computer only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: pushtest.NewAPI(opts), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
