package session

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// editable returns the chosen matter's fields a resident fills in.
func (m *Machine) editable() []catalog.Field {
	if m.svc == nil {
		return nil
	}
	var out []catalog.Field
	for _, f := range m.svc.Form {
		if f.Type != catalog.FieldFromCard {
			out = append(out, f)
		}
	}
	return out
}

func (m *Machine) field(id string) (catalog.Field, bool) {
	if m.svc != nil {
		for _, f := range m.svc.Form {
			if f.ID == id {
				return f, true
			}
		}
	}
	return catalog.Field{}, false
}

func (m *Machine) fieldEditable(id string) bool {
	f, ok := m.field(id)
	return ok && f.Type != catalog.FieldFromCard
}

// prefill fills empty fields that name a card field from the card.
func (m *Machine) prefill() {
	if m.values == nil {
		m.values = map[string]string{}
	}
	if m.errs == nil {
		m.errs = map[string]string{}
	}
	for _, f := range m.editable() {
		if f.CardField != "" && m.values[f.ID] == "" {
			if v := cardValue(m.card, f.CardField, m.o.Location); v != "" {
				m.values[f.ID] = v
			}
		}
	}
}

const maxFieldRunes = 200

func (m *Machine) setValue(id, v string) {
	f, _ := m.field(id)
	v = sanitize(v)
	if f.Type == catalog.FieldTracking {
		// As the slip groups it or as typed: one form, upper case.
		v, _ = txn.ParseTrackingNo(v)
	}
	limit := maxFieldRunes
	if f.MaxLen > 0 && f.MaxLen < limit {
		limit = f.MaxLen
	}
	if utf8.RuneCountInString(v) > limit {
		v = string([]rune(v)[:limit])
	}
	if m.values == nil {
		m.values = map[string]string{}
	}
	if m.errs == nil {
		m.errs = map[string]string{}
	}
	m.values[id] = v
	m.focus = id
	if m.errs[id] != "" {
		m.errs[id] = validate(f, v)
	}
}

// sanitize drops invalid UTF-8 and control characters.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// validateAll checks every editable field and returns how many are wrong.
func (m *Machine) validateAll() int {
	if m.errs == nil {
		m.errs = map[string]string{}
	}
	n := 0
	first := ""
	for _, f := range m.editable() {
		e := validate(f, m.values[f.ID])
		m.errs[f.ID] = e
		if e != "" {
			n++
			if first == "" {
				first = f.ID
			}
		}
	}
	if first != "" {
		m.focus = first
	}
	return n
}

// Validate checks one value against its field and returns the problem in
// plain words, or "".
func Validate(f catalog.Field, v string) string { return validate(f, v) }

func validate(f catalog.Field, v string) string {
	v = strings.TrimSpace(v)
	label := f.Label
	if v == "" {
		if f.Required {
			if f.Type == catalog.FieldChoice {
				return "请选择" + label
			}
			return "请填写" + label
		}
		return ""
	}
	n := utf8.RuneCountInString(v)
	switch f.Type {
	case catalog.FieldDigits:
		if !allDigits(v) {
			return label + "只能填数字"
		}
	case catalog.FieldPhone:
		if len(v) != 11 || v[0] != '1' || !allDigits(v) {
			return "手机号码是以 1 开头的 11 位数字，请核对"
		}
	case catalog.FieldDate:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "日期不对，请按 年-月-日 选择，例如 2024-03-01"
		}
	case catalog.FieldChoice:
		ok := false
		for _, c := range f.Choices {
			if c.Value == v {
				ok = true
			}
		}
		if !ok {
			return "请从选项中选择一项"
		}
	case catalog.FieldAmount:
		if !amountRE.MatchString(v) {
			return "金额只能填数字，最多两位小数，例如 120.50"
		}
	case catalog.FieldIDNumber:
		if !identity.ValidIDNumber(strings.ToUpper(v)) {
			return "身份证号码不对，请核对 18 位号码"
		}
	case catalog.FieldTracking:
		if _, ok := txn.ParseTrackingNo(v); !ok {
			return label + "不对，请核对凭条上的" + label + "，例如 K7QH 2M4X"
		}
	}
	if f.MinLen > 0 && n < f.MinLen {
		return label + "至少要填 " + strconv.Itoa(f.MinLen) + " 个字"
	}
	if f.MaxLen > 0 && n > f.MaxLen {
		return label + "最多只能填 " + strconv.Itoa(f.MaxLen) + " 个字"
	}
	if f.Pattern != "" {
		if re, err := regexp.Compile("^(?:" + f.Pattern + ")$"); err == nil && !re.MatchString(v) {
			if f.Hint != "" {
				return label + "格式不对：" + f.Hint
			}
			return label + "格式不对，请核对"
		}
	}
	return ""
}

var amountRE = regexp.MustCompile(`^[0-9]{1,9}(\.[0-9]{1,2})?$`)

func allDigits(s string) bool {
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

// DateDigits sets a date field from digits typed on the keypad: year,
// month and day as eight digits (19850301 for 1985年3月1日), so a date
// decades ago is eight taps, not dozens on a picker. Fewer digits are kept
// as the field's draft (FieldView.Draft); eight make the date when there
// is such a day, else the field says what is wrong. Anything but digits is
// ignored. The picker (FieldInput with 2006-01-02) still works.
type DateDigits struct{ ID, Digits string }

func (DateDigits) isEvent() {}

// dateDigits handles DateDigits on a date field.
func (m *Machine) dateDigits(id, typed string) {
	f, ok := m.field(id)
	if !ok || f.Type != catalog.FieldDate {
		return
	}
	d := make([]byte, 0, 8)
	for i := 0; i < len(typed) && len(d) < 8; i++ {
		if typed[i] >= '0' && typed[i] <= '9' {
			d = append(d, typed[i])
		}
	}
	if m.drafts == nil {
		m.drafts = map[string]string{}
	}
	if m.errs == nil {
		m.errs = map[string]string{}
	}
	m.focus = id
	m.drafts[id] = string(d)
	if len(d) < 8 {
		return
	}
	v, ok := digitsDate(string(d))
	if !ok {
		m.errs[id] = "没有这一天，请核对：年 4 位、月 2 位、日 2 位，例如 19850301 是 1985年3月1日"
		return
	}
	m.setValue(id, v)
	m.errs[id] = validate(f, v)
	delete(m.drafts, id)
}

// digitsDate reads YYYYMMDD as a date between 1900 and 2099.
func digitsDate(d string) (string, bool) {
	t, err := time.Parse("20060102", d)
	if err != nil || t.Year() < 1900 || t.Year() > 2099 {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// formNotice is the form's error banner: how many fields still need a
// change, after the resident tried to go on; "" once they are fixed.
func (m *Machine) formNotice() string {
	if !m.formChecked {
		return ""
	}
	n := 0
	for _, f := range m.editable() {
		if m.errs[f.ID] != "" {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return "有 " + strconv.Itoa(n) + " 处需要修改，请看红色提示"
}
