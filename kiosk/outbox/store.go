package outbox

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/txn"
)

// Buckets of the bbolt file.
var (
	bucketRecords   = []byte("records")   // id -> record (JSON)
	bucketQueue     = []byte("queue")     // id -> queueEntry (binary), every unacknowledged transaction
	bucketDelivered = []byte("delivered") // deliveredAt(8, BE unix ns) || id -> nothing, for retention
)

// State of a transaction in the outbox.
type State string

const (
	Pending   State = "pending"   // waiting for (re)delivery
	Parked    State = "parked"    // permanently rejected; waits for a technician
	Delivered State = "delivered" // acknowledged; kept masked for reprints until purged
)

// record is what the outbox keeps per transaction. Tx is the public part
// (personal values masked); Sealed holds the personal part encrypted and is
// dropped on acknowledgement.
type record struct {
	Tx          txn.Transaction `json:"tx"`
	Sealed      []byte          `json:"sealed,omitempty"`
	TrackingNo  string          `json:"tracking_no"`
	State       State           `json:"state"`
	Attempts    int             `json:"attempts"`
	LastError   string          `json:"last_error,omitempty"`
	EnqueuedAt  time.Time       `json:"enqueued_at"`
	DeliveredAt time.Time       `json:"delivered_at,omitzero"`
	Result      *txn.Result     `json:"result,omitempty"` // masked
}

type secretPart struct {
	Person *txn.Person       `json:"person,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

// queueEntry is the small fixed-size entry start-up recovery reads.
type queueEntry struct {
	enqueued time.Time
	next     time.Time
	attempts uint32
	parked   bool
}

const queueEntrySize = 21

func (q queueEntry) encode() []byte {
	b := make([]byte, queueEntrySize)
	binary.BigEndian.PutUint64(b[0:], uint64(q.enqueued.UnixNano()))
	binary.BigEndian.PutUint64(b[8:], uint64(q.next.UnixNano()))
	binary.BigEndian.PutUint32(b[16:], q.attempts)
	if q.parked {
		b[20] = 1
	}
	return b
}

func decodeQueueEntry(b []byte) (queueEntry, error) {
	if len(b) != queueEntrySize {
		return queueEntry{}, fmt.Errorf("outbox: queue entry of %d bytes", len(b))
	}
	return queueEntry{
		enqueued: time.Unix(0, int64(binary.BigEndian.Uint64(b[0:]))),
		next:     time.Unix(0, int64(binary.BigEndian.Uint64(b[8:]))),
		attempts: binary.BigEndian.Uint32(b[16:]),
		parked:   b[20] == 1,
	}, nil
}

func deliveredKey(at time.Time, id string) []byte {
	k := make([]byte, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(at.UnixNano()))
	copy(k[8:], id)
	return k
}

func decodeRecord(b []byte) (*record, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("outbox: decode record: %w", err)
	}
	return &r, nil
}
