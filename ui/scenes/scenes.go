// Package scenes drives a real session.Machine through every screen of
// the journey with a demonstration catalog and card, and returns the
// views. Layout tests, golden screenshots and `make screenshots` use the
// same scenes, so what is reviewed is what the kiosk shows.
package scenes

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Scene is one named view.
type Scene struct {
	Name string
	View session.View
}

// The demonstration county's hotline and assisted-service team, as
// kiosk/catalog/default.json names them; every scene reads them from
// Catalog.
const (
	Hotline    = "0371-62112345"
	AssistName = "小牟帮办"
)

// Catalog returns the demonstration catalog.
func Catalog() *catalog.Catalog {
	return &catalog.Catalog{
		SchemaVersion: 1, Version: 7, County: "中牟县", Hotline: Hotline, AssistName: AssistName,
		Halls: []catalog.Hall{
			{ID: "cgz", Name: HallName, Address: "中牟县城关镇建设路68号", Township: "chengguan",
				Nearby: []catalog.NearbyHall{{ID: "qnl", Meters: 1600}}},
			{ID: "qnl", Name: "青年路街道便民服务中心自助厅", Address: "中牟县青年路街道文化路与青年路交叉口西50米", Township: "qingnianlu"},
		},
		Places:    places(),
		AssistURL: "https://zwfw.zhongmu.gov.cn/bbdb?kiosk=ZM-K07",
		TrackURL:  "https://zwfw.zhongmu.gov.cn/jd?no={tracking}",
		Categories: []catalog.Category{
			{ID: "social", Name: "社保医保", Icon: "shield", Order: 1},
			{ID: "house", Name: "户籍证明", Icon: "person", Order: 2},
			{ID: "car", Name: "车驾管", Icon: "car", Order: 3},
			{ID: "market", Name: "市场监管", Icon: "shop", Order: 4},
			{ID: "fund", Name: "住房公积金", Icon: "house", Order: 5},
			{ID: "tax", Name: "税务", Icon: "tax", Order: 6},
			{ID: "civil", Name: "民政残联", Icon: "heart", Order: 7},
			{ID: "health", Name: "医疗卫生", Icon: "hospital", Order: 8},
			{ID: "edu", Name: "教育", Icon: "school", Order: 9},
		},
		Services: []catalog.Service{
			{ID: "ss-record", Name: "社保缴费记录打印", Category: "social", Department: "县人力资源和社会保障局", Kind: catalog.KindPrint,
				Description: "打印本人城乡居民或职工养老保险的缴费记录，可用于贷款、落户、入学等。",
				NeedsIDCard: true, NeedsPrinter: true, Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineOnlineOnly,
				IdentityCode: true, Popularity: 100, Status: catalog.StatusActive, Materials: []string{"本人居民身份证（原件）"},
				Form: []catalog.Field{
					{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, CardField: "name"},
					{ID: "idno", Label: "身份证号", Type: catalog.FieldFromCard, CardField: "id_number"},
					{ID: "phone", Label: "手机号码", Type: catalog.FieldPhone, Required: true, Personal: true, Hint: "用于接收办理结果短信"},
					{ID: "years", Label: "打印年份", Type: catalog.FieldChoice, Required: true,
						Choices: []catalog.Choice{{Value: "1", Label: "近一年"}, {Value: "3", Label: "近三年"}, {Value: "all", Label: "全部"}}},
					{ID: "date", Label: "参保日期", Type: catalog.FieldDate},
				},
				Receipt: catalog.Receipt{Title: "社保缴费记录"}},
			{ID: "med-cert", Name: "医保参保凭证打印", Category: "social", Department: "县医疗保障局", Kind: catalog.KindPrint,
				NeedsIDCard: true, NeedsPrinter: true, Hours: catalog.Hours{Always: true}, Popularity: 90, HomeVisit: true, Status: catalog.StatusActive},
			{ID: "pension-cert", Name: "养老待遇资格认证", Category: "social", Department: "县人力资源和社会保障局", Kind: catalog.KindCertify,
				NeedsIDCard: true, Hours: catalog.Hours{Always: true}, Popularity: 95, HomeVisit: true, Status: catalog.StatusActive},
			{ID: "hukou-proof", Name: "户籍证明开具", Category: "house", Department: "县公安局", Kind: catalog.KindPrint,
				NeedsIDCard: true, NeedsPrinter: true, Popularity: 70, Status: catalog.StatusActive,
				Hours: catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "17:30"}}}},
			{ID: "fund-query", Name: "公积金余额查询", Category: "fund", Department: "县住房公积金管理中心", Kind: catalog.KindQuery,
				NeedsIDCard: true, Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineOnlineOnly, Popularity: 85, Status: catalog.StatusActive},
			{ID: "old-card", Name: "老年人优待证申领", Category: "civil", Department: "县民政局", Kind: catalog.KindApply,
				Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineQueue, Popularity: 60,
				Status: catalog.StatusSuspended, StatusMessage: "系统升级，暂停办理至12月1日。"},
			{ID: "subsidy", Name: "高龄津贴申请", Category: "civil", Department: "县民政局", Kind: catalog.KindApply,
				NeedsIDCard: true, Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineQueue, TimeLimitDays: 10, Popularity: 65,
				HomeVisit: true,
				Status:    catalog.StatusActive,
				Form: []catalog.Field{
					{ID: "need", Label: "想办的事", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 100,
						Hint: "简单说明，例如 给老伴办养老认证", Personal: true},
					{ID: "phone", Label: "手机号码", Type: catalog.FieldPhone, Personal: true, Hint: "办好后用短信告诉您"},
				}},
			{ID: "tax-cert", Name: "个人所得税完税证明", Category: "tax", Department: "县税务局", Kind: catalog.KindPrint,
				NeedsIDCard: true, NeedsPrinter: true, Hours: catalog.Hours{Always: true}, Popularity: 40, Status: catalog.StatusActive},
			ElsewhereService(),
		},
	}
}

// Card returns the demonstration card (a fictitious resident).
func Card() *identity.Card {
	return &identity.Card{Type: identity.ResidentID, Name: "王秀兰", Sex: "女", SexCode: "2", Nation: "汉", NationCode: "01",
		Birth: time.Date(1953, 3, 15, 0, 0, 0, 0, time.UTC), Address: "河南省郑州市中牟县城关镇青年路12号",
		IDNumber: "410122195303151221", IDNumberValid: true, Issuer: "中牟县公安局", LongTerm: true}
}

// IdentityCode is the demonstration resident's electronic ID code as her
// phone shows it.
const IdentityCode = "YSBEID1.410122195303151221.546L56eA5YWw.29400000.3f6a2c9e81d04b7a55c1"

// CodeCard is the identity the backend gives for IdentityCode: no address,
// no photo.
func CodeCard() *identity.Card {
	return &identity.Card{Type: identity.ResidentID, Name: "王秀兰", Sex: "女", SexCode: "2",
		IDNumber: "410122195303151221", IDNumberValid: true, LongTerm: true}
}

// HallName is the demonstration hall.
const HallName = "中牟县城关镇24小时自助服务厅"

// Machine returns a machine on the demonstration catalog with a clock the
// caller advances.
func Machine(now *time.Time) *session.Machine {
	return machine(now, nil)
}

// machine is Machine with the devices' states (nil: all usable).
func machine(now *time.Time, devs map[devices.Kind]devices.State) *session.Machine {
	c := Catalog()
	o := &session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07",
		HallName: HallName, HallID: "cgz", Now: func() time.Time { return *now }, Documents: true, IdentityCodes: true}
	if devs != nil {
		o.DeviceState = func(k devices.Kind) devices.State { return devs[k] }
	}
	return session.New(o)
}

// All returns one scene per screen and overlay, in normal mode (elder
// true: in elder mode): every screen of the journey, and the states a
// resident alone at night must not get lost in (the result before the
// rating, the slip that did not print with its reprint and text message,
// the card left behind, the backend out of reach, maintenance with its
// return time and the nearest hall).
func All(elder bool) []Scene {
	var out []Scene
	// Thursday 26 November 2026, 10:30 in Henan.
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	devs := map[devices.Kind]devices.State{}
	m := machine(&now, devs)
	pages := pageCopies{}
	snap := func(name string) { out = append(out, Scene{Name: name, View: pages.keep(m.View())}) }
	var txID string // the transaction whose proof is being fetched
	do := func(evs ...session.Event) {
		for _, ev := range evs {
			for _, fx := range m.Handle(ev) {
				if f, ok := fx.(session.FetchDocument); ok {
					txID = f.TxID
				}
			}
		}
	}
	begin := func() {
		do(session.Start{})
		if elder {
			do(session.ToggleElder{})
		}
	}
	later := func(d time.Duration) {
		now = now.Add(d)
		do(session.Tick{Now: now})
	}
	snap("attract")
	begin()
	snap("home")
	do(session.Help{})
	snap("help")
	do(session.CloseHelp{}, session.ChooseCategory{ID: "social"})
	snap("category")
	do(session.Back{}, session.OpenSearch{}, session.SearchKey{R: 's'}, session.SearchKey{R: 'b'})
	snap("search")
	do(session.ChooseService{ID: "ss-record"})
	snap("guide")
	do(session.Start{})
	snap("identify")
	do(session.Scanned{Text: IdentityCode})
	snap("identify_code_busy")
	do(session.IdentityVerified{Card: CodeCard()})
	snap("identify_code_confirm")
	do(session.CardPresent{Card: Card()})
	snap("identify_confirm")
	do(session.ConfirmIdentity{}, session.FieldFocus{ID: "phone"}, session.FieldInput{ID: "phone", Value: "1381234"})
	snap("form_keypad")
	do(session.Submit{}, session.FieldFocus{ID: "years"})
	snap("form_choice")
	do(session.FieldInput{ID: "phone", Value: "13812345678"}, session.FieldInput{ID: "years", Value: "3"}, session.FieldFocus{ID: "date"})
	snap("form_date")
	do(session.DateDigits{ID: "date", Digits: "1985"})
	snap("form_date_typed")
	do(session.DateDigits{ID: "date", Digits: "19850301"}, session.Submit{})
	snap("confirm")
	now = now.Add(time.Second)
	do(session.Submit{})
	snap("submitting")
	do(session.Submitted{Result: txn.Result{Outcome: txn.Completed, TrackingNo: "K7QH2M4X",
		Lines: []txn.ResultLine{{Label: "缴费月数", Value: "36 个月"}}}})
	// The proof: fetched, shown, printed page by page; the printer runs
	// out of paper, comes back, prints it again, and the pages are taken.
	snap("document_fetching")
	do(session.DocumentFetched{TxID: txID, Doc: SampleDocument()})
	snap("document_ready")
	do(session.PrintDocument{}, session.A4Progress{TxID: txID, Page: 1, Pages: 3})
	snap("document_printing")
	do(session.A4Printed{TxID: txID, Fault: session.FaultPaperOut})
	snap("document_stopped")
	do(session.DevicesChanged{}) // the A4 printer has paper again
	snap("document_reprint")
	do(session.ReprintDocument{})
	for p := 1; p <= 3; p++ {
		do(session.A4Progress{TxID: txID, Page: p, Pages: 3})
	}
	do(session.A4Printed{TxID: txID})
	snap("document_take")
	do(session.Continue{})
	snap("result_printing")
	do(session.Printed{Err: errPaperOut{}})
	snap("paper_out")
	do(session.RequestSMS{}, session.SMSSent{})
	snap("paper_out_sms_sent")
	do(session.DevicesChanged{}) // the printer says it has paper again
	snap("paper_back")
	do(session.Reprint{})
	snap("reprinting")
	do(session.Printed{})
	snap("result")
	do(session.Continue{})
	snap("rating")
	do(session.Rate{Score: 5})
	snap("done")
	later(16 * time.Second)
	snap("attract_card_left")
	do(session.CardRemoved{})
	// Inactivity dialog on home.
	begin()
	later(65 * time.Second)
	snap("timeout")
	do(session.Cancel{})
	// An online-only matter with the backend unreachable: 重试.
	begin()
	do(session.ChooseService{ID: "fund-query"}, session.Start{}, session.CardPresent{Card: Card()},
		session.ConfirmIdentity{}, session.Submit{}, session.Submitted{Err: errUnreachable{}})
	snap("result_unreached")
	// The reader stops telling whether the card is there.
	do(session.CardPresence{State: session.CardUnknown}, session.Continue{})
	snap("done_card_unknown")
	do(session.CardRemoved{}, session.Finish{})
	// A queued matter with the printer down: the code to copy, the
	// hotline, the code by text message.
	devs[devices.KindPrinter] = devices.Offline
	begin()
	do(session.ChooseService{ID: "subsidy"}, session.Start{}, session.CardPresent{Card: Card()},
		session.ConfirmIdentity{}, session.FieldInput{ID: "need", Value: "给老伴办养老认证"},
		session.FieldInput{ID: "phone", Value: "13812345678"}, session.Submit{}, session.Submit{})
	do(session.Submitted{Result: txn.Result{Outcome: txn.Queued, TrackingNo: "P3WX9TCN"}})
	snap("result_queued_no_printer")
	do(session.CardRemoved{}, session.Finish{}, session.Finish{})
	delete(devs, devices.KindPrinter)
	// A proof that fails the kiosk's checks, and one the backend does not
	// hand over: nothing printed, the hotline, 结束.
	for _, f := range []struct {
		name  string
		fault session.DocFault
	}{{"document_refused", session.FaultRefused}, {"document_unreached", session.FaultUnreached}} {
		begin()
		do(session.ChooseService{ID: "med-cert"}, session.Start{}, session.CardPresent{Card: Card()},
			session.ConfirmIdentity{}, session.Submit{}, session.Submit{})
		do(session.Submitted{Result: txn.Result{Outcome: txn.Completed, TrackingNo: "M2CE8R4T"}})
		do(session.DocumentFetched{TxID: txID, Fault: f.fault})
		snap(f.name)
		do(session.Continue{}, session.CardRemoved{}, session.Finish{})
	}
	// Chinese entry: pinyin typed, candidates shown.
	begin()
	do(session.ChooseService{ID: "subsidy"}, session.Start{}, session.CardPresent{Card: Card()},
		session.ConfirmIdentity{}, session.FieldFocus{ID: "need"}, session.FieldInput{ID: "need", Value: "需要"})
	for _, r := range "bangmang" {
		do(session.PinyinKey{R: r})
	}
	snap("form_pinyin")
	do(session.CardRemoved{}, session.Cancel{}, session.Finish{})
	// Nothing can be done: the card reader is down.
	devs[devices.KindIDCard] = devices.Offline
	later(time.Second)
	snap("out_of_service")
	delete(devs, devices.KindIDCard)
	later(time.Second)
	do(session.Maintenance{On: true, Until: time.Date(2026, 11, 26, 15, 30, 0, 0, time.FixedZone("CST", 8*3600))})
	snap("maintenance")
	out = append(out, Payments(elder)...)
	out = append(out, Faces(elder)...)
	return append(out, Assists(elder)...)
}

type errPaperOut struct{}

func (errPaperOut) Error() string { return "escpos: print: paper out" }

type errUnreachable struct{}

func (errUnreachable) Error() string { return "backend: post: connection refused" }
