package scenes

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/henan-county/kiosk/kiosk/session"
)

// SamplePage is a made-up first page of an A4 proof as the kiosk renders
// it for the screen: a white portrait page with a heading, lines of
// "text" as dark bars, a table and a round seal. It stands in for a real
// document, which would show a resident's data.
func SamplePage() *image.RGBA {
	const w, h = 840, 1188 // A4 at about 100 dpi
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	white := color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	ink := color.RGBA{0x22, 0x22, 0x22, 0xFF}
	grey := color.RGBA{0x88, 0x88, 0x88, 0xFF}
	red := color.RGBA{0xC8, 0x1E, 0x1E, 0xFF}
	fill(0, 0, w, h, white)
	fill(250, 90, 590, 130, ink) // heading
	y := 200
	for i := range 6 {
		end := 740 - (i%3)*90
		fill(100, y, end, y+16, ink)
		y += 44
	}
	// A table of payments: its frame and rows.
	y += 30
	fill(100, y, 740, y+3, ink)
	for r := range 10 {
		ry := y + 20 + r*40
		fill(120, ry, 260, ry+14, grey)
		fill(320, ry, 480, ry+14, grey)
		fill(560, ry, 700, ry+14, grey)
		fill(100, ry+28, 740, ry+29, grey)
	}
	y += 20 + 10*40
	fill(100, y, 740, y+3, ink)
	fill(100, 1000, 400, 1016, ink)
	fill(100, 1040, 330, 1056, ink)
	// The issuing department's seal: a red ring.
	cx, cy, r := 610, 1010, 80
	for py := cy - r; py <= cy+r; py++ {
		for px := cx - r; px <= cx+r; px++ {
			d := (px-cx)*(px-cx) + (py-cy)*(py-cy)
			if d <= r*r && d >= (r-8)*(r-8) {
				img.SetRGBA(px, py, red)
			}
		}
	}
	fill(cx-30, cy-6, cx+30, cy+6, red)
	return img
}

// SampleDocument is a made-up proof of three pages with SamplePage as
// its first page, as the host hands it to the Machine.
func SampleDocument() *session.Document {
	return &session.Document{Title: "社保缴费记录", Department: "县人力资源和社会保障局", Pages: 3,
		VerificationCode: "7F3K92QD", Preview: SamplePage()}
}

// Documents returns the scenes of the document screen (from All): each
// state of a print matter's proof, elder true in elder mode.
func Documents(elder bool) []Scene {
	var out []Scene
	for _, sc := range All(elder) {
		if sc.View.Screen == session.ScreenDocument {
			out = append(out, sc)
		}
	}
	return out
}

// pageCopies keeps the scenes' own copy of each page shown: the Machine
// wipes a proof's page when its session ends, as it must, which would
// blank the scenes taken before. One copy per page, so scenes of one
// proof share their page as the Machine's views do.
type pageCopies map[image.Image]*image.RGBA

func (c pageCopies) keep(v session.View) session.View {
	if v.Document == nil || v.Document.Preview == nil {
		return v
	}
	d := *v.Document
	src := d.Preview
	cp, ok := c[src]
	if !ok {
		b := src.Bounds()
		cp = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(cp, cp.Bounds(), src, b.Min, draw.Src)
		c[src] = cp
	}
	d.Preview = cp
	v.Document = &d
	return v
}
