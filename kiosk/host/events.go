package host

import "time"

// Event is what Post takes: a session.Event (a resident's action, a
// device's report), a techmode.Event (a tap in the technician mode), or
// one of the host's own events below. Others are logged and dropped.
type Event any

// The host's own events.
type (
	// OpenTechnician asks for the technician PIN pad (the corner gesture
	// was held). Ignored while a resident is in the middle of a matter.
	OpenTechnician struct{}
	// SetMaintenance is the operator's wish to take the kiosk out of
	// residents' use or give it back. A session running finishes first;
	// while the technician mode is open the wish waits for it to close.
	// Until, when set, is when the operator expects the kiosk back:
	// residents are told (kioskctl maintenance on --until 15:30).
	SetMaintenance struct {
		On    bool
		Until time.Time
	}
	// DoorChanged: the cabinet door opened or closed. While it is open
	// the status lamp shows a fault.
	DoorChanged struct{ Open bool }
)

type (
	syncMark   struct{ done chan struct{} }
	tickEvent  struct{ t time.Time }
	startEvent struct{}
)
