package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/internal/daemon"
	"github.com/henan-county/kiosk/kiosk/admin"
)

// TestTechnicianModeEndToEnd opens technician mode the way a technician
// does, with a real 5-second press in the top-left corner of the attract
// screen, types the simulator's PIN on the pad, opens a diagnostic screen
// and leaves; the resident's attract screen comes back.
func TestTechnicianModeEndToEnd(t *testing.T) {
	if g, err := exec.Command("xdotool", "getdisplaygeometry").Output(); err == nil {
		var w, h int
		if _, err := fmt.Sscan(string(g), &w, &h); err == nil && h < 1920 {
			t.Fatalf("the display is %d×%d: the PIN pad is below it; run under xvfb-run -s \"-screen 0 1920x1920x24\" (make test-ui)", w, h)
		}
	}
	k := startKiosk(t)
	out, err := exec.Command("xdotool", "mousemove", "30", "30", "sleep", "0.03",
		"mousedown", "1", "sleep", "5.4", "mouseup", "1").CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool: %v %s", err, out)
	}
	k.waitScreen("tech:pin", 5*time.Second)
	// A hand leaving the corner takes a moment before it types: the
	// screen must see the release before the next press.
	time.Sleep(300 * time.Millisecond)
	for _, d := range daemon.SimTechnicianPIN {
		k.tap("tech-pad:" + string(d))
	}
	k.tap("tech-pad:enter")
	k.waitScreen("tech:menu", 10*time.Second)
	// The resident's session waits on its maintenance screen; the
	// operator's maintenance flag is not touched.
	var st admin.Status
	if err := k.admin.Do(context.Background(), "GET", "/v1/status", nil, nil, &st); err != nil {
		t.Fatal(err)
	}
	if st.Maintenance {
		t.Fatal("technician mode set the daemon's maintenance flag")
	}
	k.tap("tech:devices")
	k.waitScreen("tech:devices", 5*time.Second)
	k.tap("tech-exit")
	k.waitScreen("attract", 5*time.Second)
	if !strings.Contains(k.log.String(), "technician mode closed") {
		t.Fatal("the close is not logged")
	}
}
