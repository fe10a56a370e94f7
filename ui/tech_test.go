package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techauth"
	"github.com/henan-county/kiosk/kiosk/techmode"
	"github.com/henan-county/kiosk/kiosk/techmode/techscenes"
)

// guarded is the canned kiosk with a real PIN guard (3 attempts, then
// 5 minutes locked), as the daemon wires d.Tech().Check.
type guarded struct {
	*techscenes.Kiosk
	guard *techauth.Guard
	mu    sync.Mutex
	calls []string
}

func (g *guarded) CheckPIN(pin string) error { return g.guard.Check(pin) }

func (g *guarded) GPIOSet(ctx context.Context, name string, on bool) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, name)
	return nil
}

func newTechApp(t *testing.T) (*App, *guarded, *hosttest.Clock) {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte("246810"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	k := &guarded{Kiosk: techscenes.NewKiosk()}
	a, r := newRigApp(t, func(o *host.Opts, uo *Opts) {
		o.Technician = k
		uo.AlwaysAwake = true
	})
	g, err := techauth.New(string(h), 3, 5*time.Minute, r.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	k.guard = g
	return a, k, r.clock
}

// settle waits until the technician mode's answers satisfy cond.
func settle(t *testing.T, a *App, cond func() bool) {
	t.Helper()
	waitFor(t, a, "the technician mode", cond)
}

// holdCorner presses the top-left corner for the given time through the
// App's own gesture path and releases; it reports the id tapped.
func holdCorner(a *App, start time.Time, d time.Duration) string {
	a.ptr.Press(20, 20, start)
	a.techPress(20, 20, start)
	a.techMove(20, 20, start.Add(d))
	held := a.techRelease(20, 20)
	if a.ptr.Release(20, 20, start.Add(d)) && !held {
		return a.Tap(20, 20)
	}
	a.Sync()
	return ""
}

func typePad(t *testing.T, a *App, pin string) {
	t.Helper()
	for _, d := range pin {
		tapID(t, a, "tech-pad:"+string(d))
	}
	tapID(t, a, "tech-pad:enter")
	settle(t, a, func() bool { return !a.tech.view.Checking })
}

func TestTechGestureOnlyOnQuietScreens(t *testing.T) {
	a, _, _ := newTechApp(t)
	t0 := time.Now()
	if holdCorner(a, t0, 4*time.Second); a.techOpen() {
		t.Fatal("opened after 4 s")
	}
	holdCorner(a, t0, 5*time.Second)
	if !a.techOpen() || a.tech.view.Screen != techmode.ScreenPIN {
		t.Fatalf("not open after 5 s: %q", a.tech.view.Screen)
	}
	if a.h.View().Session.Screen != session.ScreenMaintenance {
		t.Fatalf("the session is on %q beneath", a.h.View().Session.Screen)
	}
	if _, ok := a.Screen().Find("tech-pad:1"); !ok {
		t.Fatal("no PIN pad drawn")
	}
	tapID(t, a, "tech-exit")
	if a.techOpen() || a.view.Screen != session.ScreenAttract {
		t.Fatalf("exit: open %v, session %q", a.techOpen(), a.view.Screen)
	}

	// Mid-matter (the guide of a chosen matter) the gesture does nothing.
	tapID(t, a, "start")
	tapID(t, a, "cat:social")
	tapID(t, a, "svc:ss-record")
	if holdCorner(a, t0, 6*time.Second); a.techOpen() {
		t.Fatal("opened in the middle of a matter")
	}
	a.OpenTechnician()
	a.Sync()
	if a.techOpen() {
		t.Fatal("opened by shortcut in the middle of a matter")
	}
}

func TestTechLockoutThroughTheScreen(t *testing.T) {
	a, _, clk := newTechApp(t)
	a.OpenTechnician()
	a.Sync()
	for i, want := range []string{"还可尝试 2 次", "还可尝试 1 次", "已锁定", "已锁定"} {
		pin := "1111"
		if i == 3 {
			pin = "246810" // the right PIN is refused while locked
		}
		typePad(t, a, pin)
		if v := a.tech.view; v.Screen != techmode.ScreenPIN || !strings.Contains(v.Message, want) {
			t.Fatalf("attempt %d: %q %q, want %q", i+1, v.Screen, v.Message, want)
		}
		if w, ok := a.Screen().Find("tech-message"); !ok || !strings.Contains(strings.Join(w.Lines, ""), want) {
			t.Fatalf("attempt %d: the message is not on the screen: %+v", i+1, w)
		}
	}
	clk.Set(clk.Now().Add(5*time.Minute + time.Second))
	typePad(t, a, "246810")
	if a.tech.view.Screen != techmode.ScreenMenu {
		t.Fatalf("after the lockout: %q %q", a.tech.view.Screen, a.tech.view.Message)
	}
}

func TestTechScreensAndTimeout(t *testing.T) {
	a, k, clk := newTechApp(t)
	var mu sync.Mutex
	var layouts []string
	a.o.OnLayout = func(screen string, _ uint64, _ []Target) { mu.Lock(); layouts = append(layouts, screen); mu.Unlock() }
	a.first.Store(1) // as if the first frame were on the glass
	a.OpenTechnician()
	a.Sync()
	typePad(t, a, "246810")
	settle(t, a, func() bool { return a.tech.view.Kiosk != "" })
	tapID(t, a, "tech:gpio")
	settle(t, a, func() bool { _, ok := a.Screen().Find("tech:gpio:light_green"); return ok })
	tapID(t, a, "tech:gpio:light_green")
	settle(t, a, func() bool { k.mu.Lock(); defer k.mu.Unlock(); return len(k.calls) == 1 })
	tapID(t, a, "tech-back")
	tapID(t, a, "tech:cardread")
	tapID(t, a, "tech:read")
	settle(t, a, func() bool { return strings.Contains(a.tech.view.Message, "masked") })
	for _, w := range a.Screen().Widgets {
		if s := strings.Join(w.Lines, ""); strings.Contains(s, "410122") && !strings.Contains(s, "****") {
			t.Fatalf("unmasked number on screen: %q", s)
		}
	}
	// A maintenance change from the daemon while open is kept for later.
	a.Post(session.Maintenance{On: true})
	a.Post(session.Maintenance{On: false})
	a.Sync()
	// No touch for 120 s: back to the resident's attract screen.
	clk.Advance(121 * time.Second)
	a.Sync()
	if a.techOpen() || a.view.Screen != session.ScreenAttract {
		t.Fatalf("after the timeout: open %v, session %q", a.techOpen(), a.view.Screen)
	}
	if _, ok := a.Screen().Find("start"); !ok {
		t.Fatal("attract not drawn")
	}
	// The daemon's maintenance flag set while the mode was open wins on exit.
	a.OpenTechnician()
	a.Sync()
	a.Post(session.Maintenance{On: true})
	a.Sync()
	tapID(t, a, "tech-exit")
	if a.view.Screen != session.ScreenMaintenance {
		t.Fatalf("daemon's maintenance lost: %q", a.view.Screen)
	}
	mu.Lock()
	defer mu.Unlock()
	if all := " " + strings.Join(layouts, " ") + " "; !strings.Contains(all, " tech:gpio ") || !strings.Contains(all, " attract ") {
		t.Fatalf("OnLayout was told %v", layouts)
	}
}

// TestTechGolden draws every technician screen (portrait; three in
// landscape too) and compares it with testdata/golden.
func TestTechGolden(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	landscape := map[string]bool{"tech_pin_wrong": true, "tech_menu": true, "tech_gpio": true}
	for _, sc := range techscenes.All() {
		sizes := [][2]int{{1080, 1920}}
		if landscape[sc.Name] {
			sizes = append(sizes, [2]int{1920, 1080})
		}
		for _, sz := range sizes {
			name := sc.Name + "_portrait"
			if sz[0] > sz[1] {
				name = sc.Name + "_landscape"
			}
			t.Run(name, func(t *testing.T) {
				checkGolden(t, name, r.RenderTech(&sc.View, sz[0], sz[1]))
			})
		}
	}
}
