package layout

import "github.com/henan-county/kiosk/kiosk/session"

// Widget ids of the 本机不能办理 page.
const (
	IDElsewhereQR        = "elsewhere-qr"
	IDElsewhereHomeVisit = "home-visit"
	IDElsewhereWho       = "home-visit-who"
)

// elsewhere: a matter this kiosk cannot do, and where and how it gets
// done. 本机不能办理 large with the matter and why; then where to go, the
// place's name, address, phone and hours large in one box; the village
// station; a QR code for a family member's phone (at the right of the
// band in landscape); the hotline. When 小牟帮办 comes to the home,
// 申请上门服务 is the screen's main action, with who it is for right
// above it.
func (b *builder) elsewhere() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	e := v.Elsewhere
	if e == nil {
		bottom := b.footer(fBack, fHome)
		b.area(top, bottom)
		b.endArea()
		return
	}
	var bottom float64
	if e.HomeVisit {
		_, bottom = b.footerAction(footBtn{IDElsewhereHomeVisit, "申请上门服务", Primary, session.RequestHomeVisit{}}, fBack, fHome)
	} else {
		bottom = b.footer(fBack, fHome)
	}
	who := "60周岁以上老人和残疾人，" + e.AssistName + "可以上门帮您办"
	side := false
	if b.landscape() && e.OnlineURL != "" {
		// The QR code at the right of the band and who a home visit is
		// for under it, right above 申请上门服务 in the footer row.
		x1 := b.x1
		r := b.split(top, bottom)
		whoH := 0.0
		if e.HomeVisit {
			whoH = b.textH(who, r.W, th.Body)
		}
		if side = b.onlineSide(e, Rect{r.X, r.Y, r.W, r.H - whoH}); !side {
			b.x1 = x1
		} else if e.HomeVisit {
			b.whoLine(who, r.X, r.W, r.Y+r.H)
		}
	}
	if act, ok := b.s.Find(IDElsewhereHomeVisit); ok && !side && !b.landscape() {
		bottom = b.whoLine(who, act.Rect.X, act.Rect.W, act.Rect.Y-th.Gap/2)
	}
	b.area(top, bottom)
	b.banner(v.Notice, Notice)
	b.group = 1
	b.text("本机不能办理", th.Title, Plain, true)
	b.text(e.Name, th.Heading, Plain, true)
	b.text(e.Why, th.Body, Muted, false)
	b.group = 0
	if e.HomeVisit && !side && b.landscape() {
		// No room beside the button in the footer row: who it is for
		// comes first among the words.
		b.text(who, th.Body, Plain, true)
	}
	b.y += th.Gap / 2
	if p := e.Place; p != nil {
		b.placeBox(p)
	}
	if e.Village {
		b.text("也可以到您所在村（社区）的便民服务站办理", th.Heading, Plain, false)
	}
	if e.OnlineURL != "" && !side {
		b.y += th.Gap / 2
		b.group = 3
		s := min(320, b.x1-b.x0)
		b.add(Widget{ID: IDElsewhereQR, Kind: QR, Data: e.OnlineURL, Rect: Rect{b.x0 + (b.x1-b.x0-s)/2, b.y, s, s}, Scroll: true})
		b.y += s + th.Gap/2
		b.ctext(scanWords, th.Heading, Plain, true)
		b.group = 0
	}
	if e.Apps {
		b.text(appsWords, th.Body, Plain, false)
	}
	b.y += th.Gap / 2
	b.text("服务热线 "+v.Hotline, th.Heading, Plain, true)
	b.endArea()
}

const (
	scanWords = "请家人用手机扫码，在网上办理"
	appsWords = "也可以在豫事办等手机应用里办理"
)

// placeBox: where to go, in one box: the place's name large, its
// address, phone and hours (a page break may come between those lines
// where the band is short).
func (b *builder) placeBox(p *session.PlaceView) {
	th := b.th
	start := b.y
	idx := len(b.s.Widgets)
	b.add(Widget{Kind: Box, Role: Surface, Scroll: true})
	x0, x1 := b.x0, b.x1
	b.x0, b.x1 = x0+th.Gap, x1-th.Gap
	b.y += th.Gap
	b.group = 2
	b.text("到这里办理", th.Body, Muted, true)
	b.text(p.Name, th.Title, Plain, true)
	b.group = 0
	if p.Address != "" {
		b.text("地址："+p.Address, th.Heading, Plain, false)
	}
	if p.Phone != "" {
		b.text("电话："+p.Phone, th.Heading, Plain, true)
	}
	if p.Hours != "" {
		b.text("时间："+p.Hours, th.Body, Plain, false)
	}
	b.x0, b.x1 = x0, x1
	b.y += th.Gap / 2
	b.s.Widgets[idx].Rect = Rect{b.x0, start, b.x1 - b.x0, b.y - start}
	b.y += th.Gap
}

// whoLine puts who a home visit is for, fixed, between x and x+w, ending
// at bottom, and returns its top.
func (b *builder) whoLine(s string, x, w, bottom float64) float64 {
	th := b.th
	lines := b.wrap(s, w, th.Body)
	h := lineH(th.Body) * float64(len(lines))
	b.add(Widget{ID: IDElsewhereWho, Kind: Label, Rect: Rect{x, bottom - h, w, h}, Role: Plain, Lines: lines,
		Size: th.Body, Bold: true, Center: true})
	return bottom - h
}

// onlineSide: in landscape the QR code and its caption stand in r, fixed,
// while the place's words page at the left. It reports false, adding
// nothing, when the code would be too small to scan.
func (b *builder) onlineSide(e *session.ElsewhereView, r Rect) bool {
	th := b.th
	type words struct {
		s    string
		size float64
		bold bool
	}
	ws := []words{{scanWords, th.Heading, true}}
	wordsH := 0.0
	for _, w := range ws {
		wordsH += b.textH(w.s, r.W, w.size)
	}
	s := min(360, r.W, r.H-wordsH-th.Gap)
	if s < 200 {
		return false
	}
	y := r.Y
	b.add(Widget{ID: IDElsewhereQR, Kind: QR, Data: e.OnlineURL, Rect: Rect{r.X + (r.W-s)/2, y, s, s}})
	y += s + th.Gap
	for _, w := range ws {
		lines := b.wrap(w.s, r.W, w.size)
		h := lineH(w.size) * float64(len(lines))
		b.add(Widget{Kind: Label, Rect: Rect{r.X, y, r.W, h}, Role: Plain, Lines: lines, Size: w.size, Bold: w.bold, Center: true})
		y += h + th.Gap/2
	}
	return true
}
