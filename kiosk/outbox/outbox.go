package outbox

import (
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/txn"
	"github.com/prometheus/client_golang/prometheus"
)

// Sentinel errors.
var (
	ErrNotFound = errors.New("outbox: no such transaction")
	ErrClosed   = errors.New("outbox: closed")
	ErrInvalid  = errors.New("outbox: invalid transaction")

	// errUnreadable: a record or its sealed part cannot be decoded or
	// opened (wrong key, corruption); parked, never deleted.
	errUnreadable = errors.New("outbox: unreadable record")
)

// Backoff is the retry schedule: attempt n waits a uniformly random time in
// [0, min(Cap, Base·2ⁿ⁻¹)) (full jitter), or the backend's Retry-After when
// that is longer, never more than Cap.
type Backoff struct {
	Base time.Duration // default 2 s
	Cap  time.Duration // default 10 min
}

// Opts configures an Outbox. Key is required; other zero values take the
// defaults in DefaultOpts.
type Opts struct {
	Key        []byte // KeySize bytes, from LoadOrCreateKey
	Logger     *slog.Logger
	Now        func() time.Time
	Backoff    Backoff
	Retention  int // days masked records are kept after acknowledgement; default 30
	Registerer prometheus.Registerer
	Workers    int // concurrent deliveries in Run; default 2
	// Rand returns a number in [0, 1) for the jitter; default math/rand/v2.
	Rand func() float64
}

// DefaultOpts holds the defaults.
var DefaultOpts = Opts{Backoff: Backoff{Base: 2 * time.Second, Cap: 10 * time.Minute}, Retention: 30, Workers: 2}

// DeliverFunc sends one transaction to the backend. Its error may
// implement PermanentError() bool (park), RetryDelay() time.Duration
// (Retry-After), FailureReason() string (metrics) and ResidentMessage()
// string (a refusal's words for the resident); *backend.Error does.
type DeliverFunc func(ctx context.Context, tx txn.Transaction) (txn.Result, error)

// Item is the masked view of one transaction for technicians.
type Item struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id"`
	State      State     `json:"state"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error,omitempty"`
	Created    time.Time `json:"created"`
	TrackingNo string    `json:"tracking_no"`
}

type item struct {
	id       string
	enqueued time.Time
	next     time.Time
	attempts uint32
	parked   bool
	inflight bool
	idx      int // in heap; -1 when not
}

// Outbox is the durable transaction queue. It is safe for concurrent use.
type Outbox struct {
	db      *bolt.DB
	seal    *sealer
	log     *slog.Logger
	now     func() time.Time
	backoff Backoff
	keep    time.Duration
	workers int
	rnd     func() float64
	m       *metrics

	wake chan struct{}

	mu      sync.Mutex
	items   map[string]*item
	due     itemHeap
	waiters map[string][]chan txn.Result
	chg     chan struct{} // closed when Depth changes; see Changed
	running bool
	closed  bool
}

// Open opens (creating when needed) the outbox at path and recovers every
// unacknowledged transaction into memory.
func Open(path string, opts *Opts) (*Outbox, error) {
	if opts == nil {
		return nil, errors.New("outbox: open: options with a key are required")
	}
	o := *opts
	if o.Backoff.Base <= 0 {
		o.Backoff.Base = DefaultOpts.Backoff.Base
	}
	if o.Backoff.Cap <= 0 {
		o.Backoff.Cap = DefaultOpts.Backoff.Cap
	}
	if o.Backoff.Cap < o.Backoff.Base {
		o.Backoff.Cap = o.Backoff.Base
	}
	if o.Retention <= 0 {
		o.Retention = DefaultOpts.Retention
	}
	if o.Workers <= 0 {
		o.Workers = DefaultOpts.Workers
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	s, err := newSealer(o.Key)
	if err != nil {
		return nil, fmt.Errorf("outbox: open: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("outbox: open %s: %w", path, err)
	}
	ob := &Outbox{db: db, seal: s, log: o.Logger, now: o.Now, backoff: o.Backoff,
		keep: time.Duration(o.Retention) * 24 * time.Hour, workers: o.Workers, rnd: o.Rand,
		wake: make(chan struct{}, 1), items: map[string]*item{}, waiters: map[string][]chan txn.Result{},
		chg: make(chan struct{})}
	if err := ob.recover(); err != nil {
		db.Close()
		return nil, err
	}
	ob.m = newMetrics(ob)
	if o.Registerer != nil {
		if err := ob.m.register(o.Registerer); err != nil {
			db.Close()
			return nil, fmt.Errorf("outbox: open: metrics: %w", err)
		}
	}
	return ob, nil
}

func (o *Outbox) recover() error {
	return o.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketRecords, bucketQueue, bucketDelivered, bucketPayments} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("outbox: open: %w", err)
			}
		}
		q := tx.Bucket(bucketQueue)
		n := q.Stats().KeyN
		o.due = make(itemHeap, 0, n)
		return q.ForEach(func(k, v []byte) error {
			e, err := decodeQueueEntry(v)
			if err != nil {
				return fmt.Errorf("outbox: open: %s: %w", k, err)
			}
			it := &item{id: string(k), enqueued: e.enqueued, next: e.next, attempts: e.attempts, parked: e.parked, idx: -1}
			o.items[it.id] = it
			if !it.parked {
				it.idx = len(o.due)
				o.due = append(o.due, it)
			}
			return nil
		})
	})
}

// Close closes the database. Deliveries in progress finish first only if
// their Run has returned; call Close after Run.
func (o *Outbox) Close() error {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	if err := o.db.Close(); err != nil {
		return fmt.Errorf("outbox: close: %w", err)
	}
	return nil
}

func (o *Outbox) nudge() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Enqueue commits tx durably. It returns nil only once the transaction is on
// disk (fsynced); the resident may then be told it was taken. Enqueueing an
// id that is already present is a no-op.
func (o *Outbox) Enqueue(tx txn.Transaction) error {
	_, err := o.enqueue(tx, false)
	return err
}

func (o *Outbox) enqueue(tx txn.Transaction, urgent bool) (string, error) {
	p, err := o.prepare(tx, urgent)
	if err != nil {
		return "", err
	}
	if err := o.commit([]prepared{p}); err != nil {
		return "", err
	}
	return p.tracking, nil
}

// EnqueueAll commits many transactions with a single fsync: all or none.
// Used for imports and bulk loads; the session uses Enqueue or SubmitNow.
func (o *Outbox) EnqueueAll(txs []txn.Transaction) error {
	ps := make([]prepared, 0, len(txs))
	for _, tx := range txs {
		p, err := o.prepare(tx, false)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	return o.commit(ps)
}

type prepared struct {
	id, tracking string
	rec, qe      []byte
	enqueued     time.Time
	next         time.Time
}

func (o *Outbox) prepare(tx txn.Transaction, urgent bool) (prepared, error) {
	if tx.ID == "" || len(tx.ID) > 128 {
		return prepared{}, fmt.Errorf("%w: id %q", ErrInvalid, tx.ID)
	}
	if tx.KioskID == "" || tx.ServiceID == "" {
		return prepared{}, fmt.Errorf("%w: %s: kiosk and service required", ErrInvalid, tx.ID)
	}
	now := o.now()
	public, secret := split(tx)
	plain, err := json.Marshal(secret)
	if err != nil {
		return prepared{}, fmt.Errorf("outbox: enqueue %s: %w", tx.ID, err)
	}
	tracking := txn.TrackingNo(tx.KioskID, tx.ID)
	rec := record{Tx: public, Sealed: o.seal.seal(plain, tx.ID), TrackingNo: tracking, State: Pending, EnqueuedAt: now}
	clear(plain)
	b, err := json.Marshal(rec)
	if err != nil {
		return prepared{}, fmt.Errorf("outbox: enqueue %s: %w", tx.ID, err)
	}
	next := now
	if urgent {
		next = time.Unix(0, 0) // ahead of any backlog
	}
	return prepared{id: tx.ID, tracking: tracking, rec: b, enqueued: now, next: next,
		qe: queueEntry{enqueued: now, next: next}.encode()}, nil
}

// commit writes prepared records in one fsynced bbolt transaction. Ids
// already present are left as they are.
func (o *Outbox) commit(ps []prepared) error {
	o.mu.Lock()
	closed := o.closed
	o.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if len(ps) == 0 {
		return nil
	}
	added := make([]bool, len(ps))
	err := o.db.Update(func(btx *bolt.Tx) error {
		recs, q := btx.Bucket(bucketRecords), btx.Bucket(bucketQueue)
		for i, p := range ps {
			if recs.Get([]byte(p.id)) != nil {
				continue
			}
			if err := recs.Put([]byte(p.id), p.rec); err != nil {
				return err
			}
			if err := q.Put([]byte(p.id), p.qe); err != nil {
				return err
			}
			added[i] = true
		}
		return nil
	})
	if err != nil {
		o.m.failures.WithLabelValues("store").Inc()
		return fmt.Errorf("outbox: enqueue %s: %w", ps[0].id, err)
	}
	o.mu.Lock()
	grew := false
	for i, p := range ps {
		if _, ok := o.items[p.id]; !ok && added[i] {
			it := &item{id: p.id, enqueued: p.enqueued, next: p.next, idx: -1}
			o.items[p.id] = it
			heap.Push(&o.due, it)
			grew = true
		}
	}
	if grew {
		o.changedLocked()
	}
	o.mu.Unlock()
	o.nudge()
	return nil
}

// SubmitNow enqueues tx durably, asks Run to deliver it ahead of any
// backlog and waits up to wait for the backend's answer. When the answer
// does not come in time (or the delivery failed and will be retried), it
// returns a Queued result with the kiosk's tracking number; a permanent
// rejection gives a Rejected result. An error means tx was not taken.
func (o *Outbox) SubmitNow(ctx context.Context, tx txn.Transaction, wait time.Duration) (txn.Result, error) {
	ch := make(chan txn.Result, 1)
	o.mu.Lock()
	o.waiters[tx.ID] = append(o.waiters[tx.ID], ch)
	o.mu.Unlock()
	defer o.dropWaiter(tx.ID, ch)
	tracking, err := o.enqueue(tx, true)
	if err != nil {
		return txn.Result{}, err
	}
	queued := txn.Result{TxID: tx.ID, Outcome: txn.Queued, TrackingNo: tracking}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case r := <-ch:
		if r.Outcome == txn.Queued && r.TrackingNo == "" {
			return queued, nil
		}
		return r, nil
	case <-t.C:
		return queued, nil
	case <-ctx.Done():
		return queued, nil
	}
}

func (o *Outbox) dropWaiter(id string, ch chan txn.Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ws := o.waiters[id]
	for i, c := range ws {
		if c == ch {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(o.waiters, id)
	} else {
		o.waiters[id] = ws
	}
}

// notify hands r to SubmitNow callers waiting on id. Called with o.mu held.
func (o *Outbox) notify(id string, r txn.Result) {
	for _, c := range o.waiters[id] {
		select {
		case c <- r:
		default:
		}
	}
}

// Depth is the number of unacknowledged transactions (pending and parked).
func (o *Outbox) Depth() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.items)
}

// Changed returns a channel that is closed at the next change of Depth: a
// transaction enqueued or acknowledged. Read it before Depth to miss
// nothing. A caller waiting for the queue to drain needs no polling.
func (o *Outbox) Changed() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.chg
}

// changedLocked wakes the Changed waiters. Called with o.mu held.
func (o *Outbox) changedLocked() {
	close(o.chg)
	o.chg = make(chan struct{})
}

// OldestAge is how long the oldest unacknowledged transaction has waited.
func (o *Outbox) OldestAge() time.Duration {
	o.mu.Lock()
	var oldest time.Time
	for _, it := range o.items {
		if oldest.IsZero() || it.enqueued.Before(oldest) {
			oldest = it.enqueued
		}
	}
	o.mu.Unlock()
	if oldest.IsZero() {
		return 0
	}
	return max(0, o.now().Sub(oldest))
}

// NextDue is when the earliest pending transaction is due, and false when
// nothing is pending.
func (o *Outbox) NextDue() (time.Time, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.due) == 0 {
		return time.Time{}, false
	}
	return o.due[0].next, true
}

// List returns every transaction the outbox holds, masked, in id order.
func (o *Outbox) List() ([]Item, error) {
	var out []Item
	err := o.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRecords).ForEach(func(k, v []byte) error {
			r, err := decodeRecord(v)
			if err != nil {
				out = append(out, Item{ID: string(k), State: Parked, LastError: err.Error()})
				return nil
			}
			out = append(out, Item{ID: string(k), ServiceID: r.Tx.ServiceID, State: r.State, Attempts: r.Attempts,
				LastError: r.LastError, Created: r.Tx.CreatedAt, TrackingNo: r.TrackingNo})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: list: %w", err)
	}
	return out, nil
}

// Result returns what the resident was told about id, masked, for a
// reprint: the backend's answer once acknowledged, a Queued result with
// the tracking number while pending, Rejected with the reason when parked.
func (o *Outbox) Result(id string) (txn.Result, bool) {
	var res txn.Result
	found := false
	o.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketRecords).Get([]byte(id))
		if v == nil {
			return nil
		}
		r, err := decodeRecord(v)
		if err != nil {
			return nil
		}
		found = true
		switch {
		case r.State == Delivered && r.Result != nil:
			res = *r.Result
		case r.State == Parked:
			res = txn.Result{TxID: id, Outcome: txn.Rejected, TrackingNo: r.TrackingNo, Message: r.LastError}
		default:
			res = txn.Result{TxID: id, Outcome: txn.Queued, TrackingNo: r.TrackingNo}
		}
		return nil
	})
	return res, found
}

// Retry returns a parked (or waiting) transaction to the front of the
// queue.
func (o *Outbox) Retry(id string) error {
	o.mu.Lock()
	it, ok := o.items[id]
	if !ok {
		o.mu.Unlock()
		return fmt.Errorf("outbox: retry %s: %w", id, ErrNotFound)
	}
	if it.inflight {
		o.mu.Unlock()
		return nil
	}
	e := queueEntry{enqueued: it.enqueued, next: o.now(), attempts: it.attempts}
	o.mu.Unlock()
	err := o.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketQueue).Put([]byte(id), e.encode()); err != nil {
			return err
		}
		return updateRecord(tx, id, func(r *record) { r.State = Pending })
	})
	if err != nil {
		return fmt.Errorf("outbox: retry %s: %w", id, err)
	}
	o.mu.Lock()
	if it, ok := o.items[id]; ok && !it.inflight {
		it.parked = false
		it.next = e.next
		if it.idx >= 0 {
			heap.Fix(&o.due, it.idx)
		} else {
			heap.Push(&o.due, it)
		}
	}
	o.mu.Unlock()
	o.nudge()
	return nil
}

func updateRecord(tx *bolt.Tx, id string, f func(*record)) error {
	b := tx.Bucket(bucketRecords)
	v := b.Get([]byte(id))
	if v == nil {
		return ErrNotFound
	}
	r, err := decodeRecord(v)
	if err != nil {
		return err
	}
	f(r)
	nb, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.Put([]byte(id), nb)
}

// Purge deletes acknowledged records older than the retention period and
// returns how many went.
func (o *Outbox) Purge() (int, error) {
	cutoff := o.now().Add(-o.keep)
	n := 0
	err := o.db.Update(func(tx *bolt.Tx) error {
		d := tx.Bucket(bucketDelivered)
		recs := tx.Bucket(bucketRecords)
		c := d.Cursor()
		limit := deliveredKey(cutoff, "")
		for k, _ := c.First(); k != nil && string(k[:8]) < string(limit); k, _ = c.First() {
			if err := recs.Delete(k[8:]); err != nil {
				return err
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		// Final payments go with the transactions of their time.
		p, err := purgePayments(tx, cutoff)
		n += p
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: purge: %w", err)
	}
	return n, nil
}

// Run delivers pending transactions until ctx ends, using Workers
// concurrent deliveries. It returns ctx's error.
func (o *Outbox) Run(ctx context.Context, deliver DeliverFunc) error {
	o.mu.Lock()
	if o.running {
		o.mu.Unlock()
		return errors.New("outbox: run: already running")
	}
	o.running = true
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.running = false
		o.mu.Unlock()
	}()
	var wg sync.WaitGroup
	for range o.workers {
		wg.Go(func() { o.worker(ctx, deliver) })
	}
	purge := time.NewTicker(time.Hour)
	defer purge.Stop()
	if _, err := o.Purge(); err != nil {
		o.log.Warn("outbox purge failed", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		case <-purge.C:
			if _, err := o.Purge(); err != nil {
				o.log.Warn("outbox purge failed", "err", err)
			}
		}
	}
}

func (o *Outbox) worker(ctx context.Context, deliver DeliverFunc) {
	idle := time.NewTimer(time.Hour)
	defer idle.Stop()
	for ctx.Err() == nil {
		it, wait := o.popDue(o.now())
		if it != nil {
			o.nudge() // let another worker look for more
			o.attempt(ctx, it, deliver)
			continue
		}
		if wait <= 0 || wait > time.Minute {
			wait = time.Minute
		}
		idle.Reset(wait)
		select {
		case <-ctx.Done():
		case <-o.wake:
		case <-idle.C:
		}
	}
}

// popDue takes the earliest pending item due at now, or says how long until
// the next one is due.
func (o *Outbox) popDue(now time.Time) (*item, time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.due) == 0 {
		return nil, 0
	}
	it := o.due[0]
	if it.next.After(now) {
		return nil, it.next.Sub(now)
	}
	heap.Pop(&o.due)
	it.inflight = true
	return it, 0
}

// DeliverDue makes one pass: every transaction due at the outbox's clock is
// attempted once, in order. It returns how many were attempted. Run does
// the same continuously; DeliverDue serves simulated-time tests and tools.
func (o *Outbox) DeliverDue(ctx context.Context, deliver DeliverFunc) int {
	now := o.now()
	var batch []*item
	for {
		it, _ := o.popDue(now)
		if it == nil {
			break
		}
		batch = append(batch, it)
	}
	for _, it := range batch {
		o.attempt(ctx, it, deliver)
	}
	return len(batch)
}

// attempt delivers one in-flight item and records the outcome.
func (o *Outbox) attempt(ctx context.Context, it *item, deliver DeliverFunc) {
	tx, sealed, err := o.load(it.id)
	if errors.Is(err, errUnreadable) {
		o.fail(it, err, true, 0, "unreadable")
		return
	}
	if err != nil {
		o.fail(it, err, false, 0, "store")
		return
	}
	start := o.now()
	res, derr := deliver(ctx, tx)
	if derr == nil {
		o.acknowledge(it, tx, sealed, res)
		tx.Wipe()
		return
	}
	tx.Wipe()
	if ctx.Err() != nil {
		// Shutting down: not the backend's fault; try again on the next start.
		o.mu.Lock()
		it.inflight = false
		heap.Push(&o.due, it)
		o.mu.Unlock()
		return
	}
	var perm interface{ PermanentError() bool }
	var ra interface{ RetryDelay() time.Duration }
	var fr interface{ FailureReason() string }
	permanent := errors.As(derr, &perm) && perm.PermanentError()
	var retryAfter time.Duration
	if errors.As(derr, &ra) {
		retryAfter = ra.RetryDelay()
	}
	reason := "unreachable"
	if errors.As(derr, &fr) {
		reason = fr.FailureReason()
	}
	o.log.Info("outbox delivery failed", "tx", it.id, "attempt", it.attempts+1, "reason", reason,
		"permanent", permanent, "after", o.now().Sub(start), "err", derr)
	o.fail(it, derr, permanent, retryAfter, reason)
}

// load reads and unseals the transaction.
func (o *Outbox) load(id string) (txn.Transaction, secretPart, error) {
	var r *record
	err := o.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketRecords).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("%w: %w", errUnreadable, ErrNotFound)
		}
		var err error
		if r, err = decodeRecord(v); err != nil {
			return fmt.Errorf("%w: %w", errUnreadable, err)
		}
		return nil
	})
	if err != nil {
		return txn.Transaction{}, secretPart{}, err
	}
	var sec secretPart
	if len(r.Sealed) > 0 {
		plain, err := o.seal.open(r.Sealed, id)
		if err != nil {
			return txn.Transaction{}, secretPart{}, fmt.Errorf("%w: %w", errUnreadable, err)
		}
		err = json.Unmarshal(plain, &sec)
		clear(plain)
		if err != nil {
			return txn.Transaction{}, secretPart{}, fmt.Errorf("%w: decode sealed part: %w", errUnreadable, err)
		}
	}
	return join(r.Tx, sec), sec, nil
}

// Delay returns the wait before retry number attempt (1 for the first
// retry) given the backend's Retry-After: full jitter under the exponential
// ceiling, at least retryAfter, at most Cap.
func (b Backoff) Delay(attempt int, retryAfter time.Duration, rnd func() float64) time.Duration {
	ceil := b.Cap
	attempt = max(attempt, 1)
	if attempt < 40 {
		if c := b.Base << (attempt - 1); c > 0 && c < ceil {
			ceil = c
		}
	}
	d := time.Duration(rnd() * float64(ceil))
	d = max(d, retryAfter)
	return min(d, b.Cap)
}

func (o *Outbox) fail(it *item, cause error, permanent bool, retryAfter time.Duration, reason string) {
	o.m.failures.WithLabelValues(reason).Inc()
	o.mu.Lock()
	it.attempts++
	attempts := it.attempts
	o.mu.Unlock()
	now := o.now()
	next := now.Add(o.backoff.Delay(int(attempts), retryAfter, o.rnd))
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	e := queueEntry{enqueued: it.enqueued, next: next, attempts: attempts, parked: permanent}
	err := o.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketQueue).Put([]byte(it.id), e.encode()); err != nil {
			return err
		}
		return updateRecord(tx, it.id, func(r *record) {
			r.Attempts = int(attempts)
			r.LastError = reason + ": " + msg
			if permanent {
				r.State = Parked
			}
		})
	})
	if err != nil {
		// The attempt's bookkeeping is lost, never the transaction: it
		// stays pending and will be tried again.
		o.log.Warn("outbox could not record a failed attempt", "tx", it.id, "err", err)
		permanent = false
	}
	o.mu.Lock()
	it.inflight = false
	it.next = next
	if permanent {
		it.parked = true
		o.log.Warn("outbox parked a transaction", "tx", it.id, "reason", reason)
		words := reason
		var rm interface{ ResidentMessage() string }
		if errors.As(cause, &rm) && rm.ResidentMessage() != "" {
			words = rm.ResidentMessage()
		}
		o.notify(it.id, txn.Result{TxID: it.id, Outcome: txn.Rejected, Message: words})
	} else {
		heap.Push(&o.due, it)
		o.notify(it.id, txn.Result{TxID: it.id, Outcome: txn.Queued})
	}
	o.mu.Unlock()
}

func (o *Outbox) acknowledge(it *item, tx txn.Transaction, sec secretPart, res txn.Result) {
	now := o.now()
	if res.TxID == "" {
		res.TxID = it.id
	}
	masked := maskResult(res, sec)
	err := o.db.Update(func(btx *bolt.Tx) error {
		if err := updateRecord(btx, it.id, func(r *record) {
			clear(r.Sealed)
			r.Sealed = nil
			r.State = Delivered
			r.Attempts = int(it.attempts) + 1
			r.LastError = ""
			r.DeliveredAt = now
			r.Result = &masked
			if res.TrackingNo != "" {
				r.TrackingNo = res.TrackingNo
			}
		}); err != nil {
			return err
		}
		if err := btx.Bucket(bucketQueue).Delete([]byte(it.id)); err != nil {
			return err
		}
		return btx.Bucket(bucketDelivered).Put(deliveredKey(now, it.id), nil)
	})
	if err != nil {
		// The backend has it but we could not record that: keep it
		// pending; the next delivery is deduplicated by its id.
		o.fail(it, fmt.Errorf("recording acknowledgement: %w", err), false, 0, "store")
		return
	}
	o.m.latency.Observe(now.Sub(it.enqueued).Seconds())
	o.mu.Lock()
	delete(o.items, it.id)
	it.inflight = false
	o.changedLocked()
	o.notify(it.id, res)
	o.mu.Unlock()
	o.log.Debug("outbox delivered", "tx", it.id, "outcome", res.Outcome, "service", tx.ServiceID,
		"person", maskedName(sec.Person))
}

func maskedName(p *txn.Person) string {
	if p == nil {
		return ""
	}
	return mask.Name(p.Name)
}

// itemHeap orders pending items by due time, then id.
type itemHeap []*item

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	if !h[i].next.Equal(h[j].next) {
		return h[i].next.Before(h[j].next)
	}
	return h[i].id < h[j].id
}
func (h itemHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *itemHeap) Push(x any) {
	it := x.(*item)
	it.idx = len(*h)
	*h = append(*h, it)
}
func (h *itemHeap) Pop() any {
	old := *h
	n := len(old)
	it := old[n-1]
	old[n-1] = nil
	it.idx = -1
	*h = old[:n-1]
	return it
}
