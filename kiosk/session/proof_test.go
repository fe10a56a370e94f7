package session

import (
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// TestProofNeverQueued: a print matter's proof is issued by the
// department's system at the time, so without the backend the matter is
// unavailable before the resident starts, even when the catalog says it
// may be queued, and says when it can be printed.
func TestProofNeverQueued(t *testing.T) {
	for _, tc := range []struct {
		name      string
		backend   devices.State
		available bool
	}{
		{"backend online", devices.Online, true},
		{"backend offline", devices.Offline, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			for i := range h.cat.Services {
				if h.cat.Services[i].ID == "ss-record" {
					h.cat.Services[i].Kind = catalog.KindPrint
					h.cat.Services[i].Offline = catalog.OfflineQueue // the catalog allows queueing
				}
			}
			h.devs[devices.KindBackend] = tc.backend
			h.do(Start{}, ChooseCategory{ID: "social"})
			var found bool
			for _, it := range h.m.View().Services {
				if it.ID != "ss-record" {
					continue
				}
				found = true
				if it.Available != tc.available {
					t.Fatalf("available = %v, want %v (%s)", it.Available, tc.available, it.Reason)
				}
				if !tc.available && (!strings.Contains(it.Reason, "无法打印") || !strings.Contains(it.Reason, "稍后再来")) {
					t.Fatalf("reason %q does not say the proof cannot be printed now and to come back", it.Reason)
				}
			}
			if !found {
				t.Fatal("ss-record not listed")
			}
		})
	}
}
