package escpos_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
)

func TestIsUSBLP(t *testing.T) {
	dir := t.TempDir()
	for name, to := range map[string]string{"kiosk-printer": "/dev/usb/lp0", "serial": "/dev/ttyUSB0", "hop": "kiosk-printer"} {
		if err := os.Symlink(to, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/dev/usb/lp0", true},
		{"/dev/usb/lp12", true},
		{"/dev/ttyUSB0", false},
		{"/dev/kiosk-idcard-that-is-not-there", false},
		{filepath.Join(dir, "kiosk-printer"), true}, // udev's link, the printer unplugged now
		{filepath.Join(dir, "hop"), true},
		{filepath.Join(dir, "serial"), false},
	} {
		if got := escpos.IsUSBLP(tc.path); got != tc.want {
			t.Errorf("IsUSBLP(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestUSBLPBidirectional: a bidirectional USB printer is opened as a plain
// device node (here the simulator's pty stands in for /dev/usb/lp0, opened
// without termios) and answers DLE EOT through read.
func TestUSBLPBidirectional(t *testing.T) {
	for _, tc := range []struct {
		paper   string
		wantErr error
		state   devices.State
	}{
		{printersim.PaperOK, nil, devices.Online},
		{printersim.PaperLow, nil, devices.Online},
		{printersim.PaperOut, escpos.ErrPaperOut, devices.UserError},
	} {
		t.Run(tc.paper, func(t *testing.T) {
			r := newRig(t, printersim.Opts{}, escpos.Opts{USBLP: true})
			r.sim.SetPaper(tc.paper)
			ctx := ctxT(t, 15*time.Second)
			st, err := r.p.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Unknown || string(st.Paper) != tc.paper {
				t.Fatalf("status %+v, want paper %s", st, tc.paper)
			}
			j, err := r.p.Print(ctx, receipttest.Doc(false))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Print = %+v, %v; want %v", j, err, tc.wantErr)
			}
			if s := r.dev.Status().State; s != tc.state {
				t.Errorf("device state %v, want %v", s, tc.state)
			}
			if tc.wantErr == nil {
				select {
				case <-r.cut:
				case <-time.After(5 * time.Second):
					t.Fatal("no receipt cut")
				}
				want, _ := escpos.Encode(receipttest.Doc(false), escpos.Profile58)
				if got := r.sim.Receipts(); len(got) != 1 || !bytes.Equal(got[0], want) {
					t.Errorf("receipt bytes differ from the job (%d receipts)", len(got))
				}
			}
		})
	}
}

// TestUSBLPWriteOnly: a printer that is not bidirectional (a FIFO stands in
// for its node: it can only be written) prints, and its status is unknown
// rather than offline.
func TestUSBLPWriteOnly(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "lp0")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	printer, err := os.OpenFile(fifo, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer printer.Close()
	node, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		var buf bytes.Buffer
		b := make([]byte, 4096)
		for {
			printer.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			n, err := printer.Read(b)
			buf.Write(b[:n])
			if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, io.EOF) || errors.Is(err, io.EOF) && buf.Len() > 0 {
				got <- buf.Bytes()
				return
			}
		}
	}()
	reg := devices.NewRegistry(nil)
	dev := reg.Add(devices.Printer, devices.KindPrinter)
	p := escpos.NewPrinter(&escpos.Opts{Path: fifo, Device: dev,
		Open: func(context.Context) (escpos.Transport, error) { return escpos.NewUSBLP(node), nil }})
	ctx := ctxT(t, 15*time.Second)
	start := time.Now()
	st, err := p.Status(ctx)
	if err != nil {
		t.Fatalf("status of a write-only printer: %v, want unknown", err)
	}
	if !st.Unknown || st.Paper != escpos.PaperUnknown {
		t.Fatalf("status %+v, want unknown", st)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("unknown status took %v: the status timeout was waited out", d)
	}
	j, err := p.Print(ctx, receipttest.Doc(false))
	if err != nil || j.State != escpos.JobDone {
		t.Fatalf("Print = %+v, %v", j, err)
	}
	if st := dev.Status(); st.State != devices.Online || st.Detail["paper"] != "unknown" {
		t.Errorf("device %+v, want online with paper unknown", st)
	}
	p.Close() // closes the node: the stand-in printer reads EOF
	want, _ := escpos.Encode(receipttest.Doc(false), escpos.Profile58)
	select {
	case b := <-got:
		// The first status request may go out before the printer is
		// known to be mute; nothing but the job follows.
		for bytes.HasPrefix(b, []byte{0x10, 0x04}) && len(b) >= 3 {
			b = b[3:]
		}
		if !bytes.Equal(b, want) {
			t.Errorf("the printer got %d bytes after status requests, want the job's %d and nothing else", len(b), len(want))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stand-in printer never saw the end of the line")
	}
}
