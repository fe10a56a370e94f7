// Package cameradiag is the technician's camera check, run as
//
//	kioskctl diag camera [--device /dev/videoN] [--snapshot FILE] [--json]
//
// It opens the camera directly (kioskd must not be streaming from it: a
// V4L2 camera streams to one process at a time), lists the formats and
// frame sizes it offers, streams at the asked mode (default MJPEG, else
// YUYV, 640×480 at 15 fps), times --frames frames and reports frames per
// second, the cost of decoding one and how bright the picture is. No
// picture is kept unless --snapshot FILE is given, and the command says
// so either way: a frame shows whoever stands in front of the kiosk.
//
// Verdicts and exit status, those of kioskctl diag idcard and diag
// scanner: 0 ok; 1 too dark (mean brightness under camera.TooDark: a
// covered lens, no light); 2 a device error (no camera at --device, not a
// video capture device, no format the kiosk decodes); 3 no frames within
// --wait; 64 a usage error (the usage follows the reason). Each failure
// ends with a one-line reason on stderr. -h prints the usage to stdout.
//
// --sim SCENE runs the same check against the simulated camera
// (drivers/camera/camerasim): for development, and to measure the
// simulated camera's frame rate.
package cameradiag

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
	"github.com/henan-county/kiosk/drivers/camera/camerasim"
	"github.com/henan-county/kiosk/drivers/diagflag"
)

// Exit statuses.
const (
	ExitOK       = diagflag.ExitOK
	ExitDark     = 1
	ExitDevice   = 2
	ExitNoFrames = 3
	ExitUsage    = diagflag.ExitUsage
)

// Result is the --json output.
type Result struct {
	Status     string   `json:"status"` // ok, too_dark, no_camera, device_error, no_frames
	Reason     string   `json:"reason,omitempty"`
	Device     string   `json:"device"`
	Driver     string   `json:"driver,omitempty"`
	Card       string   `json:"card,omitempty"`
	Bus        string   `json:"bus,omitempty"`
	Formats    []Format `json:"formats,omitempty"`
	Mode       string   `json:"mode,omitempty"` // e.g. "MJPG 640×480@15"
	Frames     int      `json:"frames,omitempty"`
	FPS        float64  `json:"fps,omitempty"`
	DecodeMS   float64  `json:"decode_ms,omitempty"`  // one frame decoded to RGBA, the mean of 5 after a first
	Brightness float64  `json:"brightness,omitempty"` // 0-255
	Snapshot   string   `json:"snapshot,omitempty"`   // the file written, only with --snapshot
}

// Format is one pixel format the camera offers.
type Format struct {
	Format      string   `json:"format"`
	Description string   `json:"description,omitempty"`
	Sizes       []string `json:"sizes,omitempty"`
}

// Run runs the command; args are what follows "kioskctl diag camera".
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kioskctl diag camera", flag.ContinueOnError)
	fs.SetOutput(stderr)
	device := fs.String("device", "/dev/video0", "the camera's V4L2 device, e.g. /dev/video0 or a /dev/v4l/by-id/ link")
	snapshot := fs.String("snapshot", "", "save one frame as JPEG to FILE (it shows whoever is in front of the camera; delete it when done)")
	asJSON := fs.Bool("json", false, "print JSON")
	width := fs.Int("width", 640, "frame width asked of the camera")
	height := fs.Int("height", 480, "frame height asked of the camera")
	fps := fs.Int("fps", 15, "frame rate asked of the camera")
	format := fs.String("format", "", "mjpeg or yuyv (default: MJPEG if offered, else YUYV)")
	frames := fs.Int("frames", 30, "frames to time")
	wait := fs.Duration("wait", 10*time.Second, "how long to wait for the frames")
	sim := fs.String("sim", "", "check the simulated camera showing SCENE instead (blink, turn, far, backlit, noface, photo, stranger, dark)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kioskctl diag camera [--device /dev/videoN] [--snapshot FILE] [--json] [--width 640 --height 480 --fps 15] [--format mjpeg|yuyv] [--frames 30] [--wait 10s] [--sim SCENE]")
		fs.PrintDefaults()
	}
	usageError := func(f string, a ...any) int { return diagflag.UsageError(fs, stderr, f, a...) }
	if code, done := diagflag.Parse(fs, args, stdout, stderr); done {
		return code
	}
	pf, err := camera.ParsePixFmt(*format)
	switch {
	case err != nil:
		return usageError("--format %s: want mjpeg or yuyv", *format)
	case *width < 160 || *height < 120 || *width > camera.MaxWidth || *height > camera.MaxHeight || *width%2 != 0:
		return usageError("--width %d --height %d: want 160×120 to %d×%d, the width even", *width, *height, camera.MaxWidth, camera.MaxHeight)
	case *fps < 1 || *fps > 60:
		return usageError("--fps %d: want 1 to 60", *fps)
	case *frames < 2 || *frames > 600:
		return usageError("--frames %d: want 2 to 600", *frames)
	case *wait <= 0:
		return usageError("--wait %v: want a positive duration", *wait)
	case *sim == "" && !strings.HasPrefix(*device, "/dev/"):
		return usageError("--device %s: want a video device under /dev", *device)
	}
	want := camera.Mode{Format: pf, Width: *width, Height: *height, FPS: *fps}

	res := Result{Device: *device}
	out := func(f string, a ...any) {
		if !*asJSON {
			fmt.Fprintf(stdout, f, a...)
		}
	}
	finish := func(code int, status, reason string) int {
		res.Status, res.Reason = status, reason
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			_ = enc.Encode(res)
		} else {
			out("结论 / verdict:      %s\n", status)
		}
		if reason != "" {
			fmt.Fprintln(stderr, reason)
		}
		return code
	}
	deviceErr := func(err error) int {
		if errors.Is(err, camera.ErrGone) {
			out("处理建议 / remedy:   检查摄像头的 USB 连接线和 [camera] device 配置 / check the camera's USB cable and [camera] device\n")
			return finish(ExitDevice, "no_camera", oneLine(err))
		}
		return finish(ExitDevice, "device_error", oneLine(err))
	}

	var info camera.Info
	var open func() (camera.Source, error)
	if *sim != "" {
		s, err := camerasim.New(&camerasim.Opts{Scene: *sim})
		if err != nil {
			return usageError("--sim %s: %v", *sim, err)
		}
		res.Device, info = "sim:"+*sim, s.Info()
		open = func() (camera.Source, error) { return s.Open(ctx, want) }
	} else {
		info, err = camera.Query(*device)
		if err != nil {
			return deviceErr(err)
		}
		open = func() (camera.Source, error) { return camera.Open(*device, want) }
	}
	res.Driver, res.Card, res.Bus = info.Driver, info.Card, info.BusInfo
	out("摄像头 / camera:     %s (%s, %s, %s)\n", res.Device, info.Driver, info.Card, info.BusInfo)
	for _, f := range info.Formats {
		rf := Format{Format: f.Format.String(), Description: f.Description}
		for _, s := range f.Sizes {
			rf.Sizes = append(rf.Sizes, fmt.Sprintf("%dx%d", s[0], s[1]))
		}
		res.Formats = append(res.Formats, rf)
		out("格式 / format:       %s %s %s\n", rf.Format, f.Description, strings.Join(rf.Sizes, " "))
	}
	src, err := open()
	if err != nil {
		return deviceErr(err)
	}
	defer src.Close()
	res.Mode = src.Mode().String()
	out("取流 / stream:       %s\n", res.Mode)

	wctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	var buf []byte
	var first, last camera.Frame
	n := 0
	for n < *frames {
		f, err := src.Next(wctx, buf)
		if err != nil {
			if wctx.Err() != nil || errors.Is(err, camera.ErrNoFrames) {
				res.Frames = n
				return finish(ExitNoFrames, "no_frames", fmt.Sprintf("camera: %d of %d frames within %v", n, *frames, *wait))
			}
			return deviceErr(err)
		}
		n++
		if n == 1 {
			first = f.Clone()
		}
		last, buf = f, f.Data
	}
	defer clear(buf)
	defer first.Wipe()
	res.Frames = n
	if d := last.Time.Sub(first.Time).Seconds(); d > 0 {
		res.FPS = round(float64(n-1)/d, 1)
	}
	out("帧率 / frame rate:   %.1f fps (%d frames)\n", res.FPS, n)
	img, err := last.Decode(nil) // the first decode also warms the decoder up
	if err != nil {
		return finish(ExitDevice, "device_error", oneLine(err))
	}
	defer clear(img.Pix)
	const timed = 5
	start := time.Now()
	for range timed {
		if _, err := last.Decode(img); err != nil {
			return finish(ExitDevice, "device_error", oneLine(err))
		}
	}
	res.DecodeMS = round(float64(time.Since(start).Microseconds())/1000/timed, 2)
	res.Brightness = round(camera.Brightness(img), 0)
	out("解码 / decode:       %.2f ms a frame\n", res.DecodeMS)
	out("亮度 / brightness:   %.0f of 255\n", res.Brightness)
	if *snapshot != "" {
		j, err := last.JPEG(90)
		if err == nil {
			err = writeNew(*snapshot, j)
			clear(j)
		}
		if err != nil {
			return finish(ExitDevice, "device_error", "snapshot: "+oneLine(err))
		}
		res.Snapshot = *snapshot
		out("快照 / snapshot:     saved %s (it may show a person: delete it when done)\n", *snapshot)
	} else {
		out("快照 / snapshot:     none kept (--snapshot FILE saves one frame)\n")
	}
	if res.Brightness < camera.TooDark {
		out("处理建议 / remedy:   检查镜头是否被遮挡、补光灯是否工作 / check the lens is not covered and the fill light works\n")
		return finish(ExitDark, "too_dark", fmt.Sprintf("camera: too dark (brightness %.0f of 255, under %d)", res.Brightness, camera.TooDark))
	}
	return finish(ExitOK, "ok", "")
}

// writeNew writes a snapshot readable by its owner only, never over an
// existing file.
func writeNew(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func round(v float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
