package scenes

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// PayService is the demonstration payment matter (缴费): a resident's
// yearly pension contribution, paid at the kiosk.
func PayService() catalog.Service {
	return catalog.Service{ID: "pension-pay", Name: "城乡居民养老保险费缴纳", Category: "social", Department: "中牟县社会保险中心",
		Kind: catalog.KindApply, Payment: true, NeedsIDCard: true, Hours: catalog.Hours{Always: true},
		Offline: catalog.OfflineOnlineOnly, Popularity: 20, Status: catalog.StatusActive,
		Form: []catalog.Field{
			{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, CardField: "name"},
			{ID: "grade", Label: "缴费档次（元/年）", Type: catalog.FieldChoice, Required: true,
				Choices: []catalog.Choice{{Value: "300", Label: "300"}, {Value: "500", Label: "500"}}},
		},
		Receipt: catalog.Receipt{Title: "居民养老缴费凭条"}}
}

// PayOrder is the demonstration order of PayService in a step.
func PayOrder(step payment.Step) *session.PayOrder {
	return &session.PayOrder{OrderNo: "ZMP2026112600000007", Step: step, Amount: 50000, Payee: "中牟县社会保险中心",
		Item: "城乡居民养老保险费（2026年度 500元档）", QRURL: "https://pay.zhongmu.gov.cn/q/ZMP2026112600000007",
		ExpiresAt: time.Date(2026, 11, 26, 2, 45, 0, 0, time.UTC)}
}

// payCode is a made-up WeChat payment code (付款码) as the scanner reads it.
const payCode = "134567890123456789"

// Payments returns one scene per state of the payment screen, elder true
// in elder mode, from a real Machine on the demonstration catalog with
// PayService added (a catalog of its own, so the other scenes keep their
// lists): the order being made, 确认缴费, the QR code and the scanner
// window (and a code that is not a payment code), a charge, a payment
// confirmed on the phone, its outcome asked for and not known, declined,
// no order, a wrong amount, nothing due, and a paid matter the backend
// refused, refunded.
func Payments(elder bool) []Scene {
	var out []Scene
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	c := Catalog()
	c.Services = append(c.Services, PayService())
	m := session.New(&session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07",
		HallName: HallName, HallID: "cgz", Now: func() time.Time { return now }, Payments: true})
	var txID string
	do := func(evs ...session.Event) {
		for _, ev := range evs {
			for _, fx := range m.Handle(ev) {
				if o, ok := fx.(session.OpenPayment); ok {
					txID = o.Tx.ID
				}
			}
		}
	}
	snap := func(name string) { out = append(out, Scene{Name: name, View: m.View()}) }
	later := func(d time.Duration) {
		now = now.Add(d)
		do(session.Tick{Now: now})
	}
	// begin takes a new resident to the payment matter's order.
	begin := func() {
		do(session.Start{})
		if elder {
			do(session.ToggleElder{})
		}
		do(session.ChooseService{ID: "pension-pay"}, session.Start{}, session.CardPresent{Card: Card()},
			session.ConfirmIdentity{}, session.FieldInput{ID: "grade", Value: "500"}, session.Submit{})
		now = now.Add(time.Second)
		do(session.Submit{})
	}
	end := func() { do(session.Continue{}, session.CardRemoved{}, session.Finish{}, session.Finish{}) }

	begin()
	snap("payment_ordering")
	do(session.PaymentOpened{TxID: txID, Order: PayOrder(payment.StepOpen)})
	snap("payment_confirm")
	do(session.ConfirmPayment{})
	snap("payment_waiting")
	do(session.Scanned{Text: payCode})
	snap("payment_charging")
	do(session.PaymentUpdate{TxID: txID, Err: errUnreachable{}})
	snap("payment_checking")
	do(session.PaymentUpdate{TxID: txID, Order: PayOrder(payment.StepPaying)})
	snap("payment_phone")
	declined := PayOrder(payment.StepFailed)
	declined.Failure = "付款码账户余额不足，没有扣款。"
	do(session.PaymentUpdate{TxID: txID, Order: declined})
	snap("payment_failed")
	do(session.PayAgain{}, session.PaymentOpened{TxID: txID, Err: session.PayErrUnreached})
	snap("payment_unreached")
	end()

	begin()
	do(session.PaymentOpened{TxID: txID, Err: session.PayErrMismatch})
	snap("payment_mismatch")
	end()

	begin()
	do(session.PaymentOpened{TxID: txID, Err: session.PayErrNothing})
	snap("payment_nothing_due")
	do(session.Cancel{}, session.CardRemoved{}, session.Finish{}, session.Finish{})

	// A code that is not a payment code held to the scanner window.
	begin()
	do(session.PaymentOpened{TxID: txID, Order: PayOrder(payment.StepOpen)}, session.ConfirmPayment{},
		session.Scanned{Text: "https://example.cn/not-a-payment-code"})
	snap("payment_not_a_code")
	do(session.Cancel{}, session.CardRemoved{}, session.Finish{}, session.Finish{})

	// Confirmed on the phone, then nothing heard for two minutes.
	begin()
	do(session.PaymentOpened{TxID: txID, Order: PayOrder(payment.StepOpen)}, session.ConfirmPayment{},
		session.PaymentUpdate{TxID: txID, Order: PayOrder(payment.StepPaying)})
	for range 25 {
		later(5 * time.Second)
	}
	snap("payment_unknown")
	end()

	// Paid, then refused by the backend: the money goes back.
	begin()
	do(session.PaymentOpened{TxID: txID, Order: PayOrder(payment.StepOpen)}, session.ConfirmPayment{},
		session.Scanned{Text: payCode}, session.PaymentUpdate{TxID: txID, Order: PayOrder(payment.StepPaid)},
		session.Submitted{Result: txn.Result{TxID: txID, Outcome: txn.Rejected, Message: "您本年度的养老保险费已通过其他渠道缴纳"}})
	snap("payment_refunding")
	refunded := PayOrder(payment.StepRefunded)
	refunded.RefundNo = "ZMR2026112600000007"
	do(session.PaymentRefunded{TxID: txID, Order: refunded})
	snap("payment_refunded")
	end()
	return out
}
