package backend

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// 小牟帮办 requests (txn.KindAssist) and 帮办模式 (txn.Assisted) as the
// contract states them (api/openapi.yaml, tag assist): the rules the
// backend judges a request by, which the kiosk checks before the resident
// leaves so that a request it keeps in the outbox is not refused later,
// and the reading of the backend's answer.

// Bounds of an assist request's free-text fields, in characters.
const (
	AssistMaxName    = 40  // 姓名 (names of minorities with ·  included)
	AssistMaxAddress = 100 // 详细地址
	AssistMaxStaffID = 32  // a 帮办员's staff id
)

// AssistClockSkew is how far in the future an Assisted.ConsentAt may lie
// (the kiosk's clock against the backend's) before it is refused.
const AssistClockSkew = 5 * time.Minute

// CallByLayout is how the call_by result line (txn.LineCallBy) writes the
// time by which the assisted-service team will have called, in county
// local time (catalog.Local).
const CallByLayout = "2006-01-02 15:04"

// ValidLandline reports whether s is a mainland landline with its area
// code: 010 or 02x, or four digits 03xx–09xx, then seven or eight digits
// not starting with 0 or 1, with or without a hyphen between
// (0371-62112345, 037162112345).
func ValidLandline(s string) bool {
	if len(s) < 4 || s[0] != '0' {
		return false
	}
	n := 4
	if s[1] == '1' || s[1] == '2' {
		n = 3
	} else if s[1] == '0' {
		return false
	}
	if !digits(s[:n]) {
		return false
	}
	local := s[n:]
	if len(local) > 0 && local[0] == '-' {
		local = local[1:]
	}
	return len(local) >= 7 && len(local) <= 8 && digits(local) && local[0] >= '2'
}

// ValidAssistPhone reports whether s is a number the assisted-service
// team can call back: a mobile (ValidMobile) or a landline with its area
// code (ValidLandline).
func ValidAssistPhone(s string) bool { return ValidMobile(s) || ValidLandline(s) }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Errors of CheckAssisted.
var (
	ErrAssistedStaff   = errors.New("backend: assisted: staff_id must be 1-32 of A-Z a-z 0-9 -")
	ErrAssistedConsent = errors.New(`backend: assisted: consent must be "spoken"`)
	ErrAssistedTime    = errors.New("backend: assisted: consent_at missing or in the future")
)

// CheckAssisted checks a transaction's 帮办模式 record as the backend does:
// a staff id of letters, digits and hyphens (at most AssistMaxStaffID),
// consent txn.ConsentSpoken, and consent_at set and not later than now
// plus AssistClockSkew. No record (nil) is fine: the resident did the
// matter alone.
func CheckAssisted(a *txn.Assisted, now time.Time) error {
	if a == nil {
		return nil
	}
	if a.StaffID == "" || len(a.StaffID) > AssistMaxStaffID {
		return ErrAssistedStaff
	}
	for i := 0; i < len(a.StaffID); i++ {
		c := a.StaffID[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return ErrAssistedStaff
		}
	}
	if a.Consent != txn.ConsentSpoken {
		return ErrAssistedConsent
	}
	if a.ConsentAt.IsZero() || a.ConsentAt.After(now.Add(AssistClockSkew)) {
		return ErrAssistedTime
	}
	return nil
}

// AgeOn returns the age in whole years on the day of at (county local
// time) of the holder of an 18-character ID number (a resident ID card,
// a Hong Kong, Macau or Taiwan residence permit, a foreign permanent
// resident card of 2023), whose characters 7 to 14 are the birth date.
// A birthday of 29 February counts from 1 March in other years. ok is
// false when the number carries no valid birth date or it lies after at.
func AgeOn(idNumber string, at time.Time) (age int, ok bool) {
	if len(idNumber) != 18 || !digits(idNumber[6:14]) {
		return 0, false
	}
	b, err := time.ParseInLocation("20060102", idNumber[6:14], catalog.Local())
	if err != nil {
		return 0, false
	}
	y, m, d := at.In(catalog.Local()).Date()
	age = y - b.Year()
	if m < b.Month() || m == b.Month() && d < b.Day() {
		age--
	}
	if age < 0 {
		return 0, false
	}
	return age, true
}

// AssistAnswer is what the backend's answer to an assist request says
// beside its message: who will call the resident (a place of the
// catalog), at which number they can be reached, and by when.
type AssistAnswer struct {
	Place   string    // the place's name, e.g. 白沙镇东白沙村便民服务站
	PlaceID string    // its catalog place id
	Phone   string    // its desk's number; "" when the place has none
	CallBy  time.Time // in county local time, to the minute
}

// DecodeAssistAnswer reads the routing out of a queued answer to an
// assist request (its result lines txn.LineAssistPlace, LineAssistPlaceID,
// LineAssistPhone, LineCallBy). Every line but the phone must be there
// once and the call-by time must be CallByLayout; an answer that is not
// queued says nothing of routing and is an error.
func DecodeAssistAnswer(res txn.Result) (AssistAnswer, error) {
	if res.Outcome != txn.Queued {
		return AssistAnswer{}, fmt.Errorf("backend: assist answer: outcome %q, want queued", trunc(string(res.Outcome)))
	}
	var a AssistAnswer
	var callBy string
	seen := map[string]bool{}
	for _, l := range res.Lines {
		var dst *string
		switch l.Key {
		case txn.LineAssistPlace:
			dst = &a.Place
		case txn.LineAssistPlaceID:
			dst = &a.PlaceID
		case txn.LineAssistPhone:
			dst = &a.Phone
		case txn.LineCallBy:
			dst = &callBy
		default:
			continue
		}
		if seen[l.Key] {
			return AssistAnswer{}, fmt.Errorf("backend: assist answer: line %s twice", l.Key)
		}
		seen[l.Key] = true
		if len(l.Value) > 200 || !utf8.ValidString(l.Value) {
			return AssistAnswer{}, fmt.Errorf("backend: assist answer: line %s not a short text", l.Key)
		}
		*dst = l.Value
	}
	switch {
	case a.Place == "":
		return AssistAnswer{}, errors.New("backend: assist answer: no assist_place")
	case a.PlaceID == "":
		return AssistAnswer{}, errors.New("backend: assist answer: no assist_place_id")
	case a.Phone != "" && !ValidAssistPhone(a.Phone) && !hotline(a.Phone):
		return AssistAnswer{}, fmt.Errorf("backend: assist answer: assist_phone %q is not a phone number", trunc(a.Phone))
	}
	t, err := time.ParseInLocation(CallByLayout, callBy, catalog.Local())
	if err != nil {
		return AssistAnswer{}, fmt.Errorf("backend: assist answer: call_by %q: want %s", trunc(callBy), CallByLayout)
	}
	a.CallBy = t
	return a, nil
}

// hotline reports whether s is a service hotline as catalogs write them:
// an area code, a hyphen and a short number (0371-12345), or a short
// number alone (12345).
func hotline(s string) bool {
	if len(s) >= 5 && len(s) <= 6 && digits(s) {
		return true
	}
	for i := 4; i <= 5 && i < len(s); i++ {
		if s[i-1] == '-' && s[0] == '0' && digits(s[:i-1]) && len(s)-i >= 5 && len(s)-i <= 6 && digits(s[i:]) {
			return true
		}
	}
	return false
}
