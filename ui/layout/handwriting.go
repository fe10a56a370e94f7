package layout

import (
	"github.com/henan-county/kiosk/kiosk/session"
)

// The writing pad: where the kiosk has a handwriting recogniser, a free-
// text field's input offers 手写 beside pinyin. With 手写 chosen the pad
// takes the keyboard's place:
//
//	┌──────────────┐ 字 字
//	│   ┊     ┊    │ 字 字     candidates (or what to do), 上页 / 下页
//	│ ┈┈┼┈┈┈┈┈┼┈┈  │ 字 字
//	│   ┊     ┊    │
//	└──────────────┘
//	[拼音] [清除] [删除] [完成]
//
// A touch that starts on the pad is a stroke, never a tap or a scroll:
// the screen draws the ink as it is written and posts session.Stroke when
// the finger lifts (ui/handwriting.go). With pinyin chosen the same
// bottom row holds [手写] where [拼音] stands, so the switch stays in one
// place.

// LocalPad marks the writing pad widget (Kind Pad): the screen handles a
// touch on it as a stroke.
const LocalPad = "pad"

// handwriting lays out the writing pad, or the 手写 switch under the
// letter keyboard, for the focused text field when the kiosk offers
// handwriting. With the pad it returns the top of what it laid out and
// true; otherwise it takes the switch's row from the bottom of r (when
// the keyboard still fits above it) and returns false, and the caller
// lays out the letters in what is left of r.
func (b *builder) handwriting(r *Rect) (top float64, pad bool) {
	v, th := b.v, b.th
	if !v.HandwritingOffered {
		return 0, false
	}
	row := th.Target + th.Gap
	if v.Handwriting {
		if top, ok := b.pad(*r); ok {
			return top, true
		}
		// No room for a pad here (elder mode in landscape): the letters.
	}
	need := b.lettersHeight(r.W)
	if !b.landscape() {
		need += 2.2 * th.Target // the field being typed stands above
	}
	if r.H-row < need {
		// No room for the switch (elder mode, where the pad is the
		// default and 拼音 is chosen on it).
		return 0, false
	}
	y := r.Y + r.H - th.Target
	w := b.quarter(r.W)
	b.add(Widget{ID: "ime:hand", Kind: Button, Rect: Rect{r.X, y, w, th.Target}, Role: Primary,
		Lines: b.fit("手写", w-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true,
		Event: session.UseHandwriting{On: true}})
	hint := "不会拼音，可以点“手写”，用手指写字"
	hw := r.W - w - th.Gap
	lines := b.wrap(hint, hw, th.Small)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	lh := lineH(th.Small) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{r.X + w + th.Gap, y + (th.Target-lh)/2, hw, lh}, Role: Muted,
		Lines: lines, Size: th.Small})
	r.H -= row
	return 0, false
}

// lettersHeight is the height of the letter keyboard across w (as
// letterKeyboard lays it out with its 123 key).
func (b *builder) lettersHeight(w float64) float64 {
	n := b.letterKeys(true)
	cols := b.cols(w, 10)
	rows := float64((n + cols - 1) / cols)
	return rows*(b.th.Target+b.th.Gap) - b.th.Gap
}

// quarter is the width of one of four buttons across w.
func (b *builder) quarter(w float64) float64 { return (w - 3*b.th.Gap) / 4 }

// pad lays out the writing pad at the bottom of r, if it fits, and
// returns its top.
func (b *builder) pad(r Rect) (float64, bool) {
	v, th := b.v, b.th
	gap := th.Gap
	cols := 2 // of candidates beside the pad
	colW := float64(cols)*th.Target + float64(cols-1)*gap
	side := min(r.W-colW-gap, r.H-th.Target-gap)
	if !b.landscape() {
		// The field being typed, its label and its error stand above.
		side = min(side, r.H-th.Target-gap-2.2*th.Target)
	}
	if side < 2*th.Target+gap { // two rows of candidates at least
		return 0, false
	}
	top := r.Y + r.H - th.Target - gap - side
	b.add(Widget{ID: "hw:pad", Kind: Pad, Rect: Rect{r.X, top, side, side}, Role: Surface,
		Ink: v.Strokes, Local: LocalPad})
	b.padCandidates(Rect{r.X + side + gap, top, r.W - side - gap, side}, cols)

	y := r.Y + r.H - th.Target
	w := b.quarter(r.W)
	for i, k := range []footBtn{
		{"ime:pinyin", "拼音", Secondary, session.UseHandwriting{On: false}},
		{"hw:clear", "清除", Secondary, session.ClearPad{}},
		{"hw:del", "删除", Secondary, session.PinyinBackspace{}},
		{"hw:done", "完成", Primary, session.PadDone{}},
	} {
		b.add(Widget{ID: k.id, Kind: Button, Rect: Rect{r.X + float64(i)*(w+gap), y, w, th.Target}, Role: k.role,
			Lines: b.fit(k.label, w-gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Event: k.ev})
	}
	return top - gap, true
}

// padCandidates lays out the recognised characters in cols columns in r,
// with 上页 / 下页 in the last row when they do not all fit; before
// anything is written, what to do.
func (b *builder) padCandidates(r Rect, cols int) {
	v, th := b.v, b.th
	gap := th.Gap
	if len(v.Candidates) == 0 {
		msg := "请在左边方框里写一个字"
		if len(v.Strokes) > 0 {
			msg = "正在认字…"
		}
		lines := b.wrap(msg, r.W, th.Body)
		b.add(Widget{Kind: Label, Rect: Rect{r.X, r.Y, r.W, lineH(th.Body) * float64(len(lines))}, Role: Muted,
			Lines: lines, Size: th.Body})
		return
	}
	kw := (r.W - float64(cols-1)*gap) / float64(cols)
	rows := max(1, int((r.H+gap)/(th.Target+gap)))
	slots := rows * cols
	from := min(max(v.CandFrom, 0), len(v.Candidates)-1)
	paged := from > 0 || len(v.Candidates) > slots
	per := slots
	if paged {
		per = max(1, slots-cols) // the last row turns the pages
	}
	slot := func(i int) Rect {
		return Rect{r.X + float64(i%cols)*(kw+gap), r.Y + float64(i/cols)*(th.Target+gap), kw, th.Target}
	}
	for i := 0; i < per && from+i < len(v.Candidates); i++ {
		c := v.Candidates[from+i]
		size := th.Title
		if b.m.Advance(c, size) > kw-gap {
			size = th.Heading
		}
		b.add(Widget{ID: "cand:" + c, Kind: Button, Rect: slot(i), Role: Notice, Lines: b.fit(c, kw-gap, size)[:1],
			Size: size, Bold: true, Center: true, Event: session.PickCandidate{Text: c}})
	}
	if !paged {
		return
	}
	last := (rows - 1) * cols
	if from > 0 {
		b.add(Widget{ID: "cand:prev", Kind: Button, Rect: slot(last), Role: Primary, Lines: b.fit("上页", kw-gap, th.Heading),
			Size: th.Heading, Bold: true, Center: true, Event: session.CandidatePage{From: max(0, from-per)}})
	}
	if from+per < len(v.Candidates) {
		b.add(Widget{ID: "cand:next", Kind: Button, Rect: slot(last + cols - 1), Role: Primary, Lines: b.fit("下页", kw-gap, th.Heading),
			Size: th.Heading, Bold: true, Center: true, Event: session.CandidatePage{From: from + per}})
	}
}
