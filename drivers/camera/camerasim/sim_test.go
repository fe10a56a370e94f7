package camerasim

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
)

// TestScenesCarryTheirMarker: every frame of every scene, streamed in
// either format and at more than one size, decodes through the kiosk's
// decoders and still carries its scene's marker.
func TestScenesCarryTheirMarker(t *testing.T) {
	s, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Scenes()); got != 8 {
		t.Fatalf("%d scenes: %v", got, s.Scenes())
	}
	for _, m := range []camera.Mode{{Format: camera.MJPEG, Width: 640, Height: 480}, {Format: camera.YUYV, Width: 640, Height: 480}, {Format: camera.YUYV, Width: 320, Height: 240}} {
		for _, scene := range s.Scenes() {
			frames, err := s.frames(scene, m)
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range frames {
				f := camera.Frame{Format: m.Format, Width: m.Width, Height: m.Height, Data: b}
				if m.Format == camera.MJPEG && bytes.Contains(b[:200], []byte{0xff, 0xc4}) {
					t.Errorf("%s-%d: MJPEG frame has Huffman tables; the simulated camera leaves them out", scene, i)
				}
				img, err := f.Decode(nil)
				if err != nil {
					t.Fatalf("%v %s-%d: %v", m, scene, i, err)
				}
				code, ok := Marker(img)
				if !ok || SceneOf(code) != scene {
					t.Errorf("%v %s-%d: marker %d %v (%q)", m, scene, i, code, ok, SceneOf(code))
				}
			}
		}
	}
}

func TestMarkerAbsent(t *testing.T) {
	s, _ := New(nil)
	img, _ := png.Decode(bytes.NewReader(mustRead(t, "scenes/blink-0.png")))
	if _, ok := Marker(img); !ok {
		t.Fatal("no marker on a scene frame")
	}
	f, _ := s.frames("blink", camera.Mode{Format: camera.YUYV, Width: 640, Height: 480})
	plain := bytes.Clone(f[0])
	for i := range 640 * 20 * 2 { // paint over the corner
		plain[i] = 128
	}
	dec, err := camera.YUYVToRGBA(nil, plain, 640, 480)
	if err != nil {
		t.Fatal(err)
	}
	if code, ok := Marker(dec); ok {
		t.Fatalf("marker %d read from a frame without one", code)
	}
}

func mustRead(t *testing.T, name string) []byte {
	b, err := sceneFiles.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStream: the stream is paced at its rate, follows the scene, and an
// unplugged camera is gone.
func TestStream(t *testing.T) {
	s, err := New(&Opts{Scene: "turn"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetScene("nobody"); !errors.Is(err, ErrUnknownScene) {
		t.Fatalf("unknown scene: %v", err)
	}
	src, err := s.Open(context.Background(), camera.Mode{FPS: 50})
	if err != nil {
		t.Fatal(err)
	}
	if m := src.Mode(); m != (camera.Mode{Format: camera.MJPEG, Width: 640, Height: 480, FPS: 50}) {
		t.Fatalf("mode %v", m)
	}
	start := time.Now()
	var buf []byte
	for i := range 11 {
		f, err := src.Next(context.Background(), buf)
		if err != nil {
			t.Fatal(err)
		}
		if f.Seq != uint64(i+1) {
			t.Fatalf("frame %d has seq %d", i, f.Seq)
		}
		buf = f.Data
	}
	if el := time.Since(start); el < 190*time.Millisecond {
		t.Errorf("11 frames at 50 fps in %v: not paced", el)
	}
	s.Unplug(true)
	if _, err := src.Next(context.Background(), buf); !errors.Is(err, camera.ErrGone) {
		t.Fatalf("unplugged: %v", err)
	}
	if _, err := s.Open(context.Background(), camera.Mode{}); !errors.Is(err, camera.ErrGone) {
		t.Fatalf("open unplugged: %v", err)
	}
	if _, err := s.Open(context.Background(), camera.Mode{Format: camera.PixFmt(0x34363248)}); err == nil {
		t.Fatal("H264 accepted")
	}
}
