package layout

import (
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// soundControls lays out the voice controls in a row at (x, y), w wide:
// quieter, the current level, louder, and voice off/on. The widgets are
// returned, not added, so overlays can place them; their ids start with
// prefix ("" on the screen, "help-" in the help overlay).
func (b *builder) soundControls(prefix string, x, y, w float64) []Widget {
	th, v := b.th, b.v
	gap := th.Gap
	sw := (w - 3*gap) / 4
	h := th.Target
	level := "音量 " + itoa(v.VolumeLevel)
	voice, voiceRole := "关语音", Secondary
	if !v.Voice {
		level, voice, voiceRole = "已静音", "开语音", Primary
	}
	slot := func(i int) Rect { return Rect{x + float64(i)*(sw+gap), y, sw, h} }
	lh := lineH(th.Heading)
	lr := slot(1)
	// One line each: a narrow row (the help dialog in elder mode) takes
	// the body size.
	size := th.Heading
	for _, l := range []string{"音量－", "音量＋", voice} {
		if b.m.Advance(l, size) > sw-gap {
			size = th.Body
		}
	}
	return []Widget{
		{ID: prefix + "vol-down", Kind: Button, Rect: slot(0), Role: Secondary, Lines: b.fit("音量－", sw-gap, size),
			Size: size, Bold: true, Center: true, Event: session.VolumeDown{}},
		{ID: prefix + "vol-level", Kind: Label, Rect: Rect{lr.X, lr.Y + (h-lh)/2, lr.W, lh}, Lines: b.fit(level, sw-gap, size)[:1],
			Size: size, Bold: true, Center: true},
		{ID: prefix + "vol-up", Kind: Button, Rect: slot(2), Role: Secondary, Lines: b.fit("音量＋", sw-gap, size),
			Size: size, Bold: true, Center: true, Event: session.VolumeUp{}},
		{ID: prefix + "voice", Kind: Button, Rect: slot(3), Role: voiceRole, Lines: b.fit(voice, sw-gap, size),
			Size: size, Bold: true, Center: true, Event: session.ToggleVoice{}},
	}
}

// usesIME reports whether a field is typed with the pinyin input method.
func usesIME(f *session.FieldView) bool {
	switch f.Type {
	case catalog.FieldChoice, catalog.FieldDate, catalog.FieldDigits, catalog.FieldPhone,
		catalog.FieldIDNumber, catalog.FieldAmount, catalog.FieldFromCard:
		return false
	}
	return true
}

// candidateBar lays out a row of candidates (with previous/next page
// keys) ending at bottom, between x and x+w, and above it, when label is
// set, the pinyin typed; it returns its top. (The pinyin also shows in the
// field itself, after its value.)
func (b *builder) candidateBar(x, w, bottom float64, label bool) float64 {
	th, v := b.th, b.v
	gap := th.Gap
	rowY := bottom - th.Target
	lh := lineH(th.Heading)
	labelY := rowY - gap - lh
	if v.Pinyin == "" {
		b.add(Widget{Kind: Label, Rect: Rect{x, rowY + (th.Target-lh)/2, w, lh}, Role: Muted,
			Lines: b.fit("输入拼音，再点选汉字", w, th.Heading)[:1], Size: th.Heading, Center: true})
		return rowY - th.Gap
	}
	if !label {
		labelY = rowY
	} else {
		b.add(Widget{ID: "pinyin", Kind: Label, Rect: Rect{x, labelY, w, lh}, Lines: b.fit("拼音："+v.Pinyin, w, th.Heading)[:1],
			Size: th.Heading, Bold: true})
	}
	cols := b.cols(w, 10)
	kw := (w - float64(cols-1)*gap) / float64(cols)
	slot := func(i int) Rect { return Rect{x + float64(i)*(kw+gap), rowY, kw, th.Target} }
	per := max(1, cols-2)
	from := min(max(v.CandFrom, 0), max(len(v.Candidates)-1, 0))
	if from > 0 {
		b.add(Widget{ID: "cand:prev", Kind: Button, Rect: slot(0), Role: Primary, Lines: b.fit("上页", kw-gap, th.Heading),
			Size: th.Heading, Bold: true, Center: true, Event: session.CandidatePage{From: max(0, from-per)}})
	}
	for i := 0; i < per && from+i < len(v.Candidates); i++ {
		c := v.Candidates[from+i]
		r := slot(1 + i)
		size := th.Title
		if b.m.Advance(c, size) > r.W-gap {
			size = th.Heading
		}
		lines := b.fit(c, r.W-gap, size)
		if len(lines) > 1 {
			lines = b.fit(c, r.W-gap, th.Small)[:1]
			size = th.Small
		}
		b.add(Widget{ID: "cand:" + c, Kind: Button, Rect: r, Role: Notice, Lines: lines,
			Size: size, Bold: true, Center: true, Event: session.PickCandidate{Text: c}})
	}
	if from+per < len(v.Candidates) {
		b.add(Widget{ID: "cand:next", Kind: Button, Rect: slot(cols - 1), Role: Primary, Lines: b.fit("下页", kw-gap, th.Heading),
			Size: th.Heading, Bold: true, Center: true, Event: session.CandidatePage{From: from + per}})
	}
	return labelY - th.Gap
}
