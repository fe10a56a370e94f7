package session

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Screen names a screen of the journey.
type Screen string

// The screens.
const (
	ScreenAttract      Screen = "attract"
	ScreenHome         Screen = "home"
	ScreenCategory     Screen = "category"
	ScreenSearch       Screen = "search"
	ScreenGuide        Screen = "guide"
	ScreenIdentify     Screen = "identify"
	ScreenForm         Screen = "form"
	ScreenConfirm      Screen = "confirm"
	ScreenSubmitting   Screen = "submitting"
	ScreenResult       Screen = "result"
	ScreenPrinting     Screen = "printing"
	ScreenRating       Screen = "rating"
	ScreenDone         Screen = "done"
	ScreenOutOfService Screen = "out_of_service"
	ScreenMaintenance  Screen = "maintenance"
)

// Screens lists every screen, in journey order.
var Screens = []Screen{ScreenAttract, ScreenHome, ScreenCategory, ScreenSearch, ScreenGuide,
	ScreenElsewhere, ScreenIdentify, ScreenFace, ScreenForm, ScreenConfirm, ScreenPayment, ScreenSubmitting, ScreenDocument, ScreenResult, ScreenPrinting,
	ScreenRating, ScreenDone, ScreenOutOfService, ScreenMaintenance, ScreenStaffPIN, ScreenConsent}

// View is a plain snapshot of what the screen shows. It holds no pointers
// into the Machine. Personal values from the card appear masked (the name
// as 王*兰, mask.NameOnScreen); what the resident typed on the form is shown
// as typed on the form and confirm screens, so she can check it.
type View struct {
	Rev    uint64 // changes whenever anything shown changes
	Screen Screen
	Elder  bool
	Dim    bool // attract at night with nobody near

	HallName string
	Hotline  string
	Clock    time.Time // local time, to the minute

	Title  string // the screen's heading
	Prompt string // the instruction, also spoken
	Notice string // a one-off message (card removed, paper out, …)

	Categories []CategoryItem // home
	Popular    []ServiceItem  // home: the most used matters
	Services   []ServiceItem  // category and search results
	Query      string         // search box

	Guide    *Guide    // guide, identify, form, confirm: the chosen matter
	Identity *Identity // identify (confirm step), form, confirm
	// IDCode: the identify screen takes an electronic ID code (豫事办电子
	// 身份证) at the scanner as well as the card; IDCodeBusy: one is being
	// verified.
	IDCode, IDCodeBusy bool
	Form               []FieldView
	Focus              string   // id of the focused field
	Summary            []Line   // confirm
	Result             *Outcome // result, printing, rating
	Printing           PrintState
	// Document is the A4 document of a print matter (ScreenDocument).
	Document *DocumentView
	// Payment is the payment stage of a payment matter (ScreenPayment).
	Payment *PaymentView
	// Face is the face check of a face_check matter (ScreenFace).
	Face    *FaceView
	Ratings []RatingChoice

	// Slip: what can be done about a slip that did not print (paper out,
	// a printer fault, or no printer for a matter that gives one).
	Slip *SlipHelp
	// CanRetry: the result screen offers 重试, sending the same
	// transaction again (same id: the backend never takes it twice).
	CanRetry bool

	// Card is what the card reader knows of the card: on the reader, not,
	// or it cannot tell. CardLeft: a card was left on the reader after a
	// session (attract reminds by voice and lamp until it is taken).
	Card     CardState
	CardLeft bool
	// TakeCard: the done screen reminds the resident of her card (it is
	// on the reader, or the reader cannot tell after she used one).
	TakeCard bool

	// Maintenance and out of service: when the kiosk expects to serve
	// again (zero: not known), the same in words (预计今天 15:30 恢复服务,
	// 请稍后再来), and the nearest other hall.
	Until  time.Time
	Back   string
	Nearby *NearbyHall

	// Voice guidance: on or off, and the volume (VolumeLevel of
	// VolumeLevels; Volume = VolumeLevel / VolumeLevels).
	Voice       bool
	Volume      float64
	VolumeLevel int

	// Pinyin entry for the focused text field: the letters typed, the
	// candidates for them (characters and words, then the letters
	// themselves) and the first candidate shown.
	Pinyin     string
	Candidates []string
	CandFrom   int

	// Handwriting entry for the focused text field, where the kiosk has a
	// recogniser: HandwritingOffered shows the 拼音/手写 switch;
	// Handwriting shows the writing pad in the keyboard's place, with the
	// strokes written so far (pad coordinates, 0..PadSize) and the
	// recognised characters as Candidates.
	HandwritingOffered bool
	Handwriting        bool
	Strokes            [][]Point

	CardOnReader bool
	Countdown    int // done: seconds left

	// Elsewhere is the 本机不能办理 page of a matter (ScreenElsewhere).
	Elsewhere *ElsewhereView
	// Staff is 帮办模式's staff number and PIN, or the consent
	// (ScreenStaffPIN, ScreenConsent); AssistedBy is the banner shown on
	// every screen of a session in 帮办模式 ("帮办模式 · 工号0101").
	Staff      *StaffView
	AssistedBy string

	Help    *HelpView    // the help overlay, when open
	Timeout *TimeoutView // the inactivity dialog, when shown
}

// CategoryItem is a home tile.
type CategoryItem struct {
	ID, Name, Icon string
}

// ServiceItem is one row of a list of matters.
type ServiceItem struct {
	ID, Name, Department string
	Kind                 catalog.Kind
	Available            bool
	Reason               string // why not, in plain words
}

// Guide is the matter's one-time notice (一次性告知).
type Guide struct {
	ID, Name, Department, Description string
	Kind                              catalog.Kind
	Materials                         []string
	Fee                               string
	TimeLimit                         string
	Hours                             string
	NeedsIDCard, NeedsPrinter         bool
	Available                         bool
	Reason                            string
}

// Identity is the masked identity shown for confirmation.
type Identity struct {
	Name, IDNumber, Sex, CardType string
	Problem                       string // why the card cannot be used, or ""
	FromCode                      bool   // from an electronic ID code, not a card on the reader
}

// FieldView is one form field.
type FieldView struct {
	ID, Label, Hint string
	Type            catalog.FieldType
	Required        bool
	ReadOnly        bool // taken from the ID card
	Personal        bool
	Value           string // as typed; card fields masked
	Error           string // in plain words, beside the field
	// Optional fields may be left empty: Mark is WordOptional (选填) then,
	// for the screen to show beside the label.
	Optional bool
	Mark     string
	// Draft: the digits typed so far for a date (DateDigits), before
	// they make a whole date; Value is the date once they do.
	Draft   string
	Choices []catalog.Choice
	MaxLen  int
}

// Line is a label and value.
type Line struct{ Label, Value string }

// Outcome is the transaction's result as shown.
type Outcome struct {
	Outcome    txn.Outcome
	Title      string
	Message    string
	TrackingNo string
	// Tracking is the tracking number written for reading, in groups
	// (K7QH 2M4X): show it large.
	Tracking string
	TrackURL string
	Lines    []Line
	// Next says what happens next and when, in plain words (the
	// department's time limit as a date, how the result is told).
	Next string
}

// SlipHelp is what the resident can do when the slip did not print.
type SlipHelp struct {
	// Reprint: the printer works again, 补打凭条 can be tapped.
	// WaitPaper: the printer has no paper; a reprint is offered once the
	// printer says it has paper again.
	Reprint, WaitPaper bool
	// SMSTo is the phone number given on the form, masked (138****5678),
	// to which the tracking number can be sent by text message; "" when
	// the form had none.
	SMSTo string
	SMS   SMSState
}

// SMSState is how the text message of the tracking number is going.
type SMSState string

// Text message states.
const (
	SMSNone    SMSState = ""
	SMSSending SMSState = "sending"
	SMSDone    SMSState = "sent"
	SMSFailed  SMSState = "failed"
)

// NearbyHall is another hall a resident can go to.
type NearbyHall struct {
	Name, Address string
	Distance      string // in words: 约 1.8 公里, 约 600 米
}

// PrintState is the printing screen's state.
type PrintState string

// Printing states.
const (
	PrintNone     PrintState = ""
	PrintBusy     PrintState = "busy"
	PrintTake     PrintState = "take"
	PrintPaperOut PrintState = "paper_out"
	PrintFailed   PrintState = "failed"
)

// RatingChoice is one level of the five-level review.
type RatingChoice struct {
	Score int
	Label string
}

// Ratings are the national five-level review of government services.
var Ratings = []RatingChoice{{5, "非常满意"}, {4, "满意"}, {3, "基本满意"}, {2, "不满意"}, {1, "非常不满意"}}

// HelpView is the help overlay.
type HelpView struct {
	Hotline   string
	AssistURL string // encode as a QR code
	Text      string
	// AssistName is the assisted-service team's name (小牟帮办).
	AssistName string
	// CanCall offers 呼叫帮办; Call is the call under way or just over.
	CanCall bool
	Call    *CallView
	// CanHomeVisit offers 上门服务 (RequestHomeVisit).
	CanHomeVisit bool
	// CanStaff offers 帮办模式 (OpenStaffMode), for the hall's staff.
	CanStaff bool
}

// TimeoutView is the inactivity dialog.
type TimeoutView struct {
	Seconds   int  // left before the session ends
	CanExtend bool // false after the last allowed extension
	Extended  int  // extensions used
}
