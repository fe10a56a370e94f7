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
// debounce intervals on a line that never settles. It waits on the bank's
// After and measures on its clock, one timer at a time.
func (b *Bank) settle(p *pinState, debounce time.Duration) {
	start := b.since()
	limit := start.Add(10 * debounce)
	deadline := start.Add(debounce)
	last := p.read()
	for b.ctx.Err() == nil {
		rem := deadline.Sub(b.since())
		if rem <= 0 {
			return
		}
		if !p.edges {
			rem = min(rem, pollInSettle)
		}
		changed := false
		select {
		case <-p.edge: // nil on a polled pin
			changed = true
		case <-b.after(rem):
		case <-b.ctx.Done():
			return
		}
		if lvl := p.read(); lvl != last {
			last, changed = lvl, true
		}
		if changed {
			deadline = b.since().Add(debounce)
			if deadline.After(limit) {
				deadline = limit
			}
		}
	}
}

// pollInSettle is how often a pin without edge detection is read while it
// settles.
const pollInSettle = 5 * time.Millisecond

// wait blocks until an edge on p or for d on the bank's clock, whichever
// is first.
func (b *Bank) wait(p *pinState, d time.Duration) {
	select {
	case <-p.edge: // nil on a polled pin
	case <-b.after(d):
	case <-b.ctx.Done():
	}
}

// edgeSlice bounds each WaitForEdge call, so Halt waits at most this long
// for a pin's forwarder to notice. It is a cancellation bound on the wall
// clock, not a timing of the input: the watcher times the poll and the
// debounce on the bank's After.
const edgeSlice = 100 * time.Millisecond

// forwardEdges turns p's blocking WaitForEdge into p.edge, so the watcher
// can wait for an edge and a timer of the bank's clock at once. Edges that
// come while one is still unread are merged: the watcher reads the level
// anyway.
func (b *Bank) forwardEdges(p *pinState) {
	defer b.wg.Done()
	for b.ctx.Err() == nil {
		if !p.pin.WaitForEdge(edgeSlice) {
			continue
		}
		select {
		case p.edge <- struct{}{}:
		default:
		}
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
