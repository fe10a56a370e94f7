package daemon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
)

const faceIDNumber = "410122199003071234"

// TestFaceStep: in simulator mode the face step runs end to end the way
// the journey will drive it: the scene set through the admin API, the
// fill light on while the camera streams, a preview, frames captured and
// verified by countysim over mutual TLS, each scene with its verdict;
// the frames wiped after Verify, the stream's own after Stop; nothing of
// the faces or the ID number in the log, the events or the metrics.
func TestFaceStep(t *testing.T) {
	d, ctx, logs := startSim(t)
	waitDevices(t, d, camera.Name)
	if d.bank == nil || d.Camera().light == nil {
		t.Fatal("the simulated cabinet has no fill light")
	}
	cam := d.Camera()
	if cam == nil {
		t.Fatal("no camera in simulator mode")
	}
	cl := admin.NewClient(d.cfg.Admin.Socket)
	card := &identity.Card{Type: identity.ResidentID, Name: "张三", IDNumber: faceIDNumber}
	light := func() bool {
		on, _ := d.bank.Read(gpio.FillLight)
		return on
	}
	for i, tc := range []struct {
		scene string
		want  backend.FaceResult
	}{
		{"blink", backend.FacePassed},
		{"stranger", backend.FaceNotSamePerson},
		{"photo", backend.FaceNotAlive},
		{"backlit", backend.FacePoorQuality},
	} {
		var st admin.SimCameraState
		if err := cl.Do(ctx, "POST", "/v1/sim/camera", nil, admin.SimCameraRequest{Scene: tc.scene}, &st); err != nil || st.Scene != tc.scene {
			t.Fatalf("set scene %s: %+v %v", tc.scene, st, err)
		}
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := cam.Start(sctx); err != nil {
			t.Fatal(err)
		}
		if !light() {
			t.Error("fill light dark while the camera streams")
		}
		img, _, err := cam.Preview(nil, 0)
		if err != nil || img.Rect.Dx() != 640 || img.Rect.Dy() != 480 {
			t.Fatalf("preview: %v %v", img, err)
		}
		clear(img.Pix)
		frames, err := cam.Capture(sctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		kept := frames[0].Data
		v, err := cam.Verify(sctx, "test-session/"+string(rune('1'+i)), card, frames)
		if err != nil {
			t.Fatalf("%s: %v", tc.scene, err)
		}
		if v.Result != tc.want || v.Message == "" {
			t.Errorf("%s: %s %q, want %s", tc.scene, v.Result, v.Message, tc.want)
		}
		if frames[0].Data != nil || strings.Trim(string(kept), "\x00") != "" {
			t.Errorf("%s: frames not wiped after Verify", tc.scene)
		}
		if err := cam.Stop(sctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		if light() {
			t.Error("fill light lit after Stop")
		}
		if _, ok := cam.Frames(); ok {
			t.Error("a frame after Stop")
		}
	}
	if st := d.County().FaceStats(); st.Requests != 4 || st.ByResult["passed"] != 1 || st.ByResult["not_same_person"] != 1 || st.ByResult["not_alive"] != 1 || st.ByResult["poor_quality"] != 1 {
		t.Errorf("countysim saw %+v", st)
	}
	if err := cl.Do(ctx, "POST", "/v1/sim/camera", nil, admin.SimCameraRequest{Scene: "nobody"}, nil); err == nil || !strings.Contains(err.Error(), "no such scene") {
		t.Errorf("unknown scene: %v", err)
	}

	// The self-test: too dark, then fine.
	if err := d.sim.SetCameraScene("dark"); err != nil {
		t.Fatal(err)
	}
	checks, err := d.SelfTest(ctx, "camera")
	if err != nil || len(checks) != 1 || checks[0].Pass || !strings.Contains(checks[0].Detail, "too dark") || checks[0].Remedy == "" {
		t.Fatalf("dark self-test: %+v %v", checks, err)
	}
	_ = d.sim.SetCameraScene("blink")
	if checks, _ = d.SelfTest(ctx, "camera"); !checks[0].Pass || !strings.Contains(checks[0].Detail, "MJPG 640×480@15") {
		t.Fatalf("self-test: %+v", checks)
	}
	d.sim.camera.Unplug(true)
	if checks, _ = d.SelfTest(ctx, "camera"); checks[0].Pass || !strings.Contains(checks[0].Detail, "no camera") {
		t.Fatalf("unplugged self-test: %+v", checks)
	}
	d.sim.camera.Unplug(false)

	for _, e := range d.events.Recent(200) {
		for _, v := range append([]string{e.Text}, mapValues(e.Fields)...) {
			if strings.Contains(v, faceIDNumber) || strings.Contains(v, "/9j/") {
				t.Errorf("event carries personal data: %+v", e)
			}
		}
	}
	if l := logs.String(); strings.Contains(l, faceIDNumber) || strings.Contains(l, "/9j/") || !strings.Contains(l, "face verified") {
		t.Errorf("log has the ID number or a frame, or no verdict")
	}
	mctx, mcancel := context.WithTimeout(ctx, 5*time.Second)
	defer mcancel()
	addr, err := d.MetricsAddr(mctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), faceIDNumber) || strings.Contains(string(b), "1234\"") {
		t.Error("metrics carry the ID number")
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestCameraVerifyNeedsBackend: without a backend Verify says so and
// still wipes the frames.
func TestCameraVerifyNeedsBackend(t *testing.T) {
	c := &Camera{}
	frames := camera.Frames{{Format: camera.MJPEG, Data: []byte{0xff, 0xd8, 1}}}
	data := frames[0].Data
	if _, err := c.Verify(context.Background(), "a", &identity.Card{}, frames); !errors.Is(err, ErrNoBackend) {
		t.Fatalf("%v", err)
	}
	if frames[0].Data != nil || data[2] != 0 {
		t.Error("frames not wiped")
	}
}
