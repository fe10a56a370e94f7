package techmode

import "time"

// Hold detects the hidden gesture: a finger held still in the top-left
// corner for a while. It is pure: the UI feeds it the pointer.
type Hold struct {
	Corner float64       // side of the corner square in logical px (0: 160)
	For    time.Duration // how long to hold (0: 5 s)

	down  bool
	at    time.Time
	fired bool
}

func (h *Hold) corner() float64 {
	if h.Corner > 0 {
		return h.Corner
	}
	return 160
}

func (h *Hold) hold() time.Duration {
	if h.For > 0 {
		return h.For
	}
	return 5 * time.Second
}

// Press starts a touch; only one in the corner counts.
func (h *Hold) Press(x, y float64, now time.Time) {
	c := h.corner()
	h.down = x >= 0 && y >= 0 && x < c && y < c
	h.at, h.fired = now, false
}

// Move follows the finger: leaving the corner cancels the gesture.
func (h *Hold) Move(x, y float64) {
	if c := h.corner(); x < 0 || y < 0 || x >= c || y >= c {
		h.down = false
	}
}

// Release ends the touch at (x, y); it reports whether the gesture fired
// during it (so the release is not also a tap on what lies under the
// corner). A release away from the corner is never swallowed: when a
// release and the next press fall between two frames, the next tap must
// not be lost.
func (h *Hold) Release(x, y float64) (held bool) {
	c := h.corner()
	held = h.fired && x >= 0 && y >= 0 && x < c && y < c
	h.down, h.fired = false, false
	return held
}

// Fired reports true once, when the finger has been held long enough.
func (h *Hold) Fired(now time.Time) bool {
	if !h.down || h.fired || now.Sub(h.at) < h.hold() {
		return false
	}
	h.fired = true
	return true
}

// Held reports whether the gesture fired during the current touch (so its
// release is not also a tap on what lies under the corner).
func (h *Hold) Held() bool { return h.fired }
