package scanner

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// evIOCGrab is EVIOCGRAB, _IOW('E', 0x90, int): while grabbed, the
// device's events go to this file only, not to the console, X or the
// kiosk's screen.
const evIOCGrab = 0x40044590

// ErrNotInput: the path is not a Linux input device (EVIOCGRAB is not
// understood there).
var ErrNotInput = errors.New("scanner: not an input device")

// ErrGrabbed: another process holds the input device exclusively.
var ErrGrabbed = errors.New("scanner: input device grabbed by another process")

// grab takes (on) or releases the device exclusively.
func grab(f *os.File, on bool) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	v := 0
	if on {
		v = 1
	}
	var ierr error
	if cerr := sc.Control(func(fd uintptr) { ierr = unix.IoctlSetInt(int(fd), evIOCGrab, v) }); cerr != nil {
		return cerr
	}
	return ierr
}

// InputDevice is a keyboard-mode scanner's event device, grabbed, read as
// the bytes its keys type.
type InputDevice struct {
	*KeyReader
	f    *os.File
	path string
	once sync.Once
}

// OpenInput opens the evdev device at path (/dev/input/eventN, or a
// stable udev link to it) and grabs it exclusively, so that a scan types
// nothing on the screen. The result reads the typed bytes (see KeyReader)
// with read deadlines; Close releases the grab. A missing device is
// ErrGone, something that is not an input device ErrNotInput, a device
// another process has grabbed ErrGrabbed (all wrapped with the path).
func OpenInput(path string, l EventLayout) (*InputDevice, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("scanner: open %s: %w", path, classify(err))
	}
	if err := grab(f, true); err != nil {
		f.Close()
		switch {
		case errors.Is(err, unix.ENOTTY), errors.Is(err, unix.EINVAL):
			return nil, fmt.Errorf("scanner: grab %s: %w (EVIOCGRAB: %v); give [scanner] input a /dev/input/eventN", path, ErrNotInput, err)
		case errors.Is(err, unix.EBUSY):
			return nil, fmt.Errorf("scanner: grab %s: %w (%v)", path, ErrGrabbed, err)
		}
		return nil, fmt.Errorf("scanner: grab %s: %w", path, classify(err))
	}
	return &InputDevice{KeyReader: NewKeyReader(f, l), f: f, path: path}, nil
}

// SetReadDeadline ends a read waiting for keys at t.
func (in *InputDevice) SetReadDeadline(t time.Time) error { return in.f.SetReadDeadline(t) }

// Close releases the grab (the keys would reach the screen again) and
// closes the device. It may be called more than once.
func (in *InputDevice) Close() error {
	var err error
	in.once.Do(func() {
		if gerr := grab(in.f, false); gerr != nil && !errors.Is(gerr, syscall.ENODEV) && !errors.Is(gerr, os.ErrClosed) {
			err = fmt.Errorf("scanner: release %s: %w", in.path, gerr)
		}
		if cerr := in.f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	})
	return err
}
