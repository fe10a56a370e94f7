package daemon

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/camera"
	"github.com/henan-county/kiosk/drivers/camera/camerasim"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// Camera is the face step's camera and the backend's verification, the
// adapter the resident's journey uses (docs/camera.md): Start when the
// step begins (the fill light goes on and the camera streams), Frames or
// Preview for the picture on the screen, Capture for the frames to send,
// Verify to send them once with the card's identity, Stop when the step
// ends (the light goes off, the stream's frames are wiped). Several users
// (the journey, a self-test) may hold it at once: the camera stops when
// the last one stops. Frames are a resident's face: they never reach a
// log, an event or a metric, and Verify wipes them.
type Camera struct {
	cam    *camera.Camera
	dev    *devices.Device
	light  func(on bool) error // the fill light; nil without one
	client *backend.Client     // nil without a backend
	log    *slog.Logger
	events *eventlog.Log
	// Every is how far apart Capture takes its frames (default 200 ms):
	// a live face moves between them.
	every time.Duration

	mu    sync.Mutex
	users int
}

// ErrNoBackend: Verify without a backend configured.
var ErrNoBackend = errors.New("camera: no backend to verify with")

// Camera returns the face camera, or nil when the kiosk has none.
func (d *Daemon) Camera() *Camera { return d.cam }

// openCamera builds the camera when [camera] has one; in simulator mode
// the simulated camera (buildSim). A kiosk without one runs on without
// the face step.
func (d *Daemon) openCamera() {
	dev := d.reg.Add(camera.Name, camera.Kind)
	c := d.cfg.Camera
	pf, _ := camera.ParsePixFmt(c.Format) // checked by the config
	o := &camera.Opts{Want: camera.Mode{Format: pf, Width: c.Width, Height: c.Height, FPS: c.FPS},
		Logger: d.log, Device: dev}
	switch {
	case d.sim != nil && d.sim.camera != nil:
		o.Open, o.Probe = d.sim.camera.Open, d.sim.camera.Probe
	case c.Enabled:
		o.Path = c.Device
	default:
		dev.SetState(devices.NoDevice, nil)
		return
	}
	cam, err := camera.New(o)
	if err != nil {
		d.log.Warn("camera unavailable; the kiosk runs without it", "setting", "[camera]", "err", err)
		dev.SetState(devices.NoDevice, err)
		return
	}
	d.cam = &Camera{cam: cam, dev: dev, client: d.client, log: d.log.With("device", camera.Name), events: d.events, every: 200 * time.Millisecond}
	if d.bank != nil && hasOutput(d.bank, gpio.FillLight) {
		bank := d.bank
		d.cam.light = func(on bool) error { return bank.Set(gpio.FillLight, on) }
	}
}

// runCamera is the camera's supervised loop.
func (d *Daemon) runCamera(ctx context.Context) error { return d.cam.cam.Run(ctx) }

// Start lights the fill light and starts the stream, and returns once
// the first frame has come (or ctx ends, or the camera fails: the error
// says why, and the camera is stopped again).
func (c *Camera) Start(ctx context.Context) error {
	c.mu.Lock()
	c.users++
	first := c.users == 1
	c.mu.Unlock()
	if first {
		c.setLight(true)
		c.cam.Start()
	}
	f, err := c.cam.Capture(ctx, 1, 0)
	f.Wipe()
	if err != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.Stop(sctx)
		return fmt.Errorf("camera: start: %w", err)
	}
	return nil
}

// Stop ends one user's hold; the last one's stops the stream, waits until
// its frames are wiped (at most until ctx ends) and puts the fill light
// out.
func (c *Camera) Stop(ctx context.Context) error {
	c.mu.Lock()
	if c.users == 0 {
		c.mu.Unlock()
		return nil
	}
	c.users--
	last := c.users == 0
	c.mu.Unlock()
	if !last {
		return nil
	}
	c.log.Info("camera off", "mode", c.cam.Mode().String(), "fps", math.Round(c.cam.FPS()*100)/100)
	err := c.cam.Stop(ctx)
	c.setLight(false)
	return err
}

func (c *Camera) setLight(on bool) {
	if c.light == nil {
		return
	}
	if err := c.light(on); err != nil {
		c.log.Warn("camera: fill light", "on", on, "err", err)
	}
}

// Mode is the stream's agreed format, size and rate (zero when stopped).
func (c *Camera) Mode() camera.Mode { return c.cam.Mode() }

// Frames returns a copy of the latest frame as it came from the camera
// (MJPEG or YUYV), the source of the preview; false when the camera is
// not streaming. Each call gives the newest; the caller wipes it.
func (c *Camera) Frames() (camera.Frame, bool) { return c.cam.Latest() }

// Preview decodes the latest frame into dst (reused when it has the
// frame's size; nil: a new image), for the screen, and returns it with
// the frame's number. When the latest frame is still number after, it
// decodes nothing and returns dst and after: the screen draws a frame
// once. The caller clears dst's pixels when the step ends.
func (c *Camera) Preview(dst *image.RGBA, after uint64) (*image.RGBA, uint64, error) {
	return c.cam.Preview(dst, after)
}

// Fresh returns a channel closed when a newer frame comes or the stream
// ends (the screen waits on it to draw each frame once).
func (c *Camera) Fresh() <-chan struct{} { return c.cam.Fresh() }

// Capture returns the next n frames (after Start), Every apart. The
// caller hands them to Verify, which wipes them, or wipes them itself.
func (c *Camera) Capture(ctx context.Context, n int) (camera.Frames, error) {
	if n < 1 || n > backend.MaxFaceFrames {
		return nil, fmt.Errorf("camera: capture %d frames: want 1 to %d", n, backend.MaxFaceFrames)
	}
	return c.cam.Capture(ctx, n, c.every)
}

// Verify sends frames with the card's identity to the backend's face
// verification, once, under the Idempotency-Key derived from attempt
// (say the session and the attempt's number: a repeat after a lost reply
// gets the first verdict), and returns the verdict: Result for the
// journey, Message for the resident. The frames are wiped whatever
// happens. Errors are the backend client's (backend.ErrUnreachable,
// *backend.Error), or ErrNoBackend.
func (c *Camera) Verify(ctx context.Context, attempt string, card *identity.Card, frames camera.Frames) (backend.FaceVerification, error) {
	defer frames.Wipe()
	if c.client == nil {
		return backend.FaceVerification{}, ErrNoBackend
	}
	if card == nil {
		return backend.FaceVerification{}, errors.New("camera: verify: no card")
	}
	req := backend.FaceRequest{CardType: string(card.Type), IDNumber: card.IDNumber}
	defer req.Wipe()
	for _, f := range frames {
		j, err := f.JPEG(85)
		if err != nil {
			return backend.FaceVerification{}, fmt.Errorf("camera: verify: %w", err)
		}
		req.Frames = append(req.Frames, j)
	}
	v, err := c.client.VerifyFace(ctx, attempt, req)
	if err != nil {
		c.log.Warn("face verification failed", "err", err)
		c.dev.Count("verify_errors", 1)
		return v, err
	}
	c.dev.Count("verify_"+string(v.Result), 1)
	c.log.Info("face verified", "verification", v.VerificationID, "result", string(v.Result), "frames", len(frames))
	c.events.Add("device", camera.Name, "face verification: "+string(v.Result), map[string]string{"verification": v.VerificationID})
	return v, nil
}

// check is the camera's self-test: a few frames, and whether they are
// bright enough. While a resident's face step holds the camera, its state
// is the test.
func (c *Camera) check(ctx context.Context) admin.Check {
	ch := admin.Check{Device: camera.Name, Name: "frames"}
	remedy := func(zh, en string) admin.Check {
		ch.Remedy, ch.RemedyEN = zh, en
		return ch
	}
	c.mu.Lock()
	busy := c.users > 0
	c.mu.Unlock()
	if busy {
		ch.Pass, ch.Detail = true, "in use: "+c.cam.Mode().String()
		return ch
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		ch.Detail = err.Error()
		if errors.Is(err, camera.ErrGone) {
			ch.Detail = "no camera: " + err.Error()
			return remedy("检查摄像头的 USB 连接线和 [camera] device 配置", "check the camera's USB cable and [camera] device in the config")
		}
		ch.Detail = "no frames: " + err.Error()
		return remedy("停止 kioskd 后用 kioskctl diag camera 测试摄像头", "test the camera with kioskctl diag camera while kioskd is stopped")
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.Stop(sctx)
	}()
	frames, err := c.cam.Capture(ctx, 3, 0)
	if err != nil {
		ch.Detail = "no frames: " + err.Error()
		return remedy("停止 kioskd 后用 kioskctl diag camera 测试摄像头", "test the camera with kioskctl diag camera while kioskd is stopped")
	}
	defer frames.Wipe()
	img, err := frames[len(frames)-1].Decode(nil)
	if err != nil {
		ch.Detail = "frames do not decode: " + err.Error()
		return remedy("停止 kioskd 后用 kioskctl diag camera 测试摄像头", "test the camera with kioskctl diag camera while kioskd is stopped")
	}
	b := camera.Brightness(img)
	clear(img.Pix)
	ch.Detail = fmt.Sprintf("%s, %.1f fps, brightness %.0f of 255", c.cam.Mode(), c.cam.FPS(), b)
	if b < camera.TooDark {
		ch.Detail = "too dark: " + ch.Detail
		return remedy("检查镜头是否被遮挡、补光灯是否工作", "check the lens is not covered and the fill light works")
	}
	ch.Pass = true
	return ch
}

// cameraCheck is the self-test's entry: no camera configured passes (a
// kiosk may have none).
func (d *Daemon) cameraCheck(ctx context.Context) admin.Check {
	if d.cam == nil {
		return admin.Check{Device: camera.Name, Name: "frames", Pass: true, Detail: "no camera configured"}
	}
	return d.cam.check(ctx)
}

// SetCameraScene switches what the simulated camera sees.
func (w *simWorld) SetCameraScene(scene string) error {
	if w.camera == nil {
		return fmt.Errorf("no simulated camera: %w", admin.ErrUnavailable)
	}
	if err := w.camera.SetScene(scene); err != nil {
		if errors.Is(err, camerasim.ErrUnknownScene) {
			return fmt.Errorf("%v: %w", err, admin.ErrNotFound)
		}
		return err
	}
	return nil
}

// CameraScene is the simulated camera's scene and every scene there is.
func (w *simWorld) CameraScene() admin.SimCameraState {
	if w.camera == nil {
		return admin.SimCameraState{}
	}
	return admin.SimCameraState{Scene: w.camera.Scene(), Scenes: w.camera.Scenes()}
}

var _ admin.SimCamera = (*simWorld)(nil)

// faceFrames is how many frames a face check sends: liveness needs
// movement between them, and three 200 ms apart show a blink.
const faceFrames = 3

// CheckFace is the host's face check: it takes faceFrames frames and
// has Verify send them once under key with the card's type and number
// (host.Camera). A camera that gives no frames is a camera fault; the
// backend's errors pass through.
func (c *Camera) CheckFace(ctx context.Context, key, cardType, idNumber string) (host.FaceVerdict, error) {
	frames, err := c.Capture(ctx, faceFrames)
	if err != nil {
		frames.Wipe()
		c.dev.Count("capture_errors", 1)
		return host.FaceVerdict{}, fmt.Errorf("%w: %w", host.ErrCameraFault, err)
	}
	card := &identity.Card{Type: identity.CardType(cardType), IDNumber: idNumber}
	defer card.Wipe()
	v, err := c.Verify(ctx, key, card, frames)
	if err != nil {
		return host.FaceVerdict{}, err
	}
	return host.FaceVerdict{Result: string(v.Result), Message: v.Message, VerificationID: v.VerificationID}, nil
}
