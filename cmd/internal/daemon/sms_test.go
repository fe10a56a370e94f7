package daemon

import (
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/session"
)

// Paper runs out under a resident's slip: she asks for the tracking number
// by text message; it reaches the county backend with the phone she gave,
// and no log line holds the phone or her card in full.
func TestTrackingNumberBySMSWhenPaperRunsOut(t *testing.T) {
	d, _, logs := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "hz-jzz-qz"}, session.Start{})
	s.waitScreen(session.ScreenIdentify, 5*time.Second)
	if err := d.sim.PlaceCard(idcardsim.Han); err != nil {
		t.Fatal(err)
	}
	s.waitFor("identity", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
	const phone = "13912345678"
	s.do(session.ConfirmIdentity{}, session.FieldInput{ID: "phone", Value: phone}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	d.sim.pr.PaperOutAfter(100)
	s.do(session.Submit{})
	v := s.waitFor("the slip screen", 30*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenPrinting && v.Slip != nil
	})
	if v.Slip.SMSTo != "139****5678" || v.Result == nil || v.Result.TrackingNo == "" {
		t.Fatalf("paper out: %+v %+v", v.Slip, v.Result)
	}
	tracking := v.Result.TrackingNo
	s.do(session.RequestSMS{})
	v = s.waitFor("the text message", 20*time.Second, func(v session.View) bool {
		return v.Slip != nil && v.Slip.SMS != session.SMSSending && v.Slip.SMS != session.SMSNone
	})
	if v.Slip.SMS != session.SMSDone {
		t.Fatalf("text message %q: %q", v.Slip.SMS, v.Notice)
	}
	sent := d.County().SentSMS()
	if len(sent) != 1 || sent[0].Phone != phone || sent[0].TrackingNo != tracking || sent[0].KioskID != "test-kiosk-01" {
		t.Fatalf("countysim got %+v", sent)
	}
	if strings.Contains(logs.String(), phone) {
		t.Error("the phone is in the logs unmasked")
	}
	assertNoPersonalData(t, logs.String())
}

// Paper runs out and is put back while the resident waits: the slip screen
// offers 补打 once the printer says it has paper, and her reprint prints.
func TestResidentReprintsWhenPaperIsBack(t *testing.T) {
	d, _, _ := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "hz-jzz-qz"}, session.Start{})
	s.waitScreen(session.ScreenIdentify, 5*time.Second)
	if err := d.sim.PlaceCard(idcardsim.Han); err != nil {
		t.Fatal(err)
	}
	s.waitFor("identity", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
	s.do(session.ConfirmIdentity{}, session.FieldInput{ID: "phone", Value: "13912345678"}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	d.sim.pr.PaperOutAfter(100)
	s.do(session.Submit{})
	v := s.waitFor("the slip screen", 30*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenPrinting && v.Slip != nil
	})
	if v.Slip.Reprint {
		t.Fatal("reprint offered with no paper")
	}
	if err := d.sim.SetPrinter(admin.SimPrinterRequest{Paper: "ok"}); err != nil {
		t.Fatal(err)
	}
	s.waitFor("补打 offered", 15*time.Second, func(v session.View) bool { return v.Slip != nil && v.Slip.Reprint })
	s.do(session.Reprint{})
	s.waitFor("the slip", 30*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenResult && v.Printing == session.PrintTake
	})
	if n := len(d.sim.pr.Receipts()); n != 1 {
		t.Fatalf("%d whole receipts", n)
	}
}
