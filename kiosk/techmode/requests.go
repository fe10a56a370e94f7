package techmode

import (
	"context"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
)

// Technician is what the mode needs from the daemon: the admin API's
// methods it shows plus the PIN check (techauth.Guard.Check).
type Technician interface {
	CheckPIN(pin string) error
	Status(ctx context.Context) admin.Status
	SelfTest(ctx context.Context, device string) ([]admin.Check, error)
	TestPrint(ctx context.Context) error
	CardReadTest(ctx context.Context, wait time.Duration) (admin.CardRead, error)
	GPIOList(ctx context.Context) ([]admin.Pin, error)
	GPIOSet(ctx context.Context, name string, on bool) error
	OutboxList(ctx context.Context) ([]admin.OutboxItem, error)
	OutboxRetry(ctx context.Context, id string) (int, error)
	Events() *eventlog.Log
}

// Request is work for the daemon that the machine asks for. Run performs
// it; the caller does so off the game loop and feeds the answer back.
type Request interface{ kind() string }

// Requests.
type (
	// CheckPIN checks a PIN. It is the only place the PIN travels.
	CheckPIN struct {
		Epoch uint64
		PIN   string
	}
	LoadStatus struct{ Epoch uint64 }
	RunChecks  struct {
		Epoch  uint64
		Device string
	}
	PrintTest struct{ Epoch uint64 }
	ReadCard  struct {
		Epoch uint64
		Wait  time.Duration
	}
	LoadGPIO struct{ Epoch uint64 }
	SetPin   struct {
		Epoch uint64
		Name  string
		On    bool
	}
	LoadOutbox  struct{ Epoch uint64 }
	RetryOutbox struct{ Epoch uint64 }
	LoadEvents  struct {
		Epoch uint64
		N     int
	}
)

func (CheckPIN) kind() string    { return "pin" }
func (LoadStatus) kind() string  { return "status" }
func (r RunChecks) kind() string { return "checks" }
func (PrintTest) kind() string   { return "print" }
func (ReadCard) kind() string    { return "card" }
func (LoadGPIO) kind() string    { return devices.GPIO }
func (SetPin) kind() string      { return "setpin" }
func (LoadOutbox) kind() string  { return "outbox" }
func (RetryOutbox) kind() string { return "retry" }
func (LoadEvents) kind() string  { return "events" }

// String never shows the PIN.
func (r CheckPIN) String() string {
	return fmt.Sprintf("CheckPIN{Epoch:%d PIN:%d digits}", r.Epoch, len(r.PIN))
}

// Run performs a request against t and returns the answer to feed back
// into the machine. It blocks (up to the context's deadline): call it in
// its own goroutine.
func Run(ctx context.Context, t Technician, r Request) Event {
	switch r := r.(type) {
	case CheckPIN:
		return PINResult{Epoch: r.Epoch, Err: t.CheckPIN(r.PIN)}
	case LoadStatus:
		return StatusResult{Epoch: r.Epoch, Status: t.Status(ctx)}
	case RunChecks:
		c, err := t.SelfTest(ctx, r.Device)
		return ChecksResult{Epoch: r.Epoch, Device: r.Device, Checks: c, Err: err}
	case PrintTest:
		return PrintResult{Epoch: r.Epoch, Err: t.TestPrint(ctx)}
	case ReadCard:
		c, err := t.CardReadTest(ctx, r.Wait)
		return CardResult{Epoch: r.Epoch, Read: c, Err: err}
	case LoadGPIO:
		p, err := t.GPIOList(ctx)
		return GPIOResult{Epoch: r.Epoch, Pins: p, Err: err}
	case SetPin:
		return SetPinResult{Epoch: r.Epoch, Name: r.Name, On: r.On, Err: t.GPIOSet(ctx, r.Name, r.On)}
	case LoadOutbox:
		it, err := t.OutboxList(ctx)
		return OutboxResult{Epoch: r.Epoch, Items: it, Err: err}
	case RetryOutbox:
		n, err := t.OutboxRetry(ctx, "")
		return RetryResult{Epoch: r.Epoch, N: n, Err: err}
	case LoadEvents:
		var ev []eventlog.Event
		if l := t.Events(); l != nil {
			ev = l.Recent(r.N)
		}
		return EventsResult{Epoch: r.Epoch, Events: ev}
	}
	return nil
}
