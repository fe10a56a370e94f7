package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const (
	payWechat = "134567890123456789"
	payURL    = "https://pay.example.cn/q/ZMP2026120200000001"
)

// payHarness is a harness; its catalog has a payment matter (pension-pay).
func payHarness(t *testing.T) *harness { return newHarness(t) }

func order(step payment.Step) *PayOrder {
	return &PayOrder{OrderNo: "ZMP2026120200000001", Step: step, Amount: 50000, Payee: "中牟县社会保险中心",
		Item: "城乡居民养老保险费（2026年度 500元档）", QRURL: payURL, ExpiresAt: time.Date(2026, 11, 25, 2, 15, 0, 0, time.UTC)}
}

// toPayment takes the payment matter to its order and returns the
// transaction id.
func toPayment(h *harness) string {
	h.t.Helper()
	toForm(h, "pension-pay")
	fx := h.do(FieldInput{"grade", "500"}, Submit{}, Submit{})
	h.want(ScreenPayment)
	if _, ok := find[SubmitTx](fx); ok {
		h.t.Fatal("the matter went out before it was paid")
	}
	op, ok := find[OpenPayment](fx)
	if !ok || op.Tx.ServiceID != "pension-pay" || op.Tx.Fields["grade"] != "500" {
		h.t.Fatalf("open payment: %+v", fx)
	}
	if v := h.m.View(); v.Payment == nil || v.Payment.State != PayOrdering {
		h.t.Fatalf("ordering view %+v", v.Payment)
	}
	h.do(PaymentOpened{TxID: op.Tx.ID, Order: order(payment.StepOpen)})
	v := h.m.View()
	if p := v.Payment; p == nil || p.State != PayConfirm || p.Amount != "¥500.00" || p.Payee != "中牟县社会保险中心" ||
		p.ConfirmLabel != "确认缴费 ¥500.00" || p.QR != "" || p.Cash == "" {
		h.t.Fatalf("confirm view %+v", v.Payment)
	}
	h.do(ConfirmPayment{})
	if p := h.m.View().Payment; p.State != PayWaiting || p.QR != payURL || !p.ScanHere {
		h.t.Fatalf("waiting view %+v", p)
	}
	return op.Tx.ID
}

func TestPaidByScannedCode(t *testing.T) {
	h := payHarness(t)
	id := toPayment(h)
	fx := h.do(Scanned{Text: payWechat})
	ch, ok := find[ChargePayment](fx)
	if !ok || ch.TxID != id || ch.Code != payWechat {
		t.Fatalf("charge: %+v", fx)
	}
	if h.m.View().Payment.State != PayCharging {
		t.Fatal("not charging")
	}
	// A second scan while charging charges nothing.
	if _, ok := find[ChargePayment](h.do(Scanned{Text: payWechat})); ok {
		t.Fatal("charged twice")
	}
	// Cancel is held while the money moves.
	h.do(Cancel{})
	h.want(ScreenPayment)
	paid := order(payment.StepPaid)
	paid.Channel, paid.PayerTail = "wechat", "6789"
	fx = h.do(PaymentUpdate{TxID: id, Order: paid})
	st, ok := find[SubmitTx](fx)
	if !ok || st.Tx.PaymentOrder != paid.OrderNo || st.Tx.ID != id {
		t.Fatalf("submit after paying: %+v", fx)
	}
	h.want(ScreenSubmitting)
	h.do(Submitted{Result: txn.Result{TxID: id, Outcome: txn.Completed, TrackingNo: "K7QH2M4X", Message: "缴费成功"}})
	h.want(ScreenResult)
	if _, ok := find[RefundPayment](h.fx); ok {
		t.Fatal("refunded a completed matter")
	}
	h.do(Printed{}, Finish{}, SkipRating{})
	if r, ok := find[ReleasePayment](h.fx); !ok || r.TxID != id || len(h.ended) == 0 {
		t.Fatalf("the session did not let go of the payment: %v %+v", h.m.Screen(), h.last)
	}
}

func TestPaidByQRCodeFoundByAsking(t *testing.T) {
	h := payHarness(t)
	id := toPayment(h)
	var asked int
	for range 4 {
		if q, ok := find[QueryPayment](h.tick(time.Second)); ok && q.TxID == id {
			asked++
		}
	}
	if asked == 0 {
		t.Fatal("the kiosk never asked whether the QR code was paid")
	}
	h.do(PaymentUpdate{TxID: id, Order: order(payment.StepOpen)})
	h.want(ScreenPayment)
	fx := h.do(PaymentUpdate{TxID: id, Order: order(payment.StepPaid)})
	if _, ok := find[SubmitTx](fx); !ok {
		t.Fatal("paid on the phone, not sent")
	}
}

func TestScannedGarbageAndWrongScreens(t *testing.T) {
	h := payHarness(t)
	h.do(Start{})
	h.do(Scanned{Text: payWechat}) // home wants no code
	if v := h.m.View(); v.Screen != ScreenHome || !strings.Contains(v.Notice, "不需要扫码") {
		t.Fatalf("a code on home: %s %q", v.Screen, v.Notice)
	}
	h.do(Cancel{})
	id := toPayment(h)
	for _, bad := range []string{"", "hello", "12345", strings.Repeat("1", 200), "\x00\x1b[2J134567890123456789", "https://evil.example/pay"} {
		if _, ok := find[ChargePayment](h.do(Scanned{Text: bad})); ok {
			t.Fatalf("charged with %q", bad)
		}
		if v := h.m.View(); v.Payment.State != PayWaiting || !strings.Contains(v.Notice, "付款码") {
			t.Fatalf("after %q: %+v %q", bad, v.Payment, v.Notice)
		}
	}
	_ = id
}

func TestDeclinedThenPaid(t *testing.T) {
	h := payHarness(t)
	id := toPayment(h)
	h.do(Scanned{Text: payWechat})
	failed := order(payment.StepFailed)
	failed.Failure = "余额不足，请换一张卡或换一种付款方式。"
	h.do(PaymentUpdate{TxID: id, Order: failed})
	v := h.m.View()
	if v.Payment.State != PayFailed || !v.Payment.CanRetry || !strings.Contains(v.Payment.Message, "余额不足") {
		t.Fatalf("declined view %+v", v.Payment)
	}
	fx := h.do(PayAgain{})
	if op, ok := find[OpenPayment](fx); !ok || op.Tx.ID != id {
		t.Fatalf("a new attempt is not the same transaction: %+v", fx)
	}
}

func TestUnknownOutcomeIsAskedNeverCharged(t *testing.T) {
	h := payHarness(t)
	id := toPayment(h)
	h.do(Scanned{Text: payWechat})
	h.do(PaymentUpdate{TxID: id, Err: errors.New("lost answer")})
	if h.m.View().Payment.State != PayChecking {
		t.Fatal("a lost answer is not checked")
	}
	charges := 0
	for range 200 {
		fx := h.tick(time.Second)
		if _, ok := find[ChargePayment](fx); ok {
			charges++
		}
	}
	if charges != 0 {
		t.Fatalf("charged %d more times", charges)
	}
	v := h.m.View()
	if v.Payment.State != PayUnknown || !strings.Contains(v.Payment.Message, "不会重复扣款") {
		t.Fatalf("after waiting: %+v", v.Payment)
	}
	// The answer comes late: the matter goes on.
	if _, ok := find[SubmitTx](h.do(PaymentUpdate{TxID: id, Order: order(payment.StepPaid)})); !ok {
		t.Fatal("a late paid answer did not send the matter")
	}
}

func TestAbandonedPaymentIsReleased(t *testing.T) {
	for _, leave := range []struct {
		name string
		do   func(h *harness)
	}{
		{"cancel", func(h *harness) { h.do(Cancel{}) }},
		{"timeout", func(h *harness) {
			for range 40 {
				h.tick(10 * time.Second)
			}
		}},
	} {
		t.Run(leave.name, func(t *testing.T) {
			h := payHarness(t)
			id := toPayment(h)
			leave.do(h)
			if r, ok := find[ReleasePayment](h.fx); !ok || r.TxID != id {
				t.Fatalf("not released: %v", h.m.Screen())
			}
			if h.m.Screen() == ScreenPayment {
				t.Fatal("still on the payment screen")
			}
			if _, ok := find[SubmitTx](h.fx); ok {
				t.Fatal("an unpaid matter was sent")
			}
		})
	}
}

func TestRefusedAfterPaymentIsRefunded(t *testing.T) {
	h := payHarness(t)
	id := toPayment(h)
	h.do(Scanned{Text: payWechat}, PaymentUpdate{TxID: id, Order: order(payment.StepPaid)})
	fx := h.do(Submitted{Result: txn.Result{TxID: id, Outcome: txn.Rejected, Message: "该事项本年度已由其他渠道办理"}})
	h.want(ScreenPayment)
	rf, ok := find[RefundPayment](fx)
	if !ok || rf.TxID != id || !strings.Contains(rf.Reason, "其他渠道") {
		t.Fatalf("refund: %+v", fx)
	}
	refunded := order(payment.StepRefunded)
	refunded.RefundNo = "ZMR2026120200000001"
	h.do(PaymentRefunded{TxID: id, Order: refunded})
	v := h.m.View()
	if v.Payment.State != PayRefunded || !strings.Contains(v.Payment.Message, "已为您退款 ¥500.00") {
		t.Fatalf("refunded view %+v", v.Payment)
	}
	h.do(Continue{})
	h.want(ScreenResult)
}

func TestNothingDueGoesOn(t *testing.T) {
	h := payHarness(t)
	toForm(h, "pension-pay")
	fx := h.do(FieldInput{"grade", "300"}, Submit{}, Submit{})
	op, _ := find[OpenPayment](fx)
	h.do(PaymentOpened{TxID: op.Tx.ID, Err: PayErrNothing})
	if v := h.m.View(); !v.Payment.CanContinue {
		t.Fatalf("nothing due view %+v", v.Payment)
	}
	st, ok := find[SubmitTx](h.do(Continue{}))
	if !ok || st.Tx.PaymentOrder != "" {
		t.Fatalf("nothing due: %+v", h.last)
	}
}

func TestNoOrderNoMoney(t *testing.T) {
	for _, e := range []PayErr{PayErrUnreached, PayErrMismatch, PayErrRefused} {
		h := payHarness(t)
		toForm(h, "pension-pay")
		fx := h.do(FieldInput{"grade", "300"}, Submit{}, Submit{})
		op, _ := find[OpenPayment](fx)
		h.do(PaymentOpened{TxID: op.Tx.ID, Err: e})
		v := h.m.View()
		if v.Payment.ScanHere || v.Payment.QR != "" || !strings.Contains(v.Payment.Message, testHotline) {
			t.Fatalf("%s: %+v", e, v.Payment)
		}
		if _, ok := find[ChargePayment](h.do(Scanned{Text: payWechat})); ok {
			t.Fatalf("%s: charged without an order", e)
		}
		h.do(Continue{})
		if _, ok := find[ReleasePayment](h.fx); !ok {
			t.Fatalf("%s: not released", e)
		}
	}
}

func TestScannedTrackingNumber(t *testing.T) {
	h := newHarness(t)
	h.cat.Services = append(h.cat.Services, catalog.Service{ID: "track", Name: "办件进度查询", Category: "civil",
		Department: "县政务服务中心", Kind: catalog.KindQuery, Hours: catalog.Hours{Always: true},
		Offline: catalog.OfflineOnlineOnly, Status: catalog.StatusActive,
		Form: []catalog.Field{{ID: "no", Label: "办件编号", Type: catalog.FieldTracking, Required: true}}})
	h.do(Start{}, ChooseService{"track"}, Start{})
	h.want(ScreenForm)
	h.do(FieldFocus{"no"})
	no := txn.TrackingNo("ZM-K07", txn.NewID(h.clk.now()))
	h.do(Scanned{Text: "https://zwfw.example.cn/t/" + no})
	if v := h.m.View(); !strings.Contains(fieldValue(v, "no"), no) && fieldValue(v, "no") == "" {
		t.Fatalf("scanned receipt not in the field: %+v", v.Form)
	}
	h.do(FieldInput{"no", ""}, Scanned{Text: "not a receipt"})
	if v := h.m.View(); fieldValue(v, "no") != "" || !strings.Contains(v.Notice, "没有认出") {
		t.Fatalf("garbage: %q %q", fieldValue(v, "no"), v.Notice)
	}
}

func fieldValue(v View, id string) string {
	for _, f := range v.Form {
		if f.ID == id {
			return f.Value
		}
	}
	return ""
}
