package session

import (
	"image"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Personal values used by the tests; none may survive a session.
const (
	testName    = "王秀兰"
	testID      = "410122195303151221"
	testAddress = "河南省郑州市中牟县城关镇青年路12号"
	testPhone   = "13812345678"
	testChild   = "410122198001011235"
)

func testCard() *identity.Card {
	return &identity.Card{Type: identity.ResidentID, Name: testName, Sex: "女", SexCode: "2", Nation: "汉",
		NationCode: "01", Birth: time.Date(1953, 3, 15, 0, 0, 0, 0, time.UTC), Address: testAddress,
		IDNumber: testID, IDNumberValid: true, Issuer: "中牟县公安局", LongTerm: true,
		Photo: []byte{1, 2, 3, 4}}
}

func testCatalog() *catalog.Catalog {
	return &catalog.Catalog{
		SchemaVersion: 1, Version: 42, County: "中牟县", Hotline: testHotline,
		AssistURL: "https://zwfw.example.cn/assist?k=K01", TrackURL: "https://zwfw.example.cn/t/{tracking}",
		AssistName: "小牟帮办",
		Halls:      []catalog.Hall{{ID: "cgz", Name: "城关镇便民服务中心自助厅", Township: "t-cgz"}},
		Places: []catalog.Place{
			{ID: "county", Level: catalog.LevelCounty, Name: "中牟县政务服务中心", Address: "商都大道", Hours: catalog.Hours{Always: true}},
			{ID: "t-cgz", Level: catalog.LevelTownship, Name: "城关镇便民服务中心", Address: "中牟县城关镇建设路68号", Phone: "0371-62101234",
				Hours: catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "17:30"}}}},
			{ID: "v-dj", Level: catalog.LevelVillage, Name: "城关镇东街社区便民服务站", Township: "t-cgz"},
			{ID: "v-xj", Level: catalog.LevelVillage, Name: "城关镇西街社区便民服务站", Township: "t-cgz"},
			{ID: "t-bsz", Level: catalog.LevelTownship, Name: "白沙镇便民服务中心"},
			{ID: "v-dbs", Level: catalog.LevelVillage, Name: "白沙镇东白沙村便民服务站", Township: "t-bsz"},
		},
		Categories: []catalog.Category{
			{ID: "social", Name: "社保医保", Icon: "shield", Order: 1},
			{ID: "civil", Name: "民政残联", Icon: "heart", Order: 2},
			{ID: "tax", Name: "税务", Icon: "tax", Order: 3},
		},
		Services: []catalog.Service{
			{ID: "ss-record", Name: "社保缴费记录打印", Category: "social", Department: "县人社局", Kind: catalog.KindPrint,
				NeedsIDCard: true, NeedsPrinter: true, Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineOnlineOnly,
				IdentityCode: true, Popularity: 100, Status: catalog.StatusActive, Materials: []string{"本人居民身份证"},
				Keywords: []string{"社保", "缴费"},
				Form: []catalog.Field{
					{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, CardField: "name"},
					{ID: "idno", Label: "身份证号", Type: catalog.FieldFromCard, CardField: "id_number"},
					{ID: "phone", Label: "手机号码", Type: catalog.FieldPhone, Required: true, Personal: true},
					{ID: "years", Label: "打印年份", Type: catalog.FieldChoice, Required: true,
						Choices: []catalog.Choice{{Value: "1", Label: "近一年"}, {Value: "3", Label: "近三年"}}},
				},
				Receipt: catalog.Receipt{Title: "社保缴费记录"}},
			{ID: "subsidy", Name: "高龄津贴申请", Category: "civil", Department: "县民政局", Kind: catalog.KindApply,
				NeedsIDCard: true, Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineQueue, TimeLimitDays: 10,
				Popularity: 80, Status: catalog.StatusActive,
				Form: []catalog.Field{
					{ID: "addr", Label: "居住地址", Type: catalog.FieldText, Required: true, CardField: "address", Personal: true},
					{ID: "agent", Label: "代办人身份证号", Type: catalog.FieldIDNumber},
					{ID: "bank", Label: "银行卡号", Type: catalog.FieldDigits, Required: true, MinLen: 16, MaxLen: 19, Personal: true},
				}},
			{ID: "fund-query", Name: "公积金余额查询", Category: "social", Department: "公积金中心", Kind: catalog.KindQuery,
				NeedsIDCard: true, Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineOnlineOnly,
				Popularity: 90, Status: catalog.StatusActive},
			{ID: "tax-cert", Name: "完税证明打印", Category: "tax", Department: "县税务局", Kind: catalog.KindPrint,
				NeedsIDCard: true, NeedsPrinter: true, Offline: catalog.OfflineOnlineOnly, Popularity: 50,
				Status: catalog.StatusActive,
				Hours:  catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "17:30"}}}},
			{ID: "old-card", Name: "老年优待证申领", Category: "civil", Department: "县民政局", Kind: catalog.KindApply,
				Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineQueue, Popularity: 10,
				Status: catalog.StatusSuspended, StatusMessage: "该事项系统升级，暂停办理至12月1日。"},
			{ID: "pension-pay", Name: "城乡居民养老保险费缴纳", Category: "social", Department: "中牟县社会保险中心",
				Kind: catalog.KindApply, Payment: true, NeedsIDCard: true, Hours: catalog.Hours{Always: true},
				Offline: catalog.OfflineOnlineOnly, Popularity: 70, Status: catalog.StatusActive,
				Form: []catalog.Field{
					{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, CardField: "name"},
					{ID: "grade", Label: "缴费档次（元/年）", Type: catalog.FieldChoice, Required: true,
						Choices: []catalog.Choice{{Value: "300", Label: "300"}, {Value: "500", Label: "500"}}},
				},
				Receipt: catalog.Receipt{Title: "居民养老缴费凭条"}},
			{ID: "pension-check", Name: "城乡居民养老保险待遇资格认证", ShortName: "居民养老待遇资格认证", Category: "social",
				Department: "中牟县社会保险中心", Kind: catalog.KindCertify, NeedsIDCard: true, FaceCheck: true,
				Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineOnlineOnly, Popularity: 3, Status: catalog.StatusActive,
				Form:    []catalog.Field{{ID: "name", Label: "姓名", Type: catalog.FieldFromCard, CardField: "name"}},
				Receipt: catalog.Receipt{Title: "资格认证凭条"}, HomeVisit: true},
			{ID: "disab-sub", Name: "困难残疾人生活补贴申请", ShortName: "残疾人生活补贴", Category: "civil", Department: "县残联",
				Kind: catalog.KindApply, Where: []string{catalog.WhereTownship, catalog.WhereVillage, catalog.WhereOnline},
				Devices: []string{}, OnlineURL: "https://www.hnzwfw.gov.cn/portal/guide/410122-disab-sub", HomeVisit: true,
				Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineQueue, Popularity: 4, Status: catalog.StatusActive,
				Keywords: []string{"残疾", "补贴"}},
			{ID: "guide-only", Name: "办事指南查询", Category: "tax", Department: "县政务服务中心", Kind: catalog.KindQuery,
				Hours: catalog.Hours{Always: true}, Offline: catalog.OfflineQueue, Popularity: 5, Status: catalog.StatusActive},
		},
	}
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time           { return c.t }
func (c *clock) add(d time.Duration) Tick { c.t = c.t.Add(d); return Tick{Now: c.t} }

type harness struct {
	t     testing.TB
	m     *Machine
	clk   *clock
	devs  map[devices.Kind]devices.State
	cat   *catalog.Catalog
	fx    []Effect // all effects so far
	last  []Effect
	ended []string
}

func newHarness(t testing.TB) *harness {
	// Wednesday 2026-11-25 10:00 China time.
	h := &harness{t: t, clk: &clock{t: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)},
		devs: map[devices.Kind]devices.State{}, cat: testCatalog()}
	h.m = New(&Opts{
		Catalog:     func() *catalog.Catalog { return h.cat },
		DeviceState: func(k devices.Kind) devices.State { return h.devs[k] },
		KioskID:     "ZM-K07", HallName: "中牟县城关镇24小时自助服务厅", HallID: "cgz", Calls: true, Staff: true,
		Now: h.clk.now, Documents: true, Payments: true, IdentityCodes: true, Faces: true,
	})
	return h
}

func (h *harness) do(evs ...Event) []Effect {
	h.t.Helper()
	var all []Effect
	for _, ev := range evs {
		fx := h.m.Handle(ev)
		for _, e := range fx {
			if se, ok := e.(SessionEnded); ok {
				h.ended = append(h.ended, se.Reason)
			}
		}
		all = append(all, fx...)
	}
	h.fx = append(h.fx, all...)
	h.last = all
	return all
}

func (h *harness) tick(d time.Duration) []Effect { return h.do(h.clk.add(d)) }

func (h *harness) want(s Screen) {
	h.t.Helper()
	if got := h.m.Screen(); got != s {
		h.t.Fatalf("screen = %s, want %s (view %+v)", got, s, h.m.View())
	}
}

func find[T Effect](fx []Effect) (T, bool) {
	for _, e := range fx {
		if v, ok := e.(T); ok {
			return v, true
		}
	}
	var z T
	return z, false
}

func toFormWith(h *harness, svc string, c *identity.Card) {
	h.t.Helper()
	h.do(Start{}, ChooseService{svc}, Start{}, CardPresent{c}, ConfirmIdentity{})
	h.want(ScreenForm)
}

func st2(id string) txn.Result {
	return txn.Result{TxID: id, Outcome: txn.Queued, TrackingNo: "Q-1", Lines: []txn.ResultLine{{Label: "姓名", Value: testName}}}
}

// testPreview is a page as the host renders one: it stands for the
// resident's document, so the session must wipe it.
func testPreview() *image.Gray {
	p := image.NewGray(image.Rect(0, 0, 60, 85))
	for i := range p.Pix {
		p.Pix[i] = 200
	}
	return p
}

// throughDocument takes a print matter from the document screen through
// a clean A4 print of pages to the result: it returns the effects of the
// step that shows the result (where the slip starts).
func throughDocument(h *harness, pages int) []Effect {
	h.t.Helper()
	h.want(ScreenDocument)
	fetch, ok := find[FetchDocument](h.fx)
	if !ok {
		h.t.Fatal("no FetchDocument")
	}
	h.do(DocumentFetched{TxID: fetch.TxID, Doc: &Document{Title: "社会保险个人参保缴费证明", Department: "中牟县人力资源和社会保障局",
		Pages: pages, VerificationCode: "ZM7Q-4K2P-9XA3", Preview: testPreview()}})
	h.do(PrintDocument{})
	for p := 1; p <= pages; p++ {
		h.do(A4Progress{TxID: fetch.TxID, Page: p, Pages: pages})
	}
	h.do(A4Printed{TxID: fetch.TxID})
	h.want(ScreenDocument)
	fx := h.do(Continue{})
	h.want(ScreenResult)
	return fx
}

// testHotline is the county's hotline as the built-in service list
// publishes it: the one source every screen and slip reads.
var testHotline = func() string {
	c, err := catalog.Default()
	if err != nil {
		panic(err)
	}
	return c.Hotline
}()
