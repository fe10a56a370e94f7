package ui

import (
	"testing"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

// drag moves a finger through the points (logical pixels) as the game
// loop sees it: a press, moves, a release. It reports whether the pen
// took the touch; if not, the points go to the ordinary pointer (taps
// and scrolling), as App.pointer does.
func drag(a *App, pts [][2]float64) (pen bool) {
	if a.penDown(pts[0][0], pts[0][1]) {
		for _, p := range pts[1:] {
			a.penMove(p[0], p[1])
		}
		last := pts[len(pts)-1]
		a.penUp(last[0], last[1])
		return true
	}
	now := a.start
	a.ptr.Press(pts[0][0], pts[0][1], now)
	for _, p := range pts[1:] {
		if d := a.ptr.Move(p[0], p[1], now); d != 0 {
			a.scrollBy(d)
		}
	}
	last := pts[len(pts)-1]
	if a.ptr.Release(last[0], last[1], now) {
		a.tap(pts[0][0], pts[0][1])
	}
	return false
}

// TestDragOnThePadIsAStroke: on a text field, 手写 puts the pad in the
// keyboard's place; a drag across it becomes one stroke in the pad's
// coordinates (not a scroll, not a tap), is drawn at once, goes to the
// recogniser, and its candidate types the character.
func TestDragOnThePadIsAStroke(t *testing.T) {
	hw := &hosttest.Handwriting{}
	a, r := newRigApp(t, func(o *host.Opts, _ *Opts) { o.Ports.Handwriting = hw })
	tapID(t, a, "start")
	tapID(t, a, "cat:civil")
	tapID(t, a, "svc:subsidy")
	tapID(t, a, "begin")
	a.Post(session.CardPresent{Card: scenes.Card()})
	a.Sync()
	tapID(t, a, "confirm")
	tapID(t, a, "field:need")
	tapID(t, a, "ime:hand")
	pad, ok := a.Screen().Find("hw:pad")
	if !ok || !a.view.Handwriting {
		t.Fatal("no writing pad after 手写")
	}
	pr := pad.Rect
	// 一: left to right across the middle, with a wobble.
	var pts [][2]float64
	for i := 0; i <= 20; i++ {
		x := pr.X + pr.W*(0.1+0.04*float64(i))
		y := pr.Y + pr.H*0.5 + float64(i%3)
		pts = append(pts, [2]float64{x, y})
	}
	scroll := a.scroll
	if !drag(a, pts[:10]) {
		t.Fatal("the pad did not take the touch")
	}
	// Until the host's view holds the stroke the screen draws it itself.
	if w, _ := a.Screen().Find("hw:pad"); len(w.Ink) != 1 {
		t.Fatalf("ink on the pad before the view: %v", w.Ink)
	}
	waitFor(t, a, "the candidates", func() bool { return len(a.view.Candidates) > 0 })
	if a.scroll != scroll {
		t.Fatalf("the drag scrolled %v → %v", scroll, a.scroll)
	}
	calls := hw.Calls()
	if len(calls) != 1 || len(calls[0]) != 1 {
		t.Fatalf("recogniser asked %v", calls)
	}
	s := calls[0][0]
	first, last := s[0], s[len(s)-1]
	if first.X < 90 || first.X > 110 || first.Y < 490 || first.Y > 510 || last.X < 420 || last.X > 480 || len(s) < 5 {
		t.Fatalf("stroke in pad coordinates %v", s)
	}
	if w, _ := a.Screen().Find("hw:pad"); len(w.Ink) != 1 || len(a.view.Strokes) != 1 {
		t.Fatalf("ink %d, view strokes %d", len(w.Ink), len(a.view.Strokes))
	}
	tapID(t, a, "cand:一")
	if got := a.view.Form[0].Value; got != "一" {
		t.Fatalf("field %q", got)
	}
	if w, _ := a.Screen().Find("hw:pad"); len(w.Ink) != 0 {
		t.Fatal("the pad keeps the ink after the pick")
	}
	// The next character on the cleared pad (the field wants two).
	if !drag(a, pts) {
		t.Fatal("the pad did not take the second touch")
	}
	waitFor(t, a, "the candidates again", func() bool { return len(a.view.Candidates) > 0 })
	tapID(t, a, "cand:一")
	// A drag that starts outside the pad is no stroke.
	if drag(a, [][2]float64{{pr.X - 10, pr.Y + 5}, {pr.X + 200, pr.Y + 5}}) {
		t.Fatal("a drag from outside the pad wrote on it")
	}
	tapID(t, a, "hw:done")
	tapID(t, a, "next")
	tapID(t, a, "submit")
	waitFor(t, a, "the submission", func() bool { return len(r.ports.Snapshot().Subs) == 1 })
	if got := r.ports.Snapshot().Subs[0].Fields["need"]; got != "一一" {
		t.Fatalf("submitted %q", got)
	}
}
