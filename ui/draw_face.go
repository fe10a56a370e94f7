package ui

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/henan-county/kiosk/ui/layout"
)

// The face check's picture. The camera's newest frame is decoded by the
// host's camera port into one RGBA buffer the App reuses, copied into one
// texture, and drawn mirrored (a resident moves left and sees herself move
// left) to cover the widget, with the area outside the oval dimmed and
// the oval drawn thick. The frame is a resident's face: when the screen
// stops showing it, the buffer is zeroed and the texture cleared and
// freed (App.wipeCamera).

var (
	camDark  = color.RGBA{0x26, 0x2b, 0x33, 0xff}
	camDim   = color.RGBA{0x00, 0x00, 0x00, 0x8c}
	camOval  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ovalRX   = 0.30 // of the picture's height
	ovalRY   = 0.42
	ovalStep = 72
)

// cameraPicture draws the face check's picture and its oval into r.
func (p *painter) cameraPicture(dst *ebiten.Image, th *layout.Theme, r layout.Rect) {
	pr := pixelRect(r).Intersect(dst.Bounds())
	if pr.Empty() {
		return
	}
	clip := dst.SubImage(pr).(*ebiten.Image)
	if p.camera == nil {
		clip.Fill(camDark)
	} else {
		b := p.camera.Bounds()
		sw, sh := float64(b.Dx()), float64(b.Dy())
		s := max(r.W/sw, r.H/sh) // cover the widget; the edges are cut, not the face
		op := &ebiten.DrawImageOptions{Filter: ebiten.FilterNearest}
		op.GeoM.Scale(-s, s) // mirrored, like a looking glass
		op.GeoM.Translate(r.X+(r.W+sw*s)/2, r.Y+(r.H-sh*s)/2)
		clip.DrawImage(p.camera, op)
	}
	ov := p.cameraOverlay(int(math.Round(r.W)), int(math.Round(r.H)))
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(r.X), math.Round(r.Y))
	clip.DrawImage(ov, op)
}

// cameraOverlay is the dimmed surround and the oval for a picture w×h,
// drawn once per size (anti-aliased) and kept: every camera frame is then
// two textured rectangles, cheap even on a software renderer.
func (p *painter) cameraOverlay(w, h int) *ebiten.Image {
	if p.camOverlay != nil && p.camOverlay.Bounds().Dx() == w && p.camOverlay.Bounds().Dy() == h {
		return p.camOverlay
	}
	if p.camOverlay != nil {
		p.camOverlay.Deallocate()
	}
	img := ebiten.NewImage(w, h)
	W, H := float64(w), float64(h)
	cx, cy := W/2, H/2
	rx, ry := H*ovalRX, H*ovalRY
	var dim vector.Path
	dim.MoveTo(0, 0)
	dim.LineTo(float32(W), 0)
	dim.LineTo(float32(W), float32(H))
	dim.LineTo(0, float32(H))
	dim.Close()
	ellipse(&dim, cx, cy, rx, ry)
	aa := p.aa
	p.aa = true
	p.vs, p.is = dim.AppendVerticesAndIndicesForFilling(p.vs[:0], p.is[:0])
	p.paint(img, camDim, ebiten.FillRuleEvenOdd)
	var oval vector.Path
	ellipse(&oval, cx, cy, rx, ry)
	p.vs, p.is = oval.AppendVerticesAndIndicesForStroke(p.vs[:0], p.is[:0], &vector.StrokeOptions{Width: float32(max(6, H/90)), LineJoin: vector.LineJoinRound})
	p.paint(img, camOval, ebiten.FillRuleNonZero)
	p.aa = aa
	p.camOverlay = img
	return img
}

// ellipse adds a closed ellipse to path.
func ellipse(path *vector.Path, cx, cy, rx, ry float64) {
	for i := 0; i <= ovalStep; i++ {
		a := 2 * math.Pi * float64(i) / float64(ovalStep)
		x, y := float32(cx+rx*math.Cos(a)), float32(cy+ry*math.Sin(a))
		if i == 0 {
			path.MoveTo(x, y)
		} else {
			path.LineTo(x, y)
		}
	}
	path.Close()
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
}

// clearCamera blanks and frees the texture.
func (p *painter) clearCamera() {
	if p.camera == nil {
		return
	}
	p.camera.Clear()
	p.camera.Deallocate()
	p.camera = nil
}
