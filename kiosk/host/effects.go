package host

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// ErrNoPrinter is the outcome of a print on a kiosk without a printer.
var ErrNoPrinter = errors.New("host: no receipt printer on this kiosk")

// rateTries: a rating is never worth blocking a resident, so it is tried
// a few times in the background (Opts.RateRetry apart, growing) and then
// let go.
const rateTries = 3

func isPaperOut(err error) bool { return errors.Is(err, ErrPaperOut) }

// perform carries out one effect of the journey. Quick ones happen here;
// slow ones run off the loop and post their outcome back.
func (h *Host) perform(fx session.Effect) {
	switch e := fx.(type) {
	case session.SubmitTx:
		h.goWork(func(ctx context.Context) { h.Post(h.submit(ctx, e)) })
	case session.Print:
		doc, err := h.compose(e)
		if err != nil {
			h.log.Error("receipt template", "service", serviceID(e.Service), "err", err)
			h.Post(session.Printed{Err: err})
			return
		}
		h.goWork(func(ctx context.Context) { h.Post(h.print(ctx, doc)) })
	case session.SendSMS:
		h.goWork(func(ctx context.Context) { h.Post(h.sendSMS(ctx, e)) })
	case session.SendRating:
		if h.o.Ports.Backend != nil {
			h.goWork(func(ctx context.Context) { h.rate(ctx, e) })
		}
	case session.Light:
		h.setLight(e.Pattern)
	case session.Speak:
		if v := h.o.Ports.Voice; v != nil {
			v.Say(e.Text)
		}
	case session.Sound:
		if v := h.o.Ports.Voice; v != nil {
			if e.Default {
				v.Reset()
			} else {
				v.Set(e.Volume, e.Voice)
			}
		}
	case session.FetchDocument:
		h.docs = append(h.docs, e.TxID)
		h.goWork(func(ctx context.Context) { h.Post(h.fetchDocument(ctx, e)) })
	case session.PrintA4:
		h.goWork(func(ctx context.Context) { h.Post(h.printA4(ctx, e)) })
	case session.VerifyIdentityCode:
		h.goWork(func(ctx context.Context) { h.Post(h.verifyIdentityCode(ctx, e.Code)) })
	case session.SlotLight:
		h.setSlotLight(e.On)
	case session.Recognize:
		h.recognize(e) // handwriting.go
	case session.SessionEnded:
		if j := h.o.Ports.Journal; j != nil {
			j.SessionEnded(e.Reason)
		}
		if v := h.o.Ports.Voice; v != nil {
			v.Reset()
		}
		h.releaseDocuments()
		h.setLight(session.LightReady)
	default:
		if h.performPayment(fx) || h.performFace(fx) || h.performCall(fx) || h.performStaff(fx) {
			return
		}
		h.log.Warn("unknown session effect", "effect", fmt.Sprintf("%T", fx))
	}
}

// submit sends one transaction the way its matter allows and returns the
// event that tells the journey the outcome.
func (h *Host) submit(ctx context.Context, e session.SubmitTx) session.Submitted {
	tx := e.Tx
	defer tx.Wipe()
	if e.Service != nil && tx.ServiceKind == "" {
		tx.ServiceKind = string(e.Service.Kind)
	}
	start := h.clk.Now()
	var (
		res txn.Result
		err error
	)
	switch {
	case tx.PaymentOrder != "":
		// Paid: the matter must reach the backend whatever happens now,
		// so it goes through the outbox like a queued one, online-only or
		// not; the payer then watches it to completion or refund.
		res, err = h.submitQueued(ctx, tx)
		if err == nil && h.o.Ports.Payments != nil {
			if perr := h.o.Ports.Payments.Submitted(context.WithoutCancel(ctx), tx.ID); perr != nil {
				h.log.Error("paid transaction not marked submitted; the payer resolves it", "tx", tx.ID, "err", perr)
			}
		}
	case e.Service != nil && e.Service.OnlineOnly():
		res = h.submitOnline(ctx, tx)
	default:
		res, err = h.submitQueued(ctx, tx)
	}
	if j := h.o.Ports.Journal; j != nil {
		j.Submitted(tx, res, h.clk.Now().Sub(start), err)
	}
	return session.Submitted{Result: res, Err: err}
}

// submitOnline: the matter needs an answer now, so the backend is asked
// directly and nothing is queued; when it cannot be reached the outcome
// says so and the journey tells the resident honestly (its wording lives
// with the screens, in kiosk/session).
func (h *Host) submitOnline(ctx context.Context, tx txn.Transaction) txn.Result {
	b := h.o.Ports.Backend
	if b == nil {
		return txn.Result{TxID: tx.ID, Outcome: txn.Unreached}
	}
	cctx, cancel := context.WithTimeout(ctx, h.o.SubmitWait)
	defer cancel()
	res, err := b.Submit(cctx, tx)
	if err == nil {
		return res
	}
	var rej *Rejection
	if errors.As(err, &rej) {
		return txn.Result{TxID: tx.ID, Outcome: txn.Rejected, Message: rej.Reason}
	}
	h.log.Warn("online-only matter not answered", "service", tx.ServiceID, "tx", tx.ID, "err", err)
	return txn.Result{TxID: tx.ID, Outcome: txn.Unreached}
}

// submitQueued commits the transaction to the outbox (fsync) before the
// resident is told anything; the backend's answer if it comes in time,
// else "queued".
func (h *Host) submitQueued(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
	ob := h.o.Ports.Outbox
	if ob == nil {
		return txn.Result{TxID: tx.ID}, errors.New("host: submit: no outbox")
	}
	res, err := ob.SubmitNow(ctx, tx, h.o.SubmitWait)
	if err != nil {
		h.log.Error("transaction could not be stored", "service", tx.ServiceID, "tx", tx.ID, "err", err)
	}
	return res, err
}

// compose builds the receipt from the catalog's template. It runs on the
// loop: it reads the active catalog, which changes only between sessions.
func (h *Host) compose(e session.Print) (receipt.Doc, error) {
	card := e.Card
	defer card.Wipe()
	defer clear(e.Fields)
	var cp *identity.Card
	if card.Type != "" || card.Name != "" {
		c := card
		cp = &c
		defer c.Wipe()
	}
	var cat *catalog.Catalog
	if h.o.Session.Catalog != nil {
		cat = h.o.Session.Catalog()
	}
	if e.Person != nil {
		defer func() { *e.Person = txn.Person{} }()
	}
	return receipt.Compose(receipt.Input{
		Catalog: cat, Service: e.Service, HallName: h.o.Session.HallName,
		KioskID: h.o.Session.KioskID, Location: h.o.Location, Time: h.clk.Now(),
		Result: e.Result, Fields: maps.Clone(e.Fields), Card: cp, Elder: e.Elder,
		Person: e.Person, Zone: h.o.Session.Location, A4Pages: e.A4Pages, A4Code: e.A4Code,
		Payment: slipPayment(e.Paid),
	})
}

// smsWait bounds one text message: the resident is waiting for it.
const smsWait = 20 * time.Second

// sendSMS sends the tracking number by text message through the SMS port
// and returns the event that tells the journey.
func (h *Host) sendSMS(ctx context.Context, e session.SendSMS) session.SMSSent {
	s := h.o.Ports.SMS
	if s == nil {
		return session.SMSSent{Err: session.ErrNoSMS}
	}
	cctx, cancel := context.WithTimeout(ctx, smsWait)
	defer cancel()
	err := s.SendTrackingSMS(cctx, e.Phone, e.TrackingNo)
	if err != nil {
		h.log.Warn("tracking number not sent by text message", "tracking", e.TrackingNo, "err", err)
	}
	return session.SMSSent{Err: err}
}

func (h *Host) print(ctx context.Context, doc receipt.Doc) session.Printed {
	p := h.o.Ports.Printer
	err := ErrNoPrinter
	if p != nil {
		pctx, cancel := context.WithTimeout(ctx, h.o.PrintWait)
		err = p.PrintReceipt(pctx, doc)
		cancel()
	}
	if j := h.o.Ports.Journal; j != nil {
		j.Printed(err)
	}
	return session.Printed{Err: err}
}

func (h *Host) rate(ctx context.Context, e session.SendRating) {
	var err error
	for i := range rateTries {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = h.o.Ports.Backend.Rate(cctx, e.TxID, e.Score)
		cancel()
		if err == nil || errors.Is(err, ErrRejected) {
			break
		}
		h.log.Warn("rating not sent", "tx", e.TxID, "try", i+1, "err", err)
		if i == rateTries-1 {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-h.clk.After(time.Duration(i+1) * h.o.RateRetry):
		}
	}
	if j := h.o.Ports.Journal; j != nil {
		j.Rated(e.TxID, e.Score, err)
	}
}

// setLight shows a pattern on the status lamp; while the cabinet door is
// open the lamp shows a fault whatever the journey asks, and the journey's
// pattern comes back when it closes.
func (h *Host) setLight(pattern string) {
	h.light = pattern
	if h.door {
		pattern = session.LightFault
	}
	if l := h.o.Ports.Lights; l != nil {
		if err := l.SetLight(pattern); err != nil {
			h.log.Warn("status light", "pattern", pattern, "err", err)
		}
	}
}

func (h *Host) doorChanged(open bool) {
	h.door = open
	p := h.light
	if p == "" {
		p = session.LightReady
	}
	h.setLight(p)
}

func serviceID(s *catalog.Service) string {
	if s == nil {
		return ""
	}
	return s.ID
}

// lightFor is the lamp for a screen shown without a session effect.
func lightFor(s session.Screen) string {
	switch s {
	case session.ScreenOutOfService, session.ScreenMaintenance:
		return session.LightFault
	}
	return session.LightReady
}
