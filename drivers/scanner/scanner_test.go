package scanner_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/scanner"
	"github.com/henan-county/kiosk/drivers/scanner/scannersim"
	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/devices"
)

var fixed = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

type rig struct {
	sc   *scanner.Scanner
	reg  *devices.Registry
	dev  *devices.Device
	chg  <-chan devices.Change
	done chan error
}

// start runs a Scanner with o under a registry and waits until it is
// online.
func start(t *testing.T, o scanner.Opts) *rig {
	t.Helper()
	r := &rig{reg: devices.NewRegistry(func() time.Time { return fixed }), done: make(chan error, 1)}
	r.chg, _ = r.reg.Subscribe(64)
	r.dev = r.reg.Add(devices.Scanner, devices.KindScanner)
	o.Device, o.Now = r.dev, func() time.Time { return fixed }
	if testing.Verbose() {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	o.ReopenInterval = 20 * time.Millisecond
	sc, err := scanner.New(&o)
	if err != nil {
		t.Fatal(err)
	}
	r.sc = sc
	go func() { r.done <- sc.Run(context.Background()) }()
	t.Cleanup(func() { sc.Halt() })
	r.await(t, devices.Online)
	return r
}

// await waits for the device to reach state s.
func (r *rig) await(t *testing.T, s devices.State) {
	t.Helper()
	if r.dev.Status().State == s {
		return
	}
	timeout := time.After(5 * time.Second)
	for {
		select {
		case <-r.chg:
			// The state now, not the change's: changes queued before
			// this wait may be stale.
			if r.dev.Status().State == s {
				return
			}
		case <-timeout:
			t.Fatalf("scanner never %s (now %+v)", s, r.dev.Status())
		}
	}
}

func (r *rig) next(t *testing.T) scanner.Scan {
	t.Helper()
	select {
	case s, ok := <-r.sc.Scans():
		if !ok {
			t.Fatal("scans closed")
		}
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("no scan")
	}
	return scanner.Scan{}
}

func newSim(t *testing.T, o *scannersim.Opts) *scannersim.Sim {
	t.Helper()
	s, err := scannersim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSerialScansOnAPty(t *testing.T) {
	sim := newSim(t, nil)
	r := start(t, scanner.Opts{Path: sim.Path(), Baud: 9600})
	for _, code := range []string{"134567890123456789", "https://zwfw.zhongmu.gov.cn/jd?no=K7QH2M4X", "ZM20261126K7QH2M4X"} {
		if err := sim.Scan(code); err != nil {
			t.Fatal(err)
		}
		s := r.next(t)
		if s.Text != code || s.Err != nil || !s.Time.Equal(fixed) {
			t.Errorf("scan %+v, want %q at %v", s, code, fixed)
		}
	}
	// Garbage, a code cut by an over-long line, then a good code: the bad
	// ones are reported, the good one arrives whole.
	if err := sim.Raw([]byte("\x1b[A\r\n")); err != nil {
		t.Fatal(err)
	}
	if s := r.next(t); !errors.Is(s.Err, scanner.ErrGarbage) || s.Text != "" {
		t.Errorf("garbage gave %+v", s)
	}
	long := make([]byte, scanner.DefaultMaxLen+10)
	for i := range long {
		long[i] = 'A'
	}
	if err := sim.Scan(string(long)); err != nil {
		t.Fatal(err)
	}
	if err := sim.Scan("AFTER-THE-LONG-ONE"); err != nil {
		t.Fatal(err)
	}
	if s := r.next(t); !errors.Is(s.Err, scanner.ErrTooLong) {
		t.Errorf("over-long gave %+v", s)
	}
	if s := r.next(t); s.Text != "AFTER-THE-LONG-ONE" {
		t.Errorf("after the over-long code: %+v", s)
	}
	st := r.dev.Status()
	if st.Counters["scans"] != 4 || st.Counters["rejected"] != 2 || st.Detail["mode"] != "serial" {
		t.Errorf("status %+v", st)
	}
}

func TestUnplugAndBack(t *testing.T) {
	sim := newSim(t, nil)
	r := start(t, scanner.Opts{Path: sim.Path()})
	sim.Unplug()
	r.await(t, devices.Offline)
	if st := r.dev.Status(); st.LastError == "" {
		t.Errorf("offline without a reason: %+v", st)
	}
	if err := sim.Scan("LOST-WHILE-UNPLUGGED"); !errors.Is(err, scannersim.ErrUnplugged) {
		t.Errorf("scan while unplugged: %v", err)
	}
	if err := sim.Replug(); err != nil {
		t.Fatal(err)
	}
	r.await(t, devices.Online)
	if err := sim.Scan("K7QH2M4X"); err != nil {
		t.Fatal(err)
	}
	if s := r.next(t); s.Text != "K7QH2M4X" {
		t.Errorf("after replug: %+v", s)
	}
	if n := r.dev.Status().Counters["reconnects"]; n != 1 {
		t.Errorf("reconnects %d", n)
	}
}

func TestStartsWithoutTheScanner(t *testing.T) {
	sim := newSim(t, nil)
	sim.Unplug()
	reg := devices.NewRegistry(nil)
	chg, _ := reg.Subscribe(16)
	dev := reg.Add(devices.Scanner, devices.KindScanner)
	sc, err := scanner.New(&scanner.Opts{Path: sim.Path(), Device: dev, ReopenInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sc.Run(context.Background()) }()
	for c := range chg {
		if c.State == devices.Offline {
			break
		}
	}
	if err := sim.Replug(); err != nil {
		t.Fatal(err)
	}
	for c := range chg {
		if c.State == devices.Online {
			break
		}
	}
	if err := sc.Halt(); err != nil {
		t.Error(err)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if _, ok := <-sc.Scans(); ok {
		t.Error("scans not closed after Halt")
	}
	if st := dev.Status(); st.State != devices.Offline {
		t.Errorf("after Halt: %s", st.State)
	}
}

func TestHaltStopsARead(t *testing.T) {
	sim := newSim(t, nil)
	r := start(t, scanner.Opts{Path: sim.Path()})
	if err := r.sc.Halt(); err != nil {
		t.Fatal(err)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Run returned %v", err)
	}
	if err := r.sc.Halt(); err != nil {
		t.Errorf("second Halt: %v", err)
	}
	if err := r.sc.Run(context.Background()); err == nil {
		t.Error("Run after Run accepted")
	}
}

// keyLine is a keyboard-mode scanner over an in-memory line: the bytes of
// input_event records in, with read deadlines like the evdev file.
type keyLine struct {
	*scanner.KeyReader
	c net.Conn
}

func (k keyLine) Close() error                      { return k.c.Close() }
func (k keyLine) SetReadDeadline(t time.Time) error { return k.c.SetReadDeadline(t) }

func press(w net.Conn, code uint16, value int32) {
	b := make([]byte, scanner.Layout64)
	binary.LittleEndian.PutUint16(b[16:], 1)
	binary.LittleEndian.PutUint16(b[18:], code)
	binary.LittleEndian.PutUint32(b[20:], uint32(value))
	w.Write(b)
}

func TestKeyboardModeOverATransport(t *testing.T) {
	simEnd, host, err := serialport.Pair("keyboard")
	if err != nil {
		t.Fatal(err)
	}
	defer simEnd.Close()
	var opens atomic.Int32
	r := start(t, scanner.Opts{Open: func(context.Context) (scanner.Line, error) {
		if opens.Add(1) > 1 {
			return nil, fmt.Errorf("keyboard unplugged: %w", scanner.ErrGone)
		}
		return keyLine{scanner.NewKeyReader(host, scanner.Layout64), host}, nil
	}})
	// 6 2 1 ... 19 digits of a UnionPay code, typed, then Enter.
	digits := "6212345678901234567"
	for _, c := range digits {
		k := uint16(c-'0') + 1
		if c == '0' {
			k = 11
		}
		press(simEnd, k, 1)
		press(simEnd, k, 0)
	}
	press(simEnd, 28, 1)
	press(simEnd, 28, 0)
	if s := r.next(t); s.Text != digits {
		t.Errorf("typed code %+v", s)
	}
	if r.dev.Status().Detail["mode"] != "transport" {
		t.Errorf("mode %v", r.dev.Status().Detail)
	}
	// The far end hangs up: the scanner is gone and is looked for again.
	simEnd.Close()
	r.await(t, devices.Offline)
}
