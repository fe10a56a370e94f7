package session

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// newPadHarness is the test kiosk with a handwriting recogniser, on the
// subsidy form with the address (a free-text field) focused.
func newPadHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	o := h.m.o
	o.Handwriting = true
	h.m = New(&o)
	toFormWith(h, "subsidy", testCard())
	h.do(FieldFocus{"addr"})
	return h
}

func recognizeFx(t *testing.T, fx []Effect) Recognize {
	t.Helper()
	r, ok := find[Recognize](fx)
	if !ok {
		t.Fatalf("no Recognize in %v", fx)
	}
	return r
}

var (
	strokeH = []Point{{100, 500}, {500, 500}, {900, 500}}
	strokeV = []Point{{500, 100}, {500, 900}}
)

func TestPadOfferedOnlyWithARecogniserOnText(t *testing.T) {
	h := newHarness(t)
	toFormWith(h, "subsidy", testCard())
	h.do(FieldFocus{"addr"}, UseHandwriting{On: true})
	if v := h.m.View(); v.HandwritingOffered || v.Handwriting {
		t.Fatalf("pad offered without a recogniser: %+v", v)
	}
	if fx := h.do(Stroke{Points: append([]Point(nil), strokeH...)}); len(fx) != 0 {
		t.Fatalf("stroke without a recogniser: %v", fx)
	}

	h = newPadHarness(t)
	if v := h.m.View(); !v.HandwritingOffered || v.Handwriting {
		t.Fatalf("text field: offered %v, pad %v; want the switch on pinyin", v.HandwritingOffered, v.Handwriting)
	}
	h.do(UseHandwriting{On: true})
	if v := h.m.View(); !v.Handwriting || v.Pinyin != "" || len(v.Candidates) != 0 {
		t.Fatalf("pad chosen: %+v", v)
	}
	h.do(FieldFocus{"bank"})
	if v := h.m.View(); v.HandwritingOffered || v.Handwriting {
		t.Fatal("pad offered on a digits field")
	}
	// Back on the text field the resident's choice holds.
	h.do(FieldFocus{"addr"})
	if v := h.m.View(); !v.Handwriting {
		t.Fatal("the choice of 手写 was forgotten between fields")
	}
	h.do(UseHandwriting{On: false}, PinyinKey{'w'})
	if v := h.m.View(); v.Handwriting || v.Pinyin != "w" {
		t.Fatalf("back to pinyin: %+v", v)
	}
}

func TestStrokesRecognisedAndPicked(t *testing.T) {
	h := newPadHarness(t)
	h.do(UseHandwriting{On: true})
	r1 := recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeH...)}))
	if r1.Seq == 0 || !reflect.DeepEqual(r1.Strokes, [][]Point{strokeH}) {
		t.Fatalf("first stroke: %+v", r1)
	}
	r2 := recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeV...)}))
	if r2.Seq == r1.Seq || !reflect.DeepEqual(r2.Strokes, [][]Point{strokeH, strokeV}) {
		t.Fatalf("second stroke: %+v", r2)
	}
	// The answer for the first stroke comes late: it is stale.
	h.do(Recognized{Seq: r1.Seq, Candidates: []string{"一"}})
	if v := h.m.View(); len(v.Candidates) != 0 || len(v.Strokes) != 2 {
		t.Fatalf("stale answer shown: %q, %d strokes", v.Candidates, len(v.Strokes))
	}
	// Common characters first, then the rest, each in the recogniser's order.
	h.do(Recognized{Seq: r2.Seq, Candidates: []string{"廾", "十", "囗", "士", "十", ""}})
	v := h.m.View()
	if want := []string{"十", "士", "廾", "囗"}; !reflect.DeepEqual(v.Candidates, want) {
		t.Fatalf("candidates %q, want %q", v.Candidates, want)
	}
	h.do(PickCandidate{Text: "十"})
	v = h.m.View()
	if !strings.HasSuffix(h.m.values["addr"], testAddress+"十") && h.m.values["addr"] != "十" {
		t.Fatalf("typed %q", h.m.values["addr"])
	}
	if len(v.Strokes) != 0 || len(v.Candidates) != 0 || !v.Handwriting || v.Focus != "addr" {
		t.Fatalf("after the pick the pad is ready for the next character: %+v", v)
	}
	// 删除 takes the last character back.
	h.do(PinyinBackspace{})
	if strings.HasSuffix(h.m.values["addr"], "十") {
		t.Fatalf("backspace left %q", h.m.values["addr"])
	}
}

func TestClearPadAndErrors(t *testing.T) {
	h := newPadHarness(t)
	h.do(UseHandwriting{On: true})
	r := recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeH...)}))
	h.do(ClearPad{})
	h.do(Recognized{Seq: r.Seq, Candidates: []string{"一"}})
	if v := h.m.View(); len(v.Strokes) != 0 || len(v.Candidates) != 0 {
		t.Fatalf("cleared pad shows %d strokes, %q", len(v.Strokes), v.Candidates)
	}

	r = recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeH...)}))
	h.do(Recognized{Seq: r.Seq, Err: errors.New("handwriting: zinnia ended")})
	if v := h.m.View(); v.Notice != noticeRecogniserFailed || len(v.Strokes) != 1 {
		t.Fatalf("failure: notice %q, %d strokes", v.Notice, len(v.Strokes))
	}
	h.do(ClearPad{})
	if v := h.m.View(); v.Notice != "" {
		t.Fatalf("notice %q stays after 清除", v.Notice)
	}
	r = recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeH...)}))
	h.do(Recognized{Seq: r.Seq})
	if v := h.m.View(); v.Notice != noticeNotRecognised {
		t.Fatalf("nothing recognised: notice %q", v.Notice)
	}
	// A form error's notice is not the pad's to clear.
	h.do(ClearPad{}, Submit{})
	form := h.m.View().Notice
	h.do(FieldFocus{"addr"})
	r = recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeH...)}))
	h.do(Recognized{Seq: r.Seq, Candidates: []string{"一"}}, ClearPad{})
	if form == "" || h.m.View().Notice != form {
		t.Fatalf("form notice %q became %q", form, h.m.View().Notice)
	}
}

func TestPadDone(t *testing.T) {
	h := newPadHarness(t)
	before := h.m.values["addr"]
	h.do(UseHandwriting{On: true}, PadDone{})
	if v := h.m.View(); v.Focus != "" || h.m.values["addr"] != before {
		t.Fatalf("done on an empty pad: focus %q, value %q", v.Focus, h.m.values["addr"])
	}
	h.do(FieldFocus{"addr"})
	r := recognizeFx(t, h.do(Stroke{Points: append([]Point(nil), strokeH...)}))
	h.do(Recognized{Seq: r.Seq, Candidates: []string{"一", "二"}}, PadDone{})
	if v := h.m.View(); v.Focus != "" || h.m.values["addr"] != before+"一" || len(h.m.pad.strokes) != 0 {
		t.Fatalf("done with 一 on the pad: focus %q, value %q", v.Focus, h.m.values["addr"])
	}
}

func TestStrokeLimits(t *testing.T) {
	h := newPadHarness(t)
	h.do(UseHandwriting{On: true})
	if fx := h.do(Stroke{}); len(fx) != 0 {
		t.Fatalf("an empty stroke was recognised: %v", fx)
	}
	long := make([]Point, 5000)
	for i := range long {
		long[i] = Point{i - 2000, 3000 - i}
	}
	r := recognizeFx(t, h.do(Stroke{Points: long}))
	s := r.Strokes[0]
	if len(s) > maxStrokePoints || s[0] != (Point{0, PadSize}) || s[len(s)-1] != (Point{PadSize, 0}) {
		t.Fatalf("long stroke: %d points from %v to %v", len(s), s[0], s[len(s)-1])
	}
	for _, p := range s {
		if p.X < 0 || p.X > PadSize || p.Y < 0 || p.Y > PadSize {
			t.Fatalf("point %v off the pad", p)
		}
	}
	if long[10] != (Point{}) {
		t.Fatal("the event's points were kept around")
	}
	for range maxPadStrokes + 3 {
		h.do(Stroke{Points: []Point{{1, 1}}})
	}
	if n := len(h.m.View().Strokes); n != maxPadStrokes {
		t.Fatalf("%d strokes kept, want %d", n, maxPadStrokes)
	}
}

// TestPadWipedWithTheSession: what was written is personal. The
// inactivity dialog blocks the pad, and when the session times out (on
// the test clock) the ink is wiped and the next resident starts on pinyin.
func TestPadWipedWithTheSession(t *testing.T) {
	h := newPadHarness(t)
	h.do(UseHandwriting{On: true})
	h.do(Stroke{Points: append([]Point(nil), strokeH...)})
	ink := h.m.pad.strokes[0]
	h.tick(DefaultTimeouts.Screen[ScreenForm])
	if h.m.View().Timeout == nil {
		t.Fatal("no inactivity dialog")
	}
	if fx := h.do(Stroke{Points: append([]Point(nil), strokeV...)}); len(fx) != 0 || len(h.m.pad.strokes) != 1 {
		t.Fatal("the pad took a stroke under the inactivity dialog")
	}
	h.tick(DefaultTimeouts.Warning + time.Second)
	if len(h.ended) != 1 || h.ended[0] != ReasonTimeout {
		t.Fatalf("sessions ended: %v", h.ended)
	}
	for _, p := range ink {
		if p != (Point{}) {
			t.Fatalf("ink left in memory: %v", ink)
		}
	}
	if h.m.pad.strokes != nil || h.m.pad.on || h.m.pad.off {
		t.Fatalf("pad after the session: %+v", h.m.pad)
	}
	assertNoPersonal(t, h.m)
	h.do(CardRemoved{}, Finish{})
	toFormWith(h, "subsidy", testCard())
	h.do(FieldFocus{"addr"})
	if v := h.m.View(); v.Handwriting || len(v.Strokes) != 0 {
		t.Fatal("the next resident found the pad as the last one left it")
	}
}

// TestElderWritesByDefault: in elder mode a text field opens on the pad;
// the resident may still choose pinyin.
func TestElderWritesByDefault(t *testing.T) {
	h := newPadHarness(t)
	h.do(ToggleElder{})
	if v := h.m.View(); !v.Elder || !v.Handwriting {
		t.Fatalf("elder mode: pad %v", v.Handwriting)
	}
	h.do(UseHandwriting{On: false}, PinyinKey{'w'})
	if v := h.m.View(); v.Handwriting || v.Pinyin != "w" {
		t.Fatalf("pinyin chosen in elder mode: pad %v, pinyin %q", v.Handwriting, v.Pinyin)
	}
	h.do(ToggleElder{})
	if v := h.m.View(); v.Handwriting {
		t.Fatal("normal mode: pad without being chosen")
	}
}
