package host_test

import (
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
)

// A resident who forgot the card shows the 豫事办 code; countysim, over
// mutual TLS, says whom it names; the matter goes out with that identity.
// The same code, shown again, is refused as used.
func TestIdentifiedByCodeThroughHost(t *testing.T) {
	r := newPayRig(t, countysim.Faults{})
	v := r.do(session.Start{}, session.ChooseService{ID: "jg-jsz-jf"}, session.Start{})
	if v.Screen != session.ScreenIdentify || !v.IDCode {
		t.Fatalf("identify screen: %s offers code %v", v.Screen, v.IDCode)
	}
	code := countysim.IdentityCode("410122195301011233", "王建国", time.Now())
	r.do(session.Scanned{Text: code})
	v = r.waitFor("the identity", func(v host.View) bool { return v.Session.Identity != nil }).Session
	if !v.Identity.FromCode || v.Identity.IDNumber == "410122195301011233" || !strings.HasPrefix(v.Identity.IDNumber, "4101") {
		t.Fatalf("identity %+v", v.Identity)
	}
	// Shown twice: refused, and the identity already verified stays.
	r.do(session.Scanned{Text: code})
	v = r.waitFor("the refusal", func(v host.View) bool { return strings.Contains(v.Session.Notice, "用过") }).Session
	if v.Identity == nil || !v.Identity.FromCode {
		t.Fatalf("the verified identity was lost: %+v", v)
	}
	r.do(session.ConfirmIdentity{}, session.Submit{})
	r.waitFor("the result", func(v host.View) bool { return v.Session.Result != nil })
	subs := r.ports.Snapshot().Subs
	if len(subs) != 1 || subs[0].ServiceID != "jg-jsz-jf" || subs[0].Person == nil ||
		subs[0].Person.IDNumber != "410122195301011233" || subs[0].Person.Proof != session.ProofIdentityCode {
		t.Fatalf("submitted %+v", subs)
	}
	if n := r.sim.IdentityCodesVerified(); n != 1 {
		t.Fatalf("countysim verified %d codes, want 1", n)
	}
}

// A forged code is refused by the backend and said so plainly.
func TestForgedCodeThroughHost(t *testing.T) {
	r := newPayRig(t, countysim.Faults{})
	r.do(session.Start{}, session.ChooseService{ID: "jg-jsz-jf"}, session.Start{})
	code := countysim.IdentityCode("410122195301011233", "王建国", time.Now())
	forged := strings.Replace(code, "410122195301011233", "410122195301011241", 1)
	r.do(session.Scanned{Text: forged})
	v := r.waitFor("the refusal", func(v host.View) bool { return strings.Contains(v.Session.Notice, "没有通过核验") }).Session
	if v.Identity != nil {
		t.Fatalf("a forged code identified %+v", v.Identity)
	}
}
