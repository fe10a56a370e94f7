package layout

import "github.com/henan-county/kiosk/kiosk/session"

// printing: the slip did not print. What happened in plain words, that the
// matter is not affected, the tracking number large to copy down, and what
// can be done: 补打凭条 once the printer has paper again, the code by text
// message to the phone on the form, 下一步 to go on. While a reprint is
// coming out, a spinner.
func (b *builder) printing() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	if v.Printing == session.PrintBusy {
		b.area(top, b.sz.H-th.Pad)
		b.y += th.Pad
		s := min(b.x1-b.x0, 300, b.bottom-b.y-lineH(th.Title)-th.Gap)
		b.add(Widget{ID: "spinner", Kind: Spinner, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
		b.y += s + th.Gap
		b.text(v.Prompt, th.Title, Plain, true)
		b.text(session.WordSlip+"从屏幕下方的出纸口出来。", th.Body, Muted, false)
		b.endArea()
		return
	}
	var offers []footBtn
	h := v.Slip
	if h != nil && h.Reprint {
		offers = append(offers, footBtn{"reprint", "补打" + session.WordSlip, Secondary, session.Reprint{}})
	}
	if sms, ok := b.smsButton(); ok {
		offers = append(offers, sms)
	}
	next := footBtn{"next", "下一步", Primary, session.Continue{}}
	var bottom float64
	if len(offers) == 0 {
		bottom = b.action(b.sz.H-th.Pad, next.id, next.label, next.role, next.ev)
	} else {
		_, bottom = b.footerAction(next, offers...)
	}
	b.area(top, bottom)
	b.banner(v.Notice, Notice)
	b.text(v.Prompt, th.Heading, Plain, false)
	if v.Result != nil {
		b.trackingCode(v.Result)
	}
	b.smsLine()
	if h != nil && h.WaitPaper {
		b.text("工作人员放好纸后，可以在这里补打"+session.WordSlip+"。", th.Body, Muted, false)
	}
	b.text("服务热线 "+v.Hotline, th.Heading, Plain, true)
	b.endArea()
}
