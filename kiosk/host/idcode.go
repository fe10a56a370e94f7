package host

import (
	"context"
	"errors"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/session"
)

// idCodeWait bounds the backend's answer about an electronic ID code: the
// resident is standing at the screen.
const idCodeWait = 15 * time.Second

// verifyIdentityCode has the backend say whom a scanned electronic ID code
// names. The code is sent once and never logged; the identity goes to the
// journey, which owns and wipes it.
func (h *Host) verifyIdentityCode(ctx context.Context, code string) session.IdentityVerified {
	p := h.o.Ports.IdentityCodes
	if p == nil {
		return session.IdentityVerified{Refusal: session.IDCodeUnreached}
	}
	ctx, cancel := context.WithTimeout(ctx, idCodeWait)
	defer cancel()
	id, err := p.VerifyIdentityCode(ctx, code)
	if err == nil {
		card := id.Card()
		id.Wipe()
		h.log.Info("electronic ID code verified")
		return session.IdentityVerified{Card: card}
	}
	ev := session.IdentityVerified{Refusal: idCodeRefusal(err)}
	if ev.Refusal == session.IDCodeUnreached {
		h.log.Warn("electronic ID code not verified: backend not reached", "err", err)
	} else {
		h.log.Info("electronic ID code refused", "refusal", string(ev.Refusal))
	}
	return ev
}

// idCodeRefusal reads the backend's refusal of a code; anything that is
// not a refusal (no answer, a bad answer) is "not reached".
func idCodeRefusal(err error) session.IDCodeRefusal {
	var be *backend.Error
	if !errors.As(err, &be) || !be.Permanent || be.Err != nil {
		return session.IDCodeUnreached
	}
	switch be.Reason {
	case backend.CodeExpired:
		return session.IDCodeExpired
	case backend.CodeUsed:
		return session.IDCodeUsed
	default:
		return session.IDCodeInvalid
	}
}
