package idcard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// ErrNoReader: nothing answered on the port at any baud rate.
var ErrNoReader = errors.New("idcard: no reader answers on the port")

// DialOpts says how to reach a reader. nil means defaults.
type DialOpts struct {
	// Baud is tried first (0: 115200); then the other rates of
	// serialport.Bauds.
	Baud int
	// SwitchBaud: when the reader answers at another rate than Baud, tell
	// it to switch to Baud and reopen the port at Baud.
	SwitchBaud bool
	// ProbeTimeout bounds the probe at each rate (default 300 ms).
	ProbeTimeout time.Duration
	// CommandTimeout bounds commands on the returned port (default 3 s).
	CommandTimeout time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Port is a reader on an open serial port, with a Session on it.
type Port struct {
	*Session
	port *serialport.Port
	baud int
}

// Baud returns the rate the reader answered at.
func (p *Port) Baud() int { return p.baud }

// Path returns the port's path.
func (p *Port) Path() string { return p.port.Path() }

// Close closes the serial port.
func (p *Port) Close() error { return p.port.Close() }

// Dial opens the serial port at path and finds the reader's baud rate: it
// sends "SAM status" at each rate in turn and takes the first rate that
// brings back a frame. A missing port is ErrGone (wrapped); a port where
// nothing answers is ErrNoReader.
func Dial(ctx context.Context, path string, opts *DialOpts) (*Port, error) {
	var o DialOpts
	if opts != nil {
		o = *opts
	}
	if o.Baud == 0 {
		o.Baud = 115200
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = 300 * time.Millisecond
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	rates := []int{o.Baud}
	for _, b := range serialport.Bauds {
		if !slices.Contains(rates, b) {
			rates = append(rates, b)
		}
	}
	var lastErr error
	for _, baud := range rates {
		p, err := probe(ctx, path, baud, &o)
		if err == nil {
			if baud != o.Baud && o.SwitchBaud {
				if q, err := switchBaud(ctx, p, path, o.Baud, &o); err == nil {
					return q, nil
				}
				// The reader would not switch: stay where it answers.
				p.Close()
				return probe(ctx, path, baud, &o)
			}
			return p, nil
		}
		if errors.Is(err, ErrGone) || ctx.Err() != nil {
			return nil, err
		}
		lastErr = err
	}
	return nil, fmt.Errorf("idcard: dial %s: tried %v baud: %w (last: %v)", path, rates, ErrNoReader, lastErr)
}

func probe(ctx context.Context, path string, baud int, o *DialOpts) (*Port, error) {
	sp, err := serialport.Open(serialport.Config{Path: path, Baud: baud})
	if err != nil {
		return nil, fmt.Errorf("idcard: dial: %w", err)
	}
	s := NewSession(sp, &SessionOpts{CommandTimeout: o.ProbeTimeout, Now: o.Now})
	_, err = s.Exchange(ctx, "probe SAM status", SAMStatus(), shortLimit)
	if err != nil && !errors.Is(err, ErrFrameChecksum) {
		sp.Close()
		return nil, err
	}
	// A reply (even a failing SW3, even a damaged frame) proves the rate.
	s.timeout = o.CommandTimeout
	return &Port{Session: s, port: sp, baud: baud}, nil
}

func switchBaud(ctx context.Context, p *Port, path string, baud int, o *DialOpts) (*Port, error) {
	err := p.SetBaud(ctx, baud)
	p.Close()
	if err != nil {
		return nil, err
	}
	return probe(ctx, path, baud, o)
}

// ReadCard polls for a card every poll interval until one is read or wait
// has passed: find → select → read (with the fingerprint when
// withFinger). With no card it returns ErrNoCard (wrapped).
func (s *Session) ReadCard(ctx context.Context, wait, poll time.Duration, withFinger bool) (*identity.Card, error) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	end := s.now().Add(wait)
	for {
		c, err := s.readOnce(ctx, withFinger)
		if err == nil || !errors.Is(err, ErrNoCard) && !errors.Is(err, ErrSelectFailed) {
			return c, err
		}
		left := end.Sub(s.now())
		if left <= 0 {
			return nil, fmt.Errorf("idcard: no card within %v: %w", wait, ErrNoCard)
		}
		t := time.NewTimer(min(poll, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("idcard: wait for card: %w", ctx.Err())
		case <-t.C:
		}
	}
}

func (s *Session) readOnce(ctx context.Context, withFinger bool) (*identity.Card, error) {
	if err := s.FindCard(ctx); err != nil {
		return nil, err
	}
	if _, err := s.SelectCard(ctx); err != nil {
		return nil, err
	}
	return s.Read(ctx, withFinger)
}
