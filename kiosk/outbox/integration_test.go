package outbox

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// simEnv is countysim on loopback mutual TLS and a client for testKiosk.
type simEnv struct {
	sim *countysim.Server
	cl  *backend.Client
}

func newSimEnv(t testing.TB, f countysim.Faults) *simEnv {
	t.Helper()
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{testKiosk})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := countysim.New(&countysim.Opts{Dir: filepath.Join(dir, "sim"), CAFile: pki.CAFile,
		CertFile: pki.ServerCert, KeyFile: pki.ServerKey, Faults: f})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cl, err := backend.New(&backend.Opts{BaseURL: sim.URL(), KioskID: testKiosk, CAFile: pki.CAFile,
		CertFile: pki.Clients[testKiosk].CertFile, KeyFile: pki.Clients[testKiosk].KeyFile, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return &simEnv{sim: sim, cl: cl}
}

func TestSubmitNowAgainstCountysim(t *testing.T) {
	e := newSimEnv(t, countysim.Faults{})
	ob := open(t, filepath.Join(t.TempDir(), "o.db"), &Opts{Backoff: Backoff{Base: 20 * time.Millisecond, Cap: 200 * time.Millisecond}})
	defer ob.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ob.Run(ctx, e.cl.Submit) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	}()

	// Answered in time: the backend's result.
	tx := newTx(time.Now(), "query")
	res, err := ob.SubmitNow(ctx, tx, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != txn.Completed || res.TrackingNo != txn.TrackingNo(testKiosk, tx.ID) || len(res.Lines) == 0 {
		t.Fatalf("result %+v", res)
	}
	// The resident's receipt may be reprinted, masked.
	if kept, ok := ob.Result(tx.ID); !ok || kept.Lines[0].Value == testName {
		t.Fatalf("kept result %+v", kept)
	}

	// Backend down: queued at once with the tracking number the backend
	// will accept, then delivered when it returns.
	e.sim.SetFaults(countysim.Faults{Down: true})
	tx2 := newTx(time.Now(), "apply")
	res, err = ob.SubmitNow(ctx, tx2, 5*time.Second)
	if err != nil || res.Outcome != txn.Queued || res.TrackingNo != txn.TrackingNo(testKiosk, tx2.ID) {
		t.Fatalf("offline result %+v %v", res, err)
	}
	// Commit then drop the reply: retried, stored once.
	e.sim.SetFaults(countysim.Faults{DropReplyRate: 0.5})
	var ids []string
	for range 20 {
		tx := newTx(time.Now(), "apply")
		ids = append(ids, tx.ID)
		if err := ob.Enqueue(tx); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.After(15 * time.Second)
	for {
		changed := ob.Changed()
		if ob.Depth() == 0 {
			break
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("depth %d after 15 s", ob.Depth())
		}
	}
	got, _ := e.sim.Transactions()
	have := map[string]bool{}
	for _, r := range got {
		have[r.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			t.Errorf("transaction %s was not delivered", id)
		}
	}
	if len(got) != 22 {
		t.Fatalf("countysim holds %d transactions, want 22", len(got))
	}
	for _, r := range got {
		if r.TrackingNo != txn.TrackingNo(testKiosk, r.ID) {
			t.Errorf("%s tracking %s", r.ID, r.TrackingNo)
		}
	}
	if res, _ := ob.Result(tx2.ID); res.Outcome != txn.Queued || res.TrackingNo != txn.TrackingNo(testKiosk, tx2.ID) {
		t.Errorf("queued receipt's tracking number changed: %+v", res)
	}
	if st := e.sim.Stats(); st.DroppedReply == 0 || st.Replayed == 0 {
		t.Errorf("faults not exercised: %+v", st)
	}
}

// Each bad answer is recorded with its reason and retried, never parked or
// lost, and the retry is one transaction at countysim.
func TestBadAnswersRecordedAndRetried(t *testing.T) {
	e := newSimEnv(t, countysim.Faults{})
	c := &clock{t: time.Now()}
	ob := open(t, filepath.Join(t.TempDir(), "o.db"), &Opts{Now: c.Now})
	defer ob.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		f      countysim.Faults
		reason string
	}{
		{"garbage after commit", countysim.Faults{GarbageRate: 1}, "bad_body"},
		{"reply dropped after commit", countysim.Faults{DropReplyRate: 1}, "unreachable"},
		{"connection dropped", countysim.Faults{DropRate: 1}, "unreachable"},
		{"503", countysim.Faults{Down: true, RetryAfterS: 30}, "unavailable"},
		{"500", countysim.Faults{ErrorRate: 1}, "server_error"},
		{"hanging", countysim.Faults{LatencyMS: 2500}, "unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.sim.SetFaults(tc.f)
			tx := newTx(c.Now(), "apply")
			if err := ob.Enqueue(tx); err != nil {
				t.Fatal(err)
			}
			if n := ob.DeliverDue(ctx, e.cl.Submit); n != 1 {
				t.Fatalf("attempted %d", n)
			}
			items, _ := ob.List()
			it := items[len(items)-1]
			for _, x := range items {
				if x.ID == tx.ID {
					it = x
				}
			}
			if it.State != Pending || it.Attempts != 1 || !strings.HasPrefix(it.LastError, tc.reason+":") {
				t.Fatalf("item %+v, want pending with reason %q", it, tc.reason)
			}
			if tc.f.RetryAfterS > 0 {
				if due, _ := ob.NextDue(); due.Sub(c.Now()) < time.Duration(tc.f.RetryAfterS)*time.Second {
					t.Errorf("Retry-After not honoured: due in %v", due.Sub(c.Now()))
				}
			}
			e.sim.SetFaults(countysim.Faults{})
			c.Set(c.Now().Add(DefaultOpts.Backoff.Cap))
			ob.DeliverDue(ctx, e.cl.Submit)
			if ob.Depth() != 0 {
				t.Fatalf("depth %d after the fault cleared", ob.Depth())
			}
			if _, ok := e.sim.Submission(testKiosk, tx.ID); !ok {
				t.Fatal("not at countysim")
			}
		})
	}
	got, _ := e.sim.Transactions()
	if len(got) != 6 {
		t.Fatalf("countysim holds %d, want 6 (one each)", len(got))
	}
}
