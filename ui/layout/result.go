package layout

import (
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// result: the outcome in plain words, the tracking number, the answer.
func (b *builder) result() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	actTop := b.action(b.sz.H-th.Pad, "next", "下一步", Primary, session.Continue{})
	b.area(top, actTop)
	r := v.Result
	if r == nil {
		b.endArea()
		return
	}
	icon, role := "ok", Plain
	if r.Outcome == txn.Rejected || r.Outcome == txn.Unreached {
		icon, role = "warn", Error
	}
	s := th.Target * 1.2
	b.add(Widget{Kind: Icon, Icon: icon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: role, Scroll: true})
	b.y += s + th.Gap
	b.text(r.Title, th.Title, role, true)
	b.text(r.Message, th.Body, Plain, false)
	b.tracking(r)
	b.lines(r.Lines)
	b.endArea()
}

// tracking shows the tracking number large with its QR code.
func (b *builder) tracking(r *session.Outcome) {
	th := b.th
	if r.TrackingNo == "" {
		return
	}
	b.text("办理编号", th.Body, Muted, false)
	b.text(r.TrackingNo, th.Title, Plain, true)
	if r.TrackURL != "" {
		s := min(360.0, b.x1-b.x0)
		b.add(Widget{ID: "track-qr", Kind: QR, Data: r.TrackURL, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Scroll: true})
		b.y += s + th.Gap/2
		b.text("用手机扫码查看办理进度", th.Small, Muted, false)
	}
}
