package ui

import (
	"image"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/techmode"
	"github.com/henan-county/kiosk/ui/layout"
)

// RenderTech draws a technician-mode view on a w×h screen (for golden
// tests and reviews). Use it from inside the game loop.
func (r *Renderer) RenderTech(v *techmode.View, w, h int) *image.RGBA {
	scr := layout.BuildTech(v, layout.Size{W: float64(w), H: float64(h)}, r.fonts)
	img := ebiten.NewImage(w, h)
	defer img.Deallocate()
	r.painter.draw(img, scr.Screen, 0, 0)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	img.ReadPixels(out.Pix)
	return out
}
