// Package camerasim is the kiosk's simulated camera: it streams the
// scenes drawn by ./internal/gen (a stylised face, no photograph of
// anyone) at the mode asked, as a UVC camera would: MJPEG frames without
// Huffman tables (the MJPEG convention many cameras follow), or YUYV.
//
// Scenes: blink (a face that blinks), turn (turns its head), far (stands
// too far away), backlit (against a bright window), noface (nobody in
// front of the kiosk), photo (a photo of the face held up: every frame
// the same), stranger (a face that is not the cardholder's) and dark (a
// covered lens). Each frame carries its scene's marker in the top-left
// corner (see Marker), which the backend simulator reads to decide.
package camerasim

//go:generate go run ./internal/gen

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	xdraw "golang.org/x/image/draw"

	"github.com/henan-county/kiosk/drivers/camera"
)

//go:embed scenes/*.png
var sceneFiles embed.FS

// DefaultScene is the scene a new Sim shows.
const DefaultScene = "blink"

// ErrUnknownScene: no scene of that name.
var ErrUnknownScene = errors.New("camerasim: no such scene")

// Opts configures a Sim.
type Opts struct {
	Scene  string       // default DefaultScene
	Logger *slog.Logger // default: discard
}

// Sim is the simulated camera. Its methods are safe for concurrent use.
type Sim struct {
	log    *slog.Logger
	scenes map[string][][]byte // PNG files, decoded when a scene is first encoded

	mu        sync.Mutex
	scene     string
	unplugged bool
	cache     map[cacheKey][][]byte
}

type cacheKey struct {
	scene string
	mode  camera.Mode
}

// New loads the scenes.
func New(opts *Opts) (*Sim, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Scene == "" {
		o.Scene = DefaultScene
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Sim{log: o.Logger, scenes: map[string][][]byte{}, cache: map[cacheKey][][]byte{}}
	names, err := fs.Glob(sceneFiles, "scenes/*.png")
	if err != nil {
		return nil, err
	}
	sort.Slice(names, func(i, j int) bool { return frameOrder(names[i]) < frameOrder(names[j]) })
	for _, n := range names {
		b, err := sceneFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		scene, _, _ := strings.Cut(strings.TrimSuffix(path.Base(n), ".png"), "-")
		s.scenes[scene] = append(s.scenes[scene], b)
	}
	if err := s.SetScene(o.Scene); err != nil {
		return nil, err
	}
	return s, nil
}

// frameOrder sorts "blink-10.png" after "blink-9.png".
func frameOrder(n string) string {
	base := strings.TrimSuffix(path.Base(n), ".png")
	scene, num, _ := strings.Cut(base, "-")
	i, _ := strconv.Atoi(num)
	return fmt.Sprintf("%s-%04d", scene, i)
}

// Scenes lists the scene names.
func (s *Sim) Scenes() []string {
	var out []string
	for n := range s.scenes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SetScene switches what the camera sees, at its next frame.
func (s *Sim) SetScene(name string) error {
	if _, ok := s.scenes[name]; !ok {
		return fmt.Errorf("%w: %q (scenes: %s)", ErrUnknownScene, name, strings.Join(s.Scenes(), ", "))
	}
	s.mu.Lock()
	s.scene = name
	s.mu.Unlock()
	s.log.Info("simulated camera: scene", "scene", name)
	return nil
}

// Scene is the current scene.
func (s *Sim) Scene() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scene
}

// Unplug makes the camera vanish (true) or come back (false): a stream
// open fails with camera.ErrGone, and Probe says so.
func (s *Sim) Unplug(gone bool) {
	s.mu.Lock()
	s.unplugged = gone
	s.mu.Unlock()
}

// Probe is the check that the camera is there.
func (s *Sim) Probe() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unplugged {
		return fmt.Errorf("%w: simulated camera unplugged", camera.ErrGone)
	}
	return nil
}

// Info describes the simulated camera as Query does a real one.
func (s *Sim) Info() camera.Info {
	sizes := [][2]int{{320, 240}, {640, 480}, {1280, 720}}
	return camera.Info{Driver: "camerasim", Card: "Simulated kiosk camera", BusInfo: "sim",
		Formats: []camera.FormatInfo{{Format: camera.MJPEG, Description: "Motion-JPEG", Sizes: sizes}, {Format: camera.YUYV, Description: "YUYV 4:2:2", Sizes: sizes}}}
}

// Open starts a stream at want (Format 0: MJPEG; size 0: 640×480; FPS 0:
// 15).
func (s *Sim) Open(ctx context.Context, want camera.Mode) (camera.Source, error) {
	if err := s.Probe(); err != nil {
		return nil, err
	}
	m := want
	if m.Format == 0 {
		m.Format = camera.MJPEG
	}
	if m.Format != camera.MJPEG && m.Format != camera.YUYV {
		return nil, fmt.Errorf("%w: %s not offered (offers MJPG YUYV)", camera.ErrNoFormat, m.Format)
	}
	if m.Width <= 0 || m.Height <= 0 {
		m.Width, m.Height = 640, 480
	}
	if m.Width%2 != 0 || m.Width > camera.MaxWidth || m.Height > camera.MaxHeight {
		return nil, fmt.Errorf("%w: %d×%d", camera.ErrFrameSize, m.Width, m.Height)
	}
	if m.FPS <= 0 {
		m.FPS = 15
	}
	if _, err := s.frames(s.Scene(), m); err != nil { // encoded before the first frame is due
		return nil, err
	}
	return &stream{s: s, mode: m, period: time.Second / time.Duration(m.FPS)}, nil
}

// SceneFrames returns the frames of scene as the camera sends them in
// mode m (tests: what a verification request carries).
func (s *Sim) SceneFrames(scene string, m camera.Mode) ([][]byte, error) {
	if _, ok := s.scenes[scene]; !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownScene, scene)
	}
	return s.frames(scene, m)
}

// frames returns the scene's frames encoded for mode, encoding them once.
func (s *Sim) frames(scene string, m camera.Mode) ([][]byte, error) {
	k := cacheKey{scene, m}
	s.mu.Lock()
	fr, ok := s.cache[k]
	s.mu.Unlock()
	if ok {
		return fr, nil
	}
	for _, p := range s.scenes[scene] {
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil {
			return nil, fmt.Errorf("camerasim: scene %s: %w", scene, err)
		}
		b, err := Encode(img, m)
		if err != nil {
			return nil, err
		}
		fr = append(fr, b)
	}
	s.mu.Lock()
	s.cache[k] = fr
	s.mu.Unlock()
	return fr, nil
}

// Encode scales img to m's size and encodes it as the camera would send
// it: MJPEG without Huffman tables, or YUYV.
func Encode(img image.Image, m camera.Mode) ([]byte, error) {
	r := image.Rect(0, 0, m.Width, m.Height)
	dst := image.NewRGBA(r)
	xdraw.ApproxBiLinear.Scale(dst, r, img, img.Bounds(), xdraw.Src, nil)
	switch m.Format {
	case camera.MJPEG:
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85}); err != nil {
			return nil, err
		}
		return stripHuffman(buf.Bytes()), nil
	case camera.YUYV:
		return RGBAToYUYV(dst), nil
	}
	return nil, fmt.Errorf("%w: %s", camera.ErrFormat, m.Format)
}

// stripHuffman drops the DHT segments before the scan.
func stripHuffman(b []byte) []byte {
	out := b[:2:2]
	for i := 2; i+4 <= len(b); {
		m := b[i+1]
		if m == 0xda {
			return append(out, b[i:]...)
		}
		n := 2 + (int(b[i+2])<<8 | int(b[i+3]))
		if i+n > len(b) {
			return b
		}
		if m != 0xc4 {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return b
}

// RGBAToYUYV converts to YUYV 4:2:2 (BT.601, limited range).
func RGBAToYUYV(img *image.RGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]byte, 0, w*h*2)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for x := 0; x+1 < w; x += 2 {
			p, q := row[x*4:x*4+3], row[x*4+4:x*4+7]
			luma := func(r, g, b int32) byte { return byte((66*r+129*g+25*b+128)>>8 + 16) }
			r := (int32(p[0]) + int32(q[0])) / 2
			g := (int32(p[1]) + int32(q[1])) / 2
			b := (int32(p[2]) + int32(q[2])) / 2
			u := byte((-38*r-74*g+112*b+128)>>8 + 128)
			v := byte((112*r-94*g-18*b+128)>>8 + 128)
			out = append(out, luma(int32(p[0]), int32(p[1]), int32(p[2])), u, luma(int32(q[0]), int32(q[1]), int32(q[2])), v)
		}
	}
	return out
}

// stream is an open simulated stream, paced at the mode's frame rate.
type stream struct {
	s      *Sim
	mode   camera.Mode
	period time.Duration
	next   time.Time
	seq    uint64
	closed bool
}

func (st *stream) Mode() camera.Mode { return st.mode }

func (st *stream) Close() error { st.closed = true; return nil }

func (st *stream) Next(ctx context.Context, buf []byte) (camera.Frame, error) {
	if st.closed {
		return camera.Frame{}, fmt.Errorf("camerasim: stream closed: %w", camera.ErrGone)
	}
	now := time.Now()
	if st.next.IsZero() {
		st.next = now
	}
	if d := st.next.Sub(now); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return camera.Frame{}, ctx.Err()
		case <-t.C:
		}
	}
	st.next = st.next.Add(st.period)
	if now := time.Now(); st.next.Before(now.Add(-st.period)) {
		st.next = now // fell behind (a slow consumer): no burst of frames
	}
	if err := st.s.Probe(); err != nil {
		return camera.Frame{}, err
	}
	scene := st.s.Scene()
	frames, err := st.s.frames(scene, st.mode)
	if err != nil {
		return camera.Frame{}, err
	}
	b := frames[int(st.seq%uint64(len(frames)))]
	st.seq++
	return camera.Frame{Format: st.mode.Format, Width: st.mode.Width, Height: st.mode.Height,
		Data: append(buf[:0], b...), Seq: st.seq, Time: time.Now()}, nil
}

// Marker reads a scene's marker from a decoded frame: eight cells along
// the top-left corner, 8 pixels square at 640×480 (scaled with the
// frame): white, black, the scene code's four bits (most significant
// first, white is 1), their parity (white: odd), black. It returns the
// code (blink 1, turn 2, far 3, backlit 4, noface 5, photo 6, stranger 7,
// dark 8) and whether a marker was there.
func Marker(img image.Image) (int, bool) {
	b := img.Bounds()
	if b.Dx() < 80 || b.Dy() < 60 {
		return 0, false
	}
	cell := func(i int) (bool, bool) {
		x := b.Min.X + (12+i*8)*b.Dx()/640
		y := b.Min.Y + 12*b.Dy()/480
		r, g, bl, _ := img.At(x, y).RGBA()
		l := (r + g + bl) / 3 >> 8
		return l > 160, l > 160 || l < 96 // value, and clearly one or the other
	}
	var bits [8]bool
	for i := range bits {
		v, clear := cell(i)
		if !clear {
			return 0, false
		}
		bits[i] = v
	}
	if !bits[0] || bits[1] || bits[7] {
		return 0, false
	}
	code, parity := 0, false
	for _, on := range bits[2:6] {
		code <<= 1
		if on {
			code |= 1
			parity = !parity
		}
	}
	if parity != bits[6] || code == 0 {
		return 0, false
	}
	return code, true
}

// SceneOf names the scene of a marker code ("" for none).
func SceneOf(code int) string {
	names := [...]string{1: "blink", 2: "turn", 3: "far", 4: "backlit", 5: "noface", 6: "photo", 7: "stranger", 8: "dark"}
	if code < 1 || code >= len(names) {
		return ""
	}
	return names[code]
}
