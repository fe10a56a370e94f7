package host

import (
	"context"
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techmode"
)

// The technician mode over the resident's journey.
//
// While the mode is open the journey is held on its maintenance screen:
// a card placed for the card-read test cannot start a session beneath.
// The operator's maintenance wish (SetMaintenance) is kept apart and
// applied when the mode closes, so a crash or a timeout of the mode can
// never leave the kiosk stuck in maintenance.

// techRequestTimeout bounds one technician request (a self-test, a card
// read test, a test print).
const techRequestTimeout = time.Minute

// techAllowed: the screens on which the mode may open. None is in the
// middle of a resident's matter.
func techAllowed(s session.Screen) bool {
	switch s {
	case session.ScreenAttract, session.ScreenHome, session.ScreenOutOfService, session.ScreenMaintenance:
		return true
	}
	return false
}

func (h *Host) techOpen() bool { return h.tech != nil && h.tech.IsOpen() }

// techEvent feeds the mode, runs its requests off the loop and hands the
// screen over between the mode and the journey.
func (h *Host) techEvent(ev techmode.Event) {
	if h.tech == nil {
		return
	}
	for _, r := range h.tech.Handle(ev) {
		h.goWork(func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, techRequestTimeout)
			defer cancel()
			h.Post(techmode.Run(ctx, h.o.Technician, r))
		})
	}
	switch open := h.tech.IsOpen(); {
	case open && !h.techWas:
		h.techWas = true
		h.log.Info("technician mode opened")
		h.session(session.Maintenance{On: true})
	case !open && h.techWas:
		h.techWas = false
		h.log.Info("technician mode closed")
		h.session(session.Maintenance{On: h.maint, Until: h.until})
	}
}
