package layout

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/scenes"
)

var payModes = []struct {
	elder bool
	sz    Size
}{{false, Portrait}, {false, Landscape}, {true, Portrait}, {true, Landscape}}

func payScene(t *testing.T, elder bool, name string) session.View {
	t.Helper()
	for _, sc := range scenes.Payments(elder) {
		if sc.Name == name {
			return sc.View
		}
	}
	t.Fatalf("no scene %s", name)
	return session.View{}
}

// screenText is every line of a screen, a widget a line.
func screenText(s *Screen) string {
	var b strings.Builder
	for _, w := range s.Widgets {
		b.WriteString(strings.Join(w.Lines, ""))
		b.WriteString("\n")
	}
	return strings.ReplaceAll(b.String(), " ", "") // a wrapped line loses its space at the break
}

// flat is s as screenText has it, on one line.
func flat(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\n", "")
}

// Every state of the payment screen, in both modes and orientations,
// keeps Check's rules, on one page: nothing of a payment is ever turned
// to a second page.
func TestPaymentCheck(t *testing.T) {
	m := ApproxMeasurer{}
	seen := map[session.PayState]bool{}
	n := 0
	for _, md := range payModes {
		for _, sc := range scenes.Payments(md.elder) {
			v := sc.View
			if v.Screen != session.ScreenPayment || v.Payment == nil {
				t.Fatalf("%s: screen %s", sc.Name, v.Screen)
			}
			seen[v.Payment.State] = true
			s := Build(&v, md.sz, m, nil)
			n++
			for _, pr := range Check(s, &v, m, false) {
				t.Errorf("%s elder=%v %vx%v: %s", sc.Name, md.elder, md.sz.W, md.sz.H, pr)
			}
			if _, paged := s.Find("page-no"); paged || s.MaxScroll() > 0 {
				t.Errorf("%s elder=%v %vx%v: in pages (content %.0f in %.0f)", sc.Name, md.elder, md.sz.W, md.sz.H, s.ContentH, s.Scroll.H)
			}
		}
	}
	for _, st := range []session.PayState{session.PayOrdering, session.PayConfirm, session.PayWaiting, session.PayCharging,
		session.PayPhone, session.PayChecking, session.PayFailed, session.PayUnknown, session.PayNoOrder, session.PayNothing,
		session.PayMismatch, session.PayRefunding, session.PayRefunded} {
		if !seen[st] {
			t.Errorf("no scene in state %s", st)
		}
	}
	if n < 4*13 {
		t.Fatalf("checked %d screens, want every state × mode × orientation", n)
	}
}

// The buttons of each state send the journey's events with the words
// the view gives, and nothing but 帮助 can be tapped while money moves.
func TestPaymentActions(t *testing.T) {
	type tap struct {
		id, label string
		ev        session.Event
	}
	help := tap{"help", "帮助", session.Help{}}
	cancel := tap{"cancel", "退出", session.Cancel{}}
	end := tap{IDPayEnd, "结束", session.Continue{}}
	want := map[string][]tap{
		"payment_ordering":    {help},
		"payment_confirm":     {help, cancel, {IDPayConfirm, "确认缴费 ¥500.00", session.ConfirmPayment{}}},
		"payment_waiting":     {help, cancel},
		"payment_not_a_code":  {help, cancel},
		"payment_charging":    {help},
		"payment_checking":    {help},
		"payment_phone":       {help, cancel},
		"payment_failed":      {help, end, {IDPayRetry, "重新支付", session.PayAgain{}}},
		"payment_unreached":   {help, end},
		"payment_mismatch":    {help, end},
		"payment_unknown":     {help, end},
		"payment_nothing_due": {help, cancel, {IDPayOn, "继续办理", session.Continue{}}},
		"payment_refunding":   {help},
		"payment_refunded":    {help, {IDPayOn, "继续", session.Continue{}}},
	}
	for _, md := range payModes {
		scs := scenes.Payments(md.elder)
		if len(scs) != len(want) {
			t.Fatalf("%d scenes, want %d", len(scs), len(want))
		}
		for _, sc := range scs {
			name := fmt.Sprintf("%s elder=%v %vx%v", sc.Name, md.elder, md.sz.W, md.sz.H)
			s := Build(&sc.View, md.sz, nil, nil)
			got := map[string]tap{}
			for _, w := range s.Widgets {
				if w.Event == nil {
					continue
				}
				got[w.ID] = tap{w.ID, strings.Join(w.Lines, ""), w.Event}
				if h := s.Hit(w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2, 0); h == nil || h.ID != w.ID {
					t.Errorf("%s: a tap on %s reaches %v", name, w.ID, h)
				}
			}
			exp := map[string]tap{}
			for _, tp := range want[sc.Name] {
				exp[tp.id] = tp
			}
			if !reflect.DeepEqual(got, exp) {
				t.Errorf("%s: taps %v, want %v", name, got, exp)
			}
		}
	}
}

// 确认缴费: payee, item and amount, the amount the largest text on the
// screen; the order number and the cash note smaller; the button large
// and primary.
func TestPaymentConfirm(t *testing.T) {
	for _, md := range payModes {
		name := fmt.Sprintf("elder=%v %vx%v", md.elder, md.sz.W, md.sz.H)
		v := payScene(t, md.elder, "payment_confirm")
		s := Build(&v, md.sz, nil, nil)
		th := s.Theme
		a, ok := s.Find(IDPayAmount)
		if !ok || strings.Join(a.Lines, "") != "¥500.00" || a.Size < th.Huge {
			t.Fatalf("%s: amount %+v", name, a)
		}
		for _, w := range s.Widgets {
			if w.ID != IDPayAmount && len(w.Lines) > 0 && w.Size >= a.Size {
				t.Errorf("%s: %q at %v is as large as the amount", name, w.Lines, w.Size)
			}
		}
		all := screenText(s)
		for _, want := range []string{"收款单位", "中牟县社会保险中心", "缴费项目", "金额", "ZMP2026112600000007"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: no %q in\n%s", name, want, all)
			}
		}
		if !strings.Contains(flat(all), flat(v.Payment.Cash)) || !strings.Contains(flat(all), flat(v.Payment.Item)) {
			t.Errorf("%s: the cash note or the item is not whole in\n%s", name, all)
		}
		for _, w := range s.Widgets {
			if strings.Contains(strings.Join(w.Lines, ""), "不收现金") && w.Size >= th.Body {
				t.Errorf("%s: the cash note at %v, want smaller than body text", name, w.Size)
			}
		}
		b, _ := s.Find(IDPayConfirm)
		if b.Role != Primary || b.Rect.H < th.Target || b.Size < th.Title {
			t.Errorf("%s: confirm button %+v", name, b)
		}
		if c, _ := s.Find("cancel"); c.Rect.W*c.Rect.H >= b.Rect.W*b.Rect.H {
			t.Errorf("%s: 退出 %v as large as 确认缴费 %v", name, c.Rect, b.Rect)
		}
	}
}

// The two ways to pay: the order's QR code, large, and the picture of
// the scanner window, the same size, side by side in landscape and
// stacked in portrait, each with its words, under the amount; on the
// phone the QR code stays and the other half says to confirm there.
func TestPaymentWays(t *testing.T) {
	text := func(s *Screen) string { return flat(screenText(s)) }
	for _, md := range payModes {
		name := fmt.Sprintf("elder=%v %vx%v", md.elder, md.sz.W, md.sz.H)
		v := payScene(t, md.elder, "payment_waiting")
		s := Build(&v, md.sz, nil, nil)
		q, ok := s.Find(IDPayQR)
		if !ok || q.Kind != QR || q.Data != v.Payment.QR || q.Data == "" {
			t.Fatalf("%s: QR %+v", name, q)
		}
		t.Logf("%s: QR code and scanner picture %.0f px", name, q.Rect.W)
		if q.Rect.W != q.Rect.H || q.Rect.W < 360 {
			t.Errorf("%s: the QR code is %.0f×%.0f, want a square of at least 360", name, q.Rect.W, q.Rect.H)
		}
		p, ok := s.Find(IDPayScan)
		if !ok || p.Kind != Icon || p.Icon != IconScanHere || p.Rect.W != q.Rect.W {
			t.Fatalf("%s: scanner picture %+v beside %v", name, p, q.Rect)
		}
		if md.sz.W > md.sz.H {
			if p.Rect.X < q.Rect.X+q.Rect.W || p.Rect.Y+p.Rect.H < q.Rect.Y || p.Rect.Y > q.Rect.Y+q.Rect.H {
				t.Errorf("%s: not side by side: %v %v", name, q.Rect, p.Rect)
			}
		} else if p.Rect.Y < q.Rect.Y+q.Rect.H {
			t.Errorf("%s: not stacked: %v %v", name, q.Rect, p.Rect)
		}
		a, _ := s.Find(IDPayAmount)
		if !strings.Contains(strings.Join(a.Lines, ""), "¥500.00") || a.Rect.Y+a.Rect.H > q.Rect.Y || a.Size < s.Theme.Title {
			t.Errorf("%s: amount %+v above %v", name, a, q.Rect)
		}
		all := text(s)
		for _, want := range []string{PayWordQR, PayWordQRWho, PayWordScan, v.Payment.Item} {
			if !strings.Contains(all, flat(want)) {
				t.Errorf("%s: no %q in %s", name, want, all)
			}
		}
		// A code that is not a payment code: the notice, the ways kept.
		nv := payScene(t, md.elder, "payment_not_a_code")
		ns := Build(&nv, md.sz, nil, nil)
		if n, ok := ns.Find("notice"); !ok || n.Role != Notice || flat(strings.Join(n.Lines, "")) != flat(nv.Notice) || nv.Notice == "" {
			t.Errorf("%s: notice %+v", name, n)
		}
		if nq, _ := ns.Find(IDPayQR); nq.Rect.W < 300 {
			t.Errorf("%s: with a notice the QR code is %.0f", name, nq.Rect.W)
		}
		// On the phone.
		pv := payScene(t, md.elder, "payment_phone")
		ps := Build(&pv, md.sz, nil, nil)
		if pq, ok := ps.Find(IDPayQR); !ok || pq.Data != pv.Payment.QR || pq.Rect != q.Rect {
			t.Errorf("%s: the QR code on the phone %+v, want %v", name, pq, q.Rect)
		}
		if _, ok := ps.Find(IDPayScan); ok {
			t.Errorf("%s: the scanner window shown while paying on the phone", name)
		}
		if w, ok := ps.Find("pay-phone"); !ok || strings.Join(w.Lines, "") != PayWordPhone || w.Size < ps.Theme.Title {
			t.Errorf("%s: phone words %+v", name, w)
		}
	}
}

// While money moves the screen says so calmly, with the amount; an
// outcome says the view's message whole, large.
func TestPaymentWords(t *testing.T) {
	for _, md := range payModes {
		for _, sc := range scenes.Payments(md.elder) {
			name := fmt.Sprintf("%s elder=%v %vx%v", sc.Name, md.elder, md.sz.W, md.sz.H)
			v, p := sc.View, sc.View.Payment
			s := Build(&v, md.sz, nil, nil)
			all := flat(screenText(s))
			switch p.State {
			case session.PayOrdering, session.PayCharging, session.PayChecking, session.PayRefunding:
				if _, ok := s.Find("spinner"); !ok || !strings.Contains(all, flat(v.Prompt)) || v.Prompt == "" {
					t.Errorf("%s: no spinner or prompt %q in %s", name, v.Prompt, all)
				}
				if p.Amount != "" && !strings.Contains(all, p.Amount) {
					t.Errorf("%s: no amount", name)
				}
			case session.PayFailed, session.PayUnknown, session.PayNoOrder, session.PayMismatch, session.PayNothing, session.PayRefunded:
				if p.Message == "" || !strings.Contains(all, flat(p.Message)) {
					t.Errorf("%s: message %q not whole in %s", name, p.Message, all)
				}
				for _, w := range s.Widgets {
					if len(w.Lines) > 0 && strings.Contains(p.Message, w.Lines[0]) && w.Size < s.Theme.Heading {
						t.Errorf("%s: the message at %v px", name, w.Size)
					}
				}
			}
		}
	}
}

// A large amount, a long payee and a notice on 确认缴费 still fit one
// page: the amount on one line, nothing overlapping.
func TestPaymentLongWords(t *testing.T) {
	m := ApproxMeasurer{}
	for _, md := range payModes {
		for _, name := range []string{"payment_confirm", "payment_waiting", "payment_failed"} {
			v := payScene(t, md.elder, name)
			p := *v.Payment
			p.Amount = "¥123456.78"
			p.Payee = "中牟县城乡居民基本养老保险经办中心"
			p.Item = "城乡居民基本养老保险费（2026年度 自选档次）"
			if p.ConfirmLabel != "" {
				p.ConfirmLabel = "确认缴费 " + p.Amount
			}
			v.Payment = &p
			v.Notice = "这不是付款码。请打开微信、支付宝或云闪付的「付款码」，对准扫码窗口。"
			if name == "payment_confirm" {
				v.Notice = "这一步不需要扫码。" // what a scan there says
			}
			s := Build(&v, md.sz, m, nil)
			where := fmt.Sprintf("%s elder=%v %vx%v", name, md.elder, md.sz.W, md.sz.H)
			for _, pr := range Check(s, &v, m, false) {
				t.Errorf("%s: %s", where, pr)
			}
			if _, paged := s.Find("page-no"); paged {
				t.Errorf("%s: in pages", where)
			}
			if a, ok := s.Find(IDPayAmount); ok && len(a.Lines) != 1 {
				t.Errorf("%s: amount %q", where, a.Lines)
			}
			if !strings.Contains(flat(screenText(s)), flat(v.Notice)) {
				t.Errorf("%s: notice left out", where)
			}
		}
	}
}

// The help dialog over the payment screen takes every tap.
func TestPaymentHelp(t *testing.T) {
	m := ApproxMeasurer{}
	for _, md := range payModes {
		var help session.View
		for _, sc := range scenes.All(md.elder) {
			if sc.Name == "help" {
				help = sc.View
			}
		}
		for _, name := range []string{"payment_confirm", "payment_waiting", "payment_failed"} {
			v := payScene(t, md.elder, name)
			v.Help = help.Help
			s := Build(&v, md.sz, m, nil)
			for _, pr := range Check(s, &v, m, false) {
				t.Errorf("%s with help: %s", name, pr)
			}
			for _, id := range []string{IDPayConfirm, "cancel", IDPayRetry, IDPayEnd} {
				if w, ok := s.Find(id); ok {
					if h := s.Hit(w.Rect.X+w.Rect.W/2, w.Rect.Y+w.Rect.H/2, 0); h != nil && h.ID == id {
						t.Errorf("%s: %s taken through the help dialog", name, id)
					}
				}
			}
		}
	}
}
