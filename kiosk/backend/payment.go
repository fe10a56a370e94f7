package backend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/henan-county/kiosk/kiosk/money"
)

// PaymentState is where a payment order stands at the backend.
//
//	created ──charge──▶ paid | paying | failed
//	paying ──(channel answers)──▶ paid | failed
//	created | paying ──cancel──▶ cancelled
//	paid ──refund──▶ refunded
//
// cancelled, refunded and failed are final; paid ends a payment unless its
// transaction is refused, when the kiosk refunds it.
type PaymentState string

const (
	PaymentCreated   PaymentState = "created"   // waiting for the resident to pay
	PaymentPaying    PaymentState = "paying"    // a charge is under way; its outcome is unknown yet
	PaymentPaid      PaymentState = "paid"      // the money is taken
	PaymentCancelled PaymentState = "cancelled" // closed unpaid; no money moved
	PaymentRefunded  PaymentState = "refunded"  // paid, then the money given back
	PaymentFailed    PaymentState = "failed"    // the charge was declined; no money moved
)

// Known reports whether s is a state of the contract.
func (s PaymentState) Known() bool {
	switch s {
	case PaymentCreated, PaymentPaying, PaymentPaid, PaymentCancelled, PaymentRefunded, PaymentFailed:
		return true
	}
	return false
}

// Unresolved reports whether an order in state s still needs the kiosk:
// created (to pay or cancel) and paying (to query until it ends).
func (s PaymentState) Unresolved() bool { return s == PaymentCreated || s == PaymentPaying }

// PaymentChannel is who moved the money.
type PaymentChannel string

const (
	ChannelWeChat   PaymentChannel = "wechat"   // 微信支付
	ChannelAlipay   PaymentChannel = "alipay"   // 支付宝
	ChannelUnionPay PaymentChannel = "unionpay" // 银联（云闪付）
)

// Known reports whether c is a channel of the contract.
func (c PaymentChannel) Known() bool {
	return c == ChannelWeChat || c == ChannelAlipay || c == ChannelUnionPay
}

// Label names the channel for screens and slips.
func (c PaymentChannel) Label() string {
	switch c {
	case ChannelWeChat:
		return "微信支付"
	case ChannelAlipay:
		return "支付宝"
	case ChannelUnionPay:
		return "银联云闪付"
	}
	return ""
}

// PaymentOrder is an order the backend created for a transaction: what the
// resident pays, to whom, and where the payment stands. The amount is the
// backend's, never typed at the kiosk.
type PaymentOrder struct {
	OrderNo   string       `json:"order_no"`   // 8–32 of [0-9A-Z]
	TxID      string       `json:"tx_id"`      // the transaction it pays for
	AmountFen money.Fen    `json:"amount_fen"` // 1 … MaxPaymentFen
	Currency  string       `json:"currency"`   // "CNY"
	Payee     string       `json:"payee"`      // 收款单位, e.g. 中牟县社会保险中心
	Item      string       `json:"item"`       // what is paid, e.g. 城乡居民养老保险费（2026年度 500元档）
	State     PaymentState `json:"state"`
	// QRURL is what the order's payment QR code holds, for the resident's
	// phone; it can be paid until ExpiresAt.
	QRURL     string    `json:"qr_url"`
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`

	PaidAt  time.Time      `json:"paid_at,omitzero"` // paid and refunded orders
	Channel PaymentChannel `json:"channel,omitempty"`
	// PayerTail is the last four digits of the payment code that paid
	// (the rest is never sent back, shown or kept).
	PayerTail      string         `json:"payer_tail,omitempty"`
	FailureReason  string         `json:"failure_reason,omitempty"`  // failed: machine-readable, e.g. insufficient_balance
	FailureMessage string         `json:"failure_message,omitempty"` // failed: what to tell the resident
	CancelledAt    time.Time      `json:"cancelled_at,omitzero"`
	Refund         *PaymentRefund `json:"refund,omitempty"` // refunded orders
}

// PaymentRefund is the money given back on a refunded order.
type PaymentRefund struct {
	RefundNo   string    `json:"refund_no"`
	AmountFen  money.Fen `json:"amount_fen"` // the whole amount: refunds are never partial
	Reason     string    `json:"reason"`
	RefundedAt time.Time `json:"refunded_at"`
}

// PaymentOrderRequest is the body of POST /v1/transactions/{id}/payment-order:
// the matter and the form's pricing inputs (a contribution grade, a year, a
// plate). It has no amount: the backend prices the order.
type PaymentOrderRequest struct {
	ServiceID      string            `json:"service_id"`
	CatalogVersion int64             `json:"catalog_version,omitempty"`
	Fields         map[string]string `json:"fields,omitempty"`
}

// PaymentCharge is the body of POST /v1/payment-orders/{no}/charge.
type PaymentCharge struct {
	AuthCode string `json:"auth_code"` // the resident's 付款码; never logged unmasked
}

// PaymentRefundRequest is the body of POST /v1/payment-orders/{no}/refund.
type PaymentRefundRequest struct {
	Reason string `json:"reason"`
}

// Limits on what the payment decoders accept.
const (
	MaxPaymentFen     = money.Fen(10_000_000) // ¥100,000.00: above any fee, contribution or fine at a kiosk
	maxPaymentText    = 256
	maxFailureReason  = 64
	maxRefundReason   = 200
	minOrderNo        = 8
	maxOrderNo        = 32
	maxQRURL          = 512
	maxPaymentTxIDLen = 128
)

// ValidOrderNo reports whether s can be an order or refund number: 8–32
// digits and capital letters (it is printed on the receipt and read out on
// the hotline).
func ValidOrderNo(s string) bool {
	if len(s) < minOrderNo || len(s) > maxOrderNo {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

// AuthCodeChannel returns the channel of a payment code (付款码) as the
// resident's phone shows it, and whether it is one: WeChat 18 digits
// starting 10–15, Alipay 16–24 digits starting 25–30, UnionPay 19 digits
// starting 62.
func AuthCodeChannel(code string) (PaymentChannel, bool) {
	if len(code) < 16 || len(code) > 24 {
		return "", false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return "", false
		}
	}
	p, _ := strconv.Atoi(code[:2])
	switch {
	case p >= 10 && p <= 15 && len(code) == 18:
		return ChannelWeChat, true
	case p >= 25 && p <= 30:
		return ChannelAlipay, true
	case p == 62 && len(code) == 19:
		return ChannelUnionPay, true
	}
	return "", false
}

// MaskAuthCode is how a payment code appears anywhere outside the charge
// request: its last four digits ("****1234"), or nothing of it when it is
// too short to spare them.
func MaskAuthCode(code string) string {
	if len(code) < 12 {
		return "****"
	}
	return "****" + code[len(code)-4:]
}

// PaymentKey is the Idempotency-Key of a payment request: derived from the
// kiosk, the operation and what it acts on, so the same request repeated
// after a lost reply or a restart is the same request to the backend, and
// never a second order, charge, cancel or refund.
func PaymentKey(kioskID, op string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(kioskID))
	h.Write([]byte{0})
	h.Write([]byte(op))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return op + "-" + hex.EncodeToString(h.Sum(nil)[:16])
}

// permanentPaymentReasons are refusals that no repeat of the same request
// changes: the kiosk queries the order and acts on its state instead.
var permanentPaymentReasons = map[string]bool{
	"order_not_payable":    true, // charged already, cancelled, expired or failed
	"order_not_refundable": true, // not paid
	"nothing_due":          true, // the matter costs nothing for these inputs
	"not_priced":           true, // the matter has no payment
}

// decodePaymentProblem is DecodeProblem with the payment refusals that
// are permanent although their status (409) is not.
func decodePaymentProblem(op string, status int, contentType string, body []byte, retryAfter time.Duration) error {
	err := DecodeProblem(op, status, contentType, body, retryAfter)
	if e, ok := err.(*Error); ok && permanentPaymentReasons[e.Reason] {
		e.Permanent = true
	}
	return err
}

// DecodePaymentOrder decodes a reply carrying a payment order (every
// payment call answers with one). A success must be application/json with
// an order that makes sense in every field: the number's charset and
// length, a positive bounded amount in CNY, a payee and an item fit to
// show, an https payment link, a known state with what that state needs
// (a paid order its time and channel, a refunded one its refund of the
// whole amount, a failed one its reason). Anything else is an *Error
// (ErrBadReply for unusable bodies, ErrNotFound for 404).
func DecodePaymentOrder(op string, status int, contentType string, body []byte, retryAfter time.Duration) (PaymentOrder, error) {
	if status != http.StatusOK && status != http.StatusCreated {
		return PaymentOrder{}, decodePaymentProblem(op, status, contentType, body, retryAfter)
	}
	bad := func(detail string) (PaymentOrder, error) {
		return PaymentOrder{}, &Error{Op: op, Status: status, Reason: "bad_body", Detail: trunc(detail), Err: ErrBadReply}
	}
	if mt := mediaType(contentType); mt != "application/json" {
		return PaymentOrder{}, &Error{Op: op, Status: status, Reason: "bad_content_type",
			Detail: fmt.Sprintf("content type %q", trunc(contentType)), Err: ErrBadReply}
	}
	var o PaymentOrder
	if err := strictUnmarshal(body, &o); err != nil {
		return bad(err.Error())
	}
	switch {
	case !ValidOrderNo(o.OrderNo):
		return bad("order_no missing or not 8-32 digits and capital letters")
	case o.TxID == "" || len(o.TxID) > maxPaymentTxIDLen || !plainText(o.TxID, maxPaymentTxIDLen):
		return bad("tx_id missing or not plain text")
	case o.AmountFen <= 0 || o.AmountFen > MaxPaymentFen:
		return bad(fmt.Sprintf("amount_fen %d not in 1..%d", o.AmountFen, MaxPaymentFen))
	case o.Currency != "CNY":
		return bad(fmt.Sprintf("currency %q is not CNY", o.Currency))
	case !plainText(o.Payee, maxPaymentText) || !plainText(o.Item, maxPaymentText):
		return bad("payee or item missing or not plain text")
	case !o.State.Known():
		return bad(fmt.Sprintf("unknown state %q", o.State))
	case o.CreatedAt.IsZero() || o.ExpiresAt.IsZero() || o.ExpiresAt.Before(o.CreatedAt):
		return bad("created_at or expires_at missing or out of order")
	case o.Channel != "" && !o.Channel.Known():
		return bad(fmt.Sprintf("unknown channel %q", o.Channel))
	case o.PayerTail != "" && !isDigits(o.PayerTail, 4):
		return bad("payer_tail is not four digits")
	case o.FailureReason != "" && !plainText(o.FailureReason, maxFailureReason),
		o.FailureMessage != "" && !plainText(o.FailureMessage, maxPaymentText):
		return bad("failure reason or message not plain text")
	}
	u, err := url.Parse(o.QRURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(o.QRURL) > maxQRURL {
		return bad("qr_url missing or not https")
	}
	switch o.State {
	case PaymentPaid, PaymentRefunded:
		if o.PaidAt.IsZero() || o.Channel == "" {
			return bad("a paid order without paid_at or channel")
		}
	case PaymentFailed:
		if o.FailureReason == "" {
			return bad("a failed order without failure_reason")
		}
	}
	if o.State == PaymentRefunded {
		r := o.Refund
		switch {
		case r == nil:
			return bad("a refunded order without its refund")
		case !ValidOrderNo(r.RefundNo):
			return bad("refund_no missing or not 8-32 digits and capital letters")
		case r.AmountFen != o.AmountFen:
			return bad(fmt.Sprintf("refund of %d fen for an order of %d", r.AmountFen, o.AmountFen))
		case r.RefundedAt.IsZero():
			return bad("refund without refunded_at")
		case r.Reason != "" && !plainText(r.Reason, maxPaymentText):
			return bad("refund reason not plain text")
		}
	} else if o.Refund != nil {
		return bad(fmt.Sprintf("a refund on a %s order", o.State))
	}
	return o, nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// paymentCall sends one payment request and decodes the order it answers
// with; want, when not nil, says which states the reply may carry.
func (c *Client) paymentCall(ctx context.Context, op, method, path, key string, body any, want func(PaymentState) bool) (PaymentOrder, error) {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return PaymentOrder{}, &Error{Op: op, Reason: "validation", Detail: err.Error(), Permanent: true}
		}
	}
	var hdr http.Header
	if key != "" {
		hdr = http.Header{"Idempotency-Key": {key}}
	}
	r, err := c.do(ctx, op, method, path, hdr, b)
	if err != nil {
		return PaymentOrder{}, err
	}
	o, err := DecodePaymentOrder(op, r.status, r.contentType, r.body, r.retryAfter)
	if err != nil {
		return PaymentOrder{}, err
	}
	if want != nil && !want(o.State) {
		return PaymentOrder{}, &Error{Op: op, Status: r.status, Reason: "bad_body",
			Detail: fmt.Sprintf("state %q is no answer to %s", o.State, op), Err: ErrBadReply}
	}
	return o, nil
}

func checkOrderNo(op, orderNo string) error {
	if !ValidOrderNo(orderNo) {
		return &Error{Op: op, Reason: "validation", Detail: "not an order number", Permanent: true}
	}
	return nil
}

func sameOrder(op, orderNo string, o PaymentOrder, err error) (PaymentOrder, error) {
	if err == nil && o.OrderNo != orderNo {
		return PaymentOrder{}, &Error{Op: op, Reason: "bad_body", Detail: "reply names another order", Err: ErrBadReply}
	}
	return o, err
}

// CreatePaymentOrder asks the backend for the payment order of transaction
// txID. attempt numbers the orders of one transaction (0 first; a new
// attempt after a declined or cancelled order): the Idempotency-Key is
// derived from the transaction and the attempt, so a repeat after a lost
// reply gets the same order back, never a second one.
func (c *Client) CreatePaymentOrder(ctx context.Context, txID string, attempt int, req PaymentOrderRequest) (PaymentOrder, error) {
	const op = "payment order"
	if txID == "" || len(txID) > maxPaymentTxIDLen || req.ServiceID == "" || attempt < 0 {
		return PaymentOrder{}, &Error{Op: op, Reason: "validation", Detail: "transaction id, matter and attempt required", Permanent: true}
	}
	key := PaymentKey(c.kioskID, "create", txID, strconv.Itoa(attempt))
	o, err := c.paymentCall(ctx, op, http.MethodPost, "v1/transactions/"+url.PathEscape(txID)+"/payment-order", key, req, nil)
	if err == nil && o.TxID != txID {
		return PaymentOrder{}, &Error{Op: op, Reason: "bad_body", Detail: "order for another transaction", Err: ErrBadReply}
	}
	return o, err
}

// QueryPaymentOrder asks where order orderNo stands. It is how the kiosk
// resolves every payment whose outcome it does not know.
func (c *Client) QueryPaymentOrder(ctx context.Context, orderNo string) (PaymentOrder, error) {
	const op = "payment query"
	if err := checkOrderNo(op, orderNo); err != nil {
		return PaymentOrder{}, err
	}
	o, err := c.paymentCall(ctx, op, http.MethodGet, "v1/payment-orders/"+orderNo, "", nil, nil)
	return sameOrder(op, orderNo, o, err)
}

// ChargePaymentCode charges order orderNo to the resident's payment code.
// The answer is paid, failed (declined, FailureMessage says why) or paying:
// the outcome is not known yet and the kiosk queries the order, never
// charges again. The Idempotency-Key is derived from the order alone, so a
// repeat of a charge whose reply was lost is answered from the first, and
// a second code for the same order is refused (422) rather than charged.
// Errors never carry the code.
func (c *Client) ChargePaymentCode(ctx context.Context, orderNo, authCode string) (PaymentOrder, error) {
	const op = "payment charge"
	if err := checkOrderNo(op, orderNo); err != nil {
		return PaymentOrder{}, err
	}
	if _, ok := AuthCodeChannel(authCode); !ok {
		return PaymentOrder{}, &Error{Op: op, Reason: "validation", Detail: "not a payment code", Permanent: true}
	}
	key := PaymentKey(c.kioskID, "charge", orderNo)
	o, err := c.paymentCall(ctx, op, http.MethodPost, "v1/payment-orders/"+orderNo+"/charge", key,
		PaymentCharge{AuthCode: authCode}, func(s PaymentState) bool { return s != PaymentCreated })
	return sameOrder(op, orderNo, o, err)
}

// CancelPaymentOrder closes order orderNo unpaid when the resident
// abandons it. The answer is the order as it then stands: cancelled, or
// paid (the money came in first: the kiosk completes or refunds, never
// assumes it cancelled), or already failed or refunded, or still paying
// (the channel has not answered: the kiosk queries until it has).
func (c *Client) CancelPaymentOrder(ctx context.Context, orderNo string) (PaymentOrder, error) {
	const op = "payment cancel"
	if err := checkOrderNo(op, orderNo); err != nil {
		return PaymentOrder{}, err
	}
	key := PaymentKey(c.kioskID, "cancel", orderNo)
	o, err := c.paymentCall(ctx, op, http.MethodPost, "v1/payment-orders/"+orderNo+"/cancel", key, nil,
		func(s PaymentState) bool { return s != PaymentCreated })
	return sameOrder(op, orderNo, o, err)
}

// RefundPaymentOrder gives back the whole amount of paid order orderNo,
// e.g. when the backend refused the transaction it paid for. reason is
// shown to county staff and on the resident's slip.
func (c *Client) RefundPaymentOrder(ctx context.Context, orderNo, reason string) (PaymentOrder, error) {
	const op = "payment refund"
	if err := checkOrderNo(op, orderNo); err != nil {
		return PaymentOrder{}, err
	}
	if !plainText(reason, maxRefundReason) {
		return PaymentOrder{}, &Error{Op: op, Reason: "validation", Detail: "refund reason missing or not plain text", Permanent: true}
	}
	key := PaymentKey(c.kioskID, "refund", orderNo)
	o, err := c.paymentCall(ctx, op, http.MethodPost, "v1/payment-orders/"+orderNo+"/refund", key,
		PaymentRefundRequest{Reason: reason}, func(s PaymentState) bool { return s == PaymentRefunded })
	return sameOrder(op, orderNo, o, err)
}
