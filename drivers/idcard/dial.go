package idcard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
)

// ErrNoReader: nothing answered on the port at any baud rate.
var ErrNoReader = errors.New("idcard: no reader answers on the port")

// Transport is the line to a reader: a serial port (what Dial opens by
// default, through drivers/serialport), a USB bridge, or in tests one end
// of an in-memory line (idcardsim.Sim.Conn). Close must interrupt a read
// in progress. The Session uses two more methods when the transport has
// them:
//
//	Flush() error                       // discard stale input before each command
//	SetReadDeadline(t time.Time) error  // end each read at the command's deadline
//
// A transport without SetReadDeadline must return from Read now and then
// when nothing arrives (serialport.Port returns serialport.ErrTimeout every
// 100 ms), or a silent reader is only noticed when the line is closed.
type Transport interface {
	io.ReadWriteCloser
}

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
	// After is the clock's timer for the returned port's Session (default
	// time.After; see SessionOpts.After).
	After func(d time.Duration) <-chan time.Time
	// Open, when set, opens the line instead of the serial port at path,
	// which then only names it. Such a line has no baud rate: nothing is
	// searched or switched (Baud and SwitchBaud are ignored) and
	// Port.Baud is 0. An opener reports a reader that is not there with an
	// error wrapping ErrGone, as a missing port is.
	Open func(ctx context.Context) (Transport, error)
}

// Port is a reader on an open line, with a Session on it.
type Port struct {
	*Session
	line Transport
	path string
	baud int

	closeOnce sync.Once
	closeErr  error
}

// Baud returns the rate the reader answered at (0 on a line without one).
func (p *Port) Baud() int { return p.baud }

// Path returns the port's path, or the name given to Dial with an opener.
func (p *Port) Path() string { return p.path }

// Close closes the line. It may be called more than once, and from
// another goroutine to interrupt a command in progress.
func (p *Port) Close() error {
	p.closeOnce.Do(func() { p.closeErr = p.line.Close() })
	return p.closeErr
}

// Dial opens the serial port at path and finds the reader's baud rate: it
// sends "SAM status" at each rate in turn and takes the first rate that
// brings back a frame. A missing port is ErrGone (wrapped); a port where
// nothing answers is ErrNoReader. With DialOpts.Open, the line it opens is
// probed once instead.
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
	if o.Open != nil {
		p, err := probe(ctx, path, 0, o.Open, &o)
		if err != nil && !errors.Is(err, ErrGone) && ctx.Err() == nil {
			err = fmt.Errorf("idcard: dial %s: %w (%v)", path, ErrNoReader, err)
		}
		return p, err
	}
	rates := []int{o.Baud}
	for _, b := range serialport.Bauds {
		if !slices.Contains(rates, b) {
			rates = append(rates, b)
		}
	}
	var lastErr error
	for _, baud := range rates {
		p, err := probe(ctx, path, baud, serialLine(path, baud), &o)
		if err == nil {
			if baud != o.Baud && o.SwitchBaud {
				if q, err := switchBaud(ctx, p, path, o.Baud, &o); err == nil {
					return q, nil
				}
				// The reader would not switch: stay where it answers.
				p.Close()
				return probe(ctx, path, baud, serialLine(path, baud), &o)
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

// serialLine opens the serial port at path at baud.
func serialLine(path string, baud int) func(context.Context) (Transport, error) {
	return func(context.Context) (Transport, error) {
		sp, err := serialport.Open(serialport.Config{Path: path, Baud: baud})
		if err != nil {
			return nil, err
		}
		return sp, nil
	}
}

// probe opens a line and asks for the SAM status: any reply proves that
// a reader is there (and, on a serial port, that baud is its rate).
func probe(ctx context.Context, name string, baud int, open func(context.Context) (Transport, error), o *DialOpts) (*Port, error) {
	line, err := open(ctx)
	if err != nil {
		return nil, fmt.Errorf("idcard: dial: %w", err)
	}
	s := NewSession(line, &SessionOpts{CommandTimeout: o.ProbeTimeout, Now: o.Now, After: o.After})
	_, err = s.Exchange(ctx, "probe SAM status", SAMStatus(), shortLimit)
	if err != nil && !errors.Is(err, ErrFrameChecksum) {
		line.Close()
		return nil, err
	}
	// A reply (even a failing SW3, even a damaged frame) proves the rate.
	s.timeout = o.CommandTimeout
	return &Port{Session: s, line: line, path: name, baud: baud}, nil
}

func switchBaud(ctx context.Context, p *Port, path string, baud int, o *DialOpts) (*Port, error) {
	err := p.SetBaud(ctx, baud)
	p.Close()
	if err != nil {
		return nil, err
	}
	return probe(ctx, path, baud, serialLine(path, baud), o)
}
