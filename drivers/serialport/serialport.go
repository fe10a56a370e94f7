// Package serialport is the only place that opens serial ports. It wraps
// github.com/tarm/serial with the behaviour the kiosk's drivers rely on: a
// short read timeout that surfaces as ErrTimeout (never a silent zero-byte
// read), input flushing, and a clear ErrGone when the device has
// disappeared (a USB reader or printer unplugged), so a driver can report
// the device offline and reopen the same path when it comes back.
package serialport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/tarm/serial"
	"golang.org/x/sys/unix"
)

// ErrTimeout is returned by Read when no byte arrived within the port's
// read timeout. It is not a failure: callers loop until their own deadline.
var ErrTimeout = errors.New("serialport: read timeout")

// ErrGone means the device behind the port has disappeared.
var ErrGone = errors.New("serialport: device gone")

// Bauds are the rates the kiosk's devices use, fastest first.
var Bauds = []int{115200, 57600, 38400, 19200, 9600}

// Config says which port to open and how.
type Config struct {
	Path        string        // /dev/ttyUSB0, /dev/kiosk-idcard, or a simulator's pty link
	Baud        int           // 0 means 115200
	ReadTimeout time.Duration // 0 or anything under 100 ms means 100 ms: the tty layer counts in tenths of a second
	// Flow is the line's flow control (default none). RTS/CTS is set in
	// termios on the port tarm/serial opened; DTR/DSR, which Linux termios
	// lacks, is DTR asserted and DSR checked before each write.
	Flow Flow
	// HoldTimeout bounds how long Write waits for a device holding the
	// line under RTS/CTS or DTR/DSR before it returns ErrHeld (0: 2 s).
	HoldTimeout time.Duration
}

// Port is an open serial port, 8N1, with the flow control of its Config.
type Port struct {
	p    *serial.Port
	path string
	baud int
	flow Flow
	hold time.Duration
	// ctl is a second descriptor on the same tty. The line's settings and
	// queues belong to the tty, not to a descriptor, so ctl reaches what
	// tarm/serial does not offer (flushing the input queue alone).
	ctl *os.File
}

// Open opens the port. A missing device is reported as ErrGone wrapped with
// the path, so "the reader is unplugged" and "the reader is not there yet"
// read the same to a driver.
func Open(c Config) (*Port, error) {
	if c.Baud == 0 {
		c.Baud = 115200
	}
	if c.ReadTimeout < 100*time.Millisecond {
		// tarm/serial maps the timeout to VTIME in tenths of a second;
		// anything below one tenth would become a blocking read.
		c.ReadTimeout = 100 * time.Millisecond
	}
	if _, err := os.Stat(c.Path); err != nil {
		return nil, fmt.Errorf("serialport: open %s: %w (%v)", c.Path, ErrGone, err)
	}
	p, err := serial.OpenPort(&serial.Config{Name: c.Path, Baud: c.Baud, ReadTimeout: c.ReadTimeout})
	if err != nil {
		return nil, fmt.Errorf("serialport: open %s at %d baud: %w", c.Path, c.Baud, classify(err))
	}
	ctl, err := os.OpenFile(c.Path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("serialport: open %s: %w", c.Path, classify(err))
	}
	if c.HoldTimeout <= 0 {
		c.HoldTimeout = 2 * time.Second
	}
	if err := setFlow(int(ctl.Fd()), c.Flow); err != nil {
		ctl.Close()
		p.Close()
		return nil, fmt.Errorf("serialport: open %s: flow control %s: %w", c.Path, c.Flow, classify(err))
	}
	return &Port{p: p, path: c.Path, baud: c.Baud, flow: c.Flow, hold: c.HoldTimeout, ctl: ctl}, nil
}

// Path returns the path the port was opened with.
func (p *Port) Path() string { return p.path }

// Baud returns the port's baud rate.
func (p *Port) Baud() int { return p.baud }

// Read reads what has arrived, waiting at most the read timeout. It returns
// ErrTimeout when nothing came, and ErrGone when the device disappeared.
func (p *Port) Read(b []byte) (int, error) {
	n, err := p.p.Read(b)
	if n > 0 {
		return n, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		// VMIN=0/VTIME>0: a timed-out read returns zero bytes, which os.File
		// reports as EOF. A vanished pty or USB device gives EIO instead.
		if _, serr := os.Stat(p.path); serr != nil {
			return 0, fmt.Errorf("serialport: read %s: %w", p.path, ErrGone)
		}
		return 0, ErrTimeout
	}
	return 0, fmt.Errorf("serialport: read %s: %w", p.path, classify(err))
}

// Write writes b to the port. Under RTS/CTS or DTR/DSR flow control it
// first waits while the device holds the line, and returns ErrHeld
// (nothing written) after the hold timeout.
func (p *Port) Write(b []byte) (int, error) {
	if err := p.waitReady(); err != nil {
		return 0, err
	}
	n, err := p.p.Write(b)
	if err != nil {
		return n, fmt.Errorf("serialport: write %s: %w", p.path, classify(err))
	}
	return n, nil
}

// Flush discards bytes received but not yet read (late status replies, a
// half frame from before a fault). Bytes written but not yet sent are
// kept: they are the device's, a receipt still on its way to the printer
// (TCIFLUSH, never TCIOFLUSH).
func (p *Port) Flush() error {
	if err := unix.IoctlSetInt(int(p.ctl.Fd()), unix.TCFLSH, unix.TCIFLUSH); err != nil {
		return fmt.Errorf("serialport: flush %s: %w", p.path, classify(err))
	}
	return nil
}

// Close closes the port.
func (p *Port) Close() error {
	err := p.p.Close()
	p.ctl.Close()
	return err
}

func classify(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EIO, syscall.ENXIO, syscall.ENODEV, syscall.ENOENT, syscall.EBADF:
			return fmt.Errorf("%w: %v", ErrGone, err)
		}
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("%w: %v", ErrGone, err)
	}
	return err
}
