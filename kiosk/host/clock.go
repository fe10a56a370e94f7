package host

import "time"

// Clock is the host's time: the current time and a ticker. Tests inject
// one they step by hand (see hosttest.Clock) instead of sleeping.
type Clock interface {
	Now() time.Time
	// Ticker delivers the time every d until stop is called.
	Ticker(d time.Duration) (ticks <-chan time.Time, stop func())
	// After delivers the time once, d from now.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Ticker is a time.Ticker.
func (SystemClock) Ticker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
