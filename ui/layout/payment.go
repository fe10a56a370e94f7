package layout

import "github.com/henan-county/kiosk/kiosk/session"

// payment: paying for a matter (缴费). Who is paid, for what and how
// much on one large screen with one large button (确认缴费 ¥500.00);
// then the two ways to pay side by side (stacked in portrait): the
// order's QR code for a phone, and a picture of the scanner window under
// the screen with a phone's payment code held over it. While money
// moves (the order being made, a charge, its outcome asked for, a
// refund) the screen is a calm wait with nothing to tap but 帮助: the
// journey holds 退出 then. An outcome is said in large words with the
// buttons the view offers (重新支付, 继续办理, 继续, 结束).
func (b *builder) payment() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	p := v.Payment
	if p == nil {
		b.area(top, b.sz.H-th.Pad)
		b.endArea()
		return
	}
	switch p.State {
	case session.PayConfirm:
		b.payConfirm(top, p)
	case session.PayWaiting, session.PayPhone:
		b.payWays(top, p)
	case session.PayOrdering, session.PayCharging, session.PayChecking, session.PayRefunding:
		b.payBusy(top, p)
	default:
		b.payOutcome(top, p)
	}
}

// Widget ids of the payment screen.
const (
	IDPayAmount  = "pay-amount"
	IDPayQR      = "pay-qr"
	IDPayScan    = "pay-scan"
	IDPayConfirm = "pay-confirm"
	IDPayRetry   = "pay-retry"
	IDPayOn      = "pay-continue"
	IDPayEnd     = "end"
)

// IconScanHere is the picture of the scanner window below the screen
// with a phone showing its payment code held over it (drawn by the ui).
const IconScanHere = "scan-here"

// Words of the payment screen.
const (
	PayWordQR     = "用手机扫码付款"
	PayWordQRWho  = "（微信、支付宝、云闪付）"
	PayWordScan   = "出示付款码，对准下方扫码窗口"
	PayWordPhone  = "请在手机上确认付款"
	PayWordAuto   = "付款后，本机会自动继续办理。"
	PayWordNoLeft = "请不要离开。"
)

// payBusy: a calm wait while the order is made, a charge or a refund
// goes through; the amount is said when there is one.
func (b *builder) payBusy(top float64, p *session.PaymentView) {
	th, v := b.th, b.v
	b.area(top, b.sz.H-th.Pad)
	b.banner(v.Notice, Notice)
	b.y += th.Pad
	s := min(b.x1-b.x0, 320, (b.bottom-b.top)*0.3)
	b.add(Widget{ID: "spinner", Kind: Spinner, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: Primary, Scroll: true})
	b.y += s + th.Pad
	b.ctext(v.Prompt, th.Title, Plain, true)
	if p.Amount != "" {
		what := "缴费金额 "
		if p.State == session.PayRefunding {
			what = "退款金额 "
		}
		b.ctext(what+p.Amount, th.Heading, Plain, true)
		b.ctext(p.Item, th.Body, Muted, false)
	}
	b.ctext(PayWordNoLeft, th.Body, Muted, false)
	b.endArea()
}

// payConfirm: payee, item and amount, the amount very large; the order
// number small; where cash and bank cards are taken; 确认缴费 and 退出.
func (b *builder) payConfirm(top float64, p *session.PaymentView) {
	th, v := b.th, b.v
	_, actTop := b.footerAction(footBtn{IDPayConfirm, p.ConfirmLabel, Primary, session.ConfirmPayment{}}, fCancel)
	b.area(top, actTop)
	// The values as large as the height allows (a long payee or item
	// takes them down a size, never to a second page).
	sizes := b.payFactSizes()
	if !b.landscape() {
		b.banner(v.Notice, Notice)
		notes := b.textH(p.Cash, b.x1-b.x0, th.Small) + b.textH("订单号 "+p.OrderNo, b.x1-b.x0, th.Small)
		size := sizes[len(sizes)-1]
		for _, sz := range sizes {
			if b.payFactsH(p, b.x1-b.x0, sz)+notes <= b.bottom-b.y {
				size = sz
				break
			}
		}
		b.payFacts(p, b.x0, b.x1-b.x0, size)
		b.payNotes(p)
		b.endArea()
		return
	}
	// Landscape: the facts at the left, a notice and the notes at the
	// right, so the height holds the amount at its size.
	x0, x1 := b.x0, b.x1
	y0 := b.y
	left := (x1 - x0) * 0.55
	size := sizes[len(sizes)-1]
	for _, sz := range sizes {
		if b.payFactsH(p, left, sz) <= b.bottom-b.y {
			size = sz
			break
		}
	}
	b.payFacts(p, x0, left, size)
	yl := b.y
	b.x0, b.y = x0+left+th.Pad, y0
	b.banner(v.Notice, Notice)
	b.payNotes(p)
	b.x0, b.x1 = x0, x1
	b.y = max(b.y, yl)
	b.endArea()
}

// payFacts is the box of who is paid, for what and how much, at the
// cursor, w wide from x: a label column and the values beside it, the
// amount very large. The box is one unit: a page never cuts it.
func (b *builder) payFacts(p *session.PaymentView, x, w float64, fs paySizes) {
	th := b.th
	b.group = 4
	start := b.y
	idx := len(b.s.Widgets)
	b.add(Widget{Kind: Box, Role: Surface, Scroll: true})
	b.y += th.Gap
	labelW, vw := b.payColumns(w)
	vx := x + th.Gap + labelW + th.Gap
	row := func(id, label, value string, size float64) {
		if value == "" {
			return
		}
		vl := b.wrap(value, vw, size)
		h := lineH(size) * float64(len(vl))
		// The label sits on the value's first line.
		ly := b.y + (lineH(size)-lineH(th.Body))/2
		b.add(Widget{Kind: Label, Rect: Rect{x + th.Gap, ly, labelW, lineH(th.Body)}, Role: Muted, Lines: []string{label},
			Size: th.Body, Scroll: true})
		b.add(Widget{ID: id, Kind: Label, Rect: Rect{vx, b.y, vw, h}, Role: Plain, Lines: vl, Size: size, Bold: true, Scroll: true})
		b.y += h + th.Gap/2
	}
	row("pay-payee", "收款单位", p.Payee, fs.value)
	row("pay-item", "缴费项目", p.Item, fs.value)
	row(IDPayAmount, "金额", p.Amount, b.amountSize(p.Amount, vw, fs.amount))
	b.y += th.Gap / 2
	b.s.Widgets[idx].Rect = Rect{x, start, w, b.y - start}
	b.y += th.Gap
	b.group = 0
}

// payColumns is the width of the facts' label column and of their
// values in a box w wide.
func (b *builder) payColumns(w float64) (labelW, valueW float64) {
	th := b.th
	labelW = b.m.Advance("收款单位", th.Body) + th.Gap
	return labelW, w - 3*th.Gap - labelW
}

// amountSize is the amount's text size: size (very large), smaller only
// when a large amount would not fit w.
func (b *builder) amountSize(amount string, w, size float64) float64 {
	th := b.th
	for size > th.Title && b.m.Advance(amount, size) > w {
		size -= 4
	}
	return size
}

// payFactsH is the height payFacts takes in a box w wide with values of
// size, and the gap after it.
func (b *builder) payFactsH(p *session.PaymentView, w float64, fs paySizes) float64 {
	th := b.th
	_, vw := b.payColumns(w)
	h := th.Gap + th.Gap/2 + th.Gap
	for _, v := range []string{p.Payee, p.Item} {
		if v != "" {
			h += lineH(fs.value)*float64(len(b.wrap(v, vw, fs.value))) + th.Gap/2
		}
	}
	if p.Amount != "" {
		h += lineH(b.amountSize(p.Amount, vw, fs.amount)) + th.Gap/2
	}
	return h
}

// paySizes are the text sizes of the facts' values and of the amount.
type paySizes struct{ value, amount float64 }

// payFactSizes are the sizes tried for the facts, largest first: the
// amount stays very large the longest.
func (b *builder) payFactSizes() []paySizes {
	th := b.th
	out := []paySizes{{th.Heading, th.Huge}, {th.Body, th.Huge}, {th.Body, th.Title}, {th.Small, th.Title}}
	if !b.landscape() {
		out = append([]paySizes{{th.Title, th.Huge}}, out...)
	}
	return out
}

// bannerH is the height banner takes at the cursor.
func (b *builder) bannerH(s string) float64 {
	if s == "" {
		return 0
	}
	th := b.th
	return lineH(th.Body)*float64(len(b.wrap(s, b.x1-b.x0-2*th.Gap, th.Body))) + 3*th.Gap
}

// textH is the height text takes at the cursor (b.text).
func (b *builder) textH(s string, w, size float64) float64 {
	if s == "" {
		return 0
	}
	return lineH(size)*float64(len(b.wrap(s, w, size))) + b.th.Gap/2
}

// payNotes: the order number, small, and where cash and bank cards are
// taken.
func (b *builder) payNotes(p *session.PaymentView) {
	th := b.th
	if p.OrderNo != "" {
		b.text("订单号 "+p.OrderNo, th.Small, Muted, false)
	}
	b.text(p.Cash, th.Small, Muted, false)
}

// payWays: the amount and the matter at the top, then the QR code and
// the scanner window side by side (stacked in portrait); once the
// resident confirms on the phone, the QR code stays and the other half
// says so. 退出 at the bottom left, and that the kiosk goes on by itself.
func (b *builder) payWays(top float64, p *session.PaymentView) {
	th, v := b.th, b.v
	// The bottom row: 退出, a third wide, and beside it a notice (这不是
	// 付款码…) in landscape, where the row grows to hold it so the two
	// ways keep their height, else that the kiosk goes on by itself.
	unit := (b.x1 - b.x0 - th.Gap) / 3
	ax, nw := b.x0+unit+th.Gap, b.x1-b.x0-unit-th.Gap
	notice := v.Notice
	rowH := th.Target
	var nl []string
	if notice != "" && b.landscape() {
		nl = b.wrap(notice, nw-2*th.Gap, th.Body)
		rowH = max(rowH, lineH(th.Body)*float64(len(nl))+2*th.Gap)
	}
	rowY := b.sz.H - th.Pad - rowH
	b.add(Widget{ID: fCancel.id, Kind: Button, Rect: Rect{b.x0, rowY + rowH - th.Target, unit, th.Target}, Role: fCancel.role,
		Lines: b.fit(fCancel.label, unit-th.Gap, th.Heading), Size: th.Heading, Bold: true, Center: true, Event: fCancel.ev})
	if nl != nil {
		b.add(Widget{ID: "notice", Kind: Box, Rect: Rect{ax, rowY, nw, rowH}, Role: Notice, Lines: nl, Size: th.Body, Bold: true})
		notice = ""
	} else {
		al := b.fit(PayWordAuto, nw-th.Gap, th.Body)
		ah := lineH(th.Body) * float64(len(al))
		b.add(Widget{Kind: Label, Rect: Rect{ax + th.Gap, rowY + (rowH-ah)/2, nw - th.Gap, ah}, Role: Muted, Lines: al, Size: th.Body})
	}

	// The amount and the matter: one line in landscape when the matter
	// fits beside the amount, else one line each.
	y := top + th.Gap
	w := b.x1 - b.x0
	amount := "缴费金额 " + p.Amount
	aw := min(b.m.Advance(amount, th.Title), w)
	// The matter in body size, or small when that keeps it on one line.
	isz := th.Body
	room := w
	if b.landscape() {
		room = w - aw - th.Pad
	}
	if b.m.Advance(p.Item, isz) > room {
		isz = th.Small
	}
	iw := b.m.Advance(p.Item, isz)
	if b.landscape() && aw+th.Pad+iw <= w {
		b.add(Widget{ID: IDPayAmount, Kind: Label, Rect: Rect{b.x0, y, aw, lineH(th.Title)}, Role: Plain,
			Lines: []string{amount}, Size: th.Title, Bold: true})
		b.add(Widget{ID: "pay-item", Kind: Label, Rect: Rect{b.x0 + aw + th.Pad, y + lineH(th.Title) - lineH(isz) - th.Gap/4, iw, lineH(isz)},
			Role: Muted, Lines: []string{p.Item}, Size: isz})
		y += lineH(th.Title)
	} else {
		b.add(Widget{ID: IDPayAmount, Kind: Label, Rect: Rect{b.x0, y, w, lineH(th.Title)}, Role: Plain,
			Lines: b.fit(amount, w, th.Title)[:1], Size: th.Title, Bold: true, Center: !b.landscape()})
		y += lineH(th.Title)
		if p.Item != "" {
			il := b.wrap(p.Item, w, isz)
			if len(il) > 2 {
				il = il[:2]
			}
			ih := lineH(isz) * float64(len(il))
			b.add(Widget{ID: "pay-item", Kind: Label, Rect: Rect{b.x0, y, w, ih}, Role: Muted, Lines: il,
				Size: isz, Center: !b.landscape()})
			y += ih
		}
	}
	y += th.Gap / 2
	if notice != "" {
		nl := b.wrap(notice, w-2*th.Gap, th.Body)
		nh := lineH(th.Body)*float64(len(nl)) + 2*th.Gap
		b.add(Widget{ID: "notice", Kind: Box, Rect: Rect{b.x0, y, w, nh}, Role: Notice, Lines: nl, Size: th.Body, Bold: true})
		y += nh + th.Gap
	}
	// The two ways.
	bottom := rowY - th.Gap
	var r1, r2 Rect
	if b.landscape() {
		pw := (w - th.Gap) / 2
		r1 = Rect{b.x0, y, pw, bottom - y}
		r2 = Rect{b.x0 + pw + th.Gap, y, pw, bottom - y}
	} else {
		ph := (bottom - y - th.Gap) / 2
		r1 = Rect{b.x0, y, w, ph}
		r2 = Rect{b.x0, y + ph + th.Gap, w, ph}
	}
	qr := payWay{id: IDPayQR, kind: QR, data: p.QR, caption: []string{"用手机", "扫码付款"},
		sub: []string{"（微信、", "支付宝、", "云闪付）"}}
	scan := payWay{id: IDPayScan, kind: Icon, icon: IconScanHere, caption: []string{"出示付款码，", "对准下方", "扫码窗口"}}
	// Both ways in one arrangement: the captions under the pictures, or
	// beside them when that makes the pictures clearly larger.
	beside := min(b.payBeside(r1, qr), b.payBeside(r2, scan))
	under := min(b.payUnder(r1, qr), b.payUnder(r2, scan))
	side, pic := beside > under*1.15, under
	if side {
		pic = beside
	}
	b.payPanel(r1, qr, side, pic)
	if p.State == session.PayPhone {
		b.payPhone(r2)
	} else {
		b.payPanel(r2, scan, side, pic)
	}
}

// payWay is one way to pay: a square picture (a QR code of data, or an
// icon) and its caption, in the phrases a line may break between.
type payWay struct {
	id           string
	kind         Kind
	icon, data   string
	caption, sub []string
}

// payCaption is a way's caption wrapped to w: the caption in heading
// size, the sub line under it in body size, each broken between its
// phrases where it must break.
func (b *builder) payCaption(pw payWay, w float64) (cl, sl []string, h float64) {
	th := b.th
	cl = b.phrases(pw.caption, w, th.Heading)
	if len(pw.sub) > 0 {
		sl = b.phrases(pw.sub, w, th.Body)
	}
	return cl, sl, lineH(th.Heading)*float64(len(cl)) + lineH(th.Body)*float64(len(sl))
}

// widest is the width of the widest of parts at size.
func (b *builder) widest(parts []string, size float64) float64 {
	w := 0.0
	for _, p := range parts {
		w = max(w, b.m.Advance(p, size))
	}
	return w
}

// phrases wraps the phrases parts to w: as many whole phrases a line as
// fit (出示付款码， / 对准下方扫码窗口), a phrase wider than w wrapped
// on its own.
func (b *builder) phrases(parts []string, w, size float64) []string {
	var out []string
	line := ""
	for _, p := range parts {
		if line != "" && b.m.Advance(line+p, size) > w {
			out = append(out, line)
			line = ""
		}
		line += p
	}
	var fin []string
	for _, l := range append(out, line) {
		fin = append(fin, b.wrap(l, w, size)...) // a phrase wider than w
	}
	return fin
}

// payUnder is the picture's side with the caption under it in r.
func (b *builder) payUnder(r Rect, pw payWay) float64 {
	g := b.th.Gap
	_, _, h := b.payCaption(pw, r.W-2*g)
	return max(0, min(r.W-2*g, r.H-3*g-h))
}

// payBeside is the picture's side with the caption beside it in r (0
// when the caption does not fit there).
func (b *builder) payBeside(r Rect, pw payWay) float64 {
	th := b.th
	g := th.Gap
	// The caption keeps the width of its widest phrase, up to 55% of
	// the card, and at least four characters.
	need := max(b.widest(pw.caption, th.Heading), b.widest(pw.sub, th.Body), 4*th.Heading)
	// A smaller picture when the caption needs more lines than the
	// height holds at that width.
	for s := max(0, min(r.H-2*g, r.W-3*g-min(need, r.W*0.55))); s >= r.W*0.3; s -= r.W * 0.02 {
		if _, _, h := b.payCaption(pw, r.W-s-3*g); h <= r.H-2*g {
			return s
		}
	}
	return 0
}

// payPanel lays out one way to pay in r: a white card holding the
// picture, s square, and its caption, under it or (side) beside it.
func (b *builder) payPanel(r Rect, pw payWay, side bool, s float64) {
	th := b.th
	g := th.Gap
	b.add(Widget{Kind: Box, Rect: r, Role: Surface})
	var pic, txt Rect
	if side {
		pic = Rect{r.X + g, r.Y + (r.H-s)/2, s, s}
		txt = Rect{pic.X + s + g, r.Y, r.W - s - 3*g, r.H}
	} else {
		_, _, h := b.payCaption(pw, r.W-2*g)
		top := r.Y + (r.H-s-g-h)/2
		pic = Rect{r.X + (r.W-s)/2, top, s, s}
		txt = Rect{r.X + g, top + s + g, r.W - 2*g, h}
	}
	b.add(Widget{ID: pw.id, Kind: pw.kind, Icon: pw.icon, Data: pw.data, Rect: pic, Role: Primary})
	cl, sl, h := b.payCaption(pw, txt.W)
	y := txt.Y + (txt.H-h)/2
	b.add(Widget{Kind: Label, Rect: Rect{txt.X, y, txt.W, lineH(th.Heading) * float64(len(cl))}, Role: Plain,
		Lines: cl, Size: th.Heading, Bold: true, Center: !side})
	y += lineH(th.Heading) * float64(len(cl))
	if len(sl) > 0 {
		b.add(Widget{Kind: Label, Rect: Rect{txt.X, y, txt.W, lineH(th.Body) * float64(len(sl))}, Role: Muted,
			Lines: sl, Size: th.Body, Center: !side})
	}
}

// payPhone: the resident is confirming on the phone; the half that
// showed the scanner window says so, large (the row below says the
// kiosk goes on by itself).
func (b *builder) payPhone(r Rect) {
	th := b.th
	b.add(Widget{Kind: Box, Rect: r, Role: Notice})
	w := r.W - 2*th.Gap
	tl := b.phrases([]string{"请在手机上", "确认付款"}, w, th.Title)
	h := lineH(th.Title) * float64(len(tl))
	b.add(Widget{ID: "pay-phone", Kind: Label, Rect: Rect{r.X + th.Gap, r.Y + (r.H-h)/2, w, h},
		Role: Plain, Lines: tl, Size: th.Title, Bold: true, Center: true})
}

// payOutcome: declined, not known, no order, a wrong amount, nothing due
// or refunded: what happened in large words and the view's buttons.
func (b *builder) payOutcome(top float64, p *session.PaymentView) {
	th, v := b.th, b.v
	var bottom float64
	switch {
	case p.State == session.PayFailed && p.CanRetry:
		_, bottom = b.footerAction(footBtn{IDPayRetry, "重新支付", Primary, session.PayAgain{}},
			footBtn{IDPayEnd, "结束", Secondary, session.Continue{}})
	case p.CanContinue:
		_, bottom = b.footerAction(footBtn{IDPayOn, "继续办理", Primary, session.Continue{}}, fCancel)
	case p.State == session.PayRefunded:
		bottom = b.action(b.sz.H-th.Pad, IDPayOn, "继续", Primary, session.Continue{})
	default:
		bottom = b.action(b.sz.H-th.Pad, IDPayEnd, "结束", Primary, session.Continue{})
	}
	b.area(top, bottom)
	icon, role := "warn", Error
	if p.State == session.PayNothing || p.State == session.PayRefunded || p.State == session.PayUnknown {
		icon, role = "ok", Primary
		if p.State == session.PayUnknown {
			icon = "coin"
		}
	}
	msg := p.Message
	if msg == "" {
		msg = v.Prompt
	}
	var more []string
	if p.Amount != "" && p.State != session.PayRefunded {
		more = append(more, "缴费金额 "+p.Amount+" · "+p.Item)
	}
	if p.OrderNo != "" {
		more = append(more, "订单号 "+p.OrderNo)
	}
	// The message large; a size smaller when a long one would not fit.
	w := b.x1 - b.x0
	room := b.bottom - b.y - b.bannerH(v.Notice)
	for i, m := range more {
		room -= b.textH(m, w, []float64{th.Body, th.Small}[min(i, 1)])
	}
	size := th.Title
	if b.landscape() {
		size = th.Heading // height is short: the words first, no mark
	} else {
		room -= th.Target + th.Gap/2
	}
	for size > th.Body && b.textH(msg, w, size) > room {
		size = max(th.Body, size-4)
	}
	b.banner(v.Notice, Notice)
	if !b.landscape() {
		b.group = 1
		s := th.Target
		b.add(Widget{Kind: Icon, Icon: icon, Rect: Rect{(b.sz.W - s) / 2, b.y, s, s}, Role: role, Scroll: true, Group: b.group})
		b.y += s + th.Gap/2
	}
	b.text(msg, size, Plain, true)
	b.group = 0
	for i, m := range more {
		b.text(m, []float64{th.Body, th.Small}[min(i, 1)], Muted, false)
	}
	b.endArea()
}
