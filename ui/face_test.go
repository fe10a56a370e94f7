package ui

import (
	"context"
	"errors"
	"image"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

// testCamera is the host's camera port streaming 640×480 frames at 15 fps
// (ui/ may not use drivers/: the real driver over the simulated camera
// runs in cmd/kioskd's face test). Each frame is a pattern with no zero
// byte; it keeps every image it drew into, for checking they are wiped.
type testCamera struct {
	mu     sync.Mutex
	seq    uint64
	fresh  chan struct{}
	stop   chan struct{}
	images []*image.RGBA
}

func newTestCamera(t *testing.T) *testCamera {
	c := &testCamera{fresh: make(chan struct{})}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	return c
}

func (c *testCamera) Start(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop != nil {
		return nil
	}
	stop := make(chan struct{})
	c.stop, c.seq = stop, 1
	go func() {
		tk := time.NewTicker(time.Second / 15)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				c.mu.Lock()
				c.seq++
				close(c.fresh)
				c.fresh = make(chan struct{})
				c.mu.Unlock()
			}
		}
	}()
	return nil
}

func (c *testCamera) Stop(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop != nil {
		close(c.stop)
		c.stop = nil
	}
	return nil
}

func (c *testCamera) Preview(dst *image.RGBA, after uint64) (*image.RGBA, uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop == nil {
		return nil, 0, errors.New("camera: not streaming")
	}
	if dst == nil {
		after = 0
		dst = image.NewRGBA(image.Rect(0, 0, 640, 480))
	}
	if c.seq == after {
		return dst, after, nil
	}
	for i := range dst.Pix {
		dst.Pix[i] = byte(c.seq+uint64(i))%255 + 1
	}
	if !slices.Contains(c.images, dst) {
		c.images = append(c.images, dst)
	}
	return dst, c.seq, nil
}

func (c *testCamera) Fresh() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fresh
}

func (c *testCamera) CheckFace(context.Context, string, string, string) (host.FaceVerdict, error) {
	return host.FaceVerdict{Result: "passed", Message: "人脸核验通过", VerificationID: "FV00000001"}, nil
}

// TestCameraPictureOneFramePerFrame takes the face screen to the picture
// with a 15 fps camera and runs the loop as Ebitengine does: each
// camera frame is drawn exactly once and nothing is drawn between
// frames (on a software renderer every drawn frame is presented at the
// cost of a whole screen); once input stops, the camera paces the loop;
// when the step ends, no decoded frame is left.
func TestCameraPictureOneFramePerFrame(t *testing.T) {
	cam := newTestCamera(t)
	c := scenes.Catalog()
	c.Services = append(c.Services, scenes.FaceService())
	a, _ := newRigApp(t, func(ho *host.Opts, _ *Opts) {
		ho.Ports.Camera = cam
		ho.Session.Catalog = func() *catalog.Catalog { return c }
		ho.Session.Faces = true
	})
	screen := nil2(a)
	for _, ev := range []session.Event{session.Start{}, session.ChooseService{ID: "sb-cx-rz"}, session.Start{},
		session.CardPresent{Card: scenes.Card()}, session.ConfirmIdentity{}} {
		a.Post(ev)
	}
	waitFor(t, a, "the picture", func() bool { return a.view.Face != nil && a.view.Face.Preview })

	frame := func() {
		a.Update()
		a.Draw(screen)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.Stats().CameraFrames == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no camera frame on the screen")
		}
		frame()
		time.Sleep(5 * time.Millisecond)
	}
	st0 := a.Stats()
	for a.Stats().CameraFrames-st0.CameraFrames < 8 {
		if time.Now().After(deadline) {
			t.Fatalf("camera frames shown: %d in 10 s", a.Stats().CameraFrames-st0.CameraFrames)
		}
		frame()
		time.Sleep(5 * time.Millisecond) // several loop frames per camera frame
	}
	st := a.Stats()
	shown, drawn := st.CameraFrames-st0.CameraFrames, st.Frames-st0.Frames
	if drawn != shown {
		t.Errorf("%d camera frames shown in %d drawn frames, want one drawn frame each", shown, drawn)
	}
	if st.Updates-st0.Updates <= drawn {
		t.Errorf("%d updates for %d frames drawn: the test did not run the loop between camera frames", st.Updates-st0.Updates, drawn)
	}
	a.lastTouch = time.Now().Add(-time.Second)
	frame()
	if !a.Stats().Paced {
		t.Error("the loop is not paced by the camera once input stopped")
	}

	a.Post(session.Back{})
	waitFor(t, a, "the picture gone", func() bool { return a.view.Face == nil || !a.view.Face.Preview })
	frame()
	if a.Stats().Paced {
		t.Error("still paced without a picture")
	}
	if a.camFeed != nil || a.painter.camera != nil {
		t.Error("the camera's feed or texture outlived the picture")
	}
	cam.mu.Lock()
	defer cam.mu.Unlock()
	if len(cam.images) == 0 {
		t.Fatal("no frame was decoded")
	}
	for i, img := range cam.images {
		for _, b := range img.Pix {
			if b != 0 {
				t.Fatalf("decoded frame %d of %d still holds a picture after the step", i+1, len(cam.images))
			}
		}
	}
}

// TestCameraFrameRepaint: a new camera frame repaints exactly the
// picture's pixels, and the result is what a whole new drawing gives.
func TestCameraFrameRepaint(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	var aim session.View
	for _, sc := range scenes.Faces(false) {
		if sc.Name == "face_aim" {
			aim = sc.View
		}
	}
	scr := layout.Build(&aim, layout.Portrait, r.fonts, nil)
	var pic image.Rectangle
	for _, w := range scr.Widgets {
		if w.Kind == layout.Camera {
			pic = pixelRect(w.Rect)
		}
	}
	if pic.Empty() {
		t.Fatal("face_aim has no camera widget")
	}
	w, h := int(layout.Portrait.W), int(layout.Portrait.H)
	screen := nil2(&App{size: layout.Portrait})
	frameA, frameB := image.NewRGBA(image.Rect(0, 0, 640, 480)), image.NewRGBA(image.Rect(0, 0, 640, 480))
	for i := range frameA.Pix {
		frameA.Pix[i], frameB.Pix[i] = byte(i), byte(255-i%256)
	}
	r.SetCameraPicture(frameA)
	r.painter.draw(screen, scr, 0, 0)
	if d := r.painter.damage(screen, scr, 0, 0); len(d) != 0 {
		t.Errorf("nothing changed, damage %v", d)
	}
	r.SetCameraPicture(frameB)
	if d := r.painter.damage(screen, scr, 0, 0); len(d) != 1 || d[0] != pic {
		t.Errorf("a new frame: damage %v, want the picture's %v only", d, pic)
	}
	r.painter.drawn = nil
	r.SetCameraPicture(frameA)
	r.painter.draw(screen, scr, 0, 0)
	r.SetCameraPicture(frameB)
	r.painter.draw(screen, scr, 0, 0) // the picture only
	got := make([]byte, 4*w*h)
	screen.ReadPixels(got)
	r.painter.drawn = nil
	fresh := nil2(&App{size: layout.Portrait})
	r.painter.draw(fresh, scr, 0, 0)
	want := make([]byte, 4*w*h)
	fresh.ReadPixels(want)
	if !slices.Equal(got, want) {
		t.Error("repainting the picture differs from drawing the screen anew")
	}
	r.SetCameraPicture(nil)
}
