package daemon

import (
	"errors"
	"testing"

	"github.com/henan-county/kiosk/kiosk/admin"
)

// kioskctl sim idcard find-after-read switches how the simulated reader
// answers find for a card it has read; another word is a bad request.
func TestSimIDCardFindAfterRead(t *testing.T) {
	d, _, _ := startSim(t)
	for _, tc := range []struct {
		word   string
		refind bool
		bad    bool
	}{
		{"refinds", true, false},
		{"halts", false, false},
		{"sometimes", false, true},
	} {
		err := d.sim.SetIDCard(admin.SimIDCardRequest{FindAfterRead: tc.word})
		if tc.bad {
			if !errors.Is(err, admin.ErrBadRequest) {
				t.Errorf("%s: %v, want a bad request", tc.word, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.word, err)
		}
		if got := d.sim.id.Refind(); got != tc.refind {
			t.Errorf("%s: simulated reader refinds %v, want %v", tc.word, got, tc.refind)
		}
	}
}
