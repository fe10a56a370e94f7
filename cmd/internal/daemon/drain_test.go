package daemon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/session"
)

// drainAsync runs Drain and delivers its result.
func drainAsync(ctx context.Context, d *Daemon, grace time.Duration) <-chan string {
	ch := make(chan string, 1)
	go func() { ch <- d.Drain(ctx, grace) }()
	return ch
}

func TestDrainWithoutSessionStopsAtOnce(t *testing.T) {
	d, ctx, _ := startSim(t)
	s := newResident(t, d)
	t0 := time.Now()
	if how := d.Drain(ctx, time.Minute); how != DrainIdle {
		t.Fatalf("drain %q", how)
	}
	if el := time.Since(t0); el > 2*time.Second {
		t.Fatalf("an idle kiosk took %v to drain", el)
	}
	s.waitScreen(session.ScreenMaintenance, 5*time.Second)
}

// A stop asked for while a resident is in session waits for the session:
// the kiosk keeps answering the resident meanwhile; the drain ends when
// the session does, and no new session starts after it.
func TestDrainLetsTheSessionFinish(t *testing.T) {
	d, ctx, logs := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	if !d.Host().InSession() {
		t.Fatal("no session after Start")
	}
	done := drainAsync(ctx, d, time.Minute)

	// The resident carries on for a while: the journey still answers.
	s.do(session.ChooseService{ID: "sb-jfjl-cx"})
	s.waitScreen(session.ScreenGuide, 5*time.Second)
	pulse := d.pulse.Load()
	select {
	case how := <-done:
		t.Fatalf("drain ended (%q) while the resident was in session", how)
	case <-time.After(2 * time.Second):
	}
	if !d.Alive() || d.pulse.Load() == pulse {
		t.Fatal("the daemon's supervisor stopped answering while draining")
	}
	if !d.Host().InSession() {
		t.Fatal("the session ended by itself")
	}

	s.do(session.Cancel{})
	select {
	case how := <-done:
		if how != DrainSessionDone {
			t.Fatalf("drain %q, want %q", how, DrainSessionDone)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("drain did not end with the session")
	}
	s.waitScreen(session.ScreenMaintenance, 5*time.Second)
	s.do(session.Start{})
	if err := d.Host().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if d.Host().InSession() {
		t.Fatal("a new session started after the drain")
	}
	if !strings.Contains(logs.String(), "letting the resident's session finish first") {
		t.Fatal("the wait is not in the log")
	}
}

// At the cap the kiosk stops anyway; the session is ended through the
// journey (wiped), not left to the process's end.
func TestDrainStopsAtTheCap(t *testing.T) {
	d, ctx, _ := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	t0 := time.Now()
	if how := d.Drain(ctx, 800*time.Millisecond); how != DrainGracePassed {
		t.Fatalf("drain %q, want %q", how, DrainGracePassed)
	}
	if el := time.Since(t0); el < 800*time.Millisecond || el > 5*time.Second {
		t.Fatalf("drain took %v for a cap of 800ms", el)
	}
	if d.Host().InSession() {
		t.Fatal("session still running after the drain")
	}
	s.waitScreen(session.ScreenMaintenance, 5*time.Second)
}

// A second signal (the context) cuts the wait short.
func TestDrainCutShort(t *testing.T) {
	d, _, _ := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := drainAsync(ctx, d, time.Minute)
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case how := <-done:
		if how != DrainCut {
			t.Fatalf("drain %q, want %q", how, DrainCut)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("drain not cut short")
	}
}

// The configuration's stop_grace is the cap when none is given.
func TestDrainUsesStopGrace(t *testing.T) {
	d, ctx, _ := startSim(t, func(c *config.Config) { c.Daemon.StopGrace.Duration = 500 * time.Millisecond })
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	if how := d.Drain(ctx, -1); how != DrainGracePassed {
		t.Fatalf("drain %q", how)
	}
}
