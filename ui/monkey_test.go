package ui

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

// TestPointerMonkey taps the real widgets (and random spots) 100,000 times
// with card, printer and backend events in between: no panic, every
// screen reached, and after the taps stop the kiosk is back on attract
// within its timeouts.
func TestPointerMonkey(t *testing.T) {
	a, r := newRigApp(t, nil)
	now := r.clock.Now()
	rng := rand.New(rand.NewPCG(3, 5))
	seen := map[session.Screen]bool{}
	for i := 0; i < 100000; i++ {
		switch n := rng.IntN(100); {
		case n < 70:
			s := a.Screen()
			var ids []int
			for j, w := range s.Widgets {
				if (w.Event != nil || w.Local != "") && (s.ModalFrom < 0 || j >= s.ModalFrom) {
					ids = append(ids, j)
				}
			}
			if len(ids) > 0 {
				w := s.Widgets[ids[rng.IntN(len(ids))]]
				y := w.Rect.Y + w.Rect.H/2
				if w.Scroll {
					y -= a.scroll
				}
				a.Tap(w.Rect.X+w.Rect.W/2, y)
			}
		case n < 78:
			a.Tap(rng.Float64()*a.size.W, rng.Float64()*a.size.H)
		case n < 81:
			a.Post(session.CardPresent{Card: scenes.Card()})
		case n < 83:
			a.Post(session.CardRemoved{})
		case n < 86:
			// The backend and the printer fail now and then.
			var err error
			if rng.IntN(3) == 0 {
				err = errors.New("backend: unreachable")
			}
			r.ports.AnswerSubmit(nil, err)
		case n < 89:
			var err error
			if rng.IntN(3) == 0 {
				err = fmt.Errorf("%w: escpos: print: paper out", host.ErrPaperOut)
			}
			r.ports.FailPrints(err)
		case n < 90:
			a.scrollBy(rng.Float64()*800 - 400)
		default:
			now = now.Add(time.Duration(rng.IntN(20)) * time.Second)
			r.clock.Set(now)
			a.Post(session.Tick{Now: now})
		}
		a.Sync()
		seen[a.view.Screen] = true
	}
	for _, s := range []session.Screen{session.ScreenHome, session.ScreenCategory, session.ScreenSearch, session.ScreenGuide,
		session.ScreenIdentify, session.ScreenForm, session.ScreenConfirm, session.ScreenSubmitting, session.ScreenDone} {
		if !seen[s] {
			t.Errorf("never reached %s", s)
		}
	}
	for waited := time.Duration(0); a.view.Screen != session.ScreenAttract; waited += time.Second {
		if waited > 10*time.Minute {
			t.Fatalf("stuck on %s", a.view.Screen)
		}
		now = now.Add(time.Second)
		r.clock.Set(now)
		a.Post(session.Tick{Now: now})
		a.Sync()
	}
	card := scenes.Card()
	for _, w := range a.Screen().Widgets {
		for _, l := range append(append([]string{}, w.Lines...), w.Sub...) {
			if strings.Contains(l, card.Name) || strings.Contains(l, card.IDNumber) || strings.Contains(l, "13812345678") {
				t.Fatalf("personal data on the attract screen: %q", l)
			}
		}
	}
}
