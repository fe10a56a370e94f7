package gpio

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// RelayFor maps a device name ("printer", "idcard") to its power relay pin.
func RelayFor(device string) (string, bool) {
	switch device {
	case "printer":
		return PrinterRelay, true
	case "idcard":
		return IDCardRelay, true
	}
	return "", false
}

// PowerCycle switches a device's power relay off, waits Config.RelayOff and
// switches it on again. It is the technician's command and is not limited;
// automatic recovery uses AutoPowerCycle. If ctx ends while the relay is
// off, power is restored before returning ctx's error.
func (b *Bank) PowerCycle(ctx context.Context, device string) error {
	name, ok := RelayFor(device)
	if !ok {
		return fmt.Errorf("gpio: power cycle %s: %w: no relay for this device", device, ErrUnknownPin)
	}
	p, err := b.output(name)
	if err != nil {
		return fmt.Errorf("gpio: power cycle %s: %w", device, err)
	}
	b.mu.Lock()
	if b.halted {
		b.mu.Unlock()
		return fmt.Errorf("gpio: power cycle %s: %w", device, ErrHalted)
	}
	if p.cycling {
		b.mu.Unlock()
		return fmt.Errorf("gpio: power cycle %s: %w", device, ErrBusy)
	}
	p.cycling = true
	err = b.writeLocked(p, false)
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		p.cycling = false
		b.mu.Unlock()
	}()
	if err != nil {
		err = fmt.Errorf("gpio: power cycle %s: %w", device, err)
		b.noteError(err)
		return err
	}
	b.log.Info("gpio: power cycle", "device", device, "off_for", b.cfg.relayOff())
	t := time.NewTimer(b.cfg.relayOff())
	var waitErr error
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
		waitErr = ctx.Err()
	}
	b.mu.Lock()
	err = b.writeLocked(p, true)
	b.mu.Unlock()
	if err != nil {
		err = fmt.Errorf("gpio: power cycle %s: restore power: %w", device, err)
		b.noteError(err)
		return err
	}
	if b.dev != nil {
		b.dev.Count("powerCycles."+device, 1)
	}
	if waitErr != nil {
		return fmt.Errorf("gpio: power cycle %s: %w", device, waitErr)
	}
	return nil
}

// AutoPowerCycle is PowerCycle for the daemon's automatic recovery: it
// refuses with ErrCycleLimit once the device has been cycled
// Config.CycleLimit times within Config.CycleWindow.
func (b *Bank) AutoPowerCycle(ctx context.Context, device string) error {
	if !b.limiter.Allow(device) {
		return fmt.Errorf("gpio: power cycle %s: %w", device, ErrCycleLimit)
	}
	return b.PowerCycle(ctx, device)
}

// Limiter returns the bank's automatic power-cycle limiter.
func (b *Bank) Limiter() *CycleLimiter { return b.limiter }

// CycleLimiter allows at most Max events per key within a sliding Window.
// It is safe for concurrent use.
type CycleLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	hist map[string][]time.Time
}

// NewCycleLimiter returns a limiter of max events per window per key
// (now nil: time.Now).
func NewCycleLimiter(max int, window time.Duration, now func() time.Time) *CycleLimiter {
	if now == nil {
		now = time.Now
	}
	return &CycleLimiter{max: max, window: window, now: now, hist: map[string][]time.Time{}}
}

func (l *CycleLimiter) pruneLocked(key string, now time.Time) []time.Time {
	h := l.hist[key]
	i := 0
	for i < len(h) && !h[i].After(now.Add(-l.window)) {
		i++
	}
	h = h[i:]
	l.hist[key] = h
	return h
}

// Allow records one event for key and returns true, or returns false
// without recording when key has used up its events for the window.
func (l *CycleLimiter) Allow(key string) bool {
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
func (l *CycleLimiter) Remaining(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.max-len(l.pruneLocked(key, l.now())))
}

// NextAllowed returns when key may next have an event (now if it may).
func (l *CycleLimiter) NextAllowed(key string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h := l.pruneLocked(key, now)
	if len(h) < l.max {
		return now
	}
	return h[len(h)-l.max].Add(l.window)
}
