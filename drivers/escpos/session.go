package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
)

// Transport is the line to a printer: a serial port (what the Printer
// opens by default, through drivers/serialport), a USB bridge, or in tests
// one end of an in-memory line (printersim.Sim.Conn). Close must interrupt
// a read in progress. When the transport also has
//
//	Flush() error // discard input not yet read and output not yet sent
//
// a status query on an idle printer flushes it first, so a late reply
// from before a fault is not taken for the answer.
type Transport interface {
	io.ReadWriteCloser
}

type flusher interface{ Flush() error }

// oneWay is a transport that can find out its printer never answers
// (USBLP): the channel is closed once it knows.
type oneWay interface{ WriteOnly() <-chan struct{} }

const (
	xon  = 0x11
	xoff = 0x13

	// paceWindow is how many bytes the driver lets itself run ahead of the
	// wire: small against the 4 KB or more of any receipt printer's input
	// buffer, so the buffer never overruns even when the printer is slower
	// than the line for a moment.
	paceWindow = 256
	paceChunk  = 64
)

// errPaused is returned by write when the printer has held the line with
// XOFF for a while; the caller asks for status and decides.
var errPaused = errors.New("escpos: printer paused the line (XOFF)")

// session is one open connection to a printer: a reader goroutine that
// separates XON/XOFF from replies, status queries and paced writing.
type session struct {
	port    Transport
	baud    int
	xonxoff bool

	in      chan byte
	done    chan struct{} // closed when the reader stops
	err     error         // why the reader stopped; read after done
	closing atomic.Bool
	garbage atomic.Uint64 // bytes that were neither status nor flow control

	mu     sync.Mutex
	paused bool
	resume chan struct{} // closed on XON

	epoch time.Time // pacing: when the line last went idle
	sent  int64     // bytes written since epoch
}

func newSession(port Transport, baud int, xonxoff bool) *session {
	if baud <= 0 {
		baud = 115200
	}
	s := &session{port: port, baud: baud, xonxoff: xonxoff,
		in: make(chan byte, 64), done: make(chan struct{}), resume: make(chan struct{})}
	go s.readLoop()
	return s
}

func (s *session) readLoop() {
	defer close(s.done)
	buf := make([]byte, 128)
	for {
		n, err := s.port.Read(buf)
		for _, c := range buf[:n] {
			if s.xonxoff && (c == xon || c == xoff) {
				s.setPaused(c == xoff)
				continue
			}
			select {
			case s.in <- c:
			default:
				s.garbage.Add(1) // nobody asked: a late or unsolicited byte
			}
		}
		if err != nil && !errors.Is(err, serialport.ErrTimeout) {
			if s.closing.Load() {
				err = nil
			}
			s.err = err
			s.setPaused(false)
			return
		}
		if s.closing.Load() {
			return
		}
	}
}

func (s *session) setPaused(p bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p == s.paused {
		return
	}
	s.paused = p
	if p {
		s.resume = make(chan struct{})
	} else {
		close(s.resume)
	}
}

func (s *session) pausedCh() (bool, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused, s.resume
}

// gone returns the reader's error once it stopped, else nil.
func (s *session) gone() error {
	select {
	case <-s.done:
		if s.err != nil {
			return s.err
		}
		return fmt.Errorf("escpos: port closed: %w", serialport.ErrGone)
	default:
		return nil
	}
}

func (s *session) close() error {
	s.closing.Store(true)
	err := s.port.Close()
	select {
	case <-s.done:
	case <-time.After(time.Second):
	}
	return err
}

// drain discards bytes that arrived unasked (late replies, noise).
func (s *session) drain() {
	for {
		select {
		case <-s.in:
			s.garbage.Add(1)
		default:
			return
		}
	}
}

// status asks DLE EOT 1..4 in one write and reads the four replies in
// order, so a status costs one round trip. With idle set nothing of a job
// is in flight, so the port's buffers are flushed first; mid-job only the
// bytes already received are discarded (a port flush would drop unsent
// data). Bytes that are not status replies are skipped. A printer that
// does not answer all four within timeout gives ErrOffline.
func (s *session) status(ctx context.Context, idle bool, timeout time.Duration) (Status, error) {
	if err := s.gone(); err != nil {
		return Status{}, fmt.Errorf("escpos: status: %w: %w", ErrOffline, err)
	}
	var mute <-chan struct{} // closed when the printer cannot answer
	if ow, ok := s.port.(oneWay); ok {
		mute = ow.WriteOnly()
		select {
		case <-mute:
			return unknownStatus, nil
		default:
		}
	}
	if f, ok := s.port.(flusher); ok && idle {
		if err := f.Flush(); err != nil {
			return Status{}, fmt.Errorf("escpos: status: %w: %w", ErrOffline, err)
		}
	}
	s.drain()
	req := make([]byte, 0, 12)
	for n := 1; n <= 4; n++ {
		req = append(req, StatusRequest(n)...)
	}
	if _, err := s.port.Write(req); errors.Is(err, serialport.ErrHeld) {
		return Status{}, fmt.Errorf("escpos: status: %w", err) // held, not gone
	} else if err != nil {
		return Status{}, fmt.Errorf("escpos: status: %w: %w", ErrOffline, err)
	}
	s.sent += int64(len(req))
	var raw [4]byte
	got := 0
	t := time.NewTimer(timeout)
	defer t.Stop()
	for got < 4 {
		select {
		case c := <-s.in:
			if ValidStatusByte(c) {
				raw[got] = c
				got++
			} else {
				s.garbage.Add(1)
			}
		case <-mute:
			return unknownStatus, nil
		case <-t.C:
			return Status{}, fmt.Errorf("escpos: status: %w: %d of 4 replies within %v", ErrOffline, got, timeout)
		case <-s.done:
			return Status{}, fmt.Errorf("escpos: status: %w: %w", ErrOffline, s.gone())
		case <-ctx.Done():
			return Status{}, fmt.Errorf("escpos: status: %w", ctx.Err())
		}
	}
	st, err := DecodeStatus(raw)
	if err != nil {
		return Status{}, fmt.Errorf("escpos: status: %w", err)
	}
	if idle && st.Usable() {
		// An idle printer that is ready holds nothing back; an XON lost
		// to the flush above must not keep the line paused.
		s.setPaused(false)
	}
	return st, nil
}

// wireTime is how long n bytes take on the line (8N1: 10 bits a byte).
func wireTime(n int64, baud int) time.Duration {
	return time.Duration(n * 10 * int64(time.Second) / int64(baud))
}

// write sends b paced to the line rate, never more than paceWindow bytes
// ahead of the wire, and holds while the printer has sent XOFF. After
// pauseLimit of XOFF it returns errPaused with the count written.
func (s *session) write(ctx context.Context, b []byte, pauseLimit time.Duration) (int, error) {
	written := 0
	for len(b) > 0 {
		if err := s.gone(); err != nil {
			return written, err
		}
		if p, resume := s.pausedCh(); p {
			t := time.NewTimer(pauseLimit)
			select {
			case <-resume:
				t.Stop()
				s.epoch, s.sent = time.Now(), 0
				continue
			case <-t.C:
				return written, errPaused
			case <-s.done:
				t.Stop()
				continue
			case <-ctx.Done():
				t.Stop()
				return written, ctx.Err()
			}
		}
		now := time.Now()
		carried := int64(now.Sub(s.epoch).Seconds() * float64(s.baud) / 10)
		if s.epoch.IsZero() || carried >= s.sent {
			s.epoch, s.sent, carried = now, 0, 0 // the line went idle
		}
		ahead := s.sent - carried
		room := paceWindow - ahead
		if room < paceChunk && room < int64(len(b)) {
			// Wait until the wire has carried enough for a full chunk.
			wait := s.epoch.Add(wireTime(s.sent+paceChunk-paceWindow, s.baud)).Sub(now)
			if err := sleepCtx(ctx, wait); err != nil {
				return written, err
			}
			continue
		}
		k := int(min(int64(len(b)), room, paceChunk))
		n, err := s.port.Write(b[:k])
		written += n
		s.sent += int64(n)
		b = b[n:]
		if errors.Is(err, serialport.ErrHeld) {
			return written, errPaused // CTS or DSR down: ask why
		}
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// drainTime is how long until everything written has left on the wire.
func (s *session) drainTime() time.Duration {
	d := time.Until(s.epoch.Add(wireTime(s.sent, s.baud)))
	return max(d, 0)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
