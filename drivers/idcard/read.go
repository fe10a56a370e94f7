package idcard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/henan-county/kiosk/kiosk/identity"
)

// DefaultRetries is how many more times a card is read after a damaged
// reply or a failed read.
const DefaultRetries = 2

// ReadOpts says how a card is read. nil means defaults.
type ReadOpts struct {
	// WithFingerprint reads the fingerprint data too (30 10).
	WithFingerprint bool
	// Retries bounds the extra attempts after a damaged reply or a failed
	// read (0: DefaultRetries; negative: none).
	Retries int
	// Logger hears about retries (default: discard).
	Logger *slog.Logger
}

func (o *ReadOpts) withFinger() bool { return o != nil && o.WithFingerprint }

func (o *ReadOpts) retries() int {
	switch {
	case o == nil || o.Retries == 0:
		return DefaultRetries
	case o.Retries < 0:
		return 0
	}
	return o.Retries
}

func (o *ReadOpts) log() *slog.Logger {
	if o == nil || o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// ReadCard waits up to wait for a card, looking every poll (default
// 200 ms), and reads it: find → select → read, with the same bounded
// retries as the kiosk's own polling (a damaged reply is asked for again,
// a failed read goes back through find and select). With no card it
// returns ErrNoCard (wrapped).
func (s *Session) ReadCard(ctx context.Context, wait, poll time.Duration, o *ReadOpts) (*identity.Card, error) {
	_, c, err := s.waitCard(ctx, wait, poll, o)
	return c, err
}

// waitCard is ReadCard that also says whether a card was selected.
func (s *Session) waitCard(ctx context.Context, wait, poll time.Duration, o *ReadOpts) (bool, *identity.Card, error) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	end := s.now().Add(wait)
	for {
		selected, c, err := s.readCard(ctx, o, nil)
		if selected || !errors.Is(err, ErrNoCard) && !errors.Is(err, ErrSelectFailed) {
			return selected, c, err
		}
		left := end.Sub(s.now())
		if left <= 0 {
			return false, nil, fmt.Errorf("idcard: no card within %v: %w", wait, ErrNoCard)
		}
		select {
		case <-ctx.Done():
			return false, nil, fmt.Errorf("idcard: wait for card: %w", ctx.Err())
		case <-s.after(min(poll, left)):
		}
	}
}

// readCard makes one round at the reader: find, select, and read with
// bounded retries. Every read of a card, the kiosk's polling and a
// technician's test alike, goes through here.
//
// While selected is false the error is from find or select: ErrNoCard
// when the field is empty, ErrSelectFailed when the card left between find
// and select, or one about the reader. Once selected the error is about
// reading that card. The select reply says nothing about which card it is
// (real readers answer eight zero bytes), so known, when not nil, is asked
// before the read whether the card found is one already read: when it
// says so, readCard returns selected with neither card nor error.
func (s *Session) readCard(ctx context.Context, o *ReadOpts, known func() bool) (selected bool, c *identity.Card, err error) {
	if err := s.FindCard(ctx); err != nil {
		return false, nil, err
	}
	if _, err := s.SelectCard(ctx); err != nil {
		return false, nil, err
	}
	if known != nil && known() {
		return true, nil, nil
	}
	c, err = s.readSelected(ctx, o)
	return true, c, err
}

// readSelected reads the selected card with bounded retries: a damaged
// reply is asked for again; a failed read goes back through find and
// select, and a card no longer found was taken away mid-read.
func (s *Session) readSelected(ctx context.Context, o *ReadOpts) (*identity.Card, error) {
	var err error
	attempts := 1 + o.retries()
	for attempt := range attempts {
		if attempt > 0 {
			o.log().Debug("idcard: read retry", "attempt", attempt, "err", err)
		}
		var c *identity.Card
		c, err = s.Read(ctx, o.withFinger())
		if err == nil {
			return c, nil
		}
		switch {
		case errors.Is(err, ErrFrameChecksum), errors.Is(err, ErrChecksum):
			continue
		case errors.Is(err, ErrReadFailed):
			ferr := s.FindCard(ctx)
			if errors.Is(ferr, ErrNoCard) {
				return nil, fmt.Errorf("%w: %w", ErrCardRemoved, err)
			}
			if ferr != nil {
				return nil, ferr
			}
			if _, serr := s.SelectCard(ctx); serr != nil {
				if errors.Is(serr, ErrSelectFailed) {
					return nil, fmt.Errorf("%w: %w", ErrCardRemoved, err)
				}
				return nil, serr
			}
		default:
			return nil, err
		}
	}
	return nil, fmt.Errorf("idcard: no good read in %d attempts: %w", attempts, err)
}
