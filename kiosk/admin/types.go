// Package admin is the kiosk's local admin API: HTTP with JSON on a unix
// socket, used by kioskctl and the on-screen technician mode. The peer's
// uid is checked on every connection; request bodies are size-limited and
// malformed requests get clear errors. Nothing it returns carries
// unmasked personal data.
package admin

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// Status is GET /v1/status.
type Status struct {
	KioskID     string           `json:"kiosk_id"`
	Hall        string           `json:"hall"`
	Version     string           `json:"version"`
	Sim         bool             `json:"sim"`
	StartedAt   time.Time        `json:"started_at"`
	UptimeSec   float64          `json:"uptime_seconds"`
	Maintenance bool             `json:"maintenance"`
	Screen      string           `json:"screen"`
	Devices     []devices.Status `json:"devices"`
	Catalog     CatalogInfo      `json:"catalog"`
	Outbox      OutboxInfo       `json:"outbox"`
	Backend     BackendInfo      `json:"backend"`
	// MaintenanceUntil is when the technician expects the kiosk back
	// (zero: not said).
	MaintenanceUntil time.Time `json:"maintenance_until,omitzero"`
}

// CatalogInfo describes the active service list.
type CatalogInfo struct {
	Version   int64     `json:"version"`
	Hash      string    `json:"hash"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Stale     bool      `json:"stale"`
	Services  int       `json:"services"`
	// AtKiosks: how many of them kiosks do; the others are listed so a
	// resident learns where they are done.
	AtKiosks int    `json:"at_kiosks"`
	Source   string `json:"source,omitempty"` // embedded, store, last-known-good
	Pending  int64  `json:"pending_version,omitempty"`
	// NotInRollout is a newer list's version whose rollout does not name
	// this kiosk's hall: the kiosk keeps its list (not a fault).
	NotInRollout  int64  `json:"not_in_rollout,omitempty"`
	LastRejection string `json:"last_rejection,omitempty"`
}

// OutboxInfo summarises the outbox.
type OutboxInfo struct {
	Depth        int     `json:"depth"`
	Parked       int     `json:"parked"`
	OldestAgeSec float64 `json:"oldest_age_seconds"`
}

// BackendInfo says whether the county backend answers.
type BackendInfo struct {
	URL         string    `json:"url"`
	Reachable   bool      `json:"reachable"`
	LastError   string    `json:"last_error,omitempty"`
	LastContact time.Time `json:"last_contact,omitzero"`
}

// Check is one self-test result.
type Check struct {
	Device   string `json:"device"`
	Name     string `json:"check"`
	Pass     bool   `json:"pass"`
	Detail   string `json:"detail,omitempty"`
	Remedy   string `json:"remedy,omitempty"`    // 中文
	RemedyEN string `json:"remedy_en,omitempty"` // English
}

// Pin is one GPIO pin.
type Pin struct {
	Name      string `json:"name"`
	BoardName string `json:"board_name"`
	Direction string `json:"direction"` // in, out
	On        bool   `json:"on"`
}

// OutboxItem is one transaction in the outbox, masked.
type OutboxItem struct {
	ID         string    `json:"id"`
	Service    string    `json:"service"`
	State      string    `json:"state"` // pending, parked, delivered
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error,omitempty"`
	Created    time.Time `json:"created"`
	TrackingNo string    `json:"tracking_no,omitempty"`
	// Payment is the payment of a payment matter. A payment whose
	// transaction is not in the outbox yet (not paid, or cancelled) is
	// listed with State "payment".
	Payment *PaymentItem `json:"payment,omitempty"`
}

// PaymentItem is one payment the kiosk keeps, masked: never a payment
// code, the payer only as the code's last four digits. Final payments
// stay listed until the outbox's retention.
type PaymentItem struct {
	TxID      string    `json:"tx_id"`
	Service   string    `json:"service"`
	Step      string    `json:"step"` // ordering, open, charging, paying, paid, submitted, cancelling, refunding; completed, cancelled, failed, refunded, nothing_due
	Final     bool      `json:"final"`
	OrderNo   string    `json:"order_no,omitempty"`
	AmountFen int64     `json:"amount_fen,omitempty"`
	Channel   string    `json:"channel,omitempty"`
	Payer     string    `json:"payer,omitempty"` // ****6789
	RefundNo  string    `json:"refund_no,omitempty"`
	Updated   time.Time `json:"updated"`
	LastError string    `json:"last_error,omitempty"`
}

// CardRead is a card read test's result, masked.
type CardRead struct {
	Type          string `json:"type"`
	Name          string `json:"name"`
	IDNumber      string `json:"id_number"`
	IDNumberValid bool   `json:"id_number_valid"`
	ValidTo       string `json:"valid_to"`
}

// Problem is every error reply (application/problem+json).
type Problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Request bodies.
type (
	// GPIORequest is POST /v1/gpio.
	GPIORequest struct {
		Name     string `json:"name"`
		Action   string `json:"action"` // on, off, pulse
		Duration string `json:"duration,omitempty"`
	}
	// DeviceRequest names a device.
	DeviceRequest struct {
		Device string `json:"device"`
	}
	// CatalogRequest is POST /v1/catalog: the file's bytes and its .minisig text.
	CatalogRequest struct {
		Catalog   []byte `json:"catalog"` // base64 in JSON
		Signature string `json:"signature"`
	}
	// MaintenanceRequest is PUT /v1/maintenance. Until (optional, with On)
	// is when the technician expects the kiosk back, as ParseUntil reads
	// it ("15:30"): residents are told.
	MaintenanceRequest struct {
		On    bool   `json:"on"`
		Until string `json:"until,omitempty"`
	}
	// RetryRequest is POST /v1/outbox/retry; an empty ID retries every parked item.
	RetryRequest struct {
		ID string `json:"id"`
	}
	// SimCardRequest is POST /v1/sim/card.
	SimCardRequest struct {
		Fixture string `json:"fixture"`
	}
	// SimPrinterRequest is POST /v1/sim/printer.
	SimPrinterRequest struct {
		Paper   string `json:"paper,omitempty"` // ok, low, out
		Cover   string `json:"cover,omitempty"` // open, closed
		Offline *bool  `json:"offline,omitempty"`
		Unplug  *bool  `json:"unplug,omitempty"`
	}
	// SimA4Request is POST /v1/sim/a4: the simulated A4 printer.
	SimA4Request struct {
		// Paper: "out" (the next job runs out mid-way), "jam" (the next
		// job jams), "ok" (paper refilled, jam cleared).
		Paper   string `json:"paper,omitempty"`
		Offline *bool  `json:"offline,omitempty"` // the printer switched off, or on again
	}
	// SimGPIORequest is POST /v1/sim/gpio: drive an input pin.
	SimGPIORequest struct {
		Name string `json:"name"`
		High bool   `json:"high"`
	}
	// SimScanRequest is POST /v1/sim/scan: the simulated code scanner
	// sends Text, then its line end, as one scan (control characters
	// included, to try garbage).
	SimScanRequest struct {
		Text string `json:"text"`
		// IdentityCode, instead of Text: the card fixture whose resident
		// shows an electronic ID code (豫事办电子身份证), fresh from the
		// simulated backend, at the scanner.
		IdentityCode string `json:"identity_code,omitempty"`
	}
	// SimIDCardRequest is POST /v1/sim/idcard.
	SimIDCardRequest struct {
		Fault  string `json:"fault,omitempty"`
		Unplug *bool  `json:"unplug,omitempty"`
		// FindAfterRead is how the simulated reader answers find for a
		// card it has read: "halts" or "refinds".
		FindAfterRead string `json:"find_after_read,omitempty"`
	}
)

// MaxSimScan is the longest text POST /v1/sim/scan sends: longer than any
// code the kiosk takes (scanner.DefaultMaxLen), to try an over-long one.
const MaxSimScan = 4096

// ScreenInfo is GET /v1/sim/screen: what the resident's screen shows, as
// widget ids and their rectangles in window pixels, so end-to-end tests can
// tap them with real pointer input. Labels are left out: they may hold
// (masked) personal data.
type ScreenInfo struct {
	Screen  string   `json:"screen"`
	Rev     uint64   `json:"rev"`
	Widgets []Widget `json:"widgets"`
}

// Widget is one tappable thing on the screen, or a picture shown (a
// document's page, a payment order's QR code, the face check's camera
// picture: Picture true, not tappable).
type Widget struct {
	ID      string  `json:"id"`
	X       float64 `json:"x"`
	Y       float64 `json:"y"`
	W       float64 `json:"w"`
	H       float64 `json:"h"`
	Label   string  `json:"label,omitempty"`
	Picture bool    `json:"picture,omitempty"`
}

// PrintJob is one job a printer keeps for reprinting: a receipt on the
// slip printer (receipts hold masked data only), or an A4 document the
// kiosk keeps encrypted (kiosk/docstore) while its resident's session
// lasts or after a fault stopped its print.
//
// One ID names one job on either printer: receipts are numbered from 1
// by the slip printer's driver, A4 documents A4JobBase + their number in
// the document store (never reused), so 1000007 is always the seventh
// document the kiosk kept.
type PrintJob struct {
	ID int64 `json:"id"`
	// Printer is PrinterReceipt or PrinterA4.
	Printer string `json:"printer"`
	// State: a receipt is queued, printing, done, incomplete or failed;
	// an A4 document is held (its resident's session has it), printing,
	// incomplete (a fault stopped its print: Error says which) or done
	// (in a reprint's answer; a printed document is deleted).
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Bytes    int       `json:"bytes"`
	Sent     int       `json:"sent"`
	Attempts int       `json:"attempts"`
	Error    string    `json:"error,omitempty"`
	// Pages and Title describe an A4 document (the matter's title, e.g.
	// 户籍证明; nothing personal).
	Pages int    `json:"pages,omitempty"`
	Title string `json:"title,omitempty"`
}

// The printers of PrintJob.Printer.
const (
	PrinterReceipt = "receipt"
	PrinterA4      = "a4"
)

// A4JobBase numbers A4 documents among print jobs: job A4JobBase+n is
// the document store's document n. The slip printer's own numbers start
// at 1 each time kioskd starts and stay far below it.
const A4JobBase = 1_000_000

// IsA4Job reports whether a print job ID names an A4 document.
func IsA4Job(id int64) bool { return id > A4JobBase }

// ReprintRequest is POST /v1/print/reprint.
type ReprintRequest struct {
	ID int64 `json:"id"`
}
