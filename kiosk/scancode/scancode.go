// Package scancode says what a code read by the kiosk's code scanner is,
// and whether it may be used: a resident's payment code (付款码), the
// kiosk's own tracking number, the QR code of a receipt the kiosk printed,
// or an electronic ID or certificate code from the resident's phone.
//
// It is pure domain logic with no device in it (drivers/scanner reads the
// codes), so the journey can validate a code on the screen that asked for
// one. Every validator checks length and character set, and a checksum
// where the format has one; none of the four formats here carries one (see
// the validators), so the backend remains the judge of whether a code is
// genuine. Codes are sensitive: log them only through Mask.
package scancode

import (
	"errors"
	"fmt"
	"strings"

	"github.com/henan-county/kiosk/kiosk/txn"
)

// Kind is what a scanned code is.
type Kind string

const (
	Unknown     Kind = "unknown"
	Payment     Kind = "payment"     // a payment code (付款码) shown by a payment app
	Tracking    Kind = "tracking"    // the kiosk's tracking number as printed or typed
	Receipt     Kind = "receipt"     // the QR code on a kiosk receipt: the catalog's track_url with the number
	Certificate Kind = "certificate" // an electronic ID or certificate code, verified by the backend
)

// Provider is the payment network a payment code belongs to.
type Provider string

const (
	WeChatPay Provider = "wechat"   // 微信支付: 18 digits, 10–15 first
	Alipay    Provider = "alipay"   // 支付宝: 16–24 digits, 25–30 first
	UnionPay  Provider = "unionpay" // 银联云闪付: 19 digits, 62 first
)

// Errors the validators return (wrapped, with the reason); callers test
// them with errors.Is.
var (
	ErrEmpty   = errors.New("scancode: empty code")
	ErrLength  = errors.New("scancode: wrong length")
	ErrCharset = errors.New("scancode: character not allowed")
	ErrPrefix  = errors.New("scancode: unknown prefix")
	ErrFormat  = errors.New("scancode: not in the expected format")
	// ErrUnknown: the code is none of the kinds the kiosk uses.
	ErrUnknown = errors.New("scancode: not a code the kiosk knows")
)

// Limits of an electronic ID or certificate code: an opaque token of
// printable ASCII the backend verifies.
const (
	CertificateMin = 16
	CertificateMax = 512
)

// Code is a classified code.
type Code struct {
	Kind     Kind
	Provider Provider // Payment only
	// Tracking is the tracking number, canonical (Tracking and Receipt).
	Tracking string
	// Text is the code as scanned. It is personal data: Mask it for logs.
	Text string
}

// Opts gives the classifier what it needs from the service list.
type Opts struct {
	// TrackURLs are the receipt QR addresses to recognise: the catalog's
	// track_url ("https://…/jd?no={tracking}") and any earlier one still
	// printed on receipts residents hold.
	TrackURLs []string
}

// Classify says what text is. Payment codes are tried first, then the
// tracking number, the receipt QR code, and last the certificate code (the
// least specific format: a token of printable characters). A text that is
// none of them is ErrUnknown (wrapped with the reason it failed the
// closest kind).
//
// Classify is for logs and the technicians' diagnostics; a screen that
// wants one kind of code checks it with Validate.
func Classify(text string, o *Opts) (Code, error) {
	if text == "" {
		return Code{Kind: Unknown}, ErrEmpty
	}
	if p, err := ValidatePayment(text); err == nil {
		return Code{Kind: Payment, Provider: p, Text: text}, nil
	}
	if no, err := ValidateTracking(text); err == nil {
		return Code{Kind: Tracking, Tracking: no, Text: text}, nil
	}
	var urls []string
	if o != nil {
		urls = o.TrackURLs
	}
	no, rerr := ValidateReceipt(text, urls...)
	if rerr == nil {
		return Code{Kind: Receipt, Tracking: no, Text: text}, nil
	}
	// A receipt's address with a damaged number is a damaged receipt, and
	// a number of digits only a payment code the kiosk does not take, not
	// certificate codes (a screen asking for a certificate code still
	// takes either through Validate).
	_, receiptLike := receiptNumber(text, urls)
	if !receiptLike && !isDigits(text) {
		if err := ValidateCertificate(text); err == nil {
			return Code{Kind: Certificate, Text: text}, nil
		}
	}
	var why string
	switch _, perr := ValidatePayment(text); {
	case isDigits(text):
		why = perr.Error()
	case receiptLike:
		why = rerr.Error()
	default:
		why = ValidateCertificate(text).Error()
	}
	return Code{Kind: Unknown, Text: text}, fmt.Errorf("%w: %s", ErrUnknown, strings.TrimPrefix(why, "scancode: "))
}

// Validate checks text as the kind a screen asked for and returns it
// classified; a code of another kind is an error (ErrFormat, wrapped).
func Validate(want Kind, text string, o *Opts) (Code, error) {
	switch want {
	case Payment:
		p, err := ValidatePayment(text)
		return Code{Kind: Payment, Provider: p, Text: text}, err
	case Tracking:
		no, err := ValidateTracking(text)
		return Code{Kind: Tracking, Tracking: no, Text: text}, err
	case Receipt:
		var urls []string
		if o != nil {
			urls = o.TrackURLs
		}
		no, err := ValidateReceipt(text, urls...)
		return Code{Kind: Receipt, Tracking: no, Text: text}, err
	case Certificate:
		return Code{Kind: Certificate, Text: text}, ValidateCertificate(text)
	}
	return Code{Kind: Unknown, Text: text}, fmt.Errorf("scancode: validate: no such kind %q: %w", want, ErrFormat)
}

// ValidatePayment checks a payment code (付款码) by the networks' published
// shapes: WeChat Pay 18 digits starting 10–15, Alipay 16–24 digits starting
// 25–30, UnionPay QuickPass 19 digits starting 62. The codes carry no
// public check digit (they are one-time tokens the network resolves), so
// length, digits and prefix are all the kiosk can check.
func ValidatePayment(s string) (Provider, error) {
	switch {
	case s == "":
		return "", ErrEmpty
	case !isDigits(s):
		return "", fmt.Errorf("%w: a payment code is digits only", ErrCharset)
	case len(s) < 16 || len(s) > 24:
		return "", fmt.Errorf("%w: a payment code has 16 to 24 digits, this has %d", ErrLength, len(s))
	}
	p2 := int(s[0]-'0')*10 + int(s[1]-'0')
	switch {
	case p2 >= 10 && p2 <= 15:
		if len(s) != 18 {
			return "", fmt.Errorf("%w: a WeChat Pay code has 18 digits, this has %d", ErrLength, len(s))
		}
		return WeChatPay, nil
	case p2 >= 25 && p2 <= 30:
		return Alipay, nil // any length 16–24, checked above
	case p2 == 62:
		if len(s) != 19 {
			return "", fmt.Errorf("%w: a UnionPay code has 19 digits, this has %d", ErrLength, len(s))
		}
		return UnionPay, nil
	}
	return "", fmt.Errorf("%w: payment codes start 10–15 (WeChat Pay), 25–30 (Alipay) or 62 (UnionPay), this starts %02d", ErrPrefix, p2)
}

// ValidateTracking checks the kiosk's tracking number and returns it in
// canonical form. It takes what kiosk/txn accepts, so a number typed in
// the progress-check field and one scanned agree: the eight-character code
// of this build ("K7QH2M4X", alphabet txn.TrackingAlphabet) or the
// 18-character number of earlier builds ("ZM20261126K7QH2M4X"). Spaces,
// hyphens and small letters, as a resident types them, are accepted.
// Neither format has a check character: a mistyped number that is still
// well-formed is only found out by the backend's "no such matter".
func ValidateTracking(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", ErrEmpty
	}
	c, ok := txn.ParseTrackingNo(s)
	if ok {
		return c, nil
	}
	for i := 0; i < len(c); i++ {
		if c[i] < 0x21 || c[i] > 0x7e {
			return "", fmt.Errorf("%w: a tracking number is letters and digits", ErrCharset)
		}
	}
	switch len(c) {
	case txn.TrackingLen:
		return "", fmt.Errorf("%w: a tracking code uses %s only (no 0, 1, I, L, O or U)", ErrCharset, txn.TrackingAlphabet)
	case 18:
		return "", fmt.Errorf("%w: an earlier build's number is ZM, a date and eight characters", ErrFormat)
	}
	return "", fmt.Errorf("%w: a tracking number has %d characters (or 18 from earlier builds), this has %d", ErrLength, txn.TrackingLen, len(c))
}

// ValidateReceipt checks the QR code of a kiosk receipt: one of the
// track_url templates with "{tracking}" replaced by a tracking number, as
// kiosk/receipt prints it. Scheme and host are compared without regard to
// case (some scanners upper-case a URL); the number must be canonical, as
// printed. It returns the tracking number.
func ValidateReceipt(s string, trackURLs ...string) (string, error) {
	if s == "" {
		return "", ErrEmpty
	}
	if len(trackURLs) == 0 {
		return "", fmt.Errorf("%w: no track_url in the service list, so no receipt code is known", ErrFormat)
	}
	no, matched := receiptNumber(s, trackURLs)
	switch {
	case matched && txn.ValidTrackingNo(no):
		return no, nil
	case matched:
		return "", fmt.Errorf("%w: the receipt address does not hold a valid tracking number", ErrFormat)
	}
	return "", fmt.Errorf("%w: not the address of a kiosk receipt", ErrFormat)
}

// receiptNumber cuts the tracking number out of s when s is one of the
// templates around it.
func receiptNumber(s string, trackURLs []string) (no string, matched bool) {
	for _, u := range trackURLs {
		pre, post, ok := strings.Cut(u, "{tracking}")
		if !ok || len(s) < len(pre)+len(post) {
			continue
		}
		if prefixFold(s, pre) && strings.HasSuffix(s, post) {
			return s[len(pre) : len(s)-len(post)], true
		}
	}
	return "", false
}

// prefixFold is strings.HasPrefix, ignoring case up to the end of the host
// (scheme://host/), and exact after it.
func prefixFold(s, pre string) bool {
	if len(s) < len(pre) {
		return false
	}
	host := len(pre)
	if i := strings.Index(pre, "://"); i >= 0 {
		if j := strings.IndexByte(pre[i+3:], '/'); j >= 0 {
			host = i + 3 + j
		}
	} else {
		host = 0
	}
	return strings.EqualFold(s[:host], pre[:host]) && s[host:len(pre)] == pre[host:]
}

// ValidateCertificate checks an electronic ID or certificate code as an
// opaque token: CertificateMin to CertificateMax characters of printable
// ASCII (space to tilde). What it says, and whether it is genuine, is the
// backend's to verify.
func ValidateCertificate(s string) error {
	switch {
	case s == "":
		return ErrEmpty
	case len(s) < CertificateMin || len(s) > CertificateMax:
		return fmt.Errorf("%w: a certificate code has %d to %d characters, this has %d", ErrLength, CertificateMin, CertificateMax, len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("%w: a certificate code is printable ASCII, byte %d is 0x%02x", ErrCharset, i, s[i])
		}
	}
	return nil
}

// Mask hides all of a code but its last four characters, for logs, events
// and technicians' screens: a payment code is money. At most 16 stars are
// written, so a long certificate code stays one short line.
func Mask(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", min(len(r)-4, 16)) + string(r[len(r)-4:])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
