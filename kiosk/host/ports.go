package host

import (
	"context"
	"errors"
	"image"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// The ports: what the host needs done in the world, each as small as the
// host's use of it. The daemon builds adapters that satisfy them from the
// drivers, the outbox and the backend client; tests satisfy them with
// small fakes. A nil port means the kiosk has no such thing, and the host
// says so to the resident where it matters.

// Outbox commits a transaction durably before anything else and delivers
// it; it returns the backend's answer if it comes within wait, else a
// queued result with the tracking number the backend will honour.
type Outbox interface {
	SubmitNow(ctx context.Context, tx txn.Transaction, wait time.Duration) (txn.Result, error)
}

// Backend is the county backend, asked directly: for matters that need
// an answer now, and for ratings. A refusal that retrying cannot change
// wraps ErrRejected and carries the backend's reason in its text
// (Rejection tells it); anything else counts as "not reached".
type Backend interface {
	Submit(ctx context.Context, tx txn.Transaction) (txn.Result, error)
	Rate(ctx context.Context, txID string, score int) error
}

// ErrRejected marks a backend answer that refuses a transaction for good.
var ErrRejected = errors.New("host: the backend refused the transaction")

// Rejection is a backend refusal with the backend's reason for the
// resident.
type Rejection struct{ Reason string }

func (r *Rejection) Error() string { return "backend refused: " + r.Reason }

// Unwrap makes errors.Is(err, ErrRejected) hold.
func (r *Rejection) Unwrap() error { return ErrRejected }

// Printer prints a receipt on the kiosk's slip printer. An error wrapping
// ErrPaperOut means the roll ran out (the resident is told to ask for a
// reprint); any other error is a printer fault.
type Printer interface {
	PrintReceipt(ctx context.Context, doc receipt.Doc) error
}

// ErrPaperOut marks a print that stopped because the paper ran out.
var ErrPaperOut = errors.New("host: printer out of paper")

// Lights drives the cabinet's status lamp with a session.Light* pattern.
type Lights interface {
	SetLight(pattern string) error
}

// Voice speaks prompts and holds the resident's voice settings. Every
// method returns at once; speech is made and played elsewhere, and a
// newer prompt replaces one not yet played.
type Voice interface {
	Say(text string)
	// Set applies the resident's volume (0..1) and voice on/off.
	Set(volume float64, on bool)
	// Reset restores the kiosk's default volume with the voice on.
	Reset()
}

// Catalog applies a staged service list. The host calls it only between
// residents' sessions; it reports whether a list was applied.
type Catalog interface {
	ApplyStaged(now time.Time) (applied bool)
}

// Journal records what technicians and metrics see of the journey. Its
// calls must not block. Nothing personal is passed to it.
type Journal interface {
	SessionStarted()
	SessionEnded(reason string)
	Submitted(tx txn.Transaction, res txn.Result, took time.Duration, err error)
	Printed(err error)
	Rated(txID string, score int, err error)
	// Document says how a print matter's A4 document ended: "printed",
	// or the session.DocFault that stopped it ("refused", "unreached",
	// "paper_out", …). A matter whose proof did not print is not done
	// for the resident, whatever the backend answered.
	Document(outcome string)
}

// Handwriting recognises the character written on the writing pad from
// its strokes (pad coordinates, 0..session.PadSize): candidates best
// first. Without it the kiosk offers no pad, only pinyin.
type Handwriting interface {
	Recognize(ctx context.Context, strokes [][]session.Point) ([]string, error)
}

// SMS sends a resident the tracking number by text message, to the
// mobile number they gave on the form: the way to keep the number when
// the slip could not be printed. It returns once the backend has taken
// the message. Implementations never log the phone unmasked.
type SMS interface {
	SendTrackingSMS(ctx context.Context, phone, trackingNo string) error
}

// Documents fetches, keeps and prints the A4 documents of print matters.
// The adapter keeps each fetched document encrypted until it is printed,
// released, or its retention period ends, so a technician can reprint one
// a fault stopped.
type Documents interface {
	// Fetch downloads the document the backend issued for transaction
	// txID, checks it (size cap, SHA-256, a well-formed PDF), keeps it and
	// renders its first page. An error wrapping ErrDocumentRefused means
	// the document failed its checks (or none was issued); the adapter
	// has recorded a technician event. Any other error: not reached.
	Fetch(ctx context.Context, txID string) (Document, error)
	// Print sends the kept document to the A4 printer and follows the job
	// to its end, calling progress as pages come out. It returns nil only
	// when the job completed cleanly; a fault wraps one of the ErrA4*
	// errors and leaves the document kept for a reprint.
	Print(ctx context.Context, job A4Job, progress func(page, pages int)) error
	// Release says the session that fetched txID's document has ended:
	// the adapter forgets it unless a fault keeps it for a reprint.
	Release(txID string)
}

// Document is a fetched, checked document.
type Document struct {
	Title, Department, VerificationCode string
	Pages                               int
	Preview                             image.Image // the first page
}

// A4Job is one print of a kept document.
type A4Job struct {
	TxID    string
	Title   string // the matter's name, for the job's name in CUPS
	Reprint bool
}

// Conditions of the document path that the resident is told about.
var (
	ErrDocumentRefused = errors.New("host: document refused")
	ErrA4PaperOut      = errors.New("host: A4 printer out of paper")
	ErrA4Jam           = errors.New("host: A4 paper jam")
	ErrA4DoorOpen      = errors.New("host: A4 printer door open")
	ErrA4TonerEmpty    = errors.New("host: A4 printer toner empty")
	ErrA4Offline       = errors.New("host: A4 printer offline")
)

// Payments takes residents' money for payment matters (*payment.Payer).
// Each call records the payment durably before it asks the backend; an
// error from Charge or Query means the outcome is not known (ask again,
// never charge again). Release hands a payment the session no longer
// owns to the payer's own resolution: cancelled if unpaid, completed or
// refunded if paid.
type Payments interface {
	Open(ctx context.Context, tx txn.Transaction, svc *catalog.Service) (payment.Record, error)
	Charge(ctx context.Context, txID, code string) (payment.Record, error)
	Query(ctx context.Context, txID string) (payment.Record, error)
	Submitted(ctx context.Context, txID string) error
	Refund(ctx context.Context, txID, reason string) (payment.Record, error)
	Release(ctx context.Context, txID string) error
}

// IdentityCodes has the backend verify a resident's electronic ID code
// (*backend.Client). The code is single-use; a refusal is a permanent
// *backend.Error whose Reason says why (backend.CodeExpired, …).
type IdentityCodes interface {
	VerifyIdentityCode(ctx context.Context, code string) (backend.CodeIdentity, error)
}

// SlotLight drives the light over the A4 output slot.
type SlotLight interface {
	SetSlotLight(on bool) error
}

// Ports are the host's connections to the world.
type Ports struct {
	Outbox  Outbox
	Backend Backend
	Printer Printer
	Lights  Lights
	Voice   Voice
	Catalog Catalog
	Journal Journal
	// Handwriting is the writing pad's recogniser (nil: no pad).
	Handwriting Handwriting
	// SMS sends tracking numbers by text message (nil: the kiosk cannot,
	// and the resident is told so when she asks).
	SMS SMS
	// Documents fetches and prints A4 documents (nil: the kiosk has no A4
	// printer, and print matters are unavailable).
	Documents Documents
	// Slot is the output-slot light (nil: none).
	Slot SlotLight
	// Payments takes payments (nil: the kiosk takes none, and payment
	// matters are unavailable).
	Payments Payments
	// IdentityCodes verifies electronic ID codes (nil: the identify screen
	// takes the card only).
	IdentityCodes IdentityCodes
	// Camera takes the face checks of face_check matters (nil: the kiosk
	// has no camera, and those matters are unavailable).
	Camera Camera
	// Phone calls the duty desk (nil: the kiosk has no phone, and help
	// offers the hotline and the QR code only).
	Phone Phone
	// Staff checks 帮办模式's staff numbers and PINs (nil: no staff
	// configured, and the help overlay does not offer the mode).
	Staff Staff
}
