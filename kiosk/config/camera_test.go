package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestCameraSettings(t *testing.T) {
	d := Default()
	if d.Camera != (Camera{Device: "/dev/video0", Width: 640, Height: 480, FPS: 15}) {
		t.Fatalf("default camera %+v: off, /dev/video0, 640×480 at 15 fps", d.Camera)
	}
	b, err := os.ReadFile("../../systemd/kioskd.toml")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := Parse(b); err != nil || c.Camera != d.Camera {
		t.Fatalf("sample config's [camera] %+v (err %v), want the defaults %+v", c.Camera, err, d.Camera)
	}
	c, err := Parse([]byte("[camera]\nenabled = true\ndevice = \"/dev/v4l/by-id/usb-cam-video-index0\"\nwidth = 1280\nheight = 720\nfps = 30\nformat = \"yuyv\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Camera{Enabled: true, Device: "/dev/v4l/by-id/usb-cam-video-index0", Width: 1280, Height: 720, FPS: 30, Format: "yuyv"}); c.Camera != want {
		t.Errorf("%+v, want %+v", c.Camera, want)
	}
	for _, tc := range []struct{ toml, key string }{
		{"[camera]\nenabled = true\ndevice = \"video0\"\n", "camera.device"},
		{"[camera]\nwidth = 4096\n", "camera.width/height"},
		{"[camera]\nwidth = 641\n", "camera.width/height"},
		{"[camera]\nheight = 64\n", "camera.width/height"},
		{"[camera]\nfps = 0\n", "camera.fps"},
		{"[camera]\nfps = 120\n", "camera.fps"},
		{"[camera]\nformat = \"h264\"\n", "camera.format"},
		{"[camera]\nresolution = \"640x480\"\n", "camera.resolution"},
	} {
		_, err := Parse([]byte(tc.toml))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%q: %v, want an error naming %s", tc.toml, err, tc.key)
		}
	}
}
