package escpos

import (
	"errors"
	"fmt"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// Conditions callers act on.
var (
	// ErrPaperOut: the paper roll is empty (a job cut short is kept as
	// incomplete for a reprint).
	ErrPaperOut = errors.New("escpos: paper out")
	// ErrCoverOpen: the paper cover is open.
	ErrCoverOpen = errors.New("escpos: cover open")
	// ErrOffline: the printer is not there or does not answer within 2 s.
	ErrOffline = errors.New("escpos: printer offline")
	// ErrHardware: the printer reports a cutter, mechanical or
	// unrecoverable error.
	ErrHardware = errors.New("escpos: printer hardware error")
	// ErrBadStatus: a byte that is not a real-time status reply (it does
	// not match the bit pattern 0xx1xx10).
	ErrBadStatus = errors.New("escpos: not a status byte")
)

// Paper is the state of the paper roll.
type Paper string

const (
	PaperOK  Paper = "ok"
	PaperLow Paper = "low"
	PaperOut Paper = "out"
	// PaperUnknown: a write-only printer (a USB printer that is not
	// bidirectional) cannot say.
	PaperUnknown Paper = "unknown"
)

// Status is the printer's state decoded from the four DLE EOT replies.
type Status struct {
	// DLE EOT 1: printer.
	Offline         bool `json:"offline"`
	WaitingRecovery bool `json:"waiting_recovery,omitempty"`
	FeedButton      bool `json:"feed_button,omitempty"`
	// DLE EOT 2: offline cause.
	CoverOpen    bool `json:"cover_open"`
	PaperFeeding bool `json:"paper_feeding,omitempty"` // paper being fed by the button
	PaperStop    bool `json:"paper_stop,omitempty"`    // printing stopped by paper end
	Error        bool `json:"error,omitempty"`
	// DLE EOT 3: error cause.
	MechanicalError bool `json:"mechanical_error,omitempty"`
	CutterError     bool `json:"cutter_error"`
	Unrecoverable   bool `json:"unrecoverable,omitempty"`
	AutoRecoverable bool `json:"auto_recoverable,omitempty"`
	// DLE EOT 4: paper roll.
	Paper Paper `json:"paper"`
	// Raw holds the four reply bytes.
	Raw [4]byte `json:"raw"`
	// Unknown: the printer cannot answer (write-only); nothing above is
	// known and the printer is printed to blind.
	Unknown bool `json:"unknown,omitempty"`
}

// unknownStatus is the status of a printer that cannot answer.
var unknownStatus = Status{Paper: PaperUnknown, Unknown: true}

// ValidStatusByte reports whether b can be a DLE EOT reply: bits 1 and 4
// set, bits 0 and 7 clear (0xx1xx10).
func ValidStatusByte(b byte) bool { return b&0x93 == 0x12 }

// DecodeStatusByte decodes the reply b to DLE EOT n (1..4) into s.
func DecodeStatusByte(n int, b byte, s *Status) error {
	if n < 1 || n > 4 {
		return fmt.Errorf("escpos: decode status: no DLE EOT %d", n)
	}
	if !ValidStatusByte(b) {
		return fmt.Errorf("escpos: decode status %d: %w: %#02x", n, ErrBadStatus, b)
	}
	s.Raw[n-1] = b
	bit := func(i uint) bool { return b&(1<<i) != 0 }
	switch n {
	case 1:
		s.Offline = bit(3)
		s.WaitingRecovery = bit(5)
		s.FeedButton = bit(6)
	case 2:
		s.CoverOpen = bit(2)
		s.PaperFeeding = bit(3)
		s.PaperStop = bit(5)
		s.Error = bit(6)
	case 3:
		s.MechanicalError = bit(2)
		s.CutterError = bit(3)
		s.Unrecoverable = bit(5)
		s.AutoRecoverable = bit(6)
	case 4:
		switch {
		case b&0x60 != 0:
			s.Paper = PaperOut
		case b&0x0c != 0:
			s.Paper = PaperLow
		default:
			s.Paper = PaperOK
		}
	}
	return nil
}

// DecodeStatus decodes the replies to DLE EOT 1, 2, 3 and 4.
func DecodeStatus(raw [4]byte) (Status, error) {
	var s Status
	for i, b := range raw {
		if err := DecodeStatusByte(i+1, b, &s); err != nil {
			return Status{}, err
		}
	}
	if s.PaperStop {
		s.Paper = PaperOut
	}
	return s, nil
}

// ScanStatusByte returns the first byte of b that can be a status reply
// and how many bytes it consumed; ok is false when b holds none (all of b
// is then garbage: XON/XOFF, noise, a half reply from before).
func ScanStatusByte(b []byte) (v byte, n int, ok bool) {
	for i, c := range b {
		if ValidStatusByte(c) {
			return c, i + 1, true
		}
	}
	return 0, len(b), false
}

// HardwareFault reports a cutter, mechanical or unrecoverable error.
func (s Status) HardwareFault() bool {
	return s.CutterError || s.MechanicalError || s.Unrecoverable
}

// Usable reports whether the printer can print a receipt now.
func (s Status) Usable() bool {
	return !s.Offline && !s.CoverOpen && s.Paper != PaperOut && !s.HardwareFault()
}

// Err returns the sentinel for what stops the printer, or nil.
func (s Status) Err() error {
	switch {
	case s.Paper == PaperOut:
		return ErrPaperOut
	case s.CoverOpen:
		return ErrCoverOpen
	case s.HardwareFault():
		return ErrHardware
	case s.Offline:
		return ErrOffline
	}
	return nil
}

// DeviceState maps the status to the kiosk's device model.
func (s Status) DeviceState() devices.State {
	switch {
	case s.HardwareFault():
		return devices.HardwareError
	case s.Paper == PaperOut || s.CoverOpen:
		return devices.UserError
	case s.Offline:
		return devices.Offline
	}
	return devices.Online
}

// String is a short English summary for logs and the diagnostics command.
func (s Status) String() string {
	cover := "closed"
	if s.CoverOpen {
		cover = "open"
	}
	if s.Unknown {
		return "status unknown (write-only printer)"
	}
	str := fmt.Sprintf("paper=%s cover=%s", s.Paper, cover)
	if s.Offline {
		str += " offline"
	}
	if s.CutterError {
		str += " cutter-error"
	}
	if s.MechanicalError {
		str += " mechanical-error"
	}
	if s.Unrecoverable {
		str += " unrecoverable-error"
	}
	return str
}
