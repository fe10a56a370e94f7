package ui

import (
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
)

// The writing pad on the screen: a touch that starts on the pad is a
// stroke, never a tap or a scroll. Its points are taken in the pad's own
// coordinates (0..session.PadSize) as the finger moves, drawn at once, and
// posted as session.Stroke when it lifts; the ink stays drawn until the
// host's view holds the stroke. Drawing the pad reads the layout only.

// penStep is the least movement, in pad units, that makes a new point.
const penStep = session.PadSize / 200

// pen is the stroke being written.
type pen struct {
	down    bool
	pad     layout.Rect     // where the pad was when the stroke began
	pts     []session.Point // the stroke so far
	pending []session.Point // posted, until the view holding it arrives
	sent    uint64          // the view's Rev when pending was posted
}

// penInput takes the pointer while it writes on the pad and reports
// whether it did (then the pointer is no tap and no scroll).
func (a *App) penInput(x, y float64) bool {
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) && !a.penDown(x, y) {
		return false
	}
	if !a.pen.down {
		return false
	}
	if inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) || !ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		a.penUp(x, y)
	} else {
		a.penMove(x, y)
	}
	return true
}

// padWidget returns the writing pad of the current layout, or nil (also
// under a dialog and in the technician mode).
func (a *App) padWidget() *layout.Widget {
	if a.scr == nil || a.techOpen() {
		return nil
	}
	for i := range a.scr.Widgets {
		w := &a.scr.Widgets[i]
		if w.Kind == layout.Pad && (a.scr.ModalFrom < 0 || i >= a.scr.ModalFrom) {
			return w
		}
	}
	return nil
}

// penDown starts a stroke when (x, y) is on the pad.
func (a *App) penDown(x, y float64) bool {
	w := a.padWidget()
	if w == nil || !w.Rect.Contains(x, y) {
		return false
	}
	a.ptr.Stop()
	a.pen = pen{down: true, pad: w.Rect}
	a.pen.pts = append(a.pen.pts, a.toPad(x, y))
	a.showInk()
	return true
}

// penMove adds the finger's position to the stroke.
func (a *App) penMove(x, y float64) {
	p := a.toPad(x, y)
	last := a.pen.pts[len(a.pen.pts)-1]
	if math.Hypot(float64(p.X-last.X), float64(p.Y-last.Y)) < penStep {
		return
	}
	a.pen.pts = append(a.pen.pts, p)
	a.showInk()
}

// penUp ends the stroke and posts it.
func (a *App) penUp(x, y float64) {
	a.penMove(x, y)
	a.pen.down = false
	a.pen.pending, a.pen.sent = a.pen.pts, a.view.Rev
	a.h.Post(session.Stroke{Points: slices.Clone(a.pen.pts)})
	a.pen.pts = nil
}

// toPad turns a screen position into pad coordinates.
func (a *App) toPad(x, y float64) session.Point {
	r := a.pen.pad
	f := func(v, o, l float64) int {
		return int(math.Round(min(max((v-o)/l, 0), 1) * session.PadSize))
	}
	return session.Point{X: f(x, r.X, r.W), Y: f(y, r.Y, r.H)}
}

// showInk draws the stroke being written (or posted and not yet in the
// view) on the pad, after the strokes the view holds.
func (a *App) showInk() {
	live := a.pen.pts
	if !a.pen.down {
		if a.pen.pending != nil && a.view.Rev != a.pen.sent {
			a.pen.pending = nil // the view holds it now (or refused it)
		}
		live = a.pen.pending
	}
	w := a.padWidget()
	if w == nil || live == nil {
		return
	}
	// A new slice each time: the painter compares with what it drew.
	w.Ink = append(append([][]session.Point(nil), a.view.Strokes...), slices.Clone(live))
	a.dirty = true
}

// drawPad paints the writing pad: a white square with a border, a light
// 米字格 grid to guide the hand, and the ink.
func (p *painter) drawPad(dst *ebiten.Image, th *layout.Theme, w *layout.Widget, r layout.Rect) {
	p.strokeRoundRect(dst, r.X, r.Y, r.W, r.H, th.Radius*0.6, 4, th.Muted, th.Surface)
	grid := th.Secondary
	dash := func(x0, y0, x1, y1 float64) {
		n := int(math.Hypot(x1-x0, y1-y0) / 24)
		for i := 0; i < n; i += 2 {
			t0, t1 := float64(i)/float64(n), float64(i+1)/float64(n)
			vector.StrokeLine(dst, float32(x0+(x1-x0)*t0), float32(y0+(y1-y0)*t0),
				float32(x0+(x1-x0)*t1), float32(y0+(y1-y0)*t1), 3, grid, false)
		}
	}
	in := r.W * 0.04
	x0, y0, x1, y1 := r.X+in, r.Y+in, r.X+r.W-in, r.Y+r.H-in
	dash(x0, (y0+y1)/2, x1, (y0+y1)/2)
	dash((x0+x1)/2, y0, (x0+x1)/2, y1)
	dash(x0, y0, x1, y1)
	dash(x1, y0, x0, y1)
	width := float32(max(6, r.W/45))
	for _, s := range w.Ink {
		p.ink(dst, s, r, width, th.Text)
	}
}

// ink draws one stroke with round joins and ends.
func (p *painter) ink(dst *ebiten.Image, s []session.Point, r layout.Rect, width float32, c color.RGBA) {
	if len(s) == 0 {
		return
	}
	at := func(q session.Point) (float32, float32) {
		return float32(r.X + float64(q.X)/session.PadSize*r.W), float32(r.Y + float64(q.Y)/session.PadSize*r.H)
	}
	if len(s) == 1 {
		x, y := at(s[0])
		vector.DrawFilledCircle(dst, x, y, width/2, c, true)
		return
	}
	var path vector.Path
	x, y := at(s[0])
	path.MoveTo(x, y)
	for _, q := range s[1:] {
		x, y := at(q)
		path.LineTo(x, y)
	}
	op := &vector.StrokeOptions{Width: width, LineJoin: vector.LineJoinRound, LineCap: vector.LineCapRound}
	p.vs, p.is = path.AppendVerticesAndIndicesForStroke(p.vs[:0], p.is[:0], op)
	p.paint(dst, c, ebiten.FillRuleFillAll)
}
