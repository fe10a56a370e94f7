package ui

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/techmode"
	"github.com/henan-county/kiosk/ui/layout"
)

// Technician mode on the screen: the corner gesture turned into a request
// to the host, touches routed to the mode while it is open, and its view
// drawn instead of the resident's. When the mode may open and what it
// does to the resident's session are the host's.

// techState is what the screen keeps of the technician mode.
type techState struct {
	hold  techmode.Hold
	view  techmode.View
	scr   *layout.TechScreen
	built bool
}

// techOpen reports whether technician mode is on the screen.
func (a *App) techOpen() bool { return a.hv.Tech != nil }

// OpenTechnician asks for the technician PIN pad, as the corner gesture
// does (for a keyboard shortcut in sim mode and for tests). Safe from any
// goroutine; the host ignores it mid-matter or without a technician.
func (a *App) OpenTechnician() { a.h.Post(host.OpenTechnician{}) }

// techRebuild lays out the mode's view when it changed.
func (a *App) techRebuild(force bool) {
	t := a.tech
	v := *a.hv.Tech
	if !force && t.built && v.Rev == t.view.Rev {
		return
	}
	if v.Screen != t.view.Screen || !t.built {
		a.scroll = 0
		a.ptr.Stop()
	}
	t.view, t.built = v, true
	t.scr = layout.BuildTech(&t.view, a.size, a.fonts)
	a.scr = t.scr.Screen
	a.painter.showPictures(a.scr, false)
	a.scroll = min(a.scroll, a.scr.MaxScroll())
	a.animated, a.live = false, false
	a.publishLayout()
	a.dirty = true
}

// techTap handles a tap while the mode is open.
func (a *App) techTap(w *layout.Widget) string {
	if w == nil {
		a.h.Post(techmode.Touch{})
		return ""
	}
	if ev := a.tech.scr.Event(w); ev != nil {
		a.h.Post(ev)
	}
	return w.ID
}

// techPress, techMove and techRelease feed the corner gesture and keep
// the mode awake; techRelease reports whether the touch opened the mode
// (its release is then no tap).
func (a *App) techPress(x, y float64, now time.Time) {
	if a.techOpen() {
		a.h.Post(techmode.Touch{})
		return
	}
	if a.hv.TechAllowed {
		a.tech.hold.Press(x, y, now)
	}
}

func (a *App) techMove(x, y float64, now time.Time) {
	a.tech.hold.Move(x, y)
	if a.tech.hold.Fired(now) {
		a.OpenTechnician()
	}
}

func (a *App) techRelease(x, y float64) (swallow bool) {
	return a.tech.hold.Release(x, y)
}

// shownRev changes whenever what is on the screen changes.
func (a *App) shownRev() uint64 {
	if a.techOpen() {
		return a.tech.view.Rev
	}
	return a.view.Rev
}

// shownName is the screen's name for OnLayout ("tech:menu" while the
// technician mode is open).
func (a *App) shownName() string {
	if a.techOpen() {
		return "tech:" + string(a.tech.view.Screen)
	}
	return string(a.view.Screen)
}
