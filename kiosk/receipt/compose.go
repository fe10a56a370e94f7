package receipt

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/money"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// ErrMissingField means a receipt template names a value the transaction
// does not have: a form field the matter's form lacks or the resident left
// out, a card field without a card, or a result field the backend did not
// return.
var ErrMissingField = errors.New("receipt: template names a missing field")

// ErrBadTemplate means a receipt template is malformed (an unknown mask, an
// unknown card field).
var ErrBadTemplate = errors.New("receipt: bad template")

// Input is everything a receipt is composed from.
type Input struct {
	Catalog  *catalog.Catalog
	Service  *catalog.Service
	HallName string
	KioskID  string
	Location string
	Time     time.Time
	Result   txn.Result
	Fields   map[string]string // form values by field id
	Card     *identity.Card    // nil when the matter reads no card
	Elder    bool              // elder mode: double-size text throughout
	Zone     *time.Location    // the county's time zone for dates (nil: UTC+8)
	// Person is the applicant in full, as the backend received them. It is
	// never printed: the backend's answer is searched for these values so
	// they are printed masked (a certificate naming the resident in full).
	Person *txn.Person
	// A4Pages is how many pages of the matter's A4 document were printed
	// (0: none); the slip says so, with the document's verification code
	// (A4Code) when it has one.
	A4Pages int
	A4Code  string
	// Payment is what the resident paid for the matter (nil: nothing),
	// and the refund when the money went back.
	Payment *Payment
}

// Payment is a matter's payment as the slip shows it: nothing of the
// payment code but its last four digits.
type Payment struct {
	Amount    money.Fen
	Payee     string
	Item      string
	OrderNo   string
	Channel   string // in residents' words: 微信支付, 支付宝, 云闪付
	PayerTail string
	RefundNo  string // the refund, when the backend refused the matter
}

// payment prints the payment, once: a line the backend's answer already
// gave (its amount, payee or order number) is not repeated.
func (p *Payment) lines(d *Doc, size int) {
	if p == nil || p.Amount <= 0 {
		return
	}
	add := func(label, v string) {
		if v != "" && !d.has(v) {
			d.Line(label+"："+v, size, false, Left)
		}
	}
	add("缴费金额", p.Amount.Receipt())
	add("收款单位", p.Payee)
	add("缴费项目", p.Item)
	add("订单号", p.OrderNo)
	if p.Channel != "" {
		how := p.Channel
		if p.PayerTail != "" {
			how += " 尾号" + p.PayerTail
		}
		add("支付方式", how)
	}
	if p.RefundNo != "" {
		d.Line("已退款："+p.Amount.Receipt()+"，原路退回", size, true, Left)
		d.Line("退款单号："+p.RefundNo, size, false, Left)
	}
}

// Wording printed on every receipt, in plain Chinese only: the residents
// who take a slip home read Chinese, and words of English beside it only
// crowd 58 mm paper.
const (
	QueuedNotice  = "已受理，部门正在办理"
	KeepNotice    = "请妥善保管此凭条"
	ScanNotice    = "用手机扫码查看办理进度"
	NotFilled     = "（未填写）"
	ReprintBanner = "补打凭条"
	// TrackingLabel names the tracking number everywhere a resident sees
	// it: the screens say 办理编号 too.
	TrackingLabel = "办理编号"
)

// DateTime writes a time as residents write it: 2026年11月26日 10:30.
func DateTime(t time.Time) string { return t.Format("2006年1月2日 15:04") }

// Date writes a day as residents write it: 1953年3月15日.
func Date(t time.Time) string { return t.Format("2006年1月2日") }

// chinaTime is UTC+8, the county's time zone, used when Input.Zone is nil.
var chinaTime = time.FixedZone("CST", 8*3600)

// Compose renders the matter's receipt template between the kiosk's fixed
// header and footer. It never panics; a template naming a value the
// transaction lacks returns an error wrapping ErrMissingField.
//
// Personal values read from the ID card (name, ID number, address) are
// always masked, even when the template asks for mask "none": a receipt may
// be left in the tray of a hall open all night. Form fields marked Personal
// follow the same rule, and so does the backend's answer: the resident's
// own values and anything shaped like an ID or mobile number in its
// message, lines and document are printed masked. The applicant is printed
// once: in the template's lines when they name the card, else in the
// footer.
func Compose(in Input) (Doc, error) {
	if in.Catalog == nil || in.Service == nil {
		return Doc{}, fmt.Errorf("receipt: compose: %w: no catalog or service", ErrBadTemplate)
	}
	size := 1
	if in.Elder {
		size = 2
	}
	zone := in.Zone
	if zone == nil {
		zone = chinaTime
	}
	svc := in.Service
	var d Doc

	// Header.
	hall := in.HallName
	if hall == "" {
		hall = in.Catalog.County
	}
	d.Line(hall, size, true, Center)
	if in.Catalog.County != "" && in.Catalog.County != hall {
		d.Line(in.Catalog.County, size, false, Center)
	}
	title := svc.Receipt.Title
	if title == "" {
		title = svc.Name
	}
	d.Line(title, 2, true, Center)
	d.Add(Elem{Kind: Rule})
	d.Line("事项："+svc.Name, size, false, Left)
	if svc.Department != "" {
		d.Line("部门："+svc.Department, size, false, Left)
	}
	if !in.Time.IsZero() {
		d.Line("时间："+DateTime(in.Time.In(zone)), size, false, Left)
	}
	kiosk := in.KioskID
	if in.Location != "" {
		kiosk += " " + in.Location
	}
	if strings.TrimSpace(kiosk) != "" {
		d.Line("自助机："+strings.TrimSpace(kiosk), size, false, Left)
	}
	d.Add(Elem{Kind: Rule})

	// The matter's own lines.
	applicantShown := false
	for i, l := range svc.Receipt.Lines {
		v, err := in.value(l)
		if err != nil {
			return Doc{}, fmt.Errorf("receipt: compose %s line %d (%s): %w", svc.ID, i+1, l.Field, err)
		}
		if l.Field == "card.name" {
			applicantShown = true
		}
		d.Line(l.Label+"："+v, size, false, Left)
	}
	if svc.Receipt.Note != "" {
		d.Line(svc.Receipt.Note, size, false, Left)
	}

	// Footer: outcome, the A4 document, tracking number, QR, identity,
	// hotline.
	d.Add(Elem{Kind: Rule})
	in.outcome(&d, size)
	in.Payment.lines(&d, size)
	if in.A4Pages > 0 {
		d.Line(A4Text(in.A4Pages), size, true, Left)
		if in.A4Code != "" && !d.has(in.A4Code) {
			d.Line("证明验证码："+in.A4Code, size, false, Left)
		}
	}
	r := in.Result
	if r.TrackingNo != "" {
		d.Line(TrackingLabel, size, false, Center)
		d.Line(GroupTracking(r.TrackingNo), 2, true, Center)
		if in.Catalog.TrackURL != "" {
			d.Add(Elem{Kind: QR, Align: Center,
				Data: strings.ReplaceAll(in.Catalog.TrackURL, "{tracking}", r.TrackingNo)})
			d.Line(ScanNotice, size, false, Center)
		}
	} else if r.TxID != "" {
		d.Line("流水号："+strings.ToUpper(r.TxID), 1, false, Center)
	}
	if !applicantShown && in.Card != nil && (in.Card.Name != "" || in.Card.IDNumber != "") {
		m := in.Card.Masked()
		d.Line("申请人："+strings.TrimSpace(m.Name+" "+m.IDNumber), size, false, Left)
	}
	if in.Catalog.Hotline != "" {
		d.Line("服务热线："+in.Catalog.Hotline, size, true, Left)
	}
	d.Line(KeepNotice, size, true, Center)
	d.Add(Elem{Kind: Cut})
	return d, nil
}

// A4Text is the slip's line for the A4 document printed with it.
func A4Text(pages int) string { return "已打印证明 " + strconv.Itoa(pages) + " 页" }

func (in Input) outcome(d *Doc, size int) {
	r := in.Result
	safe := in.scrubber()
	switch r.Outcome {
	case txn.Completed:
		d.Line(outcomeWords[txn.Completed], size, true, Center)
		if r.Message != "" {
			d.Line(safe(r.Message), size, false, Left)
		}
		for _, l := range r.Lines {
			v := safe(l.Value)
			line := safe(l.Label) + "：" + v
			if in.isApplicant(v) || d.has(line) {
				continue // the applicant, and what the template printed above, once
			}
			d.Line(line, size, false, Left)
		}
		for _, l := range r.Document {
			d.Line(safe(l), size, false, Left)
		}
	case txn.Queued:
		d.Line(QueuedNotice, size, true, Center)
		d.Line(TimeLimitText(in.Service.TimeLimitDays), size, false, Center)
		if r.Message != "" {
			d.Line(safe(r.Message), size, false, Left)
		}
	case txn.Rejected:
		d.Line("未能受理", size, true, Center)
		if r.Message != "" {
			d.Line(safe(r.Message), size, false, Left)
		}
	case txn.Unreached:
		d.Line("暂未办理：连不上服务系统，请稍后再试或拨打服务热线", size, true, Left)
	default:
		if r.Message != "" {
			d.Line(safe(r.Message), size, false, Left)
		}
	}
}

// isApplicant reports whether a masked value is the applicant's name or
// number as the slip prints it anyway.
func (in Input) isApplicant(v string) bool {
	if v == "" {
		return false
	}
	if p := in.Person; p != nil && (v == mask.Name(p.Name) || v == mask.ID(p.IDNumber)) {
		return true
	}
	if c := in.Card; c != nil && (v == mask.Name(c.Name) || v == mask.ID(c.IDNumber)) {
		return true
	}
	return false
}

// scrubber returns a function that masks, in the backend's answer, the
// resident's own personal values (the card's and the form's, as the
// receipt lines would mask them) and anything else shaped like an ID or
// mobile number. A backend may well write 兹证明 王建国（410122195603151231）
// into a certificate; the slip may be left in the tray.
func (in Input) scrubber() func(string) string {
	type pair struct{ full, masked string }
	var ps []pair
	addValue := func(v, masked string) {
		if v = strings.TrimSpace(v); len([]rune(v)) >= 2 && v != masked {
			ps = append(ps, pair{v, masked})
		}
	}
	if p := in.Person; p != nil {
		addValue(p.Name, mask.Name(p.Name))
		addValue(p.IDNumber, mask.ID(p.IDNumber))
	}
	if c := in.Card; c != nil {
		addValue(c.Name, mask.Name(c.Name))
		addValue(c.IDNumber, mask.ID(c.IDNumber))
		addValue(c.Address, mask.Address(c.Address))
		addValue(c.PassNumber, mask.ID(c.PassNumber))
	}
	for _, f := range in.Service.Form {
		v := in.Fields[f.ID]
		switch {
		case f.Type == catalog.FieldFromCard || f.CardField != "":
			kind := defaultMask(f.CardField)
			switch f.CardField {
			case "sex", "nation", "birth", "issuer", "valid_to", "nationality":
				continue
			}
			addValue(v, applyMask(kind, v))
		case f.Personal || f.Type == catalog.FieldIDNumber:
			addValue(v, applyMask(defaultMaskForType(f.Type), v))
		}
	}
	// Longest first, so a name inside an address is not masked twice.
	sort.Slice(ps, func(i, j int) bool { return len(ps[i].full) > len(ps[j].full) })
	return func(s string) string {
		for _, p := range ps {
			s = strings.ReplaceAll(s, p.full, p.masked)
		}
		return mask.ResultText(s)
	}
}

// GroupTracking writes a tracking number in groups for reading
// (txn.GroupTracking): "K7QH 2M4X", or "ZM20261126 K7QH2M4X" for a number
// of earlier builds, so it reads aloud easily on the hotline and, in
// double size on 58 mm paper, breaks between the groups instead of
// mid-number.
func GroupTracking(s string) string { return txn.GroupTracking(s) }

// TimeLimitText words a matter's legal time limit.
func TimeLimitText(days int) string {
	if days <= 0 {
		return "当场办好"
	}
	return strconv.Itoa(days) + " 个工作日内办好"
}

// value resolves one template line to its printed (masked) text.
func (in Input) value(l catalog.ReceiptLine) (string, error) {
	mask := l.Mask
	if mask == "" {
		mask = "none"
	}
	if !validMask(mask) {
		return "", fmt.Errorf("%w: unknown mask %q", ErrBadTemplate, l.Mask)
	}
	switch {
	case strings.HasPrefix(l.Field, "card."):
		if in.Card == nil {
			return "", fmt.Errorf("%w: no ID card was read", ErrMissingField)
		}
		name := strings.TrimPrefix(l.Field, "card.")
		v, personal, err := cardField(in.Card, name)
		if err != nil {
			return "", err
		}
		if personal && mask == "none" {
			mask = defaultMask(name)
		}
		return applyMask(mask, v), nil
	case strings.HasPrefix(l.Field, "result."):
		name := strings.TrimPrefix(l.Field, "result.")
		v, ok := resultField(in.Result, name)
		if !ok {
			// The backend decides what its answer holds; a queued matter has
			// no document number yet. The receipt still prints.
			if in.Result.Outcome == txn.Completed {
				return NotProvided, nil
			}
			return PendingValue, nil
		}
		return applyMask(mask, v), nil
	default:
		f, ok := formField(in.Service, l.Field)
		if !ok {
			return "", fmt.Errorf("%w: the form has no field %q", ErrMissingField, l.Field)
		}
		v, ok := in.Fields[l.Field]
		if !ok || strings.TrimSpace(v) == "" {
			if f.Required {
				return "", fmt.Errorf("%w: required field %q has no value", ErrMissingField, l.Field)
			}
			return NotFilled, nil
		}
		if f.Personal && mask == "none" {
			mask = defaultMaskForType(f.Type)
		}
		if f.Type == catalog.FieldChoice {
			for _, c := range f.Choices {
				if c.Value == v && c.Label != "" {
					v = c.Label
					break
				}
			}
		}
		return applyMask(mask, v), nil
	}
}

func validMask(m string) bool {
	for _, k := range catalog.ReceiptMasks {
		if k == m {
			return true
		}
	}
	return false
}

func formField(s *catalog.Service, id string) (catalog.Field, bool) {
	for _, f := range s.Form {
		if f.ID == id {
			return f, true
		}
	}
	return catalog.Field{}, false
}

// cardField returns a card value and whether it is personal data that is
// never printed in full.
func cardField(c *identity.Card, name string) (string, bool, error) {
	switch name {
	case "name":
		return c.Name, true, nil
	case "english_name":
		return c.EnglishName, true, nil
	case "id_number":
		return c.IDNumber, true, nil
	case "address":
		return c.Address, true, nil
	case "pass_number":
		return c.PassNumber, true, nil
	case "sex":
		return c.Sex, false, nil
	case "nation":
		return c.Nation, false, nil
	case "nationality":
		return c.Nationality, false, nil
	case "birth":
		if c.Birth.IsZero() {
			return "", false, nil
		}
		return Date(c.Birth), false, nil
	case "issuer":
		return c.Issuer, false, nil
	case "valid_to":
		if c.LongTerm {
			return "长期", false, nil
		}
		if c.ValidTo.IsZero() {
			return "", false, nil
		}
		return Date(c.ValidTo), false, nil
	}
	return "", false, fmt.Errorf("%w: unknown card field %q", ErrBadTemplate, name)
}

func defaultMask(cardName string) string {
	switch cardName {
	case "id_number", "pass_number":
		return "id"
	case "address":
		return "address"
	}
	return "name"
}

func defaultMaskForType(t catalog.FieldType) string {
	switch t {
	case catalog.FieldPhone:
		return "phone"
	case catalog.FieldIDNumber:
		return "id"
	}
	return "all"
}

// Values printed for a result field the backend's answer does not hold.
const (
	NotProvided  = "—"
	PendingValue = "办好后提供"
)

func resultField(r txn.Result, name string) (string, bool) {
	for _, l := range r.Lines {
		if l.Key == name {
			return l.Value, true
		}
	}
	switch name {
	case "tracking_no":
		return r.TrackingNo, r.TrackingNo != ""
	case "message":
		return r.Message, r.Message != ""
	case "outcome":
		return outcomeWords[r.Outcome], outcomeWords[r.Outcome] != ""
	case "tx_id":
		return strings.ToUpper(r.TxID), r.TxID != ""
	}
	for _, l := range r.Lines {
		if l.Key == "" && l.Label == name {
			return l.Value, true
		}
	}
	return "", false
}

// outcomeWords says an outcome in the resident's words.
var outcomeWords = map[txn.Outcome]string{
	txn.Completed: "已办好", txn.Queued: "已受理", txn.Rejected: "未能受理", txn.Unreached: "暂未办理",
}

func applyMask(kind, v string) string {
	switch kind {
	case "id":
		return mask.ID(v)
	case "name":
		return mask.Name(v)
	case "phone":
		return mask.Phone(v)
	case "address":
		return mask.Address(v)
	case "all":
		return strings.Repeat("*", min(len([]rune(v)), 8))
	}
	return v
}

// IncompleteMessage is what the resident is told when the printer ran out
// of paper in the middle of their receipt.
func IncompleteMessage(hotline string) string {
	s := "凭条没有打印完：打印机没纸了。请取走已经打印出来的部分；您的事项已经记下，可以补打凭条"
	if hotline != "" {
		s += "，也可以拨打服务热线 " + hotline
	}
	return s + "。"
}

// Reprint returns a copy of d marked as a reprint made at t, for a
// technician reprinting a receipt that was cut short.
func Reprint(d Doc, t time.Time) Doc {
	out := Doc{Elems: make([]Elem, 0, len(d.Elems)+1)}
	banner := ReprintBanner
	if !t.IsZero() {
		banner += " " + DateTime(t.In(chinaTime))
	}
	out.Line(banner, 1, true, Center)
	out.Elems = append(out.Elems, d.Elems...)
	return out
}

// has reports whether some text already on the slip holds s.
func (d *Doc) has(s string) bool {
	for _, e := range d.Elems {
		if strings.Contains(e.Text, s) {
			return true
		}
	}
	return false
}
