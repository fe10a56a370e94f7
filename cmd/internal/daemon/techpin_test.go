package daemon

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/techauth"
)

// TestSimTechnicianPIN: the simulator opens technician mode with its
// published PIN, refuses others, and keeps a configured hash.
func TestSimTechnicianPIN(t *testing.T) {
	d, _, logs := startSim(t)
	if err := d.Tech().Check(SimTechnicianPIN); err != nil {
		t.Fatalf("simulator PIN refused: %v", err)
	}
	if err := d.Tech().Check("135790"); !errors.Is(err, techauth.ErrWrongPIN) {
		t.Fatalf("wrong PIN: %v", err)
	}
	if !strings.Contains(logs.String(), "technician PIN") {
		t.Error("the simulator's PIN is not logged")
	}

	h, _ := bcrypt.GenerateFromPassword([]byte("975310"), bcrypt.MinCost)
	d2, _, _ := startSim(t, func(c *config.Config) { c.Technician.PINHash = string(h) })
	if err := d2.Tech().Check(SimTechnicianPIN); !errors.Is(err, techauth.ErrWrongPIN) {
		t.Fatalf("configured hash replaced: %v", err)
	}
	if err := d2.Tech().Check("975310"); err != nil {
		t.Fatal(err)
	}
}
