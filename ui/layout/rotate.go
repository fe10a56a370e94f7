package layout

// Rotation is how the panel is mounted: the logical screen is turned by
// this many degrees clockwise onto the physical panel (0, 90, 180, 270).

// PanelSize is the physical panel's size for a logical size and rotation.
func PanelSize(sz Size, deg int) Size {
	if deg == 90 || deg == 270 {
		return Size{sz.H, sz.W}
	}
	return sz
}

// ToPanel maps a logical point to the physical panel.
func ToPanel(x, y float64, sz Size, deg int) (float64, float64) {
	switch deg {
	case 90:
		return sz.H - y, x
	case 180:
		return sz.W - x, sz.H - y
	case 270:
		return y, sz.W - x
	}
	return x, y
}

// FromPanel maps a point on the physical panel back to the logical screen.
func FromPanel(px, py float64, sz Size, deg int) (float64, float64) {
	switch deg {
	case 90:
		return py, sz.H - px
	case 180:
		return sz.W - px, sz.H - py
	case 270:
		return sz.W - py, px
	}
	return px, py
}

// Fit is the scale and offset that fit content of size c inside an outer
// area of size o, centred, keeping the aspect ratio.
func Fit(c, o Size) (scale, dx, dy float64) {
	scale = min(o.W/c.W, o.H/c.H)
	return scale, (o.W - c.W*scale) / 2, (o.H - c.H*scale) / 2
}
