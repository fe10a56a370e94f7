package countysim

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// sealRed is the red of Chinese official seals.
var sealRed = color.NRGBA{R: 0xd8, G: 0x1e, B: 0x28, A: 0xff}

// SealPNG draws a department's electronic seal as a size×size PNG with a
// transparent background: a red ring, the department's name along the
// upper arc with each character upright to the centre, a five-pointed star
// in the middle and 电子印章 under it. ttf is a TrueType font that covers
// the name.
func SealPNG(ttf []byte, department string, size int) ([]byte, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("countysim: seal: font: %w", err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	c := s / 2
	outer, ring := s*0.48, s*0.035

	set := func(x, y int, a float64) {
		if a <= 0 || x < 0 || y < 0 || x >= size || y >= size {
			return
		}
		o := img.NRGBAAt(x, y)
		na := math.Min(1, float64(o.A)/255+a)
		img.SetNRGBA(x, y, color.NRGBA{R: sealRed.R, G: sealRed.G, B: sealRed.B, A: uint8(na * 255)})
	}

	// The ring, antialiased at both edges.
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			d := math.Hypot(float64(x)+0.5-c, float64(y)+0.5-c)
			a := math.Min(math.Min(outer-d, d-(outer-ring)), 1)
			set(x, y, a+0.5)
		}
	}

	// The star: a five-pointed polygon, point up.
	var star [10][2]float64
	R, r := s*0.16, s*0.16*0.382
	for i := range star {
		rad := R
		if i%2 == 1 {
			rad = r
		}
		th := -math.Pi/2 + float64(i)*math.Pi/5
		star[i] = [2]float64{c + rad*math.Cos(th), c + rad*math.Sin(th)}
	}
	for y := int(c - R - 1); y <= int(c+R+1); y++ {
		for x := int(c - R - 1); x <= int(c+R+1); x++ {
			// 2×2 supersampling for smooth edges.
			n := 0
			for _, o := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				if inPolygon(star[:], float64(x)+o[0], float64(y)+o[1]) {
					n++
				}
			}
			set(x, y, float64(n)/4)
		}
	}

	// The name along the upper arc.
	runes := []rune(department)
	glyphSize := s * 0.12
	if len(runes) > 14 {
		glyphSize = s * 0.12 * 14 / float64(len(runes))
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: glyphSize, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("countysim: seal: face: %w", err)
	}
	defer face.Close()
	span := 240 * math.Pi / 180 // the arc the name covers, centred on the top
	textR := outer - ring - glyphSize*0.75
	for i, ch := range runes {
		th := -span/2 + span*(float64(i)+0.5)/float64(len(runes)) // from the top, clockwise
		g := glyphMask(face, ch, int(glyphSize*1.4))
		cx, cy := c+textR*math.Sin(th), c-textR*math.Cos(th)
		drawRotated(g, cx, cy, th, set)
	}

	// 电子印章 horizontally under the star.
	small, err := opentype.NewFace(f, &opentype.FaceOptions{Size: s * 0.075, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("countysim: seal: face: %w", err)
	}
	defer small.Close()
	label := []rune("电子印章")
	step := s * 0.08
	for i, ch := range label {
		g := glyphMask(small, ch, int(s*0.1))
		drawRotated(g, c+(float64(i)-1.5)*step, c+s*0.27, 0, set)
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("countysim: seal: %w", err)
	}
	return buf.Bytes(), nil
}

// glyphMask renders one character centred in an n×n alpha mask.
func glyphMask(face font.Face, ch rune, n int) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, n, n))
	d := font.Drawer{Dst: m, Src: image.Opaque, Face: face}
	b, adv := d.BoundString(string(ch))
	w := adv.Ceil()
	h := (b.Max.Y - b.Min.Y).Ceil()
	top := -b.Min.Y
	d.Dot = fixed.Point26_6{X: fixed.I((n - w) / 2), Y: top + fixed.I((n-h)/2)}
	d.DrawString(string(ch))
	return m
}

// drawRotated paints mask g centred at (cx, cy), turned by th radians
// clockwise, through set (inverse mapping, nearest neighbour).
func drawRotated(g *image.Alpha, cx, cy, th float64, set func(x, y int, a float64)) {
	n := g.Bounds().Dx()
	half := float64(n) / 2
	reach := int(half*1.5) + 1
	sin, cos := math.Sin(th), math.Cos(th)
	for dy := -reach; dy <= reach; dy++ {
		for dx := -reach; dx <= reach; dx++ {
			// Turn the destination offset back by th to find the source.
			fx, fy := float64(dx), float64(dy)
			sx := cos*fx + sin*fy + half
			sy := -sin*fx + cos*fy + half
			ix, iy := int(math.Floor(sx)), int(math.Floor(sy))
			if ix < 0 || iy < 0 || ix >= n || iy >= n {
				continue
			}
			set(int(cx)+dx, int(cy)+dy, float64(g.AlphaAt(ix, iy).A)/255)
		}
	}
}

func inPolygon(p [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(p)-1; i < len(p); j, i = i, i+1 {
		if (p[i][1] > y) != (p[j][1] > y) &&
			x < (p[j][0]-p[i][0])*(y-p[i][1])/(p[j][1]-p[i][1])+p[i][0] {
			in = !in
		}
	}
	return in
}
