package layout

import "github.com/henan-county/kiosk/kiosk/session"

// identify: place the card (animated), then confirm the masked identity.
func (b *builder) identify() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	var actTop float64
	if v.Identity != nil && v.Identity.Problem == "" {
		_, actTop = b.footerAction(footBtn{"confirm", "信息无误，下一步", Primary, session.ConfirmIdentity{}}, fBack, fHome)
	} else {
		actTop = b.footer(fBack, fHome)
	}
	b.area(top, actTop)
	b.banner(v.Notice, Notice)
	b.text(v.Prompt, th.Title, Plain, true)
	if v.Identity == nil {
		s := min(b.x1-b.x0, (b.bottom-b.y)*0.9, 720)
		b.add(Widget{ID: "card-anim", Kind: CardIcon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s * 0.75}, Role: Primary, Scroll: true})
		b.y += s*0.75 + th.Gap
		b.text("身份证请平放在屏幕下方的读卡区，不要移动。", th.Body, Muted, false)
		b.endArea()
		return
	}
	id := v.Identity
	b.lines([]session.Line{{Label: "姓名", Value: id.Name}, {Label: "证件号码", Value: id.IDNumber},
		{Label: "性别", Value: id.Sex}, {Label: "证件", Value: id.CardType}})
	if id.Problem != "" {
		b.banner(id.Problem, Notice)
	} else {
		b.text("为保护您的隐私，部分信息用 * 号隐藏。", th.Body, Muted, false)
	}
	b.endArea()
}
