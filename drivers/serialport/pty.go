package serialport

import (
	"fmt"
	"os"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// LinkPTY opens a pseudo-terminal for a simulated device and points link
// at its host end, as udev points /dev/kiosk-* at a USB serial device:
// the driver opens link with Open exactly as it opens real hardware. The
// host end starts raw at baud (no echo, no line editing, no CR/LF
// translation) until the driver sets its own; the device end (master) is
// on Go's poller, so closing it interrupts a read or write in progress
// (an unplug while the driver holds the port). link is replaced
// atomically (a symlink renamed into place), so a driver never sees it
// missing while a device is replugged.
func LinkPTY(link string, baud int) (master, slave *os.File, err error) {
	m, sl, err := pty.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("serialport: open pty: %w", err)
	}
	fail := func(what string, err error) (*os.File, *os.File, error) {
		m.Close()
		sl.Close()
		return nil, nil, fmt.Errorf("serialport: pty for %s: %s: %w", link, what, err)
	}
	rate := rateCode(baud)
	t := unix.Termios{Iflag: unix.IGNPAR, Cflag: unix.CREAD | unix.CLOCAL | unix.CS8 | rate, Ispeed: rate, Ospeed: rate}
	t.Cc[unix.VMIN] = 1
	if err := unix.IoctlSetTermios(int(sl.Fd()), unix.TCSETS, &t); err != nil {
		return fail("set raw", err)
	}
	fd, err := unix.Dup(int(m.Fd()))
	if err != nil {
		return fail("dup", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return fail("non-blocking", err)
	}
	m.Close()
	m = os.NewFile(uintptr(fd), "/dev/ptmx")
	tmp := link + ".new"
	os.Remove(tmp)
	if err := os.Symlink(sl.Name(), tmp); err != nil {
		return fail("link", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fail("link", err)
	}
	return m, sl, nil
}

// rateCode is the termios speed for baud (115200 for an unknown rate).
func rateCode(baud int) uint32 {
	switch baud {
	case 57600:
		return unix.B57600
	case 38400:
		return unix.B38400
	case 19200:
		return unix.B19200
	case 9600:
		return unix.B9600
	}
	return unix.B115200
}
