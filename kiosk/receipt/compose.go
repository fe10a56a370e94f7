package receipt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
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
}

// Wording printed on every receipt. Chinese first, English beside it.
const (
	QueuedNotice   = "已受理，排队处理中 / queued, will be processed"
	KeepNotice     = "请妥善保管此凭条 / keep this receipt"
	ScanNotice     = "扫码查询办理进度 / scan to check progress"
	NotFilled      = "（未填写 not given）"
	ReprintBanner  = "补打 REPRINT"
	dateTimeLayout = "2006-01-02 15:04"
)

// Compose renders the matter's receipt template between the kiosk's fixed
// header and footer. It never panics; a template naming a value the
// transaction lacks returns an error wrapping ErrMissingField.
//
// Personal values read from the ID card (name, ID number, address) are
// always masked, even when the template asks for mask "none": a receipt may
// be left in the tray of a hall open all night. Form fields marked Personal
// follow the same rule.
func Compose(in Input) (Doc, error) {
	if in.Catalog == nil || in.Service == nil {
		return Doc{}, fmt.Errorf("receipt: compose: %w: no catalog or service", ErrBadTemplate)
	}
	size := 1
	if in.Elder {
		size = 2
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
	d.Line("事项 Matter："+svc.Name, size, false, Left)
	if svc.Department != "" {
		d.Line("部门 Dept.："+svc.Department, size, false, Left)
	}
	if !in.Time.IsZero() {
		d.Line("时间 Time："+in.Time.Format(dateTimeLayout), size, false, Left)
	}
	kiosk := in.KioskID
	if in.Location != "" {
		kiosk += " " + in.Location
	}
	if strings.TrimSpace(kiosk) != "" {
		d.Line("终端 Kiosk："+strings.TrimSpace(kiosk), size, false, Left)
	}
	d.Add(Elem{Kind: Rule})

	// The matter's own lines.
	for i, l := range svc.Receipt.Lines {
		v, err := in.value(l)
		if err != nil {
			return Doc{}, fmt.Errorf("receipt: compose %s line %d (%s): %w", svc.ID, i+1, l.Field, err)
		}
		d.Line(l.Label+"："+v, size, false, Left)
	}
	if svc.Receipt.Note != "" {
		d.Line(svc.Receipt.Note, size, false, Left)
	}

	// Footer: outcome, tracking number, QR, identity, hotline.
	d.Add(Elem{Kind: Rule})
	in.outcome(&d, size)
	r := in.Result
	if r.TrackingNo != "" {
		d.Line("受理编号 Tracking No.", size, false, Center)
		d.Line(GroupTracking(r.TrackingNo), 2, true, Center)
		if in.Catalog.TrackURL != "" {
			d.Add(Elem{Kind: QR, Align: Center,
				Data: strings.ReplaceAll(in.Catalog.TrackURL, "{tracking}", r.TrackingNo)})
			d.Line(ScanNotice, size, false, Center)
		}
	} else if r.TxID != "" {
		d.Line("流水号 Ref.："+r.TxID, 1, false, Center)
	}
	if in.Card != nil && (in.Card.Name != "" || in.Card.IDNumber != "") {
		m := in.Card.Masked()
		d.Line("申请人 Applicant："+strings.TrimSpace(m.Name+" "+m.IDNumber), size, false, Left)
	}
	if in.Catalog.Hotline != "" {
		d.Line("服务热线 Hotline："+in.Catalog.Hotline, size, true, Left)
	}
	d.Line(KeepNotice, size, true, Center)
	d.Add(Elem{Kind: Cut})
	return d, nil
}

func (in Input) outcome(d *Doc, size int) {
	r := in.Result
	switch r.Outcome {
	case txn.Completed:
		d.Line("已办结 / completed", size, true, Center)
		if r.Message != "" {
			d.Line(r.Message, size, false, Left)
		}
		for _, l := range r.Lines {
			d.Line(l.Label+"："+l.Value, size, false, Left)
		}
		for _, l := range r.Document {
			d.Line(l, size, false, Left)
		}
	case txn.Queued:
		d.Line(QueuedNotice, size, true, Center)
		d.Line(TimeLimitText(in.Service.TimeLimitDays), size, false, Center)
		if r.Message != "" {
			d.Line(r.Message, size, false, Left)
		}
	case txn.Rejected:
		d.Line("未能受理 / not accepted", size, true, Center)
		if r.Message != "" {
			d.Line(r.Message, size, false, Left)
		}
	case txn.Unreached:
		d.Line("暂未办理：网络不通，请稍后再试或拨打热线 / not done: the county service could not be reached, try later or call the hotline", size, true, Left)
	default:
		if r.Message != "" {
			d.Line(r.Message, size, false, Left)
		}
	}
}

// GroupTracking splits a long tracking number into two groups
// ("ZM20261126 K7QH2M4X") so it reads aloud easily on the hotline and, in
// double size on 58 mm paper, breaks between the groups instead of
// mid-number.
func GroupTracking(s string) string {
	if len(s) <= 12 || strings.ContainsAny(s, " \t") || !isASCII(s) {
		return s
	}
	return s[:len(s)-8] + " " + s[len(s)-8:]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TimeLimitText words a matter's legal time limit.
func TimeLimitText(days int) string {
	if days <= 0 {
		return "即时办结 / done on the spot"
	}
	return "办理时限 " + strconv.Itoa(days) + " 个工作日 / within " + strconv.Itoa(days) + " working days"
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
	const day = "2006-01-02"
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
		return c.Birth.Format(day), false, nil
	case "issuer":
		return c.Issuer, false, nil
	case "valid_to":
		if c.LongTerm {
			return "长期", false, nil
		}
		if c.ValidTo.IsZero() {
			return "", false, nil
		}
		return c.ValidTo.Format(day), false, nil
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
	PendingValue = "办结后提供"
)

func resultField(r txn.Result, name string) (string, bool) {
	switch name {
	case "tracking_no":
		return r.TrackingNo, r.TrackingNo != ""
	case "message":
		return r.Message, r.Message != ""
	case "outcome":
		return string(r.Outcome), r.Outcome != ""
	case "tx_id":
		return r.TxID, r.TxID != ""
	}
	for _, l := range r.Lines {
		if l.Key == name {
			return l.Value, true
		}
	}
	for _, l := range r.Lines {
		if l.Key == "" && l.Label == name {
			return l.Value, true
		}
	}
	return "", false
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
	s := "打印中断：打印机缺纸。请取走已打印的部分；您的事项已受理，可稍后补打凭条"
	e := "Printing stopped: the printer is out of paper. Take what has printed; your matter is recorded and the receipt can be reprinted later"
	if hotline != "" {
		s += "，或拨打服务热线 " + hotline
		e += ", or call the hotline " + hotline
	}
	return s + "。\n" + e + "."
}

// Reprint returns a copy of d marked as a reprint made at t, for a
// technician reprinting a receipt that was cut short.
func Reprint(d Doc, t time.Time) Doc {
	out := Doc{Elems: make([]Elem, 0, len(d.Elems)+1)}
	banner := ReprintBanner
	if !t.IsZero() {
		banner += " " + t.Format(dateTimeLayout)
	}
	out.Line(banner, 1, true, Center)
	out.Elems = append(out.Elems, d.Elems...)
	return out
}
