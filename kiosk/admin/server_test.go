package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/eventlog"
)

// stubKiosk answers the admin API from fixed values; the daemon's real
// implementation is exercised by the end-to-end test in cmd/kioskd.
type stubKiosk struct {
	log         *eventlog.Log
	maintenance bool
	sim         Sim
}

func (k *stubKiosk) Status(context.Context) Status {
	return Status{KioskID: "k1", Maintenance: k.maintenance}
}
func (k *stubKiosk) SelfTest(_ context.Context, dev string) ([]Check, error) {
	if dev == "toaster" {
		return nil, fmt.Errorf("no device %q: %w", dev, ErrNotFound)
	}
	return []Check{{Device: "printer", Name: "status", Pass: true}}, nil
}
func (k *stubKiosk) TestPrint(context.Context) error {
	return fmt.Errorf("printer: %w", ErrUnavailable)
}
func (k *stubKiosk) PrintJobs(context.Context) ([]PrintJob, error) { return nil, nil }
func (k *stubKiosk) Reprint(_ context.Context, id int64) (PrintJob, error) {
	return PrintJob{}, fmt.Errorf("no job %d: %w", id, ErrNotFound)
}
func (k *stubKiosk) CardReadTest(context.Context, time.Duration) (CardRead, error) {
	return CardRead{Name: "张*"}, nil
}
func (k *stubKiosk) GPIOList(context.Context) ([]Pin, error)                { return nil, nil }
func (k *stubKiosk) GPIOSet(context.Context, string, bool) error            { return nil }
func (k *stubKiosk) GPIOPulse(context.Context, string, time.Duration) error { return nil }
func (k *stubKiosk) PowerCycle(context.Context, string) error               { return nil }
func (k *stubKiosk) OutboxList(context.Context) ([]OutboxItem, error)       { return nil, nil }
func (k *stubKiosk) OutboxRetry(context.Context, string) (int, error)       { return 0, nil }
func (k *stubKiosk) PaymentList(context.Context) ([]PaymentItem, error)     { return nil, nil }
func (k *stubKiosk) InstallCatalog(_ context.Context, data, sig []byte) (CatalogInfo, error) {
	if len(sig) == 0 {
		return CatalogInfo{}, fmt.Errorf("missing signature: %w", ErrBadRequest)
	}
	return CatalogInfo{Version: int64(len(data))}, nil
}
func (k *stubKiosk) SetMaintenance(_ context.Context, on bool, _ string) error {
	k.maintenance = on
	return nil
}
func (k *stubKiosk) Events() *eventlog.Log { return k.log }
func (k *stubKiosk) Sim() Sim              { return k.sim }

func serve(t *testing.T, k Kiosk, o *Opts) *Client {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "admin.sock")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv := NewServer(k, o)
	// The socket accepts connections once Listen returns; requests queue
	// until ServeListener answers them, so no retry loop is needed.
	l, err := srv.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.ServeListener(ctx, l) }()
	return NewClient(sock)
}

func TestAPIErrorsAreClear(t *testing.T) {
	k := &stubKiosk{log: eventlog.New(8, nil)}
	c := serve(t, k, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		detail             string
	}{
		{"unknown device", "POST", "/v1/selftest", DeviceRequest{Device: "toaster"}, 404, "toaster"},
		{"unavailable", "POST", "/v1/print/test", nil, 503, "printer"},
		{"bad gpio action", "POST", "/v1/gpio", GPIORequest{Name: "x", Action: "blink"}, 400, "pulse"},
		{"unknown field", "PUT", "/v1/maintenance", map[string]any{"onn": true}, 400, "onn"},
		{"missing signature", "POST", "/v1/catalog", CatalogRequest{Catalog: []byte("{}")}, 400, "signature"},
		{"not sim", "POST", "/v1/sim/card", SimCardRequest{Fixture: "x"}, 409, "--sim"},
		{"no endpoint", "GET", "/v2/nothing", nil, 404, "/v2/nothing"},
		{"bad wait", "POST", "/v1/idcard/read?wait=forever", nil, 400, "wait"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, q, _ := strings.Cut(tc.path, "?")
			vals, _ := url.ParseQuery(q)
			err := c.Do(ctx, tc.method, path, vals, tc.body, nil)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want an APIError", err)
			}
			if ae.Status != tc.status || !strings.Contains(ae.Error(), tc.detail) {
				t.Errorf("got %d %q, want %d containing %q", ae.Status, ae.Error(), tc.status, tc.detail)
			}
		})
	}
	if err := c.Do(ctx, "PUT", "/v1/maintenance", nil, MaintenanceRequest{On: true}, nil); err != nil || !k.maintenance {
		t.Fatalf("maintenance on: %v %v", err, k.maintenance)
	}
}

func TestOversizedBodyRefused(t *testing.T) {
	c := serve(t, &stubKiosk{log: eventlog.New(8, nil)}, nil)
	big := CatalogRequest{Catalog: make([]byte, MaxBody), Signature: "x"}
	err := c.Do(context.Background(), "POST", "/v1/catalog", nil, big, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 413 {
		t.Fatalf("err = %v, want 413", err)
	}
}

func TestPeerWithWrongUIDRefused(t *testing.T) {
	var seen uint32 = 1 << 30
	c := serve(t, &stubKiosk{log: eventlog.New(8, nil)}, &Opts{PeerCheck: func(uid, gid uint32, pid int32) bool {
		seen = uid
		return false
	}})
	err := c.Do(context.Background(), "GET", "/v1/status", nil, nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 403 {
		t.Fatalf("err = %v, want 403", err)
	}
	if seen == 1<<30 {
		t.Fatal("peer credentials were not read from the socket")
	}
}

func TestDaemonNotRunning(t *testing.T) {
	c := NewClient(filepath.Join(t.TempDir(), "none.sock"))
	err := c.Do(context.Background(), "GET", "/v1/status", nil, nil, nil)
	if !errors.Is(err, ErrDaemonNotRunning) {
		t.Fatalf("err = %v", err)
	}
}

func TestEventsFollowStreams(t *testing.T) {
	k := &stubKiosk{log: eventlog.New(8, nil)}
	c := serve(t, k, nil)
	k.log.Add("device", "printer", "paper low", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got := 0
	err := c.Stream(ctx, "/v1/events", url.Values{"follow": {"1"}}, func(m json.RawMessage) error {
		got++
		if got == 1 {
			// The server follows the log before it sends the backlog, so
			// an event added once the backlog arrives must be streamed.
			k.log.Add("device", "printer", "paper out", nil)
		}
		if got == 2 {
			if !strings.Contains(string(m), "paper out") {
				t.Errorf("second event %s", m)
			}
			cancel()
		}
		return nil
	})
	if err != nil || got != 2 {
		t.Fatalf("stream: %v, %d events", err, got)
	}
}

func TestPeerGroupsReadFromTheSocket(t *testing.T) {
	var got []int
	// Our own connection's peer is ourselves: the kernel's list must hold
	// our own supplementary groups.
	l, err := net.Listen("unix", filepath.Join(t.TempDir(), "p.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// The dialling side stays connected until the credentials are read.
	read := make(chan struct{})
	defer close(read)
	go func() {
		c, err := net.Dial("unix", l.Addr().String())
		if err == nil {
			<-read
			c.Close()
		}
	}()
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := peerOf(c)
	if p.err != nil {
		t.Fatal(p.err)
	}
	got = p.groups
	want, _ := os.Getgroups()
	for _, g := range want {
		if !slices.Contains(got, g) {
			t.Errorf("peer groups %v lack our group %d (we are in %v)", got, g, want)
		}
	}
	if int(p.uid) != os.Getuid() {
		t.Errorf("peer uid %d, want %d", p.uid, os.Getuid())
	}
}

// scanSim is a simulator world with only a code scanner.
type scanSim struct {
	Sim   // nil: any other simulated device panics, so the test sees it
	scans []string
	err   error
}

func (s *scanSim) Scan(text string) error {
	s.scans = append(s.scans, text)
	return s.err
}

func TestSimScan(t *testing.T) {
	sim := &scanSim{}
	c := serve(t, &stubKiosk{log: eventlog.New(8, nil), sim: sim}, nil)
	ctx := context.Background()
	var out map[string]string
	if err := c.Do(ctx, "POST", "/v1/sim/scan", nil, SimScanRequest{Text: "134567890123456789"}, &out); err != nil || out["result"] != "scanned" {
		t.Fatalf("scan: %v %v", err, out)
	}
	for _, tc := range []struct {
		name string
		req  SimScanRequest
		err  error
		code int
	}{
		{"empty", SimScanRequest{}, nil, 400},
		{"too long", SimScanRequest{Text: strings.Repeat("x", MaxSimScan+1)}, nil, 400},
		{"scanner unplugged", SimScanRequest{Text: "K7QH2M4X"}, fmt.Errorf("scanner unplugged: %w", ErrUnavailable), 503},
	} {
		sim.err = tc.err
		err := c.Do(ctx, "POST", "/v1/sim/scan", nil, tc.req, nil)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != tc.code {
			t.Errorf("%s: err %v, want %d", tc.name, err, tc.code)
		}
	}
	if len(sim.scans) != 2 || sim.scans[0] != "134567890123456789" || sim.scans[1] != "K7QH2M4X" {
		t.Errorf("scans %q", sim.scans)
	}
	err := serve(t, &stubKiosk{log: eventlog.New(8, nil)}, nil).Do(ctx, "POST", "/v1/sim/scan", nil, SimScanRequest{Text: "x"}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 409 {
		t.Errorf("outside simulator mode: %v", err)
	}
}
