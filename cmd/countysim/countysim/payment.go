package countysim

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/money"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The payment side of the county backend: orders the backend prices for a
// transaction, charged to a resident's payment code or paid from the
// order's QR code on the resident's phone, cancelled or refunded. Every
// order and every answer to an Idempotency-Key live in the same store as
// the transactions, so a repeated request is answered from the store even
// after countysim restarts.

var (
	bucketPayOrders = []byte("payment_orders") // order_no → payOrder
	bucketPayKeys   = []byte("payment_keys")   // kiosk \0 Idempotency-Key → payAnswer
	bucketPayTx     = []byte("payment_tx")     // kiosk \0 tx id → order numbers, oldest first
	bucketMeta      = []byte("meta")           // "key_secret": keys request fingerprints
)

// QRPayBase is where the payment links of countysim's orders point.
const QRPayBase = "https://pay.zhongmu.gov.cn/q/"

// orderLifetime is how long an order's QR code can be paid.
const orderLifetime = 15 * time.Minute

// payOrder is one order as the simulator keeps it.
type payOrder struct {
	KioskID   string               `json:"kiosk_id"`
	ServiceID string               `json:"service_id"`
	Order     backend.PaymentOrder `json:"order"`
	// PayerCode is the masked payment code that paid (****1234): the
	// code itself is never stored.
	PayerCode string `json:"payer_code,omitempty"`
	// Charges counts payment-code charges that moved money on this
	// order; DuplicateCharges those after the first (only the
	// ChargeTwice fault lets one happen).
	Charges          int `json:"charges"`
	DuplicateCharges int `json:"duplicate_charges"`
	// RefusedCharges counts charges refused because the order was no
	// longer payable (a second code, a charge after a cancel).
	RefusedCharges int `json:"refused_charges"`
	// LateDue is when a charge answered "paying" ends, LateFail whether
	// it then fails instead of succeeding (ChargeLateMS).
	LateDue  time.Time `json:"late_due,omitzero"`
	LateFail bool      `json:"late_fail,omitempty"`
}

// payAnswer is the first answer given to an Idempotency-Key.
type payAnswer struct {
	Op     string `json:"op"`
	Print  string `json:"print"` // keyed fingerprint of the request (never the request)
	Status int    `json:"status"`
	Body   []byte `json:"body"`
	Type   string `json:"type"`
}

// PaymentView is one order as the test endpoint lists it: nothing of the
// payment code but its last four digits.
type PaymentView struct {
	KioskID          string                 `json:"kiosk_id"`
	OrderNo          string                 `json:"order_no"`
	TxID             string                 `json:"tx_id"`
	ServiceID        string                 `json:"service_id"`
	AmountFen        money.Fen              `json:"amount_fen"`
	Item             string                 `json:"item"`
	State            backend.PaymentState   `json:"state"`
	Channel          backend.PaymentChannel `json:"channel,omitempty"`
	PayerCode        string                 `json:"payer_code,omitempty"` // ****1234
	Charges          int                    `json:"charges"`
	DuplicateCharges int                    `json:"duplicate_charges"`
	RefusedCharges   int                    `json:"refused_charges"`
	RefundNo         string                 `json:"refund_no,omitempty"`
	CreatedAt        time.Time              `json:"created_at"`
	PaidAt           time.Time              `json:"paid_at,omitzero"`
}

// PaymentStats counts the payment side: from the store (orders by state,
// charges, duplicates) and since start (replays, refusals, dropped replies).
type PaymentStats struct {
	Orders           int `json:"orders"`
	Payments         int `json:"payments"` // orders paid (refunded ones included): money taken once each
	Charges          int `json:"charges"`  // payment-code charges that moved money, duplicates included
	DuplicateCharges int `json:"duplicate_charges"`
	Refunds          int `json:"refunds"`
	Cancels          int `json:"cancels"`
	Failed           int `json:"failed"`
	Unresolved       int `json:"unresolved"` // created or paying
	RefusedCharges   int `json:"refused_charges"`

	Requests     int `json:"requests"`      // idempotent payment requests
	Replayed     int `json:"replayed"`      // answered from the first answer
	KeyReused    int `json:"key_reused"`    // 422
	DroppedReply int `json:"dropped_reply"` // committed, then the reply dropped
}

// declineMessages word the declines the ChargeDecline fault names for
// residents.
var declineMessages = map[string]string{
	"insufficient_balance": "余额不足，请更换付款方式或充值后再试",
	"code_expired":         "付款码已过期，请刷新付款码后重试",
	"risk_control":         "本次支付未通过银行风控，请更换付款方式",
	"user_cancelled":       "您已在手机上取消支付",
}

func declineMessage(reason string) string {
	if m, ok := declineMessages[reason]; ok {
		return m
	}
	return "支付未成功，请更换付款方式后重试"
}

// Yearly and fixed amounts the county charges for its payment matters; the
// kiosk never sends an amount. The catalog's fee_fen prices the 工本费
// matters.
var (
	// 城乡居民医保 individual contribution per year.
	medicalContribution = map[string]money.Fen{"2022": 35000, "2023": 38000, "2024": 40000, "2025": 40000, "2026": 40000}
	// 车船税 per plate type for a year (Henan, 1.0–1.6 L passenger cars;
	// new-energy vehicles are exempt).
	vehicleTax = map[string]money.Fen{"02": 42000, "01": 120000, "07": 6000, "52": 0, "51": 0}
	// Matters whose amount is a bill or a decision the backend looks up:
	// a fixed amount in the simulator.
	fixedAmounts = map[string]struct {
		fen  money.Fen
		item string
	}{
		"jg-fk-jn":  {20000, "交通违法罚款（一般违法行为）"},
		"sb-lh-jf":  {81240, "灵活就业人员基本养老保险费（1个月）"},
		"bdc-djf":   {8000, "不动产登记费（住宅，每件）"},
		"sdq-sf-jn": {4860, "自来水费（本期账单）"},
		"sdq-df-jn": {12635, "电费（本期账单）"},
		"sdq-rq-jn": {7200, "燃气费（本期账单）"},
		"sdq-nq-jn": {198000, "集中供暖费（2026-2027供暖季，90平方米）"},
	}
	// 城乡居民养老保险 grades (yuan a year) the county offers.
	pensionGrades = map[string]bool{"200": true, "300": true, "500": true, "800": true, "1000": true,
		"1500": true, "2000": true, "3000": true, "5000": true}
)

// errPrice is a request the backend cannot price, with its reason.
type errPrice struct{ reason, detail string }

func (e *errPrice) Error() string { return e.detail }

// Price is what the county charges for matter serviceID with the form's
// pricing inputs: the amount, the payee (the matter's department) and the
// item as the resident's receipt names it.
func Price(cat *catalog.Catalog, serviceID string, fields map[string]string, now time.Time) (money.Fen, string, string, error) {
	svc := cat.Service(serviceID)
	if svc == nil {
		return 0, "", "", &errPrice{"not_priced", "no such matter"}
	}
	year := strconv.Itoa(now.In(catalog.Local()).Year())
	var fen money.Fen
	var item string
	switch serviceID {
	case "sb-cx-jf":
		g := fields["grade"]
		if !pensionGrades[g] {
			return 0, "", "", &errPrice{"validation", "grade is not a contribution grade"}
		}
		n, _ := strconv.Atoi(g)
		fen = money.Fen(n) * 100
		item = fmt.Sprintf("城乡居民养老保险费（%s年度 %s元档）", year, g)
	case "yb-jm-jf":
		y := fields["year"]
		f, ok := medicalContribution[y]
		if !ok {
			return 0, "", "", &errPrice{"validation", "year has no contribution"}
		}
		fen, item = f, fmt.Sprintf("城乡居民基本医疗保险费（%s年度）", y)
	case "sw-ccs":
		f, ok := vehicleTax[fields["plate_type"]]
		switch {
		case !ok:
			return 0, "", "", &errPrice{"validation", "plate_type unknown"}
		case f == 0:
			return 0, "", "", &errPrice{"nothing_due", "this vehicle is exempt from vehicle and vessel tax"}
		}
		fen, item = f, fmt.Sprintf("车船税（%s年度）", year)
	default:
		if fx, ok := fixedAmounts[serviceID]; ok {
			fen, item = fx.fen, fx.item
		} else if svc.FeeFen > 0 {
			fen, item = money.Fen(svc.FeeFen), svc.Name+"工本费"
		} else {
			return 0, "", "", &errPrice{"not_priced", "this matter has no payment"}
		}
	}
	return fen, svc.Department, item, nil
}

func payKey(kioskID, key string) []byte { return []byte(kioskID + "\x00" + key) }

// keySecret returns the store's secret for request fingerprints, made on
// first use, so the store never holds a plain hash of a payment code.
func keySecret(tx *bolt.Tx) ([]byte, error) {
	b := tx.Bucket(bucketMeta)
	if v := b.Get([]byte("key_secret")); len(v) == 32 {
		return append([]byte(nil), v...), nil
	}
	sec := make([]byte, 32)
	if _, err := rand.Read(sec); err != nil {
		return nil, err
	}
	return sec, b.Put([]byte("key_secret"), sec)
}

// payResult is an answer a payment handler decides inside the store's
// transaction.
type payResult struct {
	status int
	order  *backend.PaymentOrder
	reason string // problem reason when order is nil
	detail string
}

// idempotent runs a payment operation once per (kiosk, Idempotency-Key):
// a repeat with the same request is answered with the first answer, a
// different request under the same key is 422. The answer is committed
// with the order it changed; faults that strike after the commit (delay,
// dropped reply) come after.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, kioskID, op string,
	fn func(tx *bolt.Tx, body []byte, now time.Time, d *PaymentStats) payResult) {
	s.payCount(func(st *PaymentStats) { st.Requests++ })
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 128 {
		problem(w, 400, "validation", "Idempotency-Key header missing or too long")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4097))
	if err != nil {
		return
	}
	if len(body) > 4096 {
		problem(w, http.StatusRequestEntityTooLarge, "validation", "request too large")
		return
	}
	k := "pay\x00" + string(payKey(kioskID, key))
	release, ok := s.claim(k)
	if !ok {
		w.Header().Set("Retry-After", "1")
		problem(w, http.StatusConflict, "in_progress", "this payment request is being processed")
		return
	}
	defer release()

	var ans payAnswer
	replayed := false
	var d PaymentStats
	err = s.db.Update(func(tx *bolt.Tx) error {
		d = PaymentStats{}
		sec, err := keySecret(tx)
		if err != nil {
			return err
		}
		mac := hmac.New(sha256.New, sec)
		mac.Write([]byte(op + "\x00" + r.URL.Path + "\x00"))
		mac.Write(body)
		print := hex.EncodeToString(mac.Sum(nil))
		kb := tx.Bucket(bucketPayKeys)
		if v := kb.Get(payKey(kioskID, key)); v != nil {
			if err := json.Unmarshal(v, &ans); err != nil {
				return err
			}
			if ans.Op != op || ans.Print != print {
				return errKeyReused
			}
			replayed = true
			return nil
		}
		res := fn(tx, body, s.now(), &d)
		ans = payAnswer{Op: op, Print: print, Status: res.status}
		if res.order != nil {
			ans.Type = "application/json"
			ans.Body, _ = json.Marshal(res.order)
		} else {
			ans.Type = "application/problem+json"
			ans.Body, _ = json.Marshal(backend.Problem{Type: "about:blank", Title: http.StatusText(res.status),
				Status: res.status, Detail: res.detail, Reason: res.reason})
		}
		if res.status >= 500 {
			return nil // not kept: a failure of the backend is not an answer
		}
		nb, err := json.Marshal(ans)
		if err != nil {
			return err
		}
		return kb.Put(payKey(kioskID, key), nb)
	})
	if errors.Is(err, errKeyReused) {
		s.payCount(func(st *PaymentStats) { st.KeyReused++ })
		problem(w, http.StatusUnprocessableEntity, "key_reused", "Idempotency-Key reused with a different request")
		return
	}
	if err != nil {
		problem(w, 500, "store", err.Error())
		return
	}
	s.payCount(func(st *PaymentStats) {
		st.RefusedCharges += d.RefusedCharges
		if replayed {
			st.Replayed++
		}
	})
	s.payFaults(w, r)
	w.Header().Set("Content-Type", ans.Type)
	w.WriteHeader(ans.Status)
	w.Write(ans.Body)
}

// payFaults applies the faults that strike a payment answer after it is
// committed: the delay, then the dropped reply.
func (s *Server) payFaults(w http.ResponseWriter, r *http.Request) {
	f := s.Faults()
	if f.PaymentLatencyMS > 0 {
		select {
		case <-time.After(time.Duration(f.PaymentLatencyMS) * time.Millisecond):
		case <-r.Context().Done():
			panic(http.ErrAbortHandler)
		}
	}
	if s.roll(f.PaymentDropReplyRate) {
		s.payCount(func(st *PaymentStats) { st.DroppedReply++ })
		panic(http.ErrAbortHandler)
	}
}

func (s *Server) payCount(f func(*PaymentStats)) {
	s.mu.Lock()
	f(&s.payStats)
	s.mu.Unlock()
}

func loadOrder(tx *bolt.Tx, orderNo string) (*payOrder, error) {
	v := tx.Bucket(bucketPayOrders).Get([]byte(orderNo))
	if v == nil {
		return nil, nil
	}
	var po payOrder
	if err := json.Unmarshal(v, &po); err != nil {
		return nil, err
	}
	return &po, nil
}

func putOrder(tx *bolt.Tx, po *payOrder) error {
	b, err := json.Marshal(po)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketPayOrders).Put([]byte(po.Order.OrderNo), b)
}

// settle ends a charge answered "paying" once its time has come, as the
// channel's late notification would, and closes an order nobody paid
// before its QR code expired; it reports whether it changed po.
func settle(po *payOrder, now time.Time) bool {
	if po.Order.State == backend.PaymentCreated && !now.Before(po.Order.ExpiresAt) {
		po.Order.State = backend.PaymentCancelled
		po.Order.CancelledAt = po.Order.ExpiresAt
		return true
	}
	if po.Order.State != backend.PaymentPaying || po.LateDue.IsZero() || now.Before(po.LateDue) {
		return false
	}
	if po.LateFail {
		po.Order.State = backend.PaymentFailed
		po.Order.FailureReason = "user_cancelled"
		po.Order.FailureMessage = declineMessage("user_cancelled")
		po.Order.PaidAt, po.Order.Channel, po.Order.PayerTail = time.Time{}, "", ""
		po.PayerCode = ""
	} else {
		po.Order.State = backend.PaymentPaid
		po.Order.PaidAt = po.LateDue
		po.Charges++
	}
	po.LateDue = time.Time{}
	return true
}

// orderFor loads order orderNo for kioskID, settling it as of now; a
// missing order or another kiosk's is nil.
func orderFor(tx *bolt.Tx, kioskID, orderNo string, now time.Time) (*payOrder, error) {
	if !backend.ValidOrderNo(orderNo) {
		return nil, nil
	}
	po, err := loadOrder(tx, orderNo)
	if err != nil || po == nil || po.KioskID != kioskID {
		return nil, err
	}
	if settle(po, now) {
		if err := putOrder(tx, po); err != nil {
			return nil, err
		}
	}
	return po, nil
}

func notFound() payResult {
	return payResult{status: 404, reason: "not_found", detail: "no such payment order"}
}

func answer(po *payOrder, status int) payResult {
	o := po.Order
	return payResult{status: status, order: &o}
}

func storeFailed(err error) payResult {
	return payResult{status: 500, reason: "store", detail: err.Error()}
}

// orderNo makes the order (or refund) number for a kiosk's request: a
// prefix, the county-local date and twelve characters from the request,
// so a repeat of the request would make the same number.
func orderNo(prefix, kioskID, key string, now time.Time) string {
	sum := sha256.Sum256([]byte(kioskID + "\x00" + key))
	return prefix + now.In(catalog.Local()).Format("20060102") + strings.ToUpper(hex.EncodeToString(sum[:6]))
}

func (s *Server) createPaymentOrder(w http.ResponseWriter, r *http.Request, kioskID string) {
	txID := r.PathValue("id")
	key := r.Header.Get("Idempotency-Key")
	s.idempotent(w, r, kioskID, "create", func(tx *bolt.Tx, body []byte, now time.Time, _ *PaymentStats) payResult {
		var req backend.PaymentOrderRequest
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return payResult{status: 400, reason: "validation", detail: "bad order request (an amount is never sent): " + err.Error()}
		}
		if _, has := req.Fields["amount"]; has {
			return payResult{status: 400, reason: "validation", detail: "the amount comes from the backend, not the form"}
		}
		if txID == "" || len(txID) > 128 || req.ServiceID == "" {
			return payResult{status: 400, reason: "validation", detail: "transaction id and service_id required"}
		}
		// One live order per transaction: a second request for it (a new
		// attempt) gets the order still open or already paid.
		tb := tx.Bucket(bucketPayTx)
		var nos []string
		if v := tb.Get(txKey(kioskID, txID)); v != nil {
			if err := json.Unmarshal(v, &nos); err != nil {
				return storeFailed(err)
			}
		}
		for _, no := range nos {
			po, err := orderFor(tx, kioskID, no, now)
			if err != nil {
				return storeFailed(err)
			}
			if po != nil && (po.Order.State.Unresolved() || po.Order.State == backend.PaymentPaid) {
				if po.ServiceID != req.ServiceID {
					return payResult{status: 409, reason: "order_not_payable", detail: "the transaction has an order for another matter"}
				}
				return answer(po, 200)
			}
		}
		fen, payee, item, err := Price(s.catalog, req.ServiceID, req.Fields, now)
		if err != nil {
			var pe *errPrice
			if errors.As(err, &pe) {
				status := 400
				if pe.reason != "validation" {
					status = 409
				}
				return payResult{status: status, reason: pe.reason, detail: pe.detail}
			}
			return storeFailed(err)
		}
		if skew := s.Faults().PriceSkewFen; skew != 0 && fen+money.Fen(skew) > 0 {
			fen += money.Fen(skew) // a backend whose price is not the catalog's fee
		}
		no := orderNo("ZMP", kioskID, key, now)
		po := &payOrder{KioskID: kioskID, ServiceID: req.ServiceID, Order: backend.PaymentOrder{
			OrderNo: no, TxID: txID, AmountFen: fen, Currency: "CNY", Payee: payee, Item: item,
			State: backend.PaymentCreated, QRURL: QRPayBase + no, CreatedAt: now.UTC(),
			ExpiresAt: now.Add(orderLifetime).UTC()}}
		if err := putOrder(tx, po); err != nil {
			return storeFailed(err)
		}
		nb, _ := json.Marshal(append(nos, no))
		if err := tb.Put(txKey(kioskID, txID), nb); err != nil {
			return storeFailed(err)
		}
		s.log.Info("countysim created a payment order", "kiosk", kioskID, "tx", txID, "order", no,
			"service", req.ServiceID, "amount", fen.String())
		return answer(po, 201)
	})
}

func (s *Server) queryPaymentOrder(w http.ResponseWriter, r *http.Request, kioskID string) {
	var po *payOrder
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		po, err = orderFor(tx, kioskID, r.PathValue("order_no"), s.now())
		return err
	})
	switch {
	case err != nil:
		problem(w, 500, "store", err.Error())
	case po == nil:
		problem(w, 404, "not_found", "no such payment order")
	default:
		s.payFaults(w, r)
		writeJSON(w, 200, po.Order)
	}
}

func (s *Server) chargePaymentOrder(w http.ResponseWriter, r *http.Request, kioskID string) {
	no := r.PathValue("order_no")
	s.idempotent(w, r, kioskID, "charge", func(tx *bolt.Tx, body []byte, now time.Time, d *PaymentStats) payResult {
		var c backend.PaymentCharge
		if err := json.Unmarshal(body, &c); err != nil {
			return payResult{status: 400, reason: "validation", detail: "bad charge request"} // never echo the code
		}
		ch, valid := backend.AuthCodeChannel(c.AuthCode)
		if !valid {
			return payResult{status: 400, reason: "validation", detail: "auth_code is not a payment code"}
		}
		masked := backend.MaskAuthCode(c.AuthCode)
		po, err := orderFor(tx, kioskID, no, now)
		if err != nil {
			return storeFailed(err)
		}
		if po == nil {
			return notFound()
		}
		f := s.Faults()
		switch po.Order.State {
		case backend.PaymentCreated:
		case backend.PaymentPaid, backend.PaymentPaying, backend.PaymentRefunded:
			if f.ChargeTwice {
				// A backend that charges again what it already charged:
				// the money is taken a second time.
				po.Charges++
				po.DuplicateCharges++
				s.log.Warn("countysim charged an order a second time", "kiosk", kioskID, "order", no, "code", masked)
				if err := putOrder(tx, po); err != nil {
					return storeFailed(err)
				}
				return answer(po, 200)
			}
			fallthrough
		default:
			po.RefusedCharges++
			d.RefusedCharges++
			if err := putOrder(tx, po); err != nil {
				return storeFailed(err)
			}
			s.log.Info("countysim refused a charge on an order not payable", "kiosk", kioskID, "order", no,
				"state", po.Order.State, "code", masked)
			return payResult{status: 409, reason: "order_not_payable",
				detail: fmt.Sprintf("order is %s; query it, do not charge again", po.Order.State)}
		}
		o := &po.Order
		switch {
		case f.ChargeDecline != "":
			o.State = backend.PaymentFailed
			o.FailureReason = f.ChargeDecline
			if len(o.FailureReason) > 64 {
				o.FailureReason = o.FailureReason[:64]
			}
			o.FailureMessage = declineMessage(f.ChargeDecline)
		case f.ChargeLateMS > 0:
			o.State, o.Channel, o.PayerTail = backend.PaymentPaying, ch, c.AuthCode[len(c.AuthCode)-4:]
			po.PayerCode = masked
			po.LateDue = now.Add(time.Duration(f.ChargeLateMS) * time.Millisecond).UTC()
			po.LateFail = f.ChargeLateFail
		default:
			o.State, o.Channel, o.PayerTail, o.PaidAt = backend.PaymentPaid, ch, c.AuthCode[len(c.AuthCode)-4:], now.UTC()
			po.PayerCode = masked
			po.Charges++
		}
		if err := putOrder(tx, po); err != nil {
			return storeFailed(err)
		}
		s.log.Info("countysim charged a payment code", "kiosk", kioskID, "order", no, "code", masked,
			"channel", ch, "state", o.State, "amount", o.AmountFen.String())
		return answer(po, 200)
	})
}

func (s *Server) cancelPaymentOrder(w http.ResponseWriter, r *http.Request, kioskID string) {
	no := r.PathValue("order_no")
	s.idempotent(w, r, kioskID, "cancel", func(tx *bolt.Tx, _ []byte, now time.Time, _ *PaymentStats) payResult {
		po, err := orderFor(tx, kioskID, no, now)
		if err != nil {
			return storeFailed(err)
		}
		if po == nil {
			return notFound()
		}
		if po.Order.State.Unresolved() {
			// A charge still under way is voided with the order: no
			// money moves.
			po.Order.State = backend.PaymentCancelled
			po.Order.CancelledAt = now.UTC()
			po.Order.PaidAt, po.Order.Channel, po.Order.PayerTail = time.Time{}, "", ""
			po.LateDue = time.Time{}
			if err := putOrder(tx, po); err != nil {
				return storeFailed(err)
			}
			s.log.Info("countysim cancelled a payment order", "kiosk", kioskID, "order", no)
		}
		return answer(po, 200)
	})
}

func (s *Server) refundPaymentOrder(w http.ResponseWriter, r *http.Request, kioskID string) {
	no := r.PathValue("order_no")
	key := r.Header.Get("Idempotency-Key")
	s.idempotent(w, r, kioskID, "refund", func(tx *bolt.Tx, body []byte, now time.Time, _ *PaymentStats) payResult {
		var req backend.PaymentRefundRequest
		if err := json.Unmarshal(body, &req); err != nil || strings.TrimSpace(req.Reason) == "" || len(req.Reason) > 600 {
			return payResult{status: 400, reason: "validation", detail: "a refund needs a reason"}
		}
		po, err := orderFor(tx, kioskID, no, now)
		if err != nil {
			return storeFailed(err)
		}
		if po == nil {
			return notFound()
		}
		switch po.Order.State {
		case backend.PaymentRefunded:
			return answer(po, 200)
		case backend.PaymentPaid:
		default:
			return payResult{status: 409, reason: "order_not_refundable",
				detail: fmt.Sprintf("order is %s, not paid", po.Order.State)}
		}
		po.Order.State = backend.PaymentRefunded
		po.Order.Refund = &backend.PaymentRefund{RefundNo: orderNo("ZMR", kioskID, key, now), AmountFen: po.Order.AmountFen,
			Reason: req.Reason, RefundedAt: now.UTC()}
		if err := putOrder(tx, po); err != nil {
			return storeFailed(err)
		}
		s.log.Info("countysim refunded a payment", "kiosk", kioskID, "order", no, "refund", po.Order.Refund.RefundNo,
			"amount", po.Order.AmountFen.String())
		return answer(po, 200)
	})
}

// PayByQR is the resident paying order orderNo from its QR code on their
// phone, through channel: a created order becomes paid. Tests and the
// /sim/v1 endpoint use it; it answers the order as it then stands.
func (s *Server) PayByQR(orderNo string, channel backend.PaymentChannel) (backend.PaymentOrder, error) {
	if !channel.Known() {
		return backend.PaymentOrder{}, fmt.Errorf("countysim: pay by QR: unknown channel %q", channel)
	}
	var out backend.PaymentOrder
	err := s.db.Update(func(tx *bolt.Tx) error {
		po, err := loadOrder(tx, orderNo)
		if err != nil {
			return err
		}
		if po == nil {
			return errNotFound
		}
		settle(po, s.now())
		if po.Order.State == backend.PaymentCreated {
			po.Order.State, po.Order.Channel, po.Order.PaidAt = backend.PaymentPaid, channel, s.now().UTC()
		}
		out = po.Order
		return putOrder(tx, po)
	})
	if err != nil {
		return backend.PaymentOrder{}, fmt.Errorf("countysim: pay by QR %s: %w", orderNo, err)
	}
	return out, nil
}

// Payments lists the orders of kioskID (every kiosk's when empty), in
// order number order, as of now.
func (s *Server) Payments(kioskID string) ([]PaymentView, error) {
	var out []PaymentView
	now := s.now()
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPayOrders).ForEach(func(_, v []byte) error {
			var po payOrder
			if err := json.Unmarshal(v, &po); err != nil {
				return err
			}
			if kioskID != "" && po.KioskID != kioskID {
				return nil
			}
			settle(&po, now)
			pv := PaymentView{KioskID: po.KioskID, OrderNo: po.Order.OrderNo, TxID: po.Order.TxID, ServiceID: po.ServiceID,
				AmountFen: po.Order.AmountFen, Item: po.Order.Item, State: po.Order.State, Channel: po.Order.Channel,
				PayerCode: po.PayerCode, Charges: po.Charges, DuplicateCharges: po.DuplicateCharges,
				RefusedCharges: po.RefusedCharges, CreatedAt: po.Order.CreatedAt, PaidAt: po.Order.PaidAt}
			if po.Order.Refund != nil {
				pv.RefundNo = po.Order.Refund.RefundNo
			}
			out = append(out, pv)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("countysim: payments: %w", err)
	}
	return out, nil
}

// PaymentStats counts the payment side (see PaymentStats).
func (s *Server) PaymentStats() (PaymentStats, error) {
	l, err := s.Payments("")
	if err != nil {
		return PaymentStats{}, err
	}
	s.mu.Lock()
	st := s.payStats
	s.mu.Unlock()
	st.RefusedCharges = 0
	for _, p := range l {
		st.Orders++
		st.Charges += p.Charges
		st.DuplicateCharges += p.DuplicateCharges
		st.RefusedCharges += p.RefusedCharges
		switch p.State {
		case backend.PaymentPaid:
			st.Payments++
		case backend.PaymentRefunded:
			st.Payments++
			st.Refunds++
		case backend.PaymentCancelled:
			st.Cancels++
		case backend.PaymentFailed:
			st.Failed++
		case backend.PaymentCreated, backend.PaymentPaying:
			st.Unresolved++
		}
	}
	return st, nil
}

// openPayments counts each kiosk's orders still created or paying.
func (s *Server) openPayments() map[string]int {
	l, err := s.Payments("")
	if err != nil {
		return nil
	}
	m := map[string]int{}
	for _, p := range l {
		if p.State.Unresolved() {
			m[p.KioskID]++
		}
	}
	return m
}

func (s *Server) paymentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/transactions/{id}/payment-order", s.kiosk(s.createPaymentOrder))
	mux.HandleFunc("GET /v1/payment-orders/{order_no}", s.kiosk(s.queryPaymentOrder))
	mux.HandleFunc("POST /v1/payment-orders/{order_no}/charge", s.kiosk(s.chargePaymentOrder))
	mux.HandleFunc("POST /v1/payment-orders/{order_no}/cancel", s.kiosk(s.cancelPaymentOrder))
	mux.HandleFunc("POST /v1/payment-orders/{order_no}/refund", s.kiosk(s.refundPaymentOrder))
	mux.HandleFunc("GET /sim/v1/payments", func(w http.ResponseWriter, r *http.Request) {
		l, err := s.Payments(r.URL.Query().Get("kiosk"))
		if err != nil {
			problem(w, 500, "store", err.Error())
			return
		}
		writeJSON(w, 200, l)
	})
	mux.HandleFunc("GET /sim/v1/payment-stats", func(w http.ResponseWriter, r *http.Request) {
		st, err := s.PaymentStats()
		if err != nil {
			problem(w, 500, "store", err.Error())
			return
		}
		writeJSON(w, 200, st)
	})
	mux.HandleFunc("POST /sim/v1/payment-orders/{order_no}/pay", func(w http.ResponseWriter, r *http.Request) {
		o, err := s.PayByQR(r.PathValue("order_no"), backend.PaymentChannel(r.URL.Query().Get("channel")))
		switch {
		case errors.Is(err, errNotFound):
			problem(w, 404, "not_found", "no such payment order")
		case err != nil:
			problem(w, 400, "validation", err.Error())
		default:
			writeJSON(w, 200, o)
		}
	})
}

// errRefused: the backend refuses the transaction; nothing is stored.
type errRefused struct{ msg string }

func (e *errRefused) Error() string { return "refused: " + e.msg }

// paidAnswer is the answer to a transaction that pays with an order: the
// matter is done once its order is paid, and the answer says what was
// paid. An order that is not this transaction's, or not paid, is refused
// (nothing was paid for it); RefusePaid refuses a paid one, as a
// department may, and the kiosk refunds it.
func (s *Server) paidAnswer(tx *bolt.Tx, kioskID string, sub backend.Submission, rep backend.Reply) (backend.Reply, error) {
	po, err := orderFor(tx, kioskID, sub.PaymentOrder, s.now())
	if err != nil {
		return rep, err
	}
	switch {
	case po == nil || po.Order.TxID != sub.ID:
		return rep, &errRefused{"没有找到这笔业务的缴费订单，本次没有办理"}
	case po.Order.State != backend.PaymentPaid:
		return rep, &errRefused{"这笔业务还没有缴费成功，本次没有办理"}
	case s.Faults().RefusePaid:
		return rep, &errRefused{"该事项本年度已由其他渠道办理，本次不再受理"}
	}
	rep.Outcome = txn.Completed
	rep.Message = "缴费成功"
	rep.Lines = []txn.ResultLine{
		{Key: "paid", Label: "缴费金额", Value: po.Order.AmountFen.Receipt()},
		{Key: "payee", Label: "收款单位", Value: po.Order.Payee},
		{Key: "order_no", Label: "订单号", Value: po.Order.OrderNo},
	}
	return rep, nil
}
