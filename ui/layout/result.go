package layout

import (
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// result: the outcome in plain words, the tracking number large, what
// happens next and when, the slip printing beneath; 下一步 to the rating
// once the slip is out, 重试 after the backend could not be reached, and
// the code by text message when no slip can be printed.
func (b *builder) result() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	r := v.Result
	bottom := b.resultActions()
	b.area(top, bottom)
	if r == nil {
		b.endArea()
		return
	}
	if v.Printing == session.PrintBusy {
		b.banner("正在打印"+session.WordSlip+"，请稍候", Notice)
	} else {
		b.banner(v.Notice, Notice)
	}
	icon, role := "ok", Plain
	if r.Outcome == txn.Rejected || r.Outcome == txn.Unreached {
		icon, role = "warn", Error
	}
	if !b.landscape() {
		// The outcome large under a mark; in landscape, where height is
		// short, the header's title says it and the words come first.
		b.group = 1
		s := th.Target
		b.add(Widget{Kind: Icon, Icon: icon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: role, Scroll: true, Group: b.group})
		b.y += s + th.Gap/2
		b.text(r.Title, th.Title, role, true)
		b.group = 0
	}
	b.text(r.Message, th.Body, Plain, false)
	b.trackingCode(r)
	b.text(r.Next, th.Body, Plain, false)
	b.smsLine()
	b.lines(r.Lines)
	b.trackingQR(r)
	b.endArea()
}

// resultActions lays out the result's buttons and returns the top of them.
func (b *builder) resultActions() float64 {
	th, v := b.th, b.v
	next := footBtn{"next", "下一步", Primary, session.Continue{}}
	if v.Result != nil && (v.Result.Outcome == txn.Rejected || v.Result.Outcome == txn.Unreached) {
		next.label = "结束办理"
	}
	switch {
	case v.Printing == session.PrintBusy:
		// Nothing to tap while the slip comes out: the banner says so.
		return b.sz.H - th.Pad
	case v.CanRetry:
		next.role = Secondary
		_, actTop := b.footerAction(footBtn{"retry", "重试", Primary, session.Retry{}}, next)
		return actTop
	}
	if sms, ok := b.smsButton(); ok {
		_, actTop := b.footerAction(next, sms)
		return actTop
	}
	return b.action(b.sz.H-th.Pad, next.id, next.label, next.role, next.ev)
}

// smsButton is the button that sends the tracking number by text message,
// when the view offers it.
func (b *builder) smsButton() (footBtn, bool) {
	h := b.v.Slip
	if h == nil || h.SMSTo == "" {
		return footBtn{}, false
	}
	switch h.SMS {
	case session.SMSSending:
		return footBtn{"sms", "正在发送短信", Disabled, nil}, true
	case session.SMSDone:
		return footBtn{}, false
	}
	return footBtn{"sms", "短信发到手机", Secondary, session.RequestSMS{}}, true
}

// trackingCode shows the tracking number large, in its reading groups,
// with its label: kept together on one page.
func (b *builder) trackingCode(r *session.Outcome) {
	th := b.th
	if r.TrackingNo == "" {
		return
	}
	code := r.Tracking
	if code == "" {
		code = r.TrackingNo
	}
	b.group = 2
	b.text(session.WordTracking, th.Body, Muted, false)
	size := th.Huge
	for size > th.Title && b.m.Advance(code, size) > b.x1-b.x0 {
		size -= 4
	}
	b.text(code, size, Plain, true)
	b.group = 0
}

// trackingQR shows the progress page's QR code, when it fits a page.
func (b *builder) trackingQR(r *session.Outcome) {
	th := b.th
	if r.TrackURL == "" {
		return
	}
	cap := lineH(th.Small) * 2
	s := min(360.0, b.x1-b.x0, b.bottom-b.top-th.Target-2*th.Gap-cap)
	if s < 200 {
		return // too small to scan: the code above is what matters
	}
	b.group = 3
	b.add(Widget{ID: "track-qr", Kind: QR, Data: r.TrackURL, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Scroll: true, Group: b.group})
	b.y += s + th.Gap/2
	b.text("用手机扫码查看办理进度", th.Small, Muted, false)
	b.group = 0
}

// smsLine says where the text message goes, beside the button that sends
// it (the number masked, as the resident typed it).
func (b *builder) smsLine() {
	h := b.v.Slip
	if h == nil || h.SMSTo == "" || h.SMS == session.SMSDone {
		return
	}
	b.text("点「短信发到手机」，"+session.WordTracking+"会发到 "+h.SMSTo+"。", b.th.Body, Muted, false)
}
