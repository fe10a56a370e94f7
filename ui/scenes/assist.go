package scenes

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// weekdays are a township centre's hours; stations keep shorter ones.
var (
	centreHours  = catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "12:00"}, {Days: []int{1, 2, 3, 4, 5}, From: "14:30", To: "17:30"}}}
	stationHours = catalog.Hours{Windows: []catalog.Window{{Days: []int{1, 2, 3, 4, 5}, From: "09:00", To: "11:30"}, {Days: []int{1, 2, 3, 4, 5}, From: "15:00", To: "17:00"}}}
)

// places are the county centre, its thirteen township (street) centres
// and the village stations of 城关镇, as kiosk/catalog/default.json lists
// them: the home-visit form's 乡镇 choice is as long as the county's.
func places() []catalog.Place {
	ps := []catalog.Place{{ID: "county", Level: catalog.LevelCounty, Name: "中牟县政务服务中心",
		Address: "中牟县商都大道与青年路交叉口东北角", Phone: "0371-62196001", Hours: centreHours}}
	for _, t := range []struct{ id, name, addr, phone string }{
		{"chengguan", "城关镇", "中牟县城关镇建设路68号", "0371-62162301"},
		{"qingnianlu", "青年路街道", "中牟县青年路街道文化路与青年路交叉口西50米", "0371-62136601"},
		{"dongfenglu", "东风路街道", "中牟县东风路街道东风路126号", "0371-62177201"},
		{"guanghuijie", "广惠街街道", "中牟县广惠街街道牟州大道与广惠街交叉口", "0371-62159801"},
		{"baisha", "白沙镇", "中牟县白沙镇白沙大道与郑开大道交叉口南200米", "0371-62551001"},
		{"hansi", "韩寺镇", "中牟县韩寺镇政府路9号", "0371-62371001"},
		{"guandu", "官渡镇", "中牟县官渡镇官渡大街88号", "0371-62311001"},
		{"langchenggang", "狼城岗镇", "中牟县狼城岗镇府前街16号", "0371-62331001"},
		{"wantan", "万滩镇", "中牟县万滩镇郑庵路与万滩大道交叉口", "0371-62391001"},
		{"yanminghu", "雁鸣湖镇", "中牟县雁鸣湖镇雁鸣大道与滨湖路交叉口", "0371-62421001"},
		{"yaojia", "姚家镇", "中牟县姚家镇人民路22号", "0371-62441001"},
		{"huangdian", "黄店镇", "中牟县黄店镇黄店大街51号", "0371-62461001"},
		{"diaojia", "刁家乡", "中牟县刁家乡刁家村中牟路东段", "0371-62481001"},
	} {
		ps = append(ps, catalog.Place{ID: t.id, Level: catalog.LevelTownship, Name: t.name + "便民服务中心",
			Address: t.addr, Phone: t.phone, Hours: centreHours})
	}
	for _, v := range []struct{ id, name, addr, phone string }{
		{"chengguan-nanjie", "南街社区", "中牟县城关镇南街社区党群服务中心", "0371-62162318"},
		{"chengguan-beijie", "北街社区", "中牟县城关镇北街社区服务中心一楼", "0371-62162326"},
		{"chengguan-xiguan", "西关村", "中牟县城关镇西关村村委会院内", "0371-62162335"},
	} {
		ps = append(ps, catalog.Place{ID: v.id, Level: catalog.LevelVillage, Township: "chengguan",
			Name: "城关镇" + v.name + "便民服务站", Address: v.addr, Phone: v.phone, Hours: stationHours})
	}
	return ps
}

// ElsewhereService is the demonstration matter kiosks do not do: the
// province's senior citizen card (老年人优待证), applied for at the
// township centre, the village station, online or in the apps, and
// brought home by 小牟帮办 for residents over 60.
func ElsewhereService() catalog.Service {
	return catalog.Service{ID: "mz-lnyd", Name: "河南省老年人优待证申领", ShortName: "老年人优待证申领", Category: "civil",
		Department: "县民政局", Kind: catalog.KindApply, Hours: catalog.Hours{Always: true}, Popularity: 5, Status: catalog.StatusActive,
		Where:     []string{catalog.WhereTownship, catalog.WhereVillage, catalog.WhereOnline, catalog.WhereApp},
		OnlineURL: "https://www.hnzwfw.gov.cn/portal/guide/410122-mz-lnyd", HomeVisit: true}
}

// Assists returns the scenes of 小牟帮办 at the kiosk, elder true in
// elder mode, from a real Machine on the demonstration catalog with a
// phone to the duty desk: the 本机不能办理 page of a matter kiosks do not
// do, the home-visit form it leads to (its 乡镇 choice as long as the
// county's), help with 呼叫小牟帮办, a call dialing, connected and not
// answered with the callback offered, and the callback form.
func Assists(elder bool) []Scene {
	var out []Scene
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	c := Catalog()
	m := session.New(&session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07",
		HallName: HallName, HallID: "cgz", Now: func() time.Time { return now }, Calls: true})
	do := func(evs ...session.Event) {
		for _, ev := range evs {
			m.Handle(ev)
		}
	}
	snap := func(name string) { out = append(out, Scene{Name: name, View: m.View()}) }
	later := func(d time.Duration) {
		now = now.Add(d)
		do(session.Tick{Now: now})
	}
	do(session.Start{})
	if elder {
		do(session.ToggleElder{})
	}
	do(session.ChooseCategory{ID: "civil"}, session.ChooseService{ID: "mz-lnyd"})
	snap("elsewhere")
	do(session.RequestHomeVisit{})
	snap("homevisit_form")
	do(session.FieldFocus{ID: "township"})
	snap("homevisit_township")
	do(session.FieldInput{ID: "township", Value: "chengguan"}, session.FieldFocus{ID: "for_service"})
	snap("homevisit_service")
	do(session.Home{}, session.Help{})
	snap("help_call")
	do(session.CallDesk{})
	later(12 * time.Second)
	snap("help_dialing")
	do(session.CallUpdate{Answered: true})
	later(83 * time.Second)
	snap("help_connected")
	do(session.HangUp{})
	snap("help_call_ended")
	do(session.CloseHelp{}, session.Help{}, session.CallDesk{})
	later(46 * time.Second)
	snap("help_no_answer")
	do(session.RequestCallback{})
	snap("callback_form")

	// 帮办模式: help with the mode offered, the staff login (a wrong PIN
	// said), the resident's consent, and a screen with the banner.
	staff := session.New(&session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07",
		HallName: HallName, HallID: "cgz", Now: func() time.Time { return now }, Calls: true, Staff: true})
	m = staff
	do(session.Start{})
	if elder {
		do(session.ToggleElder{})
	}
	do(session.Help{})
	snap("help_staff")
	do(session.OpenStaffMode{}, session.StaffKey{Key: "0"}, session.StaffKey{Key: "1"}, session.StaffKey{Key: "0"}, session.StaffKey{Key: "1"},
		session.FieldFocus{ID: session.StaffPINField}, session.StaffKey{Key: "1"}, session.StaffKey{Key: "2"}, session.StaffKey{Key: "3"},
		session.StaffKey{Key: "4"}, session.Submit{}, session.StaffChecked{ID: "0101", Err: session.StaffWrong},
		session.StaffKey{Key: "2"}, session.StaffKey{Key: "4"})
	snap("staff_pin")
	do(session.StaffKey{Key: "6"}, session.StaffKey{Key: "8"}, session.Submit{}, session.StaffChecked{ID: "0101"})
	snap("staff_consent")
	do(session.Continue{}, session.ChooseCategory{ID: "civil"})
	snap("staff_category")
	return out
}
