package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"github.com/skip2/go-qrcode"
	"golang.org/x/text/language"

	"github.com/henan-county/kiosk/ui/internal/pictures"
	"github.com/henan-county/kiosk/ui/layout"
)

var langZH = language.SimplifiedChinese

// painter draws laid-out screens. It keeps the white pixel, the QR cache
// and reusable vertex buffers.
type painter struct {
	fonts *fonts
	white *ebiten.Image
	qr    map[string]*ebiten.Image
	// pictures holds one texture of each picture on the screen now (a
	// proof's page), freed when it leaves the screen (draw_document.go).
	pictures *pictures.Cache[*ebiten.Image]
	// camera is the face check's picture now (draw_face.go); nil when
	// none is shown.
	camera    *ebiten.Image
	camGen    uint64         // counts changes of camera: the picture is repainted only then
	camShader *ebiten.Shader // the picture with its oval (draw_face.go); nil if it failed to compile
	disks     map[int]*ebiten.Image
	icons     map[iconKey]*ebiten.Image
	vs        []ebiten.Vertex
	is        []uint16
	// screenW is the width of the screen being drawn (dst may be a
	// clipped part of it).
	screenW float64
	// drawn remembers what was last drawn on the last few destinations,
	// for repainting only what changed (see damage).
	drawn []*drawnScreen
	// aa turns on anti-aliased vector drawing. It is slow on a software
	// renderer, so shapes are drawn anti-aliased once into caches (disks
	// for rounded corners, icons) and copied from there.
	aa bool
}

type iconKey struct {
	name   string
	size   int
	fg, bg color.RGBA
}

// newPainter returns a painter; an error says what it cannot draw (the
// painter still draws everything else).
func newPainter(f *fonts) (*painter, error) {
	w := ebiten.NewImage(3, 3)
	w.Fill(color.White)
	p := &painter{fonts: f, white: w.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image), qr: map[string]*ebiten.Image{},
		disks: map[int]*ebiten.Image{}, icons: map[iconKey]*ebiten.Image{}, pictures: newPictureCache()}
	sh, err := ebiten.NewShader([]byte(camShaderSrc))
	if err != nil {
		return p, fmt.Errorf("ui: the camera picture's shader: %w", err)
	}
	p.camShader = sh
	return p, nil
}

// colours returns a role's background (zero alpha: none) and text colour.
func colours(th *layout.Theme, r layout.Role) (bg, fg color.RGBA) { return th.Colours(r) }

// draw paints a laid-out screen on dst. When dst still holds the screen
// this painter drew on it last time, only the regions whose widgets
// changed are painted again (see damage); otherwise the whole screen is.
// anim is seconds for animations.
func (p *painter) draw(dst *ebiten.Image, s *layout.Screen, scroll, anim float64) {
	p.screenW = s.W
	if p.screenW <= 0 {
		p.screenW = float64(dst.Bounds().Dx())
	}
	p.fonts.trim(time.Now())
	p.showPictures(s, true)
	for _, r := range p.damage(dst, s, scroll, anim) {
		p.drawRegion(dst, r, s, scroll, anim)
	}
}

// drawRegion paints the part of the screen inside clip: background, then
// the scrolled content, the scroll bar and the fixed widgets that reach
// into clip, in order.
func (p *painter) drawRegion(screen *ebiten.Image, clip image.Rectangle, s *layout.Screen, scroll, anim float64) {
	th := s.Theme
	dst := screen.SubImage(clip).(*ebiten.Image)
	if !p.pictureOver(clip, s) {
		dst.Fill(th.Bg)
	}
	area := dst
	if s.Scroll.H > 0 {
		area = screen.SubImage(pixelRect(s.Scroll).Intersect(clip)).(*ebiten.Image)
	}
	// Scrolled content first, then fixed widgets over it, in order.
	for i := range s.Widgets {
		w := &s.Widgets[i]
		if !w.Scroll || area.Bounds().Empty() {
			continue
		}
		if s.ModalFrom >= 0 && i >= s.ModalFrom {
			continue
		}
		r := w.Rect
		r.Y -= scroll
		if r.Y > s.Scroll.Y+s.Scroll.H || r.Y+r.H < s.Scroll.Y || !touches(r, clip) {
			continue
		}
		p.widget(area, th, w, r, anim)
	}
	if s.MaxScroll() > 0 && touches(scrollbarRect(s), clip) {
		p.scrollbar(dst, th, s, scroll)
	}
	for i := range s.Widgets {
		w := &s.Widgets[i]
		if w.Scroll || !touches(w.Rect, clip) {
			continue
		}
		p.widget(dst, th, w, w.Rect, anim)
	}
}

// pictureOver reports whether the camera's picture covers clip: it is
// opaque and drawn in any case (a fixed widget touching clip), so nothing
// under it needs painting first.
func (p *painter) pictureOver(clip image.Rectangle, s *layout.Screen) bool {
	if p.camShader == nil {
		return false
	}
	for i := range s.Widgets {
		w := &s.Widgets[i]
		if w.Kind == layout.Camera && !w.Scroll && clip.In(pixelRect(w.Rect)) {
			return true
		}
	}
	return false
}

func (p *painter) scrollbar(dst *ebiten.Image, th *layout.Theme, s *layout.Screen, scroll float64) {
	r := s.Scroll
	frac := r.H / s.ContentH
	h := max(60, r.H*frac)
	y := r.Y + (r.H-h)*(scroll/s.MaxScroll())
	p.roundRect(dst, r.X+r.W-14, y, 10, h, 5, th.Muted)
}

func (p *painter) widget(dst *ebiten.Image, th *layout.Theme, w *layout.Widget, r layout.Rect, anim float64) {
	bg, fg := colours(th, w.Role)
	pad := th.Gap
	switch w.Kind {
	case layout.Box:
		if bg.A > 0 {
			rad := th.Radius
			if w.Role == layout.Header || w.Role == layout.Scrim || r.X == 0 && r.W >= p.screenW-1 {
				rad = 0
			}
			p.roundRect(dst, r.X, r.Y, r.W, r.H, rad, bg)
		}
		if len(w.Lines) > 0 {
			p.lines(dst, w.Lines, w.Size, w.Bold, fg, r.X+pad, r.Y+pad, r.W-2*pad, w.Center)
		}
	case layout.Label:
		if w.Role == layout.Plain || w.Role == layout.Surface {
			fg = th.Text
		}
		p.lines(dst, w.Lines, w.Size, w.Bold, fg, r.X, r.Y, r.W, w.Center)
	case layout.Button:
		p.roundRect(dst, r.X, r.Y, r.W, r.H, th.Radius, bg)
		p.centred(dst, w.Lines, w.Size, w.Bold, fg, r)
	case layout.Tile:
		p.roundRect(dst, r.X, r.Y, r.W, r.H, th.Radius, bg)
		if w.Role == layout.Surface {
			p.strokeRoundRect(dst, r.X, r.Y, r.W, r.H, th.Radius, 3, th.Secondary, th.Surface)
		}
		ic := fg
		if w.Role == layout.Surface {
			ic = th.Primary
		}
		if r.W > 2.5*r.H { // a wide tile: icon at the left
			s := r.H * 0.6
			p.icon(dst, w.Icon, r.X+pad, r.Y+(r.H-s)/2, s, ic, bg)
			tr := layout.Rect{X: r.X + pad*2 + s, Y: r.Y, W: r.W - 3*pad - s, H: r.H}
			p.centredLeft(dst, w.Lines, w.Size, w.Bold, fg, tr)
			return
		}
		lh := lineHeight(w.Size) * float64(len(w.Lines))
		s := min(r.W*0.5, r.H-lh-2*pad)
		p.icon(dst, w.Icon, r.X+(r.W-s)/2, r.Y+pad, s, ic, bg)
		p.lines(dst, w.Lines, w.Size, w.Bold, fg, r.X, r.Y+r.H-pad-lh, r.W, true)
	case layout.Row:
		p.roundRect(dst, r.X, r.Y, r.W, r.H, th.Radius, bg)
		_, sfg := colours(th, w.SubRole)
		if w.SubRole == layout.Disabled {
			sfg = th.OnDisabled
		}
		y := r.Y + pad
		p.lines(dst, w.Lines, w.Size, w.Bold, fg, r.X+pad, y, r.W-3*pad, false)
		y += lineHeight(w.Size) * float64(len(w.Lines))
		p.lines(dst, w.Sub, w.SubSize, false, sfg, r.X+pad, y, r.W-3*pad, false)
		// A chevron says "tap me".
		cs := th.Body
		p.icon(dst, "chevron", r.X+r.W-pad-cs*0.7, r.Y+(r.H-cs)/2, cs, fg, bg)
	case layout.Field:
		bw, bc := 3.0, th.Muted
		if w.Focused {
			bw, bc = 6, th.Focus
		}
		p.strokeRoundRect(dst, r.X, r.Y, r.W, r.H, th.Radius*0.6, bw, bc, th.Surface)
		_, fg = colours(th, w.Role)
		if w.Role == layout.Plain {
			fg = th.Text
		}
		p.centredLeft(dst, w.Lines, w.Size, w.Bold, fg, layout.Rect{X: r.X + pad, Y: r.Y, W: r.W - 2*pad, H: r.H})
		if w.Focused && int(anim*2)%2 == 0 { // caret
			x := r.X + pad + 4
			if len(w.Lines) > 0 && w.Role == layout.Plain {
				x += p.fonts.Advance(w.Lines[len(w.Lines)-1], w.Size)
			}
			vector.StrokeLine(dst, float32(x), float32(r.Y+r.H*0.2), float32(x), float32(r.Y+r.H*0.8), 4, th.Text, false)
		}
	case layout.QR:
		p.qrCode(dst, w.Data, r)
	case layout.Icon:
		if w.Icon == layout.IconScanHere {
			p.scanHere(dst, th, r) // draw_payment.go
			return
		}
		if w.Role == layout.Primary {
			fg = th.Primary // a mark in the main colour, on the background
		}
		p.icon(dst, w.Icon, r.X, r.Y, min(r.W, r.H), fg, th.Bg)
	case layout.Paper:
		p.paper(dst, w, r)
	case layout.Bar:
		p.bar(dst, th, w, r)
	case layout.Camera:
		p.cameraPicture(dst, th, r) // draw_face.go
	case layout.Spinner:
		p.spinner(dst, r, th.Primary, th.Secondary, anim)
	case layout.CardIcon:
		p.cardAnim(dst, r, th, anim)
	case layout.Pad:
		p.drawPad(dst, th, w, r) // handwriting.go
	}
}

func lineHeight(size float64) float64 { return size * 1.4 }

// lines draws wrapped lines from the top of a box.
func (p *painter) lines(dst *ebiten.Image, lines []string, size float64, bold bool, c color.RGBA, x, y, w float64, center bool) {
	m := p.fonts.face(size, bold).Metrics()
	lh := lineHeight(size)
	off := (lh - (m.HAscent + m.HDescent)) / 2
	for i, l := range lines {
		face := p.fonts.drawFace(l, size, bold)
		op := &text.DrawOptions{}
		lx := x
		if center {
			lx = x + (w-text.Advance(l, face))/2
		}
		op.GeoM.Translate(math.Round(lx), math.Round(y+float64(i)*lh+off))
		op.ColorScale.ScaleWithColor(c)
		text.Draw(dst, l, face, op)
	}
}

func (p *painter) centred(dst *ebiten.Image, lines []string, size float64, bold bool, c color.RGBA, r layout.Rect) {
	h := lineHeight(size) * float64(len(lines))
	p.lines(dst, lines, size, bold, c, r.X, r.Y+(r.H-h)/2, r.W, true)
}

func (p *painter) centredLeft(dst *ebiten.Image, lines []string, size float64, bold bool, c color.RGBA, r layout.Rect) {
	h := lineHeight(size) * float64(len(lines))
	p.lines(dst, lines, size, bold, c, r.X, r.Y+(r.H-h)/2, r.W, false)
}

func roundPath(x, y, w, h, r float64) *vector.Path {
	r = min(r, w/2, h/2)
	X, Y, W, H, R := float32(x), float32(y), float32(w), float32(h), float32(r)
	var path vector.Path
	if R <= 0 {
		path.MoveTo(X, Y)
		path.LineTo(X+W, Y)
		path.LineTo(X+W, Y+H)
		path.LineTo(X, Y+H)
		path.Close()
		return &path
	}
	path.MoveTo(X+R, Y)
	path.LineTo(X+W-R, Y)
	path.ArcTo(X+W, Y, X+W, Y+R, R)
	path.LineTo(X+W, Y+H-R)
	path.ArcTo(X+W, Y+H, X+W-R, Y+H, R)
	path.LineTo(X+R, Y+H)
	path.ArcTo(X, Y+H, X, Y+H-R, R)
	path.LineTo(X, Y+R)
	path.ArcTo(X, Y, X+R, Y, R)
	path.Close()
	return &path
}

// roundRect fills a rounded rectangle (vector has none of its own): the
// body as plain rectangles, the corners copied from an anti-aliased disk.
func (p *painter) roundRect(dst *ebiten.Image, x, y, w, h, r float64, c color.RGBA) {
	if c.A == 0 || w <= 0 || h <= 0 {
		return
	}
	if p.aa {
		p.fill(dst, roundPath(x, y, w, h, r), c)
		return
	}
	x0, y0 := math.Round(x), math.Round(y)
	x1, y1 := math.Round(x+w), math.Round(y+h)
	w, h = x1-x0, y1-y0
	ri := math.Floor(min(r, w/2, h/2))
	if ri < 2 {
		vector.DrawFilledRect(dst, float32(x0), float32(y0), float32(w), float32(h), c, false)
		return
	}
	vector.DrawFilledRect(dst, float32(x0+ri), float32(y0), float32(w-2*ri), float32(h), c, false)
	vector.DrawFilledRect(dst, float32(x0), float32(y0+ri), float32(ri), float32(h-2*ri), c, false)
	vector.DrawFilledRect(dst, float32(x1-ri), float32(y0+ri), float32(ri), float32(h-2*ri), c, false)
	d := p.disk(int(ri))
	n := int(ri)
	for _, q := range []struct {
		sx, sy int
		dx, dy float64
	}{{0, 0, x0, y0}, {n, 0, x1 - ri, y0}, {0, n, x0, y1 - ri}, {n, n, x1 - ri, y1 - ri}} {
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(q.dx, q.dy)
		op.ColorScale.ScaleWithColor(c)
		dst.DrawImage(d.SubImage(image.Rect(q.sx, q.sy, q.sx+n, q.sy+n)).(*ebiten.Image), op)
	}
}

// disk returns a white anti-aliased disk of radius r, drawn once.
func (p *painter) disk(r int) *ebiten.Image {
	if d, ok := p.disks[r]; ok {
		return d
	}
	d := ebiten.NewImage(2*r, 2*r)
	vector.DrawFilledCircle(d, float32(r), float32(r), float32(r), color.White, true)
	p.disks[r] = d
	return d
}

// strokeRoundRect draws a rounded border of the given width around a
// rounded rectangle filled with fill.
func (p *painter) strokeRoundRect(dst *ebiten.Image, x, y, w, h, r, width float64, c, fill color.RGBA) {
	p.roundRect(dst, x, y, w, h, r, c)
	p.roundRect(dst, x+width, y+width, w-2*width, h-2*width, max(0, r-width), fill)
}

func (p *painter) fill(dst *ebiten.Image, path *vector.Path, c color.RGBA) {
	p.vs, p.is = path.AppendVerticesAndIndicesForFilling(p.vs[:0], p.is[:0])
	p.paint(dst, c, ebiten.FillRuleNonZero)
}

func (p *painter) paint(dst *ebiten.Image, c color.RGBA, rule ebiten.FillRule) {
	r, g, b, a := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	for i := range p.vs {
		p.vs[i].SrcX, p.vs[i].SrcY = 1, 1
		p.vs[i].ColorR, p.vs[i].ColorG, p.vs[i].ColorB, p.vs[i].ColorA = r*a, g*a, b*a, a
	}
	op := &ebiten.DrawTrianglesOptions{AntiAlias: p.aa, FillRule: rule}
	dst.DrawTriangles(p.vs, p.is, p.white, op)
}

// qrCode draws a QR code of data with a quiet zone, cached by data.
func (p *painter) qrCode(dst *ebiten.Image, data string, r layout.Rect) {
	img, ok := p.qr[data]
	if !ok {
		q, err := qrcode.New(data, qrcode.Medium)
		if err != nil {
			return
		}
		q.DisableBorder = false
		img = ebiten.NewImageFromImage(q.Image(-4))
		p.qr[data] = img
	}
	b := img.Bounds()
	s := min(r.W, r.H) / float64(b.Dx())
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterNearest}
	op.GeoM.Scale(s, s)
	op.GeoM.Translate(r.X, r.Y)
	dst.DrawImage(img, op)
}

// spinner: twelve spokes, one bright, turning.
func (p *painter) spinner(dst *ebiten.Image, r layout.Rect, on, off color.RGBA, anim float64) {
	cx, cy := r.X+r.W/2, r.Y+r.H/2
	rad := min(r.W, r.H) / 2
	lead := int(anim*10) % 12
	for i := 0; i < 12; i++ {
		a := float64(i) * math.Pi / 6
		c := off
		if (lead-i+12)%12 < 3 {
			c = on
		}
		x0, y0 := cx+math.Cos(a)*rad*0.45, cy+math.Sin(a)*rad*0.45
		x1, y1 := cx+math.Cos(a)*rad*0.95, cy+math.Sin(a)*rad*0.95
		vector.StrokeLine(dst, float32(x0), float32(y0), float32(x1), float32(y1), float32(rad*0.14), c, p.aa)
	}
}

// cardAnim: the ID card sliding down onto the reader.
func (p *painter) cardAnim(dst *ebiten.Image, r layout.Rect, th *layout.Theme, anim float64) {
	ph := math.Mod(anim, 2) / 2 // 0..1
	if ph > 0.7 {
		ph = 0.7
	}
	rw := r.W * 0.9
	readerY := r.Y + r.H*0.72
	p.roundRect(dst, r.X+(r.W-rw)/2, readerY, rw, r.H*0.2, th.Radius, th.Header)
	cw, ch := r.W*0.5, r.W*0.5*0.63
	cy := r.Y + (readerY-r.Y-ch*0.5)*ph/0.7
	cx := r.X + (r.W-cw)/2
	p.strokeRoundRect(dst, cx, cy, cw, ch, ch*0.08, 4, th.Primary, th.Secondary)
	// photo and text lines on the card
	p.roundRect(dst, cx+cw*0.65, cy+ch*0.2, cw*0.25, ch*0.55, 6, th.Primary)
	for i := 0; i < 3; i++ {
		p.roundRect(dst, cx+cw*0.08, cy+ch*(0.25+0.2*float64(i)), cw*0.45, ch*0.08, 4, th.Muted)
	}
}

// icon draws a named icon, rendered anti-aliased once per name, size and
// colours and copied from the cache afterwards.
func (p *painter) icon(dst *ebiten.Image, name string, x, y, s float64, fg, bg color.RGBA) {
	n := int(math.Round(s))
	if n <= 0 {
		return
	}
	k := iconKey{name, n, fg, bg}
	img, ok := p.icons[k]
	if !ok {
		img = ebiten.NewImage(n, n)
		p.aa = true
		drawIcon(p, img, name, 0, 0, float64(n), fg, bg)
		p.aa = false
		p.icons[k] = img
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(x), math.Round(y))
	dst.DrawImage(img, op)
}
