// Command gen draws the simulated camera's scenes: a stylised face (no
// photograph of anyone) that blinks, turns, stands too far, is backlit,
// is held up as a photo or is someone else, an empty kiosk front and a
// covered lens. Each frame carries the scene's marker (camerasim.Marker)
// in its top-left corner. Run from drivers/camera/camerasim:
//
//	go run ./internal/gen
//
// The output is deterministic; TestScenesUpToDate checks the committed
// files are what it draws.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"
)

// W and H are the scenes' size; camerasim scales them to the mode asked.
const (
	W = 640
	H = 480
)

// Scene codes, as camerasim.Marker reads them.
var codes = map[string]int{"blink": 1, "turn": 2, "far": 3, "backlit": 4, "noface": 5, "photo": 6, "stranger": 7, "dark": 8}

// face describes one drawing of a head.
type face struct {
	cx, cy    int     // centre of the face
	scale     float64 // 1: fills about half the frame's height
	yaw       int     // -3..3: turned left to right
	eyes      float64 // 1 open, 0 closed
	skin      color.RGBA
	hair      color.RGBA
	glasses   bool
	round     bool
	hairShort bool
	shade     float64 // multiply the head's colours (0: 1): against the light
}

type frame struct {
	bg     color.RGBA
	window bool // a bright window behind (backlight)
	face   *face
	photo  bool    // the face is on a photo held up: a white border round it
	dim    float64 // multiply every pixel (0: 1)
	shift  int     // a few pixels of sway
}

var (
	wall   = color.RGBA{196, 204, 212, 255}
	skin   = color.RGBA{226, 188, 152, 255}
	hair   = color.RGBA{40, 32, 30, 255}
	skin2  = color.RGBA{200, 156, 120, 255}
	hair2  = color.RGBA{120, 80, 50, 255}
	shirt  = color.RGBA{52, 84, 140, 255}
	shirt2 = color.RGBA{120, 40, 40, 255}
)

func scenes() map[string][]frame {
	me := func(eyes float64, shift, yaw int) *face {
		return &face{cx: W/2 + shift, cy: 250, scale: 1, eyes: eyes, yaw: yaw, skin: skin, hair: hair}
	}
	out := map[string][]frame{}
	for i, e := range []float64{1, 1, 0.5, 0, 0.5, 1} {
		out["blink"] = append(out["blink"], frame{bg: wall, face: me(e, i%3-1, 0), shift: i % 2})
	}
	for i, y := range []int{0, -1, -2, -1, 1, 2} {
		out["turn"] = append(out["turn"], frame{bg: wall, face: me(1, y*6, y), shift: i % 2})
	}
	for i := range 2 {
		f := me(1, i, 0)
		f.scale, f.cy = 0.35, 220
		out["far"] = append(out["far"], frame{bg: wall, face: f})
	}
	for i, e := range []float64{1, 0, 1} {
		f := me(e, i-1, 0)
		f.shade = 0.22
		out["backlit"] = append(out["backlit"], frame{bg: color.RGBA{250, 250, 246, 255}, window: true, face: f})
	}
	for i := range 2 {
		out["noface"] = append(out["noface"], frame{bg: wall, shift: i * 2})
	}
	out["photo"] = []frame{{bg: wall, face: me(1, 0, 0), photo: true}}
	for i, e := range []float64{1, 0.5, 0, 1} {
		out["stranger"] = append(out["stranger"], frame{bg: wall, face: &face{cx: W/2 + i%2, cy: 255, scale: 1.05, eyes: e,
			skin: skin2, hair: hair2, glasses: true, round: true, hairShort: true}})
	}
	out["dark"] = []frame{{bg: wall, face: me(1, 0, 0), dim: 0.06}}
	return out
}

type canvas struct{ *image.RGBA }

func (c canvas) ellipse(cx, cy, rx, ry int, col color.RGBA) {
	if rx <= 0 || ry <= 0 {
		return
	}
	for y := cy - ry; y <= cy+ry; y++ {
		for x := cx - rx; x <= cx+rx; x++ {
			dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/float64(ry)
			if dx*dx+dy*dy <= 1 && image.Pt(x, y).In(c.Rect) {
				c.SetRGBA(x, y, col)
			}
		}
	}
}

func (c canvas) rect(x0, y0, x1, y1 int, col color.RGBA) {
	r := image.Rect(x0, y0, x1, y1).Intersect(c.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.SetRGBA(x, y, col)
		}
	}
}

func sc(v int, s float64) int { return int(float64(v)*s + 0.5) }

func (c canvas) head(f *face) {
	s := f.scale
	rx, ry := sc(100, s), sc(128, s)
	if f.round {
		rx = sc(112, s)
	}
	narrow := sc(abs(f.yaw)*8, s)
	// shoulders and neck
	sh := shirt
	if f.round {
		sh = shirt2
	}
	c.ellipse(f.cx, f.cy+sc(250, s), sc(210, s), sc(110, s), f.c(sh))
	c.rect(f.cx-sc(38, s), f.cy+sc(90, s), f.cx+sc(38, s), f.cy+sc(160, s), f.c(f.skin))
	// hair behind, face, hair on top
	c.ellipse(f.cx, f.cy-sc(18, s), rx+sc(14, s), ry+sc(10, s), f.c(f.hair))
	c.ellipse(f.cx, f.cy, rx-narrow, ry, f.c(f.skin))
	if f.hairShort {
		c.rect(f.cx-rx, f.cy-ry-sc(12, s), f.cx+rx, f.cy-sc(80, s), f.c(f.hair))
	} else {
		c.ellipse(f.cx, f.cy-sc(95, s), rx, sc(50, s), f.c(f.hair))
	}
	off := sc(f.yaw*14, s)
	// eyes
	for _, side := range []int{-1, 1} {
		ex, ey := f.cx+off+side*sc(40, s), f.cy-sc(18, s)
		eh := sc(int(13*f.eyes), s)
		if eh < 1 {
			c.rect(ex-sc(18, s), ey-1, ex+sc(18, s), ey+sc(3, s), f.c(color.RGBA{60, 40, 35, 255}))
		} else {
			c.ellipse(ex, ey, sc(20, s), eh, f.c(color.RGBA{250, 250, 250, 255}))
			c.ellipse(ex+sc(f.yaw*3, s), ey, sc(8, s), min(sc(8, s), eh), f.c(color.RGBA{30, 24, 22, 255}))
		}
		c.rect(ex-sc(20, s), ey-sc(30, s), ex+sc(20, s), ey-sc(24, s), f.c(f.hair)) // brow
		if f.glasses {
			for d := 0; d < sc(4, s); d++ {
				c.rect(ex-sc(28, s), ey-sc(22, s)+d, ex+sc(28, s), ey-sc(21, s)+d, f.c(color.RGBA{20, 20, 20, 255}))
				c.rect(ex-sc(28, s), ey+sc(20, s)+d, ex+sc(28, s), ey+sc(21, s)+d, f.c(color.RGBA{20, 20, 20, 255}))
			}
		}
	}
	// nose and mouth
	nose := color.RGBA{f.skin.R - 30, f.skin.G - 30, f.skin.B - 30, 255}
	c.rect(f.cx+off+sc(f.yaw*4, s)-sc(6, s), f.cy+sc(5, s), f.cx+off+sc(f.yaw*4, s)+sc(6, s), f.cy+sc(40, s), f.c(nose))
	c.ellipse(f.cx+off, f.cy+sc(68, s), sc(32, s), sc(9, s), f.c(color.RGBA{176, 70, 70, 255}))
}

// c shades a colour of the head.
func (f *face) c(col color.RGBA) color.RGBA {
	if f.shade == 0 {
		return col
	}
	m := func(v uint8) uint8 { return uint8(float64(v) * f.shade) }
	return color.RGBA{m(col.R), m(col.G), m(col.B), 255}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// marker draws the scene code: eight 8×8 cells from (8,8): white, black,
// the code's four bits (most significant first, white is 1), its parity
// (white: odd) and black.
func (c canvas) marker(code int) {
	white, black := color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	cells := []bool{true, false}
	parity := false
	for b := 3; b >= 0; b-- {
		on := code>>b&1 == 1
		parity = parity != on
		cells = append(cells, on)
	}
	cells = append(cells, parity, false)
	for i, on := range cells {
		col := black
		if on {
			col = white
		}
		c.rect(8+i*8, 8, 16+i*8, 16, col)
	}
}

func draw(fr frame, code int) *image.RGBA {
	c := canvas{image.NewRGBA(image.Rect(0, 0, W, H))}
	c.rect(0, 0, W, H, fr.bg)
	c.rect(0, H-90+fr.shift, W, H, color.RGBA{fr.bg.R - 40, fr.bg.G - 40, fr.bg.B - 40, 255}) // the counter
	if fr.window {
		c.rect(W/2-220, 20, W/2+220, 300, color.RGBA{255, 255, 255, 255})
	}
	if fr.photo {
		c.rect(W/2-140, 90, W/2+140, 430, color.RGBA{246, 246, 240, 255})
	}
	if fr.face != nil {
		c.head(fr.face)
	}
	if fr.photo { // the photo's edge crops the head and shoulders
		c.rect(0, 0, W/2-140, H, fr.bg)
		c.rect(W/2+140, 0, W, H, fr.bg)
		c.rect(0, 430, W, H, fr.bg)
		c.rect(W/2-160, 430, W/2+160, H, skin) // fingers holding it
	}
	if fr.dim > 0 {
		for i := range c.Pix {
			if i%4 != 3 {
				c.Pix[i] = uint8(float64(c.Pix[i]) * fr.dim)
			}
		}
	}
	c.marker(code)
	return c.RGBA
}

// Render returns every scene frame as PNG, by file name.
func Render() (map[string][]byte, error) {
	out := map[string][]byte{}
	for name, frames := range scenes() {
		for i, fr := range frames {
			var buf bytes.Buffer
			enc := png.Encoder{CompressionLevel: png.BestCompression}
			if err := enc.Encode(&buf, draw(fr, codes[name])); err != nil {
				return nil, err
			}
			out[fmt.Sprintf("%s-%d.png", name, i)] = buf.Bytes()
		}
	}
	return out, nil
}

func main() {
	files, err := Render()
	if err != nil {
		log.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join("scenes", "*.png"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join("scenes", name), b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
