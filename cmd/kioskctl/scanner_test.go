package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/scanner/scannerdiag"
	"github.com/henan-county/kiosk/drivers/scanner/scannersim"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// kioskctl diag scanner against a simulated scanner on a pty, read by the
// real serial code: masked by default, the card check's exit statuses.
func TestDiagScanner(t *testing.T) {
	noDaemon(t)
	sim, err := scannersim.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	release := sim.Hold("134567890123456789", 50*time.Millisecond)
	code, out, errs := kioskctl(t, "diag", "scanner", "--port", sim.Path(), "--wait", "5s")
	release()
	if code != exitOK || errs != "" || !strings.Contains(out, "**************6789") || strings.Contains(out, "134567890123456789") ||
		!strings.Contains(out, "WeChat Pay") {
		t.Fatalf("diag scanner: exit %d\n%s\n%s", code, out, errs)
	}
	release = sim.Hold("ZM20261126K7QH2M4X", 50*time.Millisecond)
	code, out, _ = kioskctl(t, "--json", "diag", "scanner", "--port", sim.Path(), "--show")
	release()
	var r scannerdiag.Result
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil || r.Kind != "tracking" || r.Code != "ZM20261126K7QH2M4X" || r.Masked {
		t.Fatalf("diag scanner --json --show: exit %d %s", code, out)
	}
	code, _, errs = kioskctl(t, "diag", "scanner", "--port", sim.Path(), "--wait", "200ms")
	if code != 3 || !strings.Contains(errs, "nothing scanned within 200ms") {
		t.Fatalf("nothing scanned: exit %d %s", code, errs)
	}
	code, _, errs = kioskctl(t, "diag", "scanner", "--input", "/dev/null")
	if code != 2 || !strings.Contains(errs, "not an input device") {
		t.Fatalf("not an input device: exit %d %s", code, errs)
	}
	for _, args := range [][]string{{"diag", "scanner"}, {"diag", "scanner", "--port", "/dev/x", "--input", "/dev/input/event1"}, {"sim", "scan"}} {
		code, out, errs := kioskctl(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, "usage: kioskctl") {
			t.Errorf("kioskctl %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"diag", "scanner", "-h"}, {"help", "diag", "scanner"}, {"sim", "scan", "--help"}} {
		if code, out, errs := kioskctl(t, args...); code != exitOK || errs != "" || !strings.HasPrefix(out, "usage: kioskctl") {
			t.Errorf("kioskctl %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// kioskctl sim scan TEXT reaches the daemon through the simulated scanner;
// status lists the scanner; events show the code masked.
func TestSimScan(t *testing.T) {
	d, sock := startSimKiosk(t)
	t.Setenv(socketEnv, sock)
	changes, stop := d.Registry().Subscribe(64)
	defer stop()
	deadline := time.After(15 * time.Second)
	for st, _ := d.Registry().Get(devices.Scanner); st.State != devices.Online; st, _ = d.Registry().Get(devices.Scanner) {
		select {
		case <-changes:
		case <-deadline:
			t.Fatalf("scanner never online: %+v", st)
		}
	}
	follow, unfollow := d.EventLog().Follow()
	defer unfollow()
	if code, out, errs := kioskctl(t, "sim", "scan", "134567890123456789"); code != exitOK || strings.TrimSpace(out) != "scanned" {
		t.Fatalf("sim scan: exit %d %q %q", code, out, errs)
	}
	for seen := false; !seen; {
		select {
		case e := <-follow:
			seen = e.Text == "code scanned: payment"
		case <-deadline:
			t.Fatal("the scan never reached the daemon")
		}
	}
	_, out, _ := kioskctl(t, "events", "-n", "100", "--json")
	if strings.Contains(out, "134567890123456789") || !strings.Contains(out, "**************6789") {
		t.Errorf("events show the code unmasked, or not at all:\n%s", out)
	}
	if code, out, _ := kioskctl(t, "status"); code != exitOK || !strings.Contains(out, "scanner") || !strings.Contains(out, "mode=serial") {
		t.Errorf("status lacks the scanner:\n%s", out)
	}
}
