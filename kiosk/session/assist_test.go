package session

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/txn"
)

func TestElsewherePage(t *testing.T) {
	h := newHarness(t)
	h.do(Start{})
	for _, it := range h.m.View().Popular {
		if it.ID == "disab-sub" {
			t.Fatal("the home screen offers a matter the kiosk cannot do")
		}
	}
	h.do(ChooseCategory{"civil"})
	var listed *ServiceItem
	for _, it := range h.m.View().Services {
		if it.ID == "disab-sub" {
			listed = &it
		}
	}
	if listed == nil || listed.Available || !strings.Contains(listed.Reason, "本机不能办理") {
		t.Fatalf("category lists %+v", listed)
	}
	h.do(ChooseService{"disab-sub"})
	h.want(ScreenElsewhere)
	v := h.m.View()
	e := v.Elsewhere
	if e == nil || e.Place == nil || e.Place.Name != "城关镇便民服务中心" || e.Place.Phone != "0371-62101234" ||
		!strings.Contains(e.Place.Hours, "08:30") || !e.Village || !e.HomeVisit ||
		e.OnlineURL != "https://www.hnzwfw.gov.cn/portal/guide/410122-disab-sub" || e.AssistName != "小牟帮办" ||
		!strings.Contains(e.Why, "不能在自助机上办理") || v.Title != "困难残疾人生活补贴申请" {
		t.Fatalf("elsewhere %+v %+v", e, e.Place)
	}
	h.do(Start{}) // nothing to start here
	h.want(ScreenElsewhere)
	h.do(Back{})
	h.want(ScreenCategory)

	// Search finds it too, and it leads to the same page.
	h.do(Home{}, OpenSearch{})
	h.m.o.Search = func(q string) []*catalog.Service { return []*catalog.Service{h.m.findService("disab-sub")} }
	h.do(SearchKey{'c'}, SearchKey{'j'})
	if s := h.m.View().Services; len(s) != 1 || s[0].ID != "disab-sub" {
		t.Fatalf("search %+v", s)
	}
	h.do(ChooseService{"disab-sub"})
	h.want(ScreenElsewhere)
}

// A kiosk built without a camera shows face-checked matters with where
// they are done, not a guide that ends in "unavailable".
func TestElsewhereForMissingDevice(t *testing.T) {
	h := newHarness(t)
	h.m.o.Devices = []string{catalog.DeviceIDCard, catalog.DevicePrinter, catalog.DeviceA4}
	h.do(Start{}, ChooseService{"pension-check"})
	h.want(ScreenElsewhere)
	if e := h.m.View().Elsewhere; !strings.Contains(e.Why, "本机没有摄像头") || !e.HomeVisit {
		t.Fatalf("%+v", e)
	}
	h.do(Back{}, ChooseService{"subsidy"})
	h.want(ScreenGuide)
}

func TestHomeVisitRequest(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, ChooseService{"disab-sub"}, RequestHomeVisit{})
	h.want(ScreenForm)
	v := h.m.View()
	field := func(id string) FieldView {
		i := slices.IndexFunc(v.Form, func(f FieldView) bool { return f.ID == id })
		if i < 0 {
			t.Fatalf("no field %s in %+v", id, v.Form)
		}
		return v.Form[i]
	}
	if field(hvTownship).Value != "t-cgz" || field(hvService).Value != "disab-sub" || !strings.Contains(v.Title, "小牟帮办上门服务") {
		t.Fatalf("prefilled %+v", v.Form)
	}
	if c := field(hvVillage).Choices; len(c) != 2 || c[0].Value != "v-dj" {
		t.Fatalf("villages of 城关镇: %+v", c)
	}
	h.do(FieldInput{hvVillage, "v-dj"}, FieldInput{hvTownship, "t-bsz"})
	v = h.m.View()
	if c := field(hvVillage); len(c.Choices) != 1 || c.Choices[0].Value != "v-dbs" || c.Value != "" {
		t.Fatalf("villages follow the township: %+v", c)
	}
	h.do(FieldInput{hvVillage, "v-dbs"}, FieldInput{hvForWhom, "family"}, FieldInput{hvReason, "disabled"},
		FieldInput{hvName, testName}, FieldInput{hvPhone, testPhone}, FieldInput{hvAddress, testAddress})
	h.do(Submit{})
	h.want(ScreenForm) // no consent yet
	h.do(FieldInput{hvConsent, "yes"}, Submit{})
	h.want(ScreenConfirm)
	fx := h.do(Submit{})
	sub, ok := find[SubmitTx](fx)
	if !ok {
		t.Fatalf("no submission: %v", fx)
	}
	tx := sub.Tx
	if tx.ServiceID != txn.AssistHomeVisit || tx.ServiceKind != txn.KindAssist || tx.Fields[hvVillage] != "v-dbs" ||
		tx.Fields[hvTownship] != "t-bsz" || tx.Fields[hvService] != "disab-sub" || tx.Fields[hvConsent] != "yes" || tx.Person != nil {
		t.Fatalf("tx %+v", tx)
	}
	for _, f := range []string{hvName, hvPhone, hvAddress} {
		if !slices.Contains(tx.Personal, f) {
			t.Errorf("%s not marked personal: %v", f, tx.Personal)
		}
	}
	h.do(Submitted{Result: txn.Result{TxID: tx.ID, Outcome: txn.Queued, TrackingNo: "K7QH2M4X",
		Message: "白沙镇东白沙村便民服务站的工作人员将在明天12:00前给您打电话，请保持电话畅通。"}})
	h.want(ScreenResult)
	if r := h.m.View().Result; r == nil || r.Tracking != "K7QH 2M4X" {
		t.Fatalf("result %+v", r)
	}
	h.do(Printed{}, Finish{})
	for range 300 {
		if h.m.Screen() == ScreenAttract {
			break
		}
		h.do(Finish{}, SkipRating{})
		h.tick(time.Second)
	}
	h.want(ScreenAttract)
	assertNoPersonal(t, h.m)
}

// From a face check that did not pass, a card on the reader: the request
// is the resident's own, with the card's identity for the backend's age
// check, and the camera is off.
func TestHomeVisitFromFaceCheck(t *testing.T) {
	h := newHarness(t)
	toFaceOptions(t, h)
	if v := h.m.View(); !v.Face.HomeVisit {
		t.Fatalf("no home visit offered: %+v", v.Face)
	}
	h.do(RequestHomeVisit{})
	if h.m.camOn || countEffects[StartCamera](h.fx) != countEffects[StopCamera](h.fx) {
		t.Fatalf("camera left on: %v", h.fx)
	}
	h.want(ScreenForm)
	h.do(FieldInput{hvReason, "over60"}, FieldInput{hvPhone, testPhone}, FieldInput{hvVillage, "v-xj"},
		FieldInput{hvAddress, testAddress}, FieldInput{hvConsent, "yes"}, Submit{})
	h.want(ScreenConfirm)
	sub, _ := find[SubmitTx](h.do(Submit{}))
	if sub.Tx.Fields[hvService] != "pension-check" || sub.Tx.Fields[hvForWhom] != "self" || sub.Tx.Fields[hvName] != testName ||
		sub.Tx.Person == nil || sub.Tx.Person.IDNumber != testID {
		t.Fatalf("tx %+v", sub.Tx)
	}
}

func TestCallAnsweredAndHungUp(t *testing.T) {
	h := newHarness(t)
	toFormWith(h, "ss-record", testCard())
	h.do(FieldInput{"phone", testPhone})
	h.do(Help{})
	if v := h.m.View(); !v.Help.CanCall || v.Help.AssistName != "小牟帮办" {
		t.Fatalf("help %+v", v.Help)
	}
	if _, ok := find[PlaceCall](h.do(CallDesk{})); !ok {
		t.Fatal("no call placed")
	}
	if c := h.m.View().Help.Call; c == nil || c.State != CallDialing || !strings.Contains(c.Text, "正在呼叫") {
		t.Fatalf("call %+v", c)
	}
	h.do(CallDesk{}, HelpButton{})
	if n := countEffects[PlaceCall](h.fx); n != 1 {
		t.Fatalf("%d calls placed", n)
	}
	h.tick(3 * time.Second)
	h.do(CallUpdate{Answered: true})
	h.tick(5 * time.Minute) // a long talk: no inactivity dialog, the session stays
	v := h.m.View()
	if v.Timeout != nil || v.Screen != ScreenForm || v.Help.Call.State != CallConnected || v.Help.Call.Seconds != 300 {
		t.Fatalf("during the call %+v %+v", v.Timeout, v.Help.Call)
	}
	h.do(CloseHelp{}) // 挂断 first
	if h.m.View().Help == nil {
		t.Fatal("the call's overlay closed during the call")
	}
	if _, ok := find[EndCall](h.do(HangUp{})); !ok {
		t.Fatal("挂断 did not hang up")
	}
	h.do(CloseHelp{})
	v = h.m.View()
	if v.Help != nil || v.Screen != ScreenForm || v.Form[2].Value != testPhone {
		t.Fatalf("the session did not stay where it was: %+v", v)
	}
}

func TestCallUnansweredBecomesCallback(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, ChooseService{"fund-query"}, HelpButton{})
	h.tick(DefaultCallAnswer - time.Second)
	if h.m.View().Help.Call.State != CallDialing {
		t.Fatal("gave up early")
	}
	fx := h.tick(time.Second)
	if _, ok := find[EndCall](fx); !ok {
		t.Fatalf("the unanswered call was not hung up: %v", fx)
	}
	c := h.m.View().Help.Call
	if c.State != CallNoAnswer || !c.CanCallback || !strings.Contains(c.Text, testHotline) {
		t.Fatalf("no answer %+v", c)
	}
	h.do(CallUpdate{Ended: true, Reason: "hangup"}) // the phone's late news changes nothing
	h.do(RequestCallback{})
	h.want(ScreenForm)
	h.do(FieldInput{"phone", testPhone}, Submit{})
	h.want(ScreenConfirm)
	sub, ok := find[SubmitTx](h.do(Submit{}))
	if !ok || sub.Tx.ServiceID != txn.AssistCallback || sub.Tx.ServiceKind != txn.KindAssist || sub.Tx.Fields["about"] != "fund-query" ||
		sub.Tx.Fields["hall"] != "cgz" || sub.Tx.Fields["phone"] != testPhone || !slices.Contains(sub.Tx.Personal, "phone") {
		t.Fatalf("callback %+v", sub.Tx)
	}
}

func TestCallBusyAndSessionEnd(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, Help{}, CallDesk{}, CallUpdate{Ended: true, Reason: "busy"})
	if c := h.m.View().Help.Call; c.State != CallNoAnswer {
		t.Fatalf("busy %+v", c)
	}
	h.do(CloseHelp{}, Help{}, CallDesk{}, CallUpdate{Answered: true}, CallUpdate{Ended: true, Reason: "hangup"})
	if c := h.m.View().Help.Call; c.State != CallEnded {
		t.Fatalf("the desk hung up: %+v", c)
	}
	// A session that ends (maintenance) hangs up a call on.
	h.do(CloseHelp{}, Help{}, CallDesk{})
	fx := h.do(Maintenance{On: true})
	if h.m.callActive() {
		if _, ok := find[EndCall](fx); !ok {
			t.Fatal("maintenance kept the call without it on screen")
		}
	}
	// A kiosk without a phone offers no call.
	h2 := newHarness(t)
	h2.m.o.Calls = false
	h2.do(HelpButton{})
	if v := h2.m.View(); v.Help == nil || v.Help.CanCall || v.Help.Call != nil {
		t.Fatalf("no phone: %+v", v.Help)
	}
}

func countEffects[T Effect](fx []Effect) int {
	n := 0
	for _, e := range fx {
		if _, ok := e.(T); ok {
			n++
		}
	}
	return n
}

// toFaceOptions fails the face check three times.
func toFaceOptions(t *testing.T, h *harness) {
	t.Helper()
	toFace(h)
	for i := 1; i <= maxFaceTries; i++ {
		h.do(FaceBegin{})
		h.do(FaceChecked{Attempt: i, Result: FaceResultNotSame, Message: "不是同一人"})
	}
	if v := h.m.View().Face; v == nil || v.State != FaceOptions {
		t.Fatalf("not at the options: %+v", v)
	}
}

func TestStaffMode(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, Help{})
	if !h.m.View().Help.CanStaff {
		t.Fatal("帮办模式 not offered")
	}
	h.do(OpenStaffMode{})
	h.want(ScreenStaffPIN)
	h.do(FieldInput{StaffIDField, "01a01"}, Submit{})
	if v := h.m.View().Staff; v.ID != "0101" || v.Focus != StaffPINField || !strings.Contains(v.Error, "密码") {
		t.Fatalf("staff %+v", v)
	}
	fx := h.do(FieldInput{StaffPINField, "1111"}, Submit{})
	if c, ok := find[CheckStaff](fx); !ok || c.ID != "0101" || c.PIN != "1111" {
		t.Fatalf("no check: %v", fx)
	}
	if h.m.staff.pin != "" {
		t.Fatal("the PIN is kept after it was sent for checking")
	}
	h.do(StaffChecked{ID: "0101", Err: StaffWrong})
	if v := h.m.View().Staff; !strings.Contains(v.Error, "不对") || v.Busy {
		t.Fatalf("wrong PIN %+v", v)
	}
	h.do(FieldInput{StaffPINField, "2222"}, Submit{}, StaffChecked{ID: "0101", Err: StaffLocked, Wait: "5分钟"})
	if v := h.m.View().Staff; !strings.Contains(v.Error, "锁定5分钟") {
		t.Fatalf("locked %+v", v)
	}
	h.do(FieldInput{StaffPINField, "2468"}, Submit{}, StaffChecked{ID: "0101"})
	h.want(ScreenConsent)
	if v := h.m.View(); !strings.Contains(v.Staff.Consent, "工号0101") || v.AssistedBy != "" {
		t.Fatalf("consent %+v", v.Staff)
	}
	h.do(Continue{})
	h.want(ScreenHome)
	if v := h.m.View(); v.AssistedBy != "帮办模式 · 工号0101" {
		t.Fatalf("banner %q", v.AssistedBy)
	}
	consentAt := h.clk.t
	h.tick(20 * time.Second)
	// The resident's own journey, with her own card.
	toFormWith(h, "subsidy", testCard())
	h.do(FieldInput{"bank", "6217000012345678"}, Submit{})
	sub, ok := find[SubmitTx](h.do(Submit{}))
	if !ok || sub.Tx.Assisted == nil || sub.Tx.Assisted.StaffID != "0101" || sub.Tx.Assisted.Consent != txn.ConsentSpoken ||
		!sub.Tx.Assisted.ConsentAt.Equal(consentAt) || sub.Tx.Person == nil || sub.Tx.Person.IDNumber != testID {
		t.Fatalf("assisted tx %+v", sub.Tx.Assisted)
	}
	// The mode ends with the session.
	h.do(Submitted{Result: txn.Result{TxID: sub.Tx.ID, Outcome: txn.Queued, TrackingNo: "K7QH2M4X"}})
	h.do(Cancel{})
	h.m.Handle(Maintenance{On: true})
	h.m.Handle(Maintenance{On: false})
	h2 := newHarness(t)
	h2.m.o.Staff = false
	h2.do(Start{}, Help{})
	if h2.m.View().Help.CanStaff {
		t.Fatal("帮办模式 offered without staff configured")
	}
	h2.do(OpenStaffMode{})
	if h2.m.Screen() == ScreenStaffPIN {
		t.Fatal("帮办模式 opened without staff configured")
	}
}

// A session that ends forgets 帮办模式: the next resident's matters carry
// no staff member.
func TestStaffModeEndsWithSession(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, Help{}, OpenStaffMode{}, FieldInput{StaffIDField, "0101"}, FieldInput{StaffPINField, "2468"}, Submit{},
		StaffChecked{ID: "0101"}, Continue{})
	h.want(ScreenHome)
	h.do(Cancel{})
	h.do(Start{})
	if v := h.m.View(); v.AssistedBy != "" {
		t.Fatalf("the next session is still in 帮办模式: %q", v.AssistedBy)
	}
	toFormWith(h, "subsidy", testCard())
	h.do(FieldInput{"bank", "6217000012345678"}, Submit{})
	if sub, _ := find[SubmitTx](h.do(Submit{})); sub.Tx.Assisted != nil {
		t.Fatalf("assisted %+v", sub.Tx.Assisted)
	}
}

func TestStaffKeypad(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, Help{}, OpenStaffMode{})
	h.do(StaffKey{"0"}, StaffKey{"1"}, StaffKey{"x"}, StaffKey{"1"}, StaffKey{StaffErase}, StaffKey{"1"}, FieldFocus{StaffPINField})
	h.do(StaffKey{"2"}, StaffKey{"4"}, StaffKey{"6"}, StaffKey{"9"}, StaffKey{StaffErase}, StaffKey{"8"})
	if v := h.m.View().Staff; v.ID != "011" || v.PINLen != 4 {
		t.Fatalf("keypad %+v", v)
	}
	if c, _ := find[CheckStaff](h.do(Submit{})); c.ID != "011" || c.PIN != "2468" {
		t.Fatalf("check %+v", c)
	}
}

func TestHoursText(t *testing.T) {
	wk := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		h    catalog.Hours
		want string
	}{
		{catalog.Hours{Always: true}, "24小时可办"},
		{catalog.Hours{Windows: []catalog.Window{{Days: wk, From: "08:30", To: "12:00"}, {Days: wk, From: "14:30", To: "17:30"}}},
			"周一至周五 08:30–12:00、14:30–17:30"},
		{catalog.Hours{Windows: []catalog.Window{{Days: wk, From: "09:00", To: "17:00"}, {Days: []int{6, 7}, From: "09:00", To: "12:00"}}},
			"周一至周五 09:00–17:00；周六、周日 09:00–12:00"},
		{catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 3, 5}, From: "09:00", To: "11:00"}}}, "周一、周三、周五 09:00–11:00"},
		{catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5, 6, 7}, From: "07:00", To: "21:00"}}}, "每天 07:00–21:00"},
		{catalog.Hours{Windows: []catalog.Window{{Days: []int{2, 3, 4, 6, 9, 0}, From: "08:00", To: "10:00"}}}, "周二至周四、周六 08:00–10:00"},
	} {
		if got := hoursText(tc.h); got != tc.want {
			t.Errorf("hoursText(%+v) = %q, want %q", tc.h, got, tc.want)
		}
	}
}

// A callback or home visit takes a mobile or a landline with its area
// code, as the backend does (backend.ValidAssistPhone).
func TestCallablePhone(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, Help{}, CallDesk{}, CallUpdate{Ended: true, Reason: "busy"}, RequestCallback{})
	h.want(ScreenForm)
	for _, tc := range []struct {
		v  string
		ok bool
	}{
		{"13812345678", true}, {"037162112345", true}, {"01062112345", true}, {"03716211234", true},
		{"12812345678", false}, {"0371012345", false}, {"62112345", false}, {"00371621123", false},
	} {
		h.do(FieldInput{"phone", tc.v}, Submit{})
		if got := h.m.Screen() == ScreenConfirm; got != tc.ok {
			t.Errorf("%s: accepted %v, want %v (%v)", tc.v, got, tc.ok, h.m.View().Form)
		}
		if h.m.Screen() == ScreenConfirm {
			h.do(Back{})
		}
	}
}
