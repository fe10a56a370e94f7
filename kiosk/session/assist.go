package session

import (
	"slices"
	"strings"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// 小牟帮办 at the kiosk: the page of a matter this kiosk cannot do (where
// and how it gets done), the home-visit request (你点餐，我上门) and the
// callback request left when nobody answered a call. The two requests are
// small forms of their own, sent like a matter (txn.KindAssist), so the
// outbox keeps them and the ticket is the tracking number.

// ScreenElsewhere is the "本机不能办理" page of a matter.
const ScreenElsewhere Screen = "elsewhere"

// RequestHomeVisit: the resident asks for a home visit (上门服务).
type RequestHomeVisit struct{}

func (RequestHomeVisit) isEvent() {}

// ElsewhereView is the page of a matter this kiosk cannot do.
type ElsewhereView struct {
	Name string
	// Why in plain words: not done at kiosks, or this kiosk lacks a device.
	Why string
	// Place is where to go: the hall's township centre or the county
	// centre; nil when the matter is done only online or at the village.
	Place *PlaceView
	// Village: the resident's own village (community) station does it.
	Village bool
	// OnlineURL is the matter on the provincial website (a QR code for a
	// family member's phone); Apps: it is in the phone apps (豫事办…).
	OnlineURL string
	Apps      bool
	// HomeVisit: the assisted-service team does it at home for residents
	// over 60 and disabled residents; the page offers the request.
	HomeVisit  bool
	AssistName string
}

// PlaceView is a service place as a resident reads it.
type PlaceView struct {
	Name, Address, Phone, Hours string
}

// deviceNames are the catalog's device names in words.
var deviceNames = map[string]string{
	catalog.DeviceIDCard:  "身份证阅读器",
	catalog.DevicePrinter: "凭条打印机",
	catalog.DeviceA4:      "A4打印机",
	catalog.DeviceCamera:  "摄像头",
	catalog.DeviceScanner: "扫码器",
	catalog.DevicePayment: "缴费功能",
}

// doableHere reports whether this kiosk can do s at all (not whether it
// can now: availability says that). A matter only done at the county's
// other levels, or needing a device this kiosk was not built with, gets
// the 本机不能办理 page instead of its guide.
func (m *Machine) doableHere(s *catalog.Service) (bool, string) {
	if !s.AtKiosk() {
		return false, "这项业务不能在自助机上办理。"
	}
	if m.o.Devices != nil {
		for _, d := range catalog.DevicesFor(s) {
			// The scanner is a second way in (an electronic ID code, a
			// payment code), never the only one: the card and the QR code
			// on the screen do without it.
			if d != catalog.DeviceScanner && !slices.Contains(m.o.Devices, d) {
				return false, "本机没有" + nonEmpty(deviceNames[d], d) + "，这项业务不能在本机办理。"
			}
		}
	}
	return true, ""
}

func (m *Machine) elsewhereView() *ElsewhereView {
	s := m.svc
	if s == nil {
		return nil
	}
	_, why := m.doableHere(s)
	v := &ElsewhereView{Name: s.Name, Why: why, Village: s.DoneAt(catalog.WhereVillage),
		OnlineURL: s.OnlineURL, Apps: s.DoneAt(catalog.WhereApp), AssistName: m.assistName()}
	v.HomeVisit = s.HomeVisit && m.homeVisitTownships() > 0
	if m.cat != nil {
		if p, ok := m.cat.PlaceFor(s, m.o.HallID); ok {
			v.Place = &PlaceView{Name: p.Name, Address: p.Address, Phone: p.Phone, Hours: hoursText(p.Hours)}
		}
	}
	return v
}

func (m *Machine) assistName() string {
	if c := m.catalogForHelp(); c != nil && c.AssistName != "" {
		return c.AssistName
	}
	return catalog.DefaultAssistName
}

// homeVisitTownships is how many townships the list names (a list
// without places cannot route a home visit).
func (m *Machine) homeVisitTownships() int {
	c := m.catalogForHelp()
	if c == nil {
		return 0
	}
	return len(c.Townships())
}

// Home-visit form field ids (txn.AssistHomeVisit).
const (
	hvForWhom  = "for_whom"
	hvReason   = "reason"
	hvName     = "name"
	hvPhone    = "phone"
	hvTownship = "township"
	hvVillage  = "village"
	hvAddress  = "address"
	hvService  = "for_service"
	hvConsent  = "consent"
)

// homeVisitService is the home-visit request as a form, its village
// choices those of township (none until a township is chosen).
func (m *Machine) homeVisitService(township string) *catalog.Service {
	name := m.assistName()
	s := &catalog.Service{
		ID: txn.AssistHomeVisit, Name: name + "上门服务申请", ShortName: "上门服务申请",
		Department: name, Kind: catalog.KindApply, Offline: catalog.OfflineQueue, Status: catalog.StatusActive,
		Hours:       catalog.Hours{Always: true},
		Description: "你点餐，我上门：60周岁以上老人和残疾人，可以请" + name + "的工作人员到家里帮您办理。本人或家人都可以申请，免费。",
		Receipt: catalog.Receipt{Title: name + "上门服务申请", Note: "工作人员会先打电话和您约时间。请保管好这张凭条。",
			Lines: []catalog.ReceiptLine{{Label: "联系电话", Field: hvPhone, Mask: "phone"},
				{Label: "谁来联系", Field: "result." + txn.LineAssistPlace, Mask: "none"},
				{Label: "联系时间", Field: "result." + txn.LineCallBy, Mask: "none"}}},
	}
	var towns, villages, matters []catalog.Choice
	if m.cat != nil {
		for _, p := range m.cat.Townships() {
			towns = append(towns, catalog.Choice{Value: p.ID, Label: p.Name})
		}
		for _, p := range m.cat.Villages(township) {
			villages = append(villages, catalog.Choice{Value: p.ID, Label: p.Name})
		}
		for i := range m.cat.Services {
			if x := &m.cat.Services[i]; x.HomeVisit && x.Status != catalog.StatusSuspended {
				matters = append(matters, catalog.Choice{Value: x.ID, Label: nonEmpty(x.ShortName, x.Name)})
			}
		}
	}
	s.Form = []catalog.Field{
		{ID: hvForWhom, Label: "谁申请", Type: catalog.FieldChoice, Required: true,
			Choices: []catalog.Choice{{Value: "self", Label: "我本人"}, {Value: "family", Label: "我替家人申请"}}},
		{ID: hvReason, Label: "上门服务对象", Type: catalog.FieldChoice, Required: true,
			Choices: []catalog.Choice{{Value: "over60", Label: "60周岁以上老人"}, {Value: "disabled", Label: "残疾人"}}},
		{ID: hvName, Label: "需要上门的人的姓名", Type: catalog.FieldText, Required: true, MaxLen: 20, Personal: true},
		callablePhone(hvPhone, "联系电话"),
		{ID: hvTownship, Label: "所在乡镇（街道）", Type: catalog.FieldChoice, Required: true, Choices: towns},
		{ID: hvVillage, Label: "所在村（社区）", Type: catalog.FieldChoice, Required: true, Choices: villages, Hint: "先选乡镇（街道）"},
		{ID: hvAddress, Label: "详细地址", Type: catalog.FieldText, Required: true, MaxLen: 60, Personal: true, Hint: "几组几号，或小区几号楼几单元"},
		{ID: hvService, Label: "要办什么事", Type: catalog.FieldChoice, Required: true, Choices: matters},
		{ID: hvConsent, Label: "同意", Type: catalog.FieldChoice, Required: true,
			Hint:    "同意工作人员用以上信息联系您、上门办理",
			Choices: []catalog.Choice{{Value: "yes", Label: "我同意"}}},
	}
	return s
}

// callbackService is the callback request left when nobody answered.
func (m *Machine) callbackService() *catalog.Service {
	name := m.assistName()
	return &catalog.Service{
		ID: txn.AssistCallback, Name: name + "回电", ShortName: "等回电",
		Department: name, Kind: catalog.KindApply, Offline: catalog.OfflineQueue, Status: catalog.StatusActive,
		Hours:       catalog.Hours{Always: true},
		Description: "刚才没有人接听。留下电话号码，" + name + "的工作人员会打给您。",
		Form:        []catalog.Field{callablePhone("phone", "您的电话")},
		Receipt: catalog.Receipt{Title: name + "回电登记", Note: "工作人员会打您留下的电话，请保持电话畅通。",
			Lines: []catalog.ReceiptLine{{Label: "回电号码", Field: "phone", Mask: "phone"},
				{Label: "谁来回电", Field: "result." + txn.LineAssistPlace, Mask: "none"},
				{Label: "回电时间", Field: "result." + txn.LineCallBy, Mask: "none"}}},
	}
}

// requestHomeVisit opens the home-visit form, for the matter the resident
// was at when it allows one, in the hall's township.
func (m *Machine) requestHomeVisit(fx *effects) {
	if m.homeVisitTownships() == 0 {
		return
	}
	about := ""
	if m.svc != nil && m.svc.HomeVisit {
		about = m.svc.ID
	}
	town := ""
	if p, ok := m.cat.HallTownship(m.o.HallID); ok {
		town = p.ID
	}
	name := ""
	if m.card != nil {
		name = m.card.Name
	}
	m.dropMatter()
	m.svc, m.guideFrom = m.homeVisitService(town), ScreenHome
	m.beginMatter(fx)
	m.values[hvService], m.values[hvTownship] = about, town
	if name != "" {
		m.values[hvName], m.values[hvForWhom] = name, "self"
	}
}

// requestCallback opens the callback form, about the matter the resident
// was at.
func (m *Machine) requestCallback(fx *effects) {
	about := ""
	if m.svc != nil && m.svc.ID != txn.AssistCallback && m.svc.ID != txn.AssistHomeVisit {
		about = m.svc.ID
	}
	m.dropMatter()
	m.ensureSession()
	m.svc, m.guideFrom = m.callbackService(), ScreenHome
	m.callAbout = about
	m.beginMatter(fx)
}

// assistValueSet keeps the home-visit form's village choices those of
// the township chosen.
func (m *Machine) assistValueSet(id string) {
	if m.svc == nil || m.svc.ID != txn.AssistHomeVisit || id != hvTownship {
		return
	}
	m.svc.Form = m.homeVisitService(m.values[hvTownship]).Form
	i := slices.IndexFunc(m.svc.Form, func(f catalog.Field) bool { return f.ID == hvVillage })
	if v := m.values[hvVillage]; v != "" && !slices.ContainsFunc(m.svc.Form[i].Choices, func(c catalog.Choice) bool { return c.Value == v }) {
		delete(m.values, hvVillage)
	}
}

// assistFields adds what the backend needs beyond the form to an assist
// request.
func (m *Machine) assistFields(tx *txn.Transaction) {
	switch m.svc.ID {
	case txn.AssistCallback:
		tx.ServiceKind = txn.KindAssist
		tx.Fields["hall"] = m.o.HallID
		if m.callAbout != "" {
			tx.Fields["about"] = m.callAbout
		}
	case txn.AssistHomeVisit:
		tx.ServiceKind = txn.KindAssist
		tx.Person = nil // a family member's card is not the person visited
		if m.card != nil && tx.Fields[hvForWhom] == "self" {
			tx.Person = &txn.Person{CardType: m.card.Type, Name: m.card.Name, IDNumber: m.card.IDNumber}
		}
	}
}

// isAssist reports whether the matter at hand is a 小牟帮办 request.
func (m *Machine) isAssist() bool {
	return m.svc != nil && (m.svc.ID == txn.AssistCallback || m.svc.ID == txn.AssistHomeVisit)
}

// assistNext is the resident's next step after an assist request, in
// plain words.
func (m *Machine) assistNext() string {
	if m.result == nil {
		return ""
	}
	if msg := strings.TrimSpace(m.result.Message); msg != "" {
		return msg
	}
	return m.assistName() + "的工作人员会打电话联系您，请保持电话畅通。"
}

// ensureSession starts a session with the catalog of now when none runs:
// help opened on the attract screen leads into a form of its own.
func (m *Machine) ensureSession() {
	if !m.active {
		m.cat, m.active = m.o.Catalog(), true
	}
}

// callablePhone is a number the team can call: a mobile, or a landline
// with its area code typed without a hyphen (as backend.ValidAssistPhone
// takes them): many older residents have only the landline at home.
func callablePhone(id, label string) catalog.Field {
	return catalog.Field{ID: id, Label: label, Type: catalog.FieldDigits, Required: true, Personal: true, MinLen: 10, MaxLen: 12,
		Pattern: `1[3-9][0-9]{9}|0(?:[12][0-9]|[3-9][0-9]{2})[2-9][0-9]{6,7}`,
		Hint:    "手机号，或带区号的座机号，如 037162112345"}
}
