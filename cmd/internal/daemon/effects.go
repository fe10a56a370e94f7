package daemon

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// HandleEffect performs one effect of the resident's session. It is called
// from the UI loop and never blocks: slow work runs in a goroutine and its
// outcome is posted back as an event.
func (d *Daemon) HandleEffect(ctx context.Context, eff session.Effect) {
	switch e := eff.(type) {
	case session.SubmitTx:
		d.setInSession(true)
		go d.submit(ctx, e)
	case session.Print:
		go d.print(ctx, e)
	case session.SendRating:
		go d.rate(ctx, e)
	case session.Light:
		if e.Pattern == session.LightBusy {
			d.setInSession(true)
		}
		if d.bank != nil {
			if err := d.bank.SetLight(e.Pattern); err != nil {
				d.log.Warn("status light", "pattern", e.Pattern, "err", err)
			}
		}
	case session.SessionEnded:
		d.setInSession(false)
		d.metrics.sessions.WithLabelValues(e.Reason).Inc()
		d.events.Add("session", "", "session ended: "+e.Reason, nil)
		if d.bank != nil {
			_ = d.bank.SetLight(gpio.PatternReady.Name)
		}
		d.tryApply()
	case session.Speak:
		// Spoken by the UI's voice player.
	default:
		d.log.Warn("unknown session effect", "effect", fmt.Sprintf("%T", eff))
	}
}

func (d *Daemon) setInSession(on bool) {
	d.mu.Lock()
	d.inSession = on
	d.mu.Unlock()
}

func (d *Daemon) submit(ctx context.Context, e session.SubmitTx) {
	tx := e.Tx
	defer tx.Wipe()
	svc := e.Service
	if svc != nil && tx.ServiceKind == "" {
		tx.ServiceKind = string(svc.Kind)
	}
	start := d.now()
	var (
		res txn.Result
		err error
	)
	switch {
	case svc != nil && svc.Offline == catalog.OfflineOnlineOnly:
		// Needs an answer now: ask the backend directly, and say honestly
		// when it cannot be reached. Nothing is queued.
		if d.client == nil {
			res = txn.Result{TxID: tx.ID, Outcome: txn.Unreached, Message: "暂时无法连接政务服务平台，请稍后再试或拨打服务热线"}
			break
		}
		cctx, cancel := context.WithTimeout(ctx, d.cfg.Backend.SubmitWait.Duration)
		res, err = d.client.Submit(cctx, tx)
		cancel()
		d.noteBackend(err)
		if err != nil {
			var be *backend.Error
			if errors.As(err, &be) && be.Permanent {
				res = txn.Result{TxID: tx.ID, Outcome: txn.Rejected, Message: be.Reason}
			} else {
				res = txn.Result{TxID: tx.ID, Outcome: txn.Unreached, Message: "暂时无法连接政务服务平台，此事项需要实时办理，请稍后再试或拨打服务热线"}
			}
			d.log.Warn("online-only matter not answered", "service", tx.ServiceID, "tx", tx.ID, "err", err)
			err = nil
		}
	default:
		// Committed to the outbox (fsync) before the resident is told;
		// the backend's answer if it comes in time, else "queued".
		res, err = d.ob.SubmitNow(ctx, tx, d.cfg.Backend.SubmitWait.Duration)
		if err != nil {
			d.log.Error("transaction could not be stored", "service", tx.ServiceID, "tx", tx.ID, "err", err)
		}
	}
	d.metrics.submits.WithLabelValues(string(res.Outcome)).Inc()
	d.log.Info("transaction", "service", tx.ServiceID, "tx", tx.ID, "outcome", res.Outcome, "tracking", res.TrackingNo, "took", d.now().Sub(start).Round(time.Millisecond))
	d.events.Add("session", "", fmt.Sprintf("transaction %s for %s: %s %s", tx.ID, tx.ServiceID, res.Outcome, res.TrackingNo), nil)
	d.postEvent(session.Submitted{Result: res, Err: err})
}

func (d *Daemon) print(ctx context.Context, e session.Print) {
	card := e.Card
	defer card.Wipe()
	defer clear(e.Fields)
	if d.printer == nil {
		d.postEvent(session.Printed{Err: errors.New("no printer configured")})
		return
	}
	var cp *identity.Card
	if card.Type != "" || card.Name != "" {
		cp = &card
	}
	doc, err := receipt.Compose(receipt.Input{
		Catalog: d.store.Active(), Service: e.Service, HallName: d.hallName(),
		KioskID: d.cfg.Kiosk.ID, Location: d.cfg.Kiosk.Location, Time: d.now(),
		Result: e.Result, Fields: maps.Clone(e.Fields), Card: cp, Elder: e.Elder,
	})
	if err != nil {
		d.log.Error("receipt template", "service", e.Service.ID, "err", err)
		d.postEvent(session.Printed{Err: err})
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	job, err := d.printer.Print(pctx, doc)
	if err != nil {
		d.log.Warn("receipt not fully printed", "job", job.ID, "err", err)
		d.events.Add("device", devices.Printer, fmt.Sprintf("receipt job %d %s: %v (kioskctl can reprint it)", job.ID, job.State, err), nil)
	} else {
		d.metrics.prints.Inc()
	}
	d.postEvent(session.Printed{Err: err})
}

func (d *Daemon) rate(ctx context.Context, e session.SendRating) {
	if d.client == nil {
		return
	}
	// A rating is never worth blocking a resident: a few tries, then let go.
	for i := 0; i < 3; i++ {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := d.client.Rate(cctx, e.TxID, e.Score)
		cancel()
		if err == nil {
			d.metrics.ratings.WithLabelValues(fmt.Sprint(e.Score)).Inc()
			return
		}
		d.log.Warn("rating not sent", "tx", e.TxID, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(i+1) * 5 * time.Second):
		}
	}
}
