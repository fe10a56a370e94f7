package catalog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStoreEmptyUsesDefault(t *testing.T) {
	s, err := OpenStore(t.TempDir(), verifier(newKey(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source() != SourceDefault || kioskMatters(s.Active()) != 416 {
		t.Fatalf("source %s", s.Source())
	}
	if _, ok := s.LastRejection(); ok {
		t.Fatal("an empty store is not a rejection")
	}
}

func TestStoreStageApplyRestart(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t)
	v := verifier(k)
	s, _ := OpenStore(dir, v, nil)
	def := s.Active()

	v1 := withVersion(t, 2026120101)
	c, err := s.Stage(v1, k.sign(t, v1))
	if err != nil {
		t.Fatal(err)
	}
	if s.Active() != def || s.Pending() != c {
		t.Fatal("staging changed the active list")
	}
	if ok, err := s.ApplyPending(testNow); !ok || err != nil {
		t.Fatalf("apply: %v %v", ok, err)
	}
	if s.Active().Version != 2026120101 || s.Pending() != nil || s.Source() != SourceStore {
		t.Fatal("not applied")
	}
	v2 := withVersion(t, 2026120201)
	if _, err := s.Stage(v2, k.sign(t, v2)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ApplyPending(testNow); !ok {
		t.Fatal("v2 not applied")
	}
	if s.Previous().Version != 2026120101 {
		t.Fatalf("previous %d", s.Previous().Version)
	}
	for _, f := range []string{"active.json", "active.json.minisig", "previous.json", "previous.json.minisig"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.tmp*")); len(m) != 0 {
		t.Fatalf("temp files left: %v", m)
	}

	// A restart serves the same list.
	s2, err := OpenStore(dir, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Active().Version != 2026120201 || s2.Active().Hash() != s.Active().Hash() || s2.Previous().Version != 2026120101 {
		t.Fatal("restart lost the list")
	}
}

func TestStoreEffectiveAt(t *testing.T) {
	k := newKey(t)
	s, _ := OpenStore(t.TempDir(), verifier(k), nil)
	eff := testNow.Add(6 * time.Hour)
	data := mutate(t, func(c *Catalog) { c.Version = 2026120101; c.EffectiveAt = &eff })
	if _, err := s.Stage(data, k.sign(t, data)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.ApplyPending(testNow); ok {
		t.Fatal("applied before effective_at")
	}
	if ok, _ := s.ApplyPending(eff); !ok {
		t.Fatal("not applied at effective_at")
	}
}

func TestStoreRejectionsLeaveActive(t *testing.T) {
	k, stranger := newKey(t), newKey(t)
	s, _ := OpenStore(t.TempDir(), verifier(k), nil)
	v1 := withVersion(t, 2026120101)
	s.Stage(v1, k.sign(t, v1))
	s.ApplyPending(testNow)
	active := s.Active()

	v1other := mutate(t, func(c *Catalog) { c.Version = 2026120101; c.Hotline = "0371-99999" })
	bad := [][2][]byte{
		{v1other, k.sign(t, v1other)},                                              // same version, other content: rollback
		{withVersion(t, 5), k.sign(t, withVersion(t, 5))},                          // older
		{withVersion(t, 2026120301), stranger.sign(t, withVersion(t, 2026120301))}, // untrusted
		{withVersion(t, 2026120302), nil},                                          // unsigned
		{[]byte("{"), k.sign(t, []byte("{"))},                                      // malformed
	}
	for i, b := range bad {
		if _, err := s.Stage(b[0], b[1]); err == nil {
			t.Fatalf("case %d accepted", i)
		}
		if s.Active() != active || s.Pending() != nil {
			t.Fatalf("case %d changed the store", i)
		}
	}
	e, ok := s.LastRejection()
	if !ok || e.Kind != EventRejected || e.Reason == "" || !e.Time.Equal(testNow) {
		t.Fatalf("last rejection %+v", e)
	}
	if ev := s.Events(); ev[len(ev)-2].Version != 2026120302 {
		t.Fatalf("rejected version not recorded: %+v", ev[len(ev)-2])
	}
	n := 0
	for _, e := range s.Events() {
		if e.Kind == EventRejected {
			n++
		}
	}
	if n != len(bad) {
		t.Fatalf("%d rejections recorded, want %d", n, len(bad))
	}
	if st := s.Status(testNow); st.LastRejection == nil || st.Version != 2026120101 {
		t.Fatalf("status %+v", st)
	}
}

func TestStoreCorruptActiveFallsBack(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t)
	v := verifier(k)
	s, _ := OpenStore(dir, v, nil)
	for _, ver := range []int64{2026120101, 2026120201} {
		d := withVersion(t, ver)
		s.Stage(d, k.sign(t, d))
		s.ApplyPending(testNow)
	}
	// The active file is damaged on disk (or a crash left a new signature
	// beside the old list).
	os.WriteFile(filepath.Join(dir, "active.json"), []byte(`{"schema_version":1`), 0o600)
	s2, err := OpenStore(dir, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Active().Version != 2026120101 || s2.Source() != SourceLastKnownGood {
		t.Fatalf("serving %d from %s", s2.Active().Version, s2.Source())
	}
	e, ok := s2.LastRejection()
	if !ok || e.Kind != EventFallback {
		t.Fatalf("fallback not reported: %+v", e)
	}
	// Both damaged: the built-in list serves.
	os.WriteFile(filepath.Join(dir, "previous.json.minisig"), []byte("x"), 0o600)
	s3, _ := OpenStore(dir, v, nil)
	if s3.Source() != SourceDefault {
		t.Fatalf("source %s", s3.Source())
	}
	if _, ok := s3.LastRejection(); !ok {
		t.Fatal("not reported")
	}
}

func TestStoreRollback(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t)
	v := verifier(k)
	s, _ := OpenStore(dir, v, nil)
	if err := s.Rollback(); !errors.Is(err, ErrNoPrevious) {
		t.Fatalf("rollback of the default: %v", err)
	}
	v1, v2 := withVersion(t, 2026120101), withVersion(t, 2026120201)
	s.Stage(v1, k.sign(t, v1))
	s.ApplyPending(testNow)
	s.Stage(v2, k.sign(t, v2))
	s.ApplyPending(testNow)
	if err := s.Rollback(); err != nil {
		t.Fatal(err)
	}
	if s.Active().Version != 2026120101 {
		t.Fatal("not rolled back")
	}
	// The rolled-back version is not taken again, after a restart too.
	if _, err := s.Stage(v2, k.sign(t, v2)); !errors.Is(err, ErrRollback) {
		t.Fatalf("rolled-back version staged again: %v", err)
	}
	s2, _ := OpenStore(dir, v, nil)
	if s2.Active().Version != 2026120101 {
		t.Fatal("rollback not persisted")
	}
	if _, err := s2.Stage(v2, k.sign(t, v2)); !errors.Is(err, ErrRollback) {
		t.Fatalf("after restart: %v", err)
	}
	v3 := withVersion(t, 2026120301)
	if _, err := s2.Stage(v3, k.sign(t, v3)); err != nil {
		t.Fatalf("newer version: %v", err)
	}
}

func TestStoreStale(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t)
	now := testNow
	v := verifier(k)
	v.Now = func() time.Time { return now }
	s, _ := OpenStore(dir, v, nil)
	d := mutate(t, func(c *Catalog) { c.Version = 2026120101; c.ExpiresAt = testNow.Add(48 * time.Hour) })
	s.Stage(d, k.sign(t, d))
	s.ApplyPending(now)
	if s.Stale(now) {
		t.Fatal("stale too early")
	}
	now = testNow.Add(72 * time.Hour)
	if !s.Stale(now) || !s.Status(now).Stale {
		t.Fatal("not stale after expiry")
	}
	// An expired list keeps serving, also after a restart.
	s2, _ := OpenStore(dir, v, nil)
	if s2.Active().Version != 2026120101 || !s2.Stale(now) {
		t.Fatal("expired list not kept")
	}
}

func TestPoller(t *testing.T) {
	k := newKey(t)
	s, _ := OpenStore(t.TempDir(), verifier(k), nil)
	v1 := withVersion(t, 2026120101)
	type reply struct {
		data, sig   []byte
		etag        string
		notModified bool
		err         error
	}
	var gotETags []string
	replies := []reply{
		{data: v1, sig: k.sign(t, v1), etag: `"v1"`},
		{notModified: true},
		{data: v1, sig: k.sign(t, v1), etag: `"v1"`}, // an origin without ETag support
		{err: errors.New("connection refused")},
		{data: []byte("{}"), sig: k.sign(t, []byte("{}")), etag: `"bad"`},
	}
	fetch := func(ctx context.Context, etag string) ([]byte, []byte, string, bool, error) {
		gotETags = append(gotETags, etag)
		r := replies[0]
		replies = replies[1:]
		return r.data, r.sig, r.etag, r.notModified, r.err
	}
	p := NewPoller(s, fetch, &PollerOpts{Interval: time.Minute, Jitter: time.Minute, Rand: func() float64 { return 0.5 }})
	if d := p.Next(); d != 90*time.Second {
		t.Fatalf("Next = %v", d)
	}
	ctx := context.Background()
	if c, err := p.PollOnce(ctx); err != nil || c == nil || c.Version != 2026120101 {
		t.Fatalf("first poll: %v", err)
	}
	if c, err := p.PollOnce(ctx); err != nil || c != nil {
		t.Fatalf("not modified: %v %v", c, err)
	}
	if c, err := p.PollOnce(ctx); err != nil || c != nil {
		t.Fatalf("same list again: %v %v", c, err)
	}
	if _, err := p.PollOnce(ctx); err == nil {
		t.Fatal("fetch error not returned")
	}
	if _, err := p.PollOnce(ctx); err == nil {
		t.Fatal("bad list not rejected")
	}
	if gotETags[0] != "" || gotETags[1] != `"v1"` {
		t.Fatalf("etags sent: %q", gotETags)
	}
	if e, ok := s.LastRejection(); !ok || e.Kind != EventRejected {
		t.Fatal("rejection not recorded")
	}
	if s.Pending().Version != 2026120101 {
		t.Fatal("pending lost")
	}
}

func TestPollerRunStops(t *testing.T) {
	k := newKey(t)
	s, _ := OpenStore(t.TempDir(), verifier(k), nil)
	ticks := make(chan time.Time)
	polls := make(chan struct{}, 10)
	fetch := func(ctx context.Context, etag string) ([]byte, []byte, string, bool, error) {
		polls <- struct{}{}
		return nil, nil, etag, true, nil
	}
	p := NewPoller(s, fetch, &PollerOpts{Interval: time.Hour, After: func(time.Duration) <-chan time.Time { return ticks }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	<-polls
	ticks <- time.Now()
	<-polls
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
}

// TestStoreStagedSurvivesRestart: a list staged (waiting for a resident to
// finish, or for its effective_at) is still staged after a restart, is
// applied from there, and leaves no staged files behind; a staged file
// that no longer qualifies is dropped with a rejection.
func TestStoreStagedSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	k := newKey(t)
	v := verifier(k)
	s, _ := OpenStore(dir, v, nil)
	eff := testNow.Add(6 * time.Hour)
	data := mutate(t, func(c *Catalog) { c.Version = 2026120101; c.EffectiveAt = &eff })
	if _, err := s.Stage(data, k.sign(t, data)); err != nil {
		t.Fatal(err)
	}
	s2, err := OpenStore(dir, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := s2.Pending(); p == nil || p.Version != 2026120101 {
		t.Fatalf("after the restart the staged list is %v", p)
	}
	if ok, _ := s2.ApplyPending(testNow); ok {
		t.Fatal("applied before effective_at")
	}
	if ok, err := s2.ApplyPending(eff); !ok || err != nil || s2.Active().Version != 2026120101 {
		t.Fatalf("apply after the restart: %v %v", ok, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pending.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the applied list is still staged on disk: %v", err)
	}
	if s3, _ := OpenStore(dir, v, nil); s3.Pending() != nil || s3.Active().Version != 2026120101 {
		t.Fatal("a restart after applying staged it again")
	}

	// A damaged staged file is dropped, and says why.
	v2 := withVersion(t, 2026120201)
	if _, err := s2.Stage(v2, k.sign(t, v2)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pending.json.minisig"), []byte("untrusted comment: x\nbad\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s4, _ := OpenStore(dir, v, nil)
	if s4.Pending() != nil {
		t.Fatal("a staged list with a bad signature was taken back")
	}
	if e, ok := s4.lastRejection(); !ok || !strings.Contains(e.Reason, "staged before the restart") {
		t.Fatalf("rejection %+v", e)
	}
	if _, err := os.Stat(filepath.Join(dir, "pending.json")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the damaged staged list stayed on disk")
	}
}
