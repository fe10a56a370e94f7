package layout

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

func docScene(t *testing.T, elder bool, name string) session.View {
	t.Helper()
	for _, sc := range scenes.Documents(elder) {
		if sc.Name == name {
			return sc.View
		}
	}
	t.Fatalf("no scene %s", name)
	return session.View{}
}

// Every state of the document screen, in both modes and orientations,
// keeps Check's rules on every page.
func TestDocumentCheck(t *testing.T) {
	m := ApproxMeasurer{}
	n := 0
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			for _, sc := range scenes.Documents(elder) {
				st := &State{}
				for p := 0; ; p++ {
					st.Page = p
					s := Build(&sc.View, sz, m, st)
					n++
					for _, pr := range Check(s, &sc.View, m, false) {
						t.Errorf("%s elder=%v %vx%v page %d: %s", sc.Name, elder, sz.W, sz.H, p+1, pr)
					}
					_, paged := s.Find("page-no")
					if paged {
						// A page of its own must show something.
						shown := 0
						for _, w := range s.Widgets {
							if w.Scroll && !background(&w) {
								shown++
							}
						}
						if shown == 0 {
							t.Errorf("%s elder=%v %vx%v: page %d is empty", sc.Name, elder, sz.W, sz.H, p+1)
						}
						// What the resident acts on now is never paged.
						switch sc.View.Document.State {
						case session.DocFetching, session.DocReady, session.DocPrinting, session.DocTake:
							t.Errorf("%s elder=%v %vx%v: in pages", sc.Name, elder, sz.W, sz.H)
						}
					}
					if w, ok := s.Find("page-next"); !ok || w.Local == "" {
						break
					}
				}
			}
		}
	}
	if n < 32 {
		t.Fatalf("checked %d pages, want every state × mode × orientation", n)
	}
}

// The buttons of each state send the session's events, and nothing else
// but 帮助 can be tapped while the proof is fetched or printed.
func TestDocumentActions(t *testing.T) {
	type tap struct {
		id string
		ev session.Event
	}
	want := map[string][]tap{
		"document_fetching":  {{"help", session.Help{}}},
		"document_ready":     {{"help", session.Help{}}, {"cancel", session.Cancel{}}, {"print", session.PrintDocument{}}},
		"document_printing":  {{"help", session.Help{}}},
		"document_take":      {{"help", session.Help{}}, {"next", session.Continue{}}},
		"document_stopped":   {{"help", session.Help{}}, {"end", session.Continue{}}},
		"document_reprint":   {{"help", session.Help{}}, {"end", session.Continue{}}, {"reprint", session.ReprintDocument{}}},
		"document_refused":   {{"help", session.Help{}}, {"end", session.Continue{}}},
		"document_unreached": {{"help", session.Help{}}, {"end", session.Continue{}}},
	}
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			for _, sc := range scenes.Documents(elder) {
				s := Build(&sc.View, sz, nil, nil)
				got := map[string]session.Event{}
				for _, w := range s.Widgets {
					if w.Event != nil {
						got[w.ID] = w.Event
						// A tap on the button's centre reaches it.
						if h := s.Hit(w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2, 0); h == nil || h.ID != w.ID {
							t.Errorf("%s: a tap on %s reaches %v", sc.Name, w.ID, h)
						}
					}
				}
				exp := map[string]session.Event{}
				for _, tp := range want[sc.Name] {
					exp[tp.id] = tp.ev
				}
				if !reflect.DeepEqual(got, exp) {
					t.Errorf("%s elder=%v %vx%v: taps %v, want %v", sc.Name, elder, sz.W, sz.H, got, exp)
				}
			}
		}
	}
}

// The page is shown large enough to read: in portrait it fills most of
// the screen's height, in landscape nearly all of it, and it keeps its
// place and its A4 shape between 打印 and the printing that follows.
func TestDocumentPreview(t *testing.T) {
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			name := fmt.Sprintf("elder=%v %vx%v", elder, sz.W, sz.H)
			ready := docScene(t, elder, "document_ready")
			rs := Build(&ready, sz, nil, nil)
			p, ok := rs.Find(IDDocPreview)
			if !ok || p.Kind != Paper || p.Picture != ready.Document.Preview {
				t.Fatalf("%s: preview %+v", name, p)
			}
			least := 0.6 // of the height, portrait; elder text takes more of it
			if !elder {
				least = 0.65
			}
			if sz.W > sz.H {
				least = 0.7
			}
			if got := p.Rect.H / sz.H; got < least {
				t.Errorf("%s: the page is %.0f%% of the height, want ≥ %.0f%%", name, got*100, least*100)
			}
			if a := p.Rect.H / p.Rect.W; a < 1.40 || a > 1.43 {
				t.Errorf("%s: the page's shape is 1:%.3f, want A4's 1:1.414", name, a)
			}
			printing := docScene(t, elder, "document_printing")
			ps := Build(&printing, sz, nil, nil)
			q, ok := ps.Find(IDDocPreview)
			if !ok || q.Rect != p.Rect {
				t.Errorf("%s: the page moves from %v to %v when printing starts", name, p.Rect, q.Rect)
			}
			bar, ok := ps.Find(IDDocBar)
			if !ok || bar.Kind != Bar || bar.Value < 0.33 || bar.Value > 0.34 {
				t.Errorf("%s: progress bar %+v, want 1/3 full", name, bar)
			}
			pr, ok := ps.Find(IDDocProgress)
			if !ok || strings.Join(pr.Lines, "") != "正在打印第 2/3 页" || pr.Size < ps.Theme.Title {
				t.Errorf("%s: progress %+v", name, pr)
			}
			btn, _ := rs.Find("print")
			if strings.Join(btn.Lines, "") != "打印 3 页" || btn.Role != Primary || btn.Rect.H < rs.Theme.Target {
				t.Errorf("%s: print button %+v", name, btn)
			}
		}
	}
}

// What each state says: the hotline where the resident needs help, the
// note that 重新打印 waits for the printer, the page count on take.
func TestDocumentWords(t *testing.T) {
	text := func(s *Screen) string {
		var b strings.Builder
		for _, w := range s.Widgets {
			b.WriteString(strings.Join(w.Lines, ""))
			b.WriteString("\n")
		}
		return b.String()
	}
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			for _, tc := range []struct {
				scene string
				has   []string
				not   []string
			}{
				{"document_fetching", []string{"正在取回证明文件"}, nil},
				{"document_ready", []string{"3 页", "请核对证明内容"}, nil},
				{"document_take", []string{"请取走打印件", "共 3 页", "下一步"}, nil},
				{"document_stopped", []string{"没纸了", "服务热线 0371-62112345", "打印机恢复后，这里会出现「重新打印」", "结束"}, []string{"重新打印\n"}},
				{"document_reprint", []string{"重新打印\n", "服务热线 0371-62112345", "结束"}, []string{"这里会出现"}},
				{"document_refused", []string{"有问题", "服务热线 0371-62112345", "结束"}, nil},
				{"document_unreached", []string{"取不到", "服务热线 0371-62112345", "结束"}, nil},
			} {
				v := docScene(t, elder, tc.scene)
				// Every page of the screen together.
				all := ""
				st := &State{}
				for p := 0; ; p++ {
					st.Page = p
					s := Build(&v, sz, nil, st)
					all += text(s)
					if w, ok := s.Find("page-next"); !ok || w.Local == "" {
						break
					}
				}
				for _, h := range tc.has {
					if !strings.Contains(all, h) {
						t.Errorf("%s elder=%v %vx%v: no %q in\n%s", tc.scene, elder, sz.W, sz.H, h, all)
					}
				}
				for _, h := range tc.not {
					if strings.Contains(all, h) {
						t.Errorf("%s elder=%v %vx%v: %q shown", tc.scene, elder, sz.W, sz.H, h)
					}
				}
			}
		}
	}
}

// PagePixels is the size the page is drawn at: A4's shape, most of the
// screen, and what PageBox gives for the screen's preview box.
func TestPagePixels(t *testing.T) {
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			w, h := PagePixels(sz, elder)
			if a := float64(h) / float64(w); a < 1.40 || a > 1.43 || float64(h) < 0.5*sz.H {
				t.Errorf("elder=%v %v: %d×%d", elder, sz, w, h)
			}
			v := docScene(t, elder, "document_ready")
			p, _ := Build(&v, sz, nil, nil).Find(IDDocPreview)
			b := v.Document.Preview.Bounds()
			_, _, pw, ph, sh := PageBox(p.Rect, b.Dx(), b.Dy())
			if d := pw/float64(w) - 1; d < -0.05 || d > 0.05 || pw+sh > p.Rect.W+0.5 || ph+sh > p.Rect.H+0.5 {
				t.Errorf("elder=%v %v: the sample page is %v×%v in %v, PagePixels %d×%d", elder, sz, pw, ph, p.Rect, w, h)
			}
			t.Logf("elder=%v %v×%v: %d×%d", elder, sz.W, sz.H, w, h)
		}
	}
}

// A proof with a long name from a department with a long name, and a
// notice, still fits: the words that matter stay, the page keeps at
// least half the height in portrait, nothing overlaps.
func TestDocumentLongWords(t *testing.T) {
	m := ApproxMeasurer{}
	for _, elder := range []bool{false, true} {
		for _, name := range []string{"document_ready", "document_printing"} {
			v := docScene(t, elder, name)
			d := *v.Document
			d.Title = "城乡居民基本养老保险个人权益记录（参保缴费凭证）"
			d.Department = "中牟县人力资源和社会保障局城乡居民养老保险经办中心"
			v.Document = &d
			v.Title = d.Title
			v.Notice = "打印机已经恢复，可以点「打印」了"
			for _, sz := range []Size{Portrait, Landscape} {
				s := Build(&v, sz, m, nil)
				for _, pr := range Check(s, &v, m, false) {
					t.Errorf("%s elder=%v %vx%v: %s", name, elder, sz.W, sz.H, pr)
				}
				p, _ := s.Find(IDDocPreview)
				if sz.H > sz.W && p.Rect.H < sz.H/2-0.5 {
					t.Errorf("%s elder=%v: the page is %.0f px high", name, elder, p.Rect.H)
				}
				all := ""
				for _, w := range s.Widgets {
					all += strings.Join(w.Lines, "") + "\n"
				}
				for _, want := range []string{v.Notice} {
					if !strings.Contains(all, want) {
						t.Errorf("%s elder=%v %vx%v: %q left out", name, elder, sz.W, sz.H, want)
					}
				}
			}
		}
	}
}

// The help dialog and the inactivity dialog over the document screen
// keep Check's rules, and only the dialog takes taps.
func TestDocumentOverlays(t *testing.T) {
	m := ApproxMeasurer{}
	for _, elder := range []bool{false, true} {
		var help, timeout session.View
		for _, sc := range scenes.All(elder) {
			switch sc.Name {
			case "help":
				help = sc.View
			case "timeout":
				timeout = sc.View
			}
		}
		if help.Help == nil || timeout.Timeout == nil {
			t.Fatal("no help or timeout scene")
		}
		for _, name := range []string{"document_ready", "document_stopped"} {
			for _, over := range []session.View{help, timeout} {
				v := docScene(t, elder, name)
				v.Help, v.Timeout = over.Help, over.Timeout
				for _, sz := range []Size{Portrait, Landscape} {
					s := Build(&v, sz, m, nil)
					for _, pr := range Check(s, &v, m, false) {
						t.Errorf("%s elder=%v %vx%v with a dialog: %s", name, elder, sz.W, sz.H, pr)
					}
					if s.ModalFrom < 0 {
						t.Fatalf("%s: no dialog", name)
					}
					for _, id := range []string{"print", "end"} {
						if w, ok := s.Find(id); ok {
							if h := s.Hit(w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2, 0); h != nil && h.ID == id {
								t.Errorf("%s: %s taken through the dialog", name, id)
							}
						}
					}
				}
			}
		}
	}
}
