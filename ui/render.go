package ui

import (
	"errors"
	"image"
	"image/draw"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
)

// Renderer draws any View at any size off screen: for golden tests,
// `make screenshots` and reviews. Use it from inside the game loop.
type Renderer struct {
	fonts   *fonts
	painter *painter
}

// NewRenderer loads the fonts (fontPath "" for the default).
func NewRenderer(fontPath string) (*Renderer, error) {
	f, err := loadFonts(fontPath, "")
	p, perr := newPainter(f)
	return &Renderer{fonts: f, painter: p}, errors.Join(err, perr)
}

// Render draws v on a w×h screen; anim is the animation time in seconds.
func (r *Renderer) Render(v *session.View, w, h int, anim float64) *image.RGBA {
	scr := layout.Build(v, layout.Size{W: float64(w), H: float64(h)}, r.fonts, nil)
	img := ebiten.NewImage(w, h)
	defer img.Deallocate()
	r.painter.draw(img, scr, 0, anim)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	img.ReadPixels(out.Pix)
	return out
}

// Measurer returns the renderer's text measurer (real font advances).
func (r *Renderer) Measurer() layout.Measurer { return r.fonts }

// SetCameraPicture is the picture the face screen shows (nil: none): the
// simulated camera's frame in golden tests and screenshots.
func (r *Renderer) SetCameraPicture(img image.Image) {
	if img == nil {
		r.painter.clearCamera()
		return
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	r.painter.setCamera(rgba)
}
