package layout

import (
	"fmt"
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

// padView is the scenes' free-text form with the writing pad offered.
func padView(t *testing.T, elder, pad bool, cands int) session.View {
	t.Helper()
	for _, sc := range scenes.All(elder) {
		if sc.Name != "form_pinyin" {
			continue
		}
		v := sc.View
		v.Pinyin, v.Candidates, v.CandFrom = "", nil, 0
		v.HandwritingOffered, v.Handwriting = true, pad
		if pad {
			v.Strokes = [][]session.Point{{{X: 100, Y: 500}, {X: 900, Y: 500}}, {{X: 500, Y: 100}, {X: 500, Y: 900}}}
			for i := range cands {
				v.Candidates = append(v.Candidates, string(rune('十'+i)))
			}
		}
		return v
	}
	t.Fatal("no form_pinyin scene")
	return session.View{}
}

// TestWritingPad: the pad appears square in the keyboard's place, its
// buttons and candidates neither overlap nor crowd each other or the pad,
// and the screen keeps every rule of Check, in both modes and
// orientations; where a pad does not fit (elder landscape) the letters
// stay.
func TestWritingPad(t *testing.T) {
	m := ApproxMeasurer{}
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			for _, cands := range []int{0, 3, 40} {
				name := fmt.Sprintf("elder=%v/%vx%v/%d-candidates", elder, sz.W, sz.H, cands)
				t.Run(name, func(t *testing.T) {
					v := padView(t, elder, true, cands)
					s := Build(&v, sz, m, nil)
					for _, p := range Check(s, &v, m, false) {
						t.Error(p)
					}
					pad, ok := s.Find("hw:pad")
					if elder && sz == Landscape {
						if _, keys := s.Find("key:a"); ok || !keys {
							t.Fatal("elder landscape: want the letters where no pad fits")
						}
						return
					}
					if !ok {
						t.Fatal("no pad")
					}
					if pad.Kind != Pad || pad.Local != LocalPad || pad.Rect.W != pad.Rect.H || pad.Rect.W < 2*s.Theme.Target {
						t.Fatalf("pad %+v", pad)
					}
					if len(pad.Ink) != 2 {
						t.Fatalf("pad ink %v", pad.Ink)
					}
					var targets []Widget
					for _, id := range []string{"hw:pad", "ime:pinyin", "hw:clear", "hw:del", "hw:done"} {
						w, ok := s.Find(id)
						if !ok {
							t.Fatalf("no %s", id)
						}
						targets = append(targets, w)
					}
					for _, w := range s.Widgets {
						if _, ok := w.Event.(session.PickCandidate); ok {
							targets = append(targets, w)
						}
						if _, ok := w.Event.(session.CandidatePage); ok {
							targets = append(targets, w)
						}
					}
					if cands > 0 && len(targets) < 6 {
						t.Fatalf("no candidates shown")
					}
					for i, a := range targets {
						for _, b := range targets[i+1:] {
							if overlapRect(a.Rect, b.Rect) || rectGap(a.Rect, b.Rect) < MinTargetGap-0.5 {
								t.Errorf("%s %v and %s %v overlap or touch", a.ID, a.Rect, b.ID, b.Rect)
							}
						}
						if a.ID != "hw:pad" && s.Hit(a.Rect.X+a.Rect.W/2, a.Rect.Y+a.Rect.H/2, 0).ID != a.ID {
							t.Errorf("a tap on %s misses it", a.ID)
						}
					}
					if _, ok := s.Find("key:a"); ok {
						t.Fatal("letters shown with the pad")
					}
					if cands == 40 {
						if _, ok := s.Find("cand:next"); !ok {
							t.Fatal("40 candidates and no 下页")
						}
					}
				})
			}
		}
	}
}

// TestHandwritingSwitch: on pinyin, a 手写 key under the letters where
// they leave room (normal mode), and the screen keeps every rule.
func TestHandwritingSwitch(t *testing.T) {
	m := ApproxMeasurer{}
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			t.Run(fmt.Sprintf("elder=%v/%vx%v", elder, sz.W, sz.H), func(t *testing.T) {
				v := padView(t, elder, false, 0)
				s := Build(&v, sz, m, nil)
				for _, p := range Check(s, &v, m, false) {
					t.Error(p)
				}
				w, ok := s.Find("ime:hand")
				if elder {
					// The paged letters leave no room; elder mode opens on
					// the pad (kiosk/session).
					if ok {
						t.Fatal("a 手写 key where the letters leave no room")
					}
					return
				}
				if !ok {
					t.Fatal("no 手写 key")
				}
				if ev, _ := w.Event.(session.UseHandwriting); !ev.On {
					t.Fatalf("手写 sends %#v", w.Event)
				}
				if _, ok := s.Find("key:a"); !ok {
					t.Fatal("no letters")
				}
			})
		}
	}
}
