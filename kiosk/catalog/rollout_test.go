package catalog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func withRollout(t testing.TB, version int64, r *Rollout) []byte {
	return mutate(t, func(c *Catalog) { c.Version, c.Rollout = version, r })
}

func hallVerifier(hall string, keys ...keyPair) *Verifier {
	v := verifier(keys...)
	v.Hall = hall
	return v
}

func TestInRollout(t *testing.T) {
	for _, tc := range []struct {
		r    *Rollout
		hall string
		want bool
	}{
		{nil, "cgz", true},
		{nil, "", true},
		{RolloutAll(), "cgz", true},
		{RolloutAll(), "", true},
		{&Rollout{Halls: []string{"zwzx"}}, "zwzx", true},
		{&Rollout{Halls: []string{"zwzx"}}, "cgz", false},
		{&Rollout{Halls: []string{"zwzx", "cgz"}}, "cgz", true},
		{&Rollout{Halls: []string{"zwzx"}}, "", false},
	} {
		c := &Catalog{Rollout: tc.r}
		if got := c.InRollout(tc.hall); got != tc.want {
			t.Errorf("rollout %s, hall %q: %v, want %v", tc.r, tc.hall, got, tc.want)
		}
	}
}

func TestRolloutValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *Rollout
		path string // "" means valid
	}{
		{"absent", nil, ""},
		{"all", RolloutAll(), ""},
		{"pilot", &Rollout{Halls: []string{"zwzx"}}, ""},
		{"neither", &Rollout{}, "$.rollout"},
		{"both", &Rollout{All: true, Halls: []string{"zwzx"}}, "$.rollout"},
		{"unknown hall", &Rollout{Halls: []string{"zwzx", "nowhere"}}, "$.rollout.halls[1]"},
		{"twice", &Rollout{Halls: []string{"cgz", "cgz"}}, "$.rollout.halls[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(withRollout(t, 2026120101, tc.r))
			if err != nil {
				t.Fatal(err)
			}
			probs := Validate(c)
			switch {
			case tc.path == "" && len(probs) > 0:
				t.Fatalf("valid rollout refused: %v", probs)
			case tc.path != "" && (len(probs) != 1 || probs[0].Path != tc.path):
				t.Fatalf("problems %v, want one at %s", probs, tc.path)
			}
		})
	}
}

func TestContentHashIgnoresRollout(t *testing.T) {
	pilot, _ := Parse(withRollout(t, 2026120101, &Rollout{Halls: []string{"zwzx"}}))
	wide, _ := Parse(withRollout(t, 2026120101, &Rollout{Halls: []string{"zwzx", "cgz"}}))
	all, _ := Parse(withRollout(t, 2026120101, nil))
	other, _ := Parse(mutate(t, func(c *Catalog) { c.Version = 2026120101; c.Hotline = "0371-99999" }))
	if pilot.Hash() == wide.Hash() {
		t.Fatal("the signed bytes differ, the hash must too")
	}
	if pilot.ContentHash() != wide.ContentHash() || pilot.ContentHash() != all.ContentHash() {
		t.Fatal("the rollout changed the content hash")
	}
	if other.ContentHash() == all.ContentHash() {
		t.Fatal("other content, same content hash")
	}
}

// A pilot hall gets the list; another hall keeps its list and says "not in
// rollout" until the same list is signed again for it.
func TestStoreStagedRollout(t *testing.T) {
	k := newKey(t)
	pilot := withRollout(t, 2026120101, &Rollout{Halls: []string{"zwzx"}})
	wider := withRollout(t, 2026120101, &Rollout{Halls: []string{"zwzx", "cgz"}})

	// A kiosk in cgz, not in the pilot.
	dir := t.TempDir()
	s, _ := OpenStore(dir, hallVerifier("cgz", k), nil)
	def := s.Active()
	c, err := s.Stage(pilot, k.sign(t, pilot))
	if !errors.Is(err, ErrNotInRollout) || c != nil {
		t.Fatalf("pilot list for another hall: %v, %v", c, err)
	}
	if s.Active() != def || s.Pending() != nil {
		t.Fatal("a list not for this hall changed the lists")
	}
	if _, err := os.Stat(filepath.Join(dir, pendingFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("pending file written: %v", err)
	}
	if e, ok := s.LastRejection(); ok {
		t.Fatalf("not in rollout recorded as a rejection: %+v", e)
	}
	if st := s.Status(testNow); st.NotInRollout != 2026120101 || st.LastRejection != nil {
		t.Fatalf("status %+v", st)
	}
	// Offered again (the poller's ETag lost in a restart): one event only.
	s.Stage(pilot, k.sign(t, pilot))
	n := 0
	for _, e := range s.Events() {
		if e.Kind == EventNotInRollout {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d not-in-rollout events, want 1", n)
	}
	// Widened: the same list, the same version, a new signature.
	if c, err := s.Stage(wider, k.sign(t, wider)); err != nil || c.Version != 2026120101 {
		t.Fatalf("widened list: %v", err)
	}
	if ok, err := s.ApplyPending(testNow); !ok || err != nil {
		t.Fatalf("apply: %v %v", ok, err)
	}
	if st := s.Status(testNow); st.Version != 2026120101 || st.NotInRollout != 0 {
		t.Fatalf("status after widening %+v", st)
	}

	// A kiosk in the pilot hall applied the pilot list; the wider one is
	// the same content and changes nothing there.
	ps, _ := OpenStore(t.TempDir(), hallVerifier("zwzx", k), nil)
	if _, err := ps.Stage(pilot, k.sign(t, pilot)); err != nil {
		t.Fatal(err)
	}
	ps.ApplyPending(testNow)
	active := ps.Active()
	c, err = ps.Stage(wider, k.sign(t, wider))
	if err != nil || c != active || ps.Pending() != nil {
		t.Fatalf("re-signed wider list on the pilot kiosk: %v %v", c, err)
	}
	if string(ps.Active().Raw()) != string(pilot) {
		t.Fatal("active list replaced")
	}
	if _, ok := ps.LastRejection(); ok {
		t.Fatal("widening recorded as a rejection on the pilot kiosk")
	}
	// The same version with other content is a rollback attempt.
	changed := mutate(t, func(c *Catalog) { c.Version = 2026120101; c.Hotline = "0371-99999" })
	if _, err := ps.Stage(changed, k.sign(t, changed)); !errors.Is(err, ErrRollback) {
		t.Fatalf("same version, other content: %v", err)
	}
}

func TestStoreNoHallOnlyAll(t *testing.T) {
	k := newKey(t)
	s, _ := OpenStore(t.TempDir(), hallVerifier("", k), nil)
	pilot := withRollout(t, 2026120101, &Rollout{Halls: []string{"zwzx"}})
	if _, err := s.Stage(pilot, k.sign(t, pilot)); !errors.Is(err, ErrNotInRollout) {
		t.Fatalf("kiosk without a hall took a pilot list: %v", err)
	}
	all := withRollout(t, 2026120102, RolloutAll())
	if _, err := s.Stage(all, k.sign(t, all)); err != nil {
		t.Fatal(err)
	}
}

// A list staged for this hall is dropped at start when kiosk.hall no
// longer is in its rollout.
func TestStorePendingHallChanged(t *testing.T) {
	k := newKey(t)
	dir := t.TempDir()
	s, _ := OpenStore(dir, hallVerifier("zwzx", k), nil)
	pilot := withRollout(t, 2026120101, &Rollout{Halls: []string{"zwzx"}})
	if _, err := s.Stage(pilot, k.sign(t, pilot)); err != nil {
		t.Fatal(err)
	}
	s2, _ := OpenStore(dir, hallVerifier("cgz", k), nil)
	if s2.Pending() != nil || s2.Status(testNow).NotInRollout != 2026120101 {
		t.Fatalf("pending %v, status %+v", s2.Pending(), s2.Status(testNow))
	}
	if _, err := os.Stat(filepath.Join(dir, pendingFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("pending file kept")
	}
}

func TestPollerRollout(t *testing.T) {
	k := newKey(t)
	s, _ := OpenStore(t.TempDir(), hallVerifier("zwzx", k), nil)
	pilot := withRollout(t, 2026120101, &Rollout{Halls: []string{"cgz"}})
	wider := withRollout(t, 2026120101, &Rollout{Halls: []string{"cgz", "zwzx"}})
	widest := withRollout(t, 2026120101, RolloutAll())
	lists := [][]byte{pilot, wider, widest}
	fetch := func(ctx context.Context, etag string) ([]byte, []byte, string, bool, error) {
		d := lists[0]
		lists = lists[1:]
		return d, k.sign(t, d), "", false, nil
	}
	p := NewPoller(s, fetch, nil)
	ctx := context.Background()
	if c, err := p.PollOnce(ctx); c != nil || err != nil {
		t.Fatalf("not in rollout: %v %v", c, err)
	}
	if c, err := p.PollOnce(ctx); err != nil || c == nil || c.Version != 2026120101 {
		t.Fatalf("widened to this hall: %v %v", c, err)
	}
	if c, err := p.PollOnce(ctx); c != nil || err != nil {
		t.Fatalf("re-signed for all while pending: %v %v", c, err)
	}
	if string(s.Pending().Raw()) != string(wider) {
		t.Fatal("pending list replaced")
	}
}
