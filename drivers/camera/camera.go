package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"sync"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// Name and Kind are the camera's in the device registry.
const (
	Name = "camera"
	Kind = devices.Kind("camera")
)

// Source is an open camera stream: a V4L2 Device, or the simulated camera
// (camerasim).
type Source interface {
	// Next waits for the next frame and returns it over buf's memory
	// (grown when too small); ErrNoFrames (wrapped) when none comes in
	// time, ErrGone when the camera has disappeared.
	Next(ctx context.Context, buf []byte) (Frame, error)
	Mode() Mode
	Close() error
}

// Opts configures a Camera. Exactly one of Path and Open.
type Opts struct {
	// Path is the V4L2 device (/dev/videoN or a /dev/v4l/by-id/ link).
	Path string
	// Open, when set, opens the stream instead (simulator, tests); Probe
	// then checks the camera is there (nil: always).
	Open  func(ctx context.Context, want Mode) (Source, error)
	Probe func() error
	// Want is the mode asked for (Format 0: MJPEG, else YUYV).
	Want Mode
	// ProbeInterval is how often an idle camera is looked at (default
	// 10 s); RetryInterval how long to wait after a stream failed
	// (default 1 s).
	ProbeInterval time.Duration
	RetryInterval time.Duration
	Logger        *slog.Logger    // default: discard
	Device        *devices.Device // optional: state, detail, counters
}

// Camera owns one camera. Run keeps an eye on it: while nobody needs
// pictures it only checks now and then that the camera is there (the
// device's state); between Start and Stop it streams, keeping the latest
// frame for a preview and handing the next ones to Capture. Frames are
// wiped when the stream stops.
type Camera struct {
	o   Opts
	log *slog.Logger

	mu      sync.Mutex
	want    bool
	wake    chan struct{} // a change of want
	latest  Frame         // the newest frame while streaming
	mode    Mode
	fresh   chan struct{} // closed at each new frame, and when the stream ends
	stream  bool          // a stream is open
	idle    chan struct{} // closed when the stream has closed and been wiped
	lastErr error
	fails   uint64 // streams that failed to open or broke
	down    bool   // the camera was last seen missing or failing (Run's own)
	frames  uint64
	started time.Time
}

var _ interface {
	Halt() error
	String() string
} = (*Camera)(nil)

// New returns a Camera; nothing is opened until Run.
func New(opts *Opts) (*Camera, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if (o.Path == "") == (o.Open == nil) {
		return nil, errors.New("camera: say exactly one of a device path and an opener")
	}
	if o.ProbeInterval <= 0 {
		o.ProbeInterval = 10 * time.Second
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = time.Second
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Camera{o: o, wake: make(chan struct{}, 1), fresh: make(chan struct{}), idle: make(chan struct{})}
	close(c.idle)
	c.log = log.With("device", Name, "path", c.name())
	return c, nil
}

func (c *Camera) name() string {
	if c.o.Path != "" {
		return c.o.Path
	}
	return "transport"
}

// String names the camera.
func (c *Camera) String() string { return "camera(" + c.name() + ")" }

func (c *Camera) open(ctx context.Context) (Source, error) {
	if c.o.Open != nil {
		return c.o.Open(ctx, c.o.Want)
	}
	return Open(c.o.Path, c.o.Want)
}

func (c *Camera) probe() error {
	if c.o.Open != nil {
		if c.o.Probe != nil {
			return c.o.Probe()
		}
		return nil
	}
	_, err := Query(c.o.Path)
	return err
}

func (c *Camera) setState(st devices.State, err error) {
	if c.o.Device != nil {
		c.o.Device.SetState(st, err)
	}
}

func (c *Camera) detail(k, v string) {
	if c.o.Device != nil {
		c.o.Device.SetDetail(k, v)
	}
}

func (c *Camera) count(k string) {
	if c.o.Device != nil {
		c.o.Device.Count(k, 1)
	}
}

// Start asks Run to stream; Latest and Capture have frames once it has.
func (c *Camera) Start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.want {
		c.want = true
		c.lastErr = nil
		c.idle = make(chan struct{})
		c.poke()
	}
}

// Stop ends the stream and waits (at most until ctx ends) until it is
// closed and its frames wiped. Frames already handed out by Capture are
// the caller's to wipe.
func (c *Camera) Stop(ctx context.Context) error {
	c.mu.Lock()
	c.want = false
	c.poke()
	idle := c.idle
	c.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		c.latest.Wipe() // whatever Run is doing, no face stays here
		c.mu.Unlock()
		return fmt.Errorf("camera: stop: %w", ctx.Err())
	}
}

// Halt stops streaming and leaves the camera closed (Run keeps only
// checking it is there); it waits up to 5 s.
func (c *Camera) Halt() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Stop(ctx)
}

func (c *Camera) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *Camera) wanted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.want
}

// Mode is the agreed mode of the stream (zero when none is open).
func (c *Camera) Mode() Mode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

// Latest returns a copy of the newest frame (the preview), false when
// the camera is not streaming or has no frame yet.
func (c *Camera) Latest() (Frame, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stream || c.latest.Data == nil {
		return Frame{}, false
	}
	return c.latest.Clone(), true
}

// LatestAfter is Latest for a frame newer than number seq: false, and no
// copy made, while the newest is still seq (the screen polls faster than
// the camera delivers); ErrNotStreaming when the camera is not streaming.
func (c *Camera) LatestAfter(seq uint64) (Frame, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stream || c.latest.Data == nil {
		return Frame{}, false, ErrNotStreaming
	}
	if c.latest.Seq == seq {
		return Frame{}, false, nil
	}
	return c.latest.Clone(), true, nil
}

// Preview decodes the latest frame into dst (reused when it has the
// frame's size; nil: a new image) and returns it with the frame's number.
// When the latest frame is still number after, it decodes nothing and
// returns dst and after, so a screen draws each frame once. The frame's
// copy is wiped; the caller clears dst's pixels when it is done.
func (c *Camera) Preview(dst *image.RGBA, after uint64) (*image.RGBA, uint64, error) {
	if dst == nil {
		after = 0 // nothing shown yet: whatever is newest
	}
	f, fresh, err := c.LatestAfter(after)
	if err != nil {
		return nil, 0, err
	}
	if !fresh {
		return dst, after, nil
	}
	defer f.Wipe()
	img, err := f.Decode(dst)
	return img, f.Seq, err
}

// Fresh returns a channel closed when a frame newer than the latest now
// comes, or the stream ends: a screen showing the picture waits on it
// instead of polling.
func (c *Camera) Fresh() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fresh
}

// FPS is the frame rate measured from the stream's first frame to its
// latest.
func (c *Camera) FPS() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stream || c.frames < 2 {
		return 0
	}
	d := c.latest.Time.Sub(c.started).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(c.frames-1) / d
}

// ErrNotStreaming: Capture was called while the camera does not stream
// (Start not called, Stop called, or the stream failed: the error says
// why).
var ErrNotStreaming = errors.New("camera: not streaming")

// Capture returns copies of the next n frames (after Start), each taken
// at least every apart (0: every frame). On an error the frames taken
// are wiped.
func (c *Camera) Capture(ctx context.Context, n int, every time.Duration) (Frames, error) {
	var out Frames
	var last uint64
	var lastAt time.Time
	c.mu.Lock()
	fails0 := c.fails
	c.mu.Unlock()
	for len(out) < n {
		c.mu.Lock()
		fresh, want, lerr, fails := c.fresh, c.want, c.lastErr, c.fails
		f := c.latest
		streaming := c.stream
		if streaming && f.Data != nil && f.Seq > last && (every <= 0 || lastAt.IsZero() || f.Time.Sub(lastAt) >= every) {
			out = append(out, f.Clone())
			last, lastAt = f.Seq, f.Time
			c.mu.Unlock()
			continue
		}
		c.mu.Unlock()
		if !want {
			out.Wipe()
			return nil, ErrNotStreaming
		}
		if fails != fails0 && lerr != nil && !streaming {
			out.Wipe()
			return nil, fmt.Errorf("%w: %w", ErrNotStreaming, lerr)
		}
		select {
		case <-fresh:
		case <-ctx.Done():
			out.Wipe()
			return nil, fmt.Errorf("camera: capture: %w", ctx.Err())
		}
	}
	return out, nil
}

// Run watches the camera and streams when asked until ctx ends; it
// returns nil then. It never gives up on a missing camera.
func (c *Camera) Run(ctx context.Context) error {
	c.setState(devices.Starting, nil)
	c.down = false
	for ctx.Err() == nil {
		if !c.wanted() {
			c.mu.Lock()
			c.endStream() // nothing streams: Stop's wait is over
			c.mu.Unlock()
			err := c.probe()
			switch {
			case err == nil:
				c.back()
				c.setState(devices.Online, nil)
				c.detail("stream", "idle")
			case errors.Is(err, ErrGone):
				if !c.down {
					c.log.Warn("camera: not there", "err", err)
				}
				c.setState(devices.Offline, err)
			default:
				if !c.down {
					c.log.Error("camera: unusable", "err", err)
				}
				c.setState(devices.HardwareError, err)
			}
			c.down = err != nil
			c.wait(ctx, c.o.ProbeInterval)
			continue
		}
		err := c.runStream(ctx)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			st := devices.HardwareError
			if errors.Is(err, ErrGone) {
				st = devices.Offline
			}
			c.setState(st, err)
			if !c.down {
				c.log.Warn("camera: stream failed", "err", err)
			}
			c.down = true
			c.wait(ctx, c.o.RetryInterval)
		}
	}
	c.mu.Lock()
	c.endStream()
	c.mu.Unlock()
	return nil
}

// back notes a camera that works again.
func (c *Camera) back() {
	if c.down {
		c.log.Info("camera: back")
		c.count("reconnects")
		c.down = false
	}
}

func (c *Camera) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-c.wake:
	case <-t.C:
	}
}

// runStream streams until Stop, ctx's end or a failure.
func (c *Camera) runStream(ctx context.Context) (err error) {
	src, err := c.open(ctx)
	if err != nil {
		c.mu.Lock()
		c.lastErr = err
		c.fails++
		c.broadcast()
		c.mu.Unlock()
		return err
	}
	c.mu.Lock()
	c.stream, c.mode, c.frames, c.lastErr = true, src.Mode(), 0, nil
	c.mu.Unlock()
	defer func() {
		cerr := src.Close()
		c.mu.Lock()
		if err != nil {
			c.lastErr = err
			c.fails++
		}
		c.endStream()
		c.mu.Unlock()
		if err == nil && cerr != nil {
			c.log.Warn("camera: close", "err", cerr)
		}
	}()
	c.back()
	c.setState(devices.Online, nil)
	c.detail("stream", src.Mode().String())
	c.log.Info("camera: streaming", "mode", src.Mode().String())
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // Stop interrupts a wait for a frame
		for {
			select {
			case <-sctx.Done():
				return
			case <-c.wake:
				if !c.wanted() {
					cancel()
					return
				}
			}
		}
	}()
	var buf []byte
	for {
		f, err := src.Next(sctx, buf)
		if sctx.Err() != nil {
			clear(f.Data)
			return nil
		}
		if err != nil {
			c.count("failures")
			return err
		}
		c.count("frames")
		c.mu.Lock()
		buf = c.latest.Data
		clear(buf)
		c.latest = f
		if c.frames == 0 {
			c.started = f.Time
		}
		c.frames++
		c.broadcast()
		c.mu.Unlock()
	}
}

// broadcast wakes every Capture; mu held.
func (c *Camera) broadcast() {
	close(c.fresh)
	c.fresh = make(chan struct{})
}

// endStream wipes the stream's frame; mu held.
func (c *Camera) endStream() {
	c.latest.Wipe()
	was := c.stream
	c.stream, c.mode = false, Mode{}
	if was {
		c.broadcast()
	}
	if !c.want {
		select {
		case <-c.idle:
		default:
			close(c.idle)
		}
		c.detail("stream", "idle")
	}
}
