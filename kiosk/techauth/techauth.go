// Package techauth checks the technician PIN for the on-screen technician
// mode: a bcrypt hash from the config, a limit on wrong attempts, and a
// lockout during which even the right PIN is refused.
package techauth

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Errors a check returns.
var (
	ErrWrongPIN = errors.New("techauth: wrong PIN")
	ErrLocked   = errors.New("techauth: locked after too many wrong PINs")
	ErrNoPIN    = errors.New("techauth: no technician PIN configured")
)

// Guard checks PINs.
type Guard struct {
	hash        []byte
	maxAttempts int
	lockout     time.Duration
	now         func() time.Time

	mu          sync.Mutex
	failures    int
	lockedUntil time.Time
}

// New returns a guard for a bcrypt hash. An empty hash refuses every PIN
// with ErrNoPIN, so an unconfigured kiosk has no technician back door.
func New(hash string, maxAttempts int, lockout time.Duration, now func() time.Time) (*Guard, error) {
	if hash != "" {
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, fmt.Errorf("techauth: technician.pin_hash is not a bcrypt hash: %w", err)
		}
	}
	if maxAttempts < 1 {
		maxAttempts = 5
	}
	if now == nil {
		now = time.Now
	}
	return &Guard{hash: []byte(hash), maxAttempts: maxAttempts, lockout: lockout, now: now}, nil
}

// Check verifies pin. After maxAttempts wrong PINs in a row the guard
// refuses everything until the lockout has passed.
func (g *Guard) Check(pin string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.hash) == 0 {
		return ErrNoPIN
	}
	now := g.now()
	if now.Before(g.lockedUntil) {
		return fmt.Errorf("%w for another %s", ErrLocked, g.lockedUntil.Sub(now).Round(time.Second))
	}
	if bcrypt.CompareHashAndPassword(g.hash, []byte(pin)) != nil {
		g.failures++
		if g.failures >= g.maxAttempts {
			g.failures = 0
			g.lockedUntil = now.Add(g.lockout)
			return fmt.Errorf("%w for %s", ErrLocked, g.lockout)
		}
		return fmt.Errorf("%w (%d of %d attempts left)", ErrWrongPIN, g.maxAttempts-g.failures, g.maxAttempts)
	}
	g.failures = 0
	return nil
}

// Locked reports whether the guard is locked now.
func (g *Guard) Locked() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.now().Before(g.lockedUntil)
}

// LockedFor is how long the guard stays locked (0 when it is not).
func (g *Guard) LockedFor() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return max(0, g.lockedUntil.Sub(g.now()))
}
