package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
)

// Opts configures the App. Zero values take defaults.
type Opts struct {
	// Host runs the resident's journey and the technician mode; the App
	// draws its view and posts touches to it.
	Host *host.Host
	// Width and Height are the logical screen (default 1080×1920 portrait;
	// 1920×1080 for landscape).
	Width, Height int
	// Rotate turns the drawing clockwise by 0, 90, 180 or 270 degrees for
	// a panel mounted sideways; touches are turned back the same way.
	Rotate     int
	Fullscreen bool
	// FontPath is a CJK font (.ttc collection or .otf); default Noto Sans CJK.
	FontPath string
	// FontCache is a directory the thinned faces are kept in between
	// starts ("" keeps none: every start thins them again).
	FontCache string
	// ScreenshotPath, when set, receives the current screen as a PNG every
	// ScreenshotEvery (default 3 s) while it changes.
	ScreenshotPath  string
	ScreenshotEvery time.Duration
	// OnKey receives keys pressed on a keyboard (e.g. C and R to place and
	// remove the simulated card in sim mode). Called from the game loop.
	OnKey func(key ebiten.Key)
	// OnFrame is called from the game loop after the first frame has been
	// drawn and then on every update (at least once a second even when the
	// screen sleeps): for liveness watchdogs and first-frame timing.
	OnFrame func(now time.Time)
	// Logger; nil discards.
	Logger *slog.Logger
	// Title is the window title (default 政务服务自助终端).
	Title string
	// OnTap, if set, is told of every tap (logical position and the id of
	// the widget hit, "" for none): for diagnostics and input tests.
	OnTap func(x, y float64, id string)
	// OnLayout, if set, is told what the screen shows whenever it
	// changes: the screen's name and every tappable widget's id and
	// rectangle in window pixels (after rotation and scrolling), only
	// those fully visible. For end-to-end tests that tap with real
	// pointer input; labels are left out.
	OnLayout func(screen string, rev uint64, targets []Target)
	// After IdleAfter (default 15 s) without input or animation the loop
	// sleeps between X events, waking for the clock once a second: idle
	// CPU drops from tens of percent to about 1-2 %. A real touch (finger
	// down for more than a frame) still registers; an instantaneous
	// synthetic click arriving while asleep may not. AlwaysAwake turns the
	// sleeping off. See docs/ui.md for the measurements.
	AlwaysAwake bool
	IdleAfter   time.Duration
}

// App is the kiosk's screen.
type App struct {
	o       Opts
	h       *host.Host
	log     *slog.Logger
	fonts   *fonts
	painter *painter
	size    layout.Size // logical
	panel   layout.Size // physical (rotated)
	outside layout.Size // the window as Layout last saw it

	hv       host.View // as last laid out
	view     session.View
	scr      *layout.Screen
	st       layout.State
	scroll   float64
	ptr      layout.Pointer
	pen      pen // the writing pad's stroke being written (handwriting.go)
	built    bool
	dirty    bool
	animated bool // a widget moves with the clock (spinner, caret)
	live     bool // a camera picture is on the screen: the camera paces the loop (idle)
	animStep int
	start    time.Time
	lastUpd  time.Time
	shotAt   time.Time
	shotRev  uint64
	shotBusy sync.Mutex

	first  atomic.Int64 // nanoseconds to the first frame
	asleep atomic.Bool

	lastInput time.Time // the last touch or change of view
	lastTouch time.Time // the last touch
	loop      loopMode  // how the game loop runs now (idle)
	paced     atomic.Bool
	waker     sync.Once
	updates   atomic.Int64
	quit      atomic.Bool
	drawn     atomic.Int64

	tech *techState // nil without Opts.Technician

	// The face check's picture (face.go): the decoded frame, reused.
	camFeed   *camFeed // decodes frames while the picture is on
	camSeq    uint64   // the number of the camera frame shown
	camFrames atomic.Int64
	camShown  int       // frames put on the screen since the picture came
	camSince  time.Time // when it came
}

// Stats are counters for diagnostics and the figures in docs/ui.md.
type Stats struct {
	Updates, Frames int64         // game loop updates and frames drawn
	FirstFrame      time.Duration // from New to the first frame drawn (0: not yet)
	Sleeping        bool          // the loop waits for input between frames
	Paced           bool          // the loop draws a frame per camera frame
	CameraFrames    int64         // camera frames put on the face screen
}

// Stats returns the counters. Safe from any goroutine.
func (a *App) Stats() Stats {
	return Stats{Updates: a.updates.Load(), Frames: a.drawn.Load(), FirstFrame: time.Duration(a.first.Load()),
		Sleeping: a.asleep.Load(), Paced: a.paced.Load(), CameraFrames: a.camFrames.Load()}
}

// New prepares the App: fonts, theme and first layout. It does not open a
// window; Run does.
func New(opts *Opts) (*App, error) {
	if opts == nil || opts.Host == nil {
		return nil, errors.New("ui: new: Opts.Host is required")
	}
	o := *opts
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = 1080, 1920
	}
	switch o.Rotate {
	case 0, 90, 180, 270:
	default:
		return nil, fmt.Errorf("ui: new: rotate %d: want 0, 90, 180 or 270", o.Rotate)
	}
	if o.ScreenshotEvery <= 0 {
		o.ScreenshotEvery = 3 * time.Second
	}
	if o.Title == "" {
		o.Title = "政务服务自助终端"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	a := &App{o: o, h: o.Host, log: o.Logger, start: time.Now(), tech: &techState{}}
	f, err := loadFonts(o.FontPath, o.FontCache)
	if err != nil {
		a.log.Warn("fonts", "err", err)
	}
	a.fonts = f
	if a.painter, err = newPainter(f); err != nil {
		a.log.Error("face check picture unavailable", "err", err)
	}
	// Font files are read whole and mostly dropped after parsing: give
	// that memory back now rather than at the next collection.
	debug.FreeOSMemory()
	a.size = layout.Size{W: float64(o.Width), H: float64(o.Height)}
	a.panel = layout.PanelSize(a.size, o.Rotate)
	a.outside = a.panel
	a.rebuild(true)
	return a, nil
}

// Post sends an event to the host. Safe from any goroutine; the screen
// follows when the host's view changes.
func (a *App) Post(ev host.Event) { a.h.Post(ev) }

// Sync waits until the host has handled every event posted so far and
// lays out its view (for tests and tools that tap and then look).
func (a *App) Sync() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.h.Sync(ctx); err != nil {
		a.log.Warn("host did not answer", "err", err)
	}
	a.rebuild(false)
}

// Quit makes Run return after the current frame. Safe from any goroutine.
func (a *App) Quit() {
	a.quit.Store(true)
	ebiten.ScheduleFrame()
}

// Run opens the window and runs the game loop until the window closes.
func (a *App) Run() error {
	ebiten.SetWindowTitle(a.o.Title)
	ebiten.SetWindowSize(int(a.panel.W), int(a.panel.H))
	ebiten.SetWindowDecorated(false)
	ebiten.SetCursorMode(ebiten.CursorModeHidden)
	ebiten.SetRunnableOnUnfocused(true) // no window manager gives focus
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetVsyncEnabled(true)
	// One Update per frame: Ebitengine reads the pointer once per frame,
	// and a frame without an Update would drop a press released before
	// the next frame (a lost tap). Timing inside Update uses the clock.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	if a.o.Fullscreen {
		ebiten.SetFullscreen(true)
	} else {
		ebiten.SetWindowPosition(0, 0)
	}
	var g ebiten.Game = a
	if a.o.Rotate != 0 {
		g = &rotated{a}
	}
	// A new view from the host wakes the loop.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-a.h.Changed():
				ebiten.ScheduleFrame()
			}
		}
	}()
	defer func() {
		if a.camFeed != nil {
			a.camFeed.halt()
		}
	}()
	if err := ebiten.RunGame(g); err != nil && !errors.Is(err, ebiten.Termination) {
		return fmt.Errorf("ui: run: %w", err)
	}
	return nil
}

// Update implements ebiten.Game.
func (a *App) Update() error {
	a.updates.Add(1)
	if a.quit.Load() {
		return ebiten.Termination
	}
	now := time.Now()
	if a.o.OnFrame != nil && a.first.Load() != 0 {
		a.o.OnFrame(now)
	}
	dt := now.Sub(a.lastUpd)
	if a.lastUpd.IsZero() || dt > 100*time.Millisecond {
		dt = time.Second / 60
	}
	a.lastUpd = now
	touched := ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) ||
		inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) || a.ptr.Down() || a.ptr.Moving()
	if touched {
		a.lastTouch = now
	}
	if touched || a.h.View().Rev != a.hv.Rev {
		a.lastInput = now
	}
	a.idle(now)
	if a.o.OnKey != nil {
		for _, k := range inpututil.AppendJustPressedKeys(nil) {
			a.o.OnKey(k)
		}
	}
	a.rebuild(false)
	a.pointer(now, dt)
	a.rebuild(false)
	a.pumpCamera(now) // face.go
	if a.animated {
		if s := int(now.Sub(a.start).Seconds() * 12); s != a.animStep {
			a.animStep = s
			a.dirty = true
		}
	}
	a.screenshot(now)
	return nil
}

// The game loop runs in one of three ways (idle picks):
//   - awake: a frame each vsync, for touches, scrolling and animations;
//   - paced: while a camera picture is on the screen and nothing else
//     moves, a frame when the camera has a new one (camFeed): each camera
//     frame is drawn and presented once. Awake, Ebitengine would present
//     every vsync for four frames after each change, which on a software
//     renderer costs more than the picture itself;
//   - asleep: after IdleAfter without input, a frame on X events and
//     once a second for the clock.
type loopMode int

const (
	loopAwake loopMode = iota
	loopPaced
	loopAsleep
)

// paceAfter is how long after the last touch the loop stays awake before
// the camera paces it again: a tap's press and release are drawn at once.
const paceAfter = 300 * time.Millisecond

// idle lets the loop sleep between X events when nothing happens, paces
// it by the camera while only the camera's picture changes, and wakes it
// fully at the first sign of input.
func (a *App) idle(now time.Time) {
	if a.o.AlwaysAwake {
		return
	}
	after := a.o.IdleAfter
	if after <= 0 {
		after = 15 * time.Second
	}
	mode := loopAwake
	switch {
	case a.animated: // awake
	case a.live && now.Sub(a.lastTouch) >= paceAfter: // a new view is drawn when it comes (Run)
		mode = loopPaced
	case !a.live && now.Sub(a.lastInput) >= after:
		mode = loopAsleep
	}
	if mode == a.loop {
		return
	}
	a.loop = mode
	a.asleep.Store(mode == loopAsleep)
	a.paced.Store(mode == loopPaced)
	switch mode {
	case loopAwake:
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOn)
	case loopPaced: // the camera's feed asks for each frame (face.go)
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	case loopAsleep:
		a.waker.Do(func() {
			go func() {
				for range time.Tick(time.Second) {
					ebiten.ScheduleFrame()
				}
			}()
		})
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	}
}

// pointer turns the X pointer (a touchscreen arrives as the left mouse
// button) into taps and scrolling.
func (a *App) pointer(now time.Time, dt time.Duration) {
	cx, cy := ebiten.CursorPosition()
	x, y := a.toLogical(float64(cx), float64(cy))
	// A touch that starts on the writing pad is a stroke, not a tap or a
	// scroll (handwriting.go).
	if a.penInput(x, y) {
		return
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		a.ptr.Press(x, y, now)
		a.techPress(x, y, now)
	}
	if a.ptr.Down() {
		a.techMove(x, y, now)
		if d := a.ptr.Move(x, y, now); d != 0 {
			a.scrollBy(d)
		}
	}
	if inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
		held := a.techRelease(x, y)
		if a.ptr.Release(x, y, now) && !held {
			sx, sy := a.ptr.Start()
			id := a.tap(sx, sy)
			if a.o.OnTap != nil {
				a.o.OnTap(sx, sy, id)
			}
		}
	}
	if a.ptr.Moving() {
		if d := a.ptr.Momentum(dt); d != 0 && !a.scrollBy(d) {
			a.ptr.Stop()
		}
	}
}

// Tap acts as a tap at logical (x, y), waits for the host to handle it
// and lays out the new view; it reports what it hit (the widget id, ""
// when nothing). For tests and tools; the game loop does not wait.
func (a *App) Tap(x, y float64) string {
	id := a.tap(x, y)
	a.Sync()
	return id
}

func (a *App) tap(x, y float64) string {
	w := a.scr.Hit(x, y, a.scroll)
	if a.techOpen() {
		return a.techTap(w)
	}
	if w == nil {
		return ""
	}
	switch w.Local {
	case layout.LocalNextPage:
		a.st.KeyPage++
		a.rebuild(true)
		return w.ID
	case layout.LocalSymbols:
		a.st.Symbols = !a.st.Symbols
		a.rebuild(true)
		return w.ID
	case layout.LocalDateMode:
		a.st.DatePick = !a.st.DatePick
		a.rebuild(true)
		return w.ID
	case layout.LocalPagePrev, layout.LocalPageNext:
		if w.Local == layout.LocalPagePrev {
			a.st.Page--
		} else {
			a.st.Page++
		}
		a.rebuild(true)
		return w.ID
	}
	a.h.Post(w.Event)
	return w.ID
}

// scrollBy moves the scroll area; it reports false at either end.
func (a *App) scrollBy(d float64) bool {
	s := min(max(a.scroll+d, 0), a.scr.MaxScroll())
	moved := s != a.scroll
	if moved {
		a.scroll = s
		a.dirty = true
		a.publishLayout()
	}
	return moved
}

// rebuild lays the screen out again when the host's view changed (or
// force).
func (a *App) rebuild(force bool) {
	hv := a.h.View()
	if !force && a.built && hv.Rev == a.hv.Rev {
		return
	}
	wasTech := a.hv.Tech != nil
	a.hv = hv
	if hv.Tech != nil {
		a.techRebuild(force || !wasTech)
		return
	}
	if wasTech {
		a.tech.built = false
		a.scroll = 0
		a.ptr.Stop()
		force = true
	}
	v := hv.Session
	if !force && a.built && v.Rev == a.view.Rev {
		return
	}
	if v.Screen != a.view.Screen || v.Elder != a.view.Elder {
		a.scroll, a.st = 0, layout.State{}
		a.ptr.Stop()
	}
	a.view, a.built = v, true
	a.scr = layout.Build(&a.view, a.size, a.fonts, &a.st)
	// A proof's page the new screen does not show is freed now, not at
	// the next frame drawn.
	a.painter.showPictures(a.scr, false)
	a.showInk() // a stroke being written stays on the new layout (handwriting.go)
	a.scroll = min(a.scroll, a.scr.MaxScroll())
	a.publishLayout()
	a.animated, a.live = false, false
	for _, w := range a.scr.Widgets {
		switch {
		case animated(&w):
			a.animated = true
		case w.Kind == layout.Camera:
			a.live = true
		}
	}
	a.dirty = true
}

// Draw implements ebiten.Game. It draws only when something changed, so
// an idle screen costs almost nothing.
func (a *App) Draw(screen *ebiten.Image) {
	if !a.dirty {
		return
	}
	a.dirty = false
	a.painter.draw(screen, a.scr, a.scroll, time.Since(a.start).Seconds())
	a.drawn.Add(1)
	if a.first.Load() == 0 {
		d := time.Since(a.start)
		a.first.Store(int64(d))
		a.log.Info("first frame", "after", d.Round(time.Millisecond))
		a.publishLayout()
		if a.o.OnFrame != nil {
			a.o.OnFrame(time.Now())
		}
	}
}

// Layout implements ebiten.Game: the logical screen is always Width×Height.
func (a *App) Layout(ow, oh int) (int, int) {
	if ow > 0 && oh > 0 {
		if o := (layout.Size{W: float64(ow), H: float64(oh)}); o != a.outside {
			a.outside = o
			a.dirty = true
		}
	}
	return int(a.size.W), int(a.size.H)
}

// toLogical maps Ebitengine's cursor position (which assumes an unrotated
// screen) to the logical screen of a rotated panel.
func (a *App) toLogical(cx, cy float64) (float64, float64) {
	if a.o.Rotate == 0 {
		return cx, cy
	}
	s0, dx0, dy0 := layout.Fit(a.size, a.outside)
	wx, wy := cx*s0+dx0, cy*s0+dy0
	s1, dx1, dy1 := layout.Fit(a.panel, a.outside)
	return layout.FromPanel((wx-dx1)/s1, (wy-dy1)/s1, a.size, a.o.Rotate)
}

// rotated draws the logical screen turned onto a panel mounted sideways.
type rotated struct{ *App }

// DrawFinalScreen implements ebiten.FinalScreenDrawer.
func (r *rotated) DrawFinalScreen(screen ebiten.FinalScreen, off *ebiten.Image, _ ebiten.GeoM) {
	screen.Fill(image.Black)
	b := screen.Bounds()
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear}
	op.GeoM = r.panelGeoM(layout.Size{W: float64(b.Dx()), H: float64(b.Dy())})
	screen.DrawImage(off, op)
}

func (a *App) panelGeoM(out layout.Size) ebiten.GeoM {
	var g ebiten.GeoM
	switch a.o.Rotate {
	case 90:
		g.Rotate(90 * deg)
		g.Translate(a.size.H, 0)
	case 180:
		g.Rotate(180 * deg)
		g.Translate(a.size.W, a.size.H)
	case 270:
		g.Rotate(270 * deg)
		g.Translate(0, a.size.W)
	}
	s, dx, dy := layout.Fit(a.panel, out)
	g.Scale(s, s)
	g.Translate(dx, dy)
	return g
}

const deg = 3.141592653589793 / 180

// screenshot writes the current screen as a PNG when it changed and the
// interval passed. Encoding and writing happen off the game loop.
func (a *App) screenshot(now time.Time) {
	if a.o.ScreenshotPath == "" || now.Sub(a.shotAt) < a.o.ScreenshotEvery {
		return
	}
	if a.shotRev == a.shownRev() && !a.shotAt.IsZero() && !a.animated && !a.live {
		return
	}
	if !a.shotBusy.TryLock() {
		return
	}
	a.shotAt, a.shotRev = now, a.shownRev()
	img := a.Render()
	go func() {
		defer a.shotBusy.Unlock()
		if err := writePNG(a.o.ScreenshotPath, img); err != nil {
			a.log.Warn("screenshot", "err", err)
		}
	}()
}

// Render draws the current screen into a new image (for screenshots and
// tests). Call it from the game loop.
func (a *App) Render() *image.RGBA {
	img := ebiten.NewImage(int(a.size.W), int(a.size.H))
	defer img.Deallocate()
	a.painter.draw(img, a.scr, a.scroll, time.Since(a.start).Seconds())
	out := image.NewRGBA(image.Rect(0, 0, int(a.size.W), int(a.size.H)))
	img.ReadPixels(out.Pix)
	return out
}

// Screen returns the current layout (for tests that tap by widget id).
func (a *App) Screen() *layout.Screen { return a.scr }

func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("ui: screenshot: %w", err)
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("ui: screenshot: %w", err)
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("ui: screenshot: encode: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("ui: screenshot: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("ui: screenshot: %w", err)
	}
	return nil
}

// Target is one tappable widget as OnLayout reports it, or a picture
// shown (a document's page: Picture true, not tappable).
type Target struct {
	ID         string
	X, Y, W, H float64 // window pixels
	// Label is the widget's words as shown (a button's 打印 2 页).
	Label   string
	Picture bool
}

func (a *App) publishLayout() {
	// Nothing is shown before the first frame is on the glass.
	if a.o.OnLayout == nil || a.scr == nil || a.first.Load() == 0 {
		return
	}
	from := 0
	if a.scr.ModalFrom >= 0 {
		from = a.scr.ModalFrom
	}
	var out []Target
	for i := from; i < len(a.scr.Widgets); i++ {
		w := a.scr.Widgets[i]
		// Pictures shown, not tapped: a document's page, a payment's QR
		// code, the face check's camera picture while a frame is shown.
		picture := (w.Kind == layout.Paper && w.Picture != nil) || (w.Kind == layout.QR && w.Data != "") ||
			(w.Kind == layout.Camera && a.painter.camera != nil)
		if (w.Event == nil && w.Local == "" && !picture) || w.ID == "" {
			continue
		}
		r := w.Rect
		if w.Scroll {
			r.Y -= a.scroll
			sa := a.scr.Scroll
			if r.Y < sa.Y || r.Y+r.H > sa.Y+sa.H {
				continue
			}
		}
		x0, y0 := layout.ToPanel(r.X, r.Y, a.size, a.o.Rotate)
		x1, y1 := layout.ToPanel(r.X+r.W, r.Y+r.H, a.size, a.o.Rotate)
		out = append(out, Target{ID: w.ID, X: min(x0, x1), Y: min(y0, y1), W: abs(x1 - x0), H: abs(y1 - y0),
			Label: strings.Join(w.Lines, ""), Picture: picture})
	}
	a.o.OnLayout(a.shownName(), a.shownRev(), out)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
