package ui

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	xdraw "golang.org/x/image/draw"

	"github.com/henan-county/kiosk/ui/internal/pictures"
	"github.com/henan-county/kiosk/ui/layout"
)

// The document screen's page and progress bar.
//
// The page is the first page of a resident's proof (户籍证明, 社保缴费记录):
// it shows her name, her ID number, her payments. The painter makes one
// texture of it when it first appears and frees that texture (and lets go
// of the page) as soon as the laid-out screen no longer shows it — the
// resident printed and moved on, or walked away and the session ended —
// so no copy of it waits in the kiosk's memory for the next person.

func newPictureCache() *pictures.Cache[*ebiten.Image] {
	return pictures.New(pageTexture, func(img *ebiten.Image) { img.Deallocate() })
}

// pageTexture makes a texture of the page at the size it is drawn at:
// scaled once on the CPU when the kiosk rendered it at another size
// (bilinear, ~60 ms for a page; the GPU's filter at draw time blurs small
// print and differs by a shade from one destination to the next). The
// scaled pixels are cleared once uploaded: they are the resident's data
// too.
func pageTexture(k pictures.Key) *ebiten.Image {
	if k.Src.Bounds().Size() == image.Pt(k.W, k.H) {
		return ebiten.NewImageFromImage(k.Src)
	}
	dst := image.NewRGBA(image.Rect(0, 0, k.W, k.H))
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), k.Src, k.Src.Bounds(), xdraw.Src, nil)
	img := ebiten.NewImageFromImage(dst)
	clear(dst.Pix)
	return img
}

// pageBox is where a Paper widget's page lies in r (layout.PageBox) and
// the key of its texture.
func pageBox(w *layout.Widget, r layout.Rect) (k pictures.Key, x, y, pw, ph, m float64) {
	sw, sh := 0, 0
	if pictures.Keepable(w.Picture) {
		sw, sh = w.Picture.Bounds().Dx(), w.Picture.Bounds().Dy()
	}
	x, y, pw, ph, m = layout.PageBox(r, sw, sh)
	if sw > 0 && sh > 0 {
		k = pictures.Key{Src: w.Picture, W: int(pw), H: int(ph)}
	}
	return k, x, y, pw, ph, m
}

// showPictures frees the textures of every page s does not show and,
// with load, makes those it does (once each).
func (p *painter) showPictures(s *layout.Screen, load bool) {
	var shown []pictures.Key
	if s != nil {
		for i := range s.Widgets {
			w := &s.Widgets[i]
			if w.Kind == layout.Paper && w.Picture != nil {
				k, _, _, _, _, _ := pageBox(w, w.Rect)
				shown = append(shown, k)
			}
		}
	}
	p.pictures.Keep(shown...)
	if load {
		for _, k := range shown {
			p.pictures.Get(k)
		}
	}
}

// pictureID names the texture a widget shows (0: none), for telling a
// new page at the same place from the old one.
func (p *painter) pictureID(w *layout.Widget) uint64 {
	k, _, _, _, _, _ := pageBox(w, w.Rect)
	_, id, _ := p.pictures.Lookup(k)
	return id
}

// Colours of the sheet of paper the page is drawn on.
var (
	paperWhite  = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	paperEdge   = color.RGBA{0xA9, 0xB1, 0xBA, 0xFF}
	paperShadow = color.RGBA{0, 0, 0, 0x28} // premultiplied: a light grey veil
)

// paper draws a page fitted into r with its shape kept: a white sheet
// with a thin edge and a soft shadow to its lower right, the page's
// picture on it.
func (p *painter) paper(dst *ebiten.Image, w *layout.Widget, r layout.Rect) {
	k, x, y, pw, ph, m := pageBox(w, r)
	p.roundRect(dst, x+m, y+m, pw, ph, 0, paperShadow)
	p.roundRect(dst, x+m/2, y+m/2, pw, ph, 0, paperShadow)
	p.roundRect(dst, x-2, y-2, pw+4, ph+4, 0, paperEdge)
	p.roundRect(dst, x, y, pw, ph, 0, paperWhite)
	img, _, ok := p.pictures.Lookup(k)
	if !ok {
		return
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(x, y)
	dst.DrawImage(img, op)
}

// bar draws a progress bar filled to w.Value: an outlined track, the
// filled part in the role's colour.
func (p *painter) bar(dst *ebiten.Image, th *layout.Theme, w *layout.Widget, r layout.Rect) {
	fill, _ := colours(th, w.Role)
	rad := r.H / 2
	p.strokeRoundRect(dst, r.X, r.Y, r.W, r.H, rad, 3, fill, th.Surface)
	if v := min(max(w.Value, 0), 1); v > 0 {
		p.roundRect(dst, r.X, r.Y, max(r.H, r.W*v), r.H, rad, fill)
	}
}
