package daemon

import (
	"context"
	"strconv"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/payment"
)

// Payments: the kiosk takes money for payment matters once it has both a
// backend and an outbox to keep every step in. The payer serves the
// session through the host's Payments port; resolveLoop sees every
// payment no session owns to its end: after a restart, after a resident
// walked away, after a lost answer.

// resolveEvery is how often payments left unresolved are worked on.
const resolveEvery = 15 * time.Second

func (d *Daemon) openPayments() {
	if d.ob == nil || d.client == nil {
		return
	}
	p, err := payment.New(payment.Opts{Backend: d.client, Store: d.ob, Logger: d.log.With("part", "payment"), Now: d.now})
	if err != nil {
		d.log.Error("payments unavailable; payment matters are off", "err", err)
		return
	}
	d.payer = p
}

// resolveLoop resolves payments at start and then every resolveEvery.
func (d *Daemon) resolveLoop(ctx context.Context) error {
	t := time.NewTicker(resolveEvery)
	defer t.Stop()
	last := -1
	for {
		left, err := d.payer.Resolve(ctx)
		d.unresolved.Store(int64(left))
		if err != nil && ctx.Err() == nil {
			d.log.Warn("payments not yet resolved", "left", left, "err", err)
		}
		if left != last {
			if left > 0 {
				d.events.Add("payment", "", "payments awaiting resolution: "+strconv.Itoa(left), nil)
			}
			last = left
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PaymentList is what `kioskctl outbox ls` shows of payments: every
// payment kept, masked (no payment code is ever kept; the payer only as
// the code's last four digits).
func (d *Daemon) PaymentList(ctx context.Context) ([]admin.PaymentItem, error) {
	if d.payer == nil {
		return nil, nil
	}
	recs, err := d.payer.List()
	if err != nil {
		return nil, err
	}
	out := make([]admin.PaymentItem, 0, len(recs))
	for _, r := range recs {
		it := admin.PaymentItem{TxID: r.TxID, Service: r.ServiceID, Step: string(r.Step), Final: r.Step.Final(),
			OrderNo: r.OrderNo, AmountFen: int64(r.Amount), Channel: r.Channel, RefundNo: r.RefundNo,
			Updated: r.Updated, LastError: r.LastError}
		if r.PayerTail != "" {
			it.Payer = "****" + r.PayerTail
		}
		out = append(out, it)
	}
	return out, nil
}
