package cupsdiag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/cups/cupsdiag"
	"github.com/henan-county/kiosk/drivers/cups/cupssim"
)

func run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	now := func() time.Time { return time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC) }
	code := cupsdiag.Run(context.Background(), args, &out, &errOut, now)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"--status", "--test-page"}, {"--status", "x"}, {"--status", "--queue", "a/b"}, {"--bogus"}} {
		if code, _, errOut := run(args...); code != cupsdiag.ExitUsage || !strings.Contains(errOut, "usage:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if code, out, _ := run("-h"); code != cupsdiag.ExitOK || !strings.Contains(out, "--test-page") {
		t.Errorf("-h: exit %d, %q", code, out)
	}
}

func TestTestPageAndFaults(t *testing.T) {
	sim := cupssim.StartForTest(t)
	base := []string{"--server", sim.Server(), "--queue", sim.Queue()}

	code, out, errOut := run(append(base, "--test-page", "--json")...)
	var r cupsdiag.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s %s", err, out, errOut)
	}
	if code != cupsdiag.ExitOK || !r.Ready || r.Job == nil || r.Job.State != cups.JobCompleted || r.Printer == nil {
		t.Fatalf("test page: exit %d, %s", code, out)
	}
	if docs, err := sim.Documents(); err != nil || len(docs) != 1 {
		t.Errorf("printed %v, %v", docs, err)
	}

	if err := sim.StopPrinter(); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(append(base, "--status")...); code != cupsdiag.ExitDevice || !strings.Contains(out, "offline") {
		t.Errorf("printer offline: exit %d\n%s", code, out)
	}
	if err := sim.StopCUPS(); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(append(base, "--status")...); code != cupsdiag.ExitDevice || !strings.Contains(out, "not reachable") {
		t.Errorf("cupsd gone: exit %d\n%s", code, out)
	}
}
