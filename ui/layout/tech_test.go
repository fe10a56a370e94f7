package layout

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/henan-county/kiosk/kiosk/techmode"
	"github.com/henan-county/kiosk/kiosk/techmode/techscenes"
)

// TestEveryTechScreen checks every technician screen in portrait and
// landscape: targets ≥ 120 px, text ≥ 32 px and inside its box, all on
// screen, no overlapping targets, and a tap on each target's centre
// reaching it and sending its event.
func TestEveryTechScreen(t *testing.T) {
	m := ApproxMeasurer{}
	scenes := techscenes.All()
	if len(scenes) < 12 {
		t.Fatalf("only %d scenes", len(scenes))
	}
	for _, sc := range scenes {
		for _, sz := range []Size{Portrait, Landscape} {
			t.Run(fmt.Sprintf("%s/%vx%v", sc.Name, sz.W, sz.H), func(t *testing.T) {
				ts := BuildTech(&sc.View, sz, m)
				checkTech(t, ts, m)
				for _, id := range []string{"tech-exit", "tech-title"} {
					if _, ok := ts.Find(id); !ok {
						t.Errorf("no %s", id)
					}
				}
			})
		}
	}
}

func checkTech(t *testing.T, ts *TechScreen, m Measurer) {
	t.Helper()
	var taps []*Widget
	for i := range ts.Widgets {
		w := &ts.Widgets[i]
		r := w.Rect
		if r.X < -0.01 || r.X+r.W > ts.W+0.01 || r.Y < -0.01 || (!w.Scroll && r.Y+r.H > ts.H+0.01) {
			t.Errorf("widget %q %v off screen", w.ID, r)
		}
		if len(w.Lines) > 0 && w.Size < 32-0.01 {
			t.Errorf("widget %q text %v px < 32", w.ID, w.Size)
		}
		for _, l := range w.Lines {
			if lw := m.Advance(l, w.Size); lw > r.W+0.5 {
				t.Errorf("widget %q line %q is %.0f px in a %.0f px box", w.ID, l, lw, r.W)
			}
		}
		if w.Event != nil {
			t.Errorf("widget %q sends a resident's event", w.ID)
		}
		if w.Local == TechLocal {
			if r.W < 120-0.01 || r.H < 120-0.01 {
				t.Errorf("target %q is %.0f×%.0f, want ≥ 120", w.ID, r.W, r.H)
			}
			if ts.Events[w.ID] == nil {
				t.Errorf("target %q sends nothing", w.ID)
			}
			taps = append(taps, w)
		}
	}
	for i, a := range taps {
		for _, b := range taps[i+1:] {
			if a.Scroll == b.Scroll && overlap(a.Rect, b.Rect) {
				t.Errorf("targets %q %v and %q %v overlap", a.ID, a.Rect, b.ID, b.Rect)
			}
			if a.ID == b.ID {
				t.Errorf("two targets are %q", a.ID)
			}
		}
		cx, cy := a.Rect.X+a.Rect.W/2, a.Rect.Y+a.Rect.H/2
		if a.Scroll && !ts.Scroll.Contains(cx, cy) {
			continue // scrolled out of view
		}
		got := ts.Hit(cx, cy, 0)
		if got == nil || got.ID != a.ID || !reflect.DeepEqual(ts.Event(got), ts.Events[a.ID]) {
			t.Errorf("tap on %q reached %+v", a.ID, got)
		}
	}
	if ts.ContentH > 0 && ts.Scroll.H <= 0 {
		t.Errorf("no room for content")
	}
}

// TestTechPad taps the PIN pad's keys and checks what they send.
func TestTechPad(t *testing.T) {
	v := techmode.View{Screen: techmode.ScreenPIN, Title: "维护模式 · Technician", PINLen: 3, PINMax: 12,
		Message: "PIN 错误，还可尝试 2 次 · Wrong PIN, 2 attempts left", Tone: techmode.Bad}
	for _, sz := range []Size{Portrait, Landscape} {
		ts := BuildTech(&v, sz, nil)
		want := map[string]techmode.Event{"tech-pad:7": techmode.Digit{D: '7'}, "tech-pad:0": techmode.Digit{D: '0'},
			"tech-pad:erase": techmode.Erase{}, "tech-pad:enter": techmode.Enter{}, "tech-exit": techmode.Exit{}}
		for id, ev := range want {
			w, ok := ts.Find(id)
			if !ok {
				t.Fatalf("%v: no %s", sz, id)
			}
			if got := ts.Event(ts.Hit(w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2, 0)); got != ev {
				t.Errorf("%v: %s sends %#v, want %#v", sz, id, got, ev)
			}
		}
		msg, ok := ts.Find("tech-message")
		if !ok || msg.Role != Danger {
			t.Errorf("%v: message %+v", sz, msg)
		}
		if _, ok := ts.Find("tech-back"); ok {
			t.Error("the PIN pad has a back button")
		}
	}
	// While the PIN is being checked nothing on the pad takes a tap.
	v.Checking = true
	ts := BuildTech(&v, Portrait, nil)
	w, _ := ts.Find("tech-pad:5")
	if ts.Event(ts.Hit(w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2, 0)) != nil || w.Role != Disabled {
		t.Fatal("a key takes taps while checking")
	}
}

// TestTechClosedIsEmpty: a closed mode lays out nothing to tap.
func TestTechClosedIsEmpty(t *testing.T) {
	ts := BuildTech(&techmode.View{}, Portrait, nil)
	if len(ts.Widgets) != 0 || ts.Event(ts.Hit(10, 10, 0)) != nil {
		t.Fatalf("%+v", ts.Widgets)
	}
}

func BenchmarkBuildTechDevices(b *testing.B) {
	var v techmode.View
	for _, s := range techscenes.All() {
		if s.Name == "tech_devices" {
			v = s.View
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		BuildTech(&v, Portrait, nil)
	}
}
