package session

import (
	"slices"
	"testing"
	"time"
)

func speaks(fx []Effect) []string {
	var out []string
	for _, e := range fx {
		if s, ok := e.(Speak); ok {
			out = append(out, s.Text)
		}
	}
	return out
}

func TestVoiceControls(t *testing.T) {
	tests := []struct {
		name      string
		setup     []Event // before the controls
		evs       []Event
		wantLevel int
		wantVoice bool
		wantSound *Sound // the last Sound effect of evs (nil: none)
	}{
		{"defaults", nil, nil, DefaultVolumeLevel, true, nil},
		{"louder on attract", nil, []Event{VolumeUp{}}, 5, true, &Sound{Volume: 1, Voice: true}},
		{"never above the top", nil, []Event{VolumeUp{}, VolumeUp{}, VolumeUp{}}, 5, true, &Sound{Volume: 1, Voice: true}},
		{"quieter on home", []Event{Start{}}, []Event{VolumeDown{}, VolumeDown{}}, 2, true, &Sound{Volume: 0.4, Voice: true}},
		{"never silent by volume", []Event{Start{}}, []Event{VolumeDown{}, VolumeDown{}, VolumeDown{}, VolumeDown{}, VolumeDown{}}, 1, true, &Sound{Volume: 0.2, Voice: true}},
		{"voice off", []Event{Start{}}, []Event{ToggleVoice{}}, DefaultVolumeLevel, false, &Sound{Volume: 0.8, Voice: false}},
		{"voice back on", []Event{Start{}}, []Event{ToggleVoice{}, ToggleVoice{}}, DefaultVolumeLevel, true, &Sound{Volume: 0.8, Voice: true}},
		{"in the help overlay", []Event{Start{}, ChooseService{"ss-record"}, Help{}}, []Event{VolumeUp{}}, 5, true, &Sound{Volume: 1, Voice: true}},
		{"not on a guide", []Event{Start{}, ChooseService{"ss-record"}}, []Event{VolumeUp{}, ToggleVoice{}}, DefaultVolumeLevel, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.do(tc.setup...)
			fx := h.do(tc.evs...)
			v := h.m.View()
			if v.VolumeLevel != tc.wantLevel || v.Voice != tc.wantVoice || v.Volume != float64(tc.wantLevel)/VolumeLevels {
				t.Fatalf("view: level %d voice %v volume %v, want %d %v", v.VolumeLevel, v.Voice, v.Volume, tc.wantLevel, tc.wantVoice)
			}
			var last *Sound
			for _, e := range fx {
				if s, ok := e.(Sound); ok {
					last = &s
				}
			}
			switch {
			case tc.wantSound == nil && last != nil:
				t.Fatalf("unexpected %+v", *last)
			case tc.wantSound != nil && (last == nil || *last != *tc.wantSound):
				t.Fatalf("sound effect %+v, want %+v", last, *tc.wantSound)
			}
		})
	}
}

func TestVoiceOffSilencesPrompts(t *testing.T) {
	h := newHarness(t)
	h.do(Start{})
	if fx := h.do(VolumeUp{}); !slices.Contains(speaks(fx), "音量已调到 5 级") {
		t.Fatalf("volume change not announced: %v", fx)
	}
	h.do(ToggleVoice{})
	if fx := h.do(ChooseCategory{"social"}); len(speaks(fx)) != 0 {
		t.Fatalf("voice off but spoke %v", speaks(fx))
	}
	h.do(Home{})
	if fx := h.do(ToggleVoice{}); !slices.Contains(speaks(fx), "语音提示已打开") {
		t.Fatalf("voice on not announced: %v", fx)
	}
	if fx := h.do(ChooseCategory{"social"}); len(speaks(fx)) == 0 {
		t.Fatal("voice on but silent")
	}
}

func TestVoiceResetsWhenSessionEnds(t *testing.T) {
	for _, end := range []struct {
		name string
		evs  func(h *harness) []Effect
	}{
		{"cancel", func(h *harness) []Effect { return h.do(Cancel{}) }},
		{"timeout", func(h *harness) []Effect { return h.tick(60*time.Second + 31*time.Second) }},
	} {
		t.Run(end.name, func(t *testing.T) {
			h := newHarness(t)
			h.do(Start{}, VolumeDown{}, ToggleVoice{})
			fx := end.evs(h)
			h.want(ScreenAttract)
			s, ok := find[Sound](fx)
			if !ok || s != (Sound{Volume: 0.8, Voice: true, Default: true}) {
				t.Fatalf("no reset effect: %+v", fx)
			}
			if _, ok := find[SessionEnded](fx); !ok {
				t.Fatal("no SessionEnded")
			}
			if v := h.m.View(); v.VolumeLevel != DefaultVolumeLevel || !v.Voice {
				t.Fatalf("view not reset: %+v", v)
			}
		})
	}
	// Changed on attract by someone who walked away: back after a minute.
	h := newHarness(t)
	h.do(ToggleVoice{})
	h.tick(30 * time.Second)
	if h.m.View().Voice {
		t.Fatal("reset too early")
	}
	fx := h.tick(31 * time.Second)
	if s, ok := find[Sound](fx); !ok || !s.Voice || !s.Default || !h.m.View().Voice {
		t.Fatalf("attract settings not reset: %+v", fx)
	}
}

func TestPinyinEntry(t *testing.T) {
	type step struct {
		ev         Event
		wantValue  string
		wantPinyin string
	}
	keys := func(s string) []step {
		var out []step
		for i, r := range s {
			out = append(out, step{PinyinKey{r}, "", s[:i+1]})
		}
		return out
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"pick a character", append(keys("zhang"), step{PickCandidate{"张"}, "张", ""})},
		{"upper case letters", []step{{PinyinKey{'W'}, "", "w"}, {PinyinKey{'A'}, "", "wa"}, {PinyinKey{'1'}, "", "wa"}}},
		{"backspace removes letters first", append(keys("li"),
			step{PickCandidate{"李"}, "李", ""}, step{PinyinKey{'x'}, "李", "x"},
			step{PinyinBackspace{}, "李", ""}, step{PinyinBackspace{}, "", ""}, step{PinyinBackspace{}, "", ""})},
		{"several readings: first used up", append(keys("zhangsan"),
			step{PickCandidate{"张"}, "张", "san"}, step{PickCandidate{"三"}, "张三", ""})},
		{"a word", append(keys("laoren"), step{PickCandidate{"老人"}, "老人", ""})},
		{"latin letters", append(keys("abc"), step{PickCandidate{"abc"}, "abc", ""})},
		{"not a candidate", append(keys("ban"), step{PickCandidate{"王"}, "", "ban"}, step{PickCandidate{"x"}, "", "ban"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			toForm(h, "subsidy")
			h.do(FieldFocus{"addr"}, FieldInput{"addr", ""})
			for i, s := range tc.steps {
				h.do(s.ev)
				v := h.m.View()
				got := ""
				for _, f := range v.Form {
					if f.ID == "addr" {
						got = f.Value
					}
				}
				if got != s.wantValue || v.Pinyin != s.wantPinyin {
					t.Fatalf("step %d %#v: value %q pinyin %q, want %q %q", i, s.ev, got, v.Pinyin, s.wantValue, s.wantPinyin)
				}
				if s.wantPinyin != "" && (len(v.Candidates) == 0 || v.Candidates[len(v.Candidates)-1] != s.wantPinyin) {
					t.Fatalf("step %d: candidates %v should end with the letters", i, v.Candidates)
				}
			}
		})
	}
}

func TestPinyinCandidatesAndPaging(t *testing.T) {
	h := newHarness(t)
	toForm(h, "subsidy")
	h.do(FieldFocus{"addr"}, FieldInput{"addr", ""}, PinyinKey{'w'}, PinyinKey{'a'}, PinyinKey{'n'}, PinyinKey{'g'})
	v := h.m.View()
	if len(v.Candidates) < 10 || v.Candidates[0] != "王" || v.CandFrom != 0 {
		t.Fatalf("candidates %v from %d", v.Candidates, v.CandFrom)
	}
	h.do(CandidatePage{6})
	if v := h.m.View(); v.CandFrom != 6 {
		t.Fatalf("page: from %d", v.CandFrom)
	}
	h.do(CandidatePage{1000})
	if v := h.m.View(); v.CandFrom != len(v.Candidates)-1 {
		t.Fatalf("page past the end: from %d of %d", v.CandFrom, len(v.Candidates))
	}
	h.do(CandidatePage{-3})
	if v := h.m.View(); v.CandFrom != 0 {
		t.Fatalf("page before the start: %d", v.CandFrom)
	}
	h.do(CandidatePage{6}, PinyinKey{'z'})
	if v := h.m.View(); v.CandFrom != 0 {
		t.Fatal("a key should return to the first page")
	}
	// Moving to another field drops the letters; so does leaving the form.
	h.do(FieldFocus{"bank"})
	if v := h.m.View(); v.Pinyin != "" || v.Candidates != nil {
		t.Fatalf("pinyin kept on a digits field: %+v", v)
	}
	h.do(PinyinKey{'a'})
	if v := h.m.View(); v.Pinyin != "" {
		t.Fatal("pinyin typed into a digits field")
	}
	h.do(FieldFocus{"addr"}, PinyinKey{'a'}, Back{})
	h.do(CardPresent{testCard()}, ConfirmIdentity{}, FieldFocus{"addr"})
	if v := h.m.View(); v.Pinyin != "" {
		t.Fatal("pinyin survived leaving the form")
	}
	// Validation is unchanged: the letters are not the value.
	h.do(FieldInput{"addr", ""}, PinyinKey{'a'}, Submit{})
	for _, f := range h.m.View().Form {
		if f.ID == "addr" && f.Error == "" {
			t.Fatal("empty address with pending letters passed validation")
		}
	}
}

func TestPinyinIgnoredElsewhere(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, OpenSearch{}, PinyinKey{'s'}, PickCandidate{"社"}, PinyinBackspace{}, CandidatePage{3})
	if v := h.m.View(); v.Query != "" || v.Pinyin != "" {
		t.Fatalf("search touched by pinyin events: %+v", v)
	}
}

func BenchmarkPinyinKeystroke(b *testing.B) {
	h := newHarness(b)
	toForm(h, "subsidy")
	h.do(FieldFocus{"addr"}, FieldInput{"addr", ""})
	h.m.Handle(PinyinKey{'a'}) // build the tables outside the loop
	h.m.Handle(PinyinBackspace{})
	keys := []Event{PinyinKey{'z'}, PinyinKey{'h'}, PinyinKey{'a'}, PinyinKey{'n'}, PinyinKey{'g'},
		PickCandidate{"张"}, PinyinBackspace{}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		h.m.Handle(keys[i%len(keys)])
		_ = h.m.View()
	}
}
