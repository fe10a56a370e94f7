package session

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/money"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/scancode"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Paying for a matter (缴费): a payment matter, confirmed, asks the host
// for an order (OpenPayment → PaymentOpened). The resident sees who is
// paid, for what and how much, on one large screen and confirms; then the
// two ways to pay side by side: the order's QR code for a phone, and the
// scanner window for the resident's payment code (付款码). A scanned code
// is validated and charged (ChargePayment → PaymentUpdate); a QR payment
// is found by asking (QueryPayment) every few seconds. Once paid the
// transaction is sent with its order number; if the backend then refuses
// the matter, the money goes back (RefundPayment → PaymentRefunded) and
// the resident is told so. Leaving before paying lets the payment go
// (ReleasePayment): the host cancels the order. Cash and bank cards are
// not taken at the kiosk; the screen says where they are.

// ScreenPayment is the payment stage of a payment matter.
const ScreenPayment Screen = "payment"

// PayState is where the payment stage is.
type PayState string

// Payment states.
const (
	PayOrdering  PayState = "ordering"    // the order is being made
	PayConfirm   PayState = "confirm"     // payee, matter and amount: 确认缴费
	PayWaiting   PayState = "waiting"     // QR code and scanner window, side by side
	PayCharging  PayState = "charging"    // a payment code is being charged
	PayPhone     PayState = "phone"       // the resident confirms on the phone
	PayChecking  PayState = "checking"    // the outcome is being asked for
	PayFailed    PayState = "failed"      // declined: try again or leave
	PayUnknown   PayState = "unknown"     // not known yet; the kiosk resolves it, never charges twice
	PayNoOrder   PayState = "unreached"   // no order could be made: nothing paid
	PayNothing   PayState = "nothing_due" // nothing to pay: the matter goes on
	PayMismatch  PayState = "mismatch"    // the order's amount is wrong: nothing paid
	PayRefunding PayState = "refunding"   // the backend refused the paid matter: money going back
	PayRefunded  PayState = "refunded"    // the money went back
)

// PayOrder is a payment's order as the host reports it. Nothing in it is
// personal: the payer is the code's last four digits.
type PayOrder struct {
	OrderNo   string
	Step      payment.Step
	Amount    money.Fen
	Payee     string
	Item      string
	QRURL     string
	ExpiresAt time.Time
	Channel   string // wechat, alipay, unionpay
	PayerTail string
	Failure   string // the channel's words when it declined
	RefundNo  string
}

// PayErr is why an order could not be made, as the host reports it.
type PayErr string

// Order failures.
const (
	PayErrNone      PayErr = ""
	PayErrUnreached PayErr = "unreached"   // no answer from the backend
	PayErrNothing   PayErr = "nothing_due" // nothing to pay
	PayErrMismatch  PayErr = "mismatch"    // the amount is not the matter's
	PayErrRefused   PayErr = "refused"     // any other refusal
)

// Resident actions of the payment stage.
type (
	// ConfirmPayment accepts the amount shown (确认缴费).
	ConfirmPayment struct{}
	// PayAgain makes a new order after a declined payment (重新支付).
	PayAgain struct{}
)

// Device and host reports of the payment stage.
type (
	// Scanned: the code scanner read a code. The Machine decides whether
	// the screen wants it; Text is personal (a payment code) and is not
	// kept.
	Scanned struct{ Text string }
	// PaymentOpened answers OpenPayment.
	PaymentOpened struct {
		TxID  string
		Order *PayOrder
		Err   PayErr
	}
	// PaymentUpdate answers ChargePayment and QueryPayment: the order as
	// it now stands, or Err when the answer is not known.
	PaymentUpdate struct {
		TxID  string
		Order *PayOrder
		Err   error
	}
	// PaymentRefunded answers RefundPayment.
	PaymentRefunded struct {
		TxID  string
		Order *PayOrder
		Err   error
	}
)

// Effects of the payment stage.
type (
	// OpenPayment asks the host for the order of Tx (recorded durably
	// first, with Tx kept sealed) and to post PaymentOpened.
	OpenPayment struct{ Tx txn.Transaction }
	// ChargePayment charges the order with the resident's payment code,
	// once, and posts PaymentUpdate. Code is personal: the host sends it
	// and forgets it.
	ChargePayment struct{ TxID, Code string }
	// QueryPayment asks where the order stands and posts PaymentUpdate.
	QueryPayment struct{ TxID string }
	// RefundPayment gives the paid money back and posts PaymentRefunded.
	RefundPayment struct{ TxID, Reason string }
	// ReleasePayment: the session lets go of the payment; the host
	// cancels it if it is not paid, and sees it to its end.
	ReleasePayment struct{ TxID string }
)

func (ConfirmPayment) isEvent()  {}
func (PayAgain) isEvent()        {}
func (Scanned) isEvent()         {}
func (PaymentOpened) isEvent()   {}
func (PaymentUpdate) isEvent()   {}
func (PaymentRefunded) isEvent() {}
func (OpenPayment) isEffect()    {}
func (ChargePayment) isEffect()  {}
func (QueryPayment) isEffect()   {}
func (RefundPayment) isEffect()  {}
func (ReleasePayment) isEffect() {}

// PaymentView is the payment stage as shown (ScreenPayment).
type PaymentView struct {
	State   PayState
	OrderNo string
	Amount  string // ¥500.00
	Payee   string
	Item    string
	// QR is what the order's QR code holds (PayWaiting, PayPhone).
	QR string
	// ScanHere: the scanner window waits for a payment code; the screen
	// shows where it is.
	ScanHere bool
	// Message says what happened, in plain words, with the hotline where
	// the resident needs help.
	Message string
	// ConfirmLabel is the big button: 确认缴费 ¥500.00 (PayConfirm);
	// CanRetry offers 重新支付 (PayFailed); CanContinue 继续办理
	// (PayNothing).
	ConfirmLabel          string
	CanRetry, CanContinue bool
	// Cash says where cash and bank cards are taken.
	Cash string
	// Channel and PayerTail: how it was paid (微信 ****6789).
	Channel, PayerTail string
	RefundNo           string
}

// payStage is the Machine's payment stage of the current matter.
type payStage struct {
	state   PayState
	txID    string
	order   *PayOrder
	since   time.Time // when the state was entered
	asked   time.Time // last QueryPayment
	paid    bool      // money taken: the transaction carries the order
	live    bool      // the host holds a payment for this session
	tries   int       // orders made (a declined one is followed by another)
	refused string    // the backend's refusal of the paid matter
}

// Payment timing.
const (
	payPollEvery = 3 * time.Second  // asking whether a QR code was paid
	payCharge    = 30 * time.Second // a charge's answer, before asking instead
	payCheck     = 2 * time.Minute  // asking, before telling the resident it is not known yet
	maxPayTries  = 3                // orders per session (declines)
)

// cashWords says where cash and bank cards are taken.
const cashWords = "本机只支持微信、支付宝、云闪付扫码支付，不收现金和银行卡。需要现金或刷卡缴费，请在工作时间到政务服务中心收费窗口办理。"

// wantsPayment: the matter takes money and has not been paid yet.
func (m *Machine) wantsPayment() bool {
	return m.o.Payments && m.svc != nil && m.svc.TakesPayment() && !m.pay.paid && m.pay.state != PayNothing
}

// startPayment asks for the order of the transaction just made.
func (m *Machine) startPayment(fx *effects) {
	if m.pay.txID != m.tx.ID {
		m.pay = payStage{txID: m.tx.ID}
	}
	m.pay.tries++
	m.pay.order = nil
	m.payState(PayOrdering)
	m.pay.live = true
	fx.add(OpenPayment{Tx: m.txCopy()}, Light{LightBusy})
	m.goTo(ScreenPayment, fx)
}

func (m *Machine) payState(s PayState) {
	m.pay.state, m.pay.since = s, m.now
	m.notice = "" // a word about the last state (a wrong code) ends with it
	m.rev++
}

// paymentOpened takes the order.
func (m *Machine) paymentOpened(e PaymentOpened, fx *effects) {
	if m.screen != ScreenPayment || m.pay.state != PayOrdering || e.TxID != m.pay.txID {
		return
	}
	m.activity = m.now
	switch {
	case e.Err == PayErrNone && e.Order != nil && e.Order.Amount > 0:
		m.pay.order = e.Order
		m.payState(PayConfirm)
		fx.add(Light{LightReady})
	case e.Err == PayErrNothing:
		m.payState(PayNothing)
	case e.Err == PayErrMismatch:
		m.payState(PayMismatch)
		fx.add(Light{LightAttention})
	default:
		m.payState(PayNoOrder)
		fx.add(Light{LightAttention})
	}
	fx.add(Speak{m.payPrompt()})
}

// paymentUpdate takes a charge's or a query's answer.
func (m *Machine) paymentUpdate(e PaymentUpdate, fx *effects) {
	if m.screen != ScreenPayment || e.TxID != m.pay.txID || m.pay.paid {
		return
	}
	switch m.pay.state {
	case PayWaiting, PayCharging, PayPhone, PayChecking, PayUnknown:
	default:
		return
	}
	if e.Err != nil || e.Order == nil {
		if m.pay.state == PayCharging {
			m.payState(PayChecking) // not known: ask, never charge again
		}
		return
	}
	m.pay.order = e.Order
	switch e.Order.Step {
	case payment.StepPaid, payment.StepSubmitted, payment.StepCompleted:
		m.paymentPaid(fx)
	case payment.StepPaying:
		if m.pay.state != PayPhone {
			m.payState(PayPhone)
			fx.add(Speak{m.payPrompt()})
		}
	case payment.StepFailed:
		m.payState(PayFailed)
		fx.add(Speak{m.payPrompt()}, Light{LightAttention})
	case payment.StepCancelled:
		// The order expired or was cancelled before anyone paid.
		m.payState(PayFailed)
		fx.add(Speak{m.payPrompt()}, Light{LightAttention})
	case payment.StepOpen:
		if m.pay.state == PayCharging || m.pay.state == PayChecking {
			m.payState(PayWaiting)
		}
	}
}

// paymentPaid: the money is in; the transaction goes out with its order.
func (m *Machine) paymentPaid(fx *effects) {
	m.pay.paid = true
	m.tx.PaymentOrder = m.pay.order.OrderNo
	fx.add(Speak{"支付成功，正在为您办理"})
	m.sendTx(fx)
}

// scanned takes a code from the scanner on the screens that want one.
func (m *Machine) scanned(text string, fx *effects) {
	m.activity = m.now
	switch {
	case m.screen == ScreenPayment && m.pay.state == PayWaiting && !m.help:
		if _, err := scancode.ValidatePayment(text); err != nil {
			m.notice = "这不是付款码。请打开微信、支付宝或云闪付的「付款码」，对准扫码窗口。"
			fx.add(Speak{m.notice})
			return
		}
		m.payState(PayCharging)
		fx.add(ChargePayment{TxID: m.pay.txID, Code: text}, Light{LightBusy}, Speak{"正在支付，请稍候"})
	case m.offersIDCode() && !m.help:
		m.scannedIDCode(text, fx)
	case m.screen == ScreenForm && m.focusTracking():
		no, err := m.trackingFromCode(text)
		if err != nil {
			m.notice = "没有认出这个二维码。请扫描本机打印的凭条上的二维码，或者直接输入凭条上的办件编号。"
			fx.add(Speak{m.notice})
			return
		}
		m.setValue(m.focus, no)
		fx.add(Speak{"已读取办件编号"})
	default:
		// A code on a screen that does not want one is not used.
		m.notice = "这一步不需要扫码。"
		m.rev++
	}
}

// focusTracking: the focused field takes a tracking number.
func (m *Machine) focusTracking() bool {
	if m.svc == nil || m.focus == "" {
		return false
	}
	for _, f := range m.svc.Form {
		if f.ID == m.focus {
			return f.Type == "tracking"
		}
	}
	return false
}

// trackingFromCode reads the tracking number from a receipt's QR code or
// a scanned tracking number.
func (m *Machine) trackingFromCode(text string) (string, error) {
	if no, err := scancode.ValidateTracking(text); err == nil {
		return no, nil
	}
	var urls []string
	if m.cat != nil && m.cat.TrackURL != "" {
		urls = append(urls, m.cat.TrackURL)
	}
	return scancode.ValidateReceipt(text, urls...)
}

// paymentRefunded takes the refund's answer.
func (m *Machine) paymentRefunded(e PaymentRefunded, fx *effects) {
	if m.screen != ScreenPayment || m.pay.state != PayRefunding || e.TxID != m.pay.txID {
		return
	}
	if e.Order != nil {
		m.pay.order = e.Order
	}
	if e.Err == nil && e.Order != nil && e.Order.Step == payment.StepRefunded {
		m.payState(PayRefunded)
	} else {
		// Not known yet: the host keeps at it; the resident is told so.
		m.payState(PayRefunded)
		m.pay.order.RefundNo = ""
	}
	m.activity = m.now
	fx.add(Speak{m.payPrompt()}, Light{LightReady})
}

// paidRefused: the backend refused the matter the resident paid for.
func (m *Machine) paidRefused(msg string, fx *effects) {
	m.pay.refused = msg
	m.payState(PayRefunding)
	fx.add(RefundPayment{TxID: m.pay.txID, Reason: "事项未办成：" + msg}, Light{LightBusy})
	m.goTo(ScreenPayment, fx)
}

// payAction handles the resident's actions on the payment screen; it
// reports whether ev was one.
func (m *Machine) payAction(ev Event, fx *effects) bool {
	if m.screen != ScreenPayment {
		return false
	}
	switch ev.(type) {
	case ConfirmPayment:
		if m.pay.state == PayConfirm {
			m.payState(PayWaiting)
			m.pay.asked = m.now
			fx.add(Speak{m.payPrompt()})
		}
	case PayAgain:
		if m.pay.state == PayFailed && m.pay.tries < maxPayTries {
			m.startPayment(fx)
		}
	case Continue:
		switch m.pay.state {
		case PayNothing:
			m.sendTx(fx)
		case PayRefunded:
			m.showResult(fx)
		case PayFailed, PayNoOrder, PayMismatch, PayUnknown:
			m.endSession(ReasonFinished, fx)
		}
	case Finish:
		if !m.payBusy() {
			m.endSession(ReasonFinished, fx)
		}
	case Home, Cancel, Back:
		if m.payBusy() {
			return true // a charge or a refund is under way: its answer first
		}
		if _, ok := ev.(Back); ok && m.pay.state != PayConfirm && m.pay.state != PayWaiting {
			return true
		}
		if m.pay.state == PayRefunded {
			m.showResult(fx)
			return true
		}
		m.endSession(m.reason(ReasonCancelled), fx)
	default:
		return false
	}
	return true
}

// payBusy: money may be moving; the resident waits for its answer.
func (m *Machine) payBusy() bool {
	if m.screen != ScreenPayment {
		return false
	}
	switch m.pay.state {
	case PayOrdering, PayCharging, PayChecking, PayRefunding:
		return true
	}
	return false
}

// payTimers: ask about QR payments and unknown outcomes; give up waiting
// without giving up the payment (the host resolves it).
func (m *Machine) payTimers(fx *effects) bool {
	if m.screen != ScreenPayment {
		return false
	}
	in := m.now.Sub(m.pay.since)
	switch m.pay.state {
	case PayOrdering:
		if in >= m.t.Submit {
			m.payState(PayNoOrder)
			fx.add(Speak{m.payPrompt()}, Light{LightAttention})
		}
		return true
	case PayCharging:
		if in >= payCharge {
			m.payState(PayChecking)
		}
		return true
	case PayRefunding:
		if in >= m.t.Submit {
			m.paymentRefunded(PaymentRefunded{TxID: m.pay.txID, Err: errNoAnswer}, fx)
		}
		return true
	case PayChecking, PayPhone:
		if in >= payCheck {
			m.payState(PayUnknown)
			fx.add(Speak{m.payPrompt()}, Light{LightAttention})
			return true
		}
		m.askPayment(fx)
		return m.pay.state == PayChecking
	case PayWaiting, PayUnknown:
		m.askPayment(fx) // a QR code paid on a phone, a late answer
	}
	return false
}

func (m *Machine) askPayment(fx *effects) {
	if m.now.Sub(m.pay.asked) >= payPollEvery {
		m.pay.asked = m.now
		fx.add(QueryPayment{TxID: m.pay.txID})
	}
}

// releasePayment lets the host see the payment to its end.
func (m *Machine) releasePayment(fx *effects) {
	if m.pay.live {
		fx.add(ReleasePayment{TxID: m.pay.txID})
	}
	m.pay = payStage{}
}

func (m *Machine) payTitle() string {
	switch m.pay.state {
	case PayOrdering:
		return "正在生成缴费单"
	case PayConfirm:
		return "请核对缴费信息"
	case PayWaiting:
		return "请扫码支付"
	case PayCharging, PayChecking:
		return "正在支付"
	case PayPhone:
		return "请在手机上确认"
	case PayFailed:
		return "支付没有成功"
	case PayUnknown:
		return "支付结果确认中"
	case PayNoOrder, PayMismatch:
		return "暂时无法缴费"
	case PayNothing:
		return "本次无需缴费"
	case PayRefunding:
		return "正在退款"
	case PayRefunded:
		return "已为您退款"
	}
	return "缴费"
}

func (m *Machine) payPrompt() string {
	hot := m.hotline()
	amount := ""
	if o := m.pay.order; o != nil {
		amount = o.Amount.String()
	}
	switch m.pay.state {
	case PayOrdering:
		return "正在生成缴费单，请稍候"
	case PayConfirm:
		return "请核对收款单位和金额，无误请点「确认缴费」"
	case PayWaiting:
		return "请用手机扫描屏幕上的二维码付款，或打开付款码，对准下方的扫码窗口"
	case PayCharging, PayChecking:
		return "正在支付，请稍候，不要离开"
	case PayPhone:
		return "请在手机上确认付款"
	case PayFailed:
		why := "支付没有成功，没有扣款。"
		if o := m.pay.order; o != nil && o.Failure != "" {
			why = o.Failure
		}
		if m.pay.tries < maxPayTries {
			return why + "可以点「重新支付」再试一次。"
		}
		return why + "请稍后再来，或拨打热线 " + hot + "。"
	case PayUnknown:
		return "支付结果暂时无法确认。不会重复扣款：如果钱已经扣了，本机会为您办好这件事或原路退款。如有疑问请拨打热线 " + hot + "。"
	case PayNoOrder:
		return "暂时连不上缴费系统，没有扣款。请稍后再来，或拨打热线 " + hot + "。"
	case PayMismatch:
		return "缴费金额核对不一致，本机没有收费。请拨打热线 " + hot + "，工作人员会帮您处理。"
	case PayNothing:
		return "系统核定您本次无需缴费，请点「继续办理」"
	case PayRefunding:
		return "事项没有办成，正在为您退款，请稍候"
	case PayRefunded:
		why := "事项没有办成"
		if m.pay.refused != "" {
			why = m.pay.refused
		}
		if o := m.pay.order; o != nil && o.RefundNo != "" {
			return why + "。已为您退款 " + amount + "，原路退回付款账户，一般1至3个工作日到账。"
		}
		return why + "。您付的 " + amount + " 会原路退回付款账户，本机会自动办理退款。如有疑问请拨打热线 " + hot + "。"
	}
	return ""
}

// payView is the payment stage as shown.
func (m *Machine) payView() *PaymentView {
	v := &PaymentView{State: m.pay.state, Cash: cashWords}
	if o := m.pay.order; o != nil {
		v.OrderNo, v.Amount, v.Payee, v.Item = o.OrderNo, o.Amount.String(), o.Payee, o.Item
		v.Channel, v.PayerTail, v.RefundNo = ChannelName(o.Channel), o.PayerTail, o.RefundNo
		switch m.pay.state {
		case PayWaiting, PayPhone:
			v.QR = o.QRURL
		}
	}
	switch m.pay.state {
	case PayConfirm:
		v.ConfirmLabel = "确认缴费 " + v.Amount
	case PayWaiting:
		v.ScanHere = true
	case PayFailed:
		v.CanRetry = m.pay.tries < maxPayTries
	case PayNothing:
		v.CanContinue = true
	}
	switch m.pay.state {
	case PayFailed, PayUnknown, PayNoOrder, PayMismatch, PayNothing, PayRefunded:
		v.Message = m.payPrompt()
	}
	return v
}

// ChannelName is a payment channel in residents' words.
func ChannelName(c string) string {
	switch c {
	case "wechat":
		return "微信支付"
	case "alipay":
		return "支付宝"
	case "unionpay":
		return "云闪付"
	}
	return ""
}
