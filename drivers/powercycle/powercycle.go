// Package powercycle is the kiosk's one rule for automatic power cycles:
// a device whose power relay is switched off and on to bring it back is
// cycled at most Limit times within a sliding Window (by default 3 an
// hour), so a reader or printer that is broken for good is not clicked on
// and off all night, and a technician finds it in the state it failed in.
//
// The card reader and the printer drivers ask a Limiter before they call
// the power cycle they were given; the GPIO bank asks its own before it
// works the relay. The rule is pure (a clock and a history per device), so
// it lives apart from every driver and each of them can use it without
// importing another.
package powercycle

import (
	"sync"
	"time"
)

// The default rule: at most DefaultLimit automatic power cycles per device
// within any DefaultWindow.
const (
	DefaultLimit  = 3
	DefaultWindow = time.Hour
)

// Limiter allows at most max events per key (a device name) within a
// sliding window. It is safe for concurrent use.
type Limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	hist map[string][]time.Time
}

// NewLimiter returns a limiter of max events per window per key. max <= 0
// means DefaultLimit, window <= 0 DefaultWindow, now nil time.Now.
func NewLimiter(max int, window time.Duration, now func() time.Time) *Limiter {
	if max <= 0 {
		max = DefaultLimit
	}
	if window <= 0 {
		window = DefaultWindow
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, hist: map[string][]time.Time{}}
}

// Max returns how many events a key may have within Window.
func (l *Limiter) Max() int { return l.max }

// Window returns the length of the sliding window.
func (l *Limiter) Window() time.Duration { return l.window }

// pruneLocked drops the events that have left the window: an event
// exactly one window old no longer counts.
func (l *Limiter) pruneLocked(key string, now time.Time) []time.Time {
	h := l.hist[key]
	i := 0
	for i < len(h) && !h[i].After(now.Add(-l.window)) {
		i++
	}
	h = h[i:]
	if len(h) == 0 {
		delete(l.hist, key)
		return nil
	}
	l.hist[key] = h
	return h
}

// Allow records one event for key and returns true, or returns false
// without recording when key has used up its events for the window.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.pruneLocked(key, now)
	if len(h) >= l.max {
		return false
	}
	l.hist[key] = append(h, now)
	return true
}

// Remaining returns how many events key may still have in the window.
func (l *Limiter) Remaining(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.max-len(l.pruneLocked(key, l.now())))
}

// NextAllowed returns when key may next have an event (now if it may).
func (l *Limiter) NextAllowed(key string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.pruneLocked(key, now)
	if len(h) < l.max {
		return now
	}
	return h[len(h)-l.max].Add(l.window)
}
