package layout

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

// TestLayoutCheck runs Check over every resident screen in normal and
// elder mode, portrait and landscape, by day and (attract) by night, and
// on every page of every screen that has pages. It fails on any problem
// and reports what it checked.
func TestLayoutCheck(t *testing.T) {
	m := ApproxMeasurer{}
	screens, pages := 0, 0
	byRule := map[string]int{}
	var all []string
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			for _, sc := range scenes.All(elder) {
				views := []session.View{sc.View}
				if sc.View.Screen == session.ScreenAttract {
					night := sc.View
					night.Dim = true
					views = append(views, night)
				}
				for _, v := range views {
					// Keyboard pages and the date picker are the screen's
					// own state: each is checked too.
					for vi, variant := range []State{{}, {DatePick: true}, {Symbols: true}, {KeyPage: 1}, {KeyPage: 2}} {
						if vi > 0 && v.Screen != session.ScreenForm && v.Screen != session.ScreenSearch {
							continue
						}
						screens++
						st := &variant
						for p := 0; ; p++ {
							st.Page = p
							s := Build(&v, sz, m, st)
							pages++
							if v.Screen == session.ScreenRating && p == 0 {
								for score := 1; score <= 5; score++ {
									if _, ok := s.Find("rate:" + itoa(score)); !ok {
										all = append(all, fmt.Sprintf("%s elder=%v %vx%v: rating %d not on the first page", sc.Name, elder, sz.W, sz.H, score))
									}
								}
							}
							for _, pr := range Check(s, &v, m, false) {
								byRule[pr.Rule]++
								all = append(all, fmt.Sprintf("%s elder=%v %vx%v dim=%v page %d: %s", sc.Name, elder, sz.W, sz.H, v.Dim, p+1, pr))
							}
							if w, ok := s.Find("page-next"); !ok || w.Local == "" {
								break
							}
						}
					}
				}
			}
		}
	}
	t.Logf("layout check: %d screens × modes × orientations, %d pages, %d problems", screens, pages, len(all))
	if len(all) > 0 {
		var rules []string
		for r, n := range byRule {
			rules = append(rules, fmt.Sprintf("%s %d", r, n))
		}
		sort.Strings(rules)
		t.Errorf("%d problems (%s):\n%s", len(all), strings.Join(rules, ", "), strings.Join(all[:min(len(all), 80)], "\n"))
	}
}

// TestCheckFindsProblems: each rule reports a screen that breaks it.
func TestCheckFindsProblems(t *testing.T) {
	th := Normal()
	pale := Normal()
	pale.Muted = rgb(0xA0A8B0) // 2.4:1 on the background
	tap := session.Start{}
	base := func(ws ...Widget) *Screen {
		return &Screen{W: 1080, H: 1920, Theme: th, ModalFrom: -1, Widgets: ws}
	}
	tests := []struct {
		name string
		s    *Screen
		v    session.View
		rule string
	}{
		{"off screen", base(Widget{ID: "a", Kind: Button, Rect: Rect{900, 10, 300, 120}, Lines: []string{"开始"}, Size: 36, Event: tap}), session.View{}, "off-screen"},
		{"overlap", base(Widget{ID: "a", Kind: Button, Rect: Rect{0, 0, 300, 120}, Event: tap}, Widget{ID: "b", Kind: Label, Rect: Rect{100, 50, 300, 50}, Lines: []string{"字"}, Size: 36}), session.View{}, "overlap"},
		{"too close", base(Widget{ID: "a", Kind: Button, Rect: Rect{0, 0, 300, 120}, Event: tap}, Widget{ID: "b", Kind: Button, Rect: Rect{310, 0, 300, 120}, Event: tap}), session.View{}, "spacing"},
		{"text too wide", base(Widget{ID: "a", Kind: Label, Rect: Rect{0, 0, 100, 60}, Lines: []string{"很长很长很长的字"}, Size: 36}), session.View{}, "text-overflow"},
		{"low contrast", &Screen{W: 1080, H: 1920, Theme: pale, ModalFrom: -1, Widgets: []Widget{
			{ID: "a", Kind: Label, Rect: Rect{0, 0, 600, 60}, Lines: []string{"字"}, Size: 36, Role: Muted}}}, session.View{}, "contrast"},
		{"latin", base(Widget{ID: "a", Kind: Label, Rect: Rect{0, 0, 600, 60}, Lines: []string{"Tracking No. 12"}, Size: 36}), session.View{}, "latin"},
		{"focus out of view", &Screen{W: 1080, H: 1920, Theme: th, ModalFrom: -1, Scroll: Rect{0, 200, 1080, 500}, Widgets: []Widget{
			{ID: "field:phone", Kind: Field, Rect: Rect{40, 900, 1000, 120}, Scroll: true}}}, session.View{Screen: session.ScreenForm, Focus: "phone"}, "focus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := Check(tc.s, &tc.v, nil, false)
			for _, p := range ps {
				if p.Rule == tc.rule {
					return
				}
			}
			t.Fatalf("no %s problem in %v", tc.rule, ps)
		})
	}
	for _, ok := range []string{"身份证号 410122********123X", "编号 ZM7K4Q", "请拨打 0371-12345", "打印证明的 A4 打印机暂时不能使用"} {
		if w := latinWord(ok, []string{"ZM7K4Q"}); w != "" {
			t.Errorf("%q: %q flagged", ok, w)
		}
	}
}
