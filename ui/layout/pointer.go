package layout

import (
	"math"
	"time"
)

// Pointer turns presses, moves and releases of the single X pointer (a
// touchscreen arrives as an emulated mouse) into taps and drags, and
// keeps a drag's momentum after the finger lifts.
type Pointer struct {
	Slop     float64 // movement before a press becomes a drag (px); 0: 24
	Friction float64 // momentum decay per second (0..1 kept); 0: 0.05

	down           bool
	sx, sy, lx, ly float64
	lt             time.Time
	dragging       bool
	vel            float64 // px/s, positive moves content up
}

// Press starts a touch at (x, y).
func (p *Pointer) Press(x, y float64, t time.Time) {
	p.down, p.dragging = true, false
	p.sx, p.sy, p.lx, p.ly, p.lt = x, y, x, y, t
	p.vel = 0
}

// Down reports whether a finger is on the screen.
func (p *Pointer) Down() bool { return p.down }

// Start returns where the current or last touch began.
func (p *Pointer) Start() (x, y float64) { return p.sx, p.sy }

// Move reports the finger at (x, y) and returns how far the content
// should scroll (positive: content moves up).
func (p *Pointer) Move(x, y float64, t time.Time) float64 {
	if !p.down {
		return 0
	}
	slop := p.Slop
	if slop == 0 {
		slop = 24
	}
	if !p.dragging && math.Hypot(x-p.sx, y-p.sy) > slop {
		p.dragging = true
		p.ly = p.sy
	}
	if !p.dragging {
		return 0
	}
	d := p.ly - y
	if dt := t.Sub(p.lt).Seconds(); dt > 0 {
		v := d / dt
		p.vel = 0.6*v + 0.4*p.vel
	}
	p.lx, p.ly, p.lt = x, y, t
	return d
}

// Release ends the touch and reports whether it was a tap (no drag).
// The tap is at the press position, so an unsteady finger that slides a
// little while lifting still hits what it pressed.
func (p *Pointer) Release(x, y float64, t time.Time) (tap bool) {
	if !p.down {
		return false
	}
	still := t.Sub(p.lt) > 100*time.Millisecond
	if still {
		p.vel = 0
	}
	if math.Hypot(x-p.lx, y-p.ly) > 0 {
		p.Move(x, y, t)
	}
	p.down = false
	if !p.dragging {
		p.vel = 0
		return true
	}
	if still {
		p.vel = 0 // the finger stopped before lifting
	}
	return false
}

// Momentum returns how far to scroll over dt after a fling, slowing down.
func (p *Pointer) Momentum(dt time.Duration) float64 {
	if p.down || p.vel == 0 {
		return 0
	}
	f := p.Friction
	if f == 0 {
		f = 0.05
	}
	s := dt.Seconds()
	d := p.vel * s
	p.vel *= math.Pow(f, s)
	if math.Abs(p.vel) < 20 {
		p.vel = 0
	}
	return d
}

// Stop cancels any momentum (the content hit its end, or the screen changed).
func (p *Pointer) Stop() { p.vel = 0 }

// Moving reports whether momentum is still scrolling.
func (p *Pointer) Moving() bool { return !p.down && p.vel != 0 }
