package backend

import (
	"context"
	"time"
)

// Heartbeats sends build()'s heartbeat at once and then every interval
// until ctx ends, and returns ctx's error. A failed heartbeat is logged
// when the failure starts and when it ends, not at every tick; the next
// tick is the retry.
func (c *Client) Heartbeats(ctx context.Context, every time.Duration, build func() Heartbeat) error {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	failing := false
	for {
		err := c.Heartbeat(ctx, build())
		switch {
		case err != nil && !failing && ctx.Err() == nil:
			c.log.Warn("heartbeat failed", "err", err)
			failing = true
		case err == nil && failing:
			c.log.Info("heartbeat delivered again")
			failing = false
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
