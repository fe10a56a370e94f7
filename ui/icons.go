package ui

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// drawIcon draws a named category or status icon in an s×s box at (x, y),
// in colour fg over background bg. Unknown names draw a plain dot.
func drawIcon(p *painter, dst *ebiten.Image, name string, x, y, s float64, fg, bg color.RGBA) {
	u := func(v float64) float32 { return float32(v * s) }
	X, Y := float32(x), float32(y)
	line := func(x0, y0, x1, y1, w float64) {
		vector.StrokeLine(dst, X+u(x0), Y+u(y0), X+u(x1), Y+u(y1), u(w), fg, p.aa)
	}
	circle := func(cx, cy, r float64, c color.RGBA) {
		vector.DrawFilledCircle(dst, X+u(cx), Y+u(cy), u(r), c, p.aa)
	}
	ring := func(cx, cy, r, w float64) {
		vector.StrokeCircle(dst, X+u(cx), Y+u(cy), u(r), u(w), fg, p.aa)
	}
	rect := func(x0, y0, w, h, r float64, c color.RGBA) {
		p.roundRect(dst, x+x0*s, y+y0*s, w*s, h*s, r*s, c)
	}
	poly := func(c color.RGBA, pts ...float64) {
		var path vector.Path
		path.MoveTo(X+u(pts[0]), Y+u(pts[1]))
		for i := 2; i+1 < len(pts); i += 2 {
			path.LineTo(X+u(pts[i]), Y+u(pts[i+1]))
		}
		path.Close()
		p.fill(dst, &path, c)
	}
	switch name {
	case "person":
		circle(0.5, 0.3, 0.18, fg)
		rect(0.2, 0.55, 0.6, 0.38, 0.2, fg)
	case "shield":
		poly(fg, 0.5, 0.06, 0.88, 0.2, 0.82, 0.6, 0.5, 0.95, 0.18, 0.6, 0.12, 0.2)
		line(0.33, 0.5, 0.46, 0.64, 0.08)
		vector.StrokeLine(dst, X+u(0.46), Y+u(0.64), X+u(0.7), Y+u(0.38), u(0.08), bg, p.aa)
		vector.StrokeLine(dst, X+u(0.33), Y+u(0.5), X+u(0.46), Y+u(0.64), u(0.08), bg, p.aa)
	case "car":
		rect(0.08, 0.45, 0.84, 0.28, 0.08, fg)
		poly(fg, 0.22, 0.46, 0.32, 0.25, 0.68, 0.25, 0.78, 0.46)
		circle(0.28, 0.75, 0.1, fg)
		circle(0.72, 0.75, 0.1, fg)
		circle(0.28, 0.75, 0.04, bg)
		circle(0.72, 0.75, 0.04, bg)
	case "shop":
		poly(fg, 0.1, 0.4, 0.18, 0.12, 0.82, 0.12, 0.9, 0.4)
		rect(0.15, 0.42, 0.7, 0.48, 0.03, fg)
		rect(0.4, 0.6, 0.2, 0.3, 0.02, bg)
	case "house", "home":
		poly(fg, 0.5, 0.08, 0.92, 0.48, 0.08, 0.48)
		rect(0.2, 0.46, 0.6, 0.46, 0.03, fg)
		rect(0.42, 0.64, 0.16, 0.28, 0.02, bg)
	case "coin", "tax":
		ring(0.5, 0.5, 0.38, 0.08)
		if name == "tax" {
			rect(0.32, 0.3, 0.36, 0.42, 0.04, fg)
			line(0.38, 0.42, 0.62, 0.42, 0.05)
			vector.StrokeLine(dst, X+u(0.38), Y+u(0.42), X+u(0.62), Y+u(0.42), u(0.05), bg, p.aa)
			vector.StrokeLine(dst, X+u(0.38), Y+u(0.56), X+u(0.62), Y+u(0.56), u(0.05), bg, p.aa)
		} else {
			line(0.36, 0.3, 0.5, 0.48, 0.07)
			line(0.64, 0.3, 0.5, 0.48, 0.07)
			line(0.5, 0.48, 0.5, 0.72, 0.07)
			line(0.38, 0.52, 0.62, 0.52, 0.06)
		}
	case "heart":
		circle(0.34, 0.38, 0.2, fg)
		circle(0.66, 0.38, 0.2, fg)
		poly(fg, 0.15, 0.46, 0.85, 0.46, 0.5, 0.88)
	case "hospital":
		rect(0.1, 0.1, 0.8, 0.8, 0.14, fg)
		rect(0.42, 0.24, 0.16, 0.52, 0.02, bg)
		rect(0.24, 0.42, 0.52, 0.16, 0.02, bg)
	case "school":
		poly(fg, 0.5, 0.12, 0.95, 0.35, 0.5, 0.58, 0.05, 0.35)
		rect(0.25, 0.45, 0.5, 0.3, 0.12, fg)
		line(0.88, 0.38, 0.88, 0.7, 0.04)
	case "hand":
		rect(0.22, 0.42, 0.56, 0.5, 0.18, fg)
		for i := 0; i < 4; i++ {
			rect(0.22+float64(i)*0.145, 0.12+math.Abs(float64(i)-1.5)*0.04, 0.12, 0.45, 0.06, fg)
		}
	case "chevron":
		line(0.3, 0.15, 0.65, 0.5, 0.12)
		line(0.3, 0.85, 0.65, 0.5, 0.12)
	case "search":
		ring(0.42, 0.42, 0.26, 0.09)
		line(0.62, 0.62, 0.88, 0.88, 0.12)
	case "ok":
		circle(0.5, 0.5, 0.46, fg)
		vector.StrokeLine(dst, X+u(0.28), Y+u(0.52), X+u(0.44), Y+u(0.68), u(0.09), bg, p.aa)
		vector.StrokeLine(dst, X+u(0.44), Y+u(0.68), X+u(0.74), Y+u(0.34), u(0.09), bg, p.aa)
	case "warn":
		poly(fg, 0.5, 0.06, 0.95, 0.9, 0.05, 0.9)
		rect(0.455, 0.34, 0.09, 0.32, 0.04, bg)
		circle(0.5, 0.77, 0.055, bg)
	case "take":
		// A sheet with lines of print, an arrow down from it to the
		// output slot.
		rect(0.27, 0.02, 0.46, 0.42, 0.03, fg)
		for i := 0; i < 3; i++ {
			rect(0.34, 0.1+0.1*float64(i), 0.32, 0.045, 0.01, bg)
		}
		rect(0.445, 0.48, 0.11, 0.2, 0.02, fg)
		poly(fg, 0.29, 0.66, 0.71, 0.66, 0.5, 0.86)
		rect(0.08, 0.9, 0.84, 0.08, 0.04, fg)
	case "face1", "face2", "face3", "face4", "face5":
		drawFace(p, dst, name[4]-'0', x, y, s, fg, bg)
	default:
		circle(0.5, 0.5, 0.3, fg)
	}
}

// drawFace draws the rating faces, all in one style: a round face in fg
// with eyes and a mouth cut out in bg, the mouth a curve from a broad
// smile (5, 非常满意) through a straight line (3) to a deep frown (1), so
// the five levels read without colour and none stands out.
func drawFace(p *painter, dst *ebiten.Image, score byte, x, y, s float64, fg, bg color.RGBA) {
	X, Y := float32(x), float32(y)
	u := func(v float64) float32 { return float32(v * s) }
	vector.DrawFilledCircle(dst, X+u(0.5), Y+u(0.5), u(0.46), fg, p.aa)
	vector.DrawFilledCircle(dst, X+u(0.34), Y+u(0.4), u(0.065), bg, p.aa)
	vector.DrawFilledCircle(dst, X+u(0.66), Y+u(0.4), u(0.065), bg, p.aa)
	// The mouth: ends at (0.3, end) and (0.7, end), its middle pulled
	// down by bend (a smile) or up (a frown).
	mouth := [...][2]float64{1: {0.76, -0.3}, 2: {0.73, -0.13}, 3: {0.68, 0}, 4: {0.63, 0.13}, 5: {0.6, 0.3}}
	ends, bend := mouth[score][0], mouth[score][1]
	var path vector.Path
	path.MoveTo(X+u(0.3), Y+u(ends))
	path.QuadTo(X+u(0.5), Y+u(ends+bend), X+u(0.7), Y+u(ends))
	op := &vector.StrokeOptions{Width: u(0.075), LineCap: vector.LineCapRound, LineJoin: vector.LineJoinRound}
	p.vs, p.is = path.AppendVerticesAndIndicesForStroke(p.vs[:0], p.is[:0], op)
	p.paint(dst, bg, ebiten.FillRuleFillAll)
}
