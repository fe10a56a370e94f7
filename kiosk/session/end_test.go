package session

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The end of the journey, as an elderly resident alone at night goes
// through it: the result before the rating, the slip that does not print,
// the card left behind, elder mode to the end, the form she checks, and no
// dead ends.

// submitRecord takes a fresh harness through the social-security record
// (a print matter with a phone field) to the daemon's answer.
func submitRecord(h *harness, res txn.Result) SubmitTx {
	h.t.Helper()
	toForm(h, "ss-record")
	h.do(FieldInput{"phone", testPhone}, FieldInput{"years", "1"}, Submit{}, Submit{})
	h.want(ScreenSubmitting)
	st, ok := find[SubmitTx](h.last)
	if !ok {
		h.t.Fatal("no SubmitTx")
	}
	res.TxID = st.Tx.ID
	h.do(Submitted{Result: res})
	if h.m.Screen() == ScreenDocument {
		throughDocument(h, 2)
	}
	return st
}

func said(fx []Effect, part string) bool {
	for _, e := range fx {
		if s, ok := e.(Speak); ok && strings.Contains(s.Text, part) {
			return true
		}
	}
	return false
}

func lit(fx []Effect, pattern string) bool {
	for _, e := range fx {
		if l, ok := e.(Light); ok && l.Pattern == pattern {
			return true
		}
	}
	return false
}

var errPaperOut = errors.New("escpos: print: paper out")

// TestResultBeforeRating: after 正在提交 the resident sees the outcome,
// the tracking number large and what happens next, and moves on by a tap
// or, after a generous time, by itself; the rating comes after.
func TestResultBeforeRating(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(h *harness)
		svc     string
		res     txn.Result
		title   string
		next    []string // parts of Result.Next
		slip    bool     // a slip prints
		advance bool     // moves on by itself (else a tap)
	}{
		{"completed with a slip, by a tap", nil, "ss-record", txn.Result{Outcome: txn.Completed, TrackingNo: "K7QH2M4X"},
			"办理成功", []string{"已经办好", "正在打印"}, true, false},
		{"queued, by itself", nil, "subsidy", txn.Result{Outcome: txn.Queued, TrackingNo: "K7QH2M4X"},
			"已受理", []string{"10 个工作日内办好", "12月9日", "热线 " + testHotline}, true, true},
		{"queued without a printer: the hotline, the code to copy", func(h *harness) { h.devs[devices.KindPrinter] = devices.Offline },
			"subsidy", txn.Result{Outcome: txn.Queued, TrackingNo: "K7QH2M4X"},
			"已受理", []string{"热线 " + testHotline, "不能打印凭条", "记下办理编号"}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.setup != nil {
				tc.setup(h)
			}
			toForm(h, tc.svc)
			if tc.svc == "subsidy" {
				h.do(FieldInput{"bank", "6217000012345678"})
			} else {
				h.do(FieldInput{"phone", testPhone}, FieldInput{"years", "1"})
			}
			h.do(Submit{}, Submit{})
			st, _ := find[SubmitTx](h.last)
			res := tc.res
			res.TxID = st.Tx.ID
			fx := h.do(Submitted{Result: res})
			if tc.svc == "ss-record" {
				fx = throughDocument(h, 1)
			}
			h.want(ScreenResult)
			v := h.m.View()
			if v.Title != tc.title || v.Result == nil || v.Result.Tracking != "K7QH 2M4X" {
				t.Fatalf("result %+v %+v", v, v.Result)
			}
			for _, p := range tc.next {
				if !strings.Contains(v.Result.Next, p) {
					t.Errorf("what next %q lacks %q", v.Result.Next, p)
				}
			}
			if !said(fx, tc.title) {
				t.Errorf("the result is not spoken: %+v", fx)
			}
			if _, ok := find[Print](fx); ok != tc.slip {
				t.Fatalf("slip printed %v, want %v", ok, tc.slip)
			}
			if tc.slip {
				h.do(Printed{})
			}
			if !tc.slip && (v.Slip == nil || v.Slip.SMSTo != "") {
				t.Errorf("no slip: the code to copy, and no phone to text: %+v", v.Slip)
			}
			if h.m.View().Timeout != nil {
				t.Fatal("an inactivity dialog on the result")
			}
			if tc.advance {
				h.tick(89 * time.Second)
				h.want(ScreenResult)
				h.tick(time.Second)
			} else {
				h.do(Continue{})
			}
			h.want(ScreenRating)
			h.do(Rate{4})
			h.want(ScreenDone)
		})
	}
}

// TestSlipNotPrinted: paper runs out; the screen says what happened, that
// the matter is not affected, and offers a reprint once paper is back and
// a text message of the tracking number to the phone given on the form.
func TestSlipNotPrinted(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"paper out, then reprint when the printer has paper again", func(t *testing.T, h *harness) {
			h.devs[devices.KindPrinter] = devices.UserError // what the driver reports with no paper
			h.do(DevicesChanged{})
			v := h.m.View()
			if v.Slip == nil || v.Slip.Reprint || !v.Slip.WaitPaper {
				t.Fatalf("no paper: %+v", v.Slip)
			}
			h.do(Reprint{})
			if _, ok := find[Print](h.last); ok {
				t.Fatal("reprinted with no paper")
			}
			h.devs[devices.KindPrinter] = devices.Online
			fx := h.do(DevicesChanged{})
			if v := h.m.View(); v.Slip == nil || !v.Slip.Reprint || !said(fx, "补打") {
				t.Fatalf("paper back: %+v %v", v.Slip, fx)
			}
			fx = h.do(Reprint{})
			p, ok := find[Print](fx)
			if !ok || p.Result.TrackingNo != "K7QH2M4X" {
				t.Fatalf("reprint %+v", fx)
			}
			if v := h.m.View(); v.Printing != PrintBusy || v.Title != "正在补打凭条" {
				t.Fatalf("reprinting %+v", v)
			}
			h.do(Printed{})
			h.want(ScreenResult)
			if v := h.m.View(); v.Printing != PrintTake {
				t.Fatalf("after the reprint %+v", v)
			}
			h.do(Continue{})
			h.want(ScreenRating)
		}},
		{"paper out, then the tracking number by text message", func(t *testing.T, h *harness) {
			fx := h.do(RequestSMS{})
			sms, ok := find[SendSMS](fx)
			if !ok || sms.Phone != testPhone || sms.TrackingNo != "K7QH2M4X" {
				t.Fatalf("sms effect %+v", fx)
			}
			if v := h.m.View(); v.Slip.SMS != SMSSending {
				t.Fatalf("sending %+v", v.Slip)
			}
			h.do(RequestSMS{}) // a second tap sends nothing more
			if _, ok := find[SendSMS](h.last); ok {
				t.Fatal("sent twice")
			}
			fx = h.do(SMSSent{})
			v := h.m.View()
			if v.Slip.SMS != SMSDone || !strings.Contains(v.Notice, "138****5678") || strings.Contains(v.Notice, testPhone) || !said(fx, "短信") {
				t.Fatalf("sent %+v %q", v.Slip, v.Notice)
			}
			h.do(Continue{})
			h.want(ScreenRating)
		}},
		{"text message fails: told, may try again", func(t *testing.T, h *harness) {
			h.do(RequestSMS{})
			h.do(SMSSent{Err: ErrNoSMS})
			if v := h.m.View(); v.Slip.SMS != SMSFailed || !strings.Contains(v.Notice, testHotline) {
				t.Fatalf("failed %+v %q", v.Slip, v.Notice)
			}
			if _, ok := find[SendSMS](h.do(RequestSMS{})); !ok {
				t.Fatal("no second try")
			}
			h.tick(31 * time.Second) // no answer at all
			if v := h.m.View(); v.Slip.SMS != SMSFailed {
				t.Fatalf("no answer: %+v", v.Slip)
			}
		}},
		{"no phone on the form: no text message offered", func(t *testing.T, h *harness) {
			h.m.tx.Fields["phone"] = ""
			if v := h.m.View(); v.Slip == nil || v.Slip.SMSTo != "" || strings.Contains(v.Prompt, "短信") {
				t.Fatalf("%+v %q", v.Slip, v.Prompt)
			}
			if _, ok := find[SendSMS](h.do(RequestSMS{})); ok {
				t.Fatal("texted nobody")
			}
		}},
		{"left alone: the inactivity dialog, then done", func(t *testing.T, h *harness) {
			h.tick(61 * time.Second)
			if h.m.View().Timeout == nil {
				t.Fatal("no dialog")
			}
			h.tick(31 * time.Second)
			h.want(ScreenDone)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			submitRecord(h, txn.Result{Outcome: txn.Completed, TrackingNo: "K7QH2M4X"})
			h.want(ScreenResult)
			fx := h.do(Printed{Err: errPaperOut})
			h.want(ScreenPrinting)
			v := h.m.View()
			if v.Title != "凭条没有打印出来" || !strings.Contains(v.Prompt, "没纸") || !strings.Contains(v.Prompt, "不受影响") ||
				v.Result.Tracking != "K7QH 2M4X" || !lit(fx, LightAttention) || !said(fx, "没纸") {
				t.Fatalf("paper out: %+v", v)
			}
			if v.Slip == nil || v.Slip.SMSTo != "138****5678" || v.Slip.Reprint {
				t.Fatalf("offers %+v", v.Slip)
			}
			tc.run(t, h)
		})
	}
}

// TestRetryIsTheSameTransaction: 重试 after the backend could not be
// reached sends the same transaction (same id: never a second one), at
// most three times.
func TestRetryIsTheSameTransaction(t *testing.T) {
	h := newHarness(t)
	h.do(Start{}, ChooseService{"fund-query"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{}, Submit{})
	first, _ := find[SubmitTx](h.last)
	for i := 1; i <= maxRetries; i++ {
		h.do(Submitted{Err: errors.New("backend: unreachable")})
		h.want(ScreenResult)
		if v := h.m.View(); !v.CanRetry || !strings.Contains(v.Result.Next, "重试") {
			t.Fatalf("try %d: %+v", i, v)
		}
		fx := h.do(Retry{})
		h.want(ScreenSubmitting)
		again, ok := find[SubmitTx](fx)
		if !ok || again.Tx.ID != first.Tx.ID || !reflect.DeepEqual(again.Tx.Fields, first.Tx.Fields) || again.Tx.Person.IDNumber != testID {
			t.Fatalf("retry %d is another transaction: %+v", i, again.Tx)
		}
	}
	h.do(Submitted{Err: errors.New("backend: unreachable")})
	if v := h.m.View(); v.CanRetry || !strings.Contains(v.Result.Next, testHotline) {
		t.Fatalf("after %d tries: %+v", maxRetries, v.Result)
	}
	if _, ok := find[SubmitTx](h.do(Retry{})); ok {
		t.Fatal("a fourth retry")
	}
	// The fourth answer this time: completed, on the same id.
	h.do(Continue{})
	h.want(ScreenDone)
}

// TestCardLeftBehind: the done screen and the start screen keep telling
// the resident her card is on the reader, by voice at intervals and by
// the lamp, until it is taken.
func TestCardLeftBehind(t *testing.T) {
	h := newHarness(t)
	submitRecord(h, txn.Result{Outcome: txn.Completed, TrackingNo: "K7QH2M4X"})
	h.do(Printed{}, Continue{}, SkipRating{})
	h.want(ScreenDone)
	if v := h.m.View(); v.Title != "请取回身份证" || v.Card != CardOnReader || !strings.Contains(v.Prompt, WordReader) {
		t.Fatalf("done %+v", v)
	}
	fx := h.tick(16 * time.Second)
	h.want(ScreenAttract)
	v := h.m.View()
	if !v.CardLeft || v.Notice != cardLeftPrompt || !lit(fx, LightAttention) {
		t.Fatalf("attract with the card left: %+v %v", v, fx)
	}
	if lastLight(fx) != LightAttention {
		t.Fatalf("lamp ends %q", lastLight(fx))
	}
	// Reminders: every 20 s for two minutes, then every two minutes.
	var at []time.Duration
	start := h.clk.t
	for range 12 * 60 {
		if fx := h.tick(time.Second); said(fx, cardLeftPrompt) {
			if !lit(fx, LightAttention) {
				t.Fatal("a reminder without the lamp")
			}
			at = append(at, h.clk.t.Sub(start))
		}
	}
	want := []time.Duration{20, 40, 60, 80, 100, 120, 240, 360, 480, 600, 720}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(at, want) {
		t.Fatalf("reminders at %v, want %v", at, want)
	}
	// Night does not dim a screen that is asking for something.
	h.clk.t = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	h.tick(5 * time.Minute)
	if h.m.View().Dim {
		t.Fatal("dimmed with a card waiting")
	}
	fx = h.do(CardRemoved{})
	if v := h.m.View(); v.CardLeft || v.Notice != "" || lastLight(fx) != LightReady {
		t.Fatalf("card taken: %+v %v", v, fx)
	}
	for range 5 {
		if said(h.tick(time.Minute), cardLeftPrompt) {
			t.Fatal("reminded after the card was taken")
		}
	}
}

func lastLight(fx []Effect) string {
	p := ""
	for _, e := range fx {
		if l, ok := e.(Light); ok {
			p = l.Pattern
		}
	}
	return p
}

// TestCardStateSaysOnlyWhatIsKnown: a reader that cannot tell never makes
// the kiosk say the card is still there.
func TestCardStateSaysOnlyWhatIsKnown(t *testing.T) {
	tests := []struct {
		name      string
		report    func(h *harness)
		title     string
		state     CardState
		remindsOn bool
	}{
		{"on the reader", func(h *harness) {}, "请取回身份证", CardOnReader, true},
		{"taken", func(h *harness) { h.do(CardRemoved{}) }, "", CardAbsent, false},
		{"taken, by the tri-state report", func(h *harness) { h.do(CardPresence{CardAbsent}) }, "", CardAbsent, false},
		{"the reader cannot tell", func(h *harness) { h.do(CardPresence{CardUnknown}) }, "请带好身份证", CardUnknown, false},
		{"the reader went down", func(h *harness) {
			h.devs[devices.KindIDCard] = devices.Offline
			h.do(DevicesChanged{})
		}, "请带好身份证", CardUnknown, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			toForm(h, "ss-record")
			tc.report(h)
			h.do(Cancel{})
			v := h.m.View()
			if tc.state == CardAbsent {
				h.want(ScreenAttract) // card taken, nothing submitted: straight back
			} else {
				h.want(ScreenDone)
			}
			if v.Title != tc.title && tc.state != CardAbsent || v.Card != tc.state || v.CardOnReader != (tc.state == CardOnReader) {
				t.Fatalf("done: title %q card %q", v.Title, v.Card)
			}
			if v.TakeCard != (tc.state != CardAbsent) {
				t.Fatalf("take card %v", v.TakeCard)
			}
			if tc.state != CardOnReader && strings.Contains(v.Prompt, "还在") {
				t.Fatalf("says the card is there: %q", v.Prompt)
			}
			h.tick(16 * time.Second)
			h.want(ScreenAttract)
			if h.m.View().CardLeft != tc.remindsOn {
				t.Fatalf("reminder %v", !tc.remindsOn)
			}
		})
	}
	// A card felt but not read is on the reader; an unknown report while a
	// card waits stops the reminders (the kiosk does not know any more).
	h := newHarness(t)
	h.do(CardPresence{CardOnReader})
	if v := h.m.View(); v.Card != CardOnReader || v.Screen != ScreenAttract {
		t.Fatalf("felt: %+v", v)
	}
	toForm(h, "ss-record")
	h.do(Cancel{}, Finish{})
	if !h.m.View().CardLeft {
		t.Fatal("no reminder")
	}
	fx := h.do(CardPresence{CardUnknown})
	if h.m.View().CardLeft || lastLight(fx) != LightReady {
		t.Fatal("still reminding about a card the reader cannot see")
	}
}

// TestElderModeToTheEnd: the done screen keeps elder mode; the start
// screen after it is the kiosk's own.
func TestElderModeToTheEnd(t *testing.T) {
	h := newHarness(t)
	h.do(ToggleElder{})
	h.do(ChooseService{"ss-record"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{})
	h.do(FieldInput{"phone", testPhone}, FieldInput{"years", "1"}, Submit{}, Submit{})
	st, _ := find[SubmitTx](h.last)
	h.do(Submitted{Result: txn.Result{TxID: st.Tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X"}})
	if !h.m.View().Elder {
		t.Fatal("elder lost on the document")
	}
	p, _ := find[Print](throughDocument(h, 1))
	if !p.Elder {
		t.Fatal("slip not in elder size")
	}
	for _, ev := range []Event{Printed{}, Continue{}, Rate{5}} {
		if !h.m.View().Elder {
			t.Fatalf("elder lost on %s", h.m.Screen())
		}
		h.do(ev)
	}
	h.want(ScreenDone)
	if !h.m.View().Elder {
		t.Fatal("the done screen came back in normal size")
	}
	assertNoPersonal(t, h.m)
	h.do(CardRemoved{}, Finish{})
	h.want(ScreenAttract)
	if h.m.View().Elder {
		t.Fatal("elder mode outlived the resident")
	}
}

// TestFormForTheResident: she sees what she typed, her name as 王*兰,
// optional fields marked, dates typed as digits, and an error banner that
// goes once the errors are fixed.
func TestFormForTheResident(t *testing.T) {
	h := newHarness(t)
	c := h.cat
	for i := range c.Services {
		if c.Services[i].ID == "subsidy" {
			c.Services[i].Form = append(c.Services[i].Form,
				catalog.Field{ID: "since", Label: "参保日期", Type: catalog.FieldDate, Required: true},
				catalog.Field{ID: "note", Label: "备注", Type: catalog.FieldText})
		}
	}
	toForm(h, "subsidy")
	v := h.m.View()
	marks := map[string]string{}
	for _, f := range v.Form {
		marks[f.ID] = f.Mark
		if f.Optional != !f.Required || (f.Mark == WordOptional) != f.Optional {
			t.Errorf("%s: optional %v mark %q", f.ID, f.Optional, f.Mark)
		}
	}
	if marks["agent"] != "选填" || marks["note"] != "选填" || marks["bank"] != "" || marks["since"] != "" {
		t.Fatalf("marks %v", marks)
	}
	if v.Form[0].Value != testAddress {
		t.Fatalf("prefilled address not shown as it will be sent: %q", v.Form[0].Value)
	}
	// The banner counts the fields to fix and goes when they are fixed.
	h.do(Submit{})
	if v := h.m.View(); v.Notice != "有 2 处需要修改，请看红色提示" {
		t.Fatalf("banner %q", v.Notice)
	}
	h.do(FieldInput{"bank", "6217000012345678"})
	if v := h.m.View(); v.Notice != "有 1 处需要修改，请看红色提示" {
		t.Fatalf("banner after one fix %q", v.Notice)
	}
	// A date typed as digits: a draft, a wrong day, then the day.
	steps := []struct {
		digits, draft, value, err string
	}{
		{"1985", "1985", "", "请填写"},
		{"1985-02-30", "19850230", "", "没有这一天"},
		{"18000101", "18000101", "", "没有这一天"},
		{"19850301", "", "1985-03-01", ""},
	}
	for _, s := range steps {
		h.do(DateDigits{"since", s.digits})
		f := fieldOf(h.m.View(), "since")
		if f.Draft != s.draft || f.Value != s.value || !strings.Contains(f.Error, s.err) || (s.err == "") != (f.Error == "") {
			t.Fatalf("typed %q: %+v", s.digits, f)
		}
	}
	v = h.m.View()
	if v.Notice != "" || v.Focus != "since" {
		t.Fatalf("banner stays after the fixes: %q", v.Notice)
	}
	if f := fieldOf(v, "bank"); f.Value != "6217000012345678" {
		t.Fatalf("typed bank number not shown: %q", f.Value)
	}
	h.do(DateDigits{"bank", "19850301"}) // not a date field
	if f := fieldOf(h.m.View(), "bank"); f.Value != "6217000012345678" {
		t.Fatal("digits for a date changed another field")
	}
	h.do(Submit{})
	h.want(ScreenConfirm)
	sum := h.m.View().Summary
	got := map[string]string{}
	for _, l := range sum {
		got[l.Label] = l.Value
	}
	if got["银行卡号"] != "6217000012345678" || got["参保日期"] != "1985-03-01" || got["备注"] != "（未填）" {
		t.Fatalf("confirm %v", got)
	}
	h.do(Cancel{})
	assertNoPersonal(t, h.m, "1985-03-01", "19850301")
}

func fieldOf(v View, id string) FieldView {
	for _, f := range v.Form {
		if f.ID == id {
			return f
		}
	}
	return FieldView{}
}

// TestMaintenanceSaysWhenAndWhere: under maintenance and out of service
// the kiosk says when it expects to serve again and where the nearest
// other hall is.
func TestMaintenanceSaysWhenAndWhere(t *testing.T) {
	halls := []catalog.Hall{
		{ID: "cgz", Name: "中牟县城关镇24小时自助服务厅", Address: "城关镇建设路68号",
			Nearby: []catalog.NearbyHall{{ID: "qnl", Meters: 1840}}},
		{ID: "qnl", Name: "青年路街道便民服务中心自助厅", Address: "文化路与青年路交叉口西50米"},
	}
	// 10:00 local on Wednesday 25 November.
	local := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h-8, m, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		until time.Time
		want  string
	}{
		{"today", local(25, 15, 30), "预计今天 15:30 恢复服务"},
		{"tomorrow", local(26, 9, 0), "预计明天 9:00 恢复服务"},
		{"later", local(28, 9, 0), "预计 11月28日 9:00 恢复服务"},
		{"past", local(25, 9, 0), "很快就能恢复"},
		{"not said", time.Time{}, "请稍后再来"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.cat.Halls = halls
			h.do(Maintenance{On: true, Until: tc.until})
			h.want(ScreenMaintenance)
			v := h.m.View()
			if !strings.Contains(v.Prompt, tc.want) || !v.Until.Equal(tc.until) {
				t.Fatalf("prompt %q until %v", v.Prompt, v.Until)
			}
			if v.Nearby == nil || v.Nearby.Name != halls[1].Name || v.Nearby.Distance != "约 1.8 公里" ||
				!strings.Contains(v.Prompt, halls[1].Address) {
				t.Fatalf("nearby %+v in %q", v.Nearby, v.Prompt)
			}
			h.do(Maintenance{On: false})
			h.want(ScreenAttract)
			if v := h.m.View(); !v.Until.IsZero() || v.Nearby != nil {
				t.Fatalf("attract %+v", v)
			}
		})
	}
	h := newHarness(t)
	h.cat.Halls = halls
	h.devs[devices.KindIDCard] = devices.Offline
	for i := range h.cat.Services {
		h.cat.Services[i].NeedsIDCard = true
	}
	h.tick(time.Second)
	h.want(ScreenOutOfService)
	if v := h.m.View(); v.Nearby == nil || !strings.Contains(v.Prompt, "最近的自助服务厅是青年路") {
		t.Fatalf("out of service %+v", v)
	}
}

func TestDistanceWords(t *testing.T) {
	for m, want := range map[int]string{0: "", 40: "约 0 米", 580: "约 600 米", 1840: "约 1.8 公里", 12400: "约 12 公里"} {
		if got := distanceWords(m); got != want {
			t.Errorf("%d m: %q, want %q", m, got, want)
		}
	}
}

// TestWordsOnEveryScreen: no English word, internal id or jargon on any
// screen of these journeys; one word for the reader and one for the slip.
func TestWordsOnEveryScreen(t *testing.T) {
	seen := map[Screen]bool{}
	check := func(h *harness) {
		v := h.m.View()
		seen[v.Screen] = true
		var codes []string
		if v.Screen == ScreenSearch {
			codes = append(codes, SearchExample)
		}
		if v.Result != nil {
			codes = append(codes, v.Result.TrackingNo, v.Result.Tracking)
		}
		if v.Document != nil {
			codes = append(codes, v.Document.VerificationCode)
		}
		if v.Payment != nil {
			codes = append(codes, v.Payment.QR, v.Payment.OrderNo, v.Payment.RefundNo)
		}
		walkText(reflect.ValueOf(v), "view", func(where, s string) {
			if w := LatinWords(s, codes...); len(w) > 0 {
				t.Errorf("%s %s: %q has %q", v.Screen, where, s, w)
			}
			for _, j := range []string{"感应区", "回执", "即办", "办结", "帮办代办", "本机需要"} {
				if strings.Contains(s, j) {
					t.Errorf("%s %s: %q says %s", v.Screen, where, s, j)
				}
			}
		})
	}
	journeys := []func(h *harness){
		func(h *harness) {
			h.do(Start{}, ChooseService{"pension-check"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{})
			check(h)
			h.do(CameraStarted{})
			check(h)
			for a := 1; a <= maxFaceTries; a++ {
				h.do(FaceBegin{})
				check(h)
				h.do(FaceChecked{Attempt: a, Result: FaceResultPoorQuality, Message: "未检测到清晰的人脸"})
				check(h)
			}
		},
		func(h *harness) {
			toFace(h)
			h.do(FaceBegin{}, FaceChecked{Attempt: 1, Result: FaceResultPassed, Message: "人脸核验通过", VerificationID: "FV1"})
			check(h)
		},
		func(h *harness) {
			id := toPayment(h)
			check(h)
			h.do(Scanned{Text: payWechat})
			check(h)
			h.do(PaymentUpdate{TxID: id, Order: order(payment.StepPaid)})
			check(h)
			h.do(Submitted{Result: txn.Result{TxID: id, Outcome: txn.Rejected, Message: "该事项本年度已由其他渠道办理"}})
			check(h)
			h.do(PaymentRefunded{TxID: id, Order: order(payment.StepRefunded)})
			check(h)
		},
		func(h *harness) {
			id := toDocument(h)
			check(h)
			fetched(h, id, 2)
			check(h)
			h.do(PrintDocument{}, A4Progress{TxID: id, Page: 1, Pages: 2})
			check(h)
			h.devs[devices.KindA4] = devices.UserError
			h.do(A4Printed{TxID: id, Fault: FaultPaperOut})
			check(h)
			h.devs[devices.KindA4] = devices.Online
			h.do(DevicesChanged{})
			check(h)
			h.do(ReprintDocument{}, A4Printed{TxID: id})
			check(h)
		},
		func(h *harness) {
			id := toDocument(h)
			h.do(DocumentFetched{TxID: id, Fault: FaultRefused})
			check(h)
		},
		func(h *harness) {
			submitRecord(h, txn.Result{Outcome: txn.Completed, TrackingNo: "K7QH2M4X"})
			check(h)
			h.do(Printed{Err: errPaperOut})
			check(h)
			h.do(RequestSMS{}, SMSSent{Err: ErrNoSMS})
			check(h)
			h.do(Continue{})
			check(h)
			h.do(SkipRating{})
			check(h)
			h.tick(16 * time.Second)
			check(h)
			h.do(Maintenance{On: true, Until: h.clk.t.Add(time.Hour)})
			check(h)
		},
		func(h *harness) {
			check(h)
			h.do(Start{})
			check(h)
			h.do(ChooseCategory{"social"})
			check(h)
			h.do(Back{}, OpenSearch{}, SearchKey{'s'}, SearchKey{'b'})
			check(h)
			h.do(ChooseService{"subsidy"})
			check(h)
			h.do(Start{})
			check(h)
			h.do(CardPresent{testCard()})
			check(h)
			h.do(ConfirmIdentity{}, Submit{})
			check(h)
			h.do(FieldInput{"bank", "6217000012345678"}, Submit{})
			check(h)
			h.do(Submit{})
			check(h)
			h.tick(121 * time.Second)
			check(h)
			h.do(Help{})
			check(h)
		},
		func(h *harness) {
			h.do(Start{}, ChooseService{"fund-query"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{}, Submit{},
				Submitted{Err: errors.New("backend: unreachable")})
			check(h)
			h.tick(91 * time.Second)
			check(h)
		},
		func(h *harness) {
			h.do(Start{}, ChooseService{"disab-sub"})
			check(h)
			h.do(Help{}, CallDesk{})
			check(h)
			h.tick(time.Minute)
			check(h)
			h.do(RequestCallback{})
			check(h)
		},
		func(h *harness) {
			h.do(Start{}, Help{}, OpenStaffMode{})
			check(h)
			h.do(FieldInput{StaffIDField, "0101"}, FieldInput{StaffPINField, "2468"}, Submit{}, StaffChecked{ID: "0101"})
			check(h)
			h.do(Continue{})
			check(h)
		},
	}
	for _, j := range journeys {
		j(newHarness(t))
	}
	for _, s := range Screens {
		if !seen[s] && s != ScreenOutOfService {
			t.Errorf("no journey reached %s", s)
		}
	}
}

// walkText calls fn for every string a resident reads in a view: not the
// ids, icons, QR payloads, states and what the resident types herself
// (the search letters, pinyin).
func walkText(v reflect.Value, path string, fn func(where, s string)) {
	switch v.Kind() {
	case reflect.String:
		switch v.Type() {
		case reflect.TypeFor[Screen](), reflect.TypeFor[PrintState](), reflect.TypeFor[SMSState](),
			reflect.TypeFor[CardState](), reflect.TypeFor[txn.Outcome](), reflect.TypeFor[catalog.Kind](), reflect.TypeFor[DocState](),
			reflect.TypeFor[catalog.FieldType](), reflect.TypeFor[PayState](), reflect.TypeFor[FaceState](), reflect.TypeFor[CallState]():
			return
		}
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkText(v.Index(i), path+"[]", fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			name := v.Type().Field(i).Name
			switch name {
			case "ID", "Icon", "TrackURL", "AssistURL", "OnlineURL", "Focus", "Query", "Pinyin", "Candidates", "Value", "Strokes", "Clock", "Until", "QR":
				if v.Type() != reflect.TypeFor[Line]() || name != "Value" {
					continue
				}
			}
			walkText(v.Field(i), path+"."+name, fn)
		}
	}
}
