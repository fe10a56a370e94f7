// Package txn is the kiosk's model of one resident transaction as it moves
// from the session through the outbox to the county backend, and of the
// backend's answer.
package txn

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/identity"
)

// Transaction is what a resident submitted. ID is also the idempotency key
// the backend deduplicates on, so a retried delivery is never a second
// transaction.
type Transaction struct {
	ID             string            `json:"id"`
	KioskID        string            `json:"kiosk_id"`
	ServiceID      string            `json:"service_id"`
	CatalogVersion int64             `json:"catalog_version"`
	CreatedAt      time.Time         `json:"created_at"`
	Fields         map[string]string `json:"fields"`             // form values by field id
	Person         *Person           `json:"person,omitempty"`   // from the ID card, when the matter needs one
	Personal       []string          `json:"personal,omitempty"` // ids of Fields holding personal data
	// ServiceKind is the catalog kind of the matter (query, print, apply,
	// certify, appointment); the backend uses it to decide whether it
	// answers now or queues the matter for its department.
	ServiceKind string `json:"service_kind,omitempty"`
}

// Person is the identity the backend needs from the card.
type Person struct {
	CardType identity.CardType `json:"card_type"`
	Name     string            `json:"name"`
	IDNumber string            `json:"id_number"`
}

// Outcome of a transaction as the resident is told it.
type Outcome string

const (
	Completed Outcome = "completed" // done now; Result holds what to show or print
	Queued    Outcome = "queued"    // taken; the department processes it within the time limit
	Rejected  Outcome = "rejected"  // the backend refused it permanently; Message says why
	Unreached Outcome = "unreached" // needs an answer now and the backend could not be reached
)

// Result is what the resident is shown and what the receipt prints.
type Result struct {
	TxID       string       `json:"tx_id"`
	Outcome    Outcome      `json:"outcome"`
	TrackingNo string       `json:"tracking_no,omitempty"`
	Message    string       `json:"message,omitempty"`
	Lines      []ResultLine `json:"lines,omitempty"` // e.g. a query's answer, a record's rows
	// Document lines to print in full (a payment record, a certificate).
	Document []string `json:"document,omitempty"`
}

// ResultLine is one labelled value of a result.
type ResultLine struct {
	// Key names the value for receipt templates (result.KEY): doc_no,
	// verify_code, accept_no, place, slot, summary, outcome, valid_until.
	Key   string `json:"key,omitempty"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// NewID returns a new transaction id: a time-ordered, random, URL-safe
// string (26 characters) usable as an idempotency key.
func NewID(now time.Time) string {
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	if _, err := rand.Read(b[6:]); err != nil {
		panic("txn: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Wipe zeroes the personal content of t in place.
func (t *Transaction) Wipe() {
	if t == nil {
		return
	}
	clear(t.Fields)
	t.Person = nil
}

// TrackingNo returns the tracking number printed on a resident's receipt
// for transaction txID taken at kiosk kioskID: "ZM", the date encoded in the
// id (YYYYMMDD, UTC+8), and eight characters derived from the kiosk and the
// id, e.g. "ZM20261126K7QH2M4X". It needs no backend, so a receipt printed
// while offline carries the number the backend later accepts. Ids not made
// by NewID get the date "00000000".
func TrackingNo(kioskID, txID string) string {
	date := "00000000"
	if t, ok := idTime(txID); ok {
		date = t.In(chinaTime).Format("20060102")
	}
	sum := sha256.Sum256([]byte(kioskID + "\x00" + txID))
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" // no 0/O, 1/I
	var tail [8]byte
	v := binary.BigEndian.Uint64(sum[:8])
	for i := range tail {
		tail[i] = alphabet[v&31]
		v >>= 5
	}
	return "ZM" + date + string(tail[:])
}

// chinaTime is UTC+8, the time zone of every receipt.
var chinaTime = time.FixedZone("CST", 8*3600)

// idTime recovers the creation time NewID encoded in id.
func idTime(id string) (time.Time, bool) {
	if len(id) != 26 {
		return time.Time{}, false
	}
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(id))
	if err != nil || len(b) != 16 {
		return time.Time{}, false
	}
	var ms uint64
	for _, c := range b[:6] {
		ms = ms<<8 | uint64(c)
	}
	return time.UnixMilli(int64(ms)), true
}
