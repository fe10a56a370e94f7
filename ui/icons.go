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
	case "house":
		// 不动产: a house with its door.
		poly(fg, 0.5, 0.08, 0.92, 0.48, 0.08, 0.48)
		rect(0.2, 0.46, 0.6, 0.46, 0.03, fg)
		rect(0.42, 0.64, 0.16, 0.28, 0.02, bg)
	case "home":
		// 住房公积金: a house with a coin in it.
		poly(fg, 0.5, 0.08, 0.92, 0.48, 0.08, 0.48)
		rect(0.2, 0.46, 0.6, 0.46, 0.03, fg)
		circle(0.5, 0.66, 0.17, bg)
		circle(0.5, 0.66, 0.1, fg)
	case "coin":
		ring(0.5, 0.5, 0.38, 0.08)
		line(0.36, 0.3, 0.5, 0.48, 0.07)
		line(0.64, 0.3, 0.5, 0.48, 0.07)
		line(0.5, 0.48, 0.5, 0.72, 0.07)
		line(0.38, 0.52, 0.62, 0.52, 0.06)
	case "tax":
		// 税务: a form with lines and its seal.
		poly(fg, 0.18, 0.06, 0.64, 0.06, 0.82, 0.24, 0.82, 0.94, 0.18, 0.94)
		for i := 0; i < 3; i++ {
			rect(0.3, 0.3+0.13*float64(i), 0.4, 0.06, 0.02, bg)
		}
		ring(0.62, 0.77, 0.1, 0.04)
		vector.StrokeCircle(dst, X+u(0.62), Y+u(0.77), u(0.1), u(0.05), bg, p.aa)
	case "passport":
		// 出入境: a passport with a globe on its cover.
		rect(0.2, 0.06, 0.6, 0.88, 0.07, fg)
		vector.StrokeCircle(dst, X+u(0.5), Y+u(0.42), u(0.17), u(0.05), bg, p.aa)
		vector.StrokeLine(dst, X+u(0.33), Y+u(0.42), X+u(0.67), Y+u(0.42), u(0.04), bg, p.aa)
		vector.StrokeLine(dst, X+u(0.5), Y+u(0.25), X+u(0.5), Y+u(0.59), u(0.04), bg, p.aa)
		rect(0.34, 0.74, 0.32, 0.06, 0.02, bg)
	case "wheelchair":
		// 残联: the access symbol.
		circle(0.46, 0.13, 0.09, fg)
		line(0.44, 0.26, 0.44, 0.56, 0.1)
		line(0.44, 0.56, 0.7, 0.56, 0.09)
		line(0.7, 0.56, 0.8, 0.84, 0.09)
		line(0.44, 0.36, 0.64, 0.36, 0.08)
		vector.StrokeCircle(dst, X+u(0.4), Y+u(0.66), u(0.24), u(0.08), fg, p.aa)
	case "health":
		// 卫生健康: a heart with a pulse across it.
		circle(0.34, 0.38, 0.2, fg)
		circle(0.66, 0.38, 0.2, fg)
		poly(fg, 0.15, 0.46, 0.85, 0.46, 0.5, 0.88)
		for _, seg := range [][4]float64{{0.1, 0.5, 0.36, 0.5}, {0.36, 0.5, 0.44, 0.32}, {0.44, 0.32, 0.54, 0.68}, {0.54, 0.68, 0.62, 0.5}, {0.62, 0.5, 0.9, 0.5}} {
			vector.StrokeLine(dst, X+u(seg[0]), Y+u(seg[1]), X+u(seg[2]), Y+u(seg[3]), u(0.06), bg, p.aa)
		}
	case "briefcase":
		// 就业创业: a briefcase with its handle and clasp.
		rect(0.08, 0.3, 0.84, 0.58, 0.08, fg)
		p.strokeRoundRect(dst, x+0.34*s, y+0.12*s, 0.32*s, 0.24*s, 0.06*s, 0.07*s, fg, bg)
		rect(0.08, 0.52, 0.84, 0.05, 0, bg)
		rect(0.43, 0.46, 0.14, 0.16, 0.03, fg)
	case "wheat":
		// 农业农村: an ear of wheat.
		line(0.5, 0.3, 0.5, 0.95, 0.06)
		grain := func(cx, cy, dx float64) {
			var path vector.Path
			path.MoveTo(X+u(cx), Y+u(cy+0.09))
			path.QuadTo(X+u(cx+dx*1.3), Y+u(cy+0.02), X+u(cx+dx*1.2), Y+u(cy-0.12))
			path.QuadTo(X+u(cx+dx*0.1), Y+u(cy-0.06), X+u(cx), Y+u(cy+0.09))
			path.Close()
			p.fill(dst, &path, fg)
		}
		for i := 0; i < 3; i++ {
			cy := 0.32 + 0.17*float64(i)
			grain(0.48, cy, -0.2)
			grain(0.52, cy, 0.2)
		}
		poly(fg, 0.5, 0.04, 0.58, 0.2, 0.5, 0.3, 0.42, 0.2)
	case "utility":
		// 水电气暖: a drop of water with a flash in it.
		poly(fg, 0.5, 0.04, 0.8, 0.5, 0.2, 0.5)
		circle(0.5, 0.62, 0.31, fg)
		poly(bg, 0.54, 0.3, 0.34, 0.64, 0.49, 0.64, 0.44, 0.86, 0.66, 0.52, 0.51, 0.52)
	case "building":
		// 住房建设: a tall block of flats beside a low one.
		rect(0.14, 0.06, 0.46, 0.88, 0.03, fg)
		rect(0.64, 0.42, 0.24, 0.52, 0.03, fg)
		for r := 0; r < 5; r++ {
			for c := 0; c < 2; c++ {
				rect(0.22+0.18*float64(c), 0.14+0.14*float64(r), 0.12, 0.08, 0.01, bg)
			}
		}
		for r := 0; r < 2; r++ {
			rect(0.71, 0.5+0.16*float64(r), 0.1, 0.08, 0.01, bg)
		}
	case "scales":
		// 司法公证: the scales of justice.
		line(0.5, 0.1, 0.5, 0.86, 0.07)
		line(0.14, 0.24, 0.86, 0.24, 0.06)
		rect(0.28, 0.84, 0.44, 0.08, 0.03, fg)
		circle(0.5, 0.12, 0.06, fg)
		for _, cx := range []float64{0.2, 0.8} {
			line(cx, 0.24, cx-0.12, 0.52, 0.035)
			line(cx, 0.24, cx+0.12, 0.52, 0.035)
			var path vector.Path
			path.MoveTo(X+u(cx-0.17), Y+u(0.52))
			path.LineTo(X+u(cx+0.17), Y+u(0.52))
			path.QuadTo(X+u(cx), Y+u(0.74), X+u(cx-0.17), Y+u(0.52))
			path.Close()
			p.fill(dst, &path, fg)
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
