package session

import (
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/scancode"
)

// Electronic ID codes (电子身份证). A resident who came without the card
// opens the provincial app (豫事办) and shows its ID code at the scanner,
// on the identify screen of a matter that allows it (catalog
// identity_code). The code is validated as a code, then sent once to the
// backend (VerifyIdentityCode → IdentityVerified), which says whom it
// names; the identity is then shown masked and confirmed exactly as a
// card's. Nobody is on the reader, so a card removal does not touch it, and
// there is no card to remind the resident of at the end.

// IDCodeRefusal is why the backend did not accept a code.
type IDCodeRefusal string

// Refusals of an electronic ID code.
const (
	IDCodeAccepted  IDCodeRefusal = ""
	IDCodeInvalid   IDCodeRefusal = "invalid"   // not a genuine code
	IDCodeExpired   IDCodeRefusal = "expired"   // shown too long ago: refresh it
	IDCodeUsed      IDCodeRefusal = "used"      // already used once
	IDCodeUnreached IDCodeRefusal = "unreached" // no answer from the backend
)

// IdentityVerified answers VerifyIdentityCode: Card is whom the code names
// (the Machine takes ownership and wipes it), or Refusal says why not.
type IdentityVerified struct {
	Card    *identity.Card
	Refusal IDCodeRefusal
}

// VerifyIdentityCode asks the host to have the backend verify a scanned
// electronic ID code and to post IdentityVerified. Code is personal and
// single-use: the host sends it once and forgets it.
type VerifyIdentityCode struct{ Code string }

func (IdentityVerified) isEvent()    {}
func (VerifyIdentityCode) isEffect() {}

// ProofIdentityCode is txn.Person.Proof for an identity from an electronic
// ID code.
const ProofIdentityCode = "identity_code"

// offersIDCode: the identify screen takes an electronic ID code now.
func (m *Machine) offersIDCode() bool {
	return m.o.IdentityCodes && m.screen == ScreenIdentify && m.svc != nil && m.svc.IdentityCode && m.svc.NeedsIDCard &&
		(m.card == nil || m.cardFromCode && !m.confirmed) &&
		m.deviceUsable(devices.KindScanner) && m.deviceUsable(devices.KindBackend)
}

// scannedIDCode takes a code scanned on the identify screen.
func (m *Machine) scannedIDCode(text string, fx *effects) {
	if m.idVerifying {
		return // one at a time; the first is being verified
	}
	if err := scancode.ValidateCertificate(text); err != nil {
		m.notice = "没有认出这个二维码。请打开豫事办，点「电子身份证」，把二维码对准扫码窗口。"
		m.rev++
		fx.add(Speak{m.notice})
		return
	}
	m.idVerifying, m.notice = true, ""
	m.rev++
	fx.add(VerifyIdentityCode{Code: text}, Light{LightBusy}, Speak{"正在核验电子身份证，请稍候"})
}

// identityVerified takes the backend's answer about a code.
func (m *Machine) identityVerified(e IdentityVerified, fx *effects) {
	if !m.idVerifying || m.screen != ScreenIdentify || (m.card != nil && !m.cardFromCode) {
		// The resident left, or placed the card meanwhile: the card wins.
		m.idVerifying = false
		e.Card.Wipe()
		return
	}
	m.idVerifying = false
	m.activity, m.warned = m.now, false
	m.rev++
	if e.Card == nil || e.Refusal != IDCodeAccepted {
		e.Card.Wipe()
		switch e.Refusal {
		case IDCodeExpired:
			m.notice = "电子身份证二维码已过期。请在手机上刷新二维码后再扫。"
		case IDCodeUsed:
			m.notice = "这个二维码已经用过了。请在手机上刷新二维码后再扫。"
		case IDCodeUnreached:
			m.notice = "暂时无法核验电子身份证。请放置身份证，或稍后再试。"
		default:
			m.notice = "电子身份证没有通过核验。请放置身份证，或拨打帮办电话。"
		}
		fx.add(Speak{m.notice}, Light{LightAttention})
		return
	}
	m.wipeCard()
	m.card, m.cardFromCode, m.confirmed, m.notice = e.Card, true, false, ""
	if p := cardProblem(m.card, m.now); p != "" {
		fx.add(Speak{p})
	} else {
		fx.add(Speak{"请核对您的身份信息，无误请点确认"}, Light{LightReady})
	}
}
