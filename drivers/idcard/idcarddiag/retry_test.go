package idcarddiag_test

import (
	"strings"
	"testing"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcarddiag"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
)

// The technician's read retries a damaged reply as the kiosk does, and
// gives up clearly after the same bound.
func TestDamagedReplyRetried(t *testing.T) {
	attempts := 1 + idcard.DefaultRetries
	for _, tc := range []struct {
		name    string
		damaged int // card read replies damaged; 0: every one
		code    int
		reads   int // read replies the reader sent
		stderr  []string
	}{
		{"one damaged reply", 1, idcarddiag.ExitOK, 2, nil},
		{"damaged up to the bound", attempts - 1, idcarddiag.ExitOK, attempts, nil},
		{"damaged every time", 0, idcarddiag.ExitDevice, attempts, []string{"checksum", "3 attempts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim := newSim(t, nil)
			sim.Place(idcardsim.Han)
			sim.SetFaultFor(idcardsim.FaultBadChecksum, tc.damaged)
			code, out, errs := run(t, "--port", sim.Path(), "--wait", "3s")
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			if n := sim.Stats().Reads; n != tc.reads {
				t.Errorf("reader sent %d read replies, want %d", n, tc.reads)
			}
			if tc.code == idcarddiag.ExitOK {
				if errs != "" || !strings.Contains(out, "王**") {
					t.Errorf("stdout %q, stderr %q", out, errs)
				}
				return
			}
			if strings.Count(errs, "\n") != 1 {
				t.Errorf("stderr %q: want one line", errs)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr %q does not say %q", errs, s)
				}
			}
		})
	}
}
