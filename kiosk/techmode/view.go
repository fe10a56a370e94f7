package techmode

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// Tone says how a message or value should look.
type Tone uint8

// Tones.
const (
	Info Tone = iota
	Good
	Bad
)

// View is what the technician screen shows, formatted (中文 · English).
// It holds no pointers into the Machine and nothing personal unmasked.
type View struct {
	Rev    uint64
	Screen Screen
	Title  string
	Kiosk  string // kiosk id, version, uptime; empty until the status loads

	// The PIN pad.
	PINLen, PINMax int
	Checking       bool

	Message string // the screen's latest message
	Tone    Tone

	Actions  []Action // the screen's buttons (on the menu: its entries)
	Sections []Section

	IdleLeft time.Duration // until the mode closes by itself
}

// Action is a button.
type Action struct {
	ID    string
	Label string
	Event Event
	Busy  bool // running: shown but not tappable
}

// Section is a titled list of rows.
type Section struct {
	Title string
	Rows  []Row
}

// Row is one "label value" line, with an optional toggle button.
type Row struct {
	Label, Value string
	Tone         Tone
	Toggle       *Action
}

// Titles of the screens.
var titles = map[Screen]string{
	ScreenPIN: "维护模式 · Technician", ScreenMenu: "维护菜单 · Menu",
	ScreenDevices: "设备状态 · Devices", ScreenSelfTest: "自检 · Self-tests",
	ScreenPrint: "测试打印 · Test print", ScreenCardRead: "读卡测试 · Card read",
	ScreenGPIO: "GPIO", ScreenBackend: "后台连接 · Backend", ScreenOutbox: "待发送 · Outbox",
	ScreenCatalog: "服务目录 · Catalog", ScreenEvents: "最近事件 · Events",
}

// Title returns a screen's title.
func Title(s Screen) string { return titles[s] }

// View returns a snapshot of what to show.
func (m *Machine) View() View {
	v := View{Rev: m.rev, Screen: m.screen, Title: titles[m.screen]}
	if m.screen == Closed {
		return v
	}
	v.IdleLeft = max(0, m.o.Idle-m.o.Now().Sub(m.lastTouch))
	if s := m.status; s != nil {
		v.Kiosk = fmt.Sprintf("%s · %s · 运行 up %s", s.KioskID, s.Version, (time.Duration(s.UptimeSec) * time.Second).String())
	}
	switch m.screen {
	case ScreenPIN:
		v.PINLen, v.PINMax, v.Checking = len(m.pin), m.o.PINMax, m.checking
		v.Message, v.Tone = m.msg, m.tone
	case ScreenMenu:
		for _, s := range MenuScreens {
			v.Actions = append(v.Actions, Action{ID: "tech:" + string(s), Label: titles[s], Event: Go{To: s}})
		}
		if m.status != nil {
			v.Sections = []Section{summary(m.status)}
		}
	case ScreenDevices:
		if m.status != nil {
			v.Sections = deviceSections(m.status.Devices)
		}
	case ScreenSelfTest:
		v.Actions = append(v.Actions, Action{ID: "tech:test:all", Label: "全部 · All", Event: RunSelfTest{}, Busy: m.pending["checks"]})
		for _, d := range SelfTestDevices {
			v.Actions = append(v.Actions, Action{ID: "tech:test:" + d, Label: deviceName(d), Event: RunSelfTest{Device: d}, Busy: m.pending["checks"]})
		}
		v.Sections = m.checkSections()
	case ScreenPrint:
		v.Actions = []Action{{ID: "tech:print", Label: "打印测试回执 · Print a test receipt", Event: StartTestPrint{}, Busy: m.pending["print"]}}
		v.Message, v.Tone = m.printMsg, m.printTone
	case ScreenCardRead:
		v.Actions = []Action{{ID: "tech:read", Label: "开始读卡 · Read a card", Event: StartCardRead{}, Busy: m.pending["card"]}}
		v.Message, v.Tone = m.cardMsg, m.cardTone
		if c := m.card; c != nil {
			valid := "有效 · valid"
			tone := Good
			if !c.IDNumberValid {
				valid, tone = "校验位错误 · bad check digit", Bad
			}
			v.Sections = []Section{{Title: "卡片（已遮蔽）· Card (masked)", Rows: []Row{
				{Label: "类型 · Type", Value: c.Type}, {Label: "姓名 · Name", Value: c.Name},
				{Label: "号码 · Number", Value: c.IDNumber}, {Label: "校验 · Check", Value: valid, Tone: tone},
				{Label: "有效期至 · Valid to", Value: c.ValidTo}}}}
		}
	case ScreenGPIO:
		v.Message, v.Tone = m.gpioErr, toneOf(m.gpioErr)
		v.Sections = m.gpioSections()
	case ScreenBackend:
		v.Actions = []Action{{ID: "tech:test:backend", Label: "检查后台 · Check the backend", Event: RunSelfTest{Device: devices.Backend}, Busy: m.pending["checks"]}}
		if s := m.status; s != nil {
			b := s.Backend
			reach, tone := "可连接 · reachable", Good
			if !b.Reachable {
				reach, tone = "无法连接 · unreachable", Bad
			}
			rows := []Row{{Label: "地址 · URL", Value: b.URL}, {Label: "状态 · State", Value: reach, Tone: tone},
				{Label: "最近联系 · Last contact", Value: stamp(b.LastContact)}}
			if b.LastError != "" {
				rows = append(rows, Row{Label: "最近错误 · Last error", Value: errorWords(b.LastError), Tone: Bad})
			}
			v.Sections = []Section{{Title: "县后台 · County backend", Rows: rows}}
		}
		if m.checkDev == devices.Backend {
			v.Sections = append(v.Sections, m.checkSections()...)
		}
	case ScreenOutbox:
		v.Actions = []Action{{ID: "tech:retry", Label: "重试搁置项 · Retry parked", Event: RetryParked{}, Busy: m.pending["retry"]}}
		v.Message, v.Tone = m.retryMsg, Info
		if m.outboxErr != "" {
			v.Message, v.Tone = m.outboxErr, Bad
		}
		v.Sections = m.outboxSections()
	case ScreenCatalog:
		if s := m.status; s != nil {
			v.Sections = []Section{catalogSection(s.Catalog)}
		}
	case ScreenEvents:
		sec := Section{Title: "最近事件（新的在上）· Recent events, newest at the top"}
		for i := len(m.events) - 1; i >= 0; i-- {
			e := m.events[i]
			sec.Rows = append(sec.Rows, Row{Label: e.Time.Format("01-02 15:04:05") + " " + e.Kind, Value: e.Text})
		}
		if len(sec.Rows) == 0 {
			sec.Rows = []Row{{Label: "—", Value: "暂无 · none"}}
		}
		v.Sections = []Section{sec}
	}
	return v
}

func toneOf(msg string) Tone {
	if msg != "" {
		return Bad
	}
	return Info
}

func summary(s *admin.Status) Section {
	sec := Section{Title: "概况 · Summary"}
	bad := 0
	for _, d := range s.Devices {
		if !d.State.Usable() {
			bad++
		}
	}
	devTone, devVal := Good, strconv.Itoa(len(s.Devices))+" 台正常 · all usable"
	if bad > 0 {
		devTone, devVal = Bad, strconv.Itoa(bad)+" 台异常 · "+strconv.Itoa(bad)+" not usable"
	}
	reach, rt := "可连接 · reachable", Good
	if !s.Backend.Reachable {
		reach, rt = "无法连接 · unreachable", Bad
	}
	ob := fmt.Sprintf("%d 笔，搁置 %d · %d queued, %d parked", s.Outbox.Depth, s.Outbox.Parked, s.Outbox.Depth, s.Outbox.Parked)
	obt := Info
	if s.Outbox.Parked > 0 {
		obt = Bad
	}
	sec.Rows = []Row{
		{Label: "设备 · Devices", Value: devVal, Tone: devTone},
		{Label: "后台 · Backend", Value: reach, Tone: rt},
		{Label: "待发送 · Outbox", Value: ob, Tone: obt},
		{Label: "目录 · Catalog", Value: "v" + strconv.FormatInt(s.Catalog.Version, 10)},
	}
	if s.Maintenance {
		sec.Rows = append(sec.Rows, Row{Label: "维护 · Maintenance", Value: "开启 · on", Tone: Bad})
	}
	return sec
}

var stateNames = map[devices.State]string{
	devices.Starting: "启动中 · starting", devices.Online: "正常 · online", devices.Offline: "离线 · offline",
	devices.HardwareError: "硬件故障 · hardware error", devices.UserError: "需处理 · needs attention",
	devices.NoDevice: "无设备 · no device", devices.Busy: "忙 · busy",
}

var deviceNames = map[string]string{
	devices.IDCard: "读卡器 · ID card", devices.Printer: "打印机 · Printer", devices.GPIO: "GPIO",
	devices.A4: "A4 打印机 · A4 printer", devices.Backend: "后台 · Backend", "outbox": "待发送 · Outbox", "catalog": "目录 · Catalog",
	devices.Scanner: "扫码器 · Scanner",
}

// What devices report, in Chinese with the English word beside it, as
// kioskctl prints it: a technician reads the first, a vendor's support
// line the second.
var (
	detailNames = map[string]string{
		"cabinetDoor": "柜门", "media": "证件", "paper": "纸张", "cover": "纸仓盖", "light": "状态灯",
		"sam": "安全模块", "baud": "波特率", "port": "端口", "toner": "墨粉", "toner_level": "墨粉余量", "state": "状态",
		"mode": "模式",
	}
	detailValues = map[string]string{
		"open": "打开", "closed": "关闭", "present": "有证件", "absent": "无证件", "unknown": "未知",
		"ok": "正常", "low": "将尽", "out": "缺纸", "ready": "就绪", "busy": "忙", "attention": "注意",
		"fault": "故障", "off": "关", "on": "开", "jam": "卡纸", "idle": "空闲", "processing": "打印中", "stopped": "停止",
		"serial": "串口", "keyboard": "键盘",
	}
	counterNames = map[string]string{
		"reads": "读卡", "prints": "打印", "errors": "错误", "reconnects": "重连", "power_cycles": "断电重启",
		"failed_jobs": "失败任务", "bounces": "抖动", "events": "事件",
		"scans": "扫码", "rejected": "拒收",
	}
	// errorPhrases: the conditions drivers report, most telling first.
	errorPhrases = []struct{ en, zh string }{
		{"paper out", "缺纸"}, {"cover open", "纸仓盖打开"}, {"no card", "无证件"}, {"checksum", "数据校验错误"},
		{"timeout", "超时"}, {"timed out", "超时"}, {"gone", "设备已拔出"}, {"no such file", "设备未连接"},
		{"offline", "离线"}, {"sam", "安全模块故障"}, {"refused", "连接被拒绝"}, {"unreachable", "无法连接"},
	}
)

// bilingual is "中文 · english" for a known word, else the word itself.
func bilingual(words map[string]string, w string) string {
	if zh, ok := words[w]; ok {
		return zh + " · " + w
	}
	return w
}

// errorWords puts the Chinese name of a known condition before a driver's
// error text.
func errorWords(e string) string {
	low := strings.ToLower(e)
	for _, p := range errorPhrases {
		if strings.Contains(low, p.en) {
			return p.zh + " · " + e
		}
	}
	return e
}

func deviceName(n string) string {
	if s, ok := deviceNames[n]; ok {
		return s
	}
	return n
}

func deviceSections(ds []devices.Status) []Section {
	var out []Section
	for _, d := range ds {
		st, ok := stateNames[d.State]
		if !ok {
			st = string(d.State)
		}
		tone := Good
		if !d.State.Usable() {
			tone = Bad
		}
		rows := []Row{{Label: "状态 · State", Value: st, Tone: tone}}
		for _, k := range slices.Sorted(maps.Keys(d.Detail)) {
			rows = append(rows, Row{Label: bilingual(detailNames, k), Value: bilingual(detailValues, d.Detail[k])})
		}
		if len(d.Counters) > 0 {
			var b strings.Builder
			for i, k := range slices.Sorted(maps.Keys(d.Counters)) {
				if i > 0 {
					b.WriteString("，")
				}
				fmt.Fprintf(&b, "%s %d", bilingual(counterNames, k), d.Counters[k])
			}
			rows = append(rows, Row{Label: "计数 · Counters", Value: b.String()})
		}
		if d.LastError != "" {
			rows = append(rows, Row{Label: "最近错误 · Last error", Value: stamp(d.LastErrorAt) + " " + errorWords(d.LastError), Tone: Bad})
		}
		out = append(out, Section{Title: deviceName(d.Name), Rows: rows})
	}
	return out
}

func (m *Machine) checkSections() []Section {
	if m.pending["checks"] {
		return []Section{{Title: "自检中 · Running", Rows: []Row{{Label: deviceName(m.checkDev), Value: "请稍候 · please wait"}}}}
	}
	if m.checkErr != "" {
		return []Section{{Title: "自检 · Self-test", Rows: []Row{{Label: "错误 · Error", Value: m.checkErr, Tone: Bad}}}}
	}
	var out []Section
	for _, c := range m.checks {
		verdict, tone := "通过 PASS", Good
		if !c.Pass {
			verdict, tone = "失败 FAIL", Bad
		}
		rows := []Row{{Label: "结果 · Result", Value: verdict, Tone: tone}}
		if c.Detail != "" {
			rows = append(rows, Row{Label: "详情 · Detail", Value: c.Detail})
		}
		if !c.Pass && c.Remedy != "" {
			rows = append(rows, Row{Label: "处理", Value: c.Remedy, Tone: Bad})
		}
		if !c.Pass && c.RemedyEN != "" {
			rows = append(rows, Row{Label: "Remedy", Value: c.RemedyEN, Tone: Bad})
		}
		out = append(out, Section{Title: deviceName(c.Device) + " — " + c.Name, Rows: rows})
	}
	return out
}

func (m *Machine) gpioSections() []Section {
	var outs, ins Section
	outs.Title, ins.Title = "输出（点按切换）· Outputs (tap to switch)", "输入 · Inputs"
	for _, p := range m.pins {
		label := p.Name
		if p.BoardName != "" {
			label += " (" + p.BoardName + ")"
		}
		if p.Direction == "out" {
			val, act := "关 · OFF", "打开 · ON"
			if p.On {
				val, act = "开 · ON", "关闭 · OFF"
			}
			outs.Rows = append(outs.Rows, Row{Label: label, Value: val,
				Toggle: &Action{ID: "tech:gpio:" + p.Name, Label: act, Event: ToggleGPIO{Name: p.Name}, Busy: m.pending["setpin"]}})
			continue
		}
		val := "低 · LOW"
		if p.On {
			val = "高 · HIGH"
		}
		ins.Rows = append(ins.Rows, Row{Label: label, Value: val})
	}
	var out []Section
	for _, s := range []Section{outs, ins} {
		if len(s.Rows) > 0 {
			out = append(out, s)
		}
	}
	return out
}

var itemStates = map[string]string{"pending": "待发送 · pending", "parked": "搁置 · parked", "delivered": "已送达 · delivered"}

func (m *Machine) outboxSections() []Section {
	var out []Section
	if s := m.status; s != nil {
		out = append(out, Section{Title: "概况 · Summary", Rows: []Row{
			{Label: "总数 · Depth", Value: strconv.Itoa(s.Outbox.Depth)},
			{Label: "搁置 · Parked", Value: strconv.Itoa(s.Outbox.Parked), Tone: map[bool]Tone{true: Bad}[s.Outbox.Parked > 0]},
			{Label: "最久 · Oldest", Value: (time.Duration(s.Outbox.OldestAgeSec) * time.Second).String()}}})
	}
	for _, it := range m.items {
		st, ok := itemStates[it.State]
		if !ok {
			st = it.State
		}
		tone := Info
		if it.State == "parked" {
			tone = Bad
		}
		rows := []Row{{Label: "事项 · Service", Value: it.Service}, {Label: "状态 · State", Value: st + fmt.Sprintf("（%d 次 · attempts）", it.Attempts), Tone: tone},
			{Label: "创建 · Created", Value: stamp(it.Created)}}
		if it.TrackingNo != "" {
			rows = append(rows, Row{Label: "编号 · Tracking", Value: it.TrackingNo})
		}
		if it.LastError != "" {
			rows = append(rows, Row{Label: "错误 · Error", Value: it.LastError, Tone: Bad})
		}
		out = append(out, Section{Title: it.ID, Rows: rows})
	}
	if len(m.items) == 0 && m.outboxErr == "" {
		out = append(out, Section{Title: "待发送 · Items", Rows: []Row{{Label: "—", Value: "空 · empty"}}})
	}
	return out
}

func catalogSection(c admin.CatalogInfo) Section {
	hash := c.Hash
	if len(hash) > 16 {
		hash = hash[:16] + "…"
	}
	stale, st := "否 · no", Good
	if c.Stale {
		stale, st = "是，已过期 · yes, stale", Bad
	}
	rows := []Row{
		{Label: "版本 · Version", Value: strconv.FormatInt(c.Version, 10)},
		{Label: "哈希 · Hash", Value: hash},
		{Label: "签发 · Issued", Value: stamp(c.IssuedAt)},
		{Label: "到期 · Expires", Value: stamp(c.ExpiresAt)},
		{Label: "过期 · Stale", Value: stale, Tone: st},
		{Label: "事项 · Services", Value: strconv.Itoa(c.Services)},
		{Label: "来源 · Source", Value: c.Source},
	}
	if c.Pending != 0 {
		rows = append(rows, Row{Label: "待应用 · Pending", Value: "v" + strconv.FormatInt(c.Pending, 10)})
	}
	rej := "无 · none"
	tone := Info
	if c.LastRejection != "" {
		rej, tone = c.LastRejection, Bad
	}
	rows = append(rows, Row{Label: "最近拒收 · Last rejection", Value: rej, Tone: tone})
	return Section{Title: "当前目录 · Active catalog", Rows: rows}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04:05")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return mask.Text(err.Error())
}

// Masking. The admin API masks already; these are a second line of
// defence so the screen never shows what a bug upstream let through.

func maskCard(c admin.CardRead) admin.CardRead {
	c.Name = mask.Name(c.Name) // masking a mask changes nothing
	c.IDNumber = mask.ID(c.IDNumber)
	return c
}

func maskStatus(s admin.Status) admin.Status {
	s.Devices = slices.Clone(s.Devices)
	for i := range s.Devices {
		d := &s.Devices[i]
		d.LastError = mask.Text(d.LastError)
		if len(d.Detail) > 0 {
			det := make(map[string]string, len(d.Detail))
			for k, v := range d.Detail {
				det[k] = mask.Text(v)
			}
			d.Detail = det
		}
	}
	s.Backend.LastError = mask.Text(s.Backend.LastError)
	s.Catalog.LastRejection = mask.Text(s.Catalog.LastRejection)
	return s
}

func maskChecks(cs []admin.Check) []admin.Check {
	out := slices.Clone(cs)
	for i := range out {
		out[i].Detail = mask.Text(out[i].Detail)
	}
	return out
}

func maskItems(its []admin.OutboxItem) []admin.OutboxItem {
	out := slices.Clone(its)
	for i := range out {
		out[i].LastError = mask.Text(out[i].LastError)
	}
	return out
}

func maskEvents(es []eventlog.Event) []eventlog.Event {
	out := make([]eventlog.Event, len(es))
	for i, e := range es {
		e.Text = mask.Text(e.Text)
		if len(e.Fields) > 0 {
			f := make(map[string]string, len(e.Fields))
			for k, v := range e.Fields {
				f[k] = mask.Text(v)
			}
			e.Fields = f
		}
		out[i] = e
	}
	return out
}
