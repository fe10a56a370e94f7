package backend_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
)

func TestVerifyIdentityCode(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	code := countysim.IdentityCode("410122195301011233", "王秀英", time.Now())
	id, err := e.cl.VerifyIdentityCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	c := id.Card()
	if id.Name != "王秀英" || id.IDNumber != "410122195301011233" || !c.IDNumberValid || c.Name != "王秀英" || id.Source == "" {
		t.Fatalf("identity %+v card %+v", id, c)
	}
	for _, tc := range []struct {
		name, code, reason string
	}{
		{"used", code, backend.CodeUsed},
		{"expired", countysim.IdentityCode("410122195301011233", "王秀英", time.Now().Add(-time.Hour)), backend.CodeExpired},
		{"forged", code[:len(code)-4] + "0000", backend.CodeInvalid},
		{"another code", "https://example.cn/not-an-id-code", backend.CodeInvalid},
	} {
		_, err := e.cl.VerifyIdentityCode(ctx, tc.code)
		var be *backend.Error
		if !errors.As(err, &be) || be.Reason != tc.reason || !be.Permanent {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := e.cl.VerifyIdentityCode(ctx, "short"); err == nil {
		t.Error("a short code was sent")
	}
	if n := e.sim.IdentityCodesVerified(); n != 1 {
		t.Errorf("countysim verified %d codes", n)
	}
}

func TestDecodeCodeIdentity(t *testing.T) {
	ok := `{"card_type":"resident","name":"王秀英","id_number":"410122195301011233","sex":"女","valid_to":"2036-01-01","source":"豫事办电子身份证"}`
	if _, err := backend.DecodeCodeIdentity(200, "application/json", []byte(ok), 0); err != nil {
		t.Fatalf("good reply refused: %v", err)
	}
	for _, bad := range []string{
		`{"card_type":"resident","name":"王秀英","id_number":"410122195301011234","source":"x"}`, // check digit
		`{"card_type":"foreign","name":"王秀英","id_number":"410122195301011233","source":"x"}`,
		`{"card_type":"resident","name":"","id_number":"410122195301011233","source":"x"}`,
		`{"card_type":"resident","name":"王\u0007英","id_number":"410122195301011233","source":"x"}`,
		`{"card_type":"resident","name":"王秀英","id_number":"410122195301011233","source":"x","sex":"?"}`,
		`{"card_type":"resident","name":"王秀英","id_number":"410122195301011233","source":"x"} trailing`,
		`{"card_type":"resident","name":"王秀英","id_number":"410122195301011233"}`,
	} {
		if _, err := backend.DecodeCodeIdentity(200, "application/json", []byte(bad), 0); !errors.Is(err, backend.ErrBadReply) {
			t.Errorf("accepted %s: %v", bad, err)
		}
	}
	if _, err := backend.DecodeCodeIdentity(200, "text/html", []byte(ok), 0); !errors.Is(err, backend.ErrBadReply) {
		t.Error("accepted text/html")
	}
	_, err := backend.DecodeCodeIdentity(http.StatusUnprocessableEntity, "application/problem+json",
		[]byte(`{"type":"about:blank","title":"x","status":422,"reason":"code_used","detail":"用过了"}`), 0)
	var be *backend.Error
	if !errors.As(err, &be) || be.Reason != backend.CodeUsed {
		t.Errorf("problem: %v", err)
	}
}

func FuzzDecodeCodeIdentity(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"card_type":"resident","name":"王秀英","id_number":"410122195301011233","source":"豫事办"}`))
	f.Add(422, "application/problem+json", []byte(`{"reason":"code_used"}`))
	f.Add(200, "application/json", []byte(`{"name":"\xff"}`))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		id, err := backend.DecodeCodeIdentity(status, ct, body, 0)
		if err == nil && (id.IDNumber == "" || id.Name == "" || id.CardType != "resident") {
			t.Fatalf("accepted an incomplete identity: %+v", id)
		}
	})
}
