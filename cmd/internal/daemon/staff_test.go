package daemon

import (
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// TestStaffModeAgainstSimulatedWorld: a staff member opens 帮办模式 with
// the simulator's staff number and PIN (a wrong PIN first), the resident
// consents, and her matter reaches countysim with the staff member's
// number and the consent; the PIN is not in the log.
func TestStaffModeAgainstSimulatedWorld(t *testing.T) {
	d, _, logs := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.Help{}, session.OpenStaffMode{})
	s.waitScreen(session.ScreenStaffPIN, 5*time.Second)
	s.do(session.FieldInput{ID: session.StaffIDField, Value: SimStaffID}, session.FieldInput{ID: session.StaffPINField, Value: "9999"}, session.Submit{})
	s.waitFor("the wrong PIN", 10*time.Second, func(v session.View) bool { return v.Staff != nil && v.Staff.Error != "" && !v.Staff.Busy })
	s.do(session.FieldInput{ID: session.StaffPINField, Value: SimStaffPIN}, session.Submit{})
	s.waitScreen(session.ScreenConsent, 10*time.Second)
	s.do(session.Continue{})
	v := s.waitScreen(session.ScreenHome, 5*time.Second)
	if v.AssistedBy == "" {
		t.Fatal("no 帮办模式 banner")
	}
	s.do(session.ChooseService{ID: "sb-jfjl-cx"}, session.Start{})
	s.waitScreen(session.ScreenIdentify, 5*time.Second)
	if err := d.Sim().PlaceCard(idcardsim.Han); err != nil {
		t.Fatal(err)
	}
	s.waitFor("the card", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
	s.do(session.ConfirmIdentity{})
	v = s.waitFor("the form or confirm", 5*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenForm || v.Screen == session.ScreenConfirm
	})
	if v.Screen == session.ScreenForm {
		for _, f := range v.Form {
			if len(f.Choices) > 0 {
				s.do(session.FieldInput{ID: f.ID, Value: f.Choices[0].Value})
			}
		}
		s.do(session.Submit{})
		s.waitScreen(session.ScreenConfirm, 5*time.Second)
	}
	s.do(session.Submit{})
	s.waitFor("the result", 20*time.Second, func(v session.View) bool { return v.Result != nil })
	got, err := d.County().Transactions()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Assisted == nil || got[0].Assisted.StaffID != SimStaffID || got[0].Assisted.Consent != txn.ConsentSpoken {
		t.Fatalf("countysim holds %+v", got)
	}
	if strings.Contains(logs.String(), "9999") {
		t.Error("a typed PIN is in the log")
	}
}
