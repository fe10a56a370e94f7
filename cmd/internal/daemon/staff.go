package daemon

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/techauth"
	"golang.org/x/crypto/bcrypt"
)

// Simulator mode's 小牟帮办 staff member for 帮办模式 (public, like the
// simulator's technician PIN).
const (
	SimStaffID  = "0101"
	SimStaffPIN = "2468"
)

// staffGuards checks 帮办模式's staff numbers and PINs: one guard per
// staff number, so one member's wrong PINs lock only that number; unknown
// numbers share a guard that counts and locks like the others, so the
// keypad tells nobody which numbers exist.
type staffGuards struct {
	known   map[string]*techauth.Guard
	unknown *techauth.Guard
}

func (d *Daemon) openStaff() error {
	a := d.cfg.Assist
	if len(a.Staff) == 0 {
		return nil
	}
	maxTries, lock := a.MaxAttempts, a.Lockout.Duration
	if maxTries < 1 {
		maxTries = d.cfg.Technician.MaxAttempts
	}
	if lock <= 0 {
		lock = d.cfg.Technician.Lockout.Duration
	}
	g := &staffGuards{known: map[string]*techauth.Guard{}}
	cost := bcrypt.MinCost
	for id, h := range a.Staff {
		if c, err := bcrypt.Cost([]byte(h)); err == nil {
			cost = max(cost, c) // an unknown number takes as long as a known one
		}
		guard, err := techauth.New(h, maxTries, lock, d.now)
		if err != nil {
			return fmt.Errorf("assist.staff %s: %w", id, err)
		}
		g.known[id] = guard
	}
	// The unknown numbers' hash is of a random secret nobody can type.
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	uh, err := bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(secret)), cost)
	if err != nil {
		return err
	}
	u, err := techauth.New(string(uh), maxTries, lock, d.now)
	if err != nil {
		return err
	}
	g.unknown = u
	d.staff = g
	return nil
}

func (g *staffGuards) CheckStaff(id, pin string) (time.Duration, error) {
	guard, ok := g.known[id]
	if !ok {
		guard = g.unknown
	}
	err := guard.Check(pin)
	return guard.LockedFor(), err
}
