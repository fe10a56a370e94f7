package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// toForm drives a fresh harness to the form of a card matter.
func toForm(h *harness, svc string) {
	h.t.Helper()
	h.do(Start{}, ChooseService{svc}, Start{})
	h.want(ScreenIdentify)
	h.do(CardPresent{testCard()}, ConfirmIdentity{})
	h.want(ScreenForm)
}

func TestPrintJourney(t *testing.T) {
	h := newHarness(t)
	h.want(ScreenAttract)
	h.do(Start{})
	h.want(ScreenHome)
	v := h.m.View()
	if len(v.Categories) != 3 || v.Categories[0].ID != "social" || len(v.Popular) == 0 || v.Popular[0].ID != "ss-record" {
		t.Fatalf("home view: %+v", v)
	}
	h.do(ChooseCategory{"social"})
	h.want(ScreenCategory)
	if v := h.m.View(); len(v.Services) != 4 || v.Services[0].ID != "ss-record" {
		t.Fatalf("category: %+v", v.Services)
	}
	h.do(ChooseService{"ss-record"})
	h.want(ScreenGuide)
	if g := h.m.View().Guide; g == nil || !g.Available || g.Fee != "免费" {
		t.Fatalf("guide: %+v", g)
	}
	h.do(Start{})
	h.want(ScreenIdentify)
	h.do(CardPresent{testCard()})
	v = h.m.View()
	if v.Identity == nil || v.Identity.Name != "王*兰" || v.Identity.IDNumber != "410122********1221" || v.Identity.Problem != "" {
		t.Fatalf("identity: %+v", v.Identity)
	}
	h.do(ConfirmIdentity{})
	h.want(ScreenForm)
	v = h.m.View()
	if len(v.Form) != 4 || !v.Form[0].ReadOnly || v.Form[0].Value != "王*兰" || v.Form[1].Value != "410122********1221" {
		t.Fatalf("form: %+v", v.Form)
	}
	h.do(Submit{})
	h.want(ScreenForm)
	v = h.m.View()
	if v.Form[2].Error == "" || v.Form[3].Error == "" || v.Focus != "phone" || v.Notice == "" {
		t.Fatalf("errors not shown: %+v notice %q", v.Form, v.Notice)
	}
	h.do(FieldInput{"phone", "1381234"})
	h.do(FieldInput{"years", "3"})
	if v := h.m.View(); v.Form[2].Error == "" || v.Focus != "years" {
		t.Fatalf("phone error should stay until corrected: %+v", v.Form[2])
	}
	h.do(FieldInput{"phone", testPhone}, FieldFocus{"years"})
	if v := h.m.View(); v.Form[2].Error != "" || v.Form[2].Value != testPhone {
		t.Fatalf("phone after fix (unfocused, shown as typed): %+v", v.Form[2])
	}
	h.do(Submit{})
	h.want(ScreenConfirm)
	sum := h.m.View().Summary
	if len(sum) != 4 || sum[3].Value != "近三年" || sum[2].Value != testPhone || sum[0].Value != "王*兰" {
		t.Fatalf("summary: %+v", sum)
	}
	fx := h.do(Submit{})
	h.want(ScreenSubmitting)
	st, ok := find[SubmitTx](fx)
	if !ok {
		t.Fatal("no SubmitTx")
	}
	tx := st.Tx
	if tx.KioskID != "ZM-K07" || tx.ServiceID != "ss-record" || tx.CatalogVersion != 42 || len(tx.ID) != 26 ||
		tx.Person == nil || tx.Person.IDNumber != testID || tx.Fields["phone"] != testPhone || tx.Fields["name"] != testName ||
		st.Service.ID != "ss-record" {
		t.Fatalf("tx: %+v", tx)
	}
	if strings.Join(tx.Personal, ",") != "name,idno,phone" {
		t.Fatalf("personal: %v", tx.Personal)
	}
	fx = h.do(Submitted{Result: txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X",
		Lines: []txn.ResultLine{{Label: "缴费月数", Value: "36"}}}})
	// The proof on A4 first (document_test.go follows it closely), then
	// the result, with the slip printing and saying how many A4 pages.
	if _, ok := find[Print](fx); ok {
		t.Fatal("the slip started before the A4 document")
	}
	fx = throughDocument(h, 3)
	p, ok := find[Print](fx)
	if !ok || p.Card.Name != "王**" || p.Card.IDNumber != "410122********1221" || p.Card.Photo != nil ||
		p.Result.TrackingNo != "K7QH2M4X" || p.Fields["phone"] != testPhone || p.Person == nil || p.Person.IDNumber != testID ||
		p.A4Pages != 3 || p.A4Code != "ZM7Q-4K2P-9XA3" {
		t.Fatalf("print: %+v", p)
	}
	if v := h.m.View(); v.Result == nil || v.Result.TrackURL != "https://zwfw.example.cn/t/K7QH2M4X" ||
		v.Result.Tracking != "K7QH 2M4X" || v.Title != "办理成功" || v.Printing != PrintBusy || !strings.Contains(v.Result.Next, "正在打印") {
		t.Fatalf("result view: %+v %+v", v, v.Result)
	}
	h.do(Continue{}) // not while the slip is coming out
	h.want(ScreenResult)
	h.do(Printed{})
	h.want(ScreenResult)
	if v := h.m.View(); v.Printing != PrintTake || !strings.Contains(v.Notice, "取走凭条") {
		t.Fatalf("slip printed: %+v", v)
	}
	h.do(Continue{})
	h.want(ScreenRating)
	if v := h.m.View(); v.Notice != "请取走凭条" || len(v.Ratings) != 5 {
		t.Fatalf("rating view %+v", v)
	}
	fx = h.do(Rate{5})
	if r, ok := find[SendRating](fx); !ok || r.TxID != tx.ID || r.Score != 5 {
		t.Fatalf("rating effect: %+v", fx)
	}
	h.want(ScreenDone)
	if len(h.ended) != 1 || h.ended[0] != ReasonFinished {
		t.Fatalf("ended: %v", h.ended)
	}
	if v := h.m.View(); !v.CardOnReader || v.Title != "请取回身份证" || v.Countdown != 15 {
		t.Fatalf("done: %+v", v)
	}
	assertNoPersonal(t, h.m)
	h.do(CardRemoved{})
	if v := h.m.View(); v.Title != "谢谢使用" || v.Card != CardAbsent {
		t.Fatalf("card taken on the done screen: %+v", v)
	}
	h.tick(16 * time.Second)
	h.want(ScreenAttract)
	if h.m.View().CardLeft {
		t.Fatal("reminding about a card that was taken")
	}
}

func TestTimeoutWithExtensions(t *testing.T) {
	h := newHarness(t)
	h.do(Start{})
	h.want(ScreenHome)
	h.tick(59 * time.Second)
	if h.m.View().Timeout != nil {
		t.Fatal("dialog too early")
	}
	fx := h.tick(time.Second)
	if v := h.m.View(); v.Timeout == nil || v.Timeout.Seconds != 30 || !v.Timeout.CanExtend {
		t.Fatalf("dialog: %+v", v.Timeout)
	}
	if _, ok := find[Speak](fx); !ok {
		t.Fatal("dialog not spoken")
	}
	// Other touches do not pass the modal dialog.
	h.do(ChooseCategory{"social"})
	h.want(ScreenHome)
	h.do(Continue{})
	for i := 2; i <= 10; i++ {
		h.tick(70 * time.Second)
		v := h.m.View()
		if v.Timeout == nil || v.Timeout.Seconds != 20 {
			t.Fatalf("extension %d: dialog %+v", i, v.Timeout)
		}
		h.do(Continue{})
		if h.m.View().Timeout != nil {
			t.Fatalf("extension %d did not extend", i)
		}
	}
	h.tick(70 * time.Second)
	if v := h.m.View(); v.Timeout == nil || v.Timeout.CanExtend {
		t.Fatalf("after 10 extensions: %+v", v.Timeout)
	}
	h.do(Continue{})
	h.tick(19 * time.Second)
	h.want(ScreenHome)
	h.tick(time.Second)
	h.want(ScreenAttract)
	if len(h.ended) != 1 || h.ended[0] != ReasonTimeout {
		t.Fatalf("ended %v", h.ended)
	}
}

func TestJourneys(t *testing.T) {
	paperOut := errors.New("escpos: print: paper out")
	tests := []struct {
		name  string
		setup func(h *harness)
		run   func(t *testing.T, h *harness)
	}{
		{"card removed mid-way", nil, func(t *testing.T, h *harness) {
			toForm(h, "ss-record")
			h.do(FieldInput{"phone", testPhone})
			h.do(CardRemoved{})
			h.want(ScreenIdentify)
			v := h.m.View()
			if v.Notice == "" || v.Identity != nil {
				t.Fatalf("view %+v", v)
			}
			assertNoPersonal(t, h.m, testPhone)
			h.do(CardPresent{testCard()}, ConfirmIdentity{})
			h.want(ScreenForm)
			if h.m.View().Form[2].Value != "" {
				t.Fatal("form value survived card removal")
			}
		}},
		{"backend unreachable for an online-only matter", nil, func(t *testing.T, h *harness) {
			h.do(Start{}, ChooseService{"fund-query"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{})
			h.want(ScreenConfirm)
			h.do(Submit{})
			h.want(ScreenSubmitting)
			h.do(Submitted{Err: errors.New("backend: post: connection refused")})
			h.want(ScreenResult)
			v := h.m.View()
			if v.Result.Outcome != txn.Unreached || !strings.Contains(v.Result.Message, "没有提交成功") ||
				!strings.Contains(v.Result.Next, testHotline) || !v.CanRetry {
				t.Fatalf("result %+v", v.Result)
			}
			h.do(Continue{})
			h.want(ScreenDone)
			if _, ok := find[SendRating](h.fx); ok {
				t.Fatal("rating sent")
			}
		}},
		{"queued outcome prints a queued receipt", nil, func(t *testing.T, h *harness) {
			toForm(h, "subsidy")
			if h.m.View().Form[0].Value == "" {
				t.Fatal("address not prefilled")
			}
			h.do(FieldInput{"agent", "410122198001011236"}, FieldInput{"bank", "6217000012345678"}, Submit{})
			h.want(ScreenForm)
			if e := h.m.View().Form[1].Error; !strings.Contains(e, "身份证号码不对") {
				t.Fatalf("agent error %q", e)
			}
			h.do(FieldInput{"agent", testChild}, Submit{}, Submit{})
			h.want(ScreenSubmitting)
			st, _ := find[SubmitTx](h.last)
			fx := h.do(Submitted{Result: txn.Result{TxID: st.Tx.ID, Outcome: txn.Queued, TrackingNo: "Q-77"}})
			p, ok := find[Print](fx)
			if !ok || p.Result.Outcome != txn.Queued {
				t.Fatalf("print %+v", fx)
			}
			if v := h.m.View(); !strings.Contains(v.Result.Next, "10 个工作日内办好，大约 12月9日 前") {
				t.Fatalf("queued: what next %q", v.Result.Next)
			}
			h.do(Printed{}, Continue{}, SkipRating{})
			h.want(ScreenDone)
		}},
		{"paper out", nil, func(t *testing.T, h *harness) {
			toForm(h, "ss-record")
			h.do(FieldInput{"phone", testPhone}, FieldInput{"years", "1"}, Submit{}, Submit{})
			st, _ := find[SubmitTx](h.last)
			h.do(Submitted{Result: txn.Result{TxID: st.Tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X"}})
			throughDocument(h, 1)
			h.do(Printed{Err: paperOut})
			h.want(ScreenPrinting)
			v := h.m.View()
			if v.Printing != PrintPaperOut || !strings.Contains(v.Prompt, "打印机没纸了") || v.Result.Tracking != "K7QH 2M4X" ||
				v.Title != "凭条没有打印出来" || v.Slip == nil || !v.Slip.WaitPaper || v.Slip.SMSTo != "138****5678" {
				t.Fatalf("paper out view %+v %+v", v, v.Slip)
			}
			h.do(Continue{})
			h.want(ScreenRating)
		}},
		{"printer down: matter unavailable up front", func(h *harness) {
			h.devs[devices.KindPrinter] = devices.UserError
		}, func(t *testing.T, h *harness) {
			h.do(Start{}, ChooseCategory{"social"})
			v := h.m.View()
			if v.Services[0].Available || !strings.Contains(v.Services[0].Reason, "打印机") || !v.Services[1].Available {
				t.Fatalf("items %+v", v.Services)
			}
			h.do(ChooseService{"ss-record"}, Start{})
			h.want(ScreenGuide)
			if h.m.View().Notice == "" {
				t.Fatal("no notice")
			}
			h.devs[devices.KindPrinter] = devices.Online
			h.do(DevicesChanged{}, Start{})
			h.want(ScreenIdentify)
		}},
		{"reader down, backend down", func(h *harness) {
			h.devs[devices.KindIDCard] = devices.Offline
			h.devs[devices.KindBackend] = devices.Offline
		}, func(t *testing.T, h *harness) {
			h.do(Start{}, ChooseService{"guide-only"})
			if g := h.m.View().Guide; !g.Available {
				t.Fatalf("queue matter without card should be available: %+v", g)
			}
			h.do(Back{}, ChooseService{"fund-query"})
			if g := h.m.View().Guide; g.Available || !strings.Contains(g.Reason, "身份证阅读器") {
				t.Fatalf("guide %+v", g)
			}
		}},
		{"suspended and closed now", func(h *harness) {
			h.clk.t = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) // Saturday 20:00 local
		}, func(t *testing.T, h *harness) {
			h.do(Start{}, ChooseCategory{"civil"})
			v := h.m.View()
			if v.Services[1].Available || v.Services[1].Reason != "该事项系统升级，暂停办理至12月1日。" {
				t.Fatalf("suspended: %+v", v.Services)
			}
			h.do(Home{}, ChooseCategory{"tax"})
			v = h.m.View()
			if v.Services[0].ID != "tax-cert" || v.Services[0].Available || !strings.Contains(v.Services[0].Reason, "周一至周五 08:30–17:30") {
				t.Fatalf("closed: %+v", v.Services)
			}
		}},
		{"help from every screen and the button", nil, func(t *testing.T, h *harness) {
			h.do(HelpButton{})
			if v := h.m.View(); v.Help == nil || v.Help.AssistURL != "https://zwfw.example.cn/assist?k=K01" || v.Help.Hotline != testHotline {
				t.Fatalf("help %+v", v.Help)
			}
			if _, ok := find[PlaceCall](h.last); !ok {
				t.Fatalf("the help button placed no call: %v", h.last)
			}
			h.do(Start{}, CloseHelp{}) // modal, and the call is on: ignored
			h.want(ScreenAttract)
			if _, ok := find[EndCall](h.do(HangUp{})); !ok {
				t.Fatal("挂断 did not end the call")
			}
			h.do(CloseHelp{}, Start{}, Help{})
			h.want(ScreenHome)
			if h.m.View().Help == nil {
				t.Fatal("no help on home")
			}
			h.do(CloseHelp{}, ChooseService{"ss-record"}, HelpButton{})
			if h.m.View().Help == nil {
				t.Fatal("no help on guide")
			}
		}},
		{"cancel with the card still on the reader", nil, func(t *testing.T, h *harness) {
			toForm(h, "ss-record")
			h.do(Cancel{})
			h.want(ScreenDone)
			if v := h.m.View(); v.Title != "请取回身份证" {
				t.Fatalf("done %+v", v)
			}
			if h.ended[0] != ReasonCancelled {
				t.Fatalf("ended %v", h.ended)
			}
			assertNoPersonal(t, h.m)
			h.do(Finish{})
			h.want(ScreenAttract)
		}},
		{"maintenance waits for the printer", nil, func(t *testing.T, h *harness) {
			toForm(h, "ss-record")
			h.do(FieldInput{"phone", testPhone}, FieldInput{"years", "1"}, Submit{}, Submit{})
			st, _ := find[SubmitTx](h.last)
			h.do(Submitted{Result: txn.Result{TxID: st.Tx.ID, Outcome: txn.Completed}})
			throughDocument(h, 1)
			h.do(Maintenance{On: true})
			h.want(ScreenResult)
			h.do(Printed{}, Continue{})
			h.want(ScreenRating)
			h.do(SkipRating{})
			h.want(ScreenMaintenance)
			h.do(Start{})
			h.want(ScreenMaintenance)
			h.do(Maintenance{On: false})
			h.want(ScreenAttract)
		}},
		{"no catalog: out of service until one arrives", func(h *harness) { h.cat = nil }, func(t *testing.T, h *harness) {
			h.do(Tick{})
			h.want(ScreenOutOfService)
			h.do(Start{})
			h.want(ScreenOutOfService)
			h.cat = testCatalog()
			h.tick(time.Second)
			h.want(ScreenAttract)
		}},
		{"submit answer never comes", nil, func(t *testing.T, h *harness) {
			h.do(Start{}, ChooseService{"guide-only"}, Start{})
			h.want(ScreenConfirm)
			h.do(Submit{})
			h.tick(121 * time.Second)
			h.want(ScreenResult)
			if v := h.m.View(); !strings.Contains(v.Result.Message, "可能已经受理") || !txn.ValidTrackingNo(v.Result.TrackingNo) {
				t.Fatalf("%+v", v.Result)
			}
			h.do(Submitted{Result: txn.Result{Outcome: txn.Completed}}) // late: ignored
			h.want(ScreenResult)
		}},
		{"expired card cannot be confirmed", nil, func(t *testing.T, h *harness) {
			h.do(Start{}, ChooseService{"fund-query"}, Start{})
			c := testCard()
			c.LongTerm, c.ValidTo = false, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			h.do(CardPresent{c}, ConfirmIdentity{})
			h.want(ScreenIdentify)
			if p := h.m.View().Identity.Problem; !strings.Contains(p, "有效期") {
				t.Fatalf("problem %q", p)
			}
		}},
		{"elder mode from attract, reset after the session", nil, func(t *testing.T, h *harness) {
			h.do(ToggleElder{})
			h.want(ScreenHome)
			if v := h.m.View(); !v.Elder || len(v.Popular) != 4 {
				t.Fatalf("elder %+v", v)
			}
			h.do(Cancel{})
			h.want(ScreenAttract)
			if h.m.View().Elder {
				t.Fatal("elder survived")
			}
		}},
		{"search by pinyin initials", nil, func(t *testing.T, h *harness) {
			h.do(Start{}, OpenSearch{}, SearchKey{'S'}, SearchKey{'b'})
			v := h.m.View()
			if v.Query != "sb" || len(v.Services) == 0 || v.Services[0].ID != "ss-record" {
				t.Fatalf("search %+v", v)
			}
			h.do(SearchBackspace{}, SearchBackspace{}, SearchKey{'g'}, SearchKey{'j'}, SearchKey{'j'})
			if v := h.m.View(); len(v.Services) != 1 || v.Services[0].ID != "fund-query" {
				t.Fatalf("gjj %+v", v.Services)
			}
			h.do(ChooseService{"fund-query"}, Back{})
			h.want(ScreenSearch)
		}},
		{"card on attract starts a session, kept until removed", nil, func(t *testing.T, h *harness) {
			h.do(CardPresent{testCard()})
			h.want(ScreenHome)
			h.do(ChooseService{"fund-query"}, Start{})
			if v := h.m.View(); v.Identity == nil {
				t.Fatal("card placed on attract not used")
			}
		}},
		{"night dims attract, presence wakes", func(h *harness) {
			h.clk.t = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC) // 23:00 local
		}, func(t *testing.T, h *harness) {
			h.tick(3 * time.Minute)
			if !h.m.View().Dim {
				t.Fatal("not dimmed")
			}
			h.do(Presence{})
			if h.m.View().Dim {
				t.Fatal("presence did not wake")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.setup != nil {
				tc.setup(h)
			}
			tc.run(t, h)
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		typ  string
		f    fieldSpec
		v    string
		want string // substring of the error; "" means valid
	}{
		{"required", fieldSpec{typ: "text", req: true}, "", "请填写"},
		{"optional empty", fieldSpec{typ: "digits"}, "", ""},
		{"digits", fieldSpec{typ: "digits"}, "12a", "只能填数字"},
		{"phone ok", fieldSpec{typ: "phone"}, "13812345678", ""},
		{"phone short", fieldSpec{typ: "phone"}, "1381234567", "11 位"},
		{"date ok", fieldSpec{typ: "date"}, "2024-02-29", ""},
		{"date bad", fieldSpec{typ: "date"}, "2023-02-29", "日期不对"},
		{"amount", fieldSpec{typ: "amount"}, "12.345", "两位小数"},
		{"amount ok", fieldSpec{typ: "amount"}, "120.5", ""},
		{"id ok", fieldSpec{typ: "id_number"}, testID, ""},
		{"id x lower", fieldSpec{typ: "id_number"}, "11010519491231002x", ""},
		{"id bad", fieldSpec{typ: "id_number"}, "410122195303151229", "身份证号码不对"},
		{"choice", fieldSpec{typ: "choice"}, "9", "请从选项中选择"},
		{"min", fieldSpec{typ: "text", min: 2}, "张", "至少"},
		{"pattern", fieldSpec{typ: "text", pattern: `[A-Z]{2}\d+`, hint: "如 AB123"}, "ab1", "如 AB123"},
		{"bad pattern ignored", fieldSpec{typ: "text", pattern: `(`}, "x", ""},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			got := Validate(tc.f.field(), tc.v)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Fatalf("Validate(%q) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}

// When no matter can be done at all the kiosk says so calmly, with the
// hotline, before anyone starts; it comes back by itself when a device
// does.
func TestOutOfServiceWhenNothingWorks(t *testing.T) {
	h := newHarness(t)
	c := h.cat
	for i := range c.Services {
		s := &c.Services[i]
		if !s.NeedsIDCard && !s.NeedsPrinter {
			s.NeedsIDCard = true // every test matter needs the card reader now
		}
	}
	h.devs[devices.KindIDCard] = devices.Offline
	h.tick(time.Second)
	h.want(ScreenOutOfService)
	if v := h.m.View(); v.Hotline == "" || v.Hotline != h.cat.Hotline {
		t.Fatalf("out of service without the hotline: %+v", v)
	}
	h.do(Start{})
	h.want(ScreenOutOfService)
	h.devs[devices.KindIDCard] = devices.Online
	h.tick(time.Second)
	h.want(ScreenAttract)
	h.do(Start{})
	h.want(ScreenHome)
}
