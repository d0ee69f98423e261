// Package faulttest starts local servers that fail the way a registrar meets: HTTPS servers whose
// certificates are self-signed, expired or issued for another name, and a server that accepts a
// connection and then says nothing.
package faulttest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is a local HTTPS server that counts the connections opened to it and the requests that
// reached it.
type Server struct {
	*httptest.Server
	Connections, Requests atomic.Int32
}

// Bad are servers with a wrong certificate, and the authority that signed the expired and misnamed
// ones, which a client must trust for those to fail for their own reason.
type Bad struct {
	SelfSigned, Expired, OtherName *Server
	Authority                      *x509.CertPool
	// ExpiredOn is the expired certificate's last day.
	ExpiredOn time.Time
}

// Certificates starts the three servers, each answering with h.
func Certificates(t testing.TB, h http.Handler) *Bad {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test authority"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	// leaf is a certificate signed by the authority, or by itself when self is set.
	leaf := func(serial int64, notAfter time.Time, dns []string, ips []net.IP, self bool) tls.Certificate {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "server"},
			NotBefore: time.Now().Add(-30 * 24 * time.Hour), NotAfter: notAfter, DNSNames: dns, IPAddresses: ips,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		parent, signer := ca, caKey
		if self {
			parent, signer = tmpl, key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
		if err != nil {
			t.Fatal(err)
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	}
	loopback := []net.IP{net.IPv4(127, 0, 0, 1)}
	expiredOn := time.Now().Add(-24 * time.Hour).UTC()
	start := func(cert tls.Certificate) *Server {
		s := &Server{}
		s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.Requests.Add(1)
			h.ServeHTTP(w, r)
		}))
		s.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
		s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				s.Connections.Add(1)
			}
		}
		s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.StartTLS()
		t.Cleanup(s.Close)
		return s
	}
	valid := time.Now().Add(24 * time.Hour)
	return &Bad{SelfSigned: start(leaf(2, valid, nil, loopback, true)), Expired: start(leaf(3, expiredOn, nil, loopback, false)),
		OtherName: start(leaf(4, valid, []string{"other.example"}, nil, false)), Authority: pool, ExpiredOn: expiredOn}
}

// Case is a server with a bad certificate, whether the client must trust the test authority for it
// to fail for its own reason, and why the certificate is refused in words.
type Case struct {
	Name   string
	Server *Server
	Trust  bool
	Want   string
}

// Cases are the three servers with what a refusal of each must say.
func (b *Bad) Cases() []Case {
	return []Case{
		{"self-signed", b.SelfSigned, false, "its certificate is not trusted by this computer"},
		{"expired", b.Expired, true, "its certificate expired on " + b.ExpiredOn.Format("2 Jan 2006")},
		{"other name", b.OtherName, true, "its certificate is for other.example, not 127.0.0.1"},
	}
}

// Mute is a loopback server that accepts connections and never sends a byte; Accepted counts them.
type Mute struct {
	Addr     string
	Accepted atomic.Int32
}

// StartMute starts a Mute server, closed with its connections when the test ends.
func StartMute(t testing.TB) *Mute {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &Mute{Addr: ln.Addr().String()}
	var mu sync.Mutex
	var open []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range open {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			m.Accepted.Add(1)
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
		}
	}()
	return m
}
