package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

func newTestApp(t *testing.T, rotate int) (*App, *rig) {
	t.Helper()
	return newRigApp(t, func(_ *host.Opts, o *Opts) { o.Rotate = rotate })
}

// tapID taps the centre of a widget by id, as a finger would.
func tapID(t *testing.T, a *App, id string) {
	t.Helper()
	w, ok := a.Screen().Find(id)
	for range 10 {
		// Not on this page: turn to the next, as a resident would.
		if ok {
			break
		}
		p, more := a.Screen().Find("page-next")
		if !more || p.Local == "" {
			break
		}
		a.Tap(p.Rect.X+p.Rect.W/2, p.Rect.Y+p.Rect.H/2)
		w, ok = a.Screen().Find(id)
	}
	if !ok {
		t.Fatalf("no widget %q on %s", id, a.view.Screen)
	}
	r := w.Rect
	y := r.Y + r.H/2
	if w.Scroll {
		y -= a.scroll
	}
	if got := a.Tap(r.X+r.W/2, y); got != id {
		t.Fatalf("tap on %q hit %q", id, got)
	}
}

func TestJourneyByTaps(t *testing.T) {
	a, fx := newTestApp(t, 0)
	steps := []struct {
		tap  string
		post session.Event
		want session.Screen
	}{
		{tap: "start", want: session.ScreenHome},
		{tap: "cat:social", want: session.ScreenCategory},
		{tap: "svc:ss-record", want: session.ScreenGuide},
		{tap: "begin", want: session.ScreenIdentify},
		{post: session.CardPresent{Card: scenes.Card()}, want: session.ScreenIdentify},
		{tap: "confirm", want: session.ScreenForm},
		{tap: "field:phone", want: session.ScreenForm},
	}
	for _, s := range steps {
		if s.tap != "" {
			tapID(t, a, s.tap)
		} else {
			a.Post(s.post)
			a.Sync()
		}
		if a.view.Screen != s.want {
			t.Fatalf("after %v%v: screen %s, want %s", s.tap, s.post, a.view.Screen, s.want)
		}
	}
	for _, k := range "13812345678" {
		tapID(t, a, "pad:"+string(k))
	}
	if v := a.view.Form[2].Value; v != "13812345678" {
		t.Fatalf("typed %q", v)
	}
	tapID(t, a, "pad:删除")
	tapID(t, a, "pad:8")
	tapID(t, a, "field:years")
	tapID(t, a, "choice:3")
	tapID(t, a, "next")
	if a.view.Screen != session.ScreenConfirm {
		t.Fatalf("screen %s (%+v)", a.view.Screen, a.view.Form)
	}
	tapID(t, a, "submit")
	waitFor(t, a, "the submission", func() bool { return len(fx.ports.Snapshot().Subs) == 1 })
	if sub := fx.ports.Snapshot().Subs[0]; sub.Fields["phone"] != "13812345678" || sub.Fields["years"] != "3" {
		t.Fatalf("submitted: %+v", sub.Fields)
	}
}

func TestElderKeyboardPages(t *testing.T) {
	a, _ := newTestApp(t, 0)
	tapID(t, a, "start")
	tapID(t, a, "elder")
	tapID(t, a, "search")
	if _, ok := a.Screen().Find("key:n"); ok {
		t.Fatal("elder keyboard shows both pages")
	}
	tapID(t, a, "key:page")
	tapID(t, a, "key:s")
	if a.view.Query != "s" {
		t.Fatalf("query %q", a.view.Query)
	}
}

// TestRotatedInput checks that a touch on a panel mounted at 90° reaches
// the widget drawn under the finger.
func TestRotatedInput(t *testing.T) {
	for _, deg := range []int{90, 180, 270} {
		a, _ := newTestApp(t, deg)
		a.Layout(int(a.panel.W), int(a.panel.H))
		w, _ := a.Screen().Find("start")
		lx, ly := w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2
		// Where the finger lands on the panel, and what Ebitengine reports
		// for it (its default mapping assumes no rotation).
		px, py := layout.ToPanel(lx, ly, a.size, deg)
		s0, dx0, dy0 := layout.Fit(a.size, a.outside)
		cx, cy := (px-dx0)/s0, (py-dy0)/s0
		x, y := a.toLogical(cx, cy)
		if d := (x-lx)*(x-lx) + (y-ly)*(y-ly); d > 1 {
			t.Fatalf("%d°: touch at logical %.0f,%.0f mapped to %.0f,%.0f", deg, lx, ly, x, y)
		}
		if got := a.Tap(x, y); got != "start" {
			t.Fatalf("%d°: hit %q", deg, got)
		}
		// The drawing is turned the same way.
		g := a.panelGeoM(a.panel)
		gx, gy := g.Apply(lx, ly)
		if (gx-px)*(gx-px)+(gy-py)*(gy-py) > 1 {
			t.Fatalf("%d°: drawn at %.0f,%.0f, touched at %.0f,%.0f", deg, gx, gy, px, py)
		}
	}
}

func TestPostFromGoroutines(t *testing.T) {
	a, _ := newTestApp(t, 0)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				a.Post(session.Presence{})
			}
		}()
	}
	wg.Wait()
	a.Post(session.Start{})
	a.Sync()
	if a.view.Screen != session.ScreenHome {
		t.Fatalf("screen %s", a.view.Screen)
	}
}

// TestRedrawOnlyOnChange: an unchanged screen is not drawn again.
func TestRedrawOnlyOnChange(t *testing.T) {
	a, _ := newTestApp(t, 0)
	a.Draw(nil2(a))
	if a.dirty {
		t.Fatal("still dirty after drawing")
	}
	a.Update()
	if a.dirty {
		t.Fatal("idle update asked for a redraw")
	}
	a.Post(session.Start{})
	if err := a.h.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	a.Update()
	if !a.dirty {
		t.Fatal("a new screen was not redrawn")
	}
}

func TestQuitAndOnFrame(t *testing.T) {
	frames := 0
	a, _ := newRigApp(t, func(_ *host.Opts, o *Opts) { o.OnFrame = func(time.Time) { frames++ } })
	a.Update()
	if frames != 0 {
		t.Fatal("OnFrame before the first frame")
	}
	a.Draw(nil2(a))
	a.Update()
	if frames != 2 {
		t.Fatalf("OnFrame called %d times", frames)
	}
	a.Quit()
	if err := a.Update(); err != ebiten.Termination {
		t.Fatalf("Update after Quit = %v", err)
	}
}
