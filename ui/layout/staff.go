package layout

import (
	"strings"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Widget ids of 帮办模式's screens.
const (
	IDStaffID      = "field:" + session.StaffIDField
	IDStaffPIN     = "field:" + session.StaffPINField
	IDStaffSubmit  = "staff-submit"
	IDStaffConsent = "staff-consent"
)

// staffPIN: 帮办模式's login for the hall's staff. The staff number and
// the PIN (dots only) in two boxes, the one being typed highlighted; the
// error in words; a keypad (digits and 删除) and 登录. In landscape the
// keypad stands at the right.
func (b *builder) staffPIN() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	st := v.Staff
	_, actTop := b.footerAction(footBtn{IDStaffSubmit, "登录", Primary, session.Submit{}}, footBtn{"back", "返回", Secondary, session.Back{}})
	bottom := actTop
	r := b.split(top, bottom)
	if !b.landscape() {
		// The keypad at the bottom of the band, the boxes above it.
		kp := b.staffKeypad(Rect{r.X, r.Y, r.W, r.H - th.Gap}, st)
		bottom = kp
	} else {
		b.staffKeypad(r, st)
	}
	b.area(top, bottom)
	if st == nil {
		b.endArea()
		return
	}
	b.text("请工作人员输入工号和密码", th.Heading, Plain, true)
	b.banner(st.Error, Notice)
	b.staffBox(IDStaffID, "工号", st.ID, st.Focus == session.StaffIDField, session.StaffIDField)
	dots := strings.Repeat("● ", st.PINLen)
	b.staffBox(IDStaffPIN, "密码", strings.TrimSpace(dots), st.Focus == session.StaffPINField, session.StaffPINField)
	if st.Busy {
		b.text("正在核对…", th.Body, Muted, false)
	}
	b.endArea()
}

// staffBox is one labelled box, tapped to type into it.
func (b *builder) staffBox(id, label, value string, focused bool, field string) {
	th := b.th
	b.text(label, th.Body, Muted, true)
	if value == "" {
		value = "点这里输入"
	}
	h := th.Target
	b.add(Widget{ID: id, Kind: Field, Rect: Rect{b.x0, b.y, b.x1 - b.x0, h}, Role: Plain, Lines: []string{value},
		Size: th.Heading, Bold: true, Focused: focused, Scroll: true, Event: session.FieldFocus{ID: field}})
	b.y += h + th.Gap
}

// staffKeypad lays the digits and 删除 at the bottom of r and returns the
// keypad's top.
func (b *builder) staffKeypad(r Rect, st *session.StaffView) float64 {
	th := b.th
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", session.StaffErase}
	rects, top := b.grid(r, len(keys), 3, th.Target)
	role := Secondary
	if st != nil && st.Busy {
		role = Disabled
	}
	for i, k := range keys {
		if k == "" {
			continue
		}
		b.add(Widget{ID: "pad:" + k, Kind: Button, Rect: rects[i], Role: role, Lines: []string{k},
			Size: th.Title, Bold: true, Center: true, Event: session.StaffKey{Key: k}})
	}
	return top - th.Gap
}

// staffConsent: what the kiosk reads out to the resident, large, and the
// staff member's 居民已口头同意 once she has said yes; 返回 leaves 帮办模式.
func (b *builder) staffConsent() {
	th, v := b.th, b.v
	top := b.header(v.Title)
	bottom, _ := b.footerAction(footBtn{IDStaffConsent, "居民已口头同意", Primary, session.Continue{}},
		footBtn{"back", "不同意", Secondary, session.Back{}})
	if !b.landscape() {
		if w, ok := b.s.Find(IDStaffConsent); ok {
			bottom = w.Rect.Y
		}
	}
	b.area(top, bottom)
	if st := v.Staff; st != nil {
		b.text(st.Consent, th.Title, Plain, true)
		b.text("请居民说“同意”后，工作人员点下方按钮。", th.Body, Muted, false)
	}
	b.endArea()
}
