package escpos

import (
	"context"
	"testing"
	"time"
)

// A printer that stops answering is power-cycled by the kiosk's one rule:
// after three unanswered polls, at most three times in any hour.
func TestMaybePowerCycleLimit(t *testing.T) {
	type step struct {
		advance  time.Duration
		noAnswer int
		cycle    bool // a power cycle is wanted
	}
	for _, tc := range []struct {
		name  string
		limit int
		steps []step
	}{
		{"three an hour", 0, []step{
			{0, 3, true},
			{10 * time.Minute, 3, true},
			{10 * time.Minute, 3, true},
			{10 * time.Minute, 3, false},
			{29 * time.Minute, 5, false},
			{time.Minute, 3, true}, // the first has left the window
			{0, 3, false},
		}},
		{"not before three silent polls", 0, []step{
			{0, 1, false},
			{0, 2, false},
			{0, 3, true},
		}},
		{"configured", 1, []step{
			{0, 3, true},
			{59 * time.Minute, 3, false},
			{time.Minute, 3, true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
			calls := 0
			p := NewPrinter(&Opts{Now: func() time.Time { return now }, PowerCycleLimit: tc.limit,
				PowerCycle: func(context.Context) error { calls++; return nil }})
			for i, s := range tc.steps {
				now = now.Add(s.advance)
				p.noAnswer = s.noAnswer
				before := calls
				p.maybePowerCycle(t.Context())
				if got := calls > before; got != s.cycle {
					t.Fatalf("step %d: power-cycled %v, want %v", i, got, s.cycle)
				}
				if s.cycle && p.noAnswer != 0 {
					t.Fatalf("step %d: noAnswer %d after a power cycle", i, p.noAnswer)
				}
			}
			if n := p.dev.Status().Counters["power_cycles"]; n != uint64(calls) {
				t.Fatalf("power_cycles counter %d, calls %d", n, calls)
			}
		})
	}
}
