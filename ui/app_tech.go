package ui

import (
	"context"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techmode"
	"github.com/henan-county/kiosk/ui/layout"
)

// Technician mode on the App: the corner gesture, routing input to the
// techmode machine while it is open, running its requests off the game
// loop and drawing its layout instead of the resident's.
//
// While the mode is open the resident's session is held on its
// maintenance screen by feeding it session.Maintenance{On: true} directly:
// a card placed for the card read test cannot start a session beneath,
// and the daemon's own maintenance flag (the operator's, reported in
// heartbeats and kioskctl status) is left alone, so a crash or a timeout
// can never leave the kiosk stuck in maintenance. Maintenance changes
// the daemon posts meanwhile are remembered and applied on exit.

// techState is the App's technician-mode state.
type techState struct {
	m      *techmode.Machine
	hold   techmode.Hold
	view   techmode.View
	scr    *layout.TechScreen
	built  bool
	open   bool // as last synced with the session
	maint  bool // the daemon's maintenance wish, to restore on exit
	queue  []techmode.Event
	lastTk time.Time
}

// techScreens are the resident screens the gesture works on: none is in
// the middle of a resident's matter.
func techAllowed(s session.Screen) bool {
	switch s {
	case session.ScreenAttract, session.ScreenHome, session.ScreenOutOfService, session.ScreenMaintenance:
		return true
	}
	return false
}

func (a *App) initTech() {
	if a.o.Technician == nil {
		return
	}
	a.tech = &techState{m: techmode.New(a.o.TechOpts)}
}

// techOpen reports whether technician mode is on the screen.
func (a *App) techOpen() bool { return a.tech != nil && a.tech.m.IsOpen() }

// OpenTechnician shows the technician PIN pad, as the corner gesture
// does (for a keyboard shortcut in sim mode and for tests). Safe from any
// goroutine; ignored mid-transaction or without a Technician.
func (a *App) OpenTechnician() { a.postTech(techOpenReq{}) }

// techOpenReq asks the game loop to open the mode if allowed.
type techOpenReq struct{ techmode.Touch }

func (a *App) postTech(ev techmode.Event) {
	if a.tech == nil || ev == nil {
		return
	}
	a.mu.Lock()
	a.tech.queue = append(a.tech.queue, ev)
	a.mu.Unlock()
	ebiten.ScheduleFrame()
}

// techUpdate runs once per Update: answers, ticks and the open/closed
// hand-over with the session.
func (a *App) techUpdate(now time.Time) {
	if a.tech == nil {
		return
	}
	a.mu.Lock()
	q := a.tech.queue
	a.tech.queue = nil
	a.mu.Unlock()
	for _, ev := range q {
		if _, ok := ev.(techOpenReq); ok {
			a.techTryOpen()
			continue
		}
		a.techHandle(ev)
	}
	if a.techOpen() && now.Sub(a.tech.lastTk) >= a.o.TickEvery {
		a.tech.lastTk = now
		a.techHandle(techmode.Tick{})
	}
}

func (a *App) techTryOpen() {
	if !a.techOpen() && techAllowed(a.m.View().Screen) {
		a.techHandle(techmode.Open{})
	}
}

// techHandle feeds the machine and starts its requests.
func (a *App) techHandle(ev techmode.Event) {
	for _, r := range a.tech.m.Handle(ev) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			a.postTech(techmode.Run(ctx, a.o.Technician, r))
		}()
	}
	a.techSync()
}

// techSync hands the screen over between the session and the mode.
func (a *App) techSync() {
	t := a.tech
	switch open := t.m.IsOpen(); {
	case open && !t.open:
		t.open = true
		t.maint = a.m.View().Screen == session.ScreenMaintenance
		a.log.Info("technician mode opened")
		a.handle(session.Maintenance{On: true})
		a.scroll = 0
		a.ptr.Stop()
	case !open && t.open:
		t.open, t.built = false, false
		a.log.Info("technician mode closed")
		a.handle(session.Maintenance{On: t.maint})
		a.scroll = 0
		a.ptr.Stop()
		a.rebuild(true)
	}
}

// techSessionEvent keeps the daemon's maintenance changes away from the
// session while the mode is open; it reports whether ev was taken.
func (a *App) techSessionEvent(ev session.Event) bool {
	if !a.techOpen() {
		return false
	}
	if e, ok := ev.(session.Maintenance); ok {
		a.tech.maint = e.On
		return true
	}
	return false
}

// techRebuild lays out the mode's view when it changed.
func (a *App) techRebuild(force bool) {
	t := a.tech
	v := t.m.View()
	if !force && t.built && v.Rev == t.view.Rev {
		return
	}
	if v.Screen != t.view.Screen {
		a.scroll = 0
		a.ptr.Stop()
	}
	t.view, t.built = v, true
	t.scr = layout.BuildTech(&t.view, a.size, a.fonts)
	a.scr = t.scr.Screen
	a.scroll = min(a.scroll, a.scr.MaxScroll())
	a.animated = false
	a.publishLayout()
	a.dirty = true
}

// techTap handles a tap while the mode is open.
func (a *App) techTap(w *layout.Widget) string {
	if w == nil {
		a.techHandle(techmode.Touch{})
		return ""
	}
	if ev := a.tech.scr.Event(w); ev != nil {
		a.techHandle(ev)
	}
	a.rebuild(false)
	return w.ID
}

// techPress, techMove and techRelease feed the corner gesture and keep
// the mode awake; techRelease reports whether the touch opened the mode
// (its release is then no tap).
func (a *App) techPress(x, y float64, now time.Time) {
	if a.tech == nil {
		return
	}
	if a.techOpen() {
		a.techHandle(techmode.Touch{})
		return
	}
	if techAllowed(a.view.Screen) {
		a.tech.hold.Press(x, y, now)
	}
}

func (a *App) techMove(x, y float64, now time.Time) {
	if a.tech == nil {
		return
	}
	a.tech.hold.Move(x, y)
	if a.tech.hold.Fired(now) {
		a.techTryOpen()
		a.rebuild(false)
	}
}

func (a *App) techRelease(x, y float64) (swallow bool) {
	if a.tech == nil {
		return false
	}
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
