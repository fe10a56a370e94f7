package layout

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// form: the matter's fields, each error beside its field, and the input
// for the focused field (keypad, choices, date picker or letters). The
// field being typed stands, with its label and its error, directly above
// its input, whatever else the screen holds; the other fields are paged
// above it, and 上一项 / 下一项 in the footer move between fields.
func (b *builder) form() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	var focused *session.FieldView
	for i := range v.Form {
		if v.Form[i].ID == v.Focus && !v.Form[i].ReadOnly {
			focused = &v.Form[i]
		}
	}
	btns := []footBtn{fBack, fHome}
	if focused != nil {
		prev, next := b.neighbours(focused.ID)
		btns = []footBtn{prev, next, fBack, fHome}
	}
	next := footBtn{"next", "下一步", Primary, session.Submit{}}
	var bottom, actTop float64
	if b.landscape() {
		bottom, actTop = b.footerAction(next, btns...)
	} else {
		bottom = b.footer(btns...)
	}
	var region Rect
	if focused != nil {
		region = b.split(top, bottom)
	}
	switch {
	case focused != nil && usesIME(focused) && v.Pinyin != "":
		// While pinyin is being converted its candidates take the action's
		// place (下一步 waits for a character to be picked); the letters
		// show in the field itself.
		actTop = b.candidateBar(b.x0, b.x1-b.x0, bottom-th.Gap, false) + th.Gap
	case !b.landscape():
		actTop = b.action(bottom, next.id, next.label, next.role, next.ev)
	}
	areaBottom := actTop
	if focused != nil {
		inTop := actTop
		if b.landscape() {
			b.fieldInput(region, focused)
		} else {
			region.H = actTop - th.Gap - region.Y
			inTop = b.fieldInput(region, focused)
		}
		areaBottom = b.fieldBlock(focused, inTop)
	}
	b.area(top, areaBottom)
	if b.bottom-b.top < 2*th.Target+th.Gap {
		// Typing in elder mode leaves no room for the other fields: the
		// field being typed and 上一项 / 下一项 are what is needed.
		b.s.Scroll, b.s.ContentH = Rect{}, 0
		return
	}
	at := len(b.s.Widgets)
	b.banner(v.Notice, Notice)
	for i := range v.Form {
		if f := &v.Form[i]; focused == nil || f.ID != focused.ID {
			b.group = i + 1
			b.fieldRows(f, true)
		}
	}
	b.group = 0
	b.endArea()
	// Above a long choice the other fields need pages; when a page with
	// its 上一页 / 下一页 cannot hold one field, they are left out as above.
	need := lineH(th.Body) + 2*th.Target + 3*th.Gap
	if focused != nil && b.s.ContentH > b.s.Scroll.H+0.5 && b.s.Scroll.H < need {
		b.s.Widgets = b.s.Widgets[:at]
		b.s.Scroll, b.s.ContentH = Rect{}, 0
	}
}

// neighbours are the footer's 上一项 and 下一项: the editable fields before
// and after id (greyed out at either end).
func (b *builder) neighbours(id string) (prev, next footBtn) {
	prev = footBtn{"field-prev", "上一项", Disabled, nil}
	next = footBtn{"field-next", "下一项", Disabled, nil}
	at := -1
	for i, f := range b.v.Form {
		if f.ID == id {
			at = i
		}
	}
	for i := at - 1; i >= 0; i-- {
		if !b.v.Form[i].ReadOnly {
			prev.role, prev.ev = Secondary, session.FieldFocus{ID: b.v.Form[i].ID}
			break
		}
	}
	for i := at + 1; i < len(b.v.Form); i++ {
		if !b.v.Form[i].ReadOnly {
			next.role, next.ev = Secondary, session.FieldFocus{ID: b.v.Form[i].ID}
			break
		}
	}
	return prev, next
}

// fieldBlock lays out the focused field, its label and its error (or
// hint) so that they end at bottom, and returns their top.
func (b *builder) fieldBlock(f *session.FieldView, bottom float64) float64 {
	at := len(b.s.Widgets)
	y0 := b.y
	b.y = 0
	b.fieldRows(f, false)
	h := b.y
	b.y = y0
	top := bottom - h
	for i := at; i < len(b.s.Widgets); i++ {
		b.s.Widgets[i].Rect.Y += top
	}
	return top
}

// fieldRows adds a field's label, its box and its error or hint at the
// cursor, in the content (scroll) or fixed.
func (b *builder) fieldRows(f *session.FieldView, scroll bool) {
	th, v := b.th, b.v
	w := b.x1 - b.x0
	label := f.Label
	if f.Mark != "" {
		label += "（" + f.Mark + "）"
	} else if !f.Required && !f.ReadOnly {
		label += "（选填）"
	}
	b.fixedText(label, th.Body, Plain, true, scroll)
	val, role := f.Value, Plain
	if f.Type == catalog.FieldChoice {
		for _, c := range f.Choices {
			if c.Value == f.Value {
				val = c.Label
			}
		}
	}
	if f.Type == catalog.FieldDate && f.Draft != "" {
		val = draftDate(f.Draft)
	}
	if f.ID == v.Focus && v.Pinyin != "" {
		// The letters being converted stand after the value.
		if val != "" {
			val += " "
		}
		val += v.Pinyin
	}
	if val == "" {
		val, role = "点这里填写", Muted
		if f.Hint != "" {
			val = f.Hint
		}
		if f.Type == catalog.FieldChoice {
			val = "点这里选择"
		}
	}
	lines := b.wrap(val, w-2*th.Gap, th.Heading)
	h := max(th.Target, lineH(th.Heading)*float64(len(lines))+th.Gap)
	wd := Widget{ID: "field:" + f.ID, Kind: Field, Rect: Rect{b.x0, b.y, w, h}, Role: role, Lines: lines,
		Size: th.Heading, Bold: role == Plain, Focused: f.ID == v.Focus, Scroll: scroll}
	if f.ReadOnly {
		wd.Kind, wd.Role = Box, Disabled
	} else {
		wd.Event = session.FieldFocus{ID: f.ID}
	}
	b.add(wd)
	b.y += h + th.Gap/2
	if f.Error != "" {
		b.fixedText("⚠ "+f.Error, th.Body, Error, true, scroll)
	} else if f.Hint != "" && f.Value != "" {
		b.fixedText(f.Hint, th.Small, Muted, false, scroll)
	}
	b.y += th.Gap / 2
}

// fixedText is text at the cursor, in the content (scroll) or fixed.
func (b *builder) fixedText(s string, size float64, role Role, bold, scroll bool) {
	if s == "" {
		return
	}
	lines := b.wrap(s, b.x1-b.x0, size)
	h := lineH(size) * float64(len(lines))
	b.add(Widget{Kind: Label, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: role, Lines: lines, Size: size, Bold: bold, Scroll: scroll})
	b.y += h + b.th.Gap/2
}

// fieldInput lays out the input for the focused field at the bottom of r
// and returns its top.
func (b *builder) fieldInput(r Rect, f *session.FieldView) float64 {
	switch f.Type {
	case catalog.FieldChoice:
		return b.choices(r, f)
	case catalog.FieldDate:
		if b.st.DatePick {
			return b.datePicker(r, f)
		}
		return b.dateKeypad(r, f)
	case catalog.FieldDigits, catalog.FieldPhone:
		return b.keypad(r, f, "")
	case catalog.FieldIDNumber:
		return b.keypad(r, f, "X")
	case catalog.FieldAmount:
		return b.keypad(r, f, ".")
	case catalog.FieldTracking:
		// Letters and digits as the slip prints them, no input method.
		return b.letterKeyboard(r, func(c rune) session.Event {
			return session.FieldInput{ID: f.ID, Value: f.Value + strings.ToUpper(string(c))}
		}, session.FieldInput{ID: f.ID, Value: dropLast(f.Value)},
			func(s string) session.Event { return session.FieldInput{ID: f.ID, Value: f.Value + s} })
	}
	// Free text: pinyin letters; their candidates stand where 下一步 was.
	// Handwriting (handwriting.go): where the kiosk has a recogniser, the
	// writing pad in their place when 手写 is chosen, else a 手写 switch
	// under them.
	if top, pad := b.handwriting(&r); pad {
		return top
	}
	return b.letterKeyboard(r, func(c rune) session.Event { return session.PinyinKey{R: c} }, session.PinyinBackspace{},
		func(s string) session.Event { return session.FieldInput{ID: f.ID, Value: f.Value + s} })
}

func dropLast(s string) string {
	if s == "" {
		return ""
	}
	_, n := utf8.DecodeLastRuneInString(s)
	return s[:len(s)-n]
}

// keypad: 1–9, extra (X or . or nothing), 0, delete.
func (b *builder) keypad(r Rect, f *session.FieldView, extra string) float64 {
	th := b.th
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", extra, "0", "删除"}
	cols := 3
	for cols < b.cols(r.W, 12) && float64((len(keys)+cols-1)/cols)*(th.Target+th.Gap/2) > r.H {
		cols++
	}
	rects, top := b.grid(r, len(keys), cols, th.Target)
	for i, k := range keys {
		if k == "" {
			continue
		}
		val := f.Value + k
		if k == "删除" {
			val = dropLast(f.Value)
		}
		b.add(Widget{ID: "pad:" + k, Kind: Button, Rect: rects[i], Role: Secondary, Lines: []string{k},
			Size: th.Title, Bold: true, Center: true, Event: session.FieldInput{ID: f.ID, Value: val}})
	}
	return top - th.Gap
}

// choices: one large button per choice. A long list (the county's
// townships, the matters a home visit does) comes in pages of what fits
// above the field being chosen for, turned by the last key (下一页 with
// where the resident is, 回到第一页 on the last page); the page with the
// chosen value comes first.
func (b *builder) choices(r Rect, f *session.FieldView) float64 {
	th := b.th
	cols := 2
	if b.v.Elder && !b.landscape() {
		cols = 1
	}
	room := r.H
	if !b.landscape() {
		// In portrait the field, its label and its hint stand above the
		// keys, in the same column.
		room -= b.fieldHeight(f) + th.Gap
	}
	rows := max(1, int((room+th.Gap)/(th.Target+th.Gap)))
	n := len(f.Choices)
	per := rows * cols
	if n <= per {
		return b.choiceKeys(r, f, f.Choices, nil)
	}
	per-- // the last key turns the page
	pages := (n + per - 1) / per
	if b.st.choiceFor != f.ID {
		// A field just focused opens on its chosen value's page.
		b.st.choiceFor, b.st.KeyPage = f.ID, 0
		for i, c := range f.Choices {
			if c.Value == f.Value {
				b.st.KeyPage = i / per
			}
		}
	}
	page := b.st.KeyPage % pages
	label := "下一页（第" + itoa(page+1) + "/" + itoa(pages) + "页）"
	if page == pages-1 {
		label = "回到第一页（第" + itoa(pages) + "/" + itoa(pages) + "页）"
	}
	// In the notice colour: neither a choice nor 下一步.
	turn := &Widget{ID: "choice-page", Role: Notice, Lines: []string{label}, Local: LocalNextPage}
	return b.choiceKeys(r, f, f.Choices[page*per:min(n, (page+1)*per)], turn)
}

// choiceKeys lays out the keys of choices, and turn after them when the
// list has pages, at the bottom of r, and returns their top.
func (b *builder) choiceKeys(r Rect, f *session.FieldView, choices []catalog.Choice, turn *Widget) float64 {
	th := b.th
	cols := 2
	if b.v.Elder && !b.landscape() {
		cols = 1
	}
	n := len(choices)
	if turn != nil {
		n++
	}
	rects, top := b.grid(r, n, cols, th.Target)
	for i, c := range choices {
		// The chosen one is marked by a ✓ as well as by its colour.
		role, label := Secondary, c.Label
		if c.Value == f.Value {
			role, label = Primary, "✓ "+c.Label
		}
		lines, size := b.keyLabel(label, rects[i])
		b.add(Widget{ID: "choice:" + c.Value, Kind: Button, Rect: rects[i], Role: role,
			Lines: lines, Size: size, Bold: true, Center: true,
			Event: session.FieldInput{ID: f.ID, Value: c.Value}})
	}
	if turn != nil {
		rc := rects[n-1]
		turn.Kind, turn.Rect, turn.Bold, turn.Center = Button, rc, true, true
		turn.Lines, turn.Size = b.keyLabel(turn.Lines[0], rc)
		b.add(*turn)
	}
	return top - th.Gap
}

// keyLabel wraps a key's label; a long one (a township's centre) on two
// lines takes the body size, so both lines fit the key.
func (b *builder) keyLabel(s string, r Rect) ([]string, float64) {
	th := b.th
	size := th.Heading
	lines := b.fit(s, r.W-th.Gap, size)
	if float64(len(lines))*lineH(size) > r.H {
		size = th.Body
		lines = b.fit(s, r.W-th.Gap, size)
	}
	return lines, size
}

// fieldHeight is how tall a field stands with its label and its error or
// hint (fieldRows), without adding it.
func (b *builder) fieldHeight(f *session.FieldView) float64 {
	at, y0 := len(b.s.Widgets), b.y
	b.y = 0
	b.fieldRows(f, false)
	h := b.y
	b.s.Widgets, b.y = b.s.Widgets[:at], y0
	return h
}

// datePicker: year, month and day, each with large + and − buttons.
func (b *builder) datePicker(r Rect, f *session.FieldView) float64 {
	th := b.th
	d, err := time.Parse("2006-01-02", f.Value)
	if err != nil {
		d = time.Date(b.v.Clock.Year(), b.v.Clock.Month(), b.v.Clock.Day(), 0, 0, 0, 0, time.UTC)
	}
	parts := []struct {
		id, label string
		y, m, dd  int
	}{{"year", "年", 1, 0, 0}, {"month", "月", 0, 1, 0}, {"day", "日", 0, 0, 1}}
	gap := th.Gap
	kh := th.Target
	pickH := kh*2 + lineH(th.Title) + 2*gap
	top := r.Y + r.H - pickH
	vals := []int{d.Year(), int(d.Month()), d.Day()}
	// A key back to typing the date as digits: above the picker, or where
	// height is short (elder landscape) as a fourth column beside it.
	cols := 3.0
	if top-gap-kh >= r.Y {
		b.add(Widget{ID: "date:digits", Kind: Button, Rect: Rect{r.X, top - gap - kh, r.W, kh}, Role: Secondary,
			Lines: b.fit("改为输入数字", r.W-gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Local: LocalDateMode})
	} else {
		cols = 4
	}
	colW := (r.W - (cols-1)*gap) / cols
	if cols == 4 {
		x := r.X + 3*(colW+gap)
		b.add(Widget{ID: "date:digits", Kind: Button, Rect: Rect{x, top, colW, pickH}, Role: Secondary,
			Lines: b.wrap("输入数字", colW-gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Local: LocalDateMode})
	}
	for i, p := range parts {
		x := r.X + float64(i)*(colW+gap)
		plus := d.AddDate(p.y, p.m, p.dd).Format("2006-01-02")
		minus := d.AddDate(-p.y, -p.m, -p.dd).Format("2006-01-02")
		b.add(Widget{ID: "date:" + p.id + "+", Kind: Button, Rect: Rect{x, top, colW, kh}, Role: Secondary,
			Lines: []string{"＋"}, Size: th.Title, Bold: true, Center: true, Event: session.FieldInput{ID: f.ID, Value: plus}})
		size := th.Title
		if b.m.Advance(itoa(vals[i])+p.label, size) > colW {
			size = th.Heading
		}
		b.add(Widget{Kind: Label, Rect: Rect{x, top + kh + gap + (lineH(th.Title)-lineH(size))/2, colW, lineH(size)}, Lines: []string{itoa(vals[i]) + p.label},
			Size: size, Bold: true, Center: true})
		b.add(Widget{ID: "date:" + p.id + "-", Kind: Button, Rect: Rect{x, top + kh + 2*gap + lineH(th.Title), colW, kh}, Role: Secondary,
			Lines: []string{"－"}, Size: th.Title, Bold: true, Center: true, Event: session.FieldInput{ID: f.ID, Value: minus}})
	}
	if cols == 4 {
		return top - gap
	}
	return top - 2*gap - kh
}

// draftDate shows the digits of a date typed so far in its places:
// 1985年03月__日.
func draftDate(d string) string {
	slot := func(from, n int) string {
		out := []byte{}
		for i := from; i < from+n; i++ {
			if i < len(d) {
				out = append(out, d[i])
			} else {
				out = append(out, '_')
			}
		}
		return string(out)
	}
	return slot(0, 4) + "年" + slot(4, 2) + "月" + slot(6, 2) + "日"
}

// dateKeypad: a date typed as eight digits (year, month, day), which a
// birth year decades ago needs far fewer taps for than ＋ and －; a key
// turns to the ＋/－ picker for a date near today.
func (b *builder) dateKeypad(r Rect, f *session.FieldView) float64 {
	th := b.th
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "加减", "0", "删除"}
	cols := 3
	for cols < b.cols(r.W, 12) && float64((len(keys)+cols-1)/cols)*(th.Target+th.Gap) > r.H {
		cols++
	}
	rects, top := b.grid(r, len(keys), cols, th.Target)
	for i, k := range keys {
		w := Widget{ID: "pad:" + k, Kind: Button, Rect: rects[i], Role: Secondary, Lines: []string{k},
			Size: th.Title, Bold: true, Center: true}
		switch k {
		case "加减":
			w.Lines, w.Size, w.Local = b.fit("用＋－选", rects[i].W-th.Gap, th.Body), th.Body, LocalDateMode
		case "删除":
			w.Size, w.Event = th.Heading, session.DateDigits{ID: f.ID, Digits: dropLast(f.Draft)}
		default:
			w.Event = session.DateDigits{ID: f.ID, Digits: f.Draft + k}
		}
		b.add(w)
	}
	return top - th.Gap
}
