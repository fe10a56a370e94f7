package layout

import "github.com/henan-county/kiosk/kiosk/session"

// outOfService: out of service or under maintenance. Never a dead end: when
// the kiosk expects to serve again (maintenance, as the technician said),
// the hotline, and the nearest other hall with its address.
func (b *builder) outOfService() {
	th, v := b.th, b.v
	helpTop := b.sz.H - th.Pad - th.Target
	b.area(0, helpTop)
	b.y += th.Pad
	b.group = 1
	s := th.Target
	b.add(Widget{Kind: Icon, Icon: "warn", Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Muted, Scroll: true})
	b.y += s + th.Gap
	b.text(v.Title, th.Huge, Plain, true)
	b.group = 0
	if v.Screen == session.ScreenMaintenance {
		b.text(v.Back, th.Title, Plain, true)
	}
	b.text("服务热线 "+v.Hotline, th.Title, Plain, true)
	if n := v.Nearby; n != nil {
		b.group = 2
		b.text("也可以去最近的自助服务厅：", th.Body, Muted, false)
		name := n.Name
		if n.Distance != "" {
			name += "（" + n.Distance + "）"
		}
		b.text(name, th.Heading, Plain, true)
		b.text("地址："+n.Address, th.Body, Plain, false)
		b.group = 0
	}
	b.text(v.HallName, th.Body, Muted, false)
	b.endArea()
	// The help button stays available.
	b.buttonRow(helpTop, th.Target, footBtn{"help", "帮助", Secondary, session.Help{}})
}
