package layout

import (
	"fmt"

	"github.com/henan-county/kiosk/kiosk/session"
)

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// attract: hall name, clock, one large start button, elder mode, hotline;
// a card left on the reader is asked for in red above the start button.
func (b *builder) attract() {
	th, v := b.th, b.v
	w := b.x1 - b.x0
	y := th.Pad * 2
	if v.HallName != "" {
		l := b.wrap(v.HallName, w, th.Title)
		h := lineH(th.Title) * float64(len(l))
		b.add(Widget{Kind: Label, Rect: Rect{b.x0, y, w, h}, Lines: l, Size: th.Title, Bold: true, Center: true})
		y += h + th.Gap
	}
	clock := fmt.Sprintf("%02d:%02d", v.Clock.Hour(), v.Clock.Minute())
	ch := lineH(th.Huge * 1.6)
	b.add(Widget{ID: "clock", Kind: Label, Rect: Rect{b.x0, y, w, ch}, Lines: []string{clock}, Size: th.Huge * 1.6, Bold: true, Center: true})
	y += ch
	date := fmt.Sprintf("%d年%d月%d日 %s", v.Clock.Year(), int(v.Clock.Month()), v.Clock.Day(), weekdays[v.Clock.Weekday()])
	b.add(Widget{Kind: Label, Rect: Rect{b.x0, y, w, lineH(th.Heading)}, Role: Muted, Lines: []string{date}, Size: th.Heading, Center: true})

	bottom := b.sz.H - th.Pad
	hot := "服务热线 " + v.Hotline + "（24小时）"
	hl := b.wrap(hot, w, th.Heading)
	hh := lineH(th.Heading) * float64(len(hl))
	bottom -= hh
	b.add(Widget{Kind: Label, Rect: Rect{b.x0, bottom, w, hh}, Role: Muted, Lines: hl, Size: th.Heading, Center: true})
	bottom -= th.Gap * 2
	// Elder mode and help side by side.
	bh := th.Target
	if b.landscape() {
		// One row: elder mode and help on the left, voice on the right.
		x1 := b.x1
		b.x1 = b.x0 + (x1-b.x0-th.Gap)/3
		b.buttonRow(bottom-bh, bh, b.fElder(), footBtn{"help", "帮助", Secondary, session.Help{}})
		for _, wd := range b.soundControls("", b.x1+th.Gap, bottom-bh, x1-b.x1-th.Gap) {
			b.add(wd)
		}
		b.x1 = x1
	} else {
		b.buttonRow(bottom-bh, bh, b.fElder(), footBtn{"help", "帮助", Secondary, session.Help{}})
		bottom -= bh + th.Gap
		for _, wd := range b.soundControls("", b.x0, bottom-bh, w) {
			b.add(wd)
		}
	}
	bottom -= bh + th.Gap*2
	sh := th.Target * 2.4
	if b.landscape() {
		// Leaves room for the card hint under the date.
		sh = th.Target * 1.6
	}
	b.add(Widget{ID: "start", Kind: Button, Rect: Rect{b.x0, bottom - sh, w, sh}, Role: Primary,
		Lines: []string{"开始办理"}, Size: th.Huge, Bold: true, Center: true, Event: session.Start{}})
	// The hint, or, with a card left on the reader, the reminder (said
	// aloud at intervals and shown by the lamp too).
	hint, role, bold := "请点击下方按钮，或把身份证放在"+session.WordReader, Muted, false
	if v.CardLeft && v.Notice != "" {
		hint, role, bold = v.Notice, Error, true
	}
	b.add(Widget{ID: "hint", Kind: Label, Rect: Rect{b.x0, bottom - sh - th.Gap - lineH(th.Heading), w, lineH(th.Heading)},
		Lines: b.fit(hint, w, th.Heading)[:1], Size: th.Heading, Bold: bold, Center: true, Role: role})
}
