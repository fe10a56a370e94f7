package ui

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/henan-county/kiosk/ui/layout"
)

// The payment screen's picture of where the scanner window is
// (layout.IconScanHere): the bottom of the kiosk's screen, the front
// panel under it with the scanner window lit, a phone showing its
// payment code held over the window with the scanner's light reaching
// it, and an arrow down to the window. The QR code beside it is an
// ordinary QR widget.

// scanHere draws the picture in r, square, in the theme's colours:
// rendered anti-aliased once per size and theme and copied afterwards.
func (p *painter) scanHere(dst *ebiten.Image, th *layout.Theme, r layout.Rect) {
	s := min(r.W, r.H)
	n := int(math.Round(s))
	if n <= 0 {
		return
	}
	k := iconKey{layout.IconScanHere, n, th.Primary, th.Bg}
	img, ok := p.icons[k]
	if !ok {
		img = ebiten.NewImage(n, n)
		p.aa = true
		drawScanHere(p, img, float64(n), th)
		p.aa = false
		p.icons[k] = img
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(r.X+(r.W-s)/2), math.Round(r.Y+(r.H-s)/2))
	dst.DrawImage(img, op)
}

// drawScanHere draws the picture in an s×s image, in units of s.
func drawScanHere(p *painter, dst *ebiten.Image, s float64, th *layout.Theme) {
	u := func(v float64) float32 { return float32(v * s) }
	rect := func(x, y, w, h, r float64, c color.RGBA) { p.roundRect(dst, x*s, y*s, w*s, h*s, r*s, c) }
	poly := func(c color.RGBA, pts ...float64) {
		var path vector.Path
		path.MoveTo(u(pts[0]), u(pts[1]))
		for i := 2; i+1 < len(pts); i += 2 {
			path.LineTo(u(pts[i]), u(pts[i+1]))
		}
		path.Close()
		p.fill(dst, &path, c)
	}
	ink, paper := th.Text, th.Surface
	// The kiosk: its front panel, the bottom of its screen at the top.
	rect(0.02, 0, 0.96, 1, 0.06, th.Secondary)
	rect(0.08, 0, 0.84, 0.26, 0.03, th.Header)
	rect(0.12, 0, 0.76, 0.22, 0.02, th.Muted)
	// The scanner window, lit.
	rect(0.24, 0.8, 0.52, 0.13, 0.035, ink)
	rect(0.29, 0.845, 0.42, 0.04, 0.02, th.Focus)
	// The scanner's light reaching up to the phone.
	poly(th.Notice, 0.3, 0.8, 0.7, 0.8, 0.64, 0.72, 0.36, 0.72)
	// The phone over the window, its payment code on the screen: a
	// barcode over a QR code.
	rect(0.33, 0.3, 0.34, 0.43, 0.045, ink)
	rect(0.355, 0.33, 0.29, 0.37, 0.02, paper)
	x := 0.375
	for i, w := range []float64{0.012, 0.006, 0.018, 0.006, 0.012, 0.018, 0.006, 0.012, 0.006, 0.018, 0.012} {
		if i%2 == 0 {
			rect(x, 0.355, w, 0.09, 0, ink)
		}
		x += w + 0.006
	}
	q, qx, qy := 0.15, 0.425, 0.47
	rect(qx, qy, q, q, 0, ink)
	rect(qx+0.012, qy+0.012, q-0.024, q-0.024, 0, paper)
	for _, c := range [][2]float64{{0, 0}, {1, 0}, {0, 1}} {
		fx, fy := qx+0.02+c[0]*(q-0.08), qy+0.02+c[1]*(q-0.08)
		rect(fx, fy, 0.04, 0.04, 0, ink)
	}
	rect(qx+0.085, qy+0.085, 0.025, 0.025, 0, ink)
	// An arrow down to the window.
	a := th.Primary
	rect(0.82, 0.36, 0.06, 0.26, 0.02, a)
	poly(a, 0.77, 0.6, 0.93, 0.6, 0.85, 0.74)
}
