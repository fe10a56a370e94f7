package powercycle_test

import (
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/powercycle"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLimitHolds(t *testing.T) {
	type step struct {
		advance time.Duration
		key     string
		want    bool
	}
	for _, tc := range []struct {
		name   string
		max    int
		window time.Duration
		steps  []step
	}{
		{"default rule: three an hour", 0, 0, []step{
			{0, "printer", true},
			{10 * time.Minute, "printer", true},
			{10 * time.Minute, "printer", true},
			{10 * time.Minute, "printer", false},
			{29 * time.Minute, "printer", false},
			{time.Minute, "printer", true}, // the first cycle has left the window
			{0, "printer", false},
		}},
		{"devices are independent", 0, 0, []step{
			{0, "printer", true},
			{0, "printer", true},
			{0, "printer", true},
			{0, "printer", false},
			{0, "idcard", true},
			{0, "idcard", true},
			{0, "idcard", true},
			{0, "idcard", false},
		}},
		{"a burst refused for the whole window", 0, 0, []step{
			{0, "idcard", true},
			{time.Second, "idcard", true},
			{time.Second, "idcard", true},
			{time.Second, "idcard", false},
			{time.Hour - 3*time.Second - time.Nanosecond, "idcard", false},
			{time.Nanosecond, "idcard", true}, // exactly one window after the first
		}},
		{"refusals are not recorded", 0, 0, []step{
			{0, "printer", true},
			{0, "printer", true},
			{0, "printer", true},
			{30 * time.Minute, "printer", false},
			{30 * time.Minute, "printer", true}, // refusal at 30 min did not extend the window
		}},
		{"configured rule", 1, 10 * time.Minute, []step{
			{0, "printer", true},
			{9 * time.Minute, "printer", false},
			{time.Minute, "printer", true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{t: time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)}
			l := powercycle.NewLimiter(tc.max, tc.window, clk.Now)
			for i, s := range tc.steps {
				clk.Advance(s.advance)
				if got := l.Allow(s.key); got != s.want {
					t.Fatalf("step %d (+%v): Allow(%s) = %v, want %v", i, s.advance, s.key, got, s.want)
				}
			}
		})
	}
}

func TestRemainingAndNextAllowed(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)}
	l := powercycle.NewLimiter(0, 0, clk.Now)
	if l.Max() != powercycle.DefaultLimit || l.Window() != powercycle.DefaultWindow {
		t.Fatalf("defaults: %d per %v", l.Max(), l.Window())
	}
	first := clk.Now()
	for i := range 3 {
		if r := l.Remaining("printer"); r != 3-i {
			t.Fatalf("before cycle %d: Remaining = %d", i, r)
		}
		if n := l.NextAllowed("printer"); !n.Equal(clk.Now()) {
			t.Fatalf("before cycle %d: NextAllowed = %v, now %v", i, n, clk.Now())
		}
		l.Allow("printer")
		clk.Advance(5 * time.Minute)
	}
	if r := l.Remaining("printer"); r != 0 {
		t.Fatalf("Remaining = %d, want 0", r)
	}
	if n := l.NextAllowed("printer"); !n.Equal(first.Add(time.Hour)) {
		t.Fatalf("NextAllowed = %v, want %v", n, first.Add(time.Hour))
	}
	clk.Advance(time.Hour)
	if r := l.Remaining("printer"); r != 3 {
		t.Fatalf("an hour later Remaining = %d, want 3", r)
	}
}
