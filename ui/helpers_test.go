package ui

import (
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

// nil2 returns a scratch screen of the App's size.
func nil2(a *App) *ebiten.Image { return ebiten.NewImage(int(a.size.W), int(a.size.H)) }

// rig is an App over a running host with recording ports and a clock the
// test steps.
type rig struct {
	clock *hosttest.Clock
	ports *hosttest.Ports
	docs  *hosttest.Documents // the A4 printer and the documents it prints
	h     *host.Host
}

// newRigApp builds the demonstration kiosk at 02:30 UTC (10:30 in Henan)
// and its screen; tweak adjusts the host's and the App's options.
func newRigApp(t *testing.T, tweak func(*host.Opts, *Opts)) (*App, *rig) {
	t.Helper()
	r := &rig{clock: hosttest.NewClock(time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)), ports: &hosttest.Ports{},
		docs: &hosttest.Documents{}}
	c := scenes.Catalog()
	ho := &host.Opts{
		Session: session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07", HallName: scenes.HallName},
		Ports:   r.ports.All(),
		Clock:   r.clock,
	}
	ho.Ports.Documents, ho.Ports.Slot = r.docs, &hosttest.SlotLight{}
	uo := &Opts{}
	if tweak != nil {
		tweak(ho, uo)
	}
	r.h = hosttest.Start(t, host.New(ho))
	uo.Host = r.h
	a, err := New(uo)
	if err != nil {
		t.Fatal(err)
	}
	return a, r
}

// waitFor lays out the host's view until cond holds, waking at each
// change (effects answer off the host's loop).
func waitFor(t *testing.T, a *App, what string, cond func() bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		ch := a.h.Changed()
		a.Sync()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("waiting for %s: screen %s, tech %q", what, a.view.Screen, a.tech.view.Screen)
		}
	}
}
