package serialport

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// Flow is a port's flow control: how the device holds the kiosk's output
// while its buffer is full.
type Flow int

const (
	// FlowNone: nothing holds the line; the driver paces its writes.
	FlowNone Flow = iota
	// FlowXONXOFF: the device sends XOFF (0x13) and XON (0x11) in band. The
	// port leaves them in the input (IXON stays off) for the driver to act
	// on, so a driver can tell a held line from a dead one.
	FlowXONXOFF
	// FlowRTSCTS: the device drops CTS to hold the line; the kernel's UART
	// driver stops sending (termios CRTSCTS).
	FlowRTSCTS
	// FlowDTRDSR: the device drops DSR to hold the line. Linux termios has
	// no DTR/DSR flow control, so the port asserts DTR and Write sends
	// only while DSR is up (TIOCMGET), holding for up to Config.HoldTimeout.
	FlowDTRDSR
)

var flowNames = [...]string{"none", "xonxoff", "rtscts", "dtrdsr"}

func (f Flow) String() string {
	if f >= 0 && int(f) < len(flowNames) {
		return flowNames[f]
	}
	return fmt.Sprintf("Flow(%d)", int(f))
}

// ParseFlow is the inverse of Flow.String; "" is none.
func ParseFlow(s string) (Flow, error) {
	if s == "" {
		return FlowNone, nil
	}
	for i, n := range flowNames {
		if n == s {
			return Flow(i), nil
		}
	}
	return 0, fmt.Errorf("serialport: flow control %q: want none, xonxoff, rtscts or dtrdsr", s)
}

// ErrHeld is returned by Write when the device held the line (CTS or DSR
// down, the output queue not draining) for longer than the hold timeout.
// Nothing is lost: what was not written can be written again.
var ErrHeld = errors.New("serialport: device holds the line")

// ErrNoModemLines: DTR/DSR flow control was asked for on a port without
// modem control lines (a pseudo-terminal, some USB bridges).
var ErrNoModemLines = errors.New("serialport: port has no modem control lines")

// heldQueue is how many bytes may wait in the kernel's output queue before
// Write, under hardware flow control, waits for the device to take them.
const heldQueue = 1024

// setFlow applies f to the tty behind fd.
func setFlow(fd int, f Flow) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	t.Cflag &^= unix.CRTSCTS
	t.Iflag &^= unix.IXON | unix.IXOFF | unix.IXANY
	if f == FlowRTSCTS {
		t.Cflag |= unix.CRTSCTS
	}
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return err
	}
	if f == FlowDTRDSR {
		if _, err := unix.IoctlGetInt(fd, unix.TIOCMGET); err != nil {
			return fmt.Errorf("%w: %v", ErrNoModemLines, err)
		}
		if err := unix.IoctlSetPointerInt(fd, unix.TIOCMBIS, unix.TIOCM_DTR); err != nil {
			return fmt.Errorf("assert DTR: %w", err)
		}
	}
	return nil
}

// Flow returns the port's flow control.
func (p *Port) Flow() Flow { return p.flow }

// ready reports whether the device takes data now: DSR up under DTR/DSR,
// the output queue short under RTS/CTS.
func (p *Port) ready() (bool, error) {
	fd := int(p.ctl.Fd())
	switch p.flow {
	case FlowDTRDSR:
		lines, err := unix.IoctlGetInt(fd, unix.TIOCMGET)
		if err != nil {
			return false, err
		}
		return lines&unix.TIOCM_DSR != 0, nil
	case FlowRTSCTS:
		n, err := unix.IoctlGetInt(fd, unix.TIOCOUTQ)
		if err != nil {
			return false, err
		}
		return n < heldQueue, nil
	}
	return true, nil
}

// waitReady waits until the device takes data, at most the hold timeout.
func (p *Port) waitReady() error {
	if p.flow != FlowDTRDSR && p.flow != FlowRTSCTS {
		return nil
	}
	deadline := time.Now().Add(p.hold)
	for {
		ok, err := p.ready()
		if err != nil {
			return fmt.Errorf("serialport: write %s: %w", p.path, classify(err))
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("serialport: write %s: %w (%s) for %v", p.path, ErrHeld, p.flow, p.hold)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
