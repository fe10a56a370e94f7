package layout

import (
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// TestTrackingKeyboard: a tracking-number field gets letters and digits
// that type themselves in upper case, no pinyin, and a delete key.
func TestTrackingKeyboard(t *testing.T) {
	v := session.View{Screen: session.ScreenForm, Title: "办件进度查询", Focus: "tracking",
		Form: []session.FieldView{{ID: "tracking", Label: "办理编号", Type: catalog.FieldTracking, Required: true, Value: "K7"}}}
	for _, sz := range []Size{Portrait, Landscape} {
		s := Build(&v, sz, nil, nil)
		for id, want := range map[string]session.Event{
			"key:q":   session.FieldInput{ID: "tracking", Value: "K7Q"},
			"key:del": session.FieldInput{ID: "tracking", Value: "K"},
		} {
			w, ok := s.Find(id)
			if !ok {
				t.Fatalf("%v: no %s", sz, id)
			}
			if w.Event != want {
				t.Errorf("%v: %s sends %#v, want %#v", sz, id, w.Event, want)
			}
		}
		for _, w := range s.Widgets {
			if _, ok := w.Event.(session.PinyinKey); ok {
				t.Fatalf("%v: %s types pinyin into a tracking number", sz, w.ID)
			}
		}
	}
}
