package backend

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const okOrder = `{"order_no":"ZMP20261202A1B2C3D4E5F6","tx_id":"agrdpj73vnsq2a3hnfpiv7vijm","amount_fen":50000,` +
	`"currency":"CNY","payee":"中牟县社会保险中心","item":"城乡居民养老保险费（2026年度 500元档）","state":"created",` +
	`"qr_url":"https://pay.zhongmu.gov.cn/q/ZMP20261202A1B2C3D4E5F6","expires_at":"2026-12-02T10:15:00Z",` +
	`"created_at":"2026-12-02T10:00:00Z"}`

const paidFields = `"state":"paid","paid_at":"2026-12-02T10:01:00Z","channel":"wechat","payer_tail":"6789"`

func order(replace ...string) []byte {
	s := okOrder
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(s, replace[i]) {
			panic("test order has no " + replace[i])
		}
		s = strings.Replace(s, replace[i], replace[i+1], 1)
	}
	return []byte(s)
}

func TestDecodePaymentOrder(t *testing.T) {
	refund := `"state":"refunded","paid_at":"2026-12-02T10:01:00Z","channel":"alipay","refund":{"refund_no":"ZMR20261202AAAA0000BBBB",` +
		`"amount_fen":50000,"reason":"业务未受理","refunded_at":"2026-12-02T10:05:00Z"}`
	for _, tc := range []struct {
		name   string
		status int
		ct     string
		body   []byte
		reason string // "" accepted
		perm   bool
	}{
		{"created", 201, "application/json", order(), "", false},
		{"paid", 200, "application/json; charset=utf-8", order(`"state":"created"`, paidFields), "", false},
		{"refunded", 200, "application/json", order(`"state":"created"`, refund), "", false},
		{"failed", 200, "application/json", order(`"state":"created"`, `"state":"failed","failure_reason":"insufficient_balance","failure_message":"余额不足"`), "", false},
		{"wrong content type", 200, "text/html", order(), "bad_content_type", false},
		{"trailing data", 200, "application/json", append(order(), "{}"...), "bad_body", false},
		{"garbage", 200, "application/json", []byte("{\"order_no\": \x00"), "bad_body", false},
		{"zero amount", 200, "application/json", order(`50000`, `0`), "bad_body", false},
		{"negative amount", 200, "application/json", order(`50000`, `-100`), "bad_body", false},
		{"amount over the bound", 200, "application/json", order(`50000`, `10000001`), "bad_body", false},
		{"fractional amount", 200, "application/json", order(`50000`, `500.5`), "bad_body", false},
		{"other currency", 200, "application/json", order(`"CNY"`, `"USD"`), "bad_body", false},
		{"lower-case order number", 200, "application/json", order(`"ZMP20261202A1B2C3D4E5F6"`, `"zmp20261202a1b2c3"`), "bad_body", false},
		{"short order number", 200, "application/json", order(`"ZMP20261202A1B2C3D4E5F6"`, `"ZMP1"`), "bad_body", false},
		{"unknown state", 200, "application/json", order(`"created"`, `"settled"`), "bad_body", false},
		{"paid without channel", 200, "application/json", order(`"state":"created"`, `"state":"paid","paid_at":"2026-12-02T10:01:00Z"`), "bad_body", false},
		{"unknown channel", 200, "application/json", order(`"state":"created"`, strings.Replace(paidFields, "wechat", "paypal", 1)), "bad_body", false},
		{"whole code as tail", 200, "application/json", order(`"state":"created"`, strings.Replace(paidFields, `"6789"`, `"134567890123456789"`, 1)), "bad_body", false},
		{"failed without reason", 200, "application/json", order(`"state":"created"`, `"state":"failed"`), "bad_body", false},
		{"partial refund", 200, "application/json", order(`"state":"created"`, strings.Replace(refund, `"amount_fen":50000`, `"amount_fen":100`, 1)), "bad_body", false},
		{"refund on a paid order", 200, "application/json", order(`"state":"created"`, paidFields+`,"refund":{"refund_no":"ZMR20261202AAAA0000BBBB","amount_fen":50000,"refunded_at":"2026-12-02T10:05:00Z"}`), "bad_body", false},
		{"http payment link", 200, "application/json", order(`"https://pay`, `"http://pay`), "bad_body", false},
		{"control characters in payee", 200, "application/json", order(`中牟县社会保险中心`, `中牟\u001b[2J`), "bad_body", false},
		{"no payee", 200, "application/json", order(`"中牟县社会保险中心"`, `""`), "bad_body", false},
		{"expires before created", 200, "application/json", order(`2026-12-02T10:15:00Z`, `2026-12-02T09:00:00Z`), "bad_body", false},
		{"not found", 404, "application/problem+json", []byte(`{"status":404,"reason":"not_found"}`), "not_found", true},
		{"not payable", 409, "application/problem+json", []byte(`{"status":409,"reason":"order_not_payable","detail":"order is paid"}`), "order_not_payable", true},
		{"in progress", 409, "application/problem+json", []byte(`{"status":409,"reason":"in_progress"}`), "in_progress", false},
		{"busy", 503, "text/html", []byte(`<html>`), "unavailable", false},
		{"key reused", 422, "application/problem+json", []byte(`{"status":422,"reason":"key_reused"}`), "key_reused", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := DecodePaymentOrder("payment", tc.status, tc.ct, tc.body, 0)
			if tc.reason == "" {
				if err != nil || o.OrderNo == "" || o.AmountFen <= 0 {
					t.Fatalf("refused %+v: %v", o, err)
				}
				return
			}
			var be *Error
			if !errors.As(err, &be) || be.Reason != tc.reason || be.Permanent != tc.perm {
				t.Fatalf("got %+v, %v; want reason %s permanent %v", o, err, tc.reason, tc.perm)
			}
			if tc.status < 300 && !errors.Is(err, ErrBadReply) {
				t.Fatalf("unusable success is not ErrBadReply: %v", err)
			}
		})
	}
}

func TestAuthCodeChannel(t *testing.T) {
	for _, tc := range []struct {
		code string
		ch   PaymentChannel
		ok   bool
	}{
		{"134567890123456789", ChannelWeChat, true},
		{"104567890123456789", ChannelWeChat, true},
		{"164567890123456789", "", false},
		{"1345678901234567890", "", false}, // WeChat is 18 digits
		{"2876543210987654", ChannelAlipay, true},
		{"287654321098765432101234", ChannelAlipay, true},
		{"2876543210987654321012345", "", false},
		{"6212345678901234567", ChannelUnionPay, true},
		{"621234567890123456", "", false},
		{"", "", false},
		{"13456789012345678a", "", false},
		{"１３４５６７８９０１２３４５６７８９", "", false},
	} {
		ch, ok := AuthCodeChannel(tc.code)
		if ch != tc.ch || ok != tc.ok {
			t.Errorf("AuthCodeChannel(%q) = %q %v, want %q %v", tc.code, ch, ok, tc.ch, tc.ok)
		}
	}
	if got := MaskAuthCode("134567890123456789"); got != "****6789" {
		t.Errorf("mask %q", got)
	}
	if got := MaskAuthCode("123"); got != "****" {
		t.Errorf("mask of a short code %q", got)
	}
}

func TestPaymentKey(t *testing.T) {
	a := PaymentKey("K1", "charge", "ZMP1")
	if a != PaymentKey("K1", "charge", "ZMP1") {
		t.Fatal("not deterministic")
	}
	for _, other := range []string{PaymentKey("K2", "charge", "ZMP1"), PaymentKey("K1", "cancel", "ZMP1"),
		PaymentKey("K1", "charge", "ZMP2"), PaymentKey("K1", "charge", "ZMP", "1")} {
		if other == a {
			t.Fatalf("%q collides", other)
		}
	}
	if len(a) > 128 || !strings.HasPrefix(a, "charge-") {
		t.Fatalf("key %q", a)
	}
}

func FuzzDecodePaymentOrder(f *testing.F) {
	f.Add(201, "application/json", order())
	f.Add(200, "application/json", order(`"state":"created"`, paidFields))
	f.Add(200, "application/json", order(`50000`, `0`))
	f.Add(200, "application/json", order(`"state":"created"`, `"state":"refunded","paid_at":"2026-12-02T10:01:00Z","channel":"alipay","refund":{"refund_no":"ZMR20261202AAAA0000BBBB","amount_fen":50000,"refunded_at":"2026-12-02T10:05:00Z"}`))
	f.Add(409, "application/problem+json", []byte(`{"status":409,"reason":"order_not_payable"}`))
	f.Add(503, "text/html", []byte(`<html>`))
	f.Add(200, "application/json", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		o, err := DecodePaymentOrder("payment", status, ct, body, time.Second)
		if err == nil {
			if status != 200 && status != 201 {
				t.Fatalf("accepted status %d", status)
			}
			if !ValidOrderNo(o.OrderNo) || o.AmountFen <= 0 || o.AmountFen > MaxPaymentFen || o.Currency != "CNY" ||
				!o.State.Known() || (o.Channel != "" && !o.Channel.Known()) || o.CreatedAt.IsZero() ||
				!strings.HasPrefix(o.QRURL, "https:") && !strings.HasPrefix(strings.ToLower(o.QRURL), "https:") {
				t.Fatalf("accepted %+v", o)
			}
			if (o.State == PaymentPaid || o.State == PaymentRefunded) && (o.PaidAt.IsZero() || o.Channel == "") {
				t.Fatalf("accepted a paid order without time or channel: %+v", o)
			}
			if o.State == PaymentRefunded && (o.Refund == nil || o.Refund.AmountFen != o.AmountFen) {
				t.Fatalf("accepted refund %+v", o.Refund)
			}
			if len(o.PayerTail) != 0 && len(o.PayerTail) != 4 {
				t.Fatalf("accepted payer tail %q", o.PayerTail)
			}
			for _, s := range []string{o.Payee, o.Item, o.FailureMessage} {
				if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\n\r\x1b") {
					t.Fatalf("accepted text %q", s)
				}
			}
			return
		}
		var be *Error
		if !errors.As(err, &be) {
			t.Fatalf("error %v is not *Error", err)
		}
		if be.Error() == "" || len(be.Detail) > 1000 {
			t.Fatalf("bad error text %q", be.Error())
		}
		if (status == 200 || status == 201) && !errors.Is(err, ErrBadReply) {
			t.Fatalf("unusable success not ErrBadReply: %v", err)
		}
	})
}

func FuzzAuthCodeChannel(f *testing.F) {
	for _, s := range []string{"134567890123456789", "2876543210987654", "6212345678901234567", "", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		ch, ok := AuthCodeChannel(code)
		if ok != ch.Known() {
			t.Fatalf("%q: channel %q ok %v", code, ch, ok)
		}
		if ok && (len(code) < 16 || len(code) > 24 || strings.Trim(code, "0123456789") != "") {
			t.Fatalf("accepted %q", code)
		}
		m := MaskAuthCode(code)
		if len(code) >= 12 && strings.Contains(m, code[:len(code)-4]) && len(code[:len(code)-4]) >= 4 {
			t.Fatalf("mask %q shows %q", m, code)
		}
	})
}
