package host

import (
	"context"
	"sync"
)

// opQueue runs one device's operations one after another, in the order
// they were asked for, on one worker at a time (the camera's start and
// stop, the phone's call and hang-up).
type opQueue struct {
	mu   sync.Mutex
	q    []func(context.Context)
	busy bool
}

// enqueue adds fn to c and starts a worker for c when none runs.
func (h *Host) enqueue(c *opQueue, fn func(context.Context)) {
	c.mu.Lock()
	c.q = append(c.q, fn)
	if c.busy {
		c.mu.Unlock()
		return
	}
	c.busy = true
	c.mu.Unlock()
	h.goWork(func(ctx context.Context) {
		for {
			c.mu.Lock()
			if len(c.q) == 0 {
				c.busy = false
				c.mu.Unlock()
				return
			}
			next := c.q[0]
			c.q = c.q[1:]
			c.mu.Unlock()
			next(ctx)
		}
	})
}
