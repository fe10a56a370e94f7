package scancode

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/txn"
)

const trackURL = "https://zwfw.zhongmu.gov.cn/jd?no={tracking}"

var opts = &Opts{TrackURLs: []string{trackURL, "https://old.example.gov.cn/t/{tracking}"}}

func TestClassify(t *testing.T) {
	code := txn.TrackingNo("kiosk-01", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	if !txn.ValidTrackingNo(code) {
		t.Fatalf("txn made an invalid code %q", code)
	}
	for _, tc := range []struct {
		name     string
		in       string
		kind     Kind
		provider Provider
		tracking string
		err      error
	}{
		{"wechat", "134567890123456789", Payment, WeChatPay, "", nil},
		{"wechat low prefix", "104567890123456789", Payment, WeChatPay, "", nil},
		{"alipay 16", "2812345678901234", Payment, Alipay, "", nil},
		{"alipay 24", "300000000000000000000000", Payment, Alipay, "", nil},
		{"alipay 18", "251234567890123456", Payment, Alipay, "", nil},
		{"unionpay", "6212345678901234567", Payment, UnionPay, "", nil},
		{"tracking", code, Tracking, "", code, nil},
		{"tracking typed", strings.ToLower(code[:4]) + " " + code[4:], Tracking, "", code, nil},
		{"legacy tracking", "ZM20261126K7QH2M4X", Tracking, "", "ZM20261126K7QH2M4X", nil},
		{"receipt", strings.ReplaceAll(trackURL, "{tracking}", code), Receipt, "", code, nil},
		{"receipt upper host", "HTTPS://ZWFW.ZHONGMU.GOV.CN/jd?no=" + code, Receipt, "", code, nil},
		{"receipt legacy", "https://zwfw.zhongmu.gov.cn/jd?no=ZM20261126K7QH2M4X", Receipt, "", "ZM20261126K7QH2M4X", nil},
		{"receipt earlier url", "https://old.example.gov.cn/t/" + code, Receipt, "", code, nil},
		{"certificate", "HNEID:v1:9f8e7d6c5b4a3f2e1d0c", Certificate, "", "", nil},
		{"certificate other site url", "https://evil.example.com/jd?no=" + code, Certificate, "", "", nil},
		{"empty", "", Unknown, "", "", ErrEmpty},
		{"short digits", "12345", Unknown, "", "", ErrUnknown},
		{"wechat wrong length", "1345678901234567890", Unknown, "", "", ErrUnknown},
		{"bad prefix", "991234567890123456", Unknown, "", "", ErrUnknown},
		{"short text", "hello", Unknown, "", "", ErrUnknown},
		{"control byte", "HNEID:v1:9f8e7d6c\x015b4a3f2e1d0c", Unknown, "", "", ErrUnknown},
		{"receipt bad number", "https://zwfw.zhongmu.gov.cn/jd?no=OOOOOOOO", Unknown, "", "", ErrUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Classify(tc.in, opts)
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("Classify(%q) error %v, want %v", tc.in, err, tc.err)
			}
			if c.Kind != tc.kind || c.Provider != tc.provider || c.Tracking != tc.tracking {
				t.Errorf("Classify(%q) = %+v, want kind %s provider %q tracking %q", tc.in, c, tc.kind, tc.provider, tc.tracking)
			}
		})
	}
}

func TestValidatePaymentReasons(t *testing.T) {
	for _, tc := range []struct {
		in   string
		err  error
		want string
	}{
		{"13456789012345678", ErrLength, "WeChat Pay code has 18 digits"},
		{"621234567890123456", ErrLength, "UnionPay code has 19 digits"},
		{"2812345678901", ErrLength, "16 to 24 digits"},
		{"28123456789012345678901234", ErrLength, "16 to 24 digits"},
		{"161234567890123456", ErrPrefix, "starts 16"},
		{"6312345678901234567", ErrPrefix, "starts 63"},
		{"13456789012345678X", ErrCharset, "digits only"},
		{"１３４５６７８９０１２３４５６７８９", ErrCharset, "digits only"}, // full-width digits
		{"", ErrEmpty, "empty"},
	} {
		_, err := ValidatePayment(tc.in)
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ValidatePayment(%q) = %v, want %v saying %q", tc.in, err, tc.err, tc.want)
		}
	}
}

func TestValidateTrackingReasons(t *testing.T) {
	for _, tc := range []struct {
		in  string
		err error
	}{
		{"K7QH2M40", ErrCharset},          // 0 is not in the alphabet
		{"K7QH2MLX", ErrCharset},          // nor L
		{"ZM2026112AK7QH2M4X", ErrFormat}, // a letter in the date
		{"XM20261126K7QH2M4X", ErrFormat}, // not ZM
		{"ZM20261126K7QH2M40", ErrFormat}, // 0 in the code part
		{"K7QH2M4", ErrLength},            // one short
		{"1234567890123", ErrLength},      // the old 12–20 digit hint
		{"K7QH\x002M4X", ErrCharset},      // a control byte
		{"   ", ErrEmpty},
	} {
		if _, err := ValidateTracking(tc.in); !errors.Is(err, tc.err) {
			t.Errorf("ValidateTracking(%q) = %v, want %v", tc.in, err, tc.err)
		}
	}
}

func TestValidateReceipt(t *testing.T) {
	code := txn.TrackingNo("kiosk-02", "tx-1")
	for _, tc := range []struct {
		in, want string
		urls     []string
		ok       bool
	}{
		{"https://zwfw.zhongmu.gov.cn/jd?no=" + code, code, []string{trackURL}, true},
		{"https://zwfw.zhongmu.gov.cn/JD?no=" + code, "", []string{trackURL}, false}, // path is case-sensitive
		{"https://zwfw.zhongmu.gov.cn/jd?no=" + code + "&x=1", "", []string{trackURL}, false},
		{"https://zwfw.zhongmu.gov.cn/jd?no=" + strings.ToLower(code), "", []string{trackURL}, false}, // printed canonical
		{"https://x.gov.cn/p/" + code + "/status", code, []string{"https://x.gov.cn/p/{tracking}/status"}, true},
		{"https://zwfw.zhongmu.gov.cn/jd?no=" + code, "", nil, false},
		{"https://zwfw.zhongmu.gov.cn/jd?no=", "", []string{trackURL}, false},
	} {
		got, err := ValidateReceipt(tc.in, tc.urls...)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ValidateReceipt(%q, %q) = %q, %v", tc.in, tc.urls, got, err)
		}
	}
}

func TestValidateCertificate(t *testing.T) {
	for _, tc := range []struct {
		in  string
		err error
	}{
		{strings.Repeat("a", CertificateMin), nil},
		{strings.Repeat("a", CertificateMax), nil},
		{"with spaces inside it is fine", nil},
		{strings.Repeat("a", CertificateMin-1), ErrLength},
		{strings.Repeat("a", CertificateMax+1), ErrLength},
		{strings.Repeat("a", 20) + "\t", ErrCharset},
		{strings.Repeat("a", 20) + "é", ErrCharset},
		{strings.Repeat("a", 20) + "\x7f", ErrCharset},
		{"", ErrEmpty},
	} {
		if err := ValidateCertificate(tc.in); !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
			t.Errorf("ValidateCertificate(%q) = %v, want %v", tc.in, err, tc.err)
		}
	}
}

func TestValidateWantsTheKindAsked(t *testing.T) {
	code := txn.TrackingNo("kiosk-01", "tx-9")
	if _, err := Validate(Payment, code, opts); !errors.Is(err, ErrCharset) {
		t.Errorf("a tracking number accepted as a payment code: %v", err)
	}
	if c, err := Validate(Tracking, code, opts); err != nil || c.Tracking != code {
		t.Errorf("Validate(Tracking) = %+v, %v", c, err)
	}
	if _, err := Validate(Receipt, code, opts); !errors.Is(err, ErrFormat) {
		t.Errorf("a bare number accepted as a receipt QR code: %v", err)
	}
	if c, err := Validate(Certificate, "134567890123456789", opts); err != nil || c.Kind != Certificate {
		t.Errorf("a screen asking for a certificate gets the token whatever it looks like: %+v %v", c, err)
	}
	if _, err := Validate("bogus", code, opts); !errors.Is(err, ErrFormat) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "",
		"123":                             "***",
		"1234":                            "****",
		"134567890123456789":              "**************6789",
		strings.Repeat("x", 100) + "tail": strings.Repeat("*", 16) + "tail",
		"付款码一二三四五":                        "****二三四五",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzClassify: any text is classified without a panic, the kinds agree
// with the validators, a payment code is digits only, and a mask never
// shows more than four characters of the code.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"134567890123456789", "2812345678901234", "6212345678901234567", "K7QH2M4X",
		"ZM20261126K7QH2M4X", "https://zwfw.zhongmu.gov.cn/jd?no=K7QH2M4X", "HNEID:v1:9f8e7d6c5b4a3f2e1d0c", "", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Classify(s, opts)
		if err != nil {
			if c.Kind != Unknown {
				t.Fatalf("error %v with kind %s", err, c.Kind)
			}
		} else {
			if _, verr := Validate(c.Kind, s, opts); verr != nil {
				t.Fatalf("Classify says %s, Validate says %v", c.Kind, verr)
			}
			if c.Kind == Payment && !isDigits(s) {
				t.Fatalf("payment code %q not digits", s)
			}
			if (c.Kind == Tracking || c.Kind == Receipt) && !txn.ValidTrackingNo(c.Tracking) {
				t.Fatalf("tracking %q invalid", c.Tracking)
			}
		}
		m := Mask(s)
		if utf8.ValidString(s) {
			shown := strings.TrimLeft(m, "*")
			if n := utf8.RuneCountInString(shown); n > 4 {
				t.Fatalf("Mask(%q) = %q shows %d characters", s, m, n)
			}
		}
	})
}
