package serialport

import (
	"errors"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestFlushDropsStaleInput: Flush drops what the device sent and nobody
// has read, and what the kiosk wrote still reaches the device. A
// pseudo-terminal hands the slave's output to the master at once, so it
// cannot show an output queue that a TCIOFLUSH would empty on a real UART;
// that Flush asks for TCIFLUSH alone is in Flush itself.
func TestFlushDropsStaleInput(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer slave.Close()
	p, err := Open(Config{Path: slave.Name(), Baud: 9600})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Write([]byte("RECEIPT")); err != nil {
		t.Fatal(err)
	}
	if _, err := master.Write([]byte("STALE\n")); err != nil {
		t.Fatal(err)
	}
	// The line discipline has the stale reply once a read could see it.
	deadline := time.Now().Add(2 * time.Second)
	for {
		var n int
		n, err = unixInq(p)
		if err != nil {
			t.Fatal(err)
		}
		if n >= len("STALE\n") || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 64)
	if n, err := p.Read(b); !errors.Is(err, ErrTimeout) {
		t.Errorf("after Flush the port read %q, %v; want nothing", b[:n], err)
	}
	master.SetReadDeadline(time.Now().Add(2 * time.Second))
	n, err := master.Read(b)
	if err != nil || string(b[:n]) != "RECEIPT" {
		t.Fatalf("the device got %q, %v; want the bytes written before Flush", b[:n], err)
	}
}

// unixInq is how many bytes wait in the port's input queue (FIONREAD).
func unixInq(p *Port) (int, error) { return unix.IoctlGetInt(int(p.ctl.Fd()), unix.TIOCINQ) }

// TestFlowControl: each flow control is what the tty is set to, read back
// from the device's side of a pseudo-terminal; DTR/DSR on a port without
// modem lines (a pty has none) is refused with a clear error rather than
// left to lose data.
func TestFlowControl(t *testing.T) {
	for _, tc := range []struct {
		flow    Flow
		crtscts bool
		err     error
	}{
		{FlowNone, false, nil},
		{FlowXONXOFF, false, nil},
		{FlowRTSCTS, true, nil},
		{FlowDTRDSR, false, ErrNoModemLines},
	} {
		t.Run(tc.flow.String(), func(t *testing.T) {
			master, slave, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer master.Close()
			defer slave.Close()
			p, err := Open(Config{Path: slave.Name(), Baud: 9600, Flow: tc.flow})
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("open with %v: %v, want %v", tc.flow, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if got := tio.Cflag&unix.CRTSCTS != 0; got != tc.crtscts {
				t.Errorf("CRTSCTS %v, want %v", got, tc.crtscts)
			}
			if tio.Iflag&(unix.IXON|unix.IXOFF) != 0 {
				t.Errorf("IXON/IXOFF set (iflag %#x): the driver must see XON/XOFF itself", tio.Iflag)
			}
			if p.Flow() != tc.flow {
				t.Errorf("Flow() = %v", p.Flow())
			}
			if _, err := p.Write([]byte("ok")); err != nil {
				t.Errorf("write: %v", err)
			}
		})
	}
}

func TestParseFlow(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Flow
		ok   bool
	}{
		{"", FlowNone, true}, {"none", FlowNone, true}, {"xonxoff", FlowXONXOFF, true},
		{"rtscts", FlowRTSCTS, true}, {"dtrdsr", FlowDTRDSR, true}, {"hardware", 0, false}, {"RTSCTS", 0, false},
	} {
		got, err := ParseFlow(tc.in)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseFlow(%q) = %v, %v", tc.in, got, err)
		}
	}
}
