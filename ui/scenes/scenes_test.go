package scenes

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

func TestAllScreensCovered(t *testing.T) {
	for _, elder := range []bool{false, true} {
		seen := map[session.Screen]bool{}
		for _, s := range All(elder) {
			seen[s.View.Screen] = true
			if s.View.Elder != elder && s.View.Screen != session.ScreenAttract && s.View.Staff == nil &&
				s.View.Screen != session.ScreenMaintenance && s.View.Screen != session.ScreenOutOfService {
				t.Errorf("%s: elder = %v", s.Name, s.View.Elder)
			}
		}
		for _, sc := range session.Screens {
			if !seen[sc] {
				t.Errorf("elder=%v: no scene for %s", elder, sc)
			}
		}
	}
}

// The scenes show the states a resident must not get lost in.
func TestScenesOfIssue16(t *testing.T) {
	for _, elder := range []bool{false, true} {
		by := map[string]session.View{}
		var order []string
		for _, s := range All(elder) {
			by[s.Name] = s.View
			order = append(order, s.Name)
		}
		at := func(name string) int { return slices.Index(order, name) }
		checks := []struct {
			name string
			ok   func(v session.View) bool
		}{
			{"result_printing", func(v session.View) bool {
				return v.Screen == session.ScreenResult && v.Printing == session.PrintBusy && v.Result.Tracking == "K7QH 2M4X"
			}},
			{"paper_out", func(v session.View) bool {
				return v.Screen == session.ScreenPrinting && v.Slip != nil && v.Slip.WaitPaper && v.Slip.SMSTo == "138****5678"
			}},
			{"paper_out_sms_sent", func(v session.View) bool { return v.Slip != nil && v.Slip.SMS == session.SMSDone }},
			{"paper_back", func(v session.View) bool { return v.Slip != nil && v.Slip.Reprint }},
			{"result", func(v session.View) bool {
				return v.Screen == session.ScreenResult && v.Printing == session.PrintTake
			}},
			{"done", func(v session.View) bool { return v.Elder == elder && v.TakeCard }},
			{"attract_card_left", func(v session.View) bool { return v.CardLeft && !v.Elder }},
			{"result_unreached", func(v session.View) bool { return v.CanRetry }},
			{"done_card_unknown", func(v session.View) bool { return v.Card == session.CardUnknown && v.TakeCard }},
			{"result_queued_no_printer", func(v session.View) bool {
				return v.Slip != nil && v.Slip.SMSTo != "" && strings.Contains(v.Result.Next, v.Hotline)
			}},
			{"form_date_typed", func(v session.View) bool { return v.Form[4].Draft == "1985" && v.Form[4].Mark == session.WordOptional }},
			{"maintenance", func(v session.View) bool {
				return v.Back == "预计今天 15:30 恢复服务" && v.Nearby != nil && v.Nearby.Distance == "约 1.6 公里"
			}},
			{"out_of_service", func(v session.View) bool { return v.Nearby != nil }},
		}
		for _, c := range checks {
			v, ok := by[c.name]
			if !ok || !c.ok(v) {
				t.Errorf("elder=%v: scene %s: %v %+v", elder, c.name, ok, v)
			}
		}
		if !(at("result_printing") < at("result") && at("result") < at("rating") && at("rating") < at("done")) {
			t.Errorf("the result does not come before the rating: %v", order)
		}
	}
}

// No resident-facing string of any scene, in either mode, holds a Latin
// word other than the tracking code, the pinyin the resident types and
// the search example; nor the words residents stumble on.
func TestScenesInPlainChinese(t *testing.T) {
	for _, elder := range []bool{false, true} {
		for _, sc := range All(elder) {
			v := sc.View
			allowed := []string{v.Query, v.Pinyin}
			if v.Screen == session.ScreenSearch {
				allowed = append(allowed, session.SearchExample)
			}
			if v.Result != nil {
				allowed = append(allowed, v.Result.TrackingNo, v.Result.Tracking)
			}
			walk(reflect.ValueOf(v), func(where, s string) {
				if w := session.LatinWords(s, allowed...); len(w) > 0 {
					t.Errorf("%s elder=%v %s: %q has %q", sc.Name, elder, where, s, w)
				}
				for _, j := range []string{"感应区", "回执", "即办", "办结", "帮办代办", "本机需要"} {
					if strings.Contains(s, j) {
						t.Errorf("%s elder=%v %s: %q says %s", sc.Name, elder, where, s, j)
					}
				}
			}, "view")
		}
	}
}

// walk calls fn for every string a resident reads in a view: not the ids,
// icons, QR payloads, states, or the pinyin and search letters she types.
func walk(v reflect.Value, fn func(where, s string), path string) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() != reflect.TypeFor[string]() {
			return // Screen, PrintState, CardState, Outcome, Kind, FieldType: states, not words
		}
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), fn, path)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), fn, path+"[]")
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			switch name := v.Type().Field(i).Name; name {
			case "ID", "Icon", "TrackURL", "AssistURL", "OnlineURL", "QR", "Focus", "Query", "Pinyin", "Candidates", "Strokes", "Clock", "Until":
			default:
				if name == "Value" && v.Type() == reflect.TypeFor[catalog.Choice]() {
					continue // a choice's value is the catalog's, its label is shown
				}
				if name == "Value" && v.Type() == reflect.TypeFor[session.FieldView]() &&
					v.Interface().(session.FieldView).Type == catalog.FieldChoice {
					continue // a choice field's value is its choice's; the label is shown
				}
				walk(v.Field(i), fn, path+"."+name)
			}
		}
	}
}
