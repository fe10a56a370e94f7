package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Adapters: the drivers, the outbox and the backend client seen through
// the session host's ports. They translate, record and count; every
// decision about the resident's journey is the host's.

// ports builds the host's ports from what this kiosk has. A missing
// device leaves its port nil, which the host tells residents about.
func (d *Daemon) ports(voice host.Voice) host.Ports {
	p := host.Ports{Catalog: catalogPort{d}, Journal: journal{d}, Voice: voice}
	if d.ob != nil {
		p.Outbox = d.ob
	}
	if d.client != nil {
		p.Backend = backendPort{d}
		p.SMS = smsPort{d}
	}
	if d.printer != nil {
		p.Printer = printerPort{d}
	}
	if d.bank != nil {
		p.Lights = d.bank
	}
	if d.hw != nil {
		p.Handwriting = handwritingPort{d.hw}
	}
	if d.docs != nil {
		p.Documents = d.docs
	}
	if d.payer != nil {
		p.Payments = d.payer
	}
	if d.client != nil && d.scanner != nil {
		p.IdentityCodes = idCodePort{d}
	}
	if d.cam != nil && d.client != nil {
		p.Camera = d.cam
	}
	if d.phone != nil {
		p.Phone = d.phone
	}
	if d.staff != nil {
		p.Staff = d.staff
	}
	if d.bank != nil && hasOutput(d.bank, gpio.SlotLight) {
		p.Slot = slotLight{d.bank}
	}
	return p
}

// backendPort asks the county backend directly and keeps the backend
// device's state.
type backendPort struct{ d *Daemon }

func (b backendPort) Submit(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
	res, err := b.d.client.Submit(ctx, tx)
	b.d.noteBackend(err)
	return res, rejection(err)
}

func (b backendPort) Rate(ctx context.Context, txID string, score int) error {
	return rejection(b.d.client.Rate(ctx, txID, score))
}

// idCodePort has the county backend verify electronic ID codes and keeps
// the backend device's state; the code and the identity are never recorded.
type idCodePort struct{ d *Daemon }

func (p idCodePort) VerifyIdentityCode(ctx context.Context, code string) (backend.CodeIdentity, error) {
	id, err := p.d.client.VerifyIdentityCode(ctx, code)
	p.d.noteBackend(err)
	if err == nil {
		p.d.events.Add("session", "", "electronic ID code verified by the backend", nil)
	}
	return id, err
}

// smsPort sends a resident's tracking number by text message through the
// county backend. The phone is masked in everything it records.
type smsPort struct{ d *Daemon }

func (s smsPort) SendTrackingSMS(ctx context.Context, phone, trackingNo string) error {
	err := s.d.client.SendTrackingSMS(ctx, phone, trackingNo)
	s.d.noteBackend(err)
	if err != nil {
		return fmt.Errorf("daemon: text message to %s: %w", mask.Phone(phone), err)
	}
	s.d.events.Add("session", "", fmt.Sprintf("tracking number %s sent by text message to %s", trackingNo, mask.Phone(phone)), nil)
	return nil
}

// rejection turns the backend's permanent refusals into host.Rejection.
func rejection(err error) error {
	var be *backend.Error
	if errors.As(err, &be) && be.Permanent {
		return fmt.Errorf("%w (%v)", &host.Rejection{Reason: be.Reason}, err)
	}
	return err
}

// printerPort prints receipts on the ESC/POS printer; a job that stops is
// kept for kioskctl print reprint.
type printerPort struct{ d *Daemon }

func (p printerPort) PrintReceipt(ctx context.Context, doc receipt.Doc) error {
	job, err := p.d.printer.Print(ctx, doc)
	if err == nil {
		return nil
	}
	p.d.log.Warn("receipt not fully printed", "job", job.ID, "err", err)
	p.d.events.Add("device", devices.Printer, fmt.Sprintf("receipt job %d %s: %v (kioskctl can reprint it)", job.ID, job.State, err), nil)
	if errors.Is(err, escpos.ErrPaperOut) {
		return fmt.Errorf("%w: %w", host.ErrPaperOut, err)
	}
	return err
}

// catalogPort applies a staged service list when the host says no
// resident is at the kiosk.
type catalogPort struct{ d *Daemon }

func (c catalogPort) ApplyStaged(now time.Time) bool {
	d := c.d
	if d.store.Pending() == nil {
		return false
	}
	applied, err := d.store.ApplyPending(now)
	if err != nil {
		d.log.Warn("staged service list not applied", "err", err)
		return false
	}
	if applied {
		a := d.store.Active()
		d.log.Info("service list applied", "version", a.Version, "hash", a.Hash()[:12], "matters", len(a.Services))
		d.events.Add("catalog", "store", fmt.Sprintf("service list v%d applied (%d matters)", a.Version, len(a.Services)), nil)
		d.metrics.catalogVersion.Set(float64(a.Version))
	}
	return applied
}

// journal records the journey for technicians (events, log) and for
// metrics. Nothing personal reaches it.
type journal struct{ d *Daemon }

func (j journal) SessionStarted() { j.d.metrics.sessionStarts.Inc() }

func (j journal) SessionEnded(reason string) {
	j.d.metrics.sessions.WithLabelValues(reason).Inc()
	j.d.events.Add("session", "", "session ended: "+reason, nil)
}

func (j journal) Submitted(tx txn.Transaction, res txn.Result, took time.Duration, err error) {
	j.d.metrics.submits.WithLabelValues(string(res.Outcome)).Inc()
	j.d.log.Info("transaction", "service", tx.ServiceID, "tx", tx.ID, "outcome", res.Outcome, "tracking", res.TrackingNo, "took", took.Round(time.Millisecond))
	j.d.events.Add("session", "", fmt.Sprintf("transaction %s for %s: %s %s", tx.ID, tx.ServiceID, res.Outcome, res.TrackingNo), nil)
}

func (j journal) Document(outcome string) { j.d.metrics.documents.WithLabelValues(outcome).Inc() }

func (j journal) Printed(err error) {
	if err == nil {
		j.d.metrics.prints.Inc()
	}
}

func (j journal) Rated(txID string, score int, err error) {
	if err != nil {
		j.d.log.Warn("rating not sent", "tx", txID, "err", err)
		j.d.events.Add("session", "", fmt.Sprintf("rating for %s not sent: %v", txID, err), nil)
		return
	}
	j.d.metrics.ratings.WithLabelValues(fmt.Sprint(score)).Inc()
	j.d.events.Add("session", "", fmt.Sprintf("rating %d for %s sent", score, txID), nil)
}
