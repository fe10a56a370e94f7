package idcard

import (
	"context"
	"testing"
	"time"
)

// The reader power-cycles itself by the kiosk's one rule: after
// PowerCycleAfter failures, at most three times in any hour.
func TestRecoveryStepPowerCycleLimit(t *testing.T) {
	type step struct {
		advance  time.Duration
		failures int
		cycle    bool // a power cycle is wanted
	}
	for _, tc := range []struct {
		name  string
		opts  Opts
		steps []step
	}{
		{"three an hour", Opts{}, []step{
			{0, 3, true},
			{time.Minute, 3, true},
			{time.Minute, 3, true},
			{time.Minute, 3, false},
			{50 * time.Minute, 9, false},
			{6 * time.Minute, 3, false}, // 59 min after the first
			{time.Minute, 3, true},      // the first has left the window
			{0, 3, false},
		}},
		{"not before enough failures", Opts{}, []step{
			{0, 1, false},
			{0, 2, false},
			{0, 3, true},
		}},
		{"configured", Opts{PowerCycleAfter: 1, PowerCycleLimit: 1}, []step{
			{0, 1, true},
			{59 * time.Minute, 1, false},
			{time.Minute, 1, true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
			calls := 0
			o := tc.opts
			o.Now = func() time.Time { return now }
			o.PowerCycle = func(context.Context) error { calls++; return nil }
			r := NewReader(&o)
			for i, s := range tc.steps {
				now = now.Add(s.advance)
				r.failures = s.failures
				before := calls
				r.recoveryStep(t.Context())
				if got := calls > before; got != s.cycle {
					t.Fatalf("step %d: power-cycled %v, want %v", i, got, s.cycle)
				}
				if s.cycle && r.failures != 0 {
					t.Fatalf("step %d: failures %d after a power cycle", i, r.failures)
				}
			}
		})
	}
}
