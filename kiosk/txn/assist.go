package txn

import "time"

// 小牟帮办 requests travel as transactions: the outbox keeps them through
// power cuts and days offline like any matter, the backend answers them
// idempotently by id, and the resident's ticket is the tracking number.
// Their ServiceKind is KindAssist and their ServiceID one of the ids
// below; the catalog lists no matter under these ids.
const (
	KindAssist = "assist"

	// AssistCallback: nobody answered the resident's call to the duty
	// desk; the desk calls the number left at the kiosk.
	// Fields: phone (personal), about (a matter id or ""), hall.
	AssistCallback = "xmbb.callback"

	// AssistHomeVisit: 你点餐，我上门. A resident over 60 or disabled (or a
	// family member for them) asks the team to come to their home.
	// Fields: name, phone, address (personal); township, village (place
	// ids of the catalog); for_service (a matter id); for_whom ("self" or
	// "family"); reason ("over60" or "disabled"); consent ("yes").
	AssistHomeVisit = "xmbb.home_visit"
)

// Result line keys of an assist request's answer (Result.Lines).
const (
	LineAssistPlace   = "assist_place"    // who will call: the place's name
	LineAssistPlaceID = "assist_place_id" // its catalog place id
	LineAssistPhone   = "assist_phone"    // its phone number
	LineCallBy        = "call_by"         // when they will have called, local time "2006-01-02 15:04"
)

// IsAssist reports whether t is a 小牟帮办 request rather than a matter.
func (t *Transaction) IsAssist() bool { return t.ServiceKind == KindAssist }

// Assisted records that a 帮办员 did the matter with the resident at the
// kiosk (帮办模式): who, and that the resident said yes after the kiosk
// read out what the staff member would see and do.
type Assisted struct {
	StaffID   string    `json:"staff_id"`
	Consent   string    `json:"consent"` // ConsentSpoken
	ConsentAt time.Time `json:"consent_at"`
}

// ConsentSpoken: the resident said yes aloud to the staff member's help
// after the kiosk read the consent out; the staff member confirmed it on
// the screen.
const ConsentSpoken = "spoken"
