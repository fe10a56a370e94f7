package layout

import (
	"reflect"
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

func sceneView(t *testing.T, elder bool, name string) session.View {
	t.Helper()
	for _, sc := range scenes.All(elder) {
		if sc.Name == name {
			return sc.View
		}
	}
	t.Fatalf("no scene %s", name)
	return session.View{}
}

// tapHits checks that a tap on the widget's centre reaches it.
func tapHits(t *testing.T, s *Screen, id string) Widget {
	t.Helper()
	w, ok := s.Find(id)
	if !ok {
		t.Fatalf("no widget %s", id)
	}
	x, y := w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2
	scroll := 0.0
	if w.Scroll {
		scroll = max(0, y-(s.Scroll.Y+s.Scroll.H/2))
	}
	hit := s.Hit(x, y-scroll, scroll)
	if hit == nil || hit.ID != id {
		t.Fatalf("tap on %s reached %v", id, hit)
	}
	return *hit
}

func TestVoiceControlsOnScreens(t *testing.T) {
	controls := map[string]session.Event{"vol-up": session.VolumeUp{}, "vol-down": session.VolumeDown{}, "voice": session.ToggleVoice{}}
	for _, elder := range []bool{false, true} {
		for _, scene := range []string{"attract", "home", "help"} {
			for _, sz := range []Size{Portrait, Landscape} {
				v := sceneView(t, elder, scene)
				s := buildPageWith(&v, sz, "vol-up")
				prefix := ""
				if scene == "help" {
					prefix = "help-"
					if _, ok := s.Find("help-voice"); !ok && elder && sz == Landscape {
						continue // no room: the dialog keeps hotline, QR code and close
					}
				}
				for id, ev := range controls {
					id = prefix + id
					w := tapHits(t, s, id)
					if !reflect.DeepEqual(w.Event, ev) {
						t.Errorf("%s elder=%v %v: %s sends %#v", scene, elder, sz, id, w.Event)
					}
				}
				if w, ok := s.Find(prefix + "vol-level"); !ok || len(w.Lines) != 1 || w.Lines[0] != "音量 4" {
					t.Errorf("%s elder=%v %v: level %+v", scene, elder, sz, w)
				}
			}
		}
	}
	// Voice off shows it.
	v := sceneView(t, false, "home")
	v.Voice = false
	s := buildPageWith(&v, Portrait, "voice")
	if w, _ := s.Find("voice"); w.Lines[0] != "开语音" {
		t.Fatalf("voice off: button %q", w.Lines)
	}
	if w, _ := s.Find("vol-level"); w.Lines[0] != "已静音" {
		t.Fatalf("voice off: level %q", w.Lines)
	}
}

func TestCandidateBar(t *testing.T) {
	for _, elder := range []bool{false, true} {
		for _, sz := range []Size{Portrait, Landscape} {
			v := sceneView(t, elder, "form_pinyin")
			if v.Pinyin != "bangmang" || len(v.Candidates) < 3 || v.Candidates[0] != "帮忙" {
				t.Fatalf("scene: pinyin %q candidates %v", v.Pinyin, v.Candidates)
			}
			s := Build(&v, sz, nil, nil)
			if w := tapHits(t, s, "cand:帮忙"); !reflect.DeepEqual(w.Event, session.PickCandidate{Text: "帮忙"}) {
				t.Fatalf("candidate sends %#v", w.Event)
			}
			if w := tapHits(t, s, "key:b"); !reflect.DeepEqual(w.Event, session.PinyinKey{R: 'b'}) {
				t.Fatalf("key sends %#v", w.Event)
			}
			if w := tapHits(t, s, "key:del"); !reflect.DeepEqual(w.Event, session.PinyinBackspace{}) {
				t.Fatalf("delete sends %#v", w.Event)
			}
			next := tapHits(t, s, "cand:next")
			if _, ok := s.Find("cand:prev"); ok {
				t.Fatal("previous page on the first page")
			}
			if _, ok := s.Find("next"); ok && sz == Portrait {
				t.Fatal("下一步 above the keyboard while pinyin waits for a character")
			}
			if f, ok := s.Find("field:need"); !ok || f.Lines[0] != "需要 bangmang" {
				t.Fatalf("field shows %q", f.Lines)
			}
			// The next page starts after the candidates shown.
			shown := 0
			for _, w := range s.Widgets {
				if _, ok := w.Event.(session.PickCandidate); ok {
					shown++
				}
			}
			if from := next.Event.(session.CandidatePage).From; from != shown || shown < 2 {
				t.Fatalf("elder=%v %v: next page from %d, %d shown", elder, sz, from, shown)
			}
			v.CandFrom = shown
			s = Build(&v, sz, nil, nil)
			if w := tapHits(t, s, "cand:prev"); w.Event.(session.CandidatePage).From != 0 {
				t.Fatalf("previous page from %#v", w.Event)
			}
		}
	}
}

// buildPageWith lays out v and turns its pages until one shows id (the
// first page when none does).
func buildPageWith(v *session.View, sz Size, id string) *Screen {
	st := &State{}
	first := Build(v, sz, nil, st)
	s := first
	for range 20 {
		if _, ok := s.Find(id); ok {
			return s
		}
		if _, ok := s.Find("page-next"); !ok {
			break
		}
		st.Page++
		s = Build(v, sz, nil, st)
	}
	return first
}

// TestTextKeyboardSymbols: digits and punctuation can be typed into a
// text field (an address like 12号): behind 123 in normal mode, as the
// third page in elder mode.
func TestTextKeyboardSymbols(t *testing.T) {
	for _, elder := range []bool{false, true} {
		v := sceneView(t, elder, "form_pinyin")
		v.Pinyin, v.Candidates = "", nil
		var f session.FieldView
		for _, fv := range v.Form {
			if fv.ID == v.Focus {
				f = fv
			}
		}
		st := &State{}
		if elder {
			st.KeyPage = 2
		} else {
			st.Symbols = true
			s := Build(&v, Portrait, nil, &State{})
			if w, ok := s.Find("key:123"); !ok || w.Local != LocalSymbols {
				t.Fatalf("no 123 key: %+v", w)
			}
		}
		s := Build(&v, Portrait, nil, st)
		w := tapHits(t, s, "key:1")
		if want := (session.FieldInput{ID: f.ID, Value: f.Value + "1"}); !reflect.DeepEqual(w.Event, want) {
			t.Fatalf("elder=%v: 1 sends %#v, want %#v", elder, w.Event, want)
		}
		if _, ok := s.Find("key:，"); !ok {
			t.Fatalf("elder=%v: no comma key", elder)
		}
		if _, ok := s.Find("key:a"); ok {
			t.Fatalf("elder=%v: letters on the symbols page", elder)
		}
	}
}
