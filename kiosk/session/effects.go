package session

import (
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Effect is work the daemon does for the Machine. The daemon reports the
// outcome back as an Event (SubmitTx → Submitted, Print → Printed).
type Effect interface{ isEffect() }

// SubmitTx asks the daemon to commit Tx to the outbox and deliver it, then
// post Submitted. Tx belongs to the daemon from here on.
type SubmitTx struct {
	Tx      txn.Transaction
	Service *catalog.Service
}

// Print asks the daemon to compose and print the receipt, then post Printed.
type Print struct {
	Service *catalog.Service
	Result  txn.Result
	Fields  map[string]string // a copy of the form values
	Card    identity.Card     // masked copy
	Elder   bool
	// Person is the applicant in full, as submitted, only for masking
	// the backend's answer on the slip (receipt.Input.Person); never
	// printed. Nil when the matter reads no card.
	Person *txn.Person
	// A4Pages is how many pages of the matter's A4 document were printed
	// (0: none); the slip says so. A4Code is that document's verification
	// code.
	A4Pages int
	A4Code  string
	// Paid is the matter's payment (nil: none), with its refund if the
	// money went back; the slip shows it.
	Paid *PayOrder
}

// SendRating sends the resident's rating of a transaction (5 best … 1 worst).
type SendRating struct {
	TxID  string
	Score int
}

// Speak asks for a spoken prompt in Mandarin.
type Speak struct{ Text string }

// SessionEnded says a session ended and everything personal was wiped. The
// daemon applies a pending catalog and resets the volume then.
type SessionEnded struct{ Reason string }

// Reasons a session ends.
const (
	ReasonFinished    = "finished"
	ReasonCancelled   = "cancelled"
	ReasonTimeout     = "timeout"
	ReasonMaintenance = "maintenance"
)

// Light sets the status lamp: LightReady, LightBusy, LightAttention, LightFault.
type Light struct{ Pattern string }

// Lamp patterns.
const (
	LightReady     = "ready"
	LightBusy      = "busy"
	LightAttention = "attention"
	LightFault     = "fault"
)

func (SubmitTx) isEffect()     {}
func (Print) isEffect()        {}
func (SendRating) isEffect()   {}
func (Speak) isEffect()        {}
func (SessionEnded) isEffect() {}
func (Light) isEffect()        {}
