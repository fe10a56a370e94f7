package gpio

import (
	"time"
)

// watchPin follows one input until the bank is halted. A change counts once
// the new level has held for the debounce interval: every edge (or, on a
// polled pin, every change seen) inside the interval starts it again, up to
// ten intervals in all, and the level is read again at its end. Contact
// bounce and glitches shorter than the interval never become events.
//
// stable is the level read before the bank was returned, so a change made
// before this goroutine first runs is still reported.
func (b *Bank) watchPin(p *pinState, stable bool) {
	defer b.wg.Done()
	debounce := b.cfg.debounce()
	for b.ctx.Err() == nil {
		b.wait(p, b.poll)
		if b.ctx.Err() != nil {
			return
		}
		if p.read() == stable {
			continue
		}
		if debounce > 0 {
			b.settle(p, debounce)
			if b.ctx.Err() != nil {
				return
			}
		}
		lvl := p.read()
		if lvl == stable {
			if b.dev != nil {
				b.dev.Count("bounces", 1)
			}
			continue
		}
		stable = lvl
		b.emit(Event{Name: p.name, On: lvl, Time: b.now()})
	}
}

// settle returns once p has been quiet for debounce, or after ten
// debounce intervals on a line that never settles.
func (b *Bank) settle(p *pinState, debounce time.Duration) {
	start := time.Now()
	limit := start.Add(10 * debounce)
	deadline := start.Add(debounce)
	last := p.read()
	for b.ctx.Err() == nil {
		rem := time.Until(deadline)
		if rem <= 0 {
			return
		}
		changed := false
		if p.edges {
			changed = p.pin.WaitForEdge(rem)
		} else {
			b.wait(p, min(rem, pollInSettle))
		}
		if lvl := p.read(); lvl != last {
			last, changed = lvl, true
		}
		if changed {
			deadline = time.Now().Add(debounce)
			if deadline.After(limit) {
				deadline = limit
			}
		}
	}
}

// pollInSettle is how often a pin without edge detection is read while it
// settles.
const pollInSettle = 5 * time.Millisecond

// wait blocks until an edge on p or for d, whichever is first.
func (b *Bank) wait(p *pinState, d time.Duration) {
	if p.edges {
		p.pin.WaitForEdge(d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-b.ctx.Done():
	}
}

func (b *Bank) emit(ev Event) {
	b.log.Debug("gpio: input", "pin", ev.Name, "on", ev.On)
	if b.dev != nil {
		b.dev.Count("events", 1)
		if ev.Name == Door {
			b.dev.SetDetail("cabinetDoor", doorWord(ev.On))
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- ev:
		default:
			if b.dev != nil {
				b.dev.Count("eventsDropped", 1)
			}
		}
	}
}
