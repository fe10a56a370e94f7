package host

import (
	"context"
	"errors"
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
)

// ErrNoHandwriting is the outcome of a recognition on a kiosk without a
// recogniser (the journey offers no pad then; this is a safety net).
var ErrNoHandwriting = errors.New("host: no handwriting recogniser on this kiosk")

// recognizeWait bounds one recognition (a few milliseconds normally).
const recognizeWait = 3 * time.Second

// recognize runs a recognition of the writing pad off the loop and posts
// its outcome. The strokes are the resident's writing: they are cleared
// once used, and never logged.
func (h *Host) recognize(e session.Recognize) {
	hw := h.o.Ports.Handwriting
	if hw == nil {
		h.Post(session.Recognized{Seq: e.Seq, Err: ErrNoHandwriting})
		return
	}
	h.goWork(func(ctx context.Context) {
		cctx, cancel := context.WithTimeout(ctx, recognizeWait)
		cands, err := hw.Recognize(cctx, e.Strokes)
		cancel()
		for _, s := range e.Strokes {
			clear(s)
		}
		if err != nil {
			h.log.Warn("handwriting not recognised", "strokes", len(e.Strokes), "err", err)
		}
		h.Post(session.Recognized{Seq: e.Seq, Candidates: cands, Err: err})
	})
}
