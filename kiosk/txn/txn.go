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
	// PaymentOrder is the number of the paid order the transaction pays
	// with (a payment matter); "" for a matter that takes no money.
	PaymentOrder string `json:"payment_order,omitempty"`
	// Assisted is set when a 帮办员 did the matter with the resident
	// (帮办模式, assist.go).
	Assisted *Assisted `json:"assisted,omitempty"`
}

// Person is the identity the backend needs from the card.
type Person struct {
	CardType identity.CardType `json:"card_type"`
	Name     string            `json:"name"`
	IDNumber string            `json:"id_number"`
	// Proof is how the kiosk knows the identity: "" for a card read on the
	// reader, "identity_code" for an electronic ID code the backend
	// verified.
	Proof string `json:"proof,omitempty"`
	// FaceVerification is the backend's id of the face check the
	// resident passed at the kiosk for a face_check matter.
	FaceVerification string `json:"face_verification,omitempty"`
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

// TrackingNo returns the tracking number a resident is given for
// transaction txID taken at kiosk kioskID: eight characters from an
// alphabet without look-alikes (TrackingAlphabet: no 0/O, 1/I/L or U), e.g.
// "K7QH2M4X", shown and printed in two groups of four ("K7QH 2M4X", see
// GroupTracking) so it can be read out on the hotline and written down.
//
// It needs no backend, so a receipt printed while offline carries the
// number the backend later accepts, and it is the same every time for the
// same transaction (a retried or replayed submission sends the same
// number). It is unique per kiosk: the creation time NewID encoded in the
// id, to the tenth of a second, and six bits of the id make a number below
// 30⁸ (two transactions collide only when taken in the same tenth of a
// second and then with odds of 1 in 64, over a period of 32 years), which a
// permutation keyed by the kiosk id turns into the code, so two kiosks give
// unrelated codes at the same moment. Ids not made by NewID get a code
// from a hash of the id alone.
//
// Numbers made by earlier builds ("ZM20261126K7QH2M4X") stay valid:
// ValidTrackingNo accepts both, and outbox records keep the number they
// were taken with.
func TrackingNo(kioskID, txID string) string {
	var x uint64
	idSum := sha256.Sum256([]byte(txID))
	if t, ok := idTime(txID); ok {
		ds := t.Sub(trackingEpoch) / (100 * time.Millisecond)
		slot := uint64(((int64(ds) % trackingPeriod) + trackingPeriod) % trackingPeriod)
		x = slot*trackingSpread + uint64(idSum[0])%trackingSpread
	} else {
		x = binary.BigEndian.Uint64(idSum[:8]) % trackingSpace
	}
	x = permute(kioskID, x)
	var code [TrackingLen]byte
	for i := TrackingLen - 1; i >= 0; i-- {
		code[i] = TrackingAlphabet[x%trackingBase]
		x /= trackingBase
	}
	return string(code[:])
}

// TrackingAlphabet is the tracking code's alphabet: the digits 2–9 and the
// capital letters without I, L, O and U, so nothing reads as another
// character (0/O, 1/I/L, U/V) on the screen, on thermal paper or aloud.
const TrackingAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// TrackingLen is the length of a tracking code.
const TrackingLen = 8

const (
	trackingBase   = uint64(len(TrackingAlphabet)) // 30
	trackingHalf   = 810000                        // 30⁴: one group of four
	trackingSpace  = trackingHalf * trackingHalf   // 30⁸
	trackingSpread = 64                            // codes per tenth of a second
	trackingPeriod = int64(trackingSpace / trackingSpread)
)

// trackingEpoch is where the tenths of a second of a code are counted
// from; the codes repeat 32.5 years later.
var trackingEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// permute is a bijection of [0, 30⁸) keyed by the kiosk id: a four-round
// Feistel network on the two groups of four characters.
func permute(key string, x uint64) uint64 {
	l, r := x/trackingHalf, x%trackingHalf
	var buf []byte
	for round := byte(0); round < 4; round++ {
		buf = append(buf[:0], key...)
		buf = append(buf, 0, round, byte(r>>16), byte(r>>8), byte(r))
		f := sha256.Sum256(buf)
		l, r = r, (l+binary.BigEndian.Uint64(f[:8])%trackingHalf)%trackingHalf
	}
	return l*trackingHalf + r
}

// ValidTrackingNo reports whether s is a tracking number in canonical
// form: this build's eight-character code, or the 18-character number of
// earlier builds ("ZM" + YYYYMMDD + eight characters), which outbox records
// and receipts already handed out may still carry.
func ValidTrackingNo(s string) bool {
	switch len(s) {
	case TrackingLen:
		return inAlphabet(s, TrackingAlphabet)
	case 18:
		if s[:2] != "ZM" {
			return false
		}
		for i := 2; i < 10; i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return inAlphabet(s[10:], legacyAlphabet)
	}
	return false
}

// legacyAlphabet is the alphabet of the eight last characters of the
// tracking numbers of earlier builds.
const legacyAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func inAlphabet(s, alphabet string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(alphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// ParseTrackingNo reads a tracking number as a resident or an operator
// types it: spaces and hyphens are ignored and small letters are taken
// as capitals. It returns the canonical form and whether it is valid.
func ParseTrackingNo(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\u3000':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	c := b.String()
	return c, ValidTrackingNo(c)
}

// GroupTracking writes a tracking number for reading: an eight-character
// code in two groups of four ("K7QH 2M4X"), a number of earlier builds
// with its code apart ("ZM20261126 K7QH2M4X"). Anything else is returned
// as it is.
func GroupTracking(s string) string {
	switch {
	case len(s) == TrackingLen && ValidTrackingNo(s):
		return s[:4] + " " + s[4:]
	case len(s) == 18 && ValidTrackingNo(s):
		return s[:10] + " " + s[10:]
	}
	return s
}

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
