package cameradiag

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var o, e bytes.Buffer
	code := Run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		status string
		stderr string
	}{
		{[]string{"--sim", "blink", "--fps", "30", "--frames", "10"}, ExitOK, "ok", ""},
		{[]string{"--sim", "dark", "--frames", "3", "--fps", "30"}, ExitDark, "too_dark", "too dark"},
		{[]string{"--sim", "turn", "--fps", "1", "--frames", "5", "--wait", "300ms"}, ExitNoFrames, "no_frames", "1 of 5 frames within 300ms"},
		{[]string{"--device", "/dev/video-no-such-camera"}, ExitDevice, "no_camera", "not there"},
		{[]string{"--device", "/dev/null"}, ExitDevice, "device_error", "not a streaming video capture device"},
	} {
		code, out, errs := run(append(tc.args, "--json")...)
		var r Result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%q: %v\n%s", tc.args, err, out)
		}
		if code != tc.code || r.Status != tc.status || !strings.Contains(errs, tc.stderr) || (tc.stderr == "" && errs != "") {
			t.Errorf("%q: exit %d status %s stderr %q, want %d %s %q", tc.args, code, r.Status, errs, tc.code, tc.status, tc.stderr)
		}
		if tc.code == ExitOK && (r.FPS < 20 || r.FPS > 32 || len(r.Formats) != 2 || r.Mode != "MJPG 640×480@30" || r.Brightness < 100 || r.Snapshot != "") {
			t.Errorf("%q: %+v", tc.args, r)
		}
	}
}

func TestTextAndSnapshot(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "cam.jpg")
	code, out, errs := run("--sim", "blink", "--fps", "30", "--frames", "4", "--format", "yuyv", "--snapshot", snap)
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	for _, want := range []string{"帧率 / frame rate:", "YUYV 640×480@30", "saved " + snap, "may show a person", "结论 / verdict:      ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	fi, err := os.Stat(snap)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot %v %v", fi, err)
	}
	b, _ := os.ReadFile(snap)
	if img, err := jpeg.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() != 640 {
		t.Fatalf("snapshot is no 640-wide JPEG: %v", err)
	}
	// Never over an existing file.
	if code, _, errs := run("--sim", "blink", "--fps", "30", "--frames", "2", "--snapshot", snap); code != ExitDevice || !strings.Contains(errs, "exists") {
		t.Errorf("over an existing file: exit %d %s", code, errs)
	}
	code, out, _ = run("--sim", "blink", "--fps", "30", "--frames", "2")
	if code != ExitOK || !strings.Contains(out, "none kept (--snapshot FILE saves one frame)") {
		t.Errorf("without --snapshot: %d\n%s", code, out)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"--format", "h264"}, {"--width", "100"}, {"--fps", "0"}, {"--frames", "1"}, {"--device", "video0"}, {"--sim", "nobody"}, {"extra"}, {"--bogus"}} {
		code, out, errs := run(args...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, "usage: kioskctl diag camera") {
			t.Errorf("%q: exit %d stdout %q stderr %q", args, code, out, errs)
		}
	}
	if code, out, errs := run("-h"); code != ExitOK || errs != "" || !strings.HasPrefix(out, "usage: kioskctl diag camera") {
		t.Errorf("-h: %d %q %q", code, out, errs)
	}
}
