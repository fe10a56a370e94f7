package backend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const kiosk = "ZM-HALL01-K01"

type env struct {
	sim *countysim.Server
	pki countysim.PKI
	cl  *backend.Client
}

func newEnv(t *testing.T, f countysim.Faults) *env {
	t.Helper()
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kiosk, "ZM-OTHER"})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := countysim.New(&countysim.Opts{Dir: filepath.Join(dir, "sim"), CAFile: pki.CAFile,
		CertFile: pki.ServerCert, KeyFile: pki.ServerKey, OperatorToken: "op-secret", Faults: f, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cl, err := backend.New(&backend.Opts{BaseURL: sim.URL(), KioskID: kiosk, CAFile: pki.CAFile,
		CertFile: pki.Clients[kiosk].CertFile, KeyFile: pki.Clients[kiosk].KeyFile, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return &env{sim: sim, pki: pki, cl: cl}
}

func sampleTx(kind string) txn.Transaction {
	now := time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC)
	return txn.Transaction{ID: txn.NewID(now), KioskID: kiosk, ServiceID: "hrss-cert-" + kind, ServiceKind: kind,
		CatalogVersion: 7, CreatedAt: now, Fields: map[string]string{"phone": "13812345678", "year": "2026"},
		Person:   &txn.Person{CardType: identity.ResidentID, Name: "张三丰", IDNumber: "410122199001011234"},
		Personal: []string{"phone"}}
}

func TestSubmitOutcomes(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	for _, tc := range []struct {
		kind    string
		outcome txn.Outcome
		lines   bool
		doc     bool
	}{
		{"query", txn.Completed, true, false},
		{"print", txn.Completed, true, false}, // the proof is the A4 document, fetched apart
		{"certify", txn.Completed, true, false},
		{"apply", txn.Queued, true, false},
		{"appointment", txn.Completed, true, false},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			tx := sampleTx(tc.kind)
			res, err := e.cl.Submit(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tc.outcome || res.TxID != tx.ID {
				t.Fatalf("got %+v", res)
			}
			if want := txn.TrackingNo(kiosk, tx.ID); res.TrackingNo != want {
				t.Errorf("tracking %q, want the kiosk's %q", res.TrackingNo, want)
			}
			if (len(res.Lines) > 0) != tc.lines || (len(res.Document) > 0) != tc.doc {
				t.Errorf("lines %v document %v", res.Lines, res.Document)
			}
			st, err := e.cl.Status(ctx, tx.ID)
			if err != nil || st.Outcome != tc.outcome || st.TrackingNo != res.TrackingNo {
				t.Errorf("status %+v %v", st, err)
			}
		})
	}
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	tx := sampleTx("apply")
	r1, err := e.cl.Submit(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.cl.Submit(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if r1.TrackingNo != r2.TrackingNo || r1.Outcome != r2.Outcome {
		t.Fatalf("replay differs: %+v vs %+v", r1, r2)
	}
	l, _ := e.sim.Transactions()
	if len(l) != 1 || l[0].Deliveries != 2 {
		t.Fatalf("countysim holds %+v, want one transaction delivered twice", l)
	}
	// Same key, different payload: 422, permanent.
	tx.Fields["year"] = "2025"
	_, err = e.cl.Submit(ctx, tx)
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 422 || !be.Permanent || be.Reason != "key_reused" {
		t.Fatalf("got %v, want permanent 422 key_reused", err)
	}
}

func TestValidationProblem(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	tx := sampleTx("apply")
	tx.KioskID = "ZM-OTHER" // certificate says otherwise
	_, err := e.cl.Submit(context.Background(), tx)
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 403 || !be.Permanent || be.Reason != "wrong_kiosk" {
		t.Fatalf("got %v", err)
	}
}

func TestRetryableStatuses(t *testing.T) {
	e := newEnv(t, countysim.Faults{Down: true, RetryAfterS: 42})
	_, err := e.cl.Submit(context.Background(), sampleTx("apply"))
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 503 || be.Permanent || be.RetryAfter != 42*time.Second {
		t.Fatalf("got %#v", err)
	}
	e.sim.SetFaults(countysim.Faults{DropRate: 1})
	_, err = e.cl.Submit(context.Background(), sampleTx("apply"))
	if !errors.Is(err, backend.ErrUnreachable) {
		t.Fatalf("dropped connection: got %v, want ErrUnreachable", err)
	}
	if l, _ := e.sim.Transactions(); len(l) != 0 {
		t.Fatalf("stored %v", l)
	}
	// Committed, then the reply dropped: the retry finds it stored.
	e.sim.SetFaults(countysim.Faults{DropReplyRate: 1})
	tx := sampleTx("query")
	if _, err := e.cl.Submit(context.Background(), tx); !errors.Is(err, backend.ErrUnreachable) {
		t.Fatalf("dropped reply: got %v", err)
	}
	e.sim.SetFaults(countysim.Faults{})
	res, err := e.cl.Submit(context.Background(), tx)
	if err != nil || res.Outcome != txn.Completed {
		t.Fatalf("retry after dropped reply: %+v %v", res, err)
	}
	if l, _ := e.sim.Transactions(); len(l) != 1 || l[0].Deliveries < 2 {
		t.Fatalf("stored %+v", l)
	}
}

func TestTLSFailures(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	other, err := countysim.MintDevPKI(filepath.Join(t.TempDir(), "other"), []string{kiosk})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A server certificate from an unknown CA.
	cl, err := backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: kiosk, CAFile: other.CAFile,
		CertFile: other.Clients[kiosk].CertFile, KeyFile: other.Clients[kiosk].KeyFile})
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.Ping(ctx); !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("unknown CA: got %v", err)
	}
	// A client certificate the server does not trust.
	cl, _ = backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: kiosk, CAFile: e.pki.CAFile,
		CertFile: other.Clients[kiosk].CertFile, KeyFile: other.Clients[kiosk].KeyFile})
	if err := cl.Ping(ctx); !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("untrusted client cert: got %v", err)
	}
	// No client certificate at all.
	cl, _ = backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: kiosk, CAFile: e.pki.CAFile})
	var be *backend.Error
	if err := cl.Ping(ctx); !errors.As(err, &be) || be.Status != 401 {
		t.Errorf("no client cert: got %v", err)
	}
	// Plain HTTP only in development.
	if _, err := backend.New(&backend.Opts{BaseURL: "http://127.0.0.1:1/"}); err == nil {
		t.Error("plain http accepted without Dev")
	}
	if _, err := backend.New(&backend.Opts{BaseURL: "http://127.0.0.1:1/", Dev: true}); err != nil {
		t.Errorf("plain http with Dev: %v", err)
	}
	// Missing files are found at start-up.
	if _, err := backend.New(&backend.Opts{BaseURL: e.sim.URL(), CAFile: "/nonexistent/ca.pem"}); err == nil {
		t.Error("missing CA accepted")
	}
}

func TestBadReplies(t *testing.T) {
	var handler http.HandlerFunc
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler(w, r) }))
	defer srv.Close()
	defer srv.CloseClientConnections()
	cl, err := backend.New(&backend.Opts{BaseURL: srv.URL, KioskID: kiosk, Dev: true, MaxReply: 4096,
		Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	reply := func(status int, ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			w.Write([]byte(body))
		}
	}
	for _, tc := range []struct {
		name      string
		h         http.HandlerFunc
		sentinel  error
		reason    string
		permanent bool
	}{
		{"garbage", reply(200, "application/json", "\x00\xffnot json"), backend.ErrBadReply, "bad_body", false},
		{"html", reply(200, "text/html", "<html>proxy login</html>"), backend.ErrBadReply, "bad_content_type", false},
		{"oversized", reply(200, "application/json", `{"outcome":"queued","message":"`+strings.Repeat("x", 5000)+`"}`),
			backend.ErrBadReply, "oversized_reply", false},
		{"unknown outcome", reply(200, "application/json", `{"outcome":"maybe","tracking_no":"X"}`), backend.ErrBadReply, "bad_body", false},
		{"no tracking", reply(201, "application/json", `{"outcome":"queued"}`), backend.ErrBadReply, "bad_body", false},
		{"trailing", reply(201, "application/json", `{"outcome":"queued","tracking_no":"A"} {}`), backend.ErrBadReply, "bad_body", false},
		{"400 problem", reply(400, "application/problem+json", `{"status":400,"reason":"validation","detail":"field year"}`), nil, "validation", true},
		{"500 html", reply(500, "text/html", "<h1>oops</h1>"), nil, "server_error", false},
		{"409", reply(409, "application/problem+json", `{"reason":"in_progress"}`), nil, "in_progress", false},
		{"429", reply(429, "text/plain", "slow down"), nil, "rate_limited", false},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://example.com/", http.StatusFound)
		},
			backend.ErrBadReply, "unexpected_status", false},
		{"hanging", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}, backend.ErrUnreachable, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			handler = tc.h
			_, err := cl.Submit(context.Background(), sampleTx("apply"))
			if err == nil {
				t.Fatal("no error")
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Fatalf("got %v, want %v", err, tc.sentinel)
			}
			var be *backend.Error
			if tc.reason != "" {
				if !errors.As(err, &be) || be.FailureReason() != tc.reason || be.Permanent != tc.permanent {
					t.Fatalf("got %#v, want reason %q permanent %v", err, tc.reason, tc.permanent)
				}
			}
		})
	}
}

func TestRatingHeartbeatCatalog(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	tx := sampleTx("apply")
	if _, err := e.cl.Submit(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := e.cl.Rate(ctx, tx.ID, 5); err != nil {
		t.Fatal(err)
	}
	if err := e.cl.Rate(ctx, tx.ID, 6); err == nil {
		t.Error("score 6 accepted")
	}
	var be *backend.Error
	if err := e.cl.Rate(ctx, "unknown", 3); !errors.As(err, &be) || be.Status != 404 || !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("rating unknown tx: %v", err)
	}
	if l, _ := e.sim.Transactions(); l[0].Rating != 5 {
		t.Errorf("rating not stored: %+v", l[0])
	}

	hb := backend.Heartbeat{KioskID: kiosk, HallID: "hall01", SoftwareVersion: "1.2.3", CatalogVersion: 42,
		CatalogHash: "abc", OutboxDepth: 3, OutboxOldestAge: backend.Seconds(90 * time.Second), DoorOpen: true}
	if err := e.cl.Heartbeat(ctx, hb); err != nil {
		t.Fatal(err)
	}
	ks, _ := e.sim.Kiosks()
	if len(ks) != 1 || ks[0].Heartbeat.CatalogVersion != 42 || ks[0].Heartbeat.OutboxOldestAge != backend.Seconds(90*time.Second) {
		t.Fatalf("kiosks %+v", ks)
	}

	// No catalog yet.
	if _, _, _, _, err := e.cl.FetchCatalog(ctx, ""); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("empty catalog: %v", err)
	}
	publish := func(token string) int {
		body, _ := json.Marshal(backend.CatalogPublish{Catalog: []byte(`{"version":42}`),
			Signature: "untrusted comment: signature\nRWQ...\ntrusted comment: v42\nabc\n"})
		req, _ := http.NewRequest(http.MethodPut, e.sim.URL()+"v1/catalog", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		tc, _ := backend.TLSConfig(e.pki.CAFile, "", "")
		resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: tc}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := publish("wrong"); st != 401 {
		t.Fatalf("publish with wrong token: %d", st)
	}
	if st := publish("op-secret"); st != 200 {
		t.Fatalf("publish: %d", st)
	}
	data, sig, etag, nm, err := e.cl.FetchCatalog(ctx, "")
	if err != nil || nm || string(data) != `{"version":42}` || !strings.HasPrefix(string(sig), "untrusted comment:") || etag == "" {
		t.Fatalf("fetch: %q %q %q %v %v", data, sig, etag, nm, err)
	}
	if _, _, etag2, nm, err := e.cl.FetchCatalog(ctx, etag); err != nil || !nm || etag2 != etag {
		t.Fatalf("conditional fetch: %v %v", nm, err)
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"5", 5 * time.Second}, {"-3", 0}, {"abc", 0}, {"999999999", 24 * time.Hour},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		if got := backend.ParseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestHeartbeatsLoop(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	// Heartbeats sends each heartbeat before it builds the next, so the
	// fourth build means the third heartbeat has been answered.
	built := make(chan int, 1)
	n := 0
	go func() {
		done <- e.cl.Heartbeats(ctx, 10*time.Millisecond, func() backend.Heartbeat {
			n++
			select {
			case built <- n:
			default:
			}
			return backend.Heartbeat{KioskID: kiosk, CatalogVersion: int64(n)}
		})
	}()
	timeout := time.After(5 * time.Second)
	for b := 0; b < 4; {
		select {
		case b = <-built:
		case <-timeout:
			t.Fatalf("heartbeats not sent: %d built", b)
		}
	}
	if ks, _ := e.sim.Kiosks(); len(ks) != 1 || ks[0].Heartbeat.CatalogVersion < 3 {
		t.Fatalf("heartbeats not arriving: %+v", ks)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

func TestStatusEscapesID(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(404)
	}))
	defer srv.Close()
	cl, _ := backend.New(&backend.Opts{BaseURL: srv.URL + "/county/api", Dev: true})
	_, err := cl.Status(context.Background(), "a/b c")
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatal(err)
	}
	if got != "/county/api/v1/transactions/a%2Fb%20c" {
		t.Fatalf("path %q", got)
	}
}
