package escpos

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
)

// USBLP is a receipt printer of the USB printer class, the kernel's
// usblp character device (/dev/usb/lp0): opened with a plain open, no
// termios. A bidirectional printer answers DLE EOT through read; on a
// write-only one (read fails with EINVAL, or the node opens for writing
// only) the printer's status is unknown and the Printer prints blind.
type USBLP struct {
	f    *os.File
	path string

	once    sync.Once
	oneWay  chan struct{} // closed once the printer is known to be write-only
	closed  chan struct{}
	closeMu sync.Once
}

// usblpReadTimeout is how long one Read waits, so the session's reader
// loop comes round as it does on a serial port.
const usblpReadTimeout = 100 * time.Millisecond

// IsUSBLP reports whether path is, or links to, a usblp device node
// (/dev/usb/lpN), as udev's /dev/kiosk-printer does for a USB printer.
func IsUSBLP(path string) bool {
	// Links are followed by hand: a link to a printer unplugged now
	// still names a USB printer.
	for range 8 {
		if strings.HasPrefix(path, "/dev/usb/lp") {
			return true
		}
		to, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return false
}

// OpenUSBLP opens the printer's device node for reading and writing, or
// for writing only when reading is refused. A missing node is
// serialport.ErrGone, like an unplugged serial printer.
func OpenUSBLP(path string) (*USBLP, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("escpos: open %s: %w (%v)", path, serialport.ErrGone, err)
	}
	u := &USBLP{path: path, oneWay: make(chan struct{}), closed: make(chan struct{})}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EINVAL) {
		f, err = os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			u.writeOnly()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("escpos: open %s: %w", path, usblpErr(err))
	}
	u.f = f
	return u, nil
}

// NewUSBLP makes a USBLP of an open device node (a test's FIFO or pty
// standing in for one).
func NewUSBLP(f *os.File) *USBLP {
	return &USBLP{f: f, path: f.Name(), oneWay: make(chan struct{}), closed: make(chan struct{})}
}

func (u *USBLP) writeOnly() { u.once.Do(func() { close(u.oneWay) }) }

// WriteOnly returns a channel closed once the printer is known not to
// answer: its status is then unknown rather than offline.
func (u *USBLP) WriteOnly() <-chan struct{} { return u.oneWay }

// String names the device node.
func (u *USBLP) String() string { return "usblp(" + u.path + ")" }

// Read reads the printer's replies, waiting at most 100 ms: nothing then
// is serialport.ErrTimeout, as on a serial port. On a write-only printer
// it only waits.
func (u *USBLP) Read(b []byte) (int, error) {
	select {
	case <-u.oneWay:
		return 0, u.idle()
	default:
	}
	if err := u.f.SetReadDeadline(time.Now().Add(usblpReadTimeout)); err != nil && !errors.Is(err, os.ErrNoDeadline) {
		return 0, fmt.Errorf("escpos: read %s: %w", u.path, usblpErr(err))
	}
	n, err := u.f.Read(b)
	switch {
	case n > 0:
		return n, nil
	case err == nil, errors.Is(err, os.ErrDeadlineExceeded):
		return 0, serialport.ErrTimeout
	case errors.Is(err, syscall.EINVAL), errors.Is(err, syscall.EBADF) && !u.isClosed():
		// usblp refuses reads from a printer that is not bidirectional.
		u.writeOnly()
		return 0, u.idle()
	case errors.Is(err, io.EOF):
		// Nothing to read and nobody to send it (a stand-in node): gone
		// if the node is, else only quiet.
		if _, serr := os.Stat(u.path); serr != nil {
			return 0, fmt.Errorf("escpos: read %s: %w", u.path, serialport.ErrGone)
		}
		return 0, u.idle()
	}
	return 0, fmt.Errorf("escpos: read %s: %w", u.path, usblpErr(err))
}

// idle waits one read timeout (or until Close) and reports nothing read.
func (u *USBLP) idle() error {
	t := time.NewTimer(usblpReadTimeout)
	defer t.Stop()
	select {
	case <-u.closed:
		return fmt.Errorf("escpos: read %s: %w", u.path, os.ErrClosed)
	case <-t.C:
	}
	if _, err := os.Stat(u.path); err != nil {
		return fmt.Errorf("escpos: read %s: %w", u.path, serialport.ErrGone)
	}
	return serialport.ErrTimeout
}

func (u *USBLP) isClosed() bool {
	select {
	case <-u.closed:
		return true
	default:
		return false
	}
}

// Write sends b to the printer.
func (u *USBLP) Write(b []byte) (int, error) {
	n, err := u.f.Write(b)
	if err != nil {
		return n, fmt.Errorf("escpos: write %s: %w", u.path, usblpErr(err))
	}
	return n, nil
}

// Close closes the device node, ending a Read in progress.
func (u *USBLP) Close() error {
	u.closeMu.Do(func() { close(u.closed) })
	return u.f.Close()
}

// usblpErr marks the errors of a printer that has gone (unplugged: usblp
// answers ENODEV) as serialport.ErrGone.
func usblpErr(err error) error {
	for _, e := range []error{syscall.ENODEV, syscall.EIO, syscall.ENXIO, syscall.ENOENT} {
		if errors.Is(err, e) {
			return fmt.Errorf("%w: %v", serialport.ErrGone, err)
		}
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("%w: %v", serialport.ErrGone, err)
	}
	return err
}
