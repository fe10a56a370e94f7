package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// onlineBase is where the provincial government-service website lists the
// county's matters (410122 is 中牟县's division code).
const onlineBase = "https://www.hnzwfw.gov.cn/portal/guide/410122-"

// whereFrom turns place codes into Where values, the kiosk first when
// atKiosk: t township centre, v village station, c county centre, o
// online, a app.
func whereFrom(atKiosk bool, codes string) ([]string, error) {
	out := []string{}
	if atKiosk {
		out = append(out, catalog.WhereKiosk)
	}
	for _, c := range codes {
		var w string
		switch c {
		case 't':
			w = catalog.WhereTownship
		case 'v':
			w = catalog.WhereVillage
		case 'c':
			w = catalog.WhereCounty
		case 'o':
			w = catalog.WhereOnline
		case 'a':
			w = catalog.WhereApp
		default:
			return nil, fmt.Errorf("unknown place code %q", c)
		}
		out = append(out, w)
	}
	return out, nil
}

// homeVisits are the kiosk matters the assisted-service team also does at
// the resident's home (你点餐，我上门) for residents over 60 and disabled
// residents.
var homeVisits = map[string]bool{
	"sb-cx-rz": true, "sb-qy-rz": true, "sb-sbk-sl": true, "sb-sbk-bh": true, "sb-sbk-gs": true,
	"cl-kn-bt": true, "cl-hl-bt": true, "cl-cjz": true, "mz-gl": true, "bm-bbdb": true,
}

// ownMaterials are the matters whose materials are their own, not the
// category's (the ID card is added for a matter that needs it). A matter
// about a lost or missing card or licence never asks for it.
var ownMaterials = map[string][]string{
	// 社会保障卡: a first card has none yet; a lost one is lost.
	"sb-sbk-sl": {"近期免冠彩色证件照（白底）"},
	"sb-sbk-bh": {"近期免冠彩色证件照（白底）"},
	"sb-sbk-gs": {},
	// 车驾管: the licence or the registration a matter is about.
	"jg-wf-cl":  {"机动车驾驶证"},
	"jg-fk-jn":  {},
	"jg-jsz-hz": {"机动车驾驶证", "驾驶人身体条件证明"},
	"jg-jsz-bl": {},
	"jg-jsz-tj": {"机动车驾驶证", "驾驶人身体条件证明"},
	"jg-jsz-xx": {"机动车驾驶证"},
	"jg-jsz-zx": {"机动车驾驶证"},
	"jg-jsz-yq": {"机动车驾驶证", "延期事由证明"},
	"jg-ks-yy":  {},
	"jg-mfxx":   {"机动车驾驶证"},
	"jg-xsz-bl": {},
	"jg-xsz-hl": {"机动车行驶证"},
	"jg-hp-bl":  {"机动车行驶证"},
	"jg-mj-sl":  {"机动车行驶证", "机动车交通事故责任强制保险凭证", "车船税纳税或者免税证明"},
	"jg-jc-yy":  {"机动车行驶证"},
	"jg-dy-dj":  {"机动车登记证书", "抵押合同"},
	"jg-dy-jc":  {"机动车登记证书", "解除抵押证明"},
	"jg-zy-yy":  {"机动车登记证书", "机动车行驶证"},
	"jg-zx-dj":  {"机动车登记证书", "机动车行驶证"},
	"jg-bg-dj":  {"机动车登记证书", "机动车行驶证"},
	"jg-ls-hp":  {"机动车整车出厂合格证", "购车发票", "机动车交通事故责任强制保险凭证"},
	"jg-xc-yy":  {"机动车整车出厂合格证", "购车发票", "机动车交通事故责任强制保险凭证", "车辆购置税完税证明"},
	"jg-xh":     {"机动车整车出厂合格证", "购车发票"},
	"jg-sg-kc":  {"机动车驾驶证", "机动车行驶证"},
	"jg-ddc-yy": {"电动自行车购车发票", "电动自行车产品合格证"},
	"jg-ddc-bl": {},
	// 出入境: a 签注 is put on the permit itself.
	"crj-ga-qz": {"往来港澳通行证"},
	"crj-tw-qz": {"往来台湾通行证"},
	"crj-yj":    {},
	"crj-zx":    {"需注销的出入境证件"},
	// 教育: only enrolment asks where the family lives.
	"jy-jszg": {"近期免冠彩色证件照"},
	"jy-khfw": {},
	"jy-zz":   {"户口簿"},
	"jy-dk":   {"户口簿"},
	// 农业农村: a subsidy for a machine or a livestock farm's permit is not
	// about contracted land.
	"ny-nj":      {"农机购置发票", "农机具出厂合格证"},
	"ny-fy":      {"场所平面布局图", "动物防疫制度"},
	"ny-tlj":     {"拖拉机或者联合收割机购置发票", "出厂合格证"},
	"ny-tlj-jsz": {"驾驶人身体条件证明"},
	"ny-tlj-yy":  {"拖拉机或者联合收割机行驶证"},
	"ny-zjd":     {"户口簿", "村集体经济组织审查意见"},
	"ny-jtnc":    {"土地承包经营权证或者土地流转合同"},
	"ny-cbd":     {},
	"ny-gq":      {},
}

// marketMaterials: a 市场监管 matter asks for the premises when a business
// is set up, and for its licence afterwards; the ID card is already the
// first material of every matter that needs it.
func marketMaterials(s catalog.Service, tpls string) []string {
	switch {
	case s.ID == "sc-ts":
		return []string{"购物凭证或者其他证据"}
	case strings.Contains(tpls, "shop"):
		return []string{"经营场所使用证明（房产证或者租赁合同）"}
	case s.Kind == catalog.KindApply:
		return []string{"营业执照"}
	}
	return []string{}
}

// feeNotes say what a fee is for where the schedule has more than one.
var feeNotes = map[string]string{
	"hz-sfz-bl": "丢失或者损坏补领，工本费40元，可用微信、支付宝或银联卡支付",
	"hz-sfz-hl": "有效期满换领，工本费20元（丢失或者损坏请办理补领，40元），可用微信、支付宝或银联卡支付",
	"hz-ydsl":   "有效期满换领工本费20元，丢失或者损坏补领40元，以系统核定为准，可用微信、支付宝或银联卡支付",
}

// moreDescription is added to a matter's description.
var moreDescription = map[string]string{
	"jg-mj-sl": "非营运小微型载客汽车（面包车除外）注册登记之日起10年内免予上线检验，第6年、第10年各申领一次检验标志；超过10年的按规定上线检验。",
	"ny-zjd":   "宅基地由所在乡（镇）人民政府审批。",
}

// other is a matter of the county's other levels that the kiosk does not
// do: the kiosk finds it, says where to go and shows the website's
// address as a QR code.
type other struct {
	id, name  string
	short     string // short name when the name's shortening is too long
	kind      catalog.Kind
	where     string // place codes (whereFrom)
	dept      string // "" is the category's
	days      int
	fee       int64
	feeNote   string
	home      bool
	materials []string // besides the ID card, which every one of them needs
	keywords  string
	desc      string
}

// townshipGov approves what the law gives the township.
const townshipGov = "所在乡镇人民政府（街道办事处）"

var others = map[string][]other{
	"hz": {
		{id: "csdj", name: "新生儿出生登记", kind: catalog.KindApply, where: "coa", days: 1, materials: []string{"出生医学证明", "父母双方户口簿", "父母结婚证"},
			keywords: "新生儿落户,上户口,出生一件事", desc: "带齐材料到县政务服务中心公安户政窗口办理；也可以在豫事办“出生一件事”中网上申请。"},
		{id: "sfz-sc", name: "居民身份证首次申领", kind: catalog.KindApply, where: "c", days: 20, fee: 2000, feeNote: "首次申领工本费20元",
			materials: []string{"户口簿", "监护人居民身份证（未满16周岁的）"}, keywords: "第一次办身份证,小孩办身份证",
			desc: "首次申领要现场采集相片和指纹，请到县政务服务中心公安户政窗口办理；未满16周岁的由监护人陪同。"},
	},
	"jg": {
		{id: "zcdj", name: "机动车注册登记", kind: catalog.KindApply, where: "co", days: 1,
			materials: []string{"机动车整车出厂合格证", "购车发票", "机动车交通事故责任强制保险凭证", "车辆购置税完税证明"},
			keywords:  "新车上牌,上牌照", desc: "新车要查验车辆，请把车开到县车管所查验区办理；可以先在自助终端预约。"},
		{id: "zydj", name: "二手车转移登记", kind: catalog.KindApply, where: "c", days: 1,
			materials: []string{"机动车登记证书", "机动车行驶证", "二手车销售统一发票"}, keywords: "过户,二手车过户",
			desc: "过户要查验车辆，买卖双方请到县车管所办理。"},
	},
	"crj": {
		{id: "hz-sc", name: "普通护照首次申领", kind: catalog.KindApply, where: "c", days: 7, fee: 12000, feeNote: "护照工本费120元",
			materials: []string{"本人近期彩色证件照回执"}, keywords: "第一次办护照,出国",
			desc: "首次申领要现场采集指纹，请到县政务服务中心出入境窗口办理；可以先在自助终端预约。"},
	},
	"sb": {
		{id: "zdnm", name: "被征地农民社会保障资格审核", short: "征地农民社保审核", kind: catalog.KindApply, where: "t", days: 20,
			materials: []string{"户口簿", "征地补偿安置协议"}, keywords: "失地农民,征地社保",
			desc: "由村（社区）初审后，到所在乡镇（街道）便民服务中心提交，县社会保险中心审核。"},
		{id: "cx-sw", name: "城乡居民养老保险待遇领取人员死亡申报", short: "居民养老死亡申报", kind: catalog.KindApply, where: "tv", days: 5,
			materials: []string{"死亡证明或者火化证明", "户口簿"}, keywords: "老人去世,停发养老金,丧葬",
			desc: "家属到村（社区）便民服务站或乡镇（街道）便民服务中心申报，停发待遇并办理丧葬补助。"},
	},
	"yb": {
		{id: "xse", name: "新生儿参加城乡居民医保登记", short: "新生儿医保登记", kind: catalog.KindApply, where: "toa", days: 1,
			materials: []string{"出生医学证明", "户口簿"}, keywords: "小孩医保,新生儿医保",
			desc: "出生后90天内参保的，自出生之日起享受待遇；可以在乡镇（街道）便民服务中心办理，也可以在豫事办网上办理。"},
		{id: "qq", name: "医保电子凭证亲情账户添加", short: "医保亲情账户添加", kind: catalog.KindApply, where: "a", days: 0,
			keywords: "亲情账户,给老人看病,医保码", desc: "在豫事办或国家医保服务平台上给家人添加医保电子凭证，就医时出示家人的医保码。"},
	},
	"gjj": {
		{id: "ydzy", name: "住房公积金异地转移接续", short: "公积金异地转移", kind: catalog.KindApply, where: "oa", days: 3,
			keywords: "公积金异地转移,换城市工作", desc: "在河南省政务服务网或手机公积金应用上申请，转入地公积金中心办理。"},
	},
	"sw": {
		{id: "jysd", name: "个人所得税经营所得申报", short: "个税经营所得申报", kind: catalog.KindApply, where: "oa", days: 0,
			keywords: "经营所得,个体户个税", desc: "个体工商户业主等在个人所得税手机软件或电子税务局网上申报。"},
	},
	"bdc": {
		{id: "clf", name: "存量房买卖转移登记", kind: catalog.KindApply, where: "c", days: 5,
			materials: []string{"不动产权证书", "房屋买卖合同", "契税完税凭证"}, keywords: "二手房过户,买卖过户",
			desc: "买卖双方到县政务服务中心不动产登记窗口一窗办理，交易、缴税、登记一次办完；可以先在自助终端预约。"},
	},
	"sc": {
		{id: "spsc", name: "食品生产许可申请", kind: catalog.KindApply, where: "co", days: 10,
			materials: []string{"营业执照", "食品生产加工场所平面图", "主要设备设施清单"}, keywords: "食品厂,生产许可",
			desc: "到县政务服务中心市场监管窗口提交，或在河南省政务服务网网上申请，需现场核查。"},
		{id: "qykb", name: "企业开办一网通办", kind: catalog.KindApply, where: "o", days: 1,
			keywords: "开公司,企业开办", desc: "在河南省政务服务网一次填报营业执照、公章刻制、发票申领和社保登记。"},
	},
	"mz": {
		{id: "dbbj", name: "低保边缘家庭认定申请", kind: catalog.KindApply, where: "tv", dept: townshipGov, days: 30,
			materials: []string{"户口簿", "家庭成员收入情况说明"}, keywords: "低保边缘,困难家庭",
			desc: "到所在村（社区）便民服务站或乡镇（街道）便民服务中心申请，由乡镇人民政府（街道办事处）审核确认。"},
		{id: "lnyd", name: "河南省老年人优待证申领", short: "老年人优待证申领", kind: catalog.KindApply, where: "tvo", days: 5, home: true,
			materials: []string{"近期免冠一寸照片1张"}, keywords: "老年证,老人优待证,坐公交免费",
			desc: "60周岁以上老年人可以申领，凭证享受乘车、游园等优待。行动不便的可请工作人员上门办理。"},
		{id: "bsl", name: "百岁老人长寿补贴申请", kind: catalog.KindApply, where: "tv", days: 20, home: true,
			materials: []string{"户口簿"}, keywords: "百岁老人,长寿补贴",
			desc: "由村（社区）代为申报，乡镇（街道）审核，县民政局发放；工作人员可上门办理。"},
		{id: "xxjz", name: "急难型临时救助乡镇先行救助", short: "急难临时救助", kind: catalog.KindApply, where: "t", dept: townshipGov, days: 1,
			keywords: "急难救助,突发困难", desc: "遇到突发急难的，到所在乡镇（街道）便民服务中心申请，乡镇人民政府（街道办事处）先行救助。"},
	},
	"cl": {
		{id: "smpc", name: "残疾评定上门服务申请", kind: catalog.KindApply, where: "tv", days: 20, home: true,
			materials: []string{"户口簿", "近期医院诊断证明"}, keywords: "上门评残,卧床,办残疾证",
			desc: "行动不便、无法到医院评定的，向村（社区）或乡镇（街道）申请，评定医生上门评定。"},
		{id: "rybt", name: "残疾人机动轮椅车燃油补贴申请", short: "轮椅车燃油补贴", kind: catalog.KindApply, where: "t", days: 20,
			materials: []string{"残疾人证", "机动轮椅车行驶证"}, keywords: "燃油补贴,轮椅车",
			desc: "到所在乡镇（街道）便民服务中心残联窗口申请，每年发放一次。"},
	},
	"wj": {
		{id: "tbfz", name: "计划生育家庭特别扶助金资格确认", short: "特别扶助资格确认", kind: catalog.KindApply, where: "t", days: 20,
			materials: []string{"户口簿", "独生子女父母光荣证"}, keywords: "特别扶助,失独",
			desc: "到户籍所在乡镇（街道）便民服务中心申报，县卫生健康委确认。"},
		{id: "jlfz", name: "农村部分计划生育家庭奖励扶助资格确认", short: "奖励扶助资格确认", kind: catalog.KindApply, where: "tv", days: 20,
			materials: []string{"户口簿", "独生子女父母光荣证或者结婚证"}, keywords: "奖励扶助,农村独生子女",
			desc: "每年由村（社区）摸底申报，乡镇（街道）初审，县卫生健康委确认。"},
	},
	"jy": {
		{id: "pth", name: "普通话水平测试报名", kind: catalog.KindAppointment, where: "o", days: 0,
			keywords: "普通话考试,普通话证", desc: "在河南省政务服务网或普通话水平测试报名网站上报名，按准考证时间参加测试。"},
		{id: "jszg-rd", name: "教师资格认定申请", kind: catalog.KindApply, where: "co", days: 20,
			materials: []string{"学历证书", "普通话水平测试等级证书", "体检合格证明"}, keywords: "教师资格认定,当老师",
			desc: "先在网上申报，再按通知到县政务服务中心教育窗口确认现场材料。"},
	},
	"rs": {
		{id: "jykn", name: "就业困难人员认定", kind: catalog.KindApply, where: "t", days: 10,
			materials: []string{"就业创业证"}, keywords: "就业困难,援助",
			desc: "到所在乡镇（街道）便民服务中心劳动保障窗口申请，县公共就业服务中心认定。"},
		{id: "zyjy", name: "农村劳动力转移就业登记", kind: catalog.KindApply, where: "tv", days: 5,
			keywords: "外出打工登记,务工登记", desc: "外出务工的，到所在村（社区）便民服务站或乡镇（街道）便民服务中心登记。"},
	},
	"ny": {
		{id: "jfsp", name: "农村村民住宅建设审批", kind: catalog.KindApply, where: "tv", dept: "所在乡（镇）人民政府", days: 20,
			materials: []string{"户口簿", "宅基地批准文件", "建房设计图或者通用图"}, keywords: "农村建房,盖房审批,建房,乡村建设规划许可证",
			desc: "向村集体经济组织提出，村里审查公示后报乡（镇）人民政府审批，发放乡村建设规划许可证。"},
		{id: "jfys", name: "农村宅基地和建房竣工验收", short: "农村建房竣工验收", kind: catalog.KindApply, where: "t", dept: "所在乡（镇）人民政府", days: 10,
			materials: []string{"乡村建设规划许可证"}, keywords: "建房验收,竣工验收",
			desc: "房屋建好后向乡（镇）人民政府申请验收，验收后办理不动产登记。"},
		{id: "dlbt-sb", name: "耕地地力保护补贴面积申报", short: "地力补贴面积申报", kind: catalog.KindApply, where: "vt", days: 15,
			materials: []string{"土地承包经营权证", "惠农补贴一卡通"}, keywords: "种粮补贴申报,补贴面积",
			desc: "每年由村（社区）组织申报种植面积，乡镇（街道）审核，补贴发放到惠农补贴一卡通。"},
	},
	"tyjr": {
		{id: "ndqr", name: "重点优抚对象定期抚恤补助年度确认", short: "优抚对象年度确认", kind: catalog.KindCertify, where: "tv", days: 10, home: true,
			keywords: "优抚年审,抚恤年审", desc: "每年确认一次，到村（社区）退役军人服务站或乡镇（街道）退役军人服务站办理；行动不便的工作人员上门办理。"},
	},
	"sdq": {
		{id: "dfp", name: "电费电子发票开具", kind: catalog.KindApply, where: "a", dept: "国网河南省电力公司中牟县供电公司", days: 0,
			keywords: "电费发票", desc: "在网上国网或豫事办的生活缴费中开具，发票发送到手机。"},
	},
	"zj": {
		{id: "bzns", name: "住房保障资格年审", kind: catalog.KindCertify, where: "t", days: 15,
			materials: []string{"户口簿", "家庭收入情况说明"}, keywords: "公租房年审,保障房年审",
			desc: "承租公共租赁住房的家庭每年到所在乡镇（街道）便民服务中心年审。"},
	},
	"sf": {
		{id: "cfg", name: "村（社区）法律顾问咨询", kind: catalog.KindQuery, where: "v", days: 0,
			keywords: "法律顾问,问法律,免费咨询", desc: "每个村（社区）都有法律顾问，到村（社区）便民服务站可约时间当面咨询，免费。"},
	},
	"bm": {
		{id: "cdb", name: "村（社区）代办员代办服务", short: "村里代办服务", kind: catalog.KindApply, where: "v", days: 1, home: true,
			keywords: "代办员,村里代办,帮忙跑腿", desc: "村（社区）代办员帮村民把材料送到乡镇或县里办理，办好后送回；行动不便的可上门收取材料。"},
	},
}

// otherMatter builds a matter the kiosk does not do.
func otherMatter(cat category, o other, n int) (catalog.Service, error) {
	where, err := whereFrom(false, o.where)
	if err != nil {
		return catalog.Service{}, err
	}
	s := catalog.Service{
		ID: cat.id + "-" + o.id, Name: o.name, ShortName: o.short, Category: cat.id, Department: cat.dept,
		Kind: o.kind, Description: o.desc, Where: where, Devices: []string{}, HomeVisit: o.home,
		FeeFen: o.fee, FeeNote: o.feeNote, TimeLimitDays: o.days,
		Materials: append([]string{"本人居民身份证"}, o.materials...),
		Offline:   catalog.OfflineQueue, Keywords: append(splitKeywords(o.keywords), cat.keywords...),
		Popularity: 100 + n, Status: catalog.StatusActive,
		Form: []catalog.Field{}, Receipt: catalog.Receipt{Lines: []catalog.ReceiptLine{}},
	}
	if s.ShortName == "" {
		s.ShortName = shorten(o.name)
	}
	if utf8.RuneCountInString(s.ShortName) > 12 {
		return s, fmt.Errorf("short name %q longer than 12: add short", s.ShortName)
	}
	if o.dept != "" {
		s.Department = o.dept
	}
	if strings.ContainsAny(o.where, "oa") {
		s.OnlineURL = onlineBase + s.ID
	}
	return s, nil
}
