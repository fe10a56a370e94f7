package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/drivers/camera/cameradiag"
	"github.com/henan-county/kiosk/kiosk/admin"
)

// kioskctl diag camera: the simulated camera's check through kioskctl,
// JSON or text; a device that is no camera is a device error.
func TestDiagCamera(t *testing.T) {
	noDaemon(t)
	code, out, errs := kioskctl(t, "--json", "diag", "camera", "--sim", "blink", "--frames", "5", "--fps", "30")
	var r cameradiag.Result
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil || r.Status != "ok" || r.Frames != 5 || r.Snapshot != "" {
		t.Fatalf("diag camera --sim blink: exit %d %s %s", code, out, errs)
	}
	code, out, _ = kioskctl(t, "diag", "camera", "--sim", "blink", "--frames", "3", "--fps", "30")
	if code != exitOK || !strings.Contains(out, "none kept (--snapshot FILE saves one frame)") {
		t.Fatalf("text: exit %d\n%s", code, out)
	}
	if code, _, errs := kioskctl(t, "diag", "camera", "--device", "/dev/null"); code != 2 || !strings.Contains(errs, "not a streaming video capture device") {
		t.Errorf("/dev/null: exit %d %s", code, errs)
	}
	if code, _, errs := kioskctl(t, "diag", "camera", "--sim", "dark", "--frames", "2", "--fps", "30"); code != exitFailed || !strings.Contains(errs, "too dark") {
		t.Errorf("dark: exit %d %s", code, errs)
	}
	for _, args := range [][]string{{"diag", "camera", "--format", "h264"}, {"sim", "camera"}, {"sim", "camera", "a", "b"}} {
		if code, out, errs := kioskctl(t, args...); code != exitUsage || out != "" || !strings.Contains(errs, "usage: kioskctl") {
			t.Errorf("kioskctl %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"diag", "camera", "-h"}, {"help", "diag", "camera"}} {
		if code, out, errs := kioskctl(t, args...); code != exitOK || errs != "" || !strings.HasPrefix(out, "usage: kioskctl diag camera") {
			t.Errorf("kioskctl %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// kioskctl sim camera SCENE reaches the simulated camera through the
// admin API; scenes lists them with the current one marked.
func TestSimCamera(t *testing.T) {
	_, sock := startSimKiosk(t)
	t.Setenv(socketEnv, sock)
	if code, out, errs := kioskctl(t, "sim", "camera", "stranger"); code != exitOK || strings.TrimSpace(out) != "camera sees: stranger" {
		t.Fatalf("sim camera stranger: exit %d %q %q", code, out, errs)
	}
	code, out, _ := kioskctl(t, "sim", "camera", "scenes")
	if code != exitOK || !strings.Contains(out, "* stranger\n") || !strings.Contains(out, "  blink\n") {
		t.Errorf("scenes:\n%s", out)
	}
	var st admin.SimCameraState
	code, out, _ = kioskctl(t, "--json", "sim", "camera", "photo")
	if code != exitOK || json.Unmarshal([]byte(out), &st) != nil || st.Scene != "photo" || len(st.Scenes) != 8 {
		t.Errorf("--json: exit %d %s", code, out)
	}
	if code, _, errs := kioskctl(t, "sim", "camera", "nobody"); code != exitFailed || !strings.Contains(errs, "no such scene") {
		t.Errorf("unknown scene: exit %d %s", code, errs)
	}
}
