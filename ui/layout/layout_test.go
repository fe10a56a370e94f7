package layout

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

func TestContrast(t *testing.T) {
	if got := Contrast(rgb(0x000000), rgb(0xFFFFFF)); got < 20.9 || got > 21.1 {
		t.Fatalf("black on white = %.2f", got)
	}
	if got := Contrast(rgb(0x777777), rgb(0xFFFFFF)); got < 4.47 || got > 4.49 {
		t.Fatalf("#777 on white = %.3f, want 4.48", got)
	}
	for _, tc := range []struct {
		th  *Theme
		min float64
	}{{Normal(), 4.5}, {Elder(), 7}} {
		for _, p := range tc.th.Pairs() {
			if c := Contrast(p.Fg, p.Bg); c < tc.min {
				t.Errorf("%s theme: %s contrast %.2f < %.1f", tc.th.Name, p.Name, c, tc.min)
			}
		}
	}
}

func TestThemeSizes(t *testing.T) {
	n, e := Normal(), Elder()
	if n.Small < 32 || n.Target < 120 {
		t.Fatalf("normal too small: text %v target %v", n.Small, n.Target)
	}
	for _, p := range [][2]float64{{n.Small, e.Small}, {n.Body, e.Body}, {n.Heading, e.Heading}, {n.Title, e.Title}, {n.Target, e.Target}} {
		if p[1] < 1.5*p[0] {
			t.Errorf("elder %v < 1.5 × %v", p[1], p[0])
		}
	}
}

func TestWrap(t *testing.T) {
	m := ApproxMeasurer{}
	tests := []struct {
		name  string
		text  string
		width float64 // in em at size 10
		want  []string
	}{
		{"fits", "社保缴费", 4, []string{"社保缴费"}},
		{"cjk breaks anywhere", "社保缴费记录打印", 3, []string{"社保缴", "费记录", "打印"}},
		{"closing punctuation stays", "请放好。谢谢", 3, []string{"请放", "好。谢", "谢"}},
		{"opening punctuation stays", "办理（即办）", 3, []string{"办理", "（即", "办）"}},
		{"latin words whole", "call 0371-12345 now", 8, []string{"call", "0371-12345 now"}},
		{"mixed", "热线12345请拨打", 4, []string{"热线", "12345请", "拨打"}},
		{"newline", "一\n二", 10, []string{"一", "二"}},
		{"long word split", "abcdefghijklmnopqrst", 5.5, []string{"abcdefghij", "klmnopqrst"}},
		{"empty", "", 3, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Wrap(tc.text, tc.width*10, 10, m)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Wrap(%q) = %q, want %q", tc.text, got, tc.want)
			}
			for _, l := range got {
				if w := m.Advance(l, 10); w > tc.width*10+0.001 {
					t.Fatalf("line %q too wide: %v", l, w)
				}
				if l != "" && strings.ContainsAny(l[:len(string([]rune(l)[0]))], "，。）") {
					t.Fatalf("line starts with closing punctuation: %q", l)
				}
			}
		})
	}
}

// TestEveryScreen checks every scene in both modes and orientations:
// targets large enough, text large enough and inside its box, everything
// on screen, tappable widgets not overlapping, and a tap on each widget's
// centre reaching it.
func TestEveryScreen(t *testing.T) {
	m := ApproxMeasurer{}
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			for _, sc := range scenes.All(elder) {
				name := fmt.Sprintf("%s/elder=%v/%vx%v", sc.Name, elder, sz.W, sz.H)
				t.Run(name, func(t *testing.T) {
					s := Build(&sc.View, sz, m, nil)
					checkScreen(t, s, &sc.View, m)
				})
			}
		}
	}
}

func checkScreen(t *testing.T, s *Screen, v *session.View, m Measurer) {
	th := s.Theme
	minTarget, minText := 120.0, 32.0
	if v.Elder {
		minTarget, minText = 180, 48
	}
	var taps []*Widget
	for i := range s.Widgets {
		w := &s.Widgets[i]
		r := w.Rect
		if r.X < -0.01 || r.X+r.W > s.W+0.01 || r.Y < -0.01 || (!w.Scroll && r.Y+r.H > s.H+0.01) {
			t.Errorf("widget %q %v off screen", w.ID, r)
		}
		if len(w.Lines) > 0 && w.Size < minText-0.01 {
			t.Errorf("widget %q text %v px < %v", w.ID, w.Size, minText)
		}
		if len(w.Sub) > 0 && w.SubSize < minText-0.01 {
			t.Errorf("widget %q sub text %v px", w.ID, w.SubSize)
		}
		for _, l := range w.Lines {
			if lw := m.Advance(l, w.Size); lw > r.W+0.5 {
				t.Errorf("widget %q line %q is %.0f px in a %.0f px box", w.ID, l, lw, r.W)
			}
		}
		if w.Event != nil {
			if r.W < minTarget-0.01 || r.H < minTarget-0.01 {
				t.Errorf("target %q is %.0f×%.0f, want ≥ %v", w.ID, r.W, r.H, minTarget)
			}
			if s.ModalFrom < 0 || i >= s.ModalFrom {
				taps = append(taps, w)
			}
		}
	}
	for i, a := range taps {
		for _, b := range taps[i+1:] {
			if a.Scroll == b.Scroll && overlap(a.Rect, b.Rect) {
				t.Errorf("targets %q %v and %q %v overlap", a.ID, a.Rect, b.ID, b.Rect)
			}
		}
		cx, cy := a.Rect.X+a.Rect.W/2, a.Rect.Y+a.Rect.H/2
		if a.Scroll && !s.Scroll.Contains(cx, cy) {
			continue // scrolled out of view
		}
		if got := s.Hit(cx, cy, 0); got == nil || got.ID != a.ID || !reflect.DeepEqual(got.Event, a.Event) {
			t.Errorf("tap on %q reached %+v", a.ID, got)
		}
	}
	if s.ContentH > 0 && s.Scroll.H <= 0 {
		t.Errorf("no room for content")
	}
	_ = th
}

func overlap(a, b Rect) bool {
	return a.X < b.X+b.W-0.5 && b.X < a.X+a.W-0.5 && a.Y < b.Y+b.H-0.5 && b.Y < a.Y+a.H-0.5
}

func TestHitScrollAndModal(t *testing.T) {
	sc := scenes.All(false)
	var cat, help session.View
	for _, s := range sc {
		switch s.Name {
		case "category":
			cat = s.View
		case "help":
			help = s.View
		}
	}
	s := Build(&cat, Portrait, nil, nil)
	row, ok := s.Find("svc:ss-record")
	if !ok {
		t.Fatal("no row")
	}
	cx, cy := row.Rect.X+row.Rect.W/2, row.Rect.Y+row.Rect.H/2
	if w := s.Hit(cx, cy, 0); w == nil || w.ID != row.ID {
		t.Fatalf("hit %+v", w)
	}
	// Scrolled by 50 px, the same row is found 50 px higher.
	if w := s.Hit(cx, cy-50, 50); w == nil || w.ID != row.ID {
		t.Fatalf("scrolled hit %+v", w)
	}
	hs := Build(&help, Portrait, nil, nil)
	if hs.ModalFrom < 0 {
		t.Fatal("help not modal")
	}
	srch, _ := hs.Find("search")
	if w := hs.Hit(srch.Rect.X+5, srch.Rect.Y+5, 0); w != nil && w.ID == "search" {
		t.Fatal("tap went through the help dialog")
	}
	cl, ok := hs.Find("help-close")
	if !ok || hs.Hit(cl.Rect.X+cl.Rect.W/2, cl.Rect.Y+cl.Rect.H/2, 0).ID != "help-close" {
		t.Fatal("close not reachable")
	}
}

func BenchmarkBuildHome(b *testing.B) {
	var v session.View
	for _, s := range scenes.All(false) {
		if s.Name == "home" {
			v = s.View
		}
	}
	for b.Loop() {
		Build(&v, Portrait, ApproxMeasurer{}, nil)
	}
}
