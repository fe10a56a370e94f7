package daemon

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/scanner"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/scancode"
)

func nextScan(t *testing.T, ch <-chan ScannedCode) ScannedCode {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no scan reached the daemon")
	}
	return ScannedCode{}
}

// Codes scanned on the simulated scanner travel its pty through the real
// serial code to the daemon's hook, classified; logs and events carry
// them masked only.
func TestScansReachTheDaemon(t *testing.T) {
	scans := make(chan ScannedCode, 8)
	d, ctx, logs := startSimWith(t, Options{NoSimCUPS: true, OnScan: func(ev ScannedCode) { scans <- ev }})
	waitDevices(t, d, devices.Scanner)
	cl := admin.NewClient(d.cfg.Admin.Socket)
	const pay = "134567890123456789"
	receipt := strings.ReplaceAll(d.store.Active().TrackURL, "{tracking}", "K7QH2M4X")
	for _, tc := range []struct {
		text  string
		check func(ev ScannedCode) bool
	}{
		{pay, func(ev ScannedCode) bool {
			return ev.Err == nil && ev.Code.Kind == scancode.Payment && ev.Code.Provider == scancode.WeChatPay && ev.Code.Text == pay
		}},
		{receipt, func(ev ScannedCode) bool {
			return ev.Err == nil && ev.Code.Kind == scancode.Receipt && ev.Code.Tracking == "K7QH2M4X"
		}},
		{"\x1b[A", func(ev ScannedCode) bool { return errors.Is(ev.Err, scanner.ErrGarbage) }},
		{"12345", func(ev ScannedCode) bool {
			return errors.Is(ev.Err, scancode.ErrUnknown) && ev.Code.Kind == scancode.Unknown
		}},
	} {
		if err := cl.Do(ctx, "POST", "/v1/sim/scan", nil, admin.SimScanRequest{Text: tc.text}, nil); err != nil {
			t.Fatal(err)
		}
		if ev := nextScan(t, scans); !tc.check(ev) || ev.Time.IsZero() {
			t.Errorf("scan %q reached the daemon as %+v (err %v)", scancode.Mask(tc.text), ev.Code.Kind, ev.Err)
		}
	}
	if strings.Contains(logs.String(), pay) || strings.Contains(logs.String(), "K7QH2M4X") {
		t.Error("a scanned code is in the log unmasked")
	}
	if !strings.Contains(logs.String(), "**************6789") {
		t.Errorf("the masked code is not in the log:\n%s", logs.String())
	}
	var found bool
	for _, e := range d.events.Recent(50) {
		if strings.Contains(e.Text+e.Fields["code"], pay) {
			t.Errorf("event shows the code: %+v", e)
		}
		found = found || e.Text == "code scanned: payment"
	}
	if !found {
		t.Error("no event for the scanned payment code")
	}
	var st admin.Status
	if err := getStatus(ctx, cl, &st); err != nil {
		t.Fatal(err)
	}
	var sc devices.Status
	for _, s := range st.Devices {
		if s.Name == devices.Scanner {
			sc = s
		}
	}
	if sc.Kind != devices.KindScanner || sc.State != devices.Online || sc.Detail["mode"] != "serial" || sc.Counters["scans"] != 3 || sc.Counters["rejected"] != 1 {
		t.Errorf("kioskctl status shows the scanner as %+v", sc)
	}
}

// An unplugged scanner is offline while the rest of the kiosk runs on,
// and is back when plugged in again.
func TestScannerUnplugged(t *testing.T) {
	scans := make(chan ScannedCode, 8)
	d, ctx, _ := startSimWith(t, Options{NoSimCUPS: true, OnScan: func(ev ScannedCode) { scans <- ev }})
	waitDevices(t, d, devices.Scanner)
	check := func() admin.Check {
		t.Helper()
		cs, err := d.SelfTest(ctx, devices.Scanner)
		if err != nil || len(cs) != 1 {
			t.Fatalf("self-test: %v %+v", err, cs)
		}
		return cs[0]
	}
	if c := check(); !c.Pass || !strings.Contains(c.Detail, "online, serial") {
		t.Errorf("self-test of a working scanner: %+v", c)
	}
	d.sim.scan.Unplug()
	waitRegistry(t, d, 5*time.Second, "scanner offline", func() bool {
		st, _ := d.reg.Get(devices.Scanner)
		return st.State == devices.Offline
	})
	if err := d.sim.Scan("K7QH2M4X"); !errors.Is(err, admin.ErrUnavailable) {
		t.Errorf("scan on an unplugged scanner: %v", err)
	}
	if c := check(); c.Pass || !strings.Contains(c.Detail, "offline") || c.Remedy == "" || c.RemedyEN == "" {
		t.Errorf("self-test of an unplugged scanner: %+v", c)
	}
	if st, _ := d.reg.Get(devices.IDCard); st.State != devices.Online {
		t.Errorf("card reader %s while the scanner is away", st.State)
	}
	if err := d.sim.scan.Replug(); err != nil {
		t.Fatal(err)
	}
	waitDevices(t, d, devices.Scanner)
	if err := d.sim.Scan("K7QH2M4X"); err != nil {
		t.Fatal(err)
	}
	if ev := nextScan(t, scans); ev.Code.Kind != scancode.Tracking {
		t.Errorf("after replug: %+v %v", ev.Code.Kind, ev.Err)
	}
}

func TestScannerNotConfigured(t *testing.T) {
	for _, c := range []config.Scanner{{}, {Enabled: true}} {
		d := &Daemon{cfg: config.Default(), reg: devices.NewRegistry(nil), log: slog.New(slog.DiscardHandler), events: eventlog.New(8, nil), now: time.Now}
		d.cfg.Scanner = c
		d.openScanner()
		st, _ := d.reg.Get(devices.Scanner)
		if d.scanner != nil || st.State != devices.NoDevice || st.Kind != devices.KindScanner {
			t.Errorf("%+v: scanner %v, status %+v", c, d.scanner, st)
		}
		if ch := d.scannerCheck(); !ch.Pass || ch.Detail != "no scanner configured" {
			t.Errorf("%+v: self-test %+v", c, ch)
		}
	}
}
