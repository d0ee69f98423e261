package sftpdrop

import (
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rosterdesk/rosterdesk/backend/connections"
	"github.com/rosterdesk/rosterdesk/backend/connector"
	"github.com/rosterdesk/rosterdesk/backend/connector/retry/faulttest"
	"github.com/rosterdesk/rosterdesk/backend/district"
	"github.com/rosterdesk/rosterdesk/backend/engine"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/internal/sftptest"
	secretstore "github.com/rosterdesk/rosterdesk/backend/secrets"
	"github.com/rosterdesk/rosterdesk/backend/store"
)

// faultProxy stands between Rosterdesk and a real sshd and breaks the connections it forwards: once
// a connection has carried cutDown bytes from the server (a download) or cutUp bytes to it (an
// upload), it closes both sides, or with stall stops forwarding and leaves them open. Only the first
// faulty connections are broken; later ones pass.
type faultProxy struct {
	addr          string
	cutDown       int64
	cutUp         int64
	stall         bool
	faulty        atomic.Int32
	conns, broken atomic.Int32
}

func startProxy(t *testing.T, to string, p *faultProxy) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	var open sync.WaitGroup
	var mu sync.Mutex
	var all []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range all {
			c.Close()
		}
		mu.Unlock()
		open.Wait()
	})
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", to)
			if err != nil {
				client.Close()
				continue
			}
			mu.Lock()
			all = append(all, client, server)
			mu.Unlock()
			p.conns.Add(1)
			faulty := p.faulty.Add(-1) >= 0
			var once sync.Once
			cut := func() {
				once.Do(func() {
					p.broken.Add(1)
					if !p.stall {
						client.Close()
						server.Close()
					}
				})
			}
			pipe := func(dst, src net.Conn, limit int64) {
				defer open.Done()
				if !faulty || limit == 0 {
					io.Copy(dst, src)
				} else if _, err := io.CopyN(dst, src, limit); err == nil {
					cut()
					if p.stall {
						io.Copy(io.Discard, src) // swallow the rest, say nothing
					}
				}
				dst.Close()
			}
			open.Add(2)
			go pipe(client, server, p.cutDown)
			go pipe(server, client, p.cutUp)
		}
	}()
	return p
}

// through points settings at the proxy instead of the server.
func through(settings map[string]string, p *faultProxy, remote string) map[string]string {
	out := map[string]string{}
	for k, v := range settings {
		out[k] = v
	}
	out["host"], out["port"], _ = strings.Cut(p.addr, ":")
	out["remotePath"] = remote
	return out
}

// reports collects the progress a transfer reports.
type reports struct {
	mu  sync.Mutex
	all []events.Progress
}

func (r *reports) Report(p events.Progress) {
	r.mu.Lock()
	r.all = append(r.all, p)
	r.mu.Unlock()
}

func (r *reports) retries() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, p := range r.all {
		if strings.Contains(p.Stage, "trying again") {
			n++
		}
	}
	return n
}

// A download from OpenSSH whose connection breaks resumes; one that keeps breaking stops after a
// bounded number of sign-ins, each reported, with a message that says how far it got and that
// nothing changed, and leaves no file behind.
func TestFaultDownloadDroppedByOpenSSH(t *testing.T) {
	sshd, secrets, dir := sftptest.StartSSHD(t)
	zip := filepath.Join(dir, "oneroster.zip")
	if _, err := districtZip(zip, 3000); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(zip)
	p := startProxy(t, net.JoinHostPort(sshd["host"], sshd["port"]), &faultProxy{cutDown: info.Size() / 3})

	p.faulty.Store(2)
	staged, err := open(t, through(sshd, p, zip), secrets).Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	if err != nil {
		t.Fatalf("two drops, then a good connection: %v", err)
	}
	if sum(t, staged) != sum(t, zip) || p.broken.Load() != 2 {
		t.Fatalf("the resumed download differs from the file (%d connections broken)", p.broken.Load())
	}

	p.faulty.Store(1000)
	p.conns.Store(0)
	src := open(t, through(sshd, p, zip), secrets)
	src.cfg.retries = 2
	var rep reports
	into := t.TempDir()
	_, err = src.Stage(context.Background(), into, connector.Pull{}, &rep)
	for _, want := range []string{"The SFTP server 127.0.0.1 closed the connection while oneroster.zip was being downloaded (",
		" of " + connector.SizeText(info.Size()) + ") (3 tries in all", "Nothing was changed", "the server ended the connection"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("a connection that keeps dropping: %v, want %q", err, want)
		}
	}
	if p.conns.Load() != 3 || rep.retries() != 2 {
		t.Fatalf("%d connections and %d retries reported, want 3 and 2", p.conns.Load(), rep.retries())
	}
}

// A server that stops sending in the middle of a download is given up on after the idle timeout.
func TestFaultDownloadStalled(t *testing.T) {
	sshd, secrets, dir := sftptest.StartSSHD(t)
	zip := filepath.Join(dir, "oneroster.zip")
	if _, err := districtZip(zip, 3000); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(zip)
	p := startProxy(t, net.JoinHostPort(sshd["host"], sshd["port"]), &faultProxy{cutDown: info.Size() / 3, stall: true})
	p.faulty.Store(1000)
	src := open(t, through(sshd, p, zip), secrets)
	src.cfg.idleTimeout, src.cfg.retries = 300*time.Millisecond, 1
	start := time.Now()
	_, err := src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
	if err == nil || !strings.Contains(err.Error(), "the server sent nothing for 300ms") || !strings.Contains(err.Error(), "2 tries in all") {
		t.Fatalf("a stalled download: %v", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Fatalf("a stalled download took %v to fail", took)
	}
}

// A server that accepts the connection and then says nothing fails the test, the fetch and the
// upload after the handshake timeout, naming the server and what was waited for.
func TestFaultServerSendsNothing(t *testing.T) {
	m := faulttest.StartMute(t)
	host, port, _ := strings.Cut(m.Addr, ":")
	s := map[string]string{"host": host, "port": port, "username": "registrar", "remotePath": "/x.zip", "hostKey": "SHA256:" + strings.Repeat("A", 43)}
	secrets := map[string]string{"password": "pw"}
	want := m.Addr + " accepted the connection but sent no SSH greeting within 200ms"
	src := open(t, s, secrets)
	tg := openTarget(t, s, secrets)
	local, _ := randomFile(t, 1<<10)
	for name, try := range map[string]func() error{
		"Test": func() error { _, err := src.Test(context.Background()); return err },
		"Stage": func() error {
			_, err := src.Stage(context.Background(), t.TempDir(), connector.Pull{}, events.Discard)
			return err
		},
		"Upload": func() error { _, err := tg.Deliver(context.Background(), local, "x.zip", events.Discard); return err },
	} {
		src.cfg.handshakeTimeout, tg.cfg.handshakeTimeout = 200*time.Millisecond, 200*time.Millisecond
		start := time.Now()
		if err := try(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s took %v to give up", name, took)
		}
	}
}

// An upload to OpenSSH whose connection keeps breaking fails in words, and leaves the file that was
// there untouched and no temporary file beside it.
func TestFaultUploadDroppedByOpenSSH(t *testing.T) {
	sshd, secrets, dir := sftptest.StartSSHD(t)
	folder := filepath.Join(dir, "imports")
	os.Mkdir(folder, 0o700)
	final := filepath.Join(folder, "district.zip")
	os.WriteFile(final, []byte("last week's export"), 0o600)
	p := startProxy(t, net.JoinHostPort(sshd["host"], sshd["port"]), &faultProxy{cutUp: 1 << 20})
	p.faulty.Store(1000)
	tg := openTarget(t, through(sshd, p, final), secrets)
	tg.cfg.retries = 2
	local, _ := randomFile(t, 4<<20)
	var rep reports
	_, err := tg.Deliver(context.Background(), local, "", &rep)
	for _, want := range []string{"closed the connection while district.zip was being uploaded (", "of 4.0 MB) (3 tries in all", "Nothing half-written was left"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("an upload that keeps dropping: %v, want %q", err, want)
		}
	}
	holds(t, final, []byte("last week's export"))
	noParts(t, folder)
	if p.conns.Load() != 3+1 || rep.retries() != 2 { // three tries, and one sign-in to sweep temporary files
		t.Fatalf("%d connections, %d retries reported", p.conns.Load(), rep.retries())
	}
}

// Through the engine: a fetch whose connection keeps breaking fails and leaves the last fetch as it
// was, file and report; an export whose upload keeps breaking fails, and the next one sends the same.
func TestFaultNothingHalfAppliedThroughTheEngine(t *testing.T) {
	sshd, secrets, dir := sftptest.StartSSHD(t)
	zip := filepath.Join(dir, "oneroster.zip")
	if _, err := districtZip(zip, 200); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(zip)
	folder := filepath.Join(dir, "imports")
	os.Mkdir(folder, 0o700)
	p := startProxy(t, net.JoinHostPort(sshd["host"], sshd["port"]), &faultProxy{cutDown: info.Size() / 2, cutUp: 8 << 10})
	ctx := context.Background()

	work := t.TempDir()
	st, err := store.Open(filepath.Join(work, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	vault, err := secretstore.NewFile(filepath.Join(work, "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	k := Kind() // with retries made quick
	newSource, newTarget := k.NewSource, k.NewTarget
	k.NewSource = func(s, sec map[string]string) (connector.Source, error) {
		src, err := newSource(s, sec)
		if err == nil {
			src.(*source).cfg.backoff = 10 * time.Millisecond
		}
		return src, err
	}
	k.NewTarget = func(s, sec map[string]string) (connector.Target, error) {
		tg, err := newTarget(s, sec)
		if err == nil {
			tg.(*target).cfg.backoff = 10 * time.Millisecond
		}
		return tg, err
	}
	kinds := connector.NewRegistry(k)
	eng := engine.New(st, kinds, vault, engine.StagingDir(st.Path()), "registrar", slog.New(slog.DiscardHandler))
	conns := connections.New(st, kinds, vault, "")
	district, err := conns.Add(ctx, connections.Request{Name: "District", Kind: "oneroster-sftp", Role: connector.RoleSource, Settings: through(sshd, p, zip), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	vendor, err := conns.Add(ctx, connections.Request{Name: "Vendor", Kind: "oneroster-sftp", Role: connector.RoleTarget, Settings: through(sshd, p, folder), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}

	first, err := eng.Fetch(ctx, district.ID, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx, district.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept := sum(t, snap.Path)
	p.faulty.Store(1000)
	if _, err := eng.Fetch(ctx, district.ID, events.Discard); err == nil || !strings.Contains(err.Error(), "Nothing was changed") {
		t.Fatalf("a fetch whose connection keeps breaking: %v", err)
	}
	again, err := st.Snapshot(ctx, district.ID)
	if err != nil || again.Path != snap.Path || again.FetchedAt != first.FetchedAt || sum(t, again.Path) != kept {
		t.Fatalf("the last fetch changed: %+v %v", again, err)
	}
	if entries, _ := os.ReadDir(engine.StagingDir(st.Path())); len(entries) != 1 {
		t.Fatalf("the staging area holds %d folders, want the last fetch's only", len(entries))
	}

	p.faulty.Store(0)
	if run, err := eng.Import(ctx, district.ID, engine.RunOptions{}, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("import: %+v %v", run, err)
	}
	plan, err := eng.PlanExport(ctx, vendor.ID, engine.RunOptions{Mode: "delta"}, events.Discard)
	if err != nil {
		t.Fatal(err)
	}
	p.faulty.Store(1000)
	run, err := eng.Export(ctx, vendor.ID, engine.RunOptions{Mode: "delta"}, events.Discard)
	if err == nil || run.Status == store.RunSucceeded || !strings.Contains(err.Error(), "next export sends the same again") {
		t.Fatalf("an export whose upload keeps breaking: %+v %v", run, err)
	}
	if entries, _ := os.ReadDir(folder); len(entries) != 0 {
		t.Fatalf("the failed export left %v in the folder", entries)
	}
	after, err := eng.PlanExport(ctx, vendor.ID, engine.RunOptions{Mode: "delta"}, events.Discard)
	if err != nil || !sameCounts(plan, after) {
		t.Fatalf("after the failed export the next one would send %+v, not %+v (%v)", after.Counts, plan.Counts, err)
	}
	p.faulty.Store(0)
	if run, err := eng.Export(ctx, vendor.ID, engine.RunOptions{Mode: "delta"}, events.Discard); err != nil || run.Status != store.RunSucceeded {
		t.Fatalf("the export once the connection holds: %+v %v", run, err)
	}
}

func districtZip(path string, students int) (district.Summary, error) {
	return district.GenerateFile(context.Background(), path, district.Options{Students: students, Seed: 11})
}

// sum is a file's SHA-256.
func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

func sameCounts(a, b engine.Plan) bool {
	if len(a.Counts) != len(b.Counts) {
		return false
	}
	for k, v := range a.Counts {
		if b.Counts[k] != v {
			return false
		}
	}
	return true
}
