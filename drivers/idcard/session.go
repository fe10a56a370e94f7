package idcard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// readTick is how long one read waits on a transport with read deadlines:
// as long as serialport.Port's read timeout.
const readTick = 100 * time.Millisecond

// DefaultCommandTimeout bounds one command and its reply. Open
// implementations use 3–5 s; a 1295-byte reply takes 1.35 s at 9600 baud.
const DefaultCommandTimeout = 3 * time.Second

// ErrTimeout means the reader sent no (complete, valid) reply before the
// command's deadline.
var ErrTimeout = errors.New("idcard: no reply from the reader")

// ErrGone means the port has gone away (the reader was unplugged). It is
// serialport.ErrGone, so either name matches.
var ErrGone = serialport.ErrGone

// SessionOpts configures a Session. The zero value (or nil) means
// defaults.
type SessionOpts struct {
	// CommandTimeout bounds each command (default DefaultCommandTimeout).
	// A context deadline that comes earlier wins.
	CommandTimeout time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// After is the clock's timer (default time.After): ReadCard waits on
	// it between looks for a card. Give it with Now from the same clock.
	After func(d time.Duration) <-chan time.Time
}

// Session runs commands one at a time over an io.ReadWriter. Reads should
// return now and then even when nothing arrives (serialport.Port returns
// serialport.ErrTimeout every 100 ms); if rw has SetReadDeadline each read
// is given a deadline 100 ms ahead, within the command's. A Session is not
// safe for concurrent use.
type Session struct {
	rw      io.ReadWriter
	timeout time.Duration
	now     func() time.Time
	after   func(time.Duration) <-chan time.Time
	dec     Decoder
	buf     []byte

	// BytesOut and BytesIn count what crossed the line.
	BytesOut, BytesIn uint64
}

// NewSession returns a session over rw.
func NewSession(rw io.ReadWriter, opts *SessionOpts) *Session {
	s := &Session{rw: rw, timeout: DefaultCommandTimeout, now: time.Now, after: time.After, buf: make([]byte, 512)}
	if opts != nil {
		if opts.CommandTimeout > 0 {
			s.timeout = opts.CommandTimeout
		}
		if opts.Now != nil {
			s.now = opts.Now
		}
		if opts.After != nil {
			s.after = opts.After
		}
	}
	return s
}

// Skipped returns how many noise bytes the session's decoder dropped.
func (s *Session) Skipped() uint64 { return s.dec.Skipped() }

type flusher interface{ Flush() error }

type readDeadliner interface{ SetReadDeadline(time.Time) error }

// Exchange sends one request frame and waits for its reply frame. limit
// bounds the reply's LEN (0: MaxBodyLen). A reply with a failing SW3 is
// returned with a nil error: use Reply.Err.
func (s *Session) Exchange(ctx context.Context, op string, req []byte, limit int) (Reply, error) {
	deadline := s.now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if f, ok := s.rw.(flusher); ok {
		if err := f.Flush(); err != nil {
			return Reply{}, fmt.Errorf("idcard: %s: %w", op, err)
		}
	}
	s.dec.Reset()
	s.dec.Limit = limit
	defer clear(s.buf) // a read reply passes through here
	rd, hasDeadline := s.rw.(readDeadliner)
	if hasDeadline {
		defer rd.SetReadDeadline(time.Time{})
	}
	n, err := s.rw.Write(req)
	s.BytesOut += uint64(n)
	if err != nil {
		return Reply{}, fmt.Errorf("idcard: %s: write: %w", op, classify(err))
	}
	var frameErr error // a damaged frame seen; reported once the line is quiet
	for {
		if err := ctx.Err(); err != nil {
			return Reply{}, fmt.Errorf("idcard: %s: %w", op, err)
		}
		if !s.now().Before(deadline) {
			if frameErr != nil {
				return Reply{}, fmt.Errorf("idcard: %s: %w", op, frameErr)
			}
			return Reply{}, fmt.Errorf("idcard: %s: after %v: %w", op, s.timeout, ErrTimeout)
		}
		if hasDeadline {
			// Reads return now and then, as on a serial port, so that a
			// cancelled ctx and a line gone quiet after a damaged frame
			// are noticed before the command's deadline.
			_ = rd.SetReadDeadline(time.Now().Add(min(readTick, deadline.Sub(s.now()))))
		}
		n, err := s.rw.Read(s.buf)
		if n > 0 {
			s.BytesIn += uint64(n)
			s.dec.Write(s.buf[:n])
			for {
				body, ferr := s.dec.Next()
				if ferr != nil {
					frameErr = ferr
					continue
				}
				if body == nil {
					break
				}
				return ParseReply(body)
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, serialport.ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded):
			if frameErr != nil {
				// The line went quiet after a damaged frame: the reply
				// is lost, say so now rather than at the deadline.
				return Reply{}, fmt.Errorf("idcard: %s: %w", op, frameErr)
			}
		default:
			return Reply{}, fmt.Errorf("idcard: %s: read: %w", op, classify(err))
		}
	}
}

// classify marks the errors of a line that has gone (a port closed or
// unplugged, the other end of a socket hung up) as ErrGone.
func classify(err error) error {
	for _, gone := range []error{io.EOF, os.ErrClosed, net.ErrClosed, syscall.EPIPE, syscall.ECONNRESET} {
		if errors.Is(err, gone) {
			return fmt.Errorf("%w: %v", ErrGone, err)
		}
	}
	return err
}

// do runs a command and turns a failing SW3 into an error.
func (s *Session) do(ctx context.Context, op string, req []byte, limit int) (Reply, error) {
	r, err := s.Exchange(ctx, op, req, limit)
	if err != nil {
		return r, err
	}
	return r, r.Err(op)
}

const shortLimit = 64

// ResetSAM resets the security module.
func (s *Session) ResetSAM(ctx context.Context) error {
	_, err := s.do(ctx, "reset SAM", ResetSAM(), shortLimit)
	return err
}

// SAMStatus asks the security module for its self-test status: nil when it
// is healthy, ErrSAMSelfTest (wrapped) when it is not.
func (s *Session) SAMStatus(ctx context.Context) error {
	_, err := s.do(ctx, "SAM status", SAMStatus(), shortLimit)
	return err
}

// SAMID reads the module's ID, formatted as 05.01-20101201-000123456-000654321.
func (s *Session) SAMID(ctx context.Context) (string, error) {
	r, err := s.do(ctx, "read SAM ID", SAMID(), shortLimit)
	if err != nil {
		return "", err
	}
	id, err := FormatSAMID(r.Data)
	if err != nil {
		return "", fmt.Errorf("idcard: read SAM ID: %w", err)
	}
	return id, nil
}

// FindCard looks for a card: nil when one is found, ErrNoCard (wrapped)
// when none is.
func (s *Session) FindCard(ctx context.Context) error {
	_, err := s.do(ctx, "find card", FindCard(), shortLimit)
	return err
}

// SelectCard selects the found card and returns the 8 bytes the reader
// answers with. Real readers answer eight zero bytes, not the card's
// serial number: nothing may tell cards apart by them.
func (s *Session) SelectCard(ctx context.Context) ([]byte, error) {
	r, err := s.do(ctx, "select card", SelectCard(), shortLimit)
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

// Read reads and decodes the selected card (text and photo, and the
// fingerprint when withFinger). The raw reply is zeroed once decoded.
func (s *Session) Read(ctx context.Context, withFinger bool) (*identity.Card, error) {
	req, op := ReadText(), "read card"
	if withFinger {
		req, op = ReadTextFinger(), "read card with fingerprint"
	}
	r, err := s.do(ctx, op, req, MaxBodyLen)
	defer clear(r.Data)
	if err != nil {
		return nil, err
	}
	c, err := DecodeRead(r.Data, withFinger)
	if err != nil {
		return nil, fmt.Errorf("idcard: %s: %w", op, err)
	}
	return c, nil
}

// ReadAddress reads the newest appended address; ErrNoContent (wrapped)
// when the card has none.
func (s *Session) ReadAddress(ctx context.Context) (string, error) {
	r, err := s.do(ctx, "read appended address", ReadAddress(), 512)
	if err != nil {
		return "", err
	}
	a, err := DecodeAddress(r.Data)
	clear(r.Data)
	if err != nil {
		return "", fmt.Errorf("idcard: read appended address: %w", err)
	}
	return a, nil
}

// SetBaud tells the reader to switch to baud. The reader answers at the
// old rate and then switches: the caller must reopen or reconfigure its
// port.
func (s *Session) SetBaud(ctx context.Context, baud int) error {
	req, err := SetBaud(baud)
	if err != nil {
		return err
	}
	_, err = s.do(ctx, fmt.Sprintf("set baud %d", baud), req, shortLimit)
	return err
}

// SetMaxRFFrame sets the reader's largest RF frame.
func (s *Session) SetMaxRFFrame(ctx context.Context, size byte) error {
	_, err := s.do(ctx, "set max RF frame size", SetMaxRFFrame(size), shortLimit)
	return err
}
