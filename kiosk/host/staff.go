package host

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techauth"
)

// Staff checks a 小牟帮办 staff member's number and PIN for 帮办模式
// (bcrypt hashes in the config, a lockout after wrong PINs): nil, or an
// error wrapping techauth.ErrWrongPIN, techauth.ErrLocked (locked says
// for how long) or techauth.ErrNoPIN.
type Staff interface {
	CheckStaff(id, pin string) (locked time.Duration, err error)
}

// performStaff carries out a staff check off the journey's loop (bcrypt
// takes a while on the kiosk's board); it reports whether fx was one.
// Neither the PIN nor the outcome's detail is logged.
func (h *Host) performStaff(fx session.Effect) bool {
	e, ok := fx.(session.CheckStaff)
	if !ok {
		return false
	}
	p := h.o.Ports.Staff
	if p == nil {
		h.Post(session.StaffChecked{ID: e.ID, Err: session.StaffNone})
		return true
	}
	h.goWork(func(context.Context) {
		locked, err := p.CheckStaff(e.ID, e.PIN)
		r := session.StaffChecked{ID: e.ID}
		switch {
		case err == nil:
			h.log.Info("帮办模式 opened", "staff", e.ID)
		case errors.Is(err, techauth.ErrLocked):
			r.Err, r.Wait = session.StaffLocked, minutesWords(locked)
			h.log.Warn("帮办模式: staff number locked after wrong PINs", "staff", e.ID)
		case errors.Is(err, techauth.ErrNoPIN):
			r.Err = session.StaffNone
		default:
			r.Err = session.StaffWrong
			h.log.Warn("帮办模式: wrong staff number or PIN", "staff", e.ID)
		}
		h.Post(r)
	})
	return true
}

// minutesWords is a lockout's length as a resident reads it (5分钟).
func minutesWords(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("%d分钟", max(m, 1))
}
