package backend_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/money"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Payment codes as residents' phones show them.
const (
	wechatCode   = "134567890123456789"   // 18 digits, 10–15
	alipayCode   = "28765432109876543210" // 16–24 digits, 25–30
	unionpayCode = "6212345678901234567"  // 19 digits, 62
)

// pensionOrder creates the order of a 城乡居民养老保险 contribution at the
// 500-yuan grade for a new transaction and returns it.
func pensionOrder(t *testing.T, e *env) backend.PaymentOrder {
	t.Helper()
	id := txn.NewID(time.Now())
	o, err := e.cl.CreatePaymentOrder(context.Background(), id, 0,
		backend.PaymentOrderRequest{ServiceID: "sb-cx-jf", Fields: map[string]string{"grade": "500"}})
	if err != nil {
		t.Fatal(err)
	}
	if o.State != backend.PaymentCreated || o.TxID != id || o.AmountFen != 50000 {
		t.Fatalf("order %+v", o)
	}
	return o
}

func paymentStats(t *testing.T, e *env) countysim.PaymentStats {
	t.Helper()
	st, err := e.sim.PaymentStats()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestPaymentOrderPrice: the backend prices every payment matter from the
// matter and its pricing inputs; the kiosk sends no amount.
func TestPaymentOrderPrice(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	for _, tc := range []struct {
		name    string
		service string
		fields  map[string]string
		fen     money.Fen
		payee   string
		item    string
		reason  string // when refused
	}{
		{"pension 500 grade", "sb-cx-jf", map[string]string{"grade": "500"}, 50000, "中牟县社会保险中心", "500元档", ""},
		{"pension 5000 grade", "sb-cx-jf", map[string]string{"grade": "5000"}, 500000, "中牟县社会保险中心", "5000元档", ""},
		{"pension bad grade", "sb-cx-jf", map[string]string{"grade": "450"}, 0, "", "", "validation"},
		{"medical insurance", "yb-jm-jf", map[string]string{"year": "2026"}, 40000, "中牟县医疗保障局", "2026年度", ""},
		{"ID card fee", "hz-sfz-bl", nil, 4000, "", "工本费", ""},
		{"traffic fine", "jg-fk-jn", map[string]string{"plate_type": "02", "plate_no": "豫A12345"}, 20000, "", "罚款", ""},
		{"vehicle tax", "sw-ccs", map[string]string{"plate_type": "02"}, 42000, "国家税务总局中牟县税务局", "车船税", ""},
		{"new-energy vehicle exempt", "sw-ccs", map[string]string{"plate_type": "52"}, 0, "", "", "nothing_due"},
		{"heating", "sdq-nq-jn", map[string]string{"account": "1234567"}, 198000, "", "供暖", ""},
		{"free matter", "sb-jfjl-cx", nil, 0, "", "", "not_priced"},
		{"unknown matter", "no-such", nil, 0, "", "", "not_priced"},
		{"amount from the form", "sb-lh-jf", map[string]string{"amount": "1"}, 0, "", "", "validation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := txn.NewID(time.Now())
			o, err := e.cl.CreatePaymentOrder(context.Background(), id, 0,
				backend.PaymentOrderRequest{ServiceID: tc.service, Fields: tc.fields})
			if tc.reason != "" {
				var be *backend.Error
				if !errors.As(err, &be) || be.Reason != tc.reason || !be.Permanent {
					t.Fatalf("got %+v, %v; want a permanent %s", o, err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.AmountFen != tc.fen || o.Currency != "CNY" || o.State != backend.PaymentCreated || o.TxID != id ||
				!strings.Contains(o.Item, tc.item) || (tc.payee != "" && o.Payee != tc.payee) ||
				!strings.HasPrefix(o.QRURL, "https://") || !o.ExpiresAt.After(o.CreatedAt) {
				t.Fatalf("order %+v", o)
			}
		})
	}
}

// TestPaymentOrderOnce: repeating the creation (a lost reply) or asking
// again for a transaction with an open or paid order never makes a second
// order; after a cancel the next attempt does.
func TestPaymentOrderOnce(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	id := txn.NewID(time.Now())
	req := backend.PaymentOrderRequest{ServiceID: "yb-jm-jf", Fields: map[string]string{"year": "2026"}}
	o1, err := e.cl.CreatePaymentOrder(ctx, id, 0, req)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := e.cl.CreatePaymentOrder(ctx, id, 0, req)
	if err != nil || o2.OrderNo != o1.OrderNo {
		t.Fatalf("repeat: %+v %v", o2, err)
	}
	o3, err := e.cl.CreatePaymentOrder(ctx, id, 1, req)
	if err != nil || o3.OrderNo != o1.OrderNo {
		t.Fatalf("second attempt with an open order: %+v %v", o3, err)
	}
	// The same key with other inputs is refused, permanently.
	_, err = e.cl.CreatePaymentOrder(ctx, id, 0, backend.PaymentOrderRequest{ServiceID: "yb-jm-jf", Fields: map[string]string{"year": "2025"}})
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 422 || !be.Permanent {
		t.Fatalf("key reused: %v", err)
	}
	if c, err := e.cl.CancelPaymentOrder(ctx, o1.OrderNo); err != nil || c.State != backend.PaymentCancelled {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	o4, err := e.cl.CreatePaymentOrder(ctx, id, 2, req)
	if err != nil || o4.OrderNo == o1.OrderNo || o4.State != backend.PaymentCreated {
		t.Fatalf("attempt after a cancel: %+v %v", o4, err)
	}
	if st := paymentStats(t, e); st.Orders != 2 || st.Cancels != 1 || st.Unresolved != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestPaymentCharge: each way a payment-code charge can end, as the kiosk
// sees it and as the simulator records it.
func TestPaymentCharge(t *testing.T) {
	for _, tc := range []struct {
		name    string
		faults  countysim.Faults
		code    string
		first   backend.PaymentState // the charge's answer
		final   backend.PaymentState // after querying
		channel backend.PaymentChannel
		charges int
	}{
		{"wechat paid", countysim.Faults{}, wechatCode, backend.PaymentPaid, backend.PaymentPaid, backend.ChannelWeChat, 1},
		{"alipay paid", countysim.Faults{}, alipayCode, backend.PaymentPaid, backend.PaymentPaid, backend.ChannelAlipay, 1},
		{"unionpay paid", countysim.Faults{}, unionpayCode, backend.PaymentPaid, backend.PaymentPaid, backend.ChannelUnionPay, 1},
		{"declined", countysim.Faults{ChargeDecline: "insufficient_balance"}, wechatCode, backend.PaymentFailed, backend.PaymentFailed, "", 0},
		{"paid after the kiosk gave up", countysim.Faults{ChargeLateMS: 300}, wechatCode, backend.PaymentPaying, backend.PaymentPaid, backend.ChannelWeChat, 1},
		{"paying then failed", countysim.Faults{ChargeLateMS: 300, ChargeLateFail: true}, alipayCode, backend.PaymentPaying, backend.PaymentFailed, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, countysim.Faults{})
			o := pensionOrder(t, e)
			e.sim.SetFaults(tc.faults)
			ctx := context.Background()
			c, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, tc.code)
			if err != nil || c.State != tc.first {
				t.Fatalf("charge: %+v %v", c, err)
			}
			if c.State == backend.PaymentFailed && (c.FailureReason == "" || c.FailureMessage == "") {
				t.Fatalf("declined without a reason: %+v", c)
			}
			q := c
			deadline := time.Now().Add(3 * time.Second)
			for q.State == backend.PaymentPaying && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
				if q, err = e.cl.QueryPaymentOrder(ctx, o.OrderNo); err != nil {
					t.Fatal(err)
				}
			}
			if q.State != tc.final || q.Channel != tc.channel {
				t.Fatalf("resolved to %+v", q)
			}
			if q.State == backend.PaymentPaid && (q.PaidAt.IsZero() || q.PayerTail != tc.code[len(tc.code)-4:]) {
				t.Fatalf("paid without time or payer tail: %+v", q)
			}
			l, err := e.sim.Payments(kiosk)
			if err != nil || len(l) != 1 || l[0].Charges != tc.charges || l[0].DuplicateCharges != 0 {
				t.Fatalf("countysim holds %+v %v", l, err)
			}
			if strings.Contains(l[0].PayerCode, tc.code[:8]) {
				t.Fatalf("payment view shows the code: %q", l[0].PayerCode)
			}
		})
	}
}

// TestPaymentLostReplies: a charge, a cancel and a refund committed at the
// backend whose replies are lost are repeated as the same request and
// answered from the first: the money moves once.
func TestPaymentLostReplies(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	o := pensionOrder(t, e)

	e.sim.SetFaults(countysim.Faults{PaymentDropReplyRate: 1})
	if _, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, wechatCode); !errors.Is(err, backend.ErrUnreachable) {
		t.Fatalf("dropped reply: %v", err)
	}
	e.sim.SetFaults(countysim.Faults{})
	c, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, wechatCode)
	if err != nil || c.State != backend.PaymentPaid {
		t.Fatalf("repeat: %+v %v", c, err)
	}
	// Another code for the same order: refused, nothing charged.
	_, err = e.cl.ChargePaymentCode(ctx, o.OrderNo, alipayCode)
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 422 || !be.Permanent {
		t.Fatalf("second code: %v", err)
	}
	if strings.Contains(err.Error(), alipayCode) || strings.Contains(err.Error(), wechatCode) {
		t.Fatalf("error carries a payment code: %v", err)
	}

	e.sim.SetFaults(countysim.Faults{PaymentDropReplyRate: 1})
	if _, err := e.cl.RefundPaymentOrder(ctx, o.OrderNo, "业务未受理，全额退款"); !errors.Is(err, backend.ErrUnreachable) {
		t.Fatalf("dropped refund reply: %v", err)
	}
	e.sim.SetFaults(countysim.Faults{})
	r, err := e.cl.RefundPaymentOrder(ctx, o.OrderNo, "业务未受理，全额退款")
	if err != nil || r.State != backend.PaymentRefunded || r.Refund == nil || r.Refund.AmountFen != o.AmountFen ||
		!backend.ValidOrderNo(r.Refund.RefundNo) {
		t.Fatalf("refund: %+v %v", r, err)
	}
	// (Go's transport itself repeats a request carrying an Idempotency-Key
	// once when the connection drops: more dropped replies than calls.)
	st := paymentStats(t, e)
	if st.Charges != 1 || st.DuplicateCharges != 0 || st.Refunds != 1 || st.Payments != 1 || st.Replayed < 2 || st.DroppedReply < 2 {
		t.Fatalf("stats %+v", st)
	}
}

// TestPaymentDuplicateFaultUnused: with the simulator willing to charge an
// order twice, the client's repeats still never do (its key is the
// order's).
func TestPaymentDuplicateFaultUnused(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	o := pensionOrder(t, e)
	e.sim.SetFaults(countysim.Faults{ChargeTwice: true, PaymentDropReplyRate: 1})
	for range 3 {
		if _, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, wechatCode); !errors.Is(err, backend.ErrUnreachable) {
			t.Fatalf("dropped reply: %v", err)
		}
	}
	e.sim.SetFaults(countysim.Faults{ChargeTwice: true})
	if c, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, wechatCode); err != nil || c.State != backend.PaymentPaid {
		t.Fatalf("charge: %+v %v", c, err)
	}
	if st := paymentStats(t, e); st.Charges != 1 || st.DuplicateCharges != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestPaymentCancelAndRefund: what cancel and refund answer in each state.
func TestPaymentCancelAndRefund(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name         string
		prepare      func(t *testing.T, e *env, no string)
		cancelState  backend.PaymentState
		refundReason string // refund refused with this reason; "" refunded
	}{
		{"unpaid", func(*testing.T, *env, string) {}, backend.PaymentCancelled, "order_not_refundable"},
		{"paid by code", func(t *testing.T, e *env, no string) {
			if _, err := e.cl.ChargePaymentCode(ctx, no, wechatCode); err != nil {
				t.Fatal(err)
			}
		}, backend.PaymentPaid, ""},
		{"paid by QR", func(t *testing.T, e *env, no string) {
			if _, err := e.sim.PayByQR(no, backend.ChannelAlipay); err != nil {
				t.Fatal(err)
			}
		}, backend.PaymentPaid, ""},
		{"paying", func(t *testing.T, e *env, no string) {
			e.sim.SetFaults(countysim.Faults{ChargeLateMS: 60_000})
			if c, err := e.cl.ChargePaymentCode(ctx, no, wechatCode); err != nil || c.State != backend.PaymentPaying {
				t.Fatal(c, err)
			}
		}, backend.PaymentCancelled, "order_not_refundable"},
		{"declined", func(t *testing.T, e *env, no string) {
			e.sim.SetFaults(countysim.Faults{ChargeDecline: "code_expired"})
			if _, err := e.cl.ChargePaymentCode(ctx, no, wechatCode); err != nil {
				t.Fatal(err)
			}
		}, backend.PaymentFailed, "order_not_refundable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, countysim.Faults{})
			o := pensionOrder(t, e)
			tc.prepare(t, e, o.OrderNo)
			e.sim.SetFaults(countysim.Faults{})
			c, err := e.cl.CancelPaymentOrder(ctx, o.OrderNo)
			if err != nil || c.State != tc.cancelState {
				t.Fatalf("cancel: %+v %v", c, err)
			}
			r, err := e.cl.RefundPaymentOrder(ctx, o.OrderNo, "居民放弃办理")
			if tc.refundReason != "" {
				var be *backend.Error
				if !errors.As(err, &be) || be.Reason != tc.refundReason || !be.Permanent {
					t.Fatalf("refund: %+v %v", r, err)
				}
				return
			}
			if err != nil || r.State != backend.PaymentRefunded || r.Refund.AmountFen != o.AmountFen {
				t.Fatalf("refund: %+v %v", r, err)
			}
			// The order stays refunded; a cancel now says so.
			if c, err := e.cl.CancelPaymentOrder(ctx, o.OrderNo); err != nil || c.State != backend.PaymentPaid {
				// The cancel's first answer (paid) is replayed: same key.
				t.Fatalf("cancel again: %+v %v", c, err)
			}
			if q, err := e.cl.QueryPaymentOrder(ctx, o.OrderNo); err != nil || q.State != backend.PaymentRefunded {
				t.Fatalf("query: %+v %v", q, err)
			}
		})
	}
}

// TestPaymentClientRefusals: requests the client refuses before sending.
func TestPaymentClientRefusals(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	o := pensionOrder(t, e)
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"code too short", func() error { _, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, "1345"); return err }},
		{"code not digits", func() error {
			_, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, "13456789012345678X")
			return err
		}},
		{"code over-long", func() error {
			_, err := e.cl.ChargePaymentCode(ctx, o.OrderNo, strings.Repeat("1", 200))
			return err
		}},
		{"order number lower case", func() error { _, err := e.cl.QueryPaymentOrder(ctx, "zmp2026abc"); return err }},
		{"order number with a path", func() error { _, err := e.cl.CancelPaymentOrder(ctx, "../../v1/x"); return err }},
		{"refund without reason", func() error { _, err := e.cl.RefundPaymentOrder(ctx, o.OrderNo, " "); return err }},
		{"order without transaction", func() error {
			_, err := e.cl.CreatePaymentOrder(ctx, "", 0, backend.PaymentOrderRequest{ServiceID: "sb-cx-jf"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var be *backend.Error
			if err := tc.call(); !errors.As(err, &be) || !be.Permanent || be.Reason != "validation" || be.Status != 0 {
				t.Fatalf("got %v, want a permanent validation error before sending", err)
			}
		})
	}
	if st := paymentStats(t, e); st.Requests != 1 {
		t.Fatalf("requests reached countysim: %+v", st)
	}
	// An order of another kiosk is not found.
	_, err := e.cl.QueryPaymentOrder(ctx, "ZMP20261202ABCDEF123456")
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("unknown order: %v", err)
	}
}

// TestHeartbeatPayments: the kiosk's own count of payments awaiting
// resolution reaches the county's per-kiosk view beside countysim's count.
func TestHeartbeatPayments(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	pensionOrder(t, e)
	if err := e.cl.Heartbeat(context.Background(), backend.Heartbeat{KioskID: kiosk, SoftwareVersion: "test",
		PaymentsUnresolved: 2}); err != nil {
		t.Fatal(err)
	}
	l, err := e.sim.Kiosks()
	if err != nil || len(l) != 1 || l[0].Heartbeat.PaymentsUnresolved != 2 || l[0].PaymentsOpen != 1 {
		t.Fatalf("kiosks %+v %v", l, err)
	}
}

// resolve follows the contract's procedure for one payment: charge once
// per order (repeating the same request after a failure is safe), query
// every unknown outcome, and, when the resident abandons once the code is
// sent, cancel and refund a payment that came in anyway. It returns the
// final state.
func resolve(t *testing.T, e *env, o backend.PaymentOrder, code string, abandon bool) backend.PaymentState {
	t.Helper()
	ctx := context.Background()
	state := backend.PaymentCreated
	charged := false
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var got backend.PaymentOrder
		var err error
		switch {
		case abandon && charged && state.Unresolved():
			got, err = e.cl.CancelPaymentOrder(ctx, o.OrderNo)
		case abandon && charged && state == backend.PaymentPaid:
			got, err = e.cl.RefundPaymentOrder(ctx, o.OrderNo, "居民放弃办理，全额退款")
		case state == backend.PaymentCreated:
			charged = true
			got, err = e.cl.ChargePaymentCode(ctx, o.OrderNo, code)
		case state == backend.PaymentPaying:
			time.Sleep(20 * time.Millisecond)
			got, err = e.cl.QueryPaymentOrder(ctx, o.OrderNo)
		default:
			return state
		}
		if err != nil {
			var be *backend.Error
			if errors.As(err, &be) && be.Permanent && be.Reason != "order_not_payable" {
				t.Fatalf("order %s: %v", o.OrderNo, err)
			}
			// Unknown outcome: ask the backend where the order stands.
			if got, err = e.cl.QueryPaymentOrder(ctx, o.OrderNo); err != nil {
				continue
			}
		}
		state = got.State
	}
	t.Fatalf("order %s unresolved in state %s", o.OrderNo, state)
	return state
}

// TestPaymentsUnderFaults: many payments through dropped connections,
// dropped replies, late settlement and a backend willing to charge twice;
// following the contract, every payment ends paid, cancelled or refunded,
// none is charged twice, none is left unresolved.
func TestPaymentsUnderFaults(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	const n = 24
	orders := make([]backend.PaymentOrder, n)
	for i := range orders {
		orders[i] = pensionOrder(t, e)
	}
	e.sim.SetFaults(countysim.Faults{DropRate: 0.1, PaymentDropReplyRate: 0.3, ChargeLateMS: 60, ChargeTwice: true})
	count := map[backend.PaymentState]int{}
	for i, o := range orders {
		if i == n/2 { // the second half is paid at once: the abandoned ones are refunded
			e.sim.SetFaults(countysim.Faults{DropRate: 0.1, PaymentDropReplyRate: 0.3, ChargeTwice: true})
		}
		count[resolve(t, e, o, []string{wechatCode, alipayCode, unionpayCode}[i%3], i%4 == 3)]++
	}
	e.sim.SetFaults(countysim.Faults{})
	st := paymentStats(t, e)
	t.Logf("paid %d, cancelled %d, refunded %d; %+v", count[backend.PaymentPaid], count[backend.PaymentCancelled],
		count[backend.PaymentRefunded], st)
	if count[backend.PaymentPaid] != n-n/4 || count[backend.PaymentCancelled]+count[backend.PaymentRefunded] != n/4 ||
		count[backend.PaymentRefunded] == 0 {
		t.Fatalf("outcomes %v", count)
	}
	if st.DuplicateCharges != 0 || st.Unresolved != 0 || st.Payments != count[backend.PaymentPaid]+count[backend.PaymentRefunded] ||
		st.Refunds != count[backend.PaymentRefunded] || st.Cancels != count[backend.PaymentCancelled] {
		t.Fatalf("countysim %+v", st)
	}
}
