package daemon

import (
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/session"
)

// TestIdentityCodeAgainstSimulatedWorld: a resident without the card shows
// the 豫事办 code to the simulated scanner (its pty, the real serial code);
// countysim verifies it over mutual TLS; the query goes out with the
// identity marked as from a code, and countysim takes it. Neither the code
// nor the ID number is in the log.
func TestIdentityCodeAgainstSimulatedWorld(t *testing.T) {
	d, ctx, logs := startSimWith(t, Options{NoSimCUPS: true})
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "jg-jsz-jf"}, session.Start{})
	v := s.waitFor("the offer of the code", 10*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenIdentify && v.IDCode
	})
	if !strings.Contains(v.Prompt, "电子身份证") {
		t.Fatalf("prompt %q", v.Prompt)
	}
	cl := admin.NewClient(d.cfg.Admin.Socket)
	if err := cl.Do(ctx, "POST", "/v1/sim/scan", nil, admin.SimScanRequest{IdentityCode: idcardsim.Han}, nil); err != nil {
		t.Fatal(err)
	}
	v = s.waitFor("the identity", 15*time.Second, func(v session.View) bool { return v.Identity != nil })
	if !v.Identity.FromCode {
		t.Fatalf("identity %+v", v.Identity)
	}
	s.do(session.ConfirmIdentity{}) // the form has only the card's fields
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	s.do(session.Submit{})
	v = s.waitFor("the result", 20*time.Second, func(v session.View) bool { return v.Result != nil })
	txs, err := d.County().Transactions()
	if err != nil || len(txs) != 1 || txs[0].ServiceID != "jg-jsz-jf" || txs[0].Person == nil || txs[0].Person.Proof != "identity_code" {
		t.Fatalf("countysim transactions %+v, %v (result %+v)", txs, err, v.Result)
	}
	if n := d.County().IdentityCodesVerified(); n != 1 {
		t.Fatalf("countysim verified %d codes", n)
	}
	card, _ := idcardsim.Fixture(idcardsim.Han)
	if strings.Contains(logs.String(), card.IDNumber) || strings.Contains(logs.String(), "YSBEID1") {
		t.Error("the ID number or the code is in the log")
	}
	// A fixture that is not a resident card has no code.
	if err := cl.Do(ctx, "POST", "/v1/sim/scan", nil, admin.SimScanRequest{IdentityCode: "nobody"}, nil); err == nil {
		t.Error("an unknown fixture scanned")
	}
}
