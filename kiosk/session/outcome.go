package session

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The end of a matter: the result screen first (the outcome, the tracking
// number large, what happens next and when, and the slip printing), then
// the rating, then done. A slip that does not print gets its own screen
// (ScreenPrinting) saying what happened, with a reprint once the printer
// works again and a text message of the tracking number to the phone the
// resident gave.

// Resident actions at the end of a matter.
type (
	// Retry sends the same transaction again after the backend could not
	// be reached (the same id: the backend never takes it twice).
	Retry struct{}
	// Reprint prints the slip again once the printer works.
	Reprint struct{}
	// RequestSMS asks for the tracking number by text message to the
	// phone number given on the form.
	RequestSMS struct{}
)

// SMSSent is the daemon's answer to a SendSMS effect.
type SMSSent struct{ Err error }

func (Retry) isEvent()      {}
func (Reprint) isEvent()    {}
func (RequestSMS) isEvent() {}
func (SMSSent) isEvent()    {}

// SendSMS asks the daemon to send the tracking number by text message to
// Phone (in full: the daemon masks it in anything it logs), then post
// SMSSent.
type SendSMS struct {
	Phone      string
	TrackingNo string
}

func (SendSMS) isEffect() {}

// ErrNoSMS is an SMSSent error for a kiosk that cannot send text messages.
var ErrNoSMS = errors.New("session: no text messages from this kiosk")

const (
	// maxRetries is how often 重试 is offered for one matter.
	maxRetries = 3
	// smsWait is how long a text message may take before the resident is
	// told it did not go.
	smsWait = 30 * time.Second
)

// isEndAction reports whether ev is one of the end-of-matter actions.
func isEndAction(ev Event) bool {
	switch ev.(type) {
	case Retry, Reprint, RequestSMS, DateDigits:
		return true
	}
	return false
}

// endAction handles the end-of-matter actions (and typed dates, which
// are resident actions of the form, form.go).
func (m *Machine) endAction(ev Event, fx *effects) {
	switch e := ev.(type) {
	case Retry:
		if m.screen == ScreenResult && m.canRetry() {
			m.retries++
			m.clearResult()
			m.sendTx(fx)
		}
	case Reprint:
		if m.screen == ScreenPrinting && m.printSt != PrintBusy && m.canReprint() {
			m.notice = ""
			m.startPrint(fx)
			fx.add(Speak{"正在补打" + WordSlip + "，请稍候"})
		}
	case RequestSMS:
		if sh := m.slipHelp(); sh != nil && sh.SMSTo != "" && (sh.SMS == SMSNone || sh.SMS == SMSFailed) && m.result != nil {
			m.smsSt, m.smsSince = SMSSending, m.now
			m.notice = "正在发送短信，请稍候"
			fx.add(SendSMS{Phone: m.phone(), TrackingNo: m.result.TrackingNo})
		}
	case DateDigits:
		if m.screen == ScreenForm && m.fieldEditable(e.ID) {
			m.dateDigits(e.ID, e.Digits)
		}
	}
}

// submitted takes the daemon's answer to a submission.
func (m *Machine) submitted(e Submitted, fx *effects) {
	if m.screen != ScreenSubmitting || m.tx == nil {
		return
	}
	if e.Result.TxID != "" && e.Result.TxID != m.tx.ID {
		return // an answer for an earlier session
	}
	hot := m.hotline()
	r := e.Result
	r.TxID = m.tx.ID
	r.Lines = append([]txn.ResultLine(nil), e.Result.Lines...)
	r.Document = append([]string(nil), e.Result.Document...)
	if e.Err != nil && m.pay.paid {
		// Paid: the matter is the kiosk's to deliver (the payment keeps
		// it), whatever the wire says now.
		r.Outcome = txn.Queued
		r.TrackingNo = txn.TrackingNo(m.tx.KioskID, m.tx.ID)
		r.Message = "您已缴费成功，事项正在提交，本机会自动办好，不用再来一趟。如有疑问请拨打热线 " + hot + "。"
	} else if e.Err != nil {
		if m.svc.OnlineOnly() {
			r.Outcome = txn.Unreached
		} else {
			r.Outcome = txn.Rejected
			r.Message = "本机暂时无法受理，您的信息没有提交成功。请稍后再试，或拨打热线 " + hot + "。"
		}
	}
	m.result = &r
	if m.pay.paid && r.Outcome == txn.Rejected && m.pay.state != PayRefunded {
		// The backend refused the matter the resident paid for: the money
		// goes back before anything else.
		m.resTitle, m.resMsg = "未能办理", r.Message
		if m.resMsg == "" {
			m.resMsg = "这项业务未能办理。"
		}
		m.paidRefused(m.resMsg, fx)
		return
	}
	switch r.Outcome {
	case txn.Completed:
		m.resTitle = "办理成功"
		m.resMsg = r.Message
		if m.resMsg == "" {
			m.resMsg = "您的事项已经办好。"
		}
	case txn.Queued:
		m.resTitle = "已受理"
		m.resMsg = "您的申请已经交给" + m.svc.Department + "，不用再来一趟。"
		if m.svc.Department == "" {
			m.resMsg = "您的申请已经交给部门，不用再来一趟。"
		}
		if r.Message != "" {
			m.resMsg = r.Message
		}
	case txn.Unreached:
		m.resTitle = "暂时无法办理"
		m.resMsg = "暂时连不上服务系统，这项业务需要联网才能办理，您的信息没有提交成功。"
	default:
		m.result.Outcome = txn.Rejected
		m.resTitle = "未能办理"
		m.resMsg = r.Message
		if m.resMsg == "" {
			m.resMsg = "这项业务未能办理。"
		}
	}
	if m.wantsDocument(m.result) {
		m.startDocument(fx) // the result follows once the proof is printed
		return
	}
	m.showResult(fx)
}

// showResult shows the result screen, with the slip printing where the
// matter gives one.
func (m *Machine) showResult(fx *effects) {
	r := m.result
	// A paid matter always gives a slip: what was paid, and the refund
	// if the backend refused the matter.
	ok := r.Outcome == txn.Completed || r.Outcome == txn.Queued || m.pay.paid
	m.slipWanted = ok && (m.svc.NeedsPrinter || r.Outcome == txn.Queued || m.svc.Receipt.Title != "")
	if m.slipWanted && m.deviceUsable(devices.KindPrinter) {
		m.startPrint(fx) // first, so the spoken result says the slip is coming
	} else {
		fx.add(Light{LightReady})
	}
	m.goTo(ScreenResult, fx)
}

// noAnswer: the daemon never answered the submission. The matter may
// have been taken, so the resident gets the tracking number the backend
// would have been sent, the hotline, and 重试 (the same id: no double).
func (m *Machine) noAnswer(fx *effects) {
	m.submitted(Submitted{Err: errNoAnswer}, fx)
	if m.result == nil {
		return
	}
	m.resTitle = "请稍后查询结果"
	m.resMsg = "系统没有及时答复，您的申请可能已经受理。"
	m.result.Outcome = txn.Unreached
	m.result.Message = m.resMsg
	m.result.TrackingNo = txn.TrackingNo(m.o.KioskID, m.tx.ID)
	m.rev++
}

// next moves on from the result and slip screens: to the rating when
// there is something to rate, else to the end.
func (m *Machine) next(fx *effects) {
	switch m.screen {
	case ScreenResult, ScreenPrinting:
		if m.printSt == PrintBusy {
			return // the slip is coming out: wait for it
		}
		take := m.printSt == PrintTake
		if m.rateable() {
			m.goTo(ScreenRating, fx)
			if take {
				m.notice = "请取走" + WordSlip
			}
		} else {
			m.endSession(ReasonFinished, fx)
		}
	case ScreenDone:
		m.goAttract(fx)
	}
}

func (m *Machine) rateable() bool {
	return m.tx != nil && m.result != nil &&
		(m.result.Outcome == txn.Completed || m.result.Outcome == txn.Queued)
}

func (m *Machine) canRetry() bool {
	return m.tx != nil && m.result != nil && m.result.Outcome == txn.Unreached && m.retries < maxRetries
}

// startPrint asks for the slip.
func (m *Machine) startPrint(fx *effects) {
	fx.add(m.printEffect(), Light{LightBusy})
	m.printSt, m.printSince = PrintBusy, m.now
	m.rev++
}

func (m *Machine) printEffect() Print {
	p := Print{Service: m.svc, Fields: maps.Clone(m.tx.Fields), Card: m.card.Masked(), Elder: m.elder}
	p.Result = *m.result
	p.Result.Lines = append([]txn.ResultLine(nil), m.result.Lines...)
	p.Result.Document = append([]string(nil), m.result.Document...)
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if m.tx.Person != nil {
		pp := *m.tx.Person
		p.Person = &pp
	}
	if m.pay.paid && m.pay.order != nil {
		o := *m.pay.order
		p.Paid = &o
	}
	if m.doc.printed > 0 {
		p.A4Pages = m.doc.printed
		if m.doc.doc != nil {
			p.A4Code = m.doc.doc.VerificationCode
		}
	}
	return p
}

// printed takes the printer's answer.
func (m *Machine) printed(err error, fx *effects) {
	if (m.screen != ScreenResult && m.screen != ScreenPrinting) || m.printSt != PrintBusy {
		return
	}
	m.activity = m.now
	switch {
	case err == nil:
		m.printSt = PrintTake
		if m.screen != ScreenResult {
			m.goTo(ScreenResult, fx)
		}
		m.notice = "请从屏幕下方的出纸口取走" + WordSlip
		fx.add(Speak{"凭条已经打印好，请取走"}, Light{LightReady})
	case m.o.IsPaperOut(err):
		m.printSt, m.paperBack = PrintPaperOut, false
		m.goTo(ScreenPrinting, fx)
		fx.add(Light{LightAttention})
	default:
		m.printSt = PrintFailed
		m.goTo(ScreenPrinting, fx)
		fx.add(Light{LightAttention})
	}
}

// canReprint: the printer can be asked again. After paper ran out that is
// once the printer has said it has paper again (a DevicesChanged with the
// printer usable); after another fault, as soon as it is usable.
func (m *Machine) canReprint() bool {
	if !m.deviceUsable(devices.KindPrinter) {
		return false
	}
	return m.printSt != PrintPaperOut || m.paperBack
}

// printerChanged: the printer's state may have changed while the slip
// screen waits for paper.
func (m *Machine) printerChanged(fx *effects) {
	if m.screen != ScreenPrinting || m.printSt != PrintPaperOut || m.paperBack {
		return
	}
	if m.deviceUsable(devices.KindPrinter) {
		m.paperBack = true
		m.notice = "打印机已经放好纸，可以补打" + WordSlip + "了"
		fx.add(Speak{m.notice})
	}
}

func (m *Machine) smsSent(err error, fx *effects) {
	if m.smsSt != SMSSending {
		return
	}
	if err != nil {
		m.smsFailed(fx)
		return
	}
	m.smsSt = SMSDone
	m.notice = "办理编号已经用短信发到 " + mask.Phone(m.phone()) + "。"
	fx.add(Speak{"短信已经发到您的手机"})
}

func (m *Machine) smsFailed(fx *effects) {
	m.smsSt = SMSFailed
	m.notice = "短信没有发出去。请记下屏幕上的" + WordTracking + "，或拨打热线 " + m.hotline() + " 查询。"
	fx.add(Speak{m.notice})
}

// phone is the mobile number the resident gave on the form, or "".
func (m *Machine) phone() string {
	if m.svc == nil || m.tx == nil {
		return ""
	}
	for _, f := range m.svc.Form {
		if f.Type == catalog.FieldPhone {
			if v := m.tx.Fields[f.ID]; v != "" && validate(f, v) == "" {
				return v
			}
		}
	}
	return ""
}

// slipHelp is what the resident can do about a slip that did not print,
// or nil when there is nothing to do.
func (m *Machine) slipHelp() *SlipHelp {
	if m.result == nil || m.result.TrackingNo == "" {
		return nil
	}
	switch {
	case m.screen == ScreenPrinting && m.printSt != PrintBusy:
	case m.screen == ScreenResult && m.slipWanted && m.printSt == PrintNone:
		// A matter that gives a slip, with the printer down.
	default:
		return nil
	}
	h := &SlipHelp{SMS: m.smsSt}
	if p := m.phone(); p != "" {
		h.SMSTo = mask.Phone(p)
	}
	if m.screen == ScreenPrinting {
		h.Reprint = m.canReprint()
		h.WaitPaper = m.printSt == PrintPaperOut && !h.Reprint
	}
	return h
}

// slipWords are the slip screen's title and prompt: what happened, that
// the matter itself is not affected, and what can be done.
func (m *Machine) slipWords() (title, prompt string) {
	done := "您的事项已经办好，不受影响。"
	if m.result != nil && m.result.Outcome == txn.Queued {
		done = "您的事项已经受理，不受影响。"
	}
	what := "打印机出了故障，" + WordSlip + "没有打印出来。"
	if m.printSt == PrintPaperOut {
		what = "打印机没纸了，" + WordSlip + "没有打印出来。"
	}
	if m.printSt == PrintBusy {
		return "正在补打" + WordSlip, "正在补打" + WordSlip + "，请稍候"
	}
	offer := "请记下屏幕上的" + WordTracking + "。"
	if m.phone() != "" {
		offer = "请记下屏幕上的" + WordTracking + "，也可以把它用短信发到您的手机。"
	}
	return WordSlip + "没有打印出来", what + done + offer
}

// next words: what happens next and when.
func (m *Machine) nextWords() string {
	r := m.result
	if r == nil {
		return ""
	}
	hot := m.hotline()
	if m.isAssist() && r.Outcome != txn.Rejected && r.Outcome != txn.Unreached {
		return m.assistNext()
	}
	switch r.Outcome {
	case txn.Completed:
		s := "已经办好，不用再等。"
		if n := m.doc.printed; n > 0 {
			s = fmt.Sprintf("已经办好，证明已打印 %d 页，请收好。", n)
		}
		switch m.printSt {
		case PrintBusy:
			s += WordSlip + "正在打印，请稍候从屏幕下方的出纸口取走。"
		case PrintTake:
			s += "请从屏幕下方的出纸口取走" + WordSlip + "。"
		}
		return s
	case txn.Queued:
		s := "部门会尽快办好。"
		if d := m.svc.TimeLimitDays; d > 0 {
			by := workdaysAfter(m.now.In(m.o.Location), d)
			s = fmt.Sprintf("部门会在 %d 个工作日内办好，大约 %d月%d日 前。", d, int(by.Month()), by.Day())
		}
		if p := m.phone(); p != "" {
			s += "办好后会发短信到 " + mask.Phone(p) + "。"
		}
		s += "凭" + WordTracking + "可以查询进度，也可以拨打热线 " + hot + "。"
		if m.printSt == PrintBusy {
			s += WordSlip + "正在打印，请稍候取走。"
		}
		if m.slipWanted && m.printSt == PrintNone {
			s += "本机现在不能打印" + WordSlip + "，请记下" + WordTracking + "。"
		}
		return s
	case txn.Unreached:
		if m.canRetry() {
			return "可以点「重试」再试一次；也可以稍后再来，或拨打热线 " + hot + "。"
		}
		return "请稍后再来，或拨打热线 " + hot + "，说出" + WordTracking + "查询。"
	}
	return "如有疑问，请拨打热线 " + hot + "。"
}

// workdaysAfter is the day n working days (Monday to Friday) after t.
// Public holidays are not known to the kiosk: "大约" says so.
func workdaysAfter(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// clearResult forgets the shown result (before a retry).
func (m *Machine) clearResult() {
	if m.result != nil {
		clear(m.result.Lines)
		clear(m.result.Document)
		*m.result = txn.Result{}
	}
	m.result, m.resTitle, m.resMsg, m.printSt = nil, "", "", PrintNone
	m.slipWanted, m.paperBack, m.smsSt = false, false, SMSNone
}

// endTimers runs the clocks of the end of a matter; it reports whether
// the screen's own idle handling is done.
func (m *Machine) endTimers(fx *effects) bool {
	if m.smsSt == SMSSending && m.now.Sub(m.smsSince) >= smsWait {
		m.smsFailed(fx)
	}
	switch m.screen {
	case ScreenResult, ScreenPrinting:
		if m.printSt == PrintBusy {
			if m.now.Sub(m.printSince) >= m.t.Print {
				m.printed(errPrintTimeout, fx)
			}
			return true
		}
		if m.screen == ScreenResult && m.now.Sub(m.activity) >= m.t.idleFor(ScreenResult) {
			// A generous time to read, then on to the rating by itself.
			m.next(fx)
			return true
		}
	}
	return false
}

func (m *Machine) outcomeView() *Outcome {
	r := m.result
	o := &Outcome{Outcome: r.Outcome, Title: m.resTitle, Message: m.resMsg, TrackingNo: r.TrackingNo,
		Tracking: txn.GroupTracking(r.TrackingNo), Next: m.nextWords()}
	if r.TrackingNo != "" && m.cat != nil && m.cat.TrackURL != "" {
		o.TrackURL = replaceTracking(m.cat.TrackURL, r.TrackingNo)
	}
	if r.Outcome == txn.Completed {
		for _, l := range r.Lines {
			o.Lines = append(o.Lines, Line{Label: l.Label, Value: l.Value})
		}
	}
	return o
}
