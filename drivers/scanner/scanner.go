package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// readTick is how long one read waits on a line with read deadlines: as
// long as serialport.Port's read timeout, so Halt and a cancelled context
// are noticed within it.
const readTick = 100 * time.Millisecond

// ErrGone means the scanner has disappeared (unplugged). It is
// serialport.ErrGone, so either name matches.
var ErrGone = serialport.ErrGone

// Line is the connection to a scanner: a serial port (Opts.Path), a
// grabbed input device (Opts.Input), or what Opts.Open returns. Close must
// interrupt a read in progress. A line with SetReadDeadline(time.Time)
// error is given a deadline before each read; one without must return
// from Read now and then (serialport.Port returns serialport.ErrTimeout
// every 100 ms).
type Line interface {
	io.ReadCloser
}

// Scan is one thing the scanner read: a code, or a scan that was not one.
type Scan struct {
	// Text is the code. It is personal data (a payment code is money):
	// log it only masked (scancode.Mask).
	Text string
	// Err is ErrTooLong or ErrGarbage (wrapped) for a scan that is not a
	// code; Text is empty then.
	Err  error
	Time time.Time // when the code's end arrived
}

// Opts configures a Scanner. Exactly one of Path, Input and Open.
type Opts struct {
	// Path is a serial (or USB CDC) scanner's port, opened through
	// drivers/serialport at Baud (0: 115200; kiosk scanners ship at 9600
	// or 115200).
	Path string
	Baud int
	// Input is a keyboard-mode scanner's input device (/dev/input/eventN
	// or a udev link), grabbed exclusively while the Scanner runs.
	Input string
	// Layout is the input_event layout (0: NativeLayout()).
	Layout EventLayout
	// Open, when set, opens the line instead (tests, other transports); it
	// reports a scanner that is not there with an error wrapping ErrGone.
	Open func(ctx context.Context) (Line, error)
	// Suffix is the terminator the scanner sends after each code (empty:
	// CR, LF or CRLF). Keyboard mode types Enter as CR.
	Suffix string
	// MaxLen bounds a code (0: DefaultMaxLen).
	MaxLen int
	// ReopenInterval is how often a vanished scanner is looked for
	// (default 500 ms); RetryInterval how long to wait after any other
	// failure to open it (default 5 s).
	ReopenInterval time.Duration
	RetryInterval  time.Duration
	Logger         *slog.Logger     // default: discard
	Device         *devices.Device  // optional: state, detail, counters
	Now            func() time.Time // default time.Now
	// After is the clock's timer (default time.After) for the waits
	// between looks for the scanner.
	After func(d time.Duration) <-chan time.Time
}

// Scanner owns one code scanner: it keeps the line open, reopens it
// after an unplug, and delivers what is scanned on Scans.
type Scanner struct {
	o     Opts
	log   *slog.Logger
	scans chan Scan

	mu      sync.Mutex
	running bool
	halted  bool
	cancel  context.CancelFunc
	line    Line
	stopped chan struct{}
}

var _ interface {
	Halt() error
	String() string
} = (*Scanner)(nil)

// New returns a Scanner; nothing is opened until Run.
func New(opts *Opts) (*Scanner, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	n := 0
	for _, set := range []bool{o.Path != "", o.Input != "", o.Open != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("scanner: say exactly one of a serial port, an input device or an opener")
	}
	if o.Baud == 0 {
		o.Baud = 115200
	}
	if o.Layout == 0 {
		o.Layout = NativeLayout()
	}
	if o.ReopenInterval <= 0 {
		o.ReopenInterval = 500 * time.Millisecond
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Scanner{o: o, scans: make(chan Scan, 16), stopped: make(chan struct{})}
	s.log = log.With("device", devices.Scanner, "line", s.name())
	return s, nil
}

func (s *Scanner) name() string {
	switch {
	case s.o.Path != "":
		return s.o.Path
	case s.o.Input != "":
		return s.o.Input
	}
	return "transport"
}

// String names the scanner.
func (s *Scanner) String() string { return "scanner(" + s.name() + ")" }

// Mode is "serial", "keyboard" or "transport".
func (s *Scanner) Mode() string {
	switch {
	case s.o.Path != "":
		return "serial"
	case s.o.Input != "":
		return "keyboard"
	}
	return "transport"
}

// Scans returns the channel of scans, closed when Run returns. A consumer
// that falls more than 16 scans behind loses the oldest.
func (s *Scanner) Scans() <-chan Scan { return s.scans }

// Halt leaves the scanner inert: Run stops for good, the line is closed
// (a keyboard-mode scanner's grab released) and Run returns nil. It waits
// for Run to return and may be called more than once.
func (s *Scanner) Halt() error {
	s.mu.Lock()
	s.halted = true
	cancel, line, running := s.cancel, s.line, s.running
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	var err error
	if line != nil {
		if cerr := line.Close(); cerr != nil {
			err = fmt.Errorf("scanner: halt: %w", cerr)
		}
	}
	if running {
		<-s.stopped
	}
	return err
}

// open opens the line once.
func (s *Scanner) open(ctx context.Context) (Line, error) {
	switch {
	case s.o.Open != nil:
		return s.o.Open(ctx)
	case s.o.Input != "":
		return OpenInput(s.o.Input, s.o.Layout)
	}
	p, err := serialport.Open(serialport.Config{Path: s.o.Path, Baud: s.o.Baud})
	if err != nil {
		return nil, fmt.Errorf("scanner: %w", err)
	}
	// Whatever arrived before the kiosk was listening (a half code from
	// before a restart) is no scan anyone is waiting for.
	_ = p.Flush()
	return p, nil
}

func (s *Scanner) setLine(l Line) {
	s.mu.Lock()
	s.line = l
	s.mu.Unlock()
}

func (s *Scanner) setState(st devices.State, err error) {
	if s.o.Device != nil {
		s.o.Device.SetState(st, err)
	}
}

func (s *Scanner) count(c string) {
	if s.o.Device != nil {
		s.o.Device.Count(c, 1)
	}
}

// Run keeps the scanner open and delivers its scans until ctx ends or
// Halt is called, and returns nil then; it never gives up on a missing
// scanner.
func (s *Scanner) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("scanner: Run called twice")
	}
	s.running = true
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.cancel = cancel
	if s.halted {
		cancel()
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		halted := s.halted
		s.mu.Unlock()
		if halted {
			s.setState(devices.Offline, nil)
			s.log.Info("scanner: halted")
		}
		close(s.stopped)
		close(s.scans)
	}()
	if s.o.Device != nil {
		s.o.Device.SetDetail("mode", s.Mode())
	}
	s.setState(devices.Starting, nil)
	offline, failing := false, false
	for ctx.Err() == nil {
		line, err := s.open(ctx)
		if ctx.Err() != nil {
			if err == nil {
				line.Close()
			}
			break
		}
		if err != nil {
			if errors.Is(err, ErrGone) {
				if !offline {
					s.setState(devices.Offline, err)
					s.log.Warn("scanner: not there; looking for it", "err", err)
					offline = true
				}
				s.wait(ctx, s.o.ReopenInterval)
				continue
			}
			if !failing {
				s.setState(devices.HardwareError, err)
				s.log.Error("scanner: cannot open", "err", err)
				failing = true
			}
			s.wait(ctx, s.o.RetryInterval)
			continue
		}
		s.setLine(line)
		s.mu.Lock()
		halted := s.halted
		s.mu.Unlock()
		if halted { // Halt came while the line was opening
			line.Close()
			s.setLine(nil)
			break
		}
		if offline || failing {
			s.count("reconnects")
			s.log.Info("scanner: back")
		}
		offline, failing = false, false
		s.setState(devices.Online, nil)
		err = s.serve(ctx, line, s.emit)
		line.Close()
		s.setLine(nil)
		if ctx.Err() != nil {
			break
		}
		if errors.Is(err, ErrGone) {
			s.setState(devices.Offline, err)
			s.log.Warn("scanner: gone; looking for it", "err", err)
			offline = true
			continue
		}
		s.setState(devices.HardwareError, err)
		s.log.Error("scanner: line failed", "err", err)
		failing = true
		s.wait(ctx, s.o.RetryInterval)
	}
	return nil
}

func (s *Scanner) wait(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-s.o.After(d):
	}
}

type readDeadliner interface{ SetReadDeadline(time.Time) error }

// serve reads the line until it fails or ctx ends, handing each scan to
// deliver.
func (s *Scanner) serve(ctx context.Context, line Line, deliver func(Scan)) error {
	dec := &LineDecoder{Max: s.o.MaxLen, Suffix: []byte(s.o.Suffix)}
	defer dec.Reset()
	buf := make([]byte, 256)
	defer clear(buf)
	rd, hasDeadline := line.(readDeadliner)
	for ctx.Err() == nil {
		if hasDeadline {
			_ = rd.SetReadDeadline(time.Now().Add(readTick))
		}
		n, err := line.Read(buf)
		if n > 0 {
			dec.Write(buf[:n])
			clear(buf[:n])
			for {
				code, derr := dec.Next()
				if derr != nil {
					s.count("rejected")
					s.log.Warn("scanner: scan is not a code", "err", derr)
					deliver(Scan{Err: derr, Time: s.o.Now()})
					continue
				}
				if code == nil {
					break
				}
				s.count("scans")
				deliver(Scan{Text: string(code), Time: s.o.Now()})
				clear(code)
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, serialport.ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded):
		default:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("scanner: read %s: %w", s.name(), classify(err))
		}
	}
	return nil
}

// emit delivers a scan, dropping the oldest waiting one when the consumer
// has fallen behind.
func (s *Scanner) emit(sc Scan) {
	for {
		select {
		case s.scans <- sc:
			return
		default:
		}
		select {
		case <-s.scans:
			s.log.Warn("scanner: scan consumer too slow, dropped a scan")
		default:
		}
	}
}

// classify marks the errors of a line that has gone (a port closed or
// unplugged, an input device removed, the other end of a socket hung up)
// as ErrGone.
func classify(err error) error {
	if errors.Is(err, ErrGone) {
		return err
	}
	for _, gone := range []error{io.EOF, os.ErrClosed, net.ErrClosed, os.ErrNotExist, syscall.ENODEV, syscall.ENXIO,
		syscall.EIO, syscall.EPIPE, syscall.ECONNRESET, syscall.ENOENT} {
		if errors.Is(err, gone) {
			return fmt.Errorf("%w: %v", ErrGone, err)
		}
	}
	return err
}

// ErrNoCode: nothing was scanned within the wait.
var ErrNoCode = errors.New("scanner: no code scanned")

// ReadOne opens the scanner o describes once (without looking for it
// again if it is not there: the error says why) and returns the first
// scan within wait, a code or a rejected one; ErrNoCode (wrapped) when
// nothing came. It is the technicians' check, for a scanner the daemon
// does not hold.
func ReadOne(ctx context.Context, o *Opts, wait time.Duration) (Scan, error) {
	s, err := New(o)
	if err != nil {
		return Scan{}, err
	}
	line, err := s.open(ctx)
	if err != nil {
		return Scan{}, err
	}
	defer line.Close()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var got *Scan
	err = s.serve(ctx, line, func(sc Scan) {
		if got == nil {
			got = &sc
			cancel()
		}
	})
	switch {
	case got != nil:
		return *got, nil
	case err != nil:
		return Scan{}, err
	case ctx.Err() != nil && errors.Is(context.Cause(ctx), context.DeadlineExceeded):
		return Scan{}, fmt.Errorf("%w within %v", ErrNoCode, wait)
	}
	return Scan{}, fmt.Errorf("scanner: %w", ctx.Err())
}
