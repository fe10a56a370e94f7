package gpio

import (
	"context"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/drivers/powercycle"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// RelayFor maps a device name (devices.Printer, devices.IDCard) to its
// power relay pin.
func RelayFor(device string) (string, bool) {
	switch device {
	case devices.Printer:
		return PrinterRelay, true
	case devices.IDCard:
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
	var waitErr error
	select {
	case <-b.after(b.cfg.relayOff()):
	case <-ctx.Done():
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

// CycleLimiter is the kiosk's one power-cycle rule (package powercycle):
// at most Config.CycleLimit automatic cycles per device within a sliding
// Config.CycleWindow. The card reader and printer drivers keep the same
// rule on their side of the PowerCycle function they are given.
type CycleLimiter = powercycle.Limiter

// NewCycleLimiter returns a limiter of max events per window per key
// (max <= 0: powercycle.DefaultLimit, window <= 0: powercycle.DefaultWindow,
// now nil: time.Now).
func NewCycleLimiter(max int, window time.Duration, now func() time.Time) *CycleLimiter {
	return powercycle.NewLimiter(max, window, now)
}
