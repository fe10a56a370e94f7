package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const (
	testKiosk = "ZM-HALL01-K01"
	testName  = "欧阳晓明"
	testIDNo  = "410122199001011234"
	testPhone = "13812345678"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var start = time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC)

func testKey() []byte { return bytes.Repeat([]byte{7}, KeySize) }

func open(t testing.TB, path string, o *Opts) *Outbox {
	t.Helper()
	if o == nil {
		o = &Opts{}
	}
	if o.Key == nil {
		o.Key = testKey()
	}
	ob, err := Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	return ob
}

func newTx(now time.Time, kind string) txn.Transaction {
	return txn.Transaction{ID: txn.NewID(now), KioskID: testKiosk, ServiceID: "svc-" + kind, ServiceKind: kind,
		CatalogVersion: 3, CreatedAt: now.Truncate(time.Millisecond),
		Fields:   map[string]string{"phone": testPhone, "year": "2026"},
		Person:   &txn.Person{CardType: identity.ResidentID, Name: testName, IDNumber: testIDNo},
		Personal: []string{"phone"}}
}

func TestPersonalDataEncryptedThenDestroyed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	ob := open(t, path, nil)
	tx := newTx(start, "query")
	if err := ob.Enqueue(tx); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{testName, testIDNo, testPhone} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Fatalf("%q stored in clear", secret)
		}
	}
	var got txn.Transaction
	var gotPhone string
	n := ob.DeliverDue(context.Background(), func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		got, gotPhone = tx, tx.Fields["phone"] // the outbox wipes tx after delivery
		return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: txn.TrackingNo(tx.KioskID, tx.ID),
			Lines:    []txn.ResultLine{{Label: "姓名", Value: testName}, {Label: "证件", Value: testIDNo}, {Label: "电话", Value: testPhone}},
			Document: []string{"兹证明 " + testName + "（" + testIDNo + "）"}}, nil
	})
	if n != 1 {
		t.Fatalf("delivered %d", n)
	}
	if got.Person == nil || got.Person.Name != testName || got.Person.IDNumber != testIDNo || gotPhone != testPhone ||
		!got.CreatedAt.Equal(tx.CreatedAt) {
		t.Fatalf("deliverer got %+v, want the original transaction", got)
	}
	res, ok := ob.Result(tx.ID)
	if !ok || res.Outcome != txn.Completed {
		t.Fatalf("result %+v %v", res, ok)
	}
	all := fmt.Sprint(res)
	for _, secret := range []string{testName, testIDNo, testPhone} {
		if strings.Contains(all, secret) {
			t.Fatalf("kept result holds %q: %s", secret, all)
		}
	}
	if res.Lines[0].Value != mask.Name(testName) || res.Lines[1].Value != mask.ID(testIDNo) ||
		res.Lines[2].Value != mask.Phone(testPhone) {
		t.Errorf("masked lines %+v", res.Lines)
	}
	if ob.Depth() != 0 {
		t.Errorf("depth %d", ob.Depth())
	}
	ob.Close()
	raw, _ = os.ReadFile(path)
	if bytes.Contains(raw, []byte(testIDNo)) || bytes.Contains(raw, []byte(testName)) {
		t.Fatal("personal data on disk after acknowledgement")
	}
	// Retention: purged after the configured days, not before.
	c := &clock{t: start.Add(29 * 24 * time.Hour)}
	ob = open(t, path, &Opts{Now: c.Now, Retention: 30})
	defer ob.Close()
	if n, _ := ob.Purge(); n != 0 {
		t.Fatalf("purged %d early", n)
	}
	c.Set(time.Now().Add(31 * 24 * time.Hour))
	if n, _ := ob.Purge(); n != 1 {
		t.Fatalf("purged %d, want 1", n)
	}
	if _, ok := ob.Result(tx.ID); ok {
		t.Fatal("record kept after retention")
	}
}

func TestRecoveryAfterReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	ob := open(t, path, nil)
	var ids []string
	for i := range 50 {
		tx := newTx(start.Add(time.Duration(i)*time.Second), "apply")
		ids = append(ids, tx.ID)
		if err := ob.Enqueue(tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := ob.Enqueue(newTx(start, "apply")); err != nil { // a second id is fine
		t.Fatal(err)
	}
	ob.Close()
	ob = open(t, path, nil)
	defer ob.Close()
	if ob.Depth() != 51 {
		t.Fatalf("depth after reopen %d", ob.Depth())
	}
	seen := map[string]bool{}
	ob.DeliverDue(context.Background(), func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		seen[tx.ID] = true
		return txn.Result{Outcome: txn.Queued, TrackingNo: "T"}, nil
	})
	for _, id := range ids {
		if !seen[id] {
			t.Fatalf("%s not delivered after reopen", id)
		}
	}
	if ob.Depth() != 0 {
		t.Fatal("not empty")
	}
	items, _ := ob.List()
	if len(items) != 51 || items[0].State != Delivered {
		t.Fatalf("list %+v", items[:1])
	}
}

func TestEnqueueRejectsInvalid(t *testing.T) {
	ob := open(t, filepath.Join(t.TempDir(), "o.db"), nil)
	defer ob.Close()
	for _, tx := range []txn.Transaction{{}, {ID: "x"}, {ID: "x", KioskID: "k"}} {
		if err := ob.Enqueue(tx); !errors.Is(err, ErrInvalid) {
			t.Errorf("Enqueue(%+v) = %v", tx, err)
		}
	}
	if _, err := Open(filepath.Join(t.TempDir(), "p.db"), &Opts{Key: []byte("short")}); err == nil {
		t.Error("short key accepted")
	}
}

// Changed is closed when a transaction is enqueued and when one is
// acknowledged, not by a failed attempt or a duplicate enqueue.
func TestChangedFollowsDepth(t *testing.T) {
	ob := open(t, filepath.Join(t.TempDir(), "o.db"), &Opts{Now: (&clock{t: start}).Now})
	defer ob.Close()
	closed := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	ch := ob.Changed()
	tx := newTx(start, "query")
	if err := ob.Enqueue(tx); err != nil {
		t.Fatal(err)
	}
	if !closed(ch) || ob.Depth() != 1 {
		t.Fatalf("enqueue: changed %v, depth %d", closed(ch), ob.Depth())
	}
	ch = ob.Changed()
	if err := ob.Enqueue(tx); err != nil || closed(ch) {
		t.Fatalf("duplicate enqueue: %v, changed %v", err, closed(ch))
	}
	ob.DeliverDue(context.Background(), func(context.Context, txn.Transaction) (txn.Result, error) {
		return txn.Result{}, errors.New("backend down")
	})
	if closed(ch) || ob.Depth() != 1 {
		t.Fatalf("failed attempt: changed %v, depth %d", closed(ch), ob.Depth())
	}
	if err := ob.Retry(tx.ID); err != nil {
		t.Fatal(err)
	}
	ob.DeliverDue(context.Background(), func(_ context.Context, tx txn.Transaction) (txn.Result, error) {
		return txn.Result{TxID: tx.ID, Outcome: txn.Completed}, nil
	})
	if !closed(ch) || ob.Depth() != 0 {
		t.Fatalf("acknowledged: changed %v, depth %d", closed(ch), ob.Depth())
	}
}

func TestParkAndRetry(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := &clock{t: start}
	ob := open(t, filepath.Join(t.TempDir(), "o.db"), &Opts{Now: c.Now, Registerer: reg})
	defer ob.Close()
	tx := newTx(start, "apply")
	ob.Enqueue(tx)
	reject := func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		return txn.Result{}, &backend.Error{Op: "submit", Status: 400, Reason: "validation", Detail: "field year", Permanent: true}
	}
	ob.DeliverDue(context.Background(), reject)
	items, _ := ob.List()
	if items[0].State != Parked || !strings.Contains(items[0].LastError, "validation") || items[0].Attempts != 1 {
		t.Fatalf("item %+v", items[0])
	}
	if _, ok := ob.NextDue(); ok {
		t.Fatal("parked item still due")
	}
	c.Set(start.Add(time.Hour))
	if n := ob.DeliverDue(context.Background(), reject); n != 0 {
		t.Fatal("parked item retried by itself")
	}
	if res, _ := ob.Result(tx.ID); res.Outcome != txn.Rejected {
		t.Errorf("result %+v", res)
	}
	if got := testutil.ToFloat64(ob.m.failures.WithLabelValues("validation")); got != 1 {
		t.Errorf("failures{validation} = %v", got)
	}
	if ob.Depth() != 1 {
		t.Error("parked item not counted in depth")
	}
	if err := ob.Retry(tx.ID); err != nil {
		t.Fatal(err)
	}
	if err := ob.Retry("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Retry(unknown) = %v", err)
	}
	n := ob.DeliverDue(context.Background(), func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		return txn.Result{Outcome: txn.Queued, TrackingNo: "T"}, nil
	})
	if n != 1 || ob.Depth() != 0 {
		t.Fatalf("after retry: %d delivered, depth %d", n, ob.Depth())
	}
	if got := testutil.ToFloat64(ob.m.depth); got != 0 {
		t.Errorf("depth metric %v", got)
	}
	if cnt := testutil.CollectAndCount(reg); cnt < 4 {
		t.Errorf("registry has %d metrics", cnt)
	}
}

func TestBackoffSchedule(t *testing.T) {
	b := Backoff{Base: 2 * time.Second, Cap: 10 * time.Minute}
	for _, tc := range []struct {
		attempt    int
		retryAfter time.Duration
		rnd        float64
		want       time.Duration
	}{
		{1, 0, 0.999999, 2 * time.Second}, // ceiling 2 s
		{1, 0, 0.5, time.Second},
		{3, 0, 0.5, 4 * time.Second}, // ceiling 8 s
		{20, 0, 0.5, 5 * time.Minute},
		{1000, 0, 0.999999, 10 * time.Minute},
		{1, 30 * time.Second, 0.1, 30 * time.Second}, // Retry-After honoured
		{1, 3 * time.Hour, 0.1, 10 * time.Minute},    // but never past the cap
		{0, 0, 0.5, time.Second},
	} {
		got := b.Delay(tc.attempt, tc.retryAfter, func() float64 { return tc.rnd })
		if d := got - tc.want; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("Delay(%d, %v, %v) = %v, want %v", tc.attempt, tc.retryAfter, tc.rnd, got, tc.want)
		}
	}
}

// TestOutage72h: the backend is down for 72 hours of simulated time while
// residents keep coming; every transaction is delivered once it returns,
// and no wait between attempts exceeds the cap.
func TestOutage72h(t *testing.T) {
	c := &clock{t: start}
	bo := Backoff{Base: 2 * time.Second, Cap: 30 * time.Minute}
	ob := open(t, filepath.Join(t.TempDir(), "o.db"), &Opts{Now: c.Now, Backoff: bo})
	defer ob.Close()
	up := start.Add(72 * time.Hour)
	received := map[string]int{}
	lastAttempt := map[string]time.Time{}
	var maxGap time.Duration
	attempts := 0
	deliver := func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		now := c.Now()
		attempts++
		if last, ok := lastAttempt[tx.ID]; ok && now.Sub(last) > maxGap {
			maxGap = now.Sub(last)
		}
		lastAttempt[tx.ID] = now
		if now.Before(up) {
			if attempts%2 == 0 {
				return txn.Result{}, fmt.Errorf("dial: %w", backend.ErrUnreachable)
			}
			return txn.Result{}, &backend.Error{Op: "submit", Status: 503, Reason: "unavailable", RetryAfter: 5 * time.Minute}
		}
		received[tx.ID]++
		return txn.Result{Outcome: txn.Queued, TrackingNo: txn.TrackingNo(tx.KioskID, tx.ID)}, nil
	}
	var sent []string
	nextArrival := start
	for now := start; ; {
		c.Set(now)
		for !nextArrival.After(now) && nextArrival.Before(up) {
			tx := newTx(nextArrival, "apply")
			if err := ob.Enqueue(tx); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, tx.ID)
			nextArrival = nextArrival.Add(133 * time.Minute)
		}
		ob.DeliverDue(context.Background(), deliver)
		due, ok := ob.NextDue()
		if !ok && !nextArrival.Before(up) {
			break
		}
		next := now.Add(time.Hour)
		if ok && due.Before(next) {
			next = due
		}
		if nextArrival.Before(up) && nextArrival.Before(next) {
			next = nextArrival
		}
		if !next.After(now) {
			next = now.Add(time.Millisecond)
		}
		now = next
		if now.After(up.Add(time.Hour)) {
			t.Fatalf("still %d pending an hour after the backend returned", ob.Depth())
		}
	}
	if len(sent) < 30 {
		t.Fatalf("only %d transactions arrived", len(sent))
	}
	for _, id := range sent {
		if received[id] != 1 {
			t.Fatalf("%s received %d times", id, received[id])
		}
	}
	if maxGap > bo.Cap+time.Millisecond {
		t.Fatalf("a retry waited %v, cap %v", maxGap, bo.Cap)
	}
	if maxGap < bo.Cap/2 {
		t.Errorf("max gap %v: backoff never grew", maxGap)
	}
	t.Logf("%d transactions, %d attempts over 72 h, longest wait %v", len(sent), attempts, maxGap)
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "outbox.key")
	k1, err := LoadOrCreateKey(p)
	if err != nil || len(k1) != KeySize {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(p)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatal("key changed on reload")
	}
	os.Chmod(p, 0o644)
	if _, err := LoadOrCreateKey(p); !errors.Is(err, ErrKeyFile) {
		t.Errorf("world-readable key: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "short.key"), []byte("abc"), 0o600)
	if _, err := LoadOrCreateKey(filepath.Join(dir, "short.key")); !errors.Is(err, ErrKeyFile) {
		t.Errorf("short key: %v", err)
	}
	// A different key cannot open what the first sealed: parked as unreadable, never lost.
	path := filepath.Join(dir, "o.db")
	ob := open(t, path, &Opts{Key: k1})
	ob.Enqueue(newTx(start, "apply"))
	ob.Close()
	ob = open(t, path, &Opts{Key: bytes.Repeat([]byte{1}, KeySize)})
	defer ob.Close()
	ob.DeliverDue(context.Background(), func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		t.Fatal("delivered without its personal data")
		return txn.Result{}, nil
	})
	items, _ := ob.List()
	if len(items) != 1 || items[0].State != Parked || !strings.Contains(items[0].LastError, "unreadable") {
		t.Fatalf("items %+v", items)
	}
}
