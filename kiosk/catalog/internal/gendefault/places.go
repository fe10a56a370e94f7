package main

import "github.com/henan-county/kiosk/kiosk/catalog"

// halls are the county's 16 round-the-clock self-service halls: the new
// and the old town area, the township (street) centres, and two large
// residential communities. Each names the township or street it is in.
var halls = []catalog.Hall{
	{ID: "zwzx", Name: "中牟县政务服务中心24小时自助服务区", Address: "中牟县商都大道与青年路交叉口东北角政务服务中心一楼", Township: "qingnianlu", Nearby: []catalog.NearbyHall{{ID: "qnl", Meters: 1200}, {ID: "cgz", Meters: 1800}}},
	{ID: "cgz", Name: "老城区24小时自助服务厅", Address: "中牟县城关镇建设路68号城关镇便民服务中心一楼", Township: "chengguan", Nearby: []catalog.NearbyHall{{ID: "zwzx", Meters: 1800}, {ID: "qnl", Meters: 2100}}},
	{ID: "qnl", Name: "青年路街道便民服务中心自助厅", Address: "中牟县青年路街道文化路与青年路交叉口西50米", Township: "qingnianlu", Nearby: []catalog.NearbyHall{{ID: "zwzx", Meters: 1200}, {ID: "dfl", Meters: 1600}}},
	{ID: "dfl", Name: "东风路街道便民服务中心自助厅", Address: "中牟县东风路街道东风路126号", Township: "dongfenglu", Nearby: []catalog.NearbyHall{{ID: "mzhy", Meters: 900}, {ID: "qnl", Meters: 1600}}},
	{ID: "ghj", Name: "广惠街街道便民服务中心自助厅", Address: "中牟县广惠街街道牟州大道与广惠街交叉口", Township: "guanghuijie", Nearby: []catalog.NearbyHall{{ID: "lbsq", Meters: 1500}, {ID: "dfl", Meters: 2000}}},
	{ID: "bsz", Name: "白沙镇便民服务中心自助厅", Address: "中牟县白沙镇白沙大道与郑开大道交叉口南200米", Township: "baisha", Nearby: []catalog.NearbyHall{{ID: "ymh", Meters: 9000}, {ID: "zwzx", Meters: 14000}}},
	{ID: "hsz", Name: "韩寺镇便民服务中心自助厅", Address: "中牟县韩寺镇政府路9号", Township: "hansi", Nearby: []catalog.NearbyHall{{ID: "wtz", Meters: 8000}, {ID: "zwzx", Meters: 12000}}},
	{ID: "gdz", Name: "官渡镇便民服务中心自助厅", Address: "中牟县官渡镇官渡大街88号", Township: "guandu", Nearby: []catalog.NearbyHall{{ID: "lcg", Meters: 9000}, {ID: "zwzx", Meters: 11000}}},
	{ID: "lcg", Name: "狼城岗镇便民服务中心自助厅", Address: "中牟县狼城岗镇府前街16号", Township: "langchenggang", Nearby: []catalog.NearbyHall{{ID: "gdz", Meters: 9000}, {ID: "wtz", Meters: 12000}}},
	{ID: "wtz", Name: "万滩镇便民服务中心自助厅", Address: "中牟县万滩镇郑庵路与万滩大道交叉口", Township: "wantan", Nearby: []catalog.NearbyHall{{ID: "hsz", Meters: 8000}, {ID: "zwzx", Meters: 13000}}},
	{ID: "ymh", Name: "雁鸣湖镇便民服务中心自助厅", Address: "中牟县雁鸣湖镇雁鸣大道与滨湖路交叉口", Township: "yanminghu", Nearby: []catalog.NearbyHall{{ID: "djx", Meters: 7000}, {ID: "bsz", Meters: 9000}}},
	{ID: "yjz", Name: "姚家镇便民服务中心自助厅", Address: "中牟县姚家镇人民路22号", Township: "yaojia", Nearby: []catalog.NearbyHall{{ID: "hdz", Meters: 8000}, {ID: "zwzx", Meters: 13000}}},
	{ID: "hdz", Name: "黄店镇便民服务中心自助厅", Address: "中牟县黄店镇黄店大街51号", Township: "huangdian", Nearby: []catalog.NearbyHall{{ID: "yjz", Meters: 8000}, {ID: "zwzx", Meters: 15000}}},
	{ID: "djx", Name: "刁家乡便民服务中心自助厅", Address: "中牟县刁家乡刁家村中牟路东段", Township: "diaojia", Nearby: []catalog.NearbyHall{{ID: "ymh", Meters: 7000}, {ID: "zwzx", Meters: 10000}}},
	{ID: "lbsq", Name: "绿博社区24小时自助服务厅", Address: "中牟县广惠街街道绿博大道与人文路交叉口绿博社区党群服务中心一楼", Township: "guanghuijie", Nearby: []catalog.NearbyHall{{ID: "ghj", Meters: 1500}, {ID: "zwzx", Meters: 3200}}},
	{ID: "mzhy", Name: "牟州花园社区24小时自助服务厅", Address: "中牟县东风路街道牟州大道与东风路交叉口牟州花园社区服务中心", Township: "dongfenglu", Nearby: []catalog.NearbyHall{{ID: "dfl", Meters: 900}, {ID: "qnl", Meters: 2000}}},
}

var (
	// countyHours: the county centre's windows, and its weekend mornings
	// (周末不打烊).
	countyHours = catalog.Hours{Windows: []catalog.Window{
		{Days: []int{1, 2, 3, 4, 5}, From: "08:30", To: "12:00"},
		{Days: []int{1, 2, 3, 4, 5}, From: "14:30", To: "17:30"},
		{Days: []int{6, 7}, From: "09:00", To: "12:00"},
	}}
	townshipHours = officeHours
	// villageHours: a village station is kept by the village's own staff
	// beside their other work, so its hours are shorter.
	villageHours = catalog.Hours{Windows: []catalog.Window{
		{Days: []int{1, 2, 3, 4, 5}, From: "09:00", To: "11:30"},
		{Days: []int{1, 2, 3, 4, 5}, From: "15:00", To: "17:00"},
	}}
)

// township is a township (street) centre and its village (community)
// stations.
type township struct {
	id, name, address, phone string
	villages                 []village
}

type village struct{ id, name, address, phone string }

// townships are the township (street) centres the halls are in, in the
// order the county lists them.
var townships = []township{
	{"chengguan", "城关镇", "中牟县城关镇建设路68号", "0371-62162301", []village{
		{"nanjie", "南街社区", "中牟县城关镇南街社区党群服务中心", "0371-62162318"},
		{"beijie", "北街社区", "中牟县城关镇北街社区服务中心一楼", "0371-62162326"},
		{"xiguan", "西关村", "中牟县城关镇西关村村委会院内", "0371-62162335"},
	}},
	{"qingnianlu", "青年路街道", "中牟县青年路街道文化路与青年路交叉口西50米", "0371-62136601", []village{
		{"wenhualu", "文化路社区", "中牟县青年路街道文化路社区服务中心", "0371-62136615"},
		{"shangdu", "商都社区", "中牟县青年路街道商都大道中段商都社区党群服务中心", "0371-62136623"},
	}},
	{"dongfenglu", "东风路街道", "中牟县东风路街道东风路126号", "0371-62177201", []village{
		{"dongfeng", "东风社区", "中牟县东风路街道东风社区服务中心", "0371-62177216"},
		{"jianshelu", "建设路社区", "中牟县东风路街道建设路社区党群服务中心", "0371-62177228"},
		{"muzhou", "牟州花园社区", "中牟县东风路街道牟州花园社区服务中心", "0371-62177239"},
	}},
	{"guanghuijie", "广惠街街道", "中牟县广惠街街道牟州大道与广惠街交叉口", "0371-62159801", []village{
		{"guanghui", "广惠社区", "中牟县广惠街街道广惠社区党群服务中心", "0371-62159812"},
		{"lvbo", "绿博社区", "中牟县广惠街街道绿博大道绿博社区党群服务中心", "0371-62159827"},
	}},
	{"baisha", "白沙镇", "中牟县白沙镇白沙大道与郑开大道交叉口南200米", "0371-62551001", []village{
		{"dongbaisha", "东白沙村", "中牟县白沙镇东白沙村村委会院内", "0371-62551023"},
		{"xiaodian", "小店村", "中牟县白沙镇小店村村委会", "0371-62551037"},
		{"yangqiao", "杨桥村", "中牟县白沙镇杨桥村党群服务中心", "0371-62551045"},
	}},
	{"hansi", "韩寺镇", "中牟县韩寺镇政府路9号", "0371-62371001", []village{
		{"hansicun", "韩寺村", "中牟县韩寺镇韩寺村村委会院内", "0371-62371018"},
		{"zhangzhuang", "张庄村", "中牟县韩寺镇张庄村村委会", "0371-62371026"},
		{"houzhuang", "后庄村", "中牟县韩寺镇后庄村党群服务中心", "0371-62371034"},
	}},
	{"guandu", "官渡镇", "中牟县官渡镇官渡大街88号", "0371-62311001", []village{
		{"guanduqiao", "官渡桥村", "中牟县官渡镇官渡桥村村委会院内", "0371-62311015"},
		{"caomiao", "草庙村", "中牟县官渡镇草庙村村委会", "0371-62311029"},
		{"mengzhuang", "孟庄村", "中牟县官渡镇孟庄村党群服务中心", "0371-62311043"},
		{"laozhaicun", "老寨村", "中牟县官渡镇老寨村村委会", "0371-62311051"},
	}},
	{"langchenggang", "狼城岗镇", "中牟县狼城岗镇府前街16号", "0371-62331001", []village{
		{"langchenggangcun", "狼城岗村", "中牟县狼城岗镇狼城岗村村委会院内", "0371-62331012"},
		{"gaozhuang", "高庄村", "中牟县狼城岗镇高庄村村委会", "0371-62331027"},
		{"caozhai", "曹寨村", "中牟县狼城岗镇曹寨村党群服务中心", "0371-62331038"},
	}},
	{"wantan", "万滩镇", "中牟县万滩镇郑庵路与万滩大道交叉口", "0371-62391001", []village{
		{"wantancun", "万滩村", "中牟县万滩镇万滩村村委会院内", "0371-62391016"},
		{"zhengan", "郑庵村", "中牟县万滩镇郑庵村村委会", "0371-62391024"},
		{"dongzhang", "东漳村", "中牟县万滩镇东漳村党群服务中心", "0371-62391039"},
	}},
	{"yanminghu", "雁鸣湖镇", "中牟县雁鸣湖镇雁鸣大道与滨湖路交叉口", "0371-62421001", []village{
		{"qiandian", "前店村", "中牟县雁鸣湖镇前店村村委会院内", "0371-62421013"},
		{"xiaopanzhuang", "小潘庄村", "中牟县雁鸣湖镇小潘庄村村委会", "0371-62421025"},
	}},
	{"yaojia", "姚家镇", "中牟县姚家镇人民路22号", "0371-62441001", []village{
		{"yaojiacun", "姚家村", "中牟县姚家镇姚家村村委会院内", "0371-62441017"},
		{"zhangweizhuang", "张魏庄村", "中牟县姚家镇张魏庄村村委会", "0371-62441028"},
		{"dongzhai", "东寨村", "中牟县姚家镇东寨村党群服务中心", "0371-62441036"},
	}},
	{"huangdian", "黄店镇", "中牟县黄店镇黄店大街51号", "0371-62461001", []village{
		{"huangdiancun", "黄店村", "中牟县黄店镇黄店村村委会院内", "0371-62461014"},
		{"nangang", "南岗村", "中牟县黄店镇南岗村村委会", "0371-62461022"},
		{"luosong", "罗宋村", "中牟县黄店镇罗宋村党群服务中心", "0371-62461031"},
	}},
	{"diaojia", "刁家乡", "中牟县刁家乡刁家村中牟路东段", "0371-62481001", []village{
		{"diaojiacun", "刁家村", "中牟县刁家乡刁家村村委会院内", "0371-62481019"},
		{"xihuangzhuang", "西黄庄村", "中牟县刁家乡西黄庄村村委会", "0371-62481024"},
	}},
}

// places lists the county centre, then each township (street) centre
// followed by its village (community) stations.
func places() []catalog.Place {
	out := []catalog.Place{{ID: "county", Level: catalog.LevelCounty, Name: "中牟县政务服务中心",
		Address: "中牟县商都大道与青年路交叉口东北角", Phone: "0371-62196001", Hours: countyHours}}
	for _, t := range townships {
		kind := "便民服务中心"
		out = append(out, catalog.Place{ID: t.id, Level: catalog.LevelTownship, Name: t.name + kind,
			Address: t.address, Phone: t.phone, Hours: townshipHours})
		for _, v := range t.villages {
			out = append(out, catalog.Place{ID: t.id + "-" + v.id, Level: catalog.LevelVillage, Name: t.name + v.name + "便民服务站",
				Township: t.id, Address: v.address, Phone: v.phone, Hours: villageHours})
		}
	}
	return out
}
