package layout

import "github.com/henan-county/kiosk/kiosk/session"

// outOfService: out of service or under maintenance, with the hotline.
func (b *builder) outOfService() {
	th, v := b.th, b.v
	b.area(0, b.sz.H-th.Pad)
	b.y += th.Pad * 3
	s := th.Target * 2
	b.add(Widget{Kind: Icon, Icon: "warn", Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Muted, Scroll: true})
	b.y += s + th.Pad
	b.text(v.Title, th.Huge, Plain, true)
	b.text(v.Prompt, th.Heading, Plain, false)
	b.text(v.HallName, th.Body, Muted, false)
	b.text("服务热线 "+v.Hotline, th.Title, Plain, true)
	b.endArea()
	// The help button stays available.
	b.buttonRow(b.sz.H-th.Pad-th.Target, th.Target, footBtn{"help", "帮助", Secondary, session.Help{}})
}
