package countysim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const codeID = "410122195301011233"

// Over mutual TLS: a fresh code names its resident once; shown again it
// is used; an old one has expired; a forged one is invalid. A matter that
// says its identity came from a code is taken only for an identity this
// kiosk had verified.
func TestIdentityCodes(t *testing.T) {
	s, c := startTLS(t)
	ctx := context.Background()
	code := countysim.IdentityCode(codeID, "王建国", time.Now())
	id, err := c.VerifyIdentityCode(ctx, code)
	if err != nil || id.IDNumber != codeID || id.Name != "王建国" || id.Sex != "男" {
		t.Fatalf("verify: %+v %v", id, err)
	}
	refusal := func(code string) string {
		t.Helper()
		_, err := c.VerifyIdentityCode(ctx, code)
		var be *backend.Error
		if !errors.As(err, &be) || be.Status != 422 || !be.Permanent {
			t.Fatalf("%q: %v, want a 422 refusal", code, err)
		}
		return be.Reason
	}
	if r := refusal(code); r != backend.CodeUsed {
		t.Errorf("shown twice: %s", r)
	}
	if r := refusal(countysim.IdentityCode(codeID, "王建国", time.Now().Add(-countysim.IdentityCodeLife-2*time.Minute))); r != backend.CodeExpired {
		t.Errorf("old: %s", r)
	}
	forged := countysim.IdentityCode("410122195301011241", "王建国", time.Now())
	forged = forged[:len(forged)-2] + "00"
	if r := refusal(forged); r != backend.CodeInvalid {
		t.Errorf("forged: %s", r)
	}
	if s.IdentityCodesVerified() != 1 {
		t.Errorf("verified %d", s.IdentityCodesVerified())
	}

	tx := newTx()
	tx.Person = &txn.Person{CardType: identity.ResidentID, Name: "王建国", IDNumber: codeID, Proof: "identity_code"}
	if _, err := c.Submit(ctx, tx); err != nil {
		t.Fatalf("a matter for the verified identity: %v", err)
	}
	other := newTx()
	other.Person = &txn.Person{CardType: identity.ResidentID, Name: "李秀英", IDNumber: "410122195303150022", Proof: "identity_code"}
	var be *backend.Error
	if _, err := c.Submit(ctx, other); !errors.As(err, &be) || be.Status != 422 || be.Reason != "refused" {
		t.Fatalf("a matter claiming an identity nobody verified: %v", err)
	}
}
