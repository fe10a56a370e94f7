package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/henan-county/kiosk/kiosk/txn"
)

// Payments are kept in the outbox's file, beside the transactions they pay
// for, under the same key: the payer's record of each payment (order,
// state, amount, nothing personal) and, until the payment is final, the
// transaction it pays for, sealed, so a payment taken before a power cut is
// completed (or refunded) after it. kiosk/payment owns the record's
// meaning; the outbox keeps it durably.

var bucketPayments = []byte("payments") // tx id -> paymentRecord (JSON)

type paymentRecord struct {
	Public  json.RawMessage `json:"public"`
	Sealed  []byte          `json:"sealed,omitempty"`
	Final   bool            `json:"final,omitempty"`
	Updated time.Time       `json:"updated"`
}

func paymentAD(id string) string { return "payment\x00" + id }

// SavePayment writes the record of the payment for transaction id, fsynced
// before it returns. With tx the transaction is kept too (sealed); without
// it the kept one stays. A final payment drops its transaction: nothing
// personal outlives the payment's end.
func (o *Outbox) SavePayment(id string, public []byte, tx *txn.Transaction, final bool) error {
	if id == "" || len(id) > 128 {
		return fmt.Errorf("%w: payment id %q", ErrInvalid, id)
	}
	if !json.Valid(public) {
		return fmt.Errorf("%w: payment %s: record is not JSON", ErrInvalid, id)
	}
	o.mu.Lock()
	closed := o.closed
	o.mu.Unlock()
	if closed {
		return ErrClosed
	}
	var sealed []byte
	if tx != nil && !final {
		plain, err := json.Marshal(tx)
		if err != nil {
			return fmt.Errorf("outbox: save payment %s: %w", id, err)
		}
		sealed = o.seal.seal(plain, paymentAD(id))
		clear(plain)
	}
	err := o.db.Update(func(btx *bolt.Tx) error {
		b := btx.Bucket(bucketPayments)
		rec := paymentRecord{Public: public, Sealed: sealed, Final: final, Updated: o.now()}
		if old := b.Get([]byte(id)); old != nil && tx == nil && !final {
			var prev paymentRecord
			if err := json.Unmarshal(old, &prev); err == nil {
				rec.Sealed = prev.Sealed
			}
		}
		v, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), v)
	})
	if err != nil {
		o.m.failures.WithLabelValues("store").Inc()
		return fmt.Errorf("outbox: save payment %s: %w", id, err)
	}
	return nil
}

// Payment returns the record of the payment for transaction id and the
// transaction kept with it (nil when none is kept). ErrNotFound when the
// outbox holds no such payment.
func (o *Outbox) Payment(id string) ([]byte, *txn.Transaction, error) {
	var rec paymentRecord
	err := o.db.View(func(btx *bolt.Tx) error {
		v := btx.Bucket(bucketPayments).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &rec)
	})
	if errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("outbox: payment %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("outbox: payment %s: %w: %v", id, errUnreadable, err)
	}
	if len(rec.Sealed) == 0 {
		return rec.Public, nil, nil
	}
	plain, err := o.seal.open(rec.Sealed, paymentAD(id))
	if err != nil {
		return nil, nil, fmt.Errorf("outbox: payment %s: %w: %v", id, errUnreadable, err)
	}
	defer clear(plain)
	var tx txn.Transaction
	if err := json.Unmarshal(plain, &tx); err != nil {
		return nil, nil, fmt.Errorf("outbox: payment %s: %w: %v", id, errUnreadable, err)
	}
	return rec.Public, &tx, nil
}

// PaymentRecords returns the record of every payment kept, by transaction
// id; final ones only when all is set.
func (o *Outbox) PaymentRecords(all bool) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := o.db.View(func(btx *bolt.Tx) error {
		return btx.Bucket(bucketPayments).ForEach(func(k, v []byte) error {
			var rec paymentRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				o.log.Warn("outbox: unreadable payment record", "tx", string(k), "err", err)
				return nil
			}
			if rec.Final && !all {
				return nil
			}
			out[string(k)] = append([]byte(nil), rec.Public...)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: payments: %w", err)
	}
	return out, nil
}

// purgePayments deletes final payment records older than cutoff.
func purgePayments(btx *bolt.Tx, cutoff time.Time) (int, error) {
	b := btx.Bucket(bucketPayments)
	var old [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var rec paymentRecord
		if json.Unmarshal(v, &rec) == nil && rec.Final && rec.Updated.Before(cutoff) {
			old = append(old, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
