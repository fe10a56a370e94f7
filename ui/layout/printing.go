package layout

import "github.com/henan-county/kiosk/kiosk/session"

// printing: "take your receipt", or paper out with the hotline.
func (b *builder) printing() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom := b.sz.H - th.Pad
	if v.Printing != session.PrintBusy {
		bottom = b.action(bottom, "next", "下一步", Primary, session.Continue{})
	}
	b.area(top, bottom)
	if v.Printing == session.PrintBusy {
		b.y += th.Pad * 2
		s := min(b.x1-b.x0, 360)
		b.add(Widget{ID: "spinner", Kind: Spinner, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
		b.y += s + th.Pad
		b.text(v.Prompt, th.Title, Plain, true)
		b.text("回执从屏幕下方的出纸口出来。", th.Body, Muted, false)
		b.endArea()
		return
	}
	b.banner(v.Notice, Notice)
	if v.Result != nil {
		b.text(v.Result.Title, th.Heading, Plain, true)
		b.tracking(v.Result)
	}
	b.text("服务热线 "+v.Hotline, th.Heading, Plain, true)
	b.endArea()
}
