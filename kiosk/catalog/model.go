// Package catalog is the kiosk's list of self-service matters: the data
// model, its validation, signature and version checks, the search index
// and the store that keeps the active and the last-known-good list.
//
// The catalog drives the kiosk: every matter's category, kind, devices,
// hours, fee, time limit, materials, form and receipt are data here, so a
// new matter is a catalog push, not a firmware release.
package catalog

import "time"

// SchemaVersion is the version of the catalog JSON schema this build
// writes and reads (docs/catalog.schema.json). Version 2 added the places
// of the county's other levels (Places, Hall.Township), where each matter
// can be done (Service.Where, OnlineURL, HomeVisit), the devices a kiosk
// needs for it (Service.Devices) and the assisted-service team's name
// (AssistName).
const SchemaVersion = 2

// MinSchemaVersion is the oldest schema Parse still accepts: a version 1
// list (signed fixtures, kiosks in the field) is read with Where, Devices
// and AssistName derived from what it says (upgrade.go).
const MinSchemaVersion = 1

// Catalog is one signed service list.
type Catalog struct {
	SchemaVersion int        `json:"schema_version"`
	Version       int64      `json:"version"`
	IssuedAt      time.Time  `json:"issued_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	EffectiveAt   *time.Time `json:"effective_at,omitempty"`
	// Rollout names the halls whose kiosks apply the list; absent means
	// every kiosk (rollout.go).
	Rollout *Rollout `json:"rollout,omitempty"`
	County  string   `json:"county"`
	Halls   []Hall   `json:"halls"`
	// Places are the county's other service places: the county centre,
	// the township (street) centres and the village (community) stations.
	Places  []Place `json:"places"`
	Hotline string  `json:"hotline"`
	// AssistName is the assisted-service team's name ("小牟帮办"), shown
	// on the help screen, receipts and the out-of-service screen. No other
	// text of the list spells it: the kiosk adds it from here, as it adds
	// the hotline.
	AssistName string `json:"assist_name"`
	// AssistURL is encoded in the QR code on the help screen: a resident
	// scans it to ask for assisted service (帮办代办).
	AssistURL string `json:"assist_url"`
	// TrackURL is the progress-check address printed as a QR code on
	// receipts; "{tracking}" is replaced by the tracking number.
	TrackURL   string     `json:"track_url"`
	Categories []Category `json:"categories"`
	Services   []Service  `json:"services"`

	raw []byte // the exact bytes parsed, for Hash and Raw
}

// Hall is one of the county's 24-hour self-service halls.
type Hall struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address"`
	// Township is the id of the place (level township) of the township or
	// street the hall is in: where a resident goes for a matter this kiosk
	// cannot do.
	Township string `json:"township"`
	// Nearby are other halls, nearest first: a kiosk under maintenance
	// sends residents to the first of them.
	Nearby []NearbyHall `json:"nearby,omitempty"`
}

// Place levels.
const (
	LevelCounty   = "county"   // 县政务服务中心
	LevelTownship = "township" // 乡镇（街道）便民服务中心
	LevelVillage  = "village"  // 村（社区）便民服务站
)

// Levels are the known place levels.
var Levels = []string{LevelCounty, LevelTownship, LevelVillage}

// Place is one of the county's staffed service places.
type Place struct {
	ID       string `json:"id"`
	Level    string `json:"level"`              // LevelTownship, LevelVillage or LevelCounty
	Name     string `json:"name"`               // "白沙镇便民服务中心", "白沙镇东白沙村便民服务站", "中牟县政务服务中心"
	Township string `json:"township,omitempty"` // a village station's township place id
	Address  string `json:"address"`
	Phone    string `json:"phone,omitempty"` // the place's own desk
	Hours    Hours  `json:"hours"`
}

// NearbyHall is another hall and how far it is.
type NearbyHall struct {
	ID     string `json:"id"`     // a hall id of this list
	Meters int    `json:"meters"` // walking or driving distance, roughly
}

// NearestHall returns the nearest other hall to the hall with id, and its
// distance in metres; ok is false when the list names none.
func (c *Catalog) NearestHall(id string) (h Hall, meters int, ok bool) {
	for _, own := range c.Halls {
		if own.ID != id {
			continue
		}
		for _, n := range own.Nearby {
			for _, other := range c.Halls {
				if other.ID == n.ID && other.ID != id {
					return other, n.Meters, true
				}
			}
		}
	}
	return Hall{}, 0, false
}

// Category groups matters on the home screen.
type Category struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Icon  string `json:"icon"` // a drawn icon's name: person, shield, car, shop, house, coin, heart, hospital, school, tax, home, hand
	Order int    `json:"order"`
}

// Kind is what a matter does.
type Kind string

const (
	KindQuery       Kind = "query"       // 查询: needs an answer now
	KindPrint       Kind = "print"       // 打印: a document printed on the receipt printer
	KindApply       Kind = "apply"       // 申请/办理: queued for the department
	KindCertify     Kind = "certify"     // 认证
	KindAppointment Kind = "appointment" // 预约
)

// Offline policy: what the kiosk does when the backend is unreachable.
const (
	OfflineQueue      = "queue"       // take it, queue it, print a "queued" receipt
	OfflineOnlineOnly = "online_only" // needs an answer now: say honestly it cannot be done
)

// Status of a matter.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
)

// Service is one self-service matter.
type Service struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ShortName    string `json:"short_name"`
	Category     string `json:"category"`
	Department   string `json:"department"`
	Kind         Kind   `json:"kind"`
	Description  string `json:"description"`
	NeedsIDCard  bool   `json:"needs_id_card"`
	NeedsPrinter bool   `json:"needs_printer"`
	// Where the matter can be done: WhereKiosk and the places and
	// channels of the county's other levels.
	Where []string `json:"where"`
	// Devices a kiosk needs for the matter (DeviceIDCard …); empty for a
	// matter not done at the kiosk. Validation keeps them in step with
	// needs_id_card, needs_printer, kind, payment, face_check and
	// identity_code.
	Devices []string `json:"devices"`
	// OnlineURL is the matter on the provincial government-service
	// website, shown as a QR code on the "本机不能办理" page.
	OnlineURL string `json:"online_url,omitempty"`
	// HomeVisit: the assisted-service team can do the matter at the
	// resident's home (你点餐，我上门; residents over 60, disabled
	// residents).
	HomeVisit bool   `json:"home_visit,omitempty"`
	Hours     Hours  `json:"hours"`
	FeeFen    int64  `json:"fee_fen"` // fee in fen (0.01 yuan); 0 is free
	FeeNote   string `json:"fee_note,omitempty"`
	// Payment: the matter takes money (a contribution, a fine, a bill);
	// the backend prices an order for it and the resident pays at the
	// kiosk before the matter is sent. A matter with a fee pays too.
	Payment bool `json:"payment,omitempty"`
	// IdentityCode: a resident may show an electronic ID code (豫事办电子
	// 身份证, on their phone) at the scanner instead of placing the card;
	// the backend says whom it names. Only for matters that need the card.
	IdentityCode bool `json:"identity_code,omitempty"`
	// FaceCheck: the resident's face is checked against the card's
	// identity by the backend (人脸识别, the yearly pension qualification
	// check) before the matter is sent; the kiosk needs a camera. Only
	// for matters that need the card, and never with an electronic ID
	// code (the card read is what the face is compared with).
	FaceCheck     bool     `json:"face_check,omitempty"`
	TimeLimitDays int      `json:"time_limit_days"` // legal time limit in working days; 0 = done on the spot (即办)
	Materials     []string `json:"materials"`
	Offline       string   `json:"offline"` // OfflineQueue or OfflineOnlineOnly
	Keywords      []string `json:"keywords"`
	Popularity    int      `json:"popularity"` // higher is more used
	Status        string   `json:"status"`     // StatusActive or StatusSuspended
	StatusMessage string   `json:"status_message,omitempty"`
	Form          []Field  `json:"form"`
	Receipt       Receipt  `json:"receipt"`
}

// Where a matter can be done.
const (
	WhereKiosk    = "kiosk"    // this county's self-service kiosks
	WhereTownship = "township" // the township (street) centre
	WhereVillage  = "village"  // the village (community) station
	WhereCounty   = "county"   // the county centre's windows
	WhereOnline   = "online"   // the provincial government-service website
	WhereApp      = "app"      // 豫事办, 郑好办, WeChat and Alipay mini-programs
)

// Wheres are the known places and channels, in display order.
var Wheres = []string{WhereKiosk, WhereTownship, WhereVillage, WhereCounty, WhereOnline, WhereApp}

// Devices a kiosk may need for a matter.
const (
	DeviceIDCard  = "id_card" // the ID card reader
	DevicePrinter = "printer" // the receipt printer
	DeviceA4      = "a4"      // the A4 printer
	DeviceCamera  = "camera"  // the face check's camera
	DeviceScanner = "scanner" // the code scanner (electronic ID code)
	DevicePayment = "payment" // paying at the kiosk
)

// DeviceNames are the known devices.
var DeviceNames = []string{DeviceIDCard, DevicePrinter, DeviceA4, DeviceCamera, DeviceScanner, DevicePayment}

// Hours says when a matter can be done at a kiosk. Always means 24 hours.
type Hours struct {
	Always  bool     `json:"always"`
	Windows []Window `json:"windows,omitempty"`
}

// Window is an opening window on some weekdays, in the county's local time.
type Window struct {
	Days []int  `json:"days"` // 1 Monday … 7 Sunday
	From string `json:"from"` // "08:30"
	To   string `json:"to"`   // "17:30"
}

// FieldType is the type of a form field.
type FieldType string

const (
	FieldText     FieldType = "text"
	FieldDigits   FieldType = "digits"
	FieldPhone    FieldType = "phone"
	FieldDate     FieldType = "date"
	FieldChoice   FieldType = "choice"
	FieldAmount   FieldType = "amount"    // yuan with up to two decimals
	FieldIDNumber FieldType = "id_number" // an ID number typed in (e.g. a family member's)
	FieldFromCard FieldType = "card"      // taken from the ID card, not typed
	// FieldTracking is one of the kiosk's own tracking numbers (办理编号,
	// K7QH 2M4X as a slip prints it): letters and digits, checked as
	// kiosk/txn reads them.
	FieldTracking FieldType = "tracking"
)

// Field is one field of a matter's form.
type Field struct {
	ID       string    `json:"id"`
	Label    string    `json:"label"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required"`
	MinLen   int       `json:"min_len,omitempty"`
	MaxLen   int       `json:"max_len,omitempty"`
	Pattern  string    `json:"pattern,omitempty"` // Go regexp, anchored by the validator
	Hint     string    `json:"hint,omitempty"`    // plain words shown under the field
	Choices  []Choice  `json:"choices,omitempty"`
	// CardField names the ID card field a "card" field takes, or that
	// prefills another field: name, id_number, sex, nation, birth, address,
	// issuer, valid_to.
	CardField string `json:"card_field,omitempty"`
	// Personal marks a field holding personal data (encrypted at rest,
	// masked on screens after entry, in logs and on kept receipts).
	Personal bool `json:"personal,omitempty"`
}

// Choice is one option of a choice field.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Receipt is a matter's receipt template. The kiosk always prints a header
// (hall, county, matter, date and time, kiosk) and a footer (tracking number,
// QR code, result or queued notice, hotline, "keep this receipt"); the
// template adds the matter's own lines between them.
type Receipt struct {
	Title string        `json:"title"`
	Lines []ReceiptLine `json:"lines"`
	Note  string        `json:"note,omitempty"` // printed before the footer, e.g. what happens next
}

// ReceiptLine is one "label: value" line.
type ReceiptLine struct {
	Label string `json:"label"`
	// Field is a form field id, or a card field (card.name, card.id_number),
	// or a result field (result.NAME) from the backend's reply.
	Field string `json:"field"`
	Mask  string `json:"mask"` // none, id, name, phone, address, all
}

// Masks a receipt line may use.
var ReceiptMasks = []string{"none", "id", "name", "phone", "address", "all"}
