package layout

import "github.com/henan-county/kiosk/kiosk/session"

// done: the card, as the reader knows it (on the reader: take it; the
// reader cannot tell: look), and the countdown back to the start. The
// session's elder mode lasts to here.
func (b *builder) done() {
	th, v := b.th, b.v
	actTop := b.action(b.sz.H-th.Pad, "finish", "完成", Primary, session.Finish{})
	b.area(0, actTop)
	b.y += th.Pad
	b.text(v.Title, th.Huge, Plain, true)
	card, role := "身份证还在"+session.WordReader+"，请带走。", Error
	if v.Card != session.CardOnReader {
		card, role = "请看一下"+session.WordReader+"，别忘了带走身份证。", Plain
	}
	if v.TakeCard {
		b.group = 1
		s := min(b.x1-b.x0, 560, (b.bottom-b.top)*0.45)
		b.add(Widget{ID: "card-anim", Kind: CardIcon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s * 0.75}, Role: Primary, Scroll: true})
		b.y += s*0.75 + th.Gap
		b.text(card, th.Title, role, true)
		b.group = 0
	}
	b.text("请带好您的随身物品。您的信息已从本机清除。", th.Heading, Plain, false)
	b.text(itoa(v.Countdown)+" 秒后回到首页", th.Heading, Muted, false)
	b.endArea()
}
