package session

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Event is something that happened: a resident's action, a device or
// daemon report, or the passing of time.
type Event interface{ isEvent() }

// Resident actions.
type (
	// Start begins: on the attract screen it opens home; on the guide it
	// begins the chosen matter.
	Start struct{}
	// ChooseCategory opens a category's list of matters.
	ChooseCategory struct{ ID string }
	// ChooseService opens a matter's guide.
	ChooseService struct{ ID string }
	// OpenSearch opens the search screen.
	OpenSearch struct{}
	// Back goes one step back.
	Back struct{}
	// Home returns to the home screen (abandoning a matter not yet submitted).
	Home struct{}
	// Help opens the help overlay.
	Help struct{}
	// CloseHelp closes the help overlay.
	CloseHelp struct{}
	// Continue extends the session from the inactivity dialog, or moves on
	// from the result and printing screens.
	Continue struct{}
	// ToggleElder switches elder mode (长辈模式) on or off.
	ToggleElder struct{}
	// SearchKey types one key (a–z, 0–9) into the search box.
	SearchKey struct{ R rune }
	// SearchBackspace deletes the last key of the search box.
	SearchBackspace struct{}
	// FieldFocus moves input focus to a form field.
	FieldFocus struct{ ID string }
	// FieldInput sets a form field's whole value.
	FieldInput struct{ ID, Value string }
	// ConfirmIdentity accepts the masked identity shown.
	ConfirmIdentity struct{}
	// Submit checks the form (on the form screen) or sends the matter (on
	// the confirm screen).
	Submit struct{}
	// Rate gives a rating from 5 (非常满意) down to 1 (非常不满意).
	Rate struct{ Score int }
	// SkipRating skips the rating.
	SkipRating struct{}
	// Finish leaves the done screen at once.
	Finish struct{}
	// Cancel ends the session.
	Cancel struct{}
)

// Device and daemon events.
type (
	// CardPresent: the reader has read a card. The Machine takes ownership
	// of Card and wipes it when the session ends.
	CardPresent struct{ Card *identity.Card }
	// CardRemoved: the card has left the reader.
	CardRemoved struct{}
	// DevicesChanged: some device's state changed; the Machine asks
	// Opts.DeviceState again.
	DevicesChanged struct{}
	// HelpButton: the cabinet's physical help button was pressed.
	HelpButton struct{}
	// Presence: the presence sensor saw someone.
	Presence struct{}
	// Submitted: the daemon's answer to a SubmitTx effect.
	Submitted struct {
		Result txn.Result
		Err    error
	}
	// Printed: the daemon's answer to a Print effect. Err wrapping a
	// paper-out condition should satisfy PaperOut (see Opts.IsPaperOut).
	Printed struct{ Err error }
	// Tick: time passed. Now is the current time (zero: Opts.Now).
	Tick struct{ Now time.Time }
	// Maintenance: a technician put the kiosk under maintenance or back.
	// Until, when set, is when they expect it to serve again (residents
	// are told; zero: not known).
	Maintenance struct {
		On    bool
		Until time.Time
	}
)

func (Start) isEvent()           {}
func (ChooseCategory) isEvent()  {}
func (ChooseService) isEvent()   {}
func (OpenSearch) isEvent()      {}
func (Back) isEvent()            {}
func (Home) isEvent()            {}
func (Help) isEvent()            {}
func (CloseHelp) isEvent()       {}
func (Continue) isEvent()        {}
func (ToggleElder) isEvent()     {}
func (SearchKey) isEvent()       {}
func (SearchBackspace) isEvent() {}
func (FieldFocus) isEvent()      {}
func (FieldInput) isEvent()      {}
func (ConfirmIdentity) isEvent() {}
func (Submit) isEvent()          {}
func (Rate) isEvent()            {}
func (SkipRating) isEvent()      {}
func (Finish) isEvent()          {}
func (Cancel) isEvent()          {}
func (CardPresent) isEvent()     {}
func (CardRemoved) isEvent()     {}
func (DevicesChanged) isEvent()  {}
func (HelpButton) isEvent()      {}
func (Presence) isEvent()        {}
func (Submitted) isEvent()       {}
func (Printed) isEvent()         {}
func (Tick) isEvent()            {}
func (Maintenance) isEvent()     {}

// isUserAction reports whether ev comes from the resident's hand.
func isUserAction(ev Event) bool {
	switch ev.(type) {
	case Start, ChooseCategory, ChooseService, OpenSearch, Back, Home, Help, CloseHelp,
		Continue, ToggleElder, SearchKey, SearchBackspace, FieldFocus, FieldInput,
		ConfirmIdentity, Submit, Rate, SkipRating, Finish, Cancel,
		VolumeUp, VolumeDown, ToggleVoice, PinyinKey, PinyinBackspace, PickCandidate, CandidatePage,
		UseHandwriting, Stroke, ClearPad, PadDone, PrintDocument, ReprintDocument, ConfirmPayment, PayAgain, FaceBegin,
		CallDesk, HangUp, RequestCallback, RequestHomeVisit, OpenStaffMode, StaffKey:
		return true
	}
	return false
}
