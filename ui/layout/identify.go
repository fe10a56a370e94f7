package layout

import "github.com/henan-county/kiosk/kiosk/session"

// IDIdentityCode is the panel offering the electronic ID code (豫事办电子
// 身份证) at the scanner window.
const IDIdentityCode = "identity-code"

// identify: place the card (animated), or, where the matter allows it,
// show the electronic ID code at the scanner; then confirm the masked
// identity.
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
		// With an electronic ID code on offer, its panel takes the
		// bottom of the area and the card the rest.
		const place = "身份证请平放在屏幕下方的读卡区，不要移动。"
		w := b.x1 - b.x0
		if !v.IDCode {
			s := min(w, (b.bottom-b.y)*0.9, 720)
			b.add(Widget{ID: "card-anim", Kind: CardIcon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s * 0.75}, Role: Primary, Scroll: true})
			b.y += s*0.75 + th.Gap
			b.text(place, th.Body, Muted, false)
			b.endArea()
			return
		}
		// The code's panel, as tall as its words need, at the bottom; the
		// card and its words above it.
		g := th.Gap
		pw := payWay{id: IDIdentityCode, kind: Icon, icon: IconScanHere,
			caption: []string{"没带身份证？", "打开豫事办，", "出示电子身份证", "二维码，", "对准下方扫码窗口"}}
		if v.IDCodeBusy {
			pw.caption = []string{"正在核验", "电子身份证，", "请稍候"}
		}
		pic := min(w*0.26, (b.bottom-b.y)*0.3, 240)
		_, _, capH := b.payCaption(pw, w-pic-3*g)
		ph := max(pic, capH) + 2*g
		code := Rect{b.x0, b.bottom - ph, w, ph}
		placeH := lineH(th.Body)*float64(len(b.wrap(place, w, th.Body))) + g/2
		s := max(0, min(w, (code.Y-b.y-placeH-2*g)/0.75, 720))
		b.add(Widget{ID: "card-anim", Kind: CardIcon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s * 0.75}, Role: Primary, Scroll: true})
		b.y += s*0.75 + g
		b.text(place, th.Body, Muted, false)
		b.payPanel(code, pw, true, pic)
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
