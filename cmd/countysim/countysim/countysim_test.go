package countysim_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const kiosk = "ZM-HALL02-K03"

func start(t *testing.T, o countysim.Opts) *countysim.Server {
	t.Helper()
	s, err := countysim.New(&o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

func client(t *testing.T, s *countysim.Server, pki countysim.PKI) *backend.Client {
	t.Helper()
	c, err := backend.New(&backend.Opts{BaseURL: s.URL(), KioskID: kiosk, CAFile: pki.CAFile,
		CertFile: pki.Clients[kiosk].CertFile, KeyFile: pki.Clients[kiosk].KeyFile, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func tlsOpts(dir string, pki countysim.PKI) countysim.Opts {
	return countysim.Opts{Dir: dir, CAFile: pki.CAFile, CertFile: pki.ServerCert, KeyFile: pki.ServerKey}
}

// startTLS starts a simulator with mutual TLS and a kiosk's client for
// it; both stop with the test.
func startTLS(t *testing.T) (*countysim.Server, *backend.Client) {
	t.Helper()
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kiosk})
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, tlsOpts(filepath.Join(dir, "sim"), pki))
	t.Cleanup(func() { s.Close() })
	return s, client(t, s, pki)
}

func newTx() txn.Transaction {
	now := time.Now()
	return txn.Transaction{ID: txn.NewID(now), KioskID: kiosk, ServiceID: "housing-fund-query", ServiceKind: "apply",
		CreatedAt: now, Fields: map[string]string{"a": "1"}}
}

func TestLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.10:8443", ":8443", "example.com:1"} {
		if _, err := countysim.New(&countysim.Opts{Dir: t.TempDir(), Addr: addr, DevHTTP: true}); err == nil {
			t.Errorf("address %q accepted", addr)
		}
	}
	if _, err := countysim.New(&countysim.Opts{Dir: t.TempDir()}); err == nil {
		t.Error("no TLS and no DevHTTP accepted")
	}
}

// Deduplication is permanent: it survives a restart and any time window.
func TestDedupSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kiosk})
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, tlsOpts(filepath.Join(dir, "sim"), pki))
	tx := newTx()
	r1, err := client(t, s, pki).Submit(context.Background(), tx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = start(t, tlsOpts(filepath.Join(dir, "sim"), pki))
	defer s.Close()
	c := client(t, s, pki)
	r2, err := c.Submit(context.Background(), tx)
	if err != nil || r2.TrackingNo != r1.TrackingNo {
		t.Fatalf("after restart: %+v %v", r2, err)
	}
	l, _ := s.Transactions()
	if len(l) != 1 || l[0].Deliveries != 2 {
		t.Fatalf("%+v", l)
	}
	tx.ServiceID = "other"
	var be *backend.Error
	if _, err := c.Submit(context.Background(), tx); !errors.As(err, &be) || be.Status != 422 {
		t.Fatalf("key reuse after restart: %v", err)
	}
}

func TestInProgressConflict(t *testing.T) {
	dir := t.TempDir()
	pki, _ := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kiosk})
	o := tlsOpts(filepath.Join(dir, "sim"), pki)
	o.Faults.LatencyMS = 50
	s := start(t, o)
	defer s.Close()
	c := client(t, s, pki)
	tx := newTx()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.Submit(context.Background(), tx) })
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		var be *backend.Error
		switch {
		case err == nil:
			ok++
		case errors.As(err, &be) && be.Status == 409 && !be.Permanent:
			conflicts++
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	if ok == 0 {
		t.Error("no submission succeeded")
	}
	if l, _ := s.Transactions(); len(l) != 1 {
		t.Errorf("stored %d", len(l))
	}
	t.Logf("%d ok, %d conflicts", ok, conflicts)
}

func TestDevHTTPAndAdminEndpoints(t *testing.T) {
	s := start(t, countysim.Opts{Dir: t.TempDir(), DevHTTP: true})
	defer s.Close()
	c, err := backend.New(&backend.Opts{BaseURL: s.URL(), KioskID: kiosk, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	// Faults through the admin endpoint.
	body, _ := json.Marshal(countysim.Faults{Down: true, RetryAfterS: 7})
	req, _ := http.NewRequest(http.MethodPut, s.URL()+"sim/v1/faults", bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("put faults: %v %v", resp, err)
	}
	resp.Body.Close()
	var be *backend.Error
	if err := c.Ping(context.Background()); !errors.As(err, &be) || be.RetryAfter != 7*time.Second {
		t.Fatalf("down: %v", err)
	}
	s.SetFaults(countysim.Faults{})
	tx := newTx()
	if _, err := c.Submit(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	if err := c.Heartbeat(context.Background(), backend.Heartbeat{CatalogVersion: 9, CatalogHash: "h9"}); err != nil {
		t.Fatal(err)
	}
	var got []countysim.Received
	getJSON(t, s.URL()+"sim/v1/transactions", &got)
	if len(got) != 1 || got[0].ID != tx.ID || got[0].KioskID != kiosk || got[0].Outcome != txn.Queued {
		t.Fatalf("transactions %+v", got)
	}
	var ks []countysim.KioskState
	getJSON(t, s.URL()+"sim/v1/kiosks", &ks)
	if len(ks) != 1 || ks[0].Heartbeat.KioskID != kiosk || ks[0].Heartbeat.CatalogHash != "h9" {
		t.Fatalf("kiosks %+v", ks)
	}
	// Without a kiosk id: refused.
	resp, _ = http.Get(s.URL() + "v1/ping")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous ping: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// Every route the simulator serves is in the contract.
func TestContractCoversRoutes(t *testing.T) {
	doc, err := os.ReadFile("../../../kiosk/backend/api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/transactions:", "/v1/transactions/{id}:", "/v1/transactions/{id}/rating:",
		"/v1/transactions/{id}/document:", "/v1/transactions/{id}/document.pdf:",
		"/v1/heartbeats:", "/v1/ping:", "/v1/catalog:", "/v1/catalog/signature:", "/v1/sms:", "/sim/v1/faults:",
		"/sim/v1/transactions:", "/sim/v1/kiosks:", "/sim/v1/stats:", "/sim/v1/sms:",
		"/v1/face-verifications:", "/sim/v1/face-verifications:", "/v1/identity-codes/verify:"} {
		if !strings.Contains(string(doc), "\n  "+p+"\n") {
			t.Errorf("openapi.yaml does not describe %s", strings.TrimSuffix(p, ":"))
		}
	}
}

// TestCatalogServedWithItsOwnETag: while operators publish list after
// list, every list a kiosk fetches comes with its own ETag and its own
// signature. A list served under the next list's ETag would be answered
// "not modified" ever after, and the kiosk would never see the new list.
func TestCatalogServedWithItsOwnETag(t *testing.T) {
	s, c := startTLS(t)
	list := func(n int) ([]byte, string) {
		return []byte(`{"version":` + strings.Repeat("1", 1+n%7) + `,"n":"` + strings.Repeat("x", n) + `"}`), "untrusted comment: " + strings.Repeat("s", n) + "\n"
	}
	d0, s0 := list(0)
	if _, err := s.Publish(d0, s0); err != nil {
		t.Fatal(err)
	}
	const publishes = 300
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := 1; n <= publishes; n++ {
			d, sig := list(n)
			if _, err := s.Publish(d, sig); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	fetches := 0
	for {
		select {
		case <-done:
			if fetches == 0 {
				t.Fatal("no fetch overlapped the publishes")
			}
			return
		default:
		}
		data, sig, etag, _, err := c.FetchCatalog(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		fetches++
		sum := sha256.Sum256(data)
		if want := `"` + hex.EncodeToString(sum[:16]) + `"`; etag != want {
			t.Fatalf("fetch %d: list served under another list's ETag %s (its own is %s)", fetches, etag, want)
		}
		// The signature is fetched after the list: it belongs to the same
		// list or a later one, never an earlier one.
		if n := strings.Count(string(data), "x"); strings.Count(string(sig), "s") < n {
			t.Fatalf("fetch %d: signature of an earlier list", fetches)
		}
	}
}

// A resident's tracking number by text message: sent once however often
// the kiosk repeats the request, refused without a mobile number or a
// tracking number, and the test endpoint shows the phone masked.
func TestTrackingSMS(t *testing.T) {
	s, c := startTLS(t)
	ctx := context.Background()
	for range 2 {
		if err := c.SendTrackingSMS(ctx, "13812345678", "K7QH2M4X"); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SendTrackingSMS(ctx, "13812345678", "ZM20261126K7QH2M4X"); err != nil {
		t.Fatalf("a number of an earlier build: %v", err)
	}
	for _, bad := range [][2]string{{"1381234567", "K7QH2M4X"}, {"13812345678", "K7QH2M4O"}} {
		var be *backend.Error
		if err := c.SendTrackingSMS(ctx, bad[0], bad[1]); !errors.As(err, &be) || !be.Permanent {
			t.Errorf("%q %q: %v", bad[0], bad[1], err)
		}
	}
	got := s.SentSMS()
	if len(got) != 2 || got[0].Phone != "13812345678" || got[0].TrackingNo != "K7QH2M4X" || got[0].KioskID != kiosk {
		t.Fatalf("sent %+v", got)
	}
}

// Submissions carrying a tracking number of an earlier build (still in a
// kiosk's outbox) are accepted; anything else that is not a tracking
// number is refused.
func TestOldTrackingNumbersAccepted(t *testing.T) {
	s := start(t, countysim.Opts{Dir: t.TempDir(), DevHTTP: true})
	defer s.Close()
	for _, tc := range []struct {
		tracking string
		status   int
	}{{"ZM20261126K7QH2M4X", 201}, {"K7QH2M4X", 201}, {"T-1", 400}} {
		tx := newTx()
		body, _ := json.Marshal(backend.Submission{Transaction: tx, TrackingNo: tc.tracking})
		req, _ := http.NewRequest("POST", s.URL()+"v1/transactions", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", tx.ID)
		req.Header.Set("X-Kiosk-ID", kiosk)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.tracking, resp.StatusCode, tc.status)
		}
	}
}
