package layout

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

// assistScenes are the 小牟帮办 scenes by name, in a mode.
func assistScenes(elder bool) map[string]session.View {
	by := map[string]session.View{}
	for _, s := range scenes.All(elder) {
		by[s.Name] = s.View
	}
	return by
}

// text is everything a screen says, one widget a line (a widget's lines
// joined, so a wrapped sentence reads whole).
func text(s *Screen, from int) string {
	var b strings.Builder
	for _, w := range s.Widgets[from:] {
		b.WriteString(strings.Join(w.Lines, "") + "\n")
	}
	return b.String()
}

// allPages is what a screen says over all its pages.
func allPages(v *session.View, sz Size) (string, []*Screen) {
	var out string
	var ss []*Screen
	st := &State{}
	for p := 0; p < 20; p++ {
		st.Page = p
		s := Build(v, sz, ApproxMeasurer{}, st)
		from := 0
		if s.ModalFrom >= 0 {
			from = s.ModalFrom
		}
		if p > 0 {
			// The pages' content only: a line continued reads on.
			for _, w := range s.Widgets {
				if w.Scroll {
					out += strings.Join(w.Lines, "") + "\n"
				}
			}
		} else {
			out += text(s, from)
		}
		ss = append(ss, s)
		if w, ok := s.Find("page-next"); !ok || w.Local == "" {
			break
		}
	}
	return out, ss
}

// Each 小牟帮办 screen says what the resident needs and offers what she
// can do, in every mode and orientation.
func TestAssistScreens(t *testing.T) {
	tests := []struct {
		scene string
		says  []string
		taps  map[string]session.Event
		not   []string // widget ids that must not be there
	}{
		{"elsewhere", []string{"本机不能办理", "河南省老年人优待证申领", "这项业务不能在自助机上办理。", "到这里办理", "城关镇便民服务中心",
			"地址：中牟县城关镇建设路68号", "电话：0371-62162301", "也可以到您所在村（社区）的便民服务站办理", "请家人用手机扫码，在网上办理",
			"也可以在豫事办等手机应用里办理", "60周岁以上老人和残疾人，小牟帮办可以上门帮您办", "服务热线 0371-62112345"},
			map[string]session.Event{IDElsewhereHomeVisit: session.RequestHomeVisit{}, "back": session.Back{}, "home": session.Home{}}, nil},
		{"help_call", []string{"需要帮助？找小牟帮办", "或拨打服务热线", "0371-62112345"},
			map[string]session.Event{IDHelpCall: session.CallDesk{}, IDHelpHomeVisit: session.RequestHomeVisit{}, IDHelpClose: session.CloseHelp{}}, nil},
		{"help_dialing", []string{"需要帮助？找小牟帮办", "服务热线 0371-62112345", "正在呼叫…", "12 秒"},
			map[string]session.Event{IDHelpHangUp: session.HangUp{}}, []string{IDHelpClose, IDHelpCall, IDHelpHomeVisit}},
		{"help_connected", []string{"已接通", "01:23"},
			map[string]session.Event{IDHelpHangUp: session.HangUp{}}, []string{IDHelpClose}},
		{"help_call_ended", []string{"通话已结束"},
			map[string]session.Event{IDHelpClose: session.CloseHelp{}}, []string{IDHelpHangUp}},
		{"help_no_answer", []string{"值班人员正在忙", "0371-62112345"},
			map[string]session.Event{IDHelpCallback: session.RequestCallback{}, IDHelpClose: session.CloseHelp{}}, []string{IDHelpHangUp}},
		{"face_options", []string{"上门认证"},
			map[string]session.Event{IDFaceHomeVisit: session.RequestHomeVisit{}}, nil},
	}
	for _, elder := range []bool{false, true} {
		by := assistScenes(elder)
		for _, sz := range []Size{Portrait, Landscape} {
			for _, tc := range tests {
				name := fmt.Sprintf("%s/elder=%v/%vx%v", tc.scene, elder, sz.W, sz.H)
				v, ok := by[tc.scene]
				if !ok {
					t.Fatalf("%s: no scene", name)
				}
				says, pages := allPages(&v, sz)
				flat := strings.ReplaceAll(says, "\n", "")
				for _, want := range tc.says {
					if !strings.Contains(flat, want) {
						t.Errorf("%s: does not say %q:\n%s", name, want, says)
					}
				}
				for id, ev := range tc.taps {
					found := false
					for _, s := range pages {
						if w, ok := s.Find(id); ok {
							found = true
							if w.Event != ev {
								t.Errorf("%s: %s sends %#v, want %#v", name, id, w.Event, ev)
							}
						}
					}
					if !found {
						t.Errorf("%s: no %s", name, id)
					}
				}
				for _, id := range tc.not {
					for _, s := range pages {
						if _, ok := s.Find(id); ok {
							t.Errorf("%s: %s is offered", name, id)
						}
					}
				}
			}
		}
	}
}

// The who-line of a home visit stands right above its button.
func TestHomeVisitLineAboveButton(t *testing.T) {
	for _, elder := range []bool{false, true} {
		v := assistScenes(elder)["elsewhere"]
		for _, sz := range []Size{Portrait, Landscape} {
			s := Build(&v, sz, nil, nil)
			who, ok1 := s.Find(IDElsewhereWho)
			btn, ok2 := s.Find(IDElsewhereHomeVisit)
			if !ok1 || !ok2 {
				t.Fatalf("elder=%v %v: who %v button %v", elder, sz, ok1, ok2)
			}
			if gap := btn.Rect.Y - (who.Rect.Y + who.Rect.H); gap < 0 || gap > 2*s.Theme.Gap {
				t.Errorf("elder=%v %v: the line ends %.0f px above the button", elder, sz, gap)
			}
		}
	}
}

// A long choice (the county's townships, the matters of a home visit)
// comes in pages of large keys: every choice is on exactly one page, the
// last key turns the page, the page of the chosen value comes first, and
// every page passes the layout check.
func TestChoicePages(t *testing.T) {
	base := assistScenes(false)["homevisit_township"]
	for _, n := range []int{3, 13, 20, 27} {
		for _, elder := range []bool{false, true} {
			for _, sz := range []Size{Portrait, Landscape} {
				name := fmt.Sprintf("%d choices elder=%v %vx%v", n, elder, sz.W, sz.H)
				v := base
				v.Elder = elder
				v.Form = slices.Clone(base.Form)
				var f *session.FieldView
				for i := range v.Form {
					if v.Form[i].ID == v.Focus {
						f = &v.Form[i]
					}
				}
				f.Choices = nil
				for i := range n {
					f.Choices = append(f.Choices, catalog.Choice{Value: fmt.Sprintf("c%02d", i), Label: fmt.Sprintf("第%d号镇便民服务中心", i+1)})
				}
				f.Value = f.Choices[n-1].Value
				st := &State{}
				seen := map[string]int{}
				pages := 0
				first := true
				for pages < 30 {
					if s := Build(&v, sz, nil, st); pages > 0 {
						if _, ok := s.Find("choice:" + f.Value); ok {
							break // round to the first page shown
						}
					}
					s := Build(&v, sz, nil, st)
					for _, pr := range Check(s, &v, nil, false) {
						t.Errorf("%s page %d: %s", name, pages+1, pr)
					}
					keys := 0
					for _, w := range s.Widgets {
						if strings.HasPrefix(w.ID, "choice:") {
							seen[w.ID]++
							keys++
						}
					}
					if first {
						if _, ok := s.Find("choice:" + f.Value); !ok {
							t.Errorf("%s: the chosen value is not on the first page shown", name)
						}
						first = false
					}
					if keys == 0 {
						t.Fatalf("%s: a page without choices", name)
					}
					pages++
					turn, ok := s.Find("choice-page")
					if !ok {
						break
					}
					if turn.Local != LocalNextPage {
						t.Fatalf("%s: the page key does nothing", name)
					}
					st.KeyPage++
				}
				if len(seen) != n {
					t.Errorf("%s: %d of %d choices shown", name, len(seen), n)
				}
				for id, k := range seen {
					if k != 1 {
						t.Errorf("%s: %s on %d pages", name, id, k)
					}
				}
				if n == 3 && pages != 1 {
					t.Errorf("%s: %d pages for 3 choices", name, pages)
				}
				if n == 27 && pages < 2 {
					t.Errorf("%s: 27 choices on one page", name)
				}
			}
		}
	}
}
