package ui

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/ui/layout"
)

// The face check's picture. The camera's newest frame is decoded by the
// host's camera port into one RGBA buffer the App reuses, copied into one
// texture, and drawn mirrored (a resident moves left and sees herself move
// left) to cover the widget, with the area outside the oval dimmed and
// the oval drawn thick. The frame is a resident's face: when the screen
// stops showing it, the buffer is zeroed and the texture cleared and
// freed (App.wipeCamera).
//
// Picture, dimming and oval are one pass of one shader (camShader): on a
// software renderer every pixel painted costs, and the picture is painted
// at the camera's rate. Drawn with vector paths instead, the oval needs
// an anti-aliasing buffer twice the picture's size and a second
// full-size texture blended over every frame.

var (
	camDark  = color.RGBA{0x26, 0x2b, 0x33, 0xff}
	camDimBy = 0.55 // the surround keeps 45 % of its light
	ovalRX   = 0.30 // of the picture's height
	ovalRY   = 0.42
)

// camShaderSrc computes every pixel from its own position on the screen
// (nothing interpolated): a part of the picture repainted comes out
// exactly as in the whole. Screen to frame: x' = (Origin.x - x) / Scale
// (mirrored), y' = (y - Origin.y) / Scale.
const camShaderSrc = `//kage:unit pixels

package main

var Clip vec2   // the top-left corner of the part drawn, on the screen
var Origin vec2 // where the frame's top-right corner lands on the screen
var Scale float // screen pixels per frame pixel
var Center vec2 // the oval's centre on the screen
var Radii vec2  // its radii, in screen pixels
var Line float  // the oval's line width
var Dim float   // how much of the surround's light is taken away
var Base vec4   // the picture without a camera frame (alpha 0: the frame)

func Fragment(dst vec4, src vec2, color vec4) vec4 {
	p := dst.xy - imageDstOrigin() + Clip // imageDstOrigin is the part's corner on its texture
	c := Base
	if Base.a == 0 {
		f := vec2(Origin.x-p.x, p.y-Origin.y) / Scale
		c = imageSrc0UnsafeAt(floor(f) + 0.5 + imageSrc0Origin())
	}
	q := (p - Center) / Radii
	l := length(q)
	g := length(q/Radii) / max(l, 0.0001)
	d := (l - 1) / max(g, 0.0001)
	c.rgb *= 1 - Dim*clamp(d+0.5, 0, 1)
	line := clamp(Line/2-abs(d)+0.5, 0, 1)
	return mix(c, vec4(1), line)
}
`

// cameraPicture draws the face check's picture and its oval into r.
func (p *painter) cameraPicture(dst *ebiten.Image, th *layout.Theme, r layout.Rect) {
	pr := pixelRect(r).Intersect(dst.Bounds())
	if pr.Empty() {
		return
	}
	clip := dst.SubImage(pr).(*ebiten.Image)
	if p.camShader == nil {
		clip.Fill(camDark) // the shader did not compile (newPainter logged it): no picture
		return
	}
	sw, sh, s := r.W, r.H, 1.0
	base := [4]float32{float32(camDark.R) / 255, float32(camDark.G) / 255, float32(camDark.B) / 255, 1}
	op := &ebiten.DrawTrianglesShaderOptions{}
	if p.camera != nil {
		b := p.camera.Bounds()
		sw, sh = float64(b.Dx()), float64(b.Dy())
		s = max(r.W/sw, r.H/sh) // cover the widget; the edges are cut, not the face
		base = [4]float32{}
		op.Images[0] = p.camera
	}
	p.vs = p.vs[:0]
	for _, c := range [4]image.Point{pr.Min, {pr.Max.X, pr.Min.Y}, {pr.Min.X, pr.Max.Y}, pr.Max} {
		p.vs = append(p.vs, ebiten.Vertex{DstX: float32(c.X), DstY: float32(c.Y), ColorR: 1, ColorG: 1, ColorB: 1, ColorA: 1})
	}
	p.is = append(p.is[:0], 0, 1, 2, 1, 3, 2)
	op.Uniforms = map[string]any{
		"Clip": []float32{float32(pr.Min.X), float32(pr.Min.Y)},
		// Mirrored, like a looking glass, and centred.
		"Origin": []float32{float32(r.X + (r.W+sw*s)/2), float32(r.Y + (r.H-sh*s)/2)},
		"Scale":  float32(s),
		"Center": []float32{float32(r.X + r.W/2), float32(r.Y + r.H/2)},
		"Radii":  []float32{float32(r.H * ovalRX), float32(r.H * ovalRY)},
		"Line":   float32(max(6, r.H/90)),
		"Dim":    float32(camDimBy),
		"Base":   base[:],
	}
	clip.DrawTrianglesShader(p.vs, p.is, p.camShader, op)
}

// setCamera puts a decoded frame into the painter's texture (made or
// remade at the frame's size).
func (p *painter) setCamera(img *image.RGBA) {
	b := img.Bounds()
	if p.camera == nil || p.camera.Bounds().Size() != b.Size() {
		p.clearCamera()
		// A texture of its own, off Ebitengine's atlas: it is rewritten
		// every frame.
		p.camera = ebiten.NewImageWithOptions(image.Rect(0, 0, b.Dx(), b.Dy()), &ebiten.NewImageOptions{Unmanaged: true})
	}
	p.camera.WritePixels(img.Pix)
	p.camGen++
}

// clearCamera blanks and frees the texture.
func (p *painter) clearCamera() {
	if p.camera == nil {
		return
	}
	p.camera.Clear()
	p.camera.Deallocate()
	p.camera = nil
	p.camGen++
}
