// Package payment takes a resident's money for a matter exactly once.
//
// The backend prices an order for the transaction; the resident pays it by
// the order's QR code on a phone or by showing a payment code (付款码) to the
// kiosk's scanner. Every step is recorded in the outbox's file (fsync)
// before the backend is asked and before the resident is told: a payment
// whose outcome is unknown is resolved by querying the order, never by
// charging again; an abandoned one is cancelled; a paid one is completed
// with its transaction or, when the backend refuses that, refunded.
//
// A Payer serves the session that owns a payment (Open, Charge, Query,
// Refund) and, once the session lets go (Release) or after a restart,
// resolves what is left (Resolve).
package payment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/money"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Step is where a payment is, as the kiosk records it.
type Step string

// Steps. The last five are final.
const (
	StepOrdering   Step = "ordering"   // the order is being made; no money yet
	StepOpen       Step = "open"       // the order waits for the resident
	StepCharging   Step = "charging"   // a payment code was sent; the answer is not known
	StepPaying     Step = "paying"     // the resident confirms on the phone
	StepPaid       Step = "paid"       // money taken; the transaction is to be sent
	StepSubmitted  Step = "submitted"  // the transaction is in the outbox
	StepCancelling Step = "cancelling" // abandoned: the order is to be cancelled
	StepRefunding  Step = "refunding"  // the backend refused the matter: the money goes back
	StepCompleted  Step = "completed"  // paid, and the backend took the matter
	StepCancelled  Step = "cancelled"  // no money taken
	StepFailed     Step = "failed"     // the channel declined; no money taken
	StepRefunded   Step = "refunded"   // paid and given back
	StepNothingDue Step = "nothing_due"
)

// Final reports whether nothing more will happen to the payment.
func (s Step) Final() bool {
	switch s {
	case StepCompleted, StepCancelled, StepFailed, StepRefunded, StepNothingDue:
		return true
	}
	return false
}

// Record is the kiosk's record of one payment. It holds nothing personal:
// the payment code never, the payer only as the code's last four digits.
type Record struct {
	TxID      string    `json:"tx_id"`
	ServiceID string    `json:"service_id"`
	Attempt   int       `json:"attempt"`
	Step      Step      `json:"step"`
	OrderNo   string    `json:"order_no,omitempty"`
	Amount    money.Fen `json:"amount_fen,omitempty"`
	Payee     string    `json:"payee,omitempty"`
	Item      string    `json:"item,omitempty"`
	QRURL     string    `json:"qr_url,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	Channel   string    `json:"channel,omitempty"`
	PayerTail string    `json:"payer_tail,omitempty"`
	PaidAt    time.Time `json:"paid_at,omitzero"`
	// Failure is what the channel said when it declined (for the
	// resident); Reason why a refund was asked for.
	Failure  string    `json:"failure,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	RefundNo string    `json:"refund_no,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	// LastError is the last error met resolving it, for technicians.
	LastError string `json:"last_error,omitempty"`
}

// Backend is the county backend's payment calls (*backend.Client).
type Backend interface {
	CreatePaymentOrder(ctx context.Context, txID string, attempt int, req backend.PaymentOrderRequest) (backend.PaymentOrder, error)
	QueryPaymentOrder(ctx context.Context, orderNo string) (backend.PaymentOrder, error)
	ChargePaymentCode(ctx context.Context, orderNo, authCode string) (backend.PaymentOrder, error)
	CancelPaymentOrder(ctx context.Context, orderNo string) (backend.PaymentOrder, error)
	RefundPaymentOrder(ctx context.Context, orderNo, reason string) (backend.PaymentOrder, error)
}

// Store keeps payments durably (*outbox.Outbox): the record, the
// transaction a payment pays for, and the outbox that delivers it.
type Store interface {
	SavePayment(id string, public []byte, tx *txn.Transaction, final bool) error
	Payment(id string) ([]byte, *txn.Transaction, error)
	PaymentRecords(all bool) (map[string][]byte, error)
	Enqueue(tx txn.Transaction) error
	Result(id string) (txn.Result, bool)
}

// Errors the session tells apart.
var (
	// ErrNothingDue: the backend prices nothing for these inputs (an
	// exempt vehicle); the matter goes on without a payment.
	ErrNothingDue = errors.New("payment: nothing due")
	// ErrNotPriced: the backend takes no payment for this matter.
	ErrNotPriced = errors.New("payment: matter not priced")
	// ErrAmountMismatch: the order's amount is not what the matter costs
	// (a fee matter's catalog fee); the order is cancelled, nothing paid.
	ErrAmountMismatch = errors.New("payment: order amount does not match the matter")
	// ErrBadOrder: the backend's order is not an order for this payment.
	ErrBadOrder = errors.New("payment: order does not belong to the transaction")
	// ErrNoPayment: no such payment, or not in a step that allows this.
	ErrNoPayment = errors.New("payment: no such payment")
	// ErrBadCode: the payment code is not one any network issues.
	ErrBadCode = errors.New("payment: not a payment code")
)

// Opts configures a Payer.
type Opts struct {
	Backend Backend
	Store   Store
	Logger  *slog.Logger
	Now     func() time.Time
}

// Payer takes payments. It is safe for concurrent use.
type Payer struct {
	b   Backend
	s   Store
	log *slog.Logger
	now func() time.Time

	mu   sync.Mutex
	live map[string]bool // payments a session owns: Resolve leaves them
	lock map[string]bool // payments being worked on now
	cond map[string][]chan struct{}
}

// New returns a Payer.
func New(o Opts) (*Payer, error) {
	if o.Backend == nil || o.Store == nil {
		return nil, errors.New("payment: a backend and a store are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Payer{b: o.Backend, s: o.Store, log: o.Logger, now: o.Now,
		live: map[string]bool{}, lock: map[string]bool{}, cond: map[string][]chan struct{}{}}, nil
}

// acquire serialises work on one payment.
func (p *Payer) acquire(ctx context.Context, id string) (func(), error) {
	for {
		p.mu.Lock()
		if !p.lock[id] {
			p.lock[id] = true
			p.mu.Unlock()
			return func() {
				p.mu.Lock()
				delete(p.lock, id)
				for _, ch := range p.cond[id] {
					close(ch)
				}
				delete(p.cond, id)
				p.mu.Unlock()
			}, nil
		}
		ch := make(chan struct{})
		p.cond[id] = append(p.cond[id], ch)
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (p *Payer) load(id string) (*Record, *txn.Transaction, error) {
	b, tx, err := p.s.Payment(id)
	if err != nil {
		return nil, nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, nil, fmt.Errorf("payment %s: unreadable record: %w", id, err)
	}
	return &r, tx, nil
}

// save records r durably (fsync) before anything else happens.
func (p *Payer) save(r *Record, tx *txn.Transaction) error {
	r.Updated = p.now()
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("payment %s: %w", r.TxID, err)
	}
	return p.s.SavePayment(r.TxID, b, tx, r.Step.Final())
}

// Open makes (or finds again) the order for tx, a transaction of matter
// svc, and records it. The session owns the payment until Release. A
// failed or cancelled earlier order for the same transaction is followed
// by a new one (the next attempt). tx is kept, sealed, until the payment
// ends.
func (p *Payer) Open(ctx context.Context, tx txn.Transaction, svc *catalog.Service) (Record, error) {
	if tx.ID == "" || svc == nil || svc.ID != tx.ServiceID {
		return Record{}, fmt.Errorf("payment: open: %w", ErrNoPayment)
	}
	release, err := p.acquire(ctx, tx.ID)
	if err != nil {
		return Record{}, err
	}
	defer release()
	p.mu.Lock()
	p.live[tx.ID] = true
	p.mu.Unlock()
	r, _, err := p.load(tx.ID)
	switch {
	case err != nil:
		r = &Record{TxID: tx.ID, ServiceID: tx.ServiceID, Attempt: 1, Step: StepOrdering, Created: p.now()}
	case r.Step == StepFailed || r.Step == StepCancelled:
		r.Attempt++
		*r = Record{TxID: r.TxID, ServiceID: r.ServiceID, Attempt: r.Attempt, Step: StepOrdering, Created: r.Created}
	case r.Step == StepOrdering || r.Step == StepOpen:
		// The same attempt again: the backend answers the same order.
	default:
		return *r, nil // charged already: the caller acts on its step
	}
	if err := p.save(r, &tx); err != nil {
		return Record{}, err
	}
	req := backend.PaymentOrderRequest{ServiceID: tx.ServiceID, CatalogVersion: tx.CatalogVersion, Fields: safeFields(&tx)}
	o, err := p.b.CreatePaymentOrder(ctx, tx.ID, r.Attempt, req)
	if err != nil {
		var be *backend.Error
		if errors.As(err, &be) && be.Permanent {
			switch be.Reason {
			case "nothing_due":
				r.Step = StepNothingDue
				return *r, errors.Join(ErrNothingDue, p.save(r, nil))
			case "not_priced":
				r.Step = StepCancelled
				return *r, errors.Join(ErrNotPriced, p.save(r, nil))
			}
		}
		r.LastError = err.Error()
		_ = p.save(r, nil)
		return *r, fmt.Errorf("payment: open %s: %w", tx.ID, err)
	}
	if err := p.takeOrder(r, o); err != nil {
		return *r, err
	}
	if want := svc.FeeFen; !svc.Payment && want > 0 && o.AmountFen != money.Fen(want) {
		// A fee matter costs what the catalog says: an order for another
		// amount is not paid. Cancel it; the session tells the resident.
		r.Step = StepCancelling
		r.LastError = fmt.Sprintf("order %s asks %s, the matter's fee is %s", o.OrderNo, o.AmountFen, money.Fen(want))
		if err := p.save(r, nil); err != nil {
			return *r, err
		}
		p.cancelNow(ctx, r)
		return *r, fmt.Errorf("payment: open %s: %w: %s", tx.ID, ErrAmountMismatch, r.LastError)
	}
	r.LastError = ""
	return *r, p.save(r, nil)
}

// takeOrder checks that o answers r and moves r to the step o's state
// says.
func (p *Payer) takeOrder(r *Record, o backend.PaymentOrder) error {
	if o.TxID != r.TxID || (r.OrderNo != "" && o.OrderNo != r.OrderNo) {
		return fmt.Errorf("payment %s: %w: order %s is for %s", r.TxID, ErrBadOrder, o.OrderNo, o.TxID)
	}
	if r.Amount != 0 && o.AmountFen != r.Amount {
		return fmt.Errorf("payment %s: %w: order %s changed its amount from %s to %s", r.TxID, ErrAmountMismatch, o.OrderNo, r.Amount, o.AmountFen)
	}
	r.OrderNo, r.Amount, r.Payee, r.Item, r.QRURL, r.ExpiresAt = o.OrderNo, o.AmountFen, o.Payee, o.Item, o.QRURL, o.ExpiresAt
	if o.Channel != "" {
		r.Channel = string(o.Channel)
	}
	if o.PayerTail != "" {
		r.PayerTail = o.PayerTail
	}
	if !o.PaidAt.IsZero() {
		r.PaidAt = o.PaidAt
	}
	switch o.State {
	case backend.PaymentCreated:
		if r.Step == StepOrdering || r.Step == StepCharging || r.Step == StepPaying {
			r.Step = StepOpen
		}
	case backend.PaymentPaying:
		if r.Step != StepCancelling {
			r.Step = StepPaying
		}
	case backend.PaymentPaid:
		switch r.Step {
		case StepSubmitted, StepRefunding, StepCompleted:
		default:
			r.Step = StepPaid
		}
	case backend.PaymentFailed:
		r.Step, r.Failure = StepFailed, o.FailureMessage
	case backend.PaymentCancelled:
		r.Step = StepCancelled
	case backend.PaymentRefunded:
		r.Step = StepRefunded
		if o.Refund != nil {
			r.RefundNo = o.Refund.RefundNo
		}
	}
	return nil
}

// Charge pays the payment's order with the resident's payment code. The
// code is sent once, in the request's body, and kept nowhere. An error
// means the outcome is not known: Query it, never charge again with
// another code.
func (p *Payer) Charge(ctx context.Context, txID, code string) (Record, error) {
	if _, ok := backend.AuthCodeChannel(code); !ok {
		return Record{}, ErrBadCode
	}
	release, err := p.acquire(ctx, txID)
	if err != nil {
		return Record{}, err
	}
	defer release()
	r, _, err := p.load(txID)
	if err != nil {
		return Record{}, fmt.Errorf("payment: charge %s: %w", txID, ErrNoPayment)
	}
	if r.Step != StepOpen {
		return *r, fmt.Errorf("payment: charge %s in step %s: %w", txID, r.Step, ErrNoPayment)
	}
	r.Step = StepCharging
	if err := p.save(r, nil); err != nil {
		return *r, err
	}
	o, err := p.b.ChargePaymentCode(ctx, r.OrderNo, code)
	if err != nil {
		var be *backend.Error
		if errors.As(err, &be) && (be.Reason == "order_not_payable" || be.Reason == "key_reused") {
			// Paid another way, or charged before: the order says how.
			o, err = p.b.QueryPaymentOrder(ctx, r.OrderNo)
		}
	}
	if err != nil {
		r.LastError = err.Error()
		_ = p.save(r, nil)
		return *r, fmt.Errorf("payment: charge %s: %w", txID, err)
	}
	if err := p.takeOrder(r, o); err != nil {
		return *r, err
	}
	r.LastError = ""
	return *r, p.save(r, nil)
}

// Query asks the backend where the payment's order stands (a QR code paid
// on a phone, a charge confirmed late, an answer lost) and records it.
func (p *Payer) Query(ctx context.Context, txID string) (Record, error) {
	release, err := p.acquire(ctx, txID)
	if err != nil {
		return Record{}, err
	}
	defer release()
	r, _, err := p.load(txID)
	if err != nil {
		return Record{}, fmt.Errorf("payment: query %s: %w", txID, ErrNoPayment)
	}
	if r.OrderNo == "" || r.Step.Final() {
		return *r, nil
	}
	o, err := p.b.QueryPaymentOrder(ctx, r.OrderNo)
	if err != nil {
		return *r, fmt.Errorf("payment: query %s: %w", txID, err)
	}
	before := *r
	if err := p.takeOrder(r, o); err != nil {
		return *r, err
	}
	if *r == before {
		return *r, nil
	}
	return *r, p.save(r, nil)
}

// Submitted records that the paid payment's transaction is in the outbox.
func (p *Payer) Submitted(ctx context.Context, txID string) error {
	release, err := p.acquire(ctx, txID)
	if err != nil {
		return err
	}
	defer release()
	r, _, err := p.load(txID)
	if err != nil {
		return fmt.Errorf("payment: submitted %s: %w", txID, ErrNoPayment)
	}
	if r.Step != StepPaid {
		return nil
	}
	r.Step = StepSubmitted
	return p.save(r, nil)
}

// Refund gives a paid payment's money back: the backend refused the
// matter it paid for. Asked again (a lost answer), it is the same refund.
func (p *Payer) Refund(ctx context.Context, txID, reason string) (Record, error) {
	release, err := p.acquire(ctx, txID)
	if err != nil {
		return Record{}, err
	}
	defer release()
	r, _, err := p.load(txID)
	if err != nil {
		return Record{}, fmt.Errorf("payment: refund %s: %w", txID, ErrNoPayment)
	}
	switch r.Step {
	case StepPaid, StepSubmitted, StepRefunding:
	case StepRefunded:
		return *r, nil
	default:
		return *r, fmt.Errorf("payment: refund %s in step %s: %w", txID, r.Step, ErrNoPayment)
	}
	if reason == "" {
		reason = "事项未办成"
	}
	r.Step, r.Reason = StepRefunding, reason
	if err := p.save(r, nil); err != nil {
		return *r, err
	}
	return *r, p.refundNow(ctx, r)
}

func (p *Payer) refundNow(ctx context.Context, r *Record) error {
	o, err := p.b.RefundPaymentOrder(ctx, r.OrderNo, r.Reason)
	if err != nil {
		r.LastError = err.Error()
		_ = p.save(r, nil)
		return fmt.Errorf("payment: refund %s: %w", r.TxID, err)
	}
	if err := p.takeOrder(r, o); err != nil {
		return err
	}
	r.LastError = ""
	return p.save(r, nil)
}

// cancelNow cancels r's order: the answer may be that the money came in
// first (paid), which the caller must then complete or refund.
func (p *Payer) cancelNow(ctx context.Context, r *Record) error {
	if r.OrderNo == "" {
		return nil
	}
	o, err := p.b.CancelPaymentOrder(ctx, r.OrderNo)
	if err != nil {
		r.LastError = err.Error()
		_ = p.save(r, nil)
		return fmt.Errorf("payment: cancel %s: %w", r.TxID, err)
	}
	if err := p.takeOrder(r, o); err != nil {
		return err
	}
	r.LastError = ""
	return p.save(r, nil)
}

// Release: the session lets go of the payment (it ended, was abandoned or
// finished). A payment not yet paid is to be cancelled; Resolve does the
// rest, on its own time.
func (p *Payer) Release(ctx context.Context, txID string) error {
	release, err := p.acquire(ctx, txID)
	if err != nil {
		return err
	}
	defer release()
	p.mu.Lock()
	delete(p.live, txID)
	p.mu.Unlock()
	r, _, err := p.load(txID)
	if err != nil {
		return nil // never opened: nothing to release
	}
	switch r.Step {
	case StepOrdering:
		// No order known yet: Resolve asks for it again (the same key)
		// and cancels what comes back.
	case StepOpen, StepCharging, StepPaying:
		r.Step = StepCancelling
		return p.save(r, nil)
	}
	return nil
}

// Unresolved lists the payments not final, masked for technicians: the
// step, the order and the amount.
func (p *Payer) Unresolved() ([]Record, error) {
	return p.list(false)
}

// List lists every payment kept (final ones until the outbox's retention).
func (p *Payer) List() ([]Record, error) { return p.list(true) }

func (p *Payer) list(all bool) ([]Record, error) {
	recs, err := p.s.PaymentRecords(all)
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0, len(recs))
	for id, b := range recs {
		var r Record
		if err := json.Unmarshal(b, &r); err != nil {
			out = append(out, Record{TxID: id, LastError: "unreadable record"})
			continue
		}
		if all || !r.Step.Final() {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TxID < out[j].TxID })
	return out, nil
}

// Resolve moves every payment no session owns towards its end, once:
// an order lost in the making is found again and cancelled; an abandoned
// one cancelled (or, paid meanwhile, completed); a paid one's transaction
// put in the outbox; a submitted one completed when the backend took the
// matter or refunded when it refused it; a refund finished. It returns how
// many payments are still unresolved and the first error met.
func (p *Payer) Resolve(ctx context.Context) (int, error) {
	recs, err := p.list(false)
	if err != nil {
		return 0, err
	}
	left := 0
	var first error
	for _, r := range recs {
		p.mu.Lock()
		live := p.live[r.TxID]
		p.mu.Unlock()
		if live {
			left++
			continue
		}
		if err := p.resolveOne(ctx, r.TxID); err != nil && first == nil {
			first = err
		}
		if rr, _, err := p.load(r.TxID); err != nil || !rr.Step.Final() {
			left++
		}
	}
	return left, first
}

func (p *Payer) resolveOne(ctx context.Context, id string) error {
	release, err := p.acquire(ctx, id)
	if err != nil {
		return err
	}
	defer release()
	p.mu.Lock()
	live := p.live[id]
	p.mu.Unlock()
	if live {
		return nil
	}
	r, tx, err := p.load(id)
	if err != nil {
		return err
	}
	for range 4 { // a few moves: ordering → cancelling → paid → submitted
		before := r.Step
		switch r.Step {
		case StepOrdering:
			if tx == nil {
				r.Step = StepCancelled // nothing to price with: no order was made
				return p.save(r, nil)
			}
			o, err := p.b.CreatePaymentOrder(ctx, id, r.Attempt, backend.PaymentOrderRequest{ServiceID: tx.ServiceID, CatalogVersion: tx.CatalogVersion, Fields: safeFields(tx)})
			if err != nil {
				var be *backend.Error
				if errors.As(err, &be) && be.Permanent {
					r.Step = StepCancelled
					return p.save(r, nil)
				}
				r.LastError = err.Error()
				_ = p.save(r, nil)
				return fmt.Errorf("payment: resolve %s: %w", id, err)
			}
			if err := p.takeOrder(r, o); err != nil {
				return err
			}
			if r.Step == StepOpen {
				r.Step = StepCancelling
			}
			if err := p.save(r, nil); err != nil {
				return err
			}
		case StepOpen, StepCharging, StepPaying, StepCancelling:
			if r.OrderNo == "" {
				// Let go before the order's answer came: the backend may
				// hold an order the kiosk never saw. The same create (the
				// same key) names it; then it is cancelled.
				r.Step = StepOrdering
				continue
			}
			r.Step = StepCancelling
			if err := p.cancelNow(ctx, r); err != nil {
				return err
			}
			if r.Step == StepPaying {
				return nil // the channel has not decided: ask again later
			}
		case StepPaid:
			if tx == nil {
				return fmt.Errorf("payment: resolve %s: paid, but its transaction is not kept", id)
			}
			t := *tx
			t.PaymentOrder = r.OrderNo
			if err := p.s.Enqueue(t); err != nil {
				return fmt.Errorf("payment: resolve %s: %w", id, err)
			}
			r.Step = StepSubmitted
			if err := p.save(r, nil); err != nil {
				return err
			}
		case StepSubmitted:
			res, ok := p.s.Result(id)
			switch {
			case !ok:
				if tx == nil {
					return fmt.Errorf("payment: resolve %s: submitted, but the outbox has no transaction", id)
				}
				r.Step = StepPaid // the outbox lost it before its fsync: send again
			case res.Outcome == txn.Rejected:
				r.Step, r.Reason = StepRefunding, "事项未办成："+res.Message
				if err := p.save(r, nil); err != nil {
					return err
				}
			case res.Outcome == txn.Queued:
				return nil // the outbox delivers it
			default:
				r.Step = StepCompleted
				return p.save(r, nil)
			}
		case StepRefunding:
			return p.refundNow(ctx, r)
		default:
			return nil
		}
		if r.Step == before || r.Step.Final() {
			return nil
		}
	}
	return nil
}

// safeFields are the fields the backend prices with: the transaction's
// fields without the personal ones (the form's choices and numbers). A
// repeated request must carry the same ones: the Idempotency-Key is bound
// to the request.
func safeFields(tx *txn.Transaction) map[string]string {
	out := map[string]string{}
	for k, v := range tx.Fields {
		personal := false
		for _, p := range tx.Personal {
			if p == k {
				personal = true
			}
		}
		if !personal && k != "amount" {
			out[k] = v
		}
	}
	return out
}
