package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, c := range cases {
		if got, ok := After(c.header, now); got != c.want || ok != c.ok {
			t.Errorf("After(%q) = %v, %v; want %v, %v", c.header, got, ok, c.want, c.ok)
		}
	}
}

func TestSleepEndsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) || time.Since(start) > 10*time.Second {
		t.Fatalf("Sleep = %v after %v", err, time.Since(start))
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

func TestCertificateInWords(t *testing.T) {
	later := &x509.Certificate{NotBefore: time.Now().Add(48 * time.Hour), NotAfter: time.Now().Add(96 * time.Hour)}
	wrapped := &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Cert: later, Reason: x509.Expired}}
	if why, ok := Certificate(fmt.Errorf("get: %w", wrapped), "sis.example.org:443"); !ok || !strings.Contains(why, "is not valid before") || !strings.Contains(why, "this computer's date") {
		t.Errorf("a certificate not valid yet: %q %v", why, ok)
	}
	named := x509.HostnameError{Certificate: &x509.Certificate{DNSNames: []string{"a.example", "b.example"}}, Host: "sis.example.org"}
	if why, ok := Certificate(named, "sis.example.org:443"); !ok || why != "its certificate is for a.example, b.example, not sis.example.org" {
		t.Errorf("another name: %q %v", why, ok)
	}
	for _, err := range []error{io.EOF, os.ErrDeadlineExceeded, errors.New("connection refused")} {
		if why, ok := Certificate(err, "h"); ok {
			t.Errorf("%v read as a certificate: %q", err, why)
		}
	}
	if !Silent(&net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}) || Silent(io.EOF) {
		t.Error("Silent")
	}
}
