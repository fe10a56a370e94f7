package session

import (
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
)

const eidCode = "YSBEID1.410122195303150022.5byg5Y-36Iqz.29400000.0123456789abcdef0123"

// codeCard is whom the backend says the code names: no address, no photo.
func codeCard() *identity.Card {
	return &identity.Card{Type: identity.ResidentID, Name: testName, Sex: "女", SexCode: "2",
		IDNumber: testID, IDNumberValid: true, LongTerm: true}
}

// toIdentify opens ss-record (it takes electronic ID codes) up to the
// identify screen, no card on the reader.
func toIdentify(h *harness) {
	h.t.Helper()
	h.do(Start{}, ChooseService{"ss-record"}, Start{})
	h.want(ScreenIdentify)
}

func TestIdentifiedByElectronicIDCode(t *testing.T) {
	h := newHarness(t)
	toIdentify(h)
	v := h.m.View()
	if !v.IDCode || v.IDCodeBusy || !strings.Contains(v.Prompt, "电子身份证") {
		t.Fatalf("the identify screen does not offer the code: %+v", v)
	}
	fx := h.do(Scanned{Text: eidCode})
	vc, ok := find[VerifyIdentityCode](fx)
	if !ok || vc.Code != eidCode {
		t.Fatalf("verify: %+v", fx)
	}
	if v := h.m.View(); !v.IDCodeBusy || !strings.Contains(v.Prompt, "正在核验") {
		t.Fatalf("busy view %+v", v)
	}
	// A second scan while the first is checked sends nothing.
	if _, ok := find[VerifyIdentityCode](h.do(Scanned{Text: eidCode})); ok {
		t.Fatal("verified twice at once")
	}
	h.do(IdentityVerified{Card: codeCard()})
	v = h.m.View()
	if v.Identity == nil || !v.Identity.FromCode || v.Identity.CardType != "电子身份证" || strings.Contains(v.Identity.IDNumber, "19530315") {
		t.Fatalf("identity view %+v", v.Identity)
	}
	if v.IDCodeBusy || !v.IDCode {
		t.Fatalf("after the answer: busy %v offered %v", v.IDCodeBusy, v.IDCode)
	}
	// A card removal is about the reader, not the code.
	h.do(ConfirmIdentity{}, CardRemoved{})
	h.want(ScreenForm)
	fx = h.do(FieldInput{"phone", "13800138000"}, FieldInput{"years", "1"}, Submit{}, Submit{})
	st, ok := find[SubmitTx](fx)
	if !ok || st.Tx.Person == nil || st.Tx.Person.IDNumber != testID || st.Tx.Person.Proof != ProofIdentityCode {
		t.Fatalf("submitted %+v", fx)
	}
}

func TestElectronicIDCodeRefusals(t *testing.T) {
	for _, tt := range []struct {
		refusal IDCodeRefusal
		want    string
	}{
		{IDCodeExpired, "过期"},
		{IDCodeUsed, "用过"},
		{IDCodeInvalid, "没有通过核验"},
		{IDCodeUnreached, "暂时无法核验"},
	} {
		t.Run(string(tt.refusal), func(t *testing.T) {
			h := newHarness(t)
			toIdentify(h)
			h.do(Scanned{Text: eidCode})
			fx := h.do(IdentityVerified{Refusal: tt.refusal})
			v := h.m.View()
			if v.Identity != nil || !strings.Contains(v.Notice, tt.want) {
				t.Fatalf("view %+v", v)
			}
			if _, ok := find[Speak](fx); !ok {
				t.Fatal("not said")
			}
			// The resident can try again.
			if _, ok := find[VerifyIdentityCode](h.do(Scanned{Text: eidCode})); !ok {
				t.Fatal("no second try")
			}
		})
	}
}

func TestElectronicIDCodeWhereNotWanted(t *testing.T) {
	t.Run("not a code", func(t *testing.T) {
		h := newHarness(t)
		toIdentify(h)
		fx := h.do(Scanned{Text: "你好 世界"})
		if _, ok := find[VerifyIdentityCode](fx); ok {
			t.Fatal("sent a code that is not one")
		}
		if !strings.Contains(h.m.View().Notice, "豫事办") {
			t.Fatalf("notice %q", h.m.View().Notice)
		}
	})
	t.Run("matter takes only the card", func(t *testing.T) {
		h := newHarness(t)
		h.do(Start{}, ChooseService{"subsidy"}, Start{})
		h.want(ScreenIdentify)
		if h.m.View().IDCode {
			t.Fatal("offered on a matter that takes only the card")
		}
		if _, ok := find[VerifyIdentityCode](h.do(Scanned{Text: eidCode})); ok {
			t.Fatal("verified on a matter that takes only the card")
		}
	})
	t.Run("scanner out of order", func(t *testing.T) {
		h := newHarness(t)
		h.devs[devices.KindScanner] = devices.Offline
		toIdentify(h)
		if v := h.m.View(); v.IDCode || strings.Contains(v.Prompt, "电子身份证") {
			t.Fatalf("offered without a scanner: %+v", v)
		}
	})
	t.Run("card already read", func(t *testing.T) {
		h := newHarness(t)
		toIdentify(h)
		h.do(CardPresent{testCard()})
		if h.m.View().IDCode {
			t.Fatal("offered with a card on the reader")
		}
		if _, ok := find[VerifyIdentityCode](h.do(Scanned{Text: eidCode})); ok {
			t.Fatal("verified with a card on the reader")
		}
	})
	t.Run("card placed while verifying", func(t *testing.T) {
		h := newHarness(t)
		toIdentify(h)
		h.do(Scanned{Text: eidCode}, CardPresent{testCard()})
		late := codeCard()
		h.do(IdentityVerified{Card: late})
		if v := h.m.View(); v.Identity == nil || v.Identity.FromCode {
			t.Fatalf("the code's answer replaced the card: %+v", v.Identity)
		}
		if late.IDNumber != "" || late.Name != "" {
			t.Fatal("the dropped identity was not wiped")
		}
	})
	t.Run("left before the answer", func(t *testing.T) {
		h := newHarness(t)
		toIdentify(h)
		h.do(Scanned{Text: eidCode}, Back{})
		late := codeCard()
		h.do(IdentityVerified{Card: late})
		if late.IDNumber != "" {
			t.Fatal("a late answer was kept")
		}
		h.do(Start{})
		h.want(ScreenIdentify)
		if h.m.View().Identity != nil {
			t.Fatal("a late answer identified the resident")
		}
	})
	t.Run("no card to remind of", func(t *testing.T) {
		h := newHarness(t)
		toIdentify(h)
		h.do(Scanned{Text: eidCode}, IdentityVerified{Card: codeCard()}, Cancel{})
		if v := h.m.View(); v.TakeCard || v.Identity != nil {
			t.Fatalf("after cancel: %+v", v)
		}
	})
}
