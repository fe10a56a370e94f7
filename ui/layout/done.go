package layout

import "github.com/henan-county/kiosk/kiosk/session"

// done: "take your ID card" and the countdown back to the start.
func (b *builder) done() {
	th, v := b.th, b.v
	actTop := b.action(b.sz.H-th.Pad, "finish", "完成", Primary, session.Finish{})
	b.area(0, actTop)
	b.y += th.Pad * 2
	b.text(v.Title, th.Huge, Plain, true)
	if v.CardOnReader {
		s := min(b.x1-b.x0, 640)
		b.add(Widget{ID: "card-anim", Kind: CardIcon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s * 0.75}, Role: Primary, Scroll: true})
		b.y += s*0.75 + th.Gap
		b.text("身份证还在读卡区，请带走。", th.Title, Error, true)
	}
	b.text("请带好您的随身物品。您的信息已从本机清除。", th.Heading, Plain, false)
	b.text(itoa(v.Countdown)+" 秒后回到首页", th.Heading, Muted, false)
	b.endArea()
}
