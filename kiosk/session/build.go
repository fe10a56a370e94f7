package session

import (
	"sort"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// night is when the attract screen may dim (22:00–06:00).
func night(t time.Time) bool { h := t.Hour(); return h >= 22 || h < 6 }

type tickKey struct {
	screen    Screen
	dim       bool
	minute    int64
	countdown int
	timeout   int
	warn      bool
	// callSecond: the call's clock on the help overlay ticks each second.
	callSecond int64
}

func (m *Machine) tickKey() tickKey {
	k := tickKey{screen: m.screen, minute: m.now.Unix() / 60}
	if m.screen == ScreenAttract {
		k.dim = m.dim()
	}
	if m.screen == ScreenDone {
		k.countdown = m.doneLeft()
	}
	if m.call.state == CallDialing || m.call.state == CallConnected {
		k.callSecond = m.now.Unix()
	}
	if m.warning() {
		k.warn = true
		k.timeout = m.timeoutLeft()
	}
	return k
}

func (m *Machine) dim() bool {
	if m.cardLeft {
		return false // a card waits: the screen says so at full brightness
	}
	return night(m.now.In(m.o.Location)) && m.now.Sub(m.presence) >= m.t.Dim
}

func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

func (m *Machine) doneLeft() int { return ceilSeconds(m.t.Done - m.now.Sub(m.since)) }

func (m *Machine) timeoutLeft() int {
	return ceilSeconds(m.t.idleFor(m.screen) + m.t.Warning - m.now.Sub(m.activity))
}

// prompt is the current screen's spoken and written instruction.
func (m *Machine) prompt() string {
	switch m.screen {
	case ScreenAttract:
		return "请点击屏幕开始办理"
	case ScreenHome:
		return "请选择要办理的事项，也可以点搜索查找"
	case ScreenCategory:
		return "请选择要办理的事项"
	case ScreenSearch:
		return "请用下面的键盘输入拼音首字母，例如 " + SearchExample + " 查社保"
	case ScreenGuide:
		return "请阅读办理须知，准备好后点开始办理"
	case ScreenIdentify:
		if m.idVerifying {
			return "正在核验电子身份证，请稍候"
		}
		if m.card != nil {
			return "请核对您的身份信息，无误请点确认"
		}
		if m.offersIDCode() && !m.cardOnReader {
			return "请把身份证放在下方" + WordReader + "，或在扫码窗口出示豫事办电子身份证二维码"
		}
		if m.cardOnReader {
			return "请拿起身份证，再重新放到" + WordReader
		}
		return "请把身份证放在下方" + WordReader
	case ScreenForm:
		return "请填写以下信息，填好后点下一步"
	case ScreenConfirm:
		return "请核对您填写的信息，无误请点提交"
	case ScreenSubmitting:
		return "正在提交，请稍候"
	case ScreenDocument:
		return m.docPrompt()
	case ScreenPayment:
		return m.payPrompt()
	case ScreenFace:
		return m.facePrompt()
	case ScreenResult:
		p := m.resTitle + "。" + m.resMsg
		if m.result != nil {
			p += m.nextWords()
		}
		return p
	case ScreenPrinting:
		_, p := m.slipWords()
		return p
	case ScreenRating:
		return "请为本次服务评价，也可以跳过"
	case ScreenDone:
		_, p := m.doneWords()
		return p
	case ScreenOutOfService:
		return "本机暂停服务，请拨打热线 " + m.hotline() + "。" + m.elsewhere()
	case ScreenMaintenance:
		return "本机正在维护，" + m.backWords() + "。" + m.elsewhere()
	}
	return ""
}

func (m *Machine) title() string {
	switch m.screen {
	case ScreenAttract:
		return "开始办理"
	case ScreenHome:
		return "请选择事项"
	case ScreenCategory:
		if c := m.findCategory(m.category); c != nil {
			return c.Name
		}
	case ScreenSearch:
		return "搜索事项"
	case ScreenGuide, ScreenIdentify, ScreenForm, ScreenFace, ScreenElsewhere:
		if m.svc != nil {
			return m.svc.Name
		}
	case ScreenStaffPIN:
		return "帮办模式：工作人员登录"
	case ScreenConsent:
		return "请居民确认"
	case ScreenConfirm:
		return "请核对信息"
	case ScreenSubmitting:
		return "正在提交"
	case ScreenDocument:
		return m.docTitle()
	case ScreenPayment:
		return m.payTitle()
	case ScreenResult:
		return m.resTitle
	case ScreenPrinting:
		t, _ := m.slipWords()
		return t
	case ScreenRating:
		return "请您评价"
	case ScreenDone:
		t, _ := m.doneWords()
		return t
	case ScreenOutOfService:
		return "暂停服务"
	case ScreenMaintenance:
		return "正在维护"
	}
	return ""
}

// View returns a snapshot of what the screen shows.
func (m *Machine) View() View {
	v := View{
		Rev:          m.rev,
		Screen:       m.screen,
		Elder:        m.elder,
		HallName:     m.o.HallName,
		Hotline:      m.hotline(),
		Clock:        m.now.In(m.o.Location).Truncate(time.Minute),
		Title:        m.title(),
		Prompt:       m.prompt(),
		Notice:       m.notice,
		CardOnReader: m.cardOnReader,
		Card:         m.cardState,
		Voice:        m.voiceOn,
		Volume:       float64(m.volLevel) / VolumeLevels,
		VolumeLevel:  m.volLevel,
	}
	if m.screen == ScreenAttract {
		v.Dim = m.dim()
		v.CardLeft = m.cardLeft
		if m.cardLeft {
			v.Notice = cardLeftPrompt
		}
	}
	m.endView(&v)
	switch m.screen {
	case ScreenHome:
		v.Categories = m.categories()
		v.Popular = m.popular()
	case ScreenCategory:
		v.Services = m.items(m.inCategory(m.category))
	case ScreenSearch:
		v.Query = string(m.query)
		v.Services = m.items(m.searchResults())
	case ScreenGuide, ScreenIdentify, ScreenForm, ScreenConfirm:
		v.Guide = m.guide()
	case ScreenDone:
		v.Countdown = m.doneLeft()
	case ScreenRating:
		v.Ratings = append([]RatingChoice(nil), Ratings...)
	}
	if m.card != nil && (m.screen == ScreenIdentify || m.screen == ScreenForm || m.screen == ScreenConfirm) {
		mc := m.card.Masked()
		v.Identity = &Identity{Name: mask.NameOnScreen(m.card.Name), IDNumber: mc.IDNumber, Sex: mc.Sex,
			CardType: cardTypeName(mc.Type), Problem: cardProblem(m.card, m.now), FromCode: m.cardFromCode}
		if m.cardFromCode {
			v.Identity.CardType = "电子身份证"
		}
		if strings.TrimSpace(m.card.Name) == "" {
			v.Identity.Name = mask.NameOnScreen(m.card.EnglishName)
		}
	}
	if m.screen == ScreenIdentify {
		v.IDCode, v.IDCodeBusy = m.offersIDCode(), m.idVerifying
	}
	if m.screen == ScreenForm {
		if v.Notice == "" {
			v.Notice = m.formNotice() // gone once the errors are fixed
		}
		v.Form = m.formView()
		v.Focus = m.focus
		m.imeView(&v)
	}
	if m.screen == ScreenConfirm {
		v.Summary = m.summary()
	}
	if m.result != nil && (m.screen == ScreenResult || m.screen == ScreenPrinting || m.screen == ScreenRating) {
		v.Result = m.outcomeView()
	}
	if m.screen == ScreenResult || m.screen == ScreenPrinting || m.screen == ScreenRating {
		v.Printing = m.printSt
	}
	if m.screen == ScreenDocument {
		v.Document = m.docView()
	}
	if m.screen == ScreenPayment {
		v.Payment = m.payView()
	}
	if m.screen == ScreenFace {
		v.Face = m.faceView()
	}
	if m.screen == ScreenElsewhere {
		v.Elsewhere = m.elsewhereView()
	}
	v.Staff, v.AssistedBy = m.staffView(), m.assistedBy()
	if v.Staff != nil {
		v.Elder = false // the staff member's screens, in standard sizes; the resident's mode comes back after
	}
	if m.help {
		v.Help = &HelpView{Hotline: m.hotline(), Text: m.helpText(), AssistName: m.assistName(),
			CanCall: m.o.Calls && m.call.state == CallNone, Call: m.callView(),
			CanHomeVisit: m.call.state == CallNone && m.callbackPossible() && m.homeVisitTownships() > 0,
			CanStaff:     m.o.Staff && m.call.state == CallNone && m.staff.consent.IsZero() && m.tx == nil}
		if c := m.catalogForHelp(); c != nil {
			v.Help.AssistURL = c.AssistURL
		}
	}
	if m.warning() {
		v.Timeout = &TimeoutView{Seconds: m.timeoutLeft(), CanExtend: m.extended < m.t.MaxExtensions, Extended: m.extended}
	}
	return v
}

func (m *Machine) catalogForHelp() *catalog.Catalog {
	if m.cat != nil {
		return m.cat
	}
	return m.o.Catalog()
}

func cardTypeName(t identity.CardType) string {
	switch t {
	case identity.ResidencePermit:
		return "港澳台居民居住证"
	case identity.ForeignPROld, identity.ForeignPR2023:
		return "外国人永久居留身份证"
	}
	return "居民身份证"
}

func (m *Machine) categories() []CategoryItem {
	if m.cat == nil {
		return nil
	}
	cs := append([]catalog.Category(nil), m.cat.Categories...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Order < cs[j].Order })
	out := make([]CategoryItem, 0, len(cs))
	for _, c := range cs {
		out = append(out, CategoryItem{ID: c.ID, Name: c.Name, Icon: c.Icon})
	}
	return out
}

func (m *Machine) popular() []ServiceItem {
	if m.cat == nil {
		return nil
	}
	var ss []*catalog.Service
	for i := range m.cat.Services {
		if ok, _ := m.doableHere(&m.cat.Services[i]); ok && m.cat.Services[i].Status != catalog.StatusSuspended {
			ss = append(ss, &m.cat.Services[i])
		}
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Popularity > ss[j].Popularity })
	n := 6
	if m.elder {
		n = 4
	}
	return m.items(ss[:min(n, len(ss))])
}

func (m *Machine) inCategory(id string) []*catalog.Service {
	if m.cat == nil {
		return nil
	}
	var ss []*catalog.Service
	for i := range m.cat.Services {
		if m.cat.Services[i].Category == id {
			ss = append(ss, &m.cat.Services[i])
		}
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Popularity > ss[j].Popularity })
	return ss
}

func (m *Machine) items(ss []*catalog.Service) []ServiceItem {
	out := make([]ServiceItem, 0, len(ss))
	for _, s := range ss {
		ok, why := m.availability(s)
		if here, _ := m.doableHere(s); !here {
			ok, why = false, "本机不能办理，点开看在哪里办"
		}
		out = append(out, ServiceItem{ID: s.ID, Name: s.Name, Department: s.Department, Kind: s.Kind, Available: ok, Reason: why})
	}
	return out
}

func (m *Machine) guide() *Guide {
	s := m.svc
	if s == nil {
		return nil
	}
	ok, why := m.availability(s)
	return &Guide{ID: s.ID, Name: s.Name, Department: s.Department, Description: s.Description, Kind: s.Kind,
		Materials: append([]string(nil), s.Materials...), Fee: feeText(s), TimeLimit: limitText(s),
		Hours: hoursText(s.Hours), NeedsIDCard: s.NeedsIDCard, NeedsPrinter: s.NeedsPrinter,
		Available: ok, Reason: why}
}

func (m *Machine) formView() []FieldView {
	if m.svc == nil {
		return nil
	}
	out := make([]FieldView, 0, len(m.svc.Form))
	for _, f := range m.svc.Form {
		fv := FieldView{ID: f.ID, Label: f.Label, Hint: f.Hint, Type: f.Type, Required: f.Required,
			Personal: isPersonal(f), Choices: append([]catalog.Choice(nil), f.Choices...), MaxLen: f.MaxLen,
			Error: m.errs[f.ID]}
		if f.Type == catalog.FieldFromCard {
			fv.ReadOnly = true
			fv.Value = cardOnScreen(f, cardValue(m.card, f.CardField, m.o.Location))
		} else {
			// What the resident typed, as typed: she checks it here.
			fv.Value = m.values[f.ID]
			fv.Optional = !f.Required
			fv.Draft = m.drafts[f.ID]
		}
		if fv.Optional {
			fv.Mark = WordOptional
		}
		out = append(out, fv)
	}
	return out
}

// summary is the confirm screen: the card's values masked for the
// screen, the resident's own entries as typed.
func (m *Machine) summary() []Line {
	if m.svc == nil {
		return nil
	}
	var out []Line
	for _, f := range m.svc.Form {
		v := m.values[f.ID]
		if f.Type == catalog.FieldFromCard {
			v = cardOnScreen(f, cardValue(m.card, f.CardField, m.o.Location))
		}
		if f.Type == catalog.FieldChoice {
			for _, c := range f.Choices {
				if c.Value == v {
					v = c.Label
				}
			}
		}
		if v == "" {
			v = "（未填）"
		}
		out = append(out, Line{Label: f.Label, Value: v})
	}
	return out
}

func replaceTracking(u, no string) string {
	const key = "{tracking}"
	for i := 0; i+len(key) <= len(u); i++ {
		if u[i:i+len(key)] == key {
			return u[:i] + no + u[i+len(key):]
		}
	}
	return u
}
