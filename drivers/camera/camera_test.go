package camera_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
	"github.com/henan-county/kiosk/drivers/camera/camerasim"
	"github.com/henan-county/kiosk/kiosk/devices"
)

func waitState(t *testing.T, reg *devices.Registry, want devices.State) devices.Status {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, _ := reg.Get(camera.Name)
		if st.State == want {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("camera %s (%s), want %s", st.State, st.LastError, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func startCamera(t *testing.T, sim *camerasim.Sim, want camera.Mode) (*camera.Camera, *devices.Registry) {
	t.Helper()
	reg := devices.NewRegistry(time.Now)
	c, err := camera.New(&camera.Opts{Open: sim.Open, Probe: sim.Probe, Want: want, Device: reg.Add(camera.Name, camera.Kind),
		ProbeInterval: 20 * time.Millisecond, RetryInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return c, reg
}

// TestStartCaptureStop: idle, the camera is only looked at; Start
// streams, Latest is the preview, Capture takes the next frames as
// copies; Stop ends the stream and wipes what it held.
func TestStartCaptureStop(t *testing.T) {
	sim, err := camerasim.New(&camerasim.Opts{Scene: "blink"})
	if err != nil {
		t.Fatal(err)
	}
	c, reg := startCamera(t, sim, camera.Mode{Width: 640, Height: 480, FPS: 30})
	st := waitState(t, reg, devices.Online)
	if st.Detail["stream"] != "idle" {
		t.Errorf("idle camera's detail %v", st.Detail)
	}
	if _, ok := c.Latest(); ok {
		t.Fatal("a frame before Start")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Capture(ctx, 1, 0); !errors.Is(err, camera.ErrNotStreaming) {
		t.Fatalf("Capture before Start: %v", err)
	}
	c.Start()
	frames, err := c.Capture(ctx, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 || frames[0].Seq >= frames[1].Seq || frames[1].Seq >= frames[2].Seq {
		t.Fatalf("frames %d, seqs not rising", len(frames))
	}
	for _, f := range frames {
		img, err := f.Decode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if code, ok := camerasim.Marker(img); !ok || camerasim.SceneOf(code) != "blink" {
			t.Errorf("frame %d: scene %q", f.Seq, camerasim.SceneOf(code))
		}
	}
	prev, ok := c.Latest()
	if !ok || prev.Format != camera.MJPEG || prev.Width != 640 {
		t.Fatalf("preview %v %v", ok, prev.Format)
	}
	// After the frame just seen: nothing, or a newer one.
	if f, fresh, err := c.LatestAfter(prev.Seq); err != nil || fresh && f.Seq <= prev.Seq || !fresh && f.Data != nil {
		t.Errorf("LatestAfter(%d): seq %d fresh %v %v", prev.Seq, f.Seq, fresh, err)
	}
	if f, fresh, err := c.LatestAfter(0); err != nil || !fresh || f.Seq < prev.Seq {
		t.Errorf("LatestAfter(0): seq %d fresh %v %v", f.Seq, fresh, err)
	}
	if m := c.Mode(); m.Format != camera.MJPEG || m.Width != 640 || m.Height != 480 || m.FPS != 30 {
		t.Errorf("mode %v", m)
	}
	if st, _ := reg.Get(camera.Name); st.Counters["frames"] < 3 || st.Detail["stream"] != "MJPG 640×480@30" {
		t.Errorf("status while streaming: %+v", st)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Latest(); ok {
		t.Error("a frame after Stop")
	}
	if _, _, err := c.LatestAfter(0); !errors.Is(err, camera.ErrNotStreaming) {
		t.Errorf("LatestAfter after Stop: %v", err)
	}
	if _, err := c.Capture(ctx, 1, 0); !errors.Is(err, camera.ErrNotStreaming) {
		t.Errorf("Capture after Stop: %v", err)
	}
	// The captured copies are the caller's, until it wipes them.
	if frames[0].Data == nil {
		t.Fatal("Stop wiped the caller's copies")
	}
	frames.Wipe()
	if frames[0].Data != nil {
		t.Fatal("Wipe left the data")
	}
	if waitState(t, reg, devices.Online).Detail["stream"] != "idle" {
		t.Error("not idle after Stop")
	}
}

// TestCaptureSpacing: frames taken at least every apart.
func TestCaptureSpacing(t *testing.T) {
	sim, _ := camerasim.New(nil)
	c, _ := startCamera(t, sim, camera.Mode{Format: camera.YUYV, Width: 320, Height: 240, FPS: 50})
	c.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	frames, err := c.Capture(ctx, 3, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer frames.Wipe()
	for i := 1; i < len(frames); i++ {
		if d := frames[i].Time.Sub(frames[i-1].Time); d < 100*time.Millisecond {
			t.Errorf("frames %d and %d %v apart", i-1, i, d)
		}
	}
	if frames[0].Format != camera.YUYV || len(frames[0].Data) != 320*240*2 {
		t.Errorf("frame %v %d bytes", frames[0].Format, len(frames[0].Data))
	}
	_ = c.Stop(ctx)
}

// TestUnplug: a camera that vanishes is offline, a capture in progress
// fails with the reason, and the camera comes back by itself.
func TestUnplug(t *testing.T) {
	sim, _ := camerasim.New(nil)
	c, reg := startCamera(t, sim, camera.Mode{FPS: 30})
	waitState(t, reg, devices.Online)
	sim.Unplug(true)
	waitState(t, reg, devices.Offline)
	c.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Capture(ctx, 2, 0); !errors.Is(err, camera.ErrNotStreaming) || !errors.Is(err, camera.ErrGone) {
		t.Fatalf("capture with the camera gone: %v", err)
	}
	sim.Unplug(false)
	frames, err := c.Capture(ctx, 2, 0)
	if err != nil {
		t.Fatalf("after replug: %v", err)
	}
	frames.Wipe()
	if st, _ := reg.Get(camera.Name); st.State != devices.Online || st.Counters["reconnects"] < 1 {
		t.Errorf("after replug: %+v", st)
	}
	// Unplugged mid-stream.
	sim.Unplug(true)
	waitState(t, reg, devices.Offline)
	_ = c.Stop(ctx)
}

// TestFPS: the simulated camera at 640×480 keeps its rate.
func TestFPS(t *testing.T) {
	sim, _ := camerasim.New(nil)
	c, _ := startCamera(t, sim, camera.Mode{Width: 640, Height: 480, FPS: 25})
	c.Start()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	frames, err := c.Capture(ctx, 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	frames.Wipe()
	if fps := c.FPS(); fps < 20 || fps > 27 {
		t.Errorf("%.1f fps, asked for 25", fps)
	}
	_ = c.Stop(ctx)
}
