// Package certtest starts local HTTPS servers whose certificates are wrong in the ways a registrar
// meets: self-signed, expired, or issued for another name.
package certtest

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

// Start starts the three servers, each answering with h.
func Start(t testing.TB, h http.Handler) *Bad {
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
