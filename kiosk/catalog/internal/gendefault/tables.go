package main

type category struct {
	id, name, icon string
	dept           string
	// where the category's kiosk matters can be done besides the kiosk:
	// t township centre, v village station, c county centre, o online,
	// a app (whereCodes).
	where     string
	days      int // default legal time limit of applications
	weight    int // base popularity
	materials []string
	keywords  []string
	matters   string
}

var categories = []category{
	{id: "hz", name: "户政", icon: "person", where: "co", dept: "中牟县公安局户政管理大队", days: 5, weight: 2600,
		materials: []string{"户口簿"}, keywords: []string{"户口", "派出所", "公安"}, matters: `
sfz-jd|居民身份证办理进度查询|q||h|身份证进度,身份证好了没
sfz-bl|居民身份证补领申请|a|reason+delivery|$4000,d20,h|身份证丢了,身份证挂失,补办身份证
sfz-hl|居民身份证换领申请|a|reason+delivery|$2000,d20|身份证到期,换身份证
sfz-yy|居民身份证有效期满换领预约|y|appt|s:身份证换领预约|身份证过期
lssfz|临时居民身份证申领|a|phone|$1000,d3|临时身份证
sfz-gs|居民身份证挂失申报|a|phone|d0|身份证丢失
sfz-zp|居民身份证相片采集回执查询|q|||照片回执,数码相片
hjzm|户籍证明打印|p|purpose|h|户口证明,户籍证明
hjxx|户口登记信息查询|q|||户口本信息
czrk|常住人口登记卡打印|p|||人口登记卡,户口页
wfzjl|无犯罪记录证明申请|a|purpose+delivery|d5,h|无犯罪证明,良民证
cs-yy|出生登记预约|y|appt||新生儿落户,上户口,小孩落户
qr-fq|夫妻投靠落户申请|a|family|d20|投靠落户
qr-zn|子女投靠父母落户申请|a|family|d20|
qr-fm|父母投靠子女落户申请|a|family|d20|
qr-xs|大中专学生户口迁回申请|a|student|d10|毕业落户,学生户口
qr-rc|人才引进落户申请|a|phone|d15|人才落户
qc|户口迁出登记|a|reason|d5|迁户口
ksqy|户口跨省迁移一站式办理|a|family|d10,s:跨省迁户口|迁移证
hkb-bl|户口簿补领|a|reason|d5|户口本丢了
hkb-hl|户口簿换领|a|reason|d5|户口本换新
xmbg|姓名变更登记申请|a|reason|d20,w|改名字
mzbg|民族成分变更申请|a|reason|d30,w|改民族
csrq|出生日期更正申请|a|reason|d30|改生日,改年龄
sfhm|公民身份号码更正申请|a|reason|d30|身份证号错了
whcd|文化程度变更登记|a||d5|学历变更
hyzk|婚姻状况变更登记|a||d5|婚姻状况
fwcs|服务处所变更登记|a|phone|d5|工作单位变更
zx-sw|死亡人口户口注销|a|family|d5|注销户口,去世,销户
zx-rw|入伍人员户口注销|a|family|d5|当兵注销
jzz-sl|居住证申领|a|phone+address|d15,h|暂住证,居住证
jzz-qz|居住证签注|a|phone|d0,h|居住证续签,居住证年审
jzz-bl|居住证补领|a|reason|d15|居住证丢了
jzdj|流动人口居住登记申报|a|address|d0|暂住登记,流动人口
mphm|门牌号码编制申请|a|address|d10|门牌号
ydsl|居民身份证异地受理|a|reason+delivery|$2000,d30|外地办身份证
jthz|集体户口借用申请|a|phone|d3|集体户
`},
	{id: "jg", name: "车驾管", icon: "car", where: "coa", dept: "中牟县公安局交通管理大队车辆管理所", days: 1, weight: 2200,
		materials: []string{}, keywords: []string{"交警", "车管所", "交通"}, matters: `
wf-cx|交通违法记录查询|q|plate|h|违章查询,查违章
wf-cl|交通违法处理|a|plate|o,d0,h|违章处理,罚单,扣分,处理违章
fk-jn|交通违法罚款缴纳|a|plate+decision|o,d0|交罚款,罚单缴费
jsz-jf|驾驶证记分查询|q||h|驾照扣分,剩余分数
jsz-zt|驾驶证状态查询|q|||驾照状态
sxq|实习期驾驶人状态查询|q||s:实习期查询|实习期
jsz-hz|驾驶证有效期满换证|a|delivery|$1000,h|驾照到期,换驾照
jsz-bl|驾驶证补领|a|delivery|$1000|驾照丢了
jsz-sy|驾驶证审验教育|c|||驾照审验
jsz-tj|驾驶人提交身体条件证明|a||d0|体检,三力测试,七十岁驾照
jsz-xx|驾驶人联系方式变更备案|a|phone+address|d0|改手机号
jsz-zx|驾驶证注销申请|a|reason|d1|
jsz-yq|驾驶证延期换证|a|reason|d1|
ks-yy|机动车驾驶人考试预约|y|exam+appt|h,s:驾考预约|考驾照,科目一,科目二,科目三
ks-cj|驾驶人考试成绩查询|q|exam||考试成绩,驾考成绩
mfxx|驾驶人满分学习考试预约|y|appt|s:满分学习预约|满分教育,12分
xsz-bl|机动车行驶证补领|a|plate+delivery|$1000|行驶证丢了
xsz-hl|机动车行驶证换领|a|plate+delivery|$1000|行驶证损坏
hp-bl|机动车号牌补领|a|plate|d15|车牌丢了
jybz|机动车检验标志电子凭证打印|p|plate|h,s:检验标志打印|年检标志,年审
mj-sl|免检车辆检验标志申领|a|plate|d0,h,s:免检标志申领|免检,十年免检,六年免检,年检
jc-yy|机动车安全技术检验预约|y|plate+appt|s:验车预约|年检预约,验车
dy-dj|机动车抵押登记|a|plate|d1|车辆抵押
dy-jc|机动车解除抵押登记|a|plate|d1|解押
zy-yy|二手车转移登记预约|y|plate+appt||过户预约,二手车过户
zx-dj|机动车注销登记|a|plate+reason|d1|报废车
bg-dj|机动车变更登记|a|plate+reason|d1|改颜色
ls-hp|机动车临时号牌申领|a|vin|d0|临牌,临时牌照
xc-yy|新车注册登记预约|y|vin+appt||上牌,新车上牌
xh|机动车号牌号码网上选号|a|vin|o,d0,x:新一批号牌号码投放前暂停网上选号，预计2026年12月1日恢复；急需上牌请到县车管所现场选号。|选号,自编号
cl-xx|机动车信息查询|q|plate||车辆信息
cl-zt|机动车状态查询|q|plate||车辆状态,查封
wfzm|机动车无违法记录证明打印|p|plate|s:车辆无违法证明|无违章证明
wsgzm|驾驶人无交通事故证明打印|p||s:无事故证明|无事故证明
sg-kc|交通事故快处快赔登记|a|plate+phone|d3|快处快赔,剐蹭,追尾
sg-cx|交通事故处理进度查询|q|||事故进度
ddc-yy|电动自行车登记上牌预约|y|appt|h,s:电动车上牌预约|电动车上牌,电瓶车
ddc-cx|电动自行车登记信息查询|q|||电动车信息
ddc-bl|电动自行车号牌补领|a|delivery|d3|电动车牌丢了
jsz-dy|驾驶人信息单打印|p|||驾驶证信息
cl-dy|机动车信息单打印|p|plate||车辆信息单
`},
	{id: "crj", name: "出入境", icon: "passport", where: "coa", dept: "中牟县公安局出入境管理大队", days: 7, weight: 1200,
		materials: []string{"本人近期彩色证件照回执"}, keywords: []string{"出国", "出境"}, matters: `
hz-yy|普通护照申请预约|y|appt|h|办护照,出国旅游
hz-hf|普通护照换发预约|y|appt||护照到期
hz-bf|普通护照补发预约|y|appt||护照丢了
jd|出入境证件办理进度查询|q|||护照进度,签注进度
ga-qz|往来港澳通行证再次签注|a|visa_hk|$1500,h,s:港澳再次签注|港澳签注,去香港,去澳门
tw-qz|往来台湾通行证再次签注|a|visa_tw|$1500,s:台湾再次签注|台湾签注
ga-yy|往来港澳通行证申请预约|y|appt|s:港澳证预约|港澳通行证
tw-yy|往来台湾通行证申请预约|y|appt|s:台湾证预约|台湾通行证
jl-cx|出入境记录查询|q|||出入境记录
jl-dy|出入境记录证明打印|p||s:出入境记录打印|
zt-cx|出入境证件状态查询|q|||护照状态
yj|出入境证件邮寄送达申请|a|address|d5,s:证件邮寄|邮寄护照
zs-dj|境外人员住宿登记|a|foreign|n,d0|外国人住宿登记
zp-cx|出入境证件照片回执查询|q|||照片回执
zx|出入境证件注销申报|a|reason|d3|
zj-yy|出入境证件窗口取证预约|y|appt|s:取证预约|领护照
`},
	{id: "sb", name: "社会保险", icon: "coin", where: "tvcoa", dept: "中牟县社会保险中心", days: 5, weight: 3000,
		materials: []string{"社会保障卡"}, keywords: []string{"社保", "社会保险", "人社"}, matters: `
jfjl-print|社保缴费记录打印|p|period|h|社保缴费记录,社保明细,交社保记录,缴费清单
cbzm-print|个人参保证明打印|p|purpose|h|参保证明,社保证明
jfjl-cx|社保缴费记录查询|q|period|h|社保查询
yl-zh|养老保险个人账户查询|q||h|养老账户
cx-rz|城乡居民养老保险待遇资格认证|c||h|养老认证,年审,生存认证,领取资格认证
qy-rz|企业职工养老金领取资格认证|c||h|退休认证,养老金认证
cx-cb|城乡居民养老保险参保登记|a|phone+grade|d5|新农保,居民养老
cx-jf|城乡居民养老保险费缴纳|a|grade|o,d0,h,s:居民养老缴费|交养老保险,养老缴费
cx-dc|城乡居民养老保险缴费档次变更|a|grade|d5,s:缴费档次变更,x:本年度缴费档次变更已截止，2027年1月1日起可再次办理。|
cx-ff|城乡居民养老保险待遇发放查询|q|year|h,s:居民养老发放查询|养老金到账
qy-ff|企业职工养老金发放明细查询|q|year||退休金,养老金明细
cx-lq|城乡居民养老保险待遇领取申请|a|bank|d10,s:居民养老领取|领养老金,60岁
tx-jd|职工退休待遇核定进度查询|q|||退休审批,办退休
zyjx|养老保险关系转移接续申请|a|phone|d15,s:养老关系转移|社保转移
cx-zy|城乡居民养老保险关系转移申请|a|phone|d15,s:居民养老转移|
sbk-sl|社会保障卡申领|a|phone+delivery|d15,h|社保卡办理,办社保卡
sbk-bh|社会保障卡补换|a|reason+delivery|d7|社保卡丢了,换社保卡
sbk-gs|社会保障卡挂失|a|phone|d0,h|社保卡挂失
sbk-jg|社会保障卡解除挂失|a||d0|社保卡解挂
sbk-jd|社会保障卡制卡进度查询|q|||社保卡进度
sbk-jh|社会保障卡金融功能激活|a||o,d0|激活社保卡
sbk-mm|社会保障卡密码修改|a||o,d0|社保卡密码
sbk-dz|电子社会保障卡签发|a|phone|o,d0|电子社保卡
sbk-bg|社会保障卡信息变更|a|phone|d5|
gs-dy|工伤保险待遇查询|q|||工伤待遇
gs-jd|工伤认定申请进度查询|q|||工伤认定
gs-bx|工伤医疗费用报销申请|a|bank+amount|d20|工伤报销
sy-bxj|失业保险金申领|a|bank|d10,h|失业金,领失业金
sy-bzj|失业补助金申领|a|bank|d10|失业补助
sy-jn|技能提升补贴申领|a|bank+certno|d20|技能补贴,考证补贴
sy-ff|失业保险待遇发放查询|q|||失业金到账
sy-zm|失业保险参保缴费证明打印|p|period|s:失业保险证明打印|
cbxx-bg|参保人员基本信息变更|a|phone|d5|改社保信息
lh-js|灵活就业人员养老保险缴费基数申报|a|base|d5,s:灵活就业基数申报|灵活就业缴费基数
lh-dj|灵活就业人员参保登记|a|phone|d5|个体社保,自己交社保
lh-jf|灵活就业人员社保费缴纳|a||o,d0|自由职业社保
qyd|养老保险个人权益记录单打印|p|year|h,s:个人权益记录单|权益单,对账单
cs|养老保险待遇测算|q|||退休金计算,养老金测算
szbz|参保人员丧葬补助金申领|a|family+bank|d20|丧葬费,抚恤金
dw-zm|单位参保证明打印|p|company||单位社保证明
gs-zm|工伤保险参保证明打印|p|||
cx-zx|城乡居民养老保险注销登记|a|family|d10,s:居民养老注销|
zd-cx|被征地农民养老保险参保查询|q|||失地农民,征地保险
jfjs-cx|个人缴费基数查询|q|year||缴费工资
rz-cx|养老待遇领取资格认证状态查询|q||s:认证状态查询|认证查询,有没有认证
`},
	{id: "yb", name: "医疗保障", icon: "hospital", where: "tvcoa", dept: "中牟县医疗保障局", days: 5, weight: 2800,
		materials: []string{"社会保障卡或医保电子凭证"}, keywords: []string{"医保", "医疗保险", "看病"}, matters: `
cb-cx|医保参保信息查询|q||h|医保查询
jf-cx|医保缴费记录查询|q|period|h|医保缴费记录
cbpz|医保参保凭证打印|p||h|医保证明,参保凭证
jfpz|城乡居民医保缴费凭证打印|p|year|s:居民医保缴费凭证|
zh-ye|职工医保个人账户余额查询|q||h,s:医保账户余额|医保卡余额
zh-mx|职工医保个人账户明细查询|q|period|s:医保账户明细|
jm-jf|城乡居民医保缴费|a|year+family|o,d0,h|交医保,新农合
jm-cb|城乡居民医保参保登记|a|phone|d5|新农合参保
gj|职工医保家庭共济绑定|a|family|o,d0|家庭共济,医保给家人用
mtb|门诊慢特病待遇认定申请|a|disease+phone|d15,h,s:慢特病认定|慢性病,慢特病,高血压,糖尿病
mtb-cx|门诊慢特病认定结果查询|q||s:慢特病结果查询|
yd-ba|异地就医备案|a|remote|d0,h|异地就医,外地看病
yd-qx|异地就医备案取消|a||d0|取消备案
yd-cx|异地就医备案信息查询|q|||
sgbx|医疗费用零星报销申请|a|bank+amount|d20|报销,医药费,手工报销
bx-jd|医疗费用报销进度查询|q|||报销进度
jsd|医保结算单打印|p|period||结算单,住院结算
sy-jt|生育津贴申领|a|bank|d15|生育保险,产假工资
sy-cx|生育津贴发放查询|q|||
dzpz|医保电子凭证激活|a|phone|o,d0|医保码,电子医保
zy|医保关系转移接续申请|a|phone|d15|医保转移
zt|医保参保状态查询|q|||医保断缴
db-jd|大病保险赔付进度查询|q|||大病保险
dd-cx|医保定点医药机构查询|q|place|n|定点医院,定点药店
yp-cx|医保药品目录查询|q|drug|n|药品报销,能不能报
jz|医疗救助申请|a|bank|d20|医疗救助
cqhl|长期护理保险待遇申请|a|phone|d20|长护险,失能护理
xx-bg|医保个人信息变更|a|phone|d3|
tb-cx|医保特殊药品使用备案查询|q|drug|s:特药备案查询|特药
`},
	{id: "gjj", name: "住房公积金", icon: "home", where: "coa", dept: "郑州住房公积金管理中心中牟县管理部", days: 3, weight: 2400,
		materials: []string{"本人住房公积金联名卡或银行卡"}, keywords: []string{"公积金", "住房公积金"}, matters: `
jcmx|住房公积金缴存明细查询|q|period|h|公积金查询,公积金明细
ye|住房公积金账户余额查询|q||h|公积金余额
jczm|住房公积金缴存证明打印|p|purpose|h|公积金证明
dk-jd|住房公积金贷款审批进度查询|q|||公积金贷款进度
hk-mx|住房公积金贷款还款明细查询|q|period|s:公积金还款明细|
jq-zm|住房公积金贷款结清证明打印|p||s:公积金结清证明|结清证明
dk-zm|住房公积金贷款证明打印|p||s:公积金贷款证明|
tq-zf|租房提取住房公积金|a|bank|h|公积金提取,租房提取
tq-gf|购买自住住房提取住房公积金|a|bank+house|d5|购房提取
tq-hd|偿还住房贷款提取住房公积金|a|bank||还贷提取
tq-tx|离退休提取住房公积金|a|bank||退休提取
tq-xh|销户提取住房公积金|a|bank+reason|d5|
tq-jb|重大疾病提取住房公积金|a|bank|d5|大病提取
tq-jd|住房公积金提取进度查询|q|||提取到账
dk-yy|住房公积金贷款申请预约|y|appt|s:公积金贷款预约|公积金买房
tqhk|住房公积金贷款提前还款申请|a|amount|s:公积金提前还款|提前还款
zy|住房公积金转移接续申请|a|phone|d5|公积金转移
zy-jc|个人自愿缴存住房公积金开户|a|phone+amount|s:自愿缴存开户|灵活就业公积金
xx-bg|住房公积金个人信息变更|a|phone|s:公积金信息变更|
fc-cx|住房公积金账户封存状态查询|q||s:公积金封存查询|封存
ed|住房公积金贷款额度试算|q|amount|h,s:公积金贷款额度|贷款额度,能贷多少
yhk|住房公积金提取银行卡变更|a|bank|s:公积金收款卡变更|换卡
dzd|住房公积金年度对账单打印|p|year|s:公积金对账单|对账单
hk-jh|住房公积金贷款还款计划打印|p||s:公积金还款计划|还款计划
`},
	{id: "sw", name: "税务", icon: "tax", where: "coa", dept: "国家税务总局中牟县税务局", days: 1, weight: 1600,
		materials: []string{}, keywords: []string{"税务", "交税", "纳税"}, matters: `
nszm|个人所得税纳税记录开具|p|year|h,s:个税纳税记录|完税证明,纳税证明,收入证明
hs|个人所得税综合所得年度汇算|a|year+bank|o,d0,h,s:个税年度汇算|个税汇算,退税
ts-jd|个人所得税退税进度查询|q|year|s:个税退税进度|退税进度
zxkc|个人所得税专项附加扣除填报|a|deduct|o,d0,s:专项附加扣除|专项扣除,子女教育扣除
sr-cx|个人收入纳税明细查询|q|year||收入查询
kj-cx|个人所得税扣缴申报明细查询|q|year|s:个税扣缴明细|
sbf-zm|社会保险费缴费证明打印|p|year|s:社保费缴费证明|
yl-pz|城乡居民基本养老保险费缴费凭证打印|p|year|s:居民养老缴费凭证|
fp-dk|增值税普通发票代开|a|company+amount|o,d0,h|代开发票,开发票
fp-cy|发票真伪查验|q|invoice|n|发票查验,假发票
gzs|车辆购置税申报|a|vin+amount|o,d0|购置税
ccs|车船税缴纳|a|plate|o,d0|车船税
fcs|房产税申报|a|house|d0|
tds|城镇土地使用税申报|a|house|d0|
qs|契税申报|a|house+amount|d0,h|买房交税,契税
qs-zm|契税完税证明打印|p|house||契税票
gdzy|耕地占用税申报|a|farmland+amount|d0|
yhs|印花税申报|a|company+amount|d0|
zzs|小规模纳税人增值税申报|a|company|d0,s:增值税申报|
dj-cx|税务登记信息查询|q|company|n|
xy-cx|纳税信用等级查询|q|company|n|纳税信用
dj-bg|税务登记信息变更|a|company|d0|
qs-kj|清税证明开具|p|company|s:清税证明|注销税务
fp-ly|发票领用|a|company|d0|领发票
zh-js|电子税务局账户解锁|a|phone|o,d0|登录不了,密码锁定
gs-zc|个人所得税手机软件注册码获取|p||s:个税注册码|注册码,个税APP,个人所得税APP
wszm|税收完税证明打印|p|year||完税凭证
jsjg|存量房交易计税价格查询|q|house|s:二手房计税价格|二手房税
cjjz|残疾人个人所得税减征申请|a|phone|d5,s:残疾人个税减征|
`},
	{id: "bdc", name: "不动产", icon: "house", where: "co", dept: "中牟县不动产登记中心", days: 5, weight: 1400,
		materials: []string{"不动产权证书或房屋所有权证"}, keywords: []string{"房产", "房子", "不动产"}, matters: `
qs-cx|不动产权属信息查询|q|house|h|房产查询,名下房产
wfzm|无房证明打印|p|purpose|h|无房证明,没有房子证明
fczm|名下不动产登记信息证明打印|p|purpose|h,s:名下房产证明|房产证明
jd|不动产登记办理进度查询|q|||房产证进度,办证进度
djb|不动产登记簿查询结果打印|p|house|s:登记簿查询打印|
zy-yy|二手房转移登记预约|y|appt|h|二手房过户
sc-yy|新建商品房首次转移登记预约|y|appt|s:新房办证预约|新房办证
dy|不动产抵押权登记申请|a|house|w|房屋抵押
dy-zx|不动产抵押权注销登记|a|house|d1|解押,注销抵押
bg|不动产变更登记|a|house+reason|w|
gz|不动产更正登记申请|a|house|d10,w|信息错误
yy|不动产异议登记申请|a|house+need|d1,w|
bz|不动产权证书补证|a|house+reason|d10|房产证丢了
hz|不动产权证书换证|a|house|d10|房产证换新
jc-yy|继承不动产转移登记预约|y|appt|s:继承过户预约|继承房产
zjd|宅基地使用权及房屋所有权首次登记|a|house|d20,w,s:宅基地首次登记|宅基地确权
cbd|农村承包土地经营权登记信息查询|q|farmland|s:承包地登记查询|承包地
yg|预告登记信息查询|q|house||预告登记
cf|不动产查封登记信息查询|q|house|s:查封信息查询|查封
djf|不动产登记费缴纳|a|bdcslh|o,d0|登记费
dyh|不动产单元号查询|q|house||单元号
zl|不动产登记资料查询申请|a|house+purpose|d1|档案查询
`},
	{id: "sc", name: "市场监管", icon: "shop", where: "tco", dept: "中牟县市场监督管理局", days: 1, weight: 1200,
		materials: []string{}, keywords: []string{"工商", "执照", "市场监管"}, matters: `
yyzz-print|营业执照打印|p|company|h|营业执照,执照打印,补打执照
gt-sl|个体工商户设立登记|a|shop|h|开店,办执照,个体户
gt-bg|个体工商户变更登记|a|company|d1|
gt-zx|个体工商户注销登记|a|company|d1|关店,注销个体户
qy-sl|企业设立登记|a|shop|d1|注册公司,开公司
qy-bg|企业变更登记|a|company|d1|公司变更
qy-zx|企业简易注销登记|a|company|d1|注销公司
mc|企业名称自主申报|a|company|o,d0|起名,公司名称
nb|企业年度报告公示|a|company+year|o,d0|年报
gt-nb|个体工商户年度报告|a|company+year|o,d0|个体年报
xy|企业信用信息查询|q|company|n|企业信息,查公司
yc|经营异常名录移出申请|a|company|d5|异常名录
sp-xk|食品经营许可申请|a|shop|d10|食品许可证,开饭店
sp-yx|食品经营许可延续|a|company|d10|许可证到期
sp-bg|食品经营许可变更|a|company|d10|
xzf|食品小作坊登记|a|shop|d10|小作坊
xcy|小餐饮经营登记|a|shop|d7|小吃店,早餐店
ts|消费投诉举报登记|a|complaint|d7,h|投诉,12315,消费维权,退货
ts-jd|投诉举报处理进度查询|q|||投诉进度
jl|计量器具强制检定申请|a|company|d10|电子秤检定,秤不准
tzsb|特种设备使用登记|a|company|d15,w|电梯登记,锅炉
sp-cx|食品经营许可证信息查询|q|company|n|
ylqx|第二类医疗器械经营备案|a|company|d5|医疗器械
yp|药品零售企业许可证换发|a|company|d20|药店许可
dzzz|电子营业执照下载|a|company|o,d0|电子执照
hzs|农民专业合作社设立登记|a|shop|d1|合作社
da|企业登记档案查询打印|p|company|s:企业档案打印|公司档案
gq|股权出质登记|a|company|d3|
dc|动产抵押登记|a|company|d1|
gg|户外广告设置登记|a|shop|d5,x|广告牌
`},
	{id: "mz", name: "民政", icon: "heart", where: "tvco", dept: "中牟县民政局", days: 10, weight: 1300,
		materials: []string{"户口簿"}, keywords: []string{"民政", "救助"}, matters: `
jh-yy|结婚登记预约|y|appt|h|结婚,领证,领结婚证
lh-yy|离婚登记预约|y|appt||离婚
hy-cx|婚姻登记档案查询|q|||婚姻状况
hy-zm|婚姻登记记录证明打印|p|purpose|s:婚姻登记记录证明|结婚证明,婚姻证明
bl|补领婚姻登记证申请|a|reason|d5,w|结婚证丢了
db|最低生活保障申请|a|family+bank|d30,h|低保,低保申请
db-cx|最低生活保障待遇查询|q||s:低保待遇查询|低保查询
tk|特困人员救助供养申请|a|phone|d30|五保,特困
ls|临时救助申请|a|phone+need|d10|临时救助,困难
gl|高龄津贴申领|a|bank|d20,h|高龄补贴,老人补贴,八十岁
gl-cx|高龄津贴发放查询|q|year||
jj|居家养老服务申请|a|phone+address|d15|养老服务,居家养老
yly|养老机构信息查询|q||n|养老院,敬老院
ge|孤儿基本生活费申领|a|child+bank|d20|孤儿
wrfy|事实无人抚养儿童认定申请|a|child|d20|留守儿童
bz|惠民殡葬补贴申领|a|family+bank|d10|殡葬补贴,火化
zc|老年人助餐服务登记|a|phone|d5|老年食堂,助餐
zyz|志愿者注册登记|a|phone|d1|志愿服务,当志愿者
shzz|社会组织登记信息查询|q||n|协会查询
dbjt|低保家庭取暖救助申请|a|bank|d15,s:低保取暖救助|取暖补贴
jgbt|困难群众价格临时补贴发放查询|q|year|s:价格临时补贴查询|物价补贴
`},
	{id: "cl", name: "残联", icon: "wheelchair", where: "tvc", dept: "中牟县残疾人联合会", days: 20, weight: 800,
		materials: []string{"户口簿", "近期免冠一寸照片2张"}, keywords: []string{"残疾", "残联"}, matters: `
cjz|残疾人证办理申请|a|phone|h|残疾证
cjz-hz|残疾人证换领|a|reason||换残疾证
cjz-bz|残疾人证补领|a|reason||残疾证丢了
cjz-cx|残疾人证信息查询|q|||
kn-bt|困难残疾人生活补贴申领|a|bank|h|两项补贴,残疾补贴
hl-bt|重度残疾人护理补贴申领|a|bank||护理补贴
bt-cx|残疾人两项补贴发放查询|q|year|s:残疾补贴发放查询|
fj|残疾人辅助器具适配申请|a|aid||轮椅,助听器
kf|残疾儿童康复救助申请|a|child||康复,自闭症
jy|残疾人就业登记|a|phone|d10|残疾人工作
pd|残疾评定预约|y|appt||残疾鉴定
wza|残疾人家庭无障碍改造申请|a|address|d30,s:无障碍改造申请|无障碍
ylbt|重度残疾人城乡居民养老保险代缴查询|q||s:残疾人养老代缴|
`},
	{id: "wj", name: "卫生健康", icon: "health", where: "tco", dept: "中牟县卫生健康委员会", days: 5, weight: 900,
		materials: []string{}, keywords: []string{"卫健", "医院"}, matters: `
csyx-bf|出生医学证明补发申请|a|child|d20|出生证丢了
csyx-hf|出生医学证明换发申请|a|child+reason|d20|出生证错了
jz-cx|儿童预防接种记录查询|q|child|h|疫苗,打疫苗
jz-dy|预防接种证明打印|p|child|s:接种证明打印|入学查验
da|居民电子健康档案查询|q||h|健康档案
tj|健康体检报告查询|q|||体检报告
lnr-tj|65岁以上老年人免费体检预约|y|appt|h,s:老年人体检预约|老年人体检
jtys|家庭医生签约|a|phone|d3|家庭医生,签约医生
sydj|生育登记|a|spouse|d0,h|生二胎,生育服务证,准生证
jl-cx|计划生育家庭奖励扶助查询|q||s:奖励扶助查询|奖励扶助,独生子女
dszn|独生子女父母奖励申领|a|bank|d20|独生子女费
tsjt|计划生育特殊家庭扶助申请|a|bank|d20|失独
ycf|孕产妇健康管理登记|a|phone|d3|孕检,建卡,怀孕
gh|县人民医院预约挂号|y|clinic+appt|h,W|挂号,看病,看医生
zyy|县中医院预约挂号|y|clinic+appt|W|中医,挂号
bg|检验检查报告查询|q||h|化验单,检查结果
jkz-cx|健康证明办理进度查询|q|||健康证进度
jkz-yy|从业人员健康体检预约|y|appt|s:健康证体检预约|健康证,食品健康证
ys-cx|医师执业注册信息查询|q|person|n|医生资格
`},
	{id: "jy", name: "教育", icon: "school", where: "co", dept: "中牟县教育局", days: 10, weight: 900,
		materials: []string{"户口簿", "房产证明或居住证"}, keywords: []string{"上学", "学校"}, matters: `
bm|义务教育学校招生报名|a|student+school|h,s:入学报名|入学报名,一年级,上初中
lq|义务教育招生录取结果查询|q|student|s:录取结果查询|录取查询
xj|学籍证明打印|p|student||学籍
zd|义务教育学生在读证明打印|p|student|s:在读证明打印|在读证明,在校证明
zz|家庭经济困难学生资助申请|a|student+bank|d20|助学金,资助
zz-cx|学生资助发放查询|q|student||
dk|生源地信用助学贷款申请|a|student+bank|d20|助学贷款
dk-cx|生源地信用助学贷款还款查询|q||s:助学贷款还款查询|
zk|中考成绩查询|q|student||中考分数
gk|高考成绩查询|q|student||高考分数
jszg|教师资格证书补办|a|reason|d20|教师证
xl|学历证书电子注册信息查询|q|||学历查询
yey|公办幼儿园入园报名|a|student|d10|幼儿园
zx|义务教育阶段学生转学申请|a|student+school|s:转学申请|转学
khfw|中小学课后服务报名|a|student|d5|课后服务,托管
mb|民办学校办学许可信息查询|q||n,s:民办学校查询|
`},
	{id: "rs", name: "就业创业", icon: "briefcase", where: "tco", dept: "中牟县公共就业服务中心", days: 10, weight: 1000,
		materials: []string{}, keywords: []string{"就业", "找工作", "人社"}, matters: `
jydj|就业登记|a|company|d5|上班登记
sydj|失业登记|a|phone|d0,h|失业登记
jycyz|就业创业证申领|a|phone|d5|就业创业证,失业证
cydk|创业担保贷款申请|a|amount+phone|d15|创业贷款,小额贷款
cybt|一次性创业补贴申领|a|bank|d20|创业补贴
zp|招聘岗位信息查询|q|trade|n,h|找工作,招聘,招工
gy|公益性岗位补贴申领|a|bank|d20|公益岗
px|职业技能培训报名|a|skill|d5|技能培训,学技术
zs|职业技能等级证书查询|q|||技能证书
zc|专业技术职称证书查询|q|||职称
qzbt|高校毕业生求职创业补贴申领|a|bank|d20|求职补贴,毕业生
zc-sq|劳动人事争议仲裁申请|a|phone+need|d5,w,@中牟县劳动人事争议仲裁院|劳动仲裁
qx|拖欠农民工工资投诉|a|phone+need|d5,h|欠薪,讨工资,农民工工资
ht|劳动合同备案查询|q|||劳动合同
da-zm|人事档案存放证明打印|p||s:档案存放证明|档案
da-zd|流动人员人事档案转递申请|a|phone|d5|档案转移
`},
	{id: "ny", name: "农业农村", icon: "wheat", where: "tc", dept: "中牟县农业农村局", days: 15, weight: 600,
		materials: []string{"土地承包经营权证"}, keywords: []string{"农业", "农村", "种地"}, matters: `
dl|耕地地力保护补贴查询|q|year|h|种粮补贴,地力补贴
nj|农机购置与应用补贴申请|a|machine+bank|d20|农机补贴
nj-cx|农机购置与应用补贴进度查询|q||s:农机补贴进度|
tlj|拖拉机和联合收割机注册登记|a|machine|d5,s:拖拉机登记|拖拉机上牌
tlj-jsz|拖拉机和联合收割机驾驶证申领|a|machine|d5,s:拖拉机驾驶证|
tlj-yy|拖拉机和联合收割机检验预约|y|machine+appt|s:拖拉机检验预约,x:冬季农机检验暂停，2027年3月1日起恢复预约。|
cbd|农村土地承包经营权信息查询|q|farmland|s:土地承包查询|承包地
zjd|农村宅基地用地申请|a|farmland+address|d20,@所在乡（镇）人民政府|宅基地,宅基地审批,盖房
bx|农业保险理赔进度查询|q|||农业保险,受灾
jtnc|家庭农场名录申报|a|farmland|d10|家庭农场
gq|农村集体资产股权信息查询|q|farmland|s:集体股权查询|分红
fy|动物防疫条件合格证申请|a|address|d20,s:防疫条件合格证|养殖场
`},
	{id: "tyjr", name: "退役军人", icon: "shield", where: "tc", dept: "中牟县退役军人事务局", days: 10, weight: 600,
		materials: []string{"退伍证或退役证"}, keywords: []string{"退伍军人", "老兵", "退役"}, matters: `
cj|退役军人信息采集|a|phone|d5|退伍信息采集
ydz|退役军人优待证申领|a|phone|d30,s:优待证申领|优待证
fx|优抚对象抚恤补助金发放查询|q|year|h,s:抚恤补助发放查询|抚恤金,优抚
grp|光荣牌悬挂申请|a|address|d30|光荣之家
zz|退役士兵自主就业一次性经济补助查询|q||s:自主就业补助查询|退伍费
px|退役军人职业技能培训报名|a|skill|d5,s:退役军人培训报名|
tx|退役军人创业贷款贴息申请|a|bank|d20,s:创业贷款贴息|创业贴息
ydj|义务兵家庭优待金申领|a|bank|d20|优待金,当兵补贴
cz|参战参试退役人员补助申请|a|bank|d30,s:参战参试补助|参战补助
`},
	{id: "sdq", name: "水电气暖", icon: "utility", where: "oa", dept: "中牟县自来水有限公司", days: 3, weight: 1500,
		materials: []string{}, keywords: []string{"缴费", "生活缴费"}, matters: `
sf-cx|自来水费查询|q|account|n,h|水费
sf-jn|自来水费缴纳|a|account|n,o,d0,h|交水费
ys-bz|居民用水报装申请|a|address+phone|d5|装水表,通水
sb-gh|水表过户申请|a|account+phone|d3|水表过户
df-cx|电费查询|q|account|n,h,@国网河南省电力公司中牟县供电公司|电费,查电费
df-jn|电费缴纳|a|account|n,o,d0,h,@国网河南省电力公司中牟县供电公司|交电费,充电费
df-zd|电费账单打印|p|account+period|n,@国网河南省电力公司中牟县供电公司|电费单
yd-bz|居民用电报装申请|a|address+phone|@国网河南省电力公司中牟县供电公司|装电表,通电
gd-bx|供电故障报修|a|address+phone|n,d0,@国网河南省电力公司中牟县供电公司|停电,报修
rq-cx|燃气费查询|q|account|n,@中牟县天然气有限公司|燃气费,气费
rq-jn|燃气费缴纳|a|account|n,o,d0,h,@中牟县天然气有限公司|交燃气费,交气费
rq-bz|燃气开户报装申请|a|address+phone|d5,@中牟县天然气有限公司|通气,装燃气
rq-aj|燃气安全检查预约|y|address+appt|n,@中牟县天然气有限公司|燃气安检
nq-jn|集中供暖费缴纳|a|account|n,o,d0,@中牟县热力有限公司|暖气费,取暖费
`},
	{id: "zj", name: "住房建设", icon: "building", where: "co", dept: "中牟县住房和城乡建设局", days: 15, weight: 500,
		materials: []string{"户口簿"}, keywords: []string{"住建", "房管"}, matters: `
gzf|公共租赁住房申请|a|family+phone|d30,h|公租房,廉租房
gzf-cx|公共租赁住房轮候信息查询|q||s:公租房轮候查询|
wq|商品房买卖合同网签备案查询|q|house|h,s:网签备案查询|网签
zlbt|住房租赁补贴申领|a|bank|d30|租房补贴
wf|农村危房改造申请|a|address|d30|危房改造
gr|建筑工人实名制信息查询|q|||建筑工人
wxzj|住宅专项维修资金查询|q|house|s:维修资金查询|维修基金
wxzj-sy|住宅专项维修资金使用申请|a|house+need|s:维修资金使用|
zl-ba|房屋租赁登记备案|a|house+phone|d3|租房备案
`},
	{id: "sf", name: "司法公证", icon: "scales", where: "tvc", dept: "中牟县司法局", days: 7, weight: 400,
		materials: []string{}, keywords: []string{"法律", "司法"}, matters: `
flyz|法律援助申请|a|phone+need|h|法律援助,打官司,免费律师
flyz-cx|法律援助申请进度查询|q||s:法律援助进度|
gz-yy|公证事项预约|y|notary+appt|@中牟县公证处|公证
gz-jd|公证书办理进度查询|q||@中牟县公证处|公证进度
tj|人民调解申请|a|phone+need|d15|调解,纠纷,邻里矛盾
ls|律师执业信息查询|q|person|n|律师
zx|法律咨询预约|y|appt|h|法律咨询,问律师
`},
	{id: "bm", name: "便民服务", icon: "hand", where: "tvc", dept: "中牟县政务服务和大数据管理局", days: 1, weight: 2500,
		materials: []string{}, keywords: []string{"便民", "政务服务"}, matters: `
bbdb|请工作人员帮忙办理|a|assist|h,s:找人帮忙办|帮办代办,帮办,代办,不会用,找人帮忙,老人,上门服务
pj|政务服务好差评|a|rating|n,d0|好差评,评价
rx|12345热线诉求登记|a|need+phone|d5,h,s:12345诉求登记|12345,投诉,建议,反映问题
jd|办件进度查询|q|tracking|n,h|进度查询,查进度
ck-yy|政务大厅窗口预约取号|y|window+appt|h|预约窗口,取号,排队
yj|证照邮寄送达查询|q|tracking|n|快递查询,邮寄进度
dzzz|个人电子证照打印|p|license|h|电子证照,亮证
`},
}
