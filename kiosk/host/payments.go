package host

import (
	"context"
	"errors"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/session"
)

// The payment path of payment matters: the host asks the Payments port
// for the order, charges a scanned payment code, asks about QR payments
// and unknown outcomes, refunds a paid matter the backend refused, and
// hands a payment the session lets go of to the payer, which sees it to
// its end (cancelled, completed or refunded) on its own time.

const (
	// payWait bounds one payment call; the journey has its own, longer
	// patience and asks again rather than charge again.
	payWait = 20 * time.Second
)

func (h *Host) performPayment(fx session.Effect) bool {
	p := h.o.Ports.Payments
	switch e := fx.(type) {
	case session.OpenPayment:
		svc := h.service(e.Tx.ServiceID)
		h.goWork(func(ctx context.Context) {
			tx := e.Tx
			defer tx.Wipe()
			h.Post(h.openPayment(ctx, p, tx.ID, func(ctx context.Context) (payment.Record, error) {
				if p == nil || svc == nil {
					return payment.Record{}, errors.New("host: no payments on this kiosk")
				}
				return p.Open(ctx, tx, svc)
			}))
		})
	case session.ChargePayment:
		h.goWork(func(ctx context.Context) {
			ev := session.PaymentUpdate{TxID: e.TxID, Err: errors.New("host: no payments on this kiosk")}
			if p != nil {
				cctx, cancel := context.WithTimeout(ctx, payWait)
				rec, err := p.Charge(cctx, e.TxID, e.Code)
				cancel()
				ev = update(e.TxID, rec, err)
				if err != nil {
					h.log.Warn("payment charge not answered; the order will be asked about", "tx", e.TxID, "err", err)
				}
			}
			h.Post(ev)
		})
	case session.QueryPayment:
		if p == nil || h.querying[e.TxID] {
			return true // one question at a time
		}
		h.querying[e.TxID] = true
		h.goWork(func(ctx context.Context) {
			cctx, cancel := context.WithTimeout(ctx, payWait)
			rec, err := p.Query(cctx, e.TxID)
			cancel()
			h.Post(queryDone{e.TxID})
			h.Post(update(e.TxID, rec, err))
		})
	case session.RefundPayment:
		h.goWork(func(ctx context.Context) {
			ev := session.PaymentRefunded{TxID: e.TxID, Err: errors.New("host: no payments on this kiosk")}
			if p != nil {
				cctx, cancel := context.WithTimeout(ctx, payWait)
				rec, err := p.Refund(cctx, e.TxID, e.Reason)
				cancel()
				if err != nil {
					h.log.Warn("refund not answered; the payer will finish it", "tx", e.TxID, "err", err)
				}
				ev = session.PaymentRefunded{TxID: e.TxID, Order: order(rec), Err: err}
			}
			h.Post(ev)
		})
	case session.ReleasePayment:
		if p != nil {
			h.goWork(func(ctx context.Context) {
				if err := p.Release(context.WithoutCancel(ctx), e.TxID); err != nil {
					h.log.Error("payment not released", "tx", e.TxID, "err", err)
				}
			})
		}
	default:
		return false
	}
	return true
}

// queryDone: a QueryPayment has been answered; the next may go.
type queryDone struct{ txID string }

func (h *Host) openPayment(ctx context.Context, p Payments, txID string, open func(context.Context) (payment.Record, error)) session.PaymentOpened {
	cctx, cancel := context.WithTimeout(ctx, payWait)
	defer cancel()
	rec, err := open(cctx)
	switch {
	case err == nil:
		return session.PaymentOpened{TxID: txID, Order: order(rec)}
	case errors.Is(err, payment.ErrNothingDue):
		return session.PaymentOpened{TxID: txID, Err: session.PayErrNothing}
	case errors.Is(err, payment.ErrAmountMismatch):
		h.log.Error("payment order refused: its amount is not the matter's", "tx", txID, "err", err)
		return session.PaymentOpened{TxID: txID, Err: session.PayErrMismatch}
	}
	var be *backend.Error
	if errors.Is(err, payment.ErrNotPriced) || errors.Is(err, payment.ErrBadOrder) || errors.As(err, &be) && be.Permanent {
		h.log.Error("payment order refused", "tx", txID, "err", err)
		return session.PaymentOpened{TxID: txID, Err: session.PayErrRefused}
	}
	h.log.Warn("payment order not made", "tx", txID, "err", err)
	return session.PaymentOpened{TxID: txID, Err: session.PayErrUnreached}
}

func update(txID string, rec payment.Record, err error) session.PaymentUpdate {
	if err != nil {
		return session.PaymentUpdate{TxID: txID, Err: err}
	}
	return session.PaymentUpdate{TxID: txID, Order: order(rec)}
}

// order is the journey's view of a payment record.
func order(r payment.Record) *session.PayOrder {
	if r.TxID == "" {
		return nil
	}
	return &session.PayOrder{OrderNo: r.OrderNo, Step: r.Step, Amount: r.Amount, Payee: r.Payee, Item: r.Item,
		QRURL: r.QRURL, ExpiresAt: r.ExpiresAt, Channel: r.Channel, PayerTail: r.PayerTail, Failure: r.Failure,
		RefundNo: r.RefundNo}
}

// service is the active catalog's matter id.
func (h *Host) service(id string) *catalog.Service {
	if h.o.Session.Catalog == nil {
		return nil
	}
	if c := h.o.Session.Catalog(); c != nil {
		return c.Service(id)
	}
	return nil
}

// slipPayment is the payment as the slip prints it.
func slipPayment(o *session.PayOrder) *receipt.Payment {
	if o == nil {
		return nil
	}
	return &receipt.Payment{Amount: o.Amount, Payee: o.Payee, Item: o.Item, OrderNo: o.OrderNo,
		Channel: session.ChannelName(o.Channel), PayerTail: o.PayerTail, RefundNo: o.RefundNo}
}
