package phone

import (
	"strconv"
	"time"
)

// Kind is what happened to a call.
type Kind int

// Event kinds.
const (
	Ringing  Kind = iota + 1 // the desk's phone rings (180)
	Answered                 // someone answered: the call is established
	Ended                    // the call is over; Event.Reason says why
)

func (k Kind) String() string {
	switch k {
	case Ringing:
		return "ringing"
	case Answered:
		return "answered"
	case Ended:
		return "ended"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Reason is why a call ended.
type Reason string

// Reasons.
const (
	ReasonHangup   Reason = "hangup"    // one side hung up (Event.Remote says which)
	ReasonBusy     Reason = "busy"      // the desk refused the call (486, 600, 603)
	ReasonNoAnswer Reason = "no_answer" // the desk's side gave up (408, 480)
	ReasonFailed   Reason = "failed"    // the desk could not be reached, audio failed, baresip died
)

// CallID numbers the Phone's calls, from 1, in the order dialled.
type CallID uint64

// Event is a change of the current call.
type Event struct {
	Kind   Kind
	Call   CallID
	Reason Reason // Ended only
	Remote bool   // Ended with ReasonHangup: the desk hung up
	Detail string // Ended only: baresip's words ("486 Busy Here", "baresip exited")
	At     time.Time
}

// closeReason judges a CALL_CLOSED event's param. local is whether the
// kiosk asked for the hangup.
func closeReason(param string, local bool) (r Reason, remote bool) {
	if local {
		return ReasonHangup, false
	}
	if param == "Connection reset by peer" {
		return ReasonHangup, true
	}
	if len(param) >= 3 {
		if code, err := strconv.Atoi(param[:3]); err == nil && (len(param) == 3 || param[3] == ' ') {
			switch code {
			case 486, 600, 603:
				return ReasonBusy, true
			case 408, 480, 487:
				return ReasonNoAnswer, true
			}
			return ReasonFailed, code >= 400
		}
	}
	// "Connection reset by user" with no hangup asked for is baresip
	// giving up on an unreachable peer; "Unknown error -2" an audio device
	// that would not open; "end of file" a file source that ran out.
	return ReasonFailed, false
}
