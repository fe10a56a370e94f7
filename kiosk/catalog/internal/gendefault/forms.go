package main

import "github.com/henan-county/kiosk/kiosk/catalog"

type F = catalog.Field

func choices(pairs ...string) []catalog.Choice {
	out := make([]catalog.Choice, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, catalog.Choice{Value: pairs[i], Label: pairs[i+1]})
	}
	return out
}

func choice(id, label, hint string, pairs ...string) F {
	return F{ID: id, Label: label, Type: catalog.FieldChoice, Required: true, Hint: hint, Choices: choices(pairs...)}
}

func phone() F {
	return F{ID: "phone", Label: "手机号码", Type: catalog.FieldPhone, Required: true, MinLen: 11, MaxLen: 11,
		Pattern: `1[3-9][0-9]{9}`, Hint: "办理结果将发送短信到这个号码", Personal: true}
}

const (
	plateRe = `[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}`
	usccRe  = `[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}`
)

var years = []string{"2026", "2026年", "2025", "2025年", "2024", "2024年", "2023", "2023年", "2022", "2022年"}

var banks = []string{"icbc", "中国工商银行", "abc", "中国农业银行", "boc", "中国银行", "ccb", "中国建设银行", "psbc", "中国邮政储蓄银行",
	"zyb", "中原银行", "zzb", "郑州银行", "nsh", "中牟郑银村镇银行", "rcb", "河南农商银行"}

// forms are the form templates a table line names.
var forms = map[string]func() []F{
	"period": func() []F {
		return []F{choice("period", "查询期间", "选择要打印或查询的月份范围",
			"6", "近6个月", "12", "近12个月", "24", "近24个月", "36", "近36个月", "all", "全部记录")}
	},
	"year":  func() []F { return []F{choice("year", "年度", "", years...)} },
	"phone": func() []F { return []F{phone()} },
	"plate": func() []F {
		return []F{
			choice("plate_type", "号牌种类", "", "02", "小型汽车", "52", "小型新能源汽车", "01", "大型汽车", "51", "大型新能源汽车", "07", "普通摩托车"),
			{ID: "plate_no", Label: "号牌号码", Type: catalog.FieldText, Required: true, MinLen: 7, MaxLen: 8, Pattern: plateRe, Hint: "例如 豫A12345"},
		}
	},
	"vin": func() []F {
		return []F{{ID: "vin", Label: "车辆识别代号", Type: catalog.FieldText, Required: true, MinLen: 17, MaxLen: 17,
			Pattern: `[A-HJ-NPR-Z0-9]{17}`, Hint: "行驶证或合格证上的17位车架号"}}
	},
	"reason": func() []F {
		return []F{choice("reason", "申请原因", "", "lost", "遗失", "damaged", "损坏", "expired", "有效期满", "changed", "信息变更")}
	},
	"delivery": func() []F {
		return []F{
			choice("delivery", "领取方式", "邮寄免费，一般3天送达", "window", "到窗口领取", "post", "邮政寄递到家"),
			{ID: "post_address", Label: "邮寄地址", Type: catalog.FieldText, MaxLen: 60, Hint: "选择邮寄时填写", Personal: true},
		}
	},
	"address": func() []F {
		return []F{{ID: "address", Label: "详细地址", Type: catalog.FieldText, Required: true, MinLen: 4, MaxLen: 60, Hint: "乡镇、村（社区）、门牌号", Personal: true}}
	},
	"family": func() []F {
		return []F{
			{ID: "member_name", Label: "家庭成员姓名", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20, Personal: true},
			{ID: "member_id", Label: "家庭成员身份证号", Type: catalog.FieldIDNumber, Required: true, MinLen: 18, MaxLen: 18, Pattern: `[0-9]{17}[0-9X]`, Personal: true},
			choice("relation", "与本人关系", "", "spouse", "配偶", "child", "子女", "parent", "父母", "sibling", "兄弟姐妹", "other", "其他亲属"),
		}
	},
	"student": func() []F {
		return []F{
			{ID: "student_name", Label: "学生姓名", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20, Personal: true},
			{ID: "student_id", Label: "学生身份证号", Type: catalog.FieldIDNumber, Required: true, MinLen: 18, MaxLen: 18, Pattern: `[0-9]{17}[0-9X]`, Personal: true},
			choice("stage", "学段", "", "kg", "幼儿园", "primary", "小学", "junior", "初中", "senior", "高中", "college", "大学"),
		}
	},
	"child": func() []F {
		return []F{
			{ID: "child_name", Label: "儿童姓名", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20, Personal: true},
			{ID: "child_birth", Label: "出生日期", Type: catalog.FieldDate, Required: true, Personal: true},
		}
	},
	"bank": func() []F {
		return []F{
			choice("bank", "开户银行", "", banks...),
			{ID: "account_no", Label: "银行卡号", Type: catalog.FieldDigits, Required: true, MinLen: 16, MaxLen: 19, Pattern: `[0-9]{16,19}`, Hint: "本人名下的借记卡", Personal: true},
		}
	},
	// An amount the resident declares or claims (a reimbursement, a tax
	// return); payment matters never ask it: the backend prices the order.
	"amount": func() []F {
		return []F{{ID: "amount", Label: "金额（元）", Type: catalog.FieldAmount, Required: true, Pattern: `[0-9]{1,7}(\.[0-9]{1,2})?`, Hint: "最多两位小数"}}
	},
	// Payment matters never ask the amount: the backend prices the order.
	"decision": func() []F {
		return []F{{ID: "decision_no", Label: "处罚决定书编号", Type: catalog.FieldDigits, Required: true, MinLen: 15, MaxLen: 16, Pattern: `[0-9]{15,16}`, Hint: "处罚决定书右上角的15或16位数字"}}
	},
	"bdcslh": func() []F {
		return []F{{ID: "case_no", Label: "登记受理号", Type: catalog.FieldDigits, Required: true, MinLen: 10, MaxLen: 20, Pattern: `[0-9]{10,20}`, Hint: "不动产登记受理单上的受理号"}}
	},
	"company": func() []F {
		return []F{
			{ID: "uscc", Label: "统一社会信用代码", Type: catalog.FieldText, Required: true, MinLen: 18, MaxLen: 18, Pattern: usccRe, Hint: "营业执照上的18位代码"},
			{ID: "company_name", Label: "主体名称", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 50},
		}
	},
	"shop": func() []F {
		return []F{
			{ID: "shop_name", Label: "字号名称", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 30, Hint: "例如 中牟县老王烩面馆"},
			{ID: "shop_address", Label: "经营场所", Type: catalog.FieldText, Required: true, MinLen: 4, MaxLen: 60},
			choice("scope", "经营范围", "", "food", "餐饮服务", "retail", "日用百货零售", "repair", "家电维修", "farm", "农产品销售", "beauty", "美容美发", "other", "其他"),
		}
	},
	"house": func() []F {
		return []F{
			{ID: "cert_no", Label: "不动产权证书号", Type: catalog.FieldText, MaxLen: 40, Hint: "如 豫(2024)中牟县不动产权第0012345号，没有可不填"},
			{ID: "location", Label: "房屋坐落", Type: catalog.FieldText, Required: true, MinLen: 4, MaxLen: 60, Personal: true},
		}
	},
	"appt": func() []F {
		return []F{
			{ID: "appt_date", Label: "预约日期", Type: catalog.FieldDate, Required: true, Hint: "可预约今后7天"},
			choice("appt_slot", "预约时段", "", "am1", "08:30-10:00", "am2", "10:00-11:30", "pm1", "14:30-16:00", "pm2", "16:00-17:30"),
		}
	},
	"assist": func() []F {
		return []F{
			phone(),
			choice("need_type", "需要帮什么", "", "guide", "不会操作，请人指导", "visit", "行动不便，请上门帮办", "agent", "请人代办", "other", "其他"),
			{ID: "need", Label: "想办的事", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 100, Hint: "简单说明，例如 给老伴办养老认证", Personal: true},
			choice("callback", "联系方式", "工作人员一般2小时内回电（夜间次日上午）", "call", "电话回访", "visit", "上门服务"),
		}
	},
	"account": func() []F {
		return []F{{ID: "account", Label: "户号", Type: catalog.FieldDigits, Required: true, MinLen: 6, MaxLen: 13, Pattern: `[0-9]{6,13}`, Hint: "缴费单或账单上的户号"}}
	},
	"need": func() []F {
		return []F{{ID: "need", Label: "情况说明", Type: catalog.FieldText, Required: true, MinLen: 4, MaxLen: 200, Hint: "简单写明事情经过和诉求", Personal: true}}
	},
	"purpose": func() []F {
		return []F{choice("purpose", "证明用途", "", "house", "购房", "school", "子女入学", "hukou", "落户", "loan", "贷款", "other", "其他")}
	},
	"grade": func() []F {
		return []F{choice("grade", "缴费档次（元/年）", "档次越高，领取的养老金越多",
			"200", "200", "300", "300", "500", "500", "800", "800", "1000", "1000", "1500", "1500", "2000", "2000", "3000", "3000", "5000", "5000")}
	},
	"disease": func() []F {
		return []F{choice("disease", "申请病种", "", "htn", "高血压", "dm", "糖尿病", "chd", "冠心病", "stroke", "脑卒中后遗症", "copd", "慢性阻塞性肺疾病",
			"ckd", "慢性肾功能衰竭", "cancer", "恶性肿瘤门诊治疗", "mental", "重性精神病")}
	},
	"remote": func() []F {
		return []F{
			{ID: "city", Label: "就医地", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20, Hint: "例如 北京市、广东省深圳市"},
			choice("remote_type", "备案类型", "", "resident", "异地长期居住", "worker", "常驻异地工作", "transfer", "转诊转院", "temp", "临时外出就医"),
		}
	},
	"deduct": func() []F {
		return []F{choice("deduct", "扣除项目", "", "child", "子女教育", "infant", "3岁以下婴幼儿照护", "edu", "继续教育", "illness", "大病医疗",
			"loan", "住房贷款利息", "rent", "住房租金", "elder", "赡养老人")}
	},
	"visa_hk": func() []F {
		return []F{choice("visa", "签注种类", "", "t1", "团队旅游一次", "t2", "团队旅游二次", "g1", "个人旅游一次", "g2", "个人旅游二次",
			"tq", "探亲", "sw", "商务")}
	},
	"visa_tw": func() []F {
		return []F{choice("visa", "签注种类", "", "lv", "团队旅游一次", "tq", "探亲", "sw", "商务", "xx", "学习")}
	},
	"foreign": func() []F {
		return []F{
			{ID: "guest_name", Label: "外籍人员姓名", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 40, Hint: "与护照一致", Personal: true},
			{ID: "passport_no", Label: "护照号码", Type: catalog.FieldText, Required: true, MinLen: 5, MaxLen: 15, Pattern: `[A-Z0-9]{5,15}`, Personal: true},
			{ID: "nationality", Label: "国籍", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20},
			{ID: "checkin", Label: "入住日期", Type: catalog.FieldDate, Required: true},
		}
	},
	"aid": func() []F {
		return []F{choice("aid", "辅助器具", "", "wheelchair", "轮椅", "hearing", "助听器", "walker", "助行器", "cane", "盲杖", "crutch", "拐杖")}
	},
	"machine": func() []F {
		return []F{choice("machine", "机具种类", "", "tractor", "拖拉机", "harvester", "联合收割机", "seeder", "播种机", "drone", "植保无人机", "dryer", "谷物烘干机")}
	},
	"notary": func() []F {
		return []F{choice("notary", "公证类型", "", "birth", "出生公证", "kin", "亲属关系公证", "record", "无犯罪记录公证", "edu", "学历公证", "will", "遗嘱公证", "entrust", "委托公证")}
	},
	"clinic": func() []F {
		return []F{choice("clinic", "科室", "", "nk", "内科", "wk", "外科", "fk", "妇产科", "ek", "儿科", "gk", "骨科", "yk", "眼科", "kq", "口腔科", "zy", "中医科")}
	},
	"rating": func() []F {
		return []F{
			choice("rating", "评价", "", "5", "非常满意", "4", "满意", "3", "基本满意", "2", "不满意", "1", "非常不满意"),
			{ID: "comment", Label: "意见建议", Type: catalog.FieldText, MaxLen: 200},
		}
	},
	"tracking": func() []F {
		return []F{{ID: "tracking", Label: "办理编号", Type: catalog.FieldTracking, Required: true, MaxLen: 24, Hint: "凭条上的办理编号，例如 K7QH 2M4X"}}
	},
	"trade": func() []F {
		return []F{choice("trade", "意向行业", "", "mfg", "制造业", "build", "建筑业", "food", "餐饮服务", "logistics", "物流快递", "care", "家政养老", "any", "不限")}
	},
	"skill": func() []F {
		return []F{choice("skill", "培训工种", "", "elec", "电工", "weld", "焊工", "cook", "中式烹调师", "care", "养老护理员", "ecom", "电子商务师", "baby", "育婴员")}
	},
	"person": func() []F {
		return []F{{ID: "person_name", Label: "姓名", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20, Hint: "要查询的人员姓名"}}
	},
	"drug": func() []F {
		return []F{{ID: "drug", Label: "药品名称", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 30, Hint: "通用名，例如 阿莫西林"}}
	},
	"invoice": func() []F {
		return []F{
			{ID: "invoice_code", Label: "发票代码", Type: catalog.FieldDigits, MinLen: 10, MaxLen: 12, Pattern: `[0-9]{10,12}`, Hint: "全电发票可不填"},
			{ID: "invoice_no", Label: "发票号码", Type: catalog.FieldDigits, Required: true, MinLen: 8, MaxLen: 20, Pattern: `[0-9]{8,20}`},
			{ID: "invoice_date", Label: "开票日期", Type: catalog.FieldDate, Required: true},
			{ID: "amount", Label: "不含税金额（元）", Type: catalog.FieldAmount, Required: true, Pattern: `[0-9]{1,9}(\.[0-9]{1,2})?`},
		}
	},
	"base": func() []F {
		return []F{choice("base", "缴费基数", "按上年度全省全口径城镇单位就业人员月平均工资的比例", "60", "60%", "80", "80%", "100", "100%", "150", "150%", "200", "200%", "300", "300%")}
	},
	"certno": func() []F {
		return []F{{ID: "cert_no", Label: "证书编号", Type: catalog.FieldText, Required: true, MinLen: 6, MaxLen: 30, Pattern: `[0-9A-Za-z]{6,30}`}}
	},
	"place": func() []F {
		return []F{choice("place_type", "机构类型", "", "hospital", "定点医院", "pharmacy", "定点药店", "clinic", "村卫生室")}
	},
	"license": func() []F {
		return []F{choice("license", "证照类型", "", "idcard", "居民身份证", "driving", "驾驶证", "vehicle", "行驶证", "hukou", "户口簿", "marriage", "结婚证", "social", "社会保障卡")}
	},
	"window": func() []F {
		return []F{choice("dept", "办理部门", "", "ga", "公安", "rs", "人社", "yb", "医保", "bdc", "不动产", "sc", "市场监管", "sw", "税务", "gjj", "公积金")}
	},
	"exam": func() []F {
		return []F{choice("subject", "考试科目", "", "k1", "科目一", "k2", "科目二", "k3", "科目三", "k4", "科目四")}
	},
	"farmland": func() []F {
		return []F{{ID: "village", Label: "所在村（社区）", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 30, Hint: "例如 官渡镇孙庄村"}}
	},
	"school": func() []F {
		return []F{choice("school", "意向学校", "按学区划分录取", "csyx", "中牟县城关镇第一小学", "dfl", "中牟县东风路小学", "qnl", "中牟县青年路小学",
			"gh", "中牟县广惠街小学", "yz", "中牟县第一初级中学", "ez", "中牟县第二初级中学", "bs", "白沙镇中心小学")}
	},
	"complaint": func() []F {
		return []F{
			{ID: "party", Label: "被投诉方名称", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 50, Hint: "店名或单位名称"},
			{ID: "need", Label: "投诉内容", Type: catalog.FieldText, Required: true, MinLen: 4, MaxLen: 200, Personal: true},
			phone(),
		}
	},
	"spouse": func() []F {
		return []F{
			{ID: "spouse_name", Label: "配偶姓名", Type: catalog.FieldText, Required: true, MinLen: 2, MaxLen: 20, Personal: true},
			{ID: "spouse_id", Label: "配偶身份证号", Type: catalog.FieldIDNumber, Required: true, MinLen: 18, MaxLen: 18, Pattern: `[0-9]{17}[0-9X]`, Personal: true},
			choice("child_order", "本次生育孩次", "", "1", "一孩", "2", "二孩", "3", "三孩"),
		}
	},
}
