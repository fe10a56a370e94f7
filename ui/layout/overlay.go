package layout

import "github.com/henan-county/kiosk/kiosk/session"

// helpOverlay: hotline and a QR code for assisted service, on top of any
// screen. In landscape the QR code stands beside the words.
func (b *builder) helpOverlay() {
	th, v := b.th, b.v
	b.s.ModalFrom = len(b.s.Widgets)
	b.add(Widget{Kind: Box, Rect: Rect{0, 0, b.sz.W, b.sz.H}, Role: Scrim})
	pw := min(b.sz.W-2*th.Pad, 1000)
	qr := min(pw-2*th.Pad, 400)
	if b.landscape() {
		pw = min(b.sz.W-2*th.Pad, 1700)
	}
	px := (b.sz.W - pw) / 2
	x0 := px + th.Pad
	w := pw - 2*th.Pad
	if b.landscape() && v.Help.AssistURL != "" {
		w -= qr + th.Pad
	}
	var ws []Widget
	y := 0.0
	addText := func(s string, size float64, role Role, bold bool) {
		l := b.wrap(s, w, size)
		h := lineH(size) * float64(len(l))
		ws = append(ws, Widget{Kind: Label, Rect: Rect{x0, y, w, h}, Role: role, Lines: l, Size: size, Bold: bold, Center: true})
		y += h + th.Gap/2
	}
	addText("需要帮助？", th.Title, Plain, true)
	addText("请拨打服务热线", th.Heading, Muted, false)
	addText(v.Help.Hotline, th.Huge*0.8, Plain, true)
	qrCaption := "用手机扫码，请工作人员帮您办理，也可以上门服务"
	if v.Help.AssistURL != "" {
		if b.landscape() {
			addText(qrCaption, th.Body, Plain, false)
			ws = append(ws, Widget{ID: "assist-qr", Kind: QR, Data: v.Help.AssistURL, Rect: Rect{x0 + w + th.Pad, 0, qr, qr}})
		} else {
			ws = append(ws, Widget{ID: "assist-qr", Kind: QR, Data: v.Help.AssistURL, Rect: Rect{px + (pw-qr)/2, y, qr, qr}})
			y += qr + th.Gap/2
			addText(qrCaption, th.Body, Plain, false)
		}
	}
	y += th.Gap
	// The voice controls, when the dialog still fits the screen with them.
	if need := y + 2*th.Target + 2*th.Gap + 2*th.Pad; need <= b.sz.H-th.Pad {
		x, sw := x0, w
		if !b.landscape() {
			x, sw = px+th.Pad/2, pw-th.Pad
		}
		ws = append(ws, b.soundControls("help-", x, y, sw)...)
		y += th.Target + th.Gap
	}
	ws = append(ws, Widget{ID: "help-close", Kind: Button, Rect: Rect{x0, y, w, th.Target}, Role: Primary,
		Lines: []string{"关闭"}, Size: th.Title, Bold: true, Center: true, Event: session.CloseHelp{}})
	y += th.Target
	if b.landscape() {
		y = max(y, qr)
	}
	ph := y + 2*th.Pad
	py := max(th.Pad/2, (b.sz.H-ph)/2)
	b.add(Widget{Kind: Box, Rect: Rect{px, py, pw, ph}, Role: Surface})
	for _, wd := range ws {
		wd.Rect.Y += py + th.Pad
		b.add(wd)
	}
}

// timeoutOverlay: "are you still there?" with a countdown and continue.
func (b *builder) timeoutOverlay() {
	th, v := b.th, b.v
	b.s.ModalFrom = len(b.s.Widgets)
	b.add(Widget{Kind: Box, Rect: Rect{0, 0, b.sz.W, b.sz.H}, Role: Scrim})
	pw := min(b.sz.W-2*th.Pad, 1000)
	px := (b.sz.W - pw) / 2
	x0 := px + th.Pad
	w := pw - 2*th.Pad
	var ws []Widget
	y := 0.0
	addText := func(s string, size float64, role Role, bold bool) {
		l := b.wrap(s, w, size)
		h := lineH(size) * float64(len(l))
		ws = append(ws, Widget{Kind: Label, Rect: Rect{x0, y, w, h}, Role: role, Lines: l, Size: size, Bold: bold, Center: true})
		y += h + th.Gap/2
	}
	addText("您还在吗？", th.Title, Plain, true)
	big := th.Huge * 1.4
	if b.landscape() {
		big = th.Huge
	}
	addText(itoa(v.Timeout.Seconds), big, Plain, true)
	addText("秒后自动退出，您填写的信息会被清除", th.Heading, Plain, false)
	y += th.Gap
	// 继续办理 is the safe action and dominates: large and first. 退出
	// is a plain secondary button, smaller, below it (beside it in
	// landscape, a third of the width), so a hurried tap keeps the
	// resident's work.
	if v.Timeout.CanExtend {
		cw, ew := w, w
		if b.landscape() {
			cw = (w - th.Gap) * 2 / 3
			ew = w - cw - th.Gap
		}
		ws = append(ws, Widget{ID: "continue", Kind: Button, Rect: Rect{x0, y, cw, th.Target * 1.4}, Role: Primary,
			Lines: []string{"继续办理"}, Size: th.Title, Bold: true, Center: true, Event: session.Continue{}})
		if b.landscape() {
			ws = append(ws, Widget{ID: "timeout-exit", Kind: Button, Rect: Rect{x0 + cw + th.Gap, y + th.Target*0.4, ew, th.Target}, Role: Secondary,
				Lines: []string{"退出"}, Size: th.Heading, Bold: true, Center: true, Event: session.Cancel{}})
			y += th.Target * 1.4
		} else {
			y += th.Target*1.4 + th.Gap
			ws = append(ws, Widget{ID: "timeout-exit", Kind: Button, Rect: Rect{x0 + (w-w*0.6)/2, y, w * 0.6, th.Target}, Role: Secondary,
				Lines: []string{"退出"}, Size: th.Heading, Bold: true, Center: true, Event: session.Cancel{}})
			y += th.Target
		}
	} else {
		addText("已多次延长。如需更多时间，请拨打热线 "+v.Hotline, th.Body, Plain, false)
		ws = append(ws, Widget{ID: "timeout-exit", Kind: Button, Rect: Rect{x0, y, w, th.Target}, Role: Secondary,
			Lines: []string{"退出"}, Size: th.Heading, Bold: true, Center: true, Event: session.Cancel{}})
		y += th.Target
	}
	ph := y + 2*th.Pad
	py := max(th.Pad, (b.sz.H-ph)/2)
	b.add(Widget{Kind: Box, Rect: Rect{px, py, pw, ph}, Role: Surface})
	for _, wd := range ws {
		wd.Rect.Y += py + th.Pad
		b.add(wd)
	}
}
