package techmode

import (
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/eventlog"
)

// Event is something that happened: a technician's touch, a tick of the
// clock or the answer to a Request.
type Event interface{ isEvent() }

// Technician's events.
type (
	// Open shows the PIN pad (the corner gesture was held).
	Open struct{}
	// Digit types one digit of the PIN.
	Digit struct{ D byte }
	// Erase removes the last digit typed.
	Erase struct{}
	// Enter checks the PIN typed.
	Enter struct{}
	// Go opens a screen from the menu.
	Go struct{ To Screen }
	// Back returns to the menu (from the menu: leaves technician mode).
	Back struct{}
	// Exit leaves technician mode.
	Exit struct{}
	// Touch is any touch that hit nothing: it only keeps the mode open.
	Touch struct{}
	// RunSelfTest runs one device's self-tests ("" for every device).
	RunSelfTest struct{ Device string }
	// StartTestPrint prints a test receipt.
	StartTestPrint struct{}
	// StartCardRead waits for a card and shows it, masked.
	StartCardRead struct{}
	// ToggleGPIO switches an output pin.
	ToggleGPIO struct{ Name string }
	// RetryParked moves every parked outbox item back to pending.
	RetryParked struct{}
	// Tick lets time pass (idle timeout, live refresh); the machine reads
	// its clock.
	Tick struct{}
)

// Answers to Requests (Run makes them). Epoch is copied from the Request:
// an answer from before the mode was closed is dropped.
type (
	PINResult struct {
		Epoch uint64
		Err   error
	}
	StatusResult struct {
		Epoch  uint64
		Status admin.Status
	}
	ChecksResult struct {
		Epoch  uint64
		Device string
		Checks []admin.Check
		Err    error
	}
	PrintResult struct {
		Epoch uint64
		Err   error
	}
	CardResult struct {
		Epoch uint64
		Read  admin.CardRead
		Err   error
	}
	GPIOResult struct {
		Epoch uint64
		Pins  []admin.Pin
		Err   error
	}
	SetPinResult struct {
		Epoch uint64
		Name  string
		On    bool
		Err   error
	}
	OutboxResult struct {
		Epoch uint64
		Items []admin.OutboxItem
		Err   error
	}
	RetryResult struct {
		Epoch uint64
		N     int
		Err   error
	}
	EventsResult struct {
		Epoch  uint64
		Events []eventlog.Event
	}
)

func (Open) isEvent()           {}
func (Digit) isEvent()          {}
func (Erase) isEvent()          {}
func (Enter) isEvent()          {}
func (Go) isEvent()             {}
func (Back) isEvent()           {}
func (Exit) isEvent()           {}
func (Touch) isEvent()          {}
func (RunSelfTest) isEvent()    {}
func (StartTestPrint) isEvent() {}
func (StartCardRead) isEvent()  {}
func (ToggleGPIO) isEvent()     {}
func (RetryParked) isEvent()    {}
func (Tick) isEvent()           {}
func (PINResult) isEvent()      {}
func (StatusResult) isEvent()   {}
func (ChecksResult) isEvent()   {}
func (PrintResult) isEvent()    {}
func (CardResult) isEvent()     {}
func (GPIOResult) isEvent()     {}
func (SetPinResult) isEvent()   {}
func (OutboxResult) isEvent()   {}
func (RetryResult) isEvent()    {}
func (EventsResult) isEvent()   {}
