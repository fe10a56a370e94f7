package ui

import (
	"image"
	"math"
	"reflect"
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/ui/layout"
)

// Repainting only what changed.
//
// Under a software renderer every pixel painted costs: a full 1080×1920
// redraw of a busy screen is tens of milliseconds, while a keypress on the
// search screen changes the search box and the results only. The screen
// keeps its pixels between frames (SetScreenClearedEveryFrame(false)), so
// the painter compares the new layout with the one it last drew on the
// same image and repaints only the rectangles where a widget appeared,
// disappeared, moved or changed its look, plus animated widgets. Each such
// rectangle is cleared and every widget reaching into it drawn again in
// order, clipped to it, so overlaps (dialogs over screens, the night
// dimming) come out exactly as in a full redraw.

// fullRepaintShare is the share of the screen beyond which damaged
// rectangles are not worth tracking and the whole screen is painted.
const fullRepaintShare = 0.6

// maxRemembered is how many destinations the painter remembers: the
// window's screen and an off-screen image for screenshots.
const maxRemembered = 2

// drawnScreen is what the painter last drew on one destination.
type drawnScreen struct {
	dst     *ebiten.Image
	size    image.Point
	theme   layout.Theme
	dim     bool
	modal   int
	scroll  float64
	area    layout.Rect
	content float64
	animKey int
	camGen  uint64 // the camera picture drawn (painter.camGen)
	widgets []layout.Widget
}

// animStep quantises the animation clock the way the widgets use it (the
// spinner turns 10 steps a second, the caret blinks twice a second).
func animStep(anim float64) int { return int(anim * 10) }

// animated reports whether a widget's pixels depend on the animation clock.
func animated(w *layout.Widget) bool {
	return w.Kind == layout.Spinner || w.Kind == layout.CardIcon || w.Kind == layout.Field && w.Focused
}

// sameLook reports whether two widgets draw the same pixels: every field
// but the ones that only matter to taps.
func sameLook(a, b *layout.Widget) bool {
	if a.Kind != b.Kind || a.Rect != b.Rect || a.Scroll != b.Scroll || a.Role != b.Role || a.Size != b.Size {
		return false
	}
	x, y := *a, *b
	x.ID, y.ID, x.Event, y.Event, x.Local, y.Local = "", "", nil, nil, "", ""
	return reflect.DeepEqual(x, y)
}

// damage returns the rectangles of dst to paint for s and remembers s as
// drawn there. With nothing remembered for dst (or a new size, theme,
// dialog or dimming) it is the whole screen.
func (p *painter) damage(dst *ebiten.Image, s *layout.Screen, scroll, anim float64) []image.Rectangle {
	b := dst.Bounds()
	full := []image.Rectangle{b}
	cur := &drawnScreen{dst: dst, size: b.Size(), dim: s.Dim, modal: s.ModalFrom, scroll: scroll, area: s.Scroll,
		content: s.ContentH, animKey: animStep(anim), camGen: p.camGen, widgets: append([]layout.Widget(nil), s.Widgets...)}
	if s.Theme != nil {
		cur.theme = *s.Theme
	}
	// What is remembered holds no picture, only which copy was drawn: a
	// proof's page must not outlive its screen here.
	for i := range cur.widgets {
		w := &cur.widgets[i]
		if w.Picture != nil {
			w.Data = "picture " + strconv.FormatUint(p.pictureID(w), 10)
			w.Picture = nil
		}
	}
	var prev *drawnScreen
	for i, d := range p.drawn {
		if d.dst == dst {
			prev = d
			p.drawn = append(p.drawn[:i], p.drawn[i+1:]...)
			break
		}
	}
	p.drawn = append(p.drawn, cur)
	if len(p.drawn) > maxRemembered {
		p.drawn = p.drawn[len(p.drawn)-maxRemembered:]
	}
	if prev == nil || prev.size != cur.size || prev.dim != cur.dim || prev.modal != cur.modal ||
		prev.area != cur.area || !reflect.DeepEqual(prev.theme, cur.theme) {
		return full
	}

	var rects []image.Rectangle
	add := func(r layout.Rect) {
		if r.W <= 0 || r.H <= 0 {
			return
		}
		if pr := pixelRect(r).Inset(-2).Intersect(b); !pr.Empty() {
			rects = append(rects, pr)
		}
	}
	onScreen := func(d *drawnScreen, w *layout.Widget) layout.Rect {
		if !w.Scroll {
			return w.Rect
		}
		r := w.Rect
		r.Y -= d.scroll
		return clipRect(r, d.area)
	}
	scrolled := prev.scroll != cur.scroll
	if scrolled {
		add(cur.area)
	}
	if prev.content != cur.content && cur.area.H > 0 {
		add(scrollbarRect(s))
	}
	// Match each new widget with an unchanged old one at the same place.
	type key struct {
		kind   layout.Kind
		rect   layout.Rect
		scroll bool
	}
	old := map[key][]int{}
	used := make([]bool, len(prev.widgets))
	for i := range prev.widgets {
		w := &prev.widgets[i]
		k := key{w.Kind, w.Rect, w.Scroll}
		old[k] = append(old[k], i)
	}
	tick := prev.animKey != cur.animKey
	for i := range cur.widgets {
		w := &cur.widgets[i]
		if w.Scroll && scrolled {
			continue // the whole area is repainted
		}
		match := false
		for _, j := range old[key{w.Kind, w.Rect, w.Scroll}] {
			if !used[j] && sameLook(&prev.widgets[j], w) {
				used[j], match = true, true
				break
			}
		}
		switch {
		case w.Kind == layout.Camera && match && prev.camGen != cur.camGen:
			// A new camera frame: the picture covers its pixels exactly
			// and opaquely, nothing around it changes.
			if pr := pixelRect(onScreen(cur, w)).Intersect(b); !pr.Empty() {
				rects = append(rects, pr)
			}
		case !match || animated(w) && tick:
			add(onScreen(cur, w))
		}
	}
	for j := range prev.widgets {
		w := &prev.widgets[j]
		if !used[j] && !(w.Scroll && scrolled) {
			add(onScreen(prev, w))
		}
	}
	rects = merge(rects)
	area := 0
	for _, r := range rects {
		area += r.Dx() * r.Dy()
	}
	if float64(area) > fullRepaintShare*float64(b.Dx()*b.Dy()) {
		return full
	}
	return rects
}

// merge joins overlapping rectangles until none overlap, so no pixel is
// painted twice.
func merge(rs []image.Rectangle) []image.Rectangle {
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(rs) && !changed; i++ {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].Overlaps(rs[j]) {
					rs[i] = rs[i].Union(rs[j])
					rs = append(rs[:j], rs[j+1:]...)
					changed = true
					break
				}
			}
		}
	}
	return rs
}

// pixelRect is the smallest pixel rectangle holding r.
func pixelRect(r layout.Rect) image.Rectangle {
	return image.Rect(int(math.Floor(r.X)), int(math.Floor(r.Y)), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))
}

// touches reports whether r reaches into the pixel rectangle clip (with
// the margin damage adds around widgets).
func touches(r layout.Rect, clip image.Rectangle) bool {
	return pixelRect(r).Inset(-2).Overlaps(clip)
}

func clipRect(r, c layout.Rect) layout.Rect {
	x0, y0 := max(r.X, c.X), max(r.Y, c.Y)
	x1, y1 := min(r.X+r.W, c.X+c.W), min(r.Y+r.H, c.Y+c.H)
	if x1 <= x0 || y1 <= y0 {
		return layout.Rect{}
	}
	return layout.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// scrollbarRect is the strip of the scroll area the scroll bar moves in.
func scrollbarRect(s *layout.Screen) layout.Rect {
	r := s.Scroll
	return layout.Rect{X: r.X + r.W - 14, Y: r.Y, W: 14, H: r.H}
}
