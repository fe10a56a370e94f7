package host

import (
	"context"
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
)

// Phone calls the assisted-service duty desk (小牟帮办) for a resident who
// is stuck: the hall's desk by day, the county's on-call desk at night,
// as the adapter's config says. Call returns once the call is placed and
// reports what happens to it through update (answered, ended) until it
// ends; HangUp ends the call on, ringing or answered.
type Phone interface {
	Call(ctx context.Context, update func(session.CallUpdate)) error
	HangUp(ctx context.Context) error
}

// callWait bounds placing and hanging up a call.
const callWait = 10 * time.Second

// phoneDo runs the phone's operations in the order the journey asked
// for them: a hang-up asked for while the call is being placed comes
// after it, so no call is left ringing.
func (h *Host) phoneDo(fn func(context.Context)) { h.enqueue(&h.phone, fn) }

// performCall carries out the call's effects; it reports whether fx was
// one.
func (h *Host) performCall(fx session.Effect) bool {
	p := h.o.Ports.Phone
	switch fx.(type) {
	case session.PlaceCall:
		if p == nil {
			h.Post(session.CallUpdate{Ended: true, Reason: "failed"})
			return true
		}
		h.phoneDo(func(ctx context.Context) {
			cctx, cancel := context.WithTimeout(ctx, callWait)
			defer cancel()
			if err := p.Call(cctx, func(u session.CallUpdate) { h.Post(u) }); err != nil {
				h.log.Warn("call to the duty desk not placed", "err", err)
				h.Post(session.CallUpdate{Ended: true, Reason: "failed"})
				return
			}
			h.log.Info("call to the duty desk placed")
		})
	case session.EndCall:
		if p == nil {
			return true
		}
		h.phoneDo(func(ctx context.Context) {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callWait)
			defer cancel()
			if err := p.HangUp(cctx); err != nil {
				h.log.Warn("hang up", "err", err)
			}
		})
	default:
		return false
	}
	return true
}
