package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"time"
)

// FetchFunc gets the catalog and its signature from the origin. etag is
// the ETag of the last list seen ("" the first time); when the origin
// answers 304 Not Modified, notModified is true and data and sig are nil.
// The backend client implements it as GET {backend}/v1/catalog with
// If-None-Match, then GET {backend}/v1/catalog/signature.
type FetchFunc func(ctx context.Context, etag string) (data, sig []byte, newETag string, notModified bool, err error)

// PollerOpts configures a Poller; nil means DefaultPollerOpts.
type PollerOpts struct {
	Interval time.Duration // between polls; default 15 minutes
	// Jitter: up to this much is added at random, so a thousand kiosks
	// spread out. Zero means Interval/4; negative means none.
	Jitter time.Duration
	Logger *slog.Logger
	// Rand returns a number in [0, 1); nil uses math/rand/v2.
	Rand func() float64
	// After is the clock's timer; nil uses time.After.
	After func(time.Duration) <-chan time.Time
}

// DefaultPollerOpts polls every 15 minutes with up to 5 minutes of jitter.
var DefaultPollerOpts = PollerOpts{Interval: 15 * time.Minute, Jitter: 5 * time.Minute}

// Poller fetches the catalog from the origin and stages new lists into a
// Store. Applying them is the session host's job (Store.ApplyPending between
// sessions).
type Poller struct {
	store *Store
	fetch FetchFunc
	opts  PollerOpts
	etag  string
}

// NewPoller makes a poller staging into store.
func NewPoller(store *Store, fetch FetchFunc, opts *PollerOpts) *Poller {
	o := DefaultPollerOpts
	if opts != nil {
		o = *opts
		if o.Interval <= 0 {
			o.Interval = DefaultPollerOpts.Interval
		}
		switch {
		case o.Jitter == 0:
			o.Jitter = o.Interval / 4
		case o.Jitter < 0:
			o.Jitter = 0
		}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.After == nil {
		o.After = time.After
	}
	return &Poller{store: store, fetch: fetch, opts: o}
}

// Next returns the wait before the next poll: the interval plus jitter.
func (p *Poller) Next() time.Duration {
	return p.opts.Interval + time.Duration(p.opts.Rand()*float64(p.opts.Jitter))
}

// PollOnce fetches once. It returns the newly staged catalog, or nil when
// nothing changed. A list the store rejects is reported as an error (and
// recorded by the store); its ETag is remembered so the same bad list is
// not downloaded again and again.
func (p *Poller) PollOnce(ctx context.Context) (*Catalog, error) {
	data, sig, etag, notModified, err := p.fetch(ctx, p.etag)
	if err != nil {
		return nil, fmt.Errorf("catalog: poll: %w", err)
	}
	if notModified {
		return nil, nil
	}
	p.etag = etag
	if a := p.store.Active(); a.raw != nil && string(a.raw) == string(data) {
		return nil, nil
	}
	if pd := p.store.Pending(); pd != nil && string(pd.raw) == string(data) {
		return nil, nil
	}
	c, err := p.store.Stage(data, sig)
	if errors.Is(err, ErrNotInRollout) {
		// Not for this hall: keep the list we have, no alarm.
		p.opts.Logger.Info("service list not in rollout for this hall; keeping the current one", "err", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("catalog: poll: %w", err)
	}
	if string(c.raw) != string(data) {
		// The active or pending list signed again with another rollout
		// (Stage returned the one it has): nothing new.
		return nil, nil
	}
	return c, nil
}

// Run polls until ctx is done, logging failures. It polls once at start.
func (p *Poller) Run(ctx context.Context) error {
	for {
		if c, err := p.PollOnce(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			p.opts.Logger.Warn("catalog poll failed", "err", err)
		} else if c != nil {
			p.opts.Logger.Info("catalog staged", "version", c.Version, "hash", c.Hash())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.opts.After(p.Next()):
		}
	}
}
