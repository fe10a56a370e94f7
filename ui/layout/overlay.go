package layout

import "github.com/henan-county/kiosk/kiosk/session"

// Widget ids of the help overlay.
const (
	IDHelpCall      = "help-call"
	IDHelpHangUp    = "help-hangup"
	IDHelpCallback  = "help-callback"
	IDHelpHomeVisit = "help-homevisit"
	IDHelpStaff     = "help-staff"
	IDHelpClose     = "help-close"
)

// helpOverlay: the assisted-service team by name, on top of any screen.
// With no call on: 呼叫小牟帮办 large and first where the kiosk has a
// phone, the hotline, the QR code for a family member's phone (beside the
// words in landscape), 上门服务, the voice controls when they fit, and
// 关闭. A call takes the dialog over: 正在呼叫… with the seconds, or 已接通
// with the call's length, and a large red 挂断 (nothing else closes it
// then); after it, 通话已结束 or why nobody answered, with 留下电话，等回电.
func (b *builder) helpOverlay() {
	th, v := b.th, b.v
	h := v.Help
	b.s.ModalFrom = len(b.s.Widgets)
	b.add(Widget{Kind: Box, Rect: Rect{0, 0, b.sz.W, b.sz.H}, Role: Scrim})
	pw := min(b.sz.W-2*th.Pad, 1000)
	qr := min(pw-2*th.Pad, 400)
	if b.landscape() {
		pw = min(b.sz.W-2*th.Pad, 1700)
	}
	px := (b.sz.W - pw) / 2
	x0 := px + th.Pad
	full := pw - 2*th.Pad
	w := full
	showQR := h.AssistURL != "" && h.Call == nil
	side := b.landscape() && showQR
	sideW := 0.0 // the QR code's column in landscape, its caption under it
	if side {
		sideW = max(qr, min(560, full/3))
		w -= sideW + th.Pad
	}
	var ws []Widget
	y, sideH := 0.0, 0.0
	addText := func(s string, size float64, role Role, bold bool) {
		l := b.wrap(s, w, size)
		ht := lineH(size) * float64(len(l))
		ws = append(ws, Widget{Kind: Label, Rect: Rect{x0, y, w, ht}, Role: role, Lines: l, Size: size, Bold: bold, Center: true})
		y += ht + th.Gap/2
	}
	bigButton := func(id, label string, role Role, ev session.Event) {
		ht := th.Target * 1.4
		ws = append(ws, Widget{ID: id, Kind: Button, Rect: Rect{x0, y, w, ht}, Role: role,
			Lines: b.fit(label, w-th.Gap, th.Title), Size: th.Title, Bold: true, Center: true, Event: ev})
		y += ht + th.Gap
	}
	title := "需要帮助？"
	if h.AssistName != "" {
		title += "找" + h.AssistName
	}
	addText(title, th.Title, Plain, true)
	var row []footBtn // the buttons of the dialog's last row
	closeBtn := footBtn{IDHelpClose, "关闭", Primary, session.CloseHelp{}}
	switch c := h.Call; {
	case c == nil:
		hot := "请拨打服务热线"
		if h.CanCall {
			bigButton(IDHelpCall, "呼叫"+h.AssistName, Primary, session.CallDesk{})
			hot, closeBtn.role = "或拨打服务热线", Secondary
		}
		addText(hot, th.Heading, Muted, false)
		addText(h.Hotline, th.Huge*0.8, Plain, true)
		if showQR {
			caption := "用手机扫码，请工作人员帮您办理，也可以上门服务"
			if side {
				sx := x0 + w + th.Pad
				ws = append(ws, Widget{ID: "assist-qr", Kind: QR, Data: h.AssistURL, Rect: Rect{sx + (sideW-qr)/2, 0, qr, qr}})
				l := b.wrap(caption, sideW, th.Body)
				ws = append(ws, Widget{Kind: Label, Rect: Rect{sx, qr + th.Gap/2, sideW, lineH(th.Body) * float64(len(l))},
					Role: Plain, Lines: l, Size: th.Body, Center: true})
				sideH = qr + th.Gap/2 + lineH(th.Body)*float64(len(l)) + th.Gap/2
			} else {
				ws = append(ws, Widget{ID: "assist-qr", Kind: QR, Data: h.AssistURL, Rect: Rect{px + (pw-qr)/2, y, qr, qr}})
				y += qr + th.Gap/2
				addText(caption, th.Body, Plain, false)
			}
		}
		if h.CanHomeVisit {
			row = append(row, footBtn{IDHelpHomeVisit, "上门服务", Secondary, session.RequestHomeVisit{}})
		}
		if h.CanStaff && !b.v.Elder { // staff switch elder mode off first: four keys do not fit its size
			row = append(row, footBtn{IDHelpStaff, "帮办模式", Secondary, session.OpenStaffMode{}})
		}
		row = append(row, closeBtn)
	default:
		addText("服务热线 "+h.Hotline, th.Heading, Muted, false)
		y += th.Gap / 2
		switch c.State {
		case session.CallDialing:
			addText("正在呼叫…", th.Title, Plain, true)
			addText(itoa(c.Seconds)+" 秒", th.Huge, Plain, true)
			addText(c.Text, th.Body, Plain, false)
			y += th.Gap / 2
			bigButton(IDHelpHangUp, "挂断", Danger, session.HangUp{})
		case session.CallConnected:
			addText("已接通", th.Title, Plain, true)
			addText(clock(c.Seconds), th.Huge, Plain, true)
			addText(c.Text, th.Body, Plain, false)
			y += th.Gap / 2
			bigButton(IDHelpHangUp, "挂断", Danger, session.HangUp{})
		case session.CallEnded:
			addText("通话已结束", th.Title, Plain, true)
			row = append(row, closeBtn)
		default: // nobody answered, or the phone could not call
			addText(c.Text, th.Heading, Plain, false)
			y += th.Gap / 2
			if c.CanCallback {
				bigButton(IDHelpCallback, "留下电话，等回电", Primary, session.RequestCallback{})
				closeBtn.role = Secondary
			}
			row = append(row, closeBtn)
		}
	}
	y = max(y, sideH)
	y += th.Gap / 2
	// The voice controls, when no call is on and the dialog still fits
	// the screen with them.
	if need := y + 2*th.Target + 2*th.Gap + 2*th.Pad; h.Call == nil && need <= b.sz.H-th.Pad {
		x, sw := x0, full
		if !b.landscape() {
			x, sw = px+th.Pad/2, pw-th.Pad
		}
		ws = append(ws, b.soundControls("help-", x, y, sw)...)
		y += th.Target + th.Gap
	}
	if len(row) > 0 {
		n := float64(len(row))
		bw := (full - (n-1)*th.Gap) / n
		for i, f := range row {
			ws = append(ws, Widget{ID: f.id, Kind: Button, Rect: Rect{x0 + float64(i)*(bw+th.Gap), y, bw, th.Target}, Role: f.role,
				Lines: b.fit(f.label, bw-th.Gap, th.Title), Size: th.Title, Bold: true, Center: true, Event: f.ev})
		}
		y += th.Target
	} else {
		y -= th.Gap // the last big button's gap
	}
	ph := y + 2*th.Pad
	py := max(th.Pad/2, (b.sz.H-ph)/2)
	b.add(Widget{Kind: Box, Rect: Rect{px, py, pw, ph}, Role: Surface})
	for _, wd := range ws {
		wd.Rect.Y += py + th.Pad
		b.add(wd)
	}
}

// clock is a call's length as mm:ss.
func clock(sec int) string {
	sec = max(sec, 0)
	two := func(n int) string {
		if n < 10 {
			return "0" + itoa(n)
		}
		return itoa(n)
	}
	return two(sec/60) + ":" + two(sec%60)
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
