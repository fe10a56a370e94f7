package printersim

import (
	"image"
	"image/color"
	"image/draw"
	"unicode/utf8"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// DefaultFont is the CJK font the simulated printer draws text with.
const DefaultFont = escpos.DefaultFont

const (
	cellW      = 12 // font A: 12×24 dots a half-width cell
	cellH      = 24
	lineGap    = 6 // default line spacing 30 dots
	marginRows = 16
	// maxPageRows bounds one page (4 m of paper): a hostile stream of
	// feeds without a cut overprints the end instead of eating memory.
	maxPageRows = 32768
)

// LoadFace loads the printer font (escpos.LoadFace).
func LoadFace(path string) (font.Face, bool) { return escpos.LoadFace(path) }

// Paper is the simulated print head and roll: it applies commands and
// draws what a printer would print. It is not safe for concurrent use.
type Paper struct {
	dots     int
	plainGBK bool
	face     font.Face
	glyphs   map[rune]*image.Alpha

	img *image.Gray
	y   int

	// print state
	align, wmul, hmul int
	bold, fs          bool
	line              []seg
	qrSize, qrEC      int
	qrData            []byte
	drawn             bool
}

type seg struct {
	b          []byte
	wmul, hmul int
	bold, gb   bool
}

// NewPaper returns a roll dots wide. plainGBK: the printer takes bytes
// from 0x80 up as GB18030 without FS &; otherwise only inside FS & … FS .
func NewPaper(dots int, plainGBK bool, face font.Face) *Paper {
	if dots <= 0 {
		dots = 384
	}
	if face == nil {
		face = basicfont.Face7x13
	}
	p := &Paper{dots: dots, plainGBK: plainGBK, face: face, glyphs: map[rune]*image.Alpha{}}
	p.reset()
	p.newPage()
	return p
}

func (p *Paper) reset() {
	p.align, p.wmul, p.hmul, p.bold, p.fs = 0, 1, 1, false, false
	p.qrSize, p.qrEC = 3, 0x30
}

func (p *Paper) newPage() {
	p.img = image.NewGray(image.Rect(0, 0, p.dots, 512))
	fillWhite(p.img.Pix)
	p.y = marginRows
	p.drawn = false
}

func fillWhite(b []byte) {
	for i := range b {
		b[i] = 0xff
	}
}

// ensure grows the page so rows up to y exist.
func (p *Paper) ensure(y int) {
	y = min(y, maxPageRows+marginRows+2)
	if y <= p.img.Rect.Dy() {
		return
	}
	h := p.img.Rect.Dy()
	for h < y {
		h *= 2
	}
	n := image.NewGray(image.Rect(0, 0, p.dots, h))
	copy(n.Pix, p.img.Pix)
	fillWhite(n.Pix[len(p.img.Pix):])
	p.img = n
}

// Apply applies one command. It returns the finished page when the command
// was a cut.
func (p *Paper) Apply(c Cmd) *image.Gray {
	defer func() { p.y = min(p.y, maxPageRows) }()
	switch c.Op {
	case OpText:
		p.text(c.Data)
	case OpLF:
		p.printLine()
	case OpInit:
		p.flushLine()
		p.reset()
	case OpFeed:
		p.flushLine()
		p.y += c.N * (cellH + lineGap)
	case OpFeedDots:
		p.flushLine()
		p.y += c.N
	case OpBold:
		p.bold = c.N&1 == 1
	case OpAlign:
		switch c.N {
		case 1, '1':
			p.align = 1
		case 2, '2':
			p.align = 2
		default:
			p.align = 0
		}
	case OpPrintMode:
		p.bold = c.N&0x08 != 0
		p.hmul, p.wmul = 1, 1
		if c.N&0x10 != 0 {
			p.hmul = 2
		}
		if c.N&0x20 != 0 {
			p.wmul = 2
		}
	case OpSize:
		p.wmul = (c.N>>4)&7 + 1
		p.hmul = c.N&7 + 1
	case OpFSOn:
		p.fs = true
	case OpFSOff:
		p.fs = false
	case OpQRSize:
		if c.N >= 1 && c.N <= 16 {
			p.qrSize = c.N
		}
	case OpQREC:
		if c.N >= 0x30 && c.N <= 0x33 {
			p.qrEC = c.N
		}
	case OpQRStore:
		p.qrData = append(p.qrData[:0], c.Data...)
	case OpQRPrint:
		p.printQR()
	case OpRaster:
		p.raster(c)
	case OpCut:
		p.flushLine()
		if c.Mode >= 0x41 {
			p.y += c.N
		}
		return p.cut()
	}
	return nil
}

// Cut finishes the page without a cut command (the roll torn off).
func (p *Paper) Cut() *image.Gray {
	p.flushLine()
	if !p.drawn {
		p.newPage()
		return nil
	}
	return p.cut()
}

func (p *Paper) cut() *image.Gray {
	h := min(p.y, maxPageRows) + marginRows
	p.ensure(h + 2)
	for x := 0; x < p.dots; x++ {
		if (x/8)%2 == 0 {
			p.img.Pix[(h)*p.img.Stride+x] = 0
			p.img.Pix[(h+1)*p.img.Stride+x] = 0
		}
	}
	out := p.img.SubImage(image.Rect(0, 0, p.dots, h+2)).(*image.Gray)
	p.newPage()
	return out
}

func (p *Paper) text(b []byte) {
	gb := p.fs || p.plainGBK
	if n := len(p.line); n > 0 {
		l := &p.line[n-1]
		if l.wmul == p.wmul && l.hmul == p.hmul && l.bold == p.bold && l.gb == gb {
			l.b = append(l.b, b...)
			return
		}
	}
	p.line = append(p.line, seg{b: append([]byte(nil), b...), wmul: p.wmul, hmul: p.hmul, bold: p.bold, gb: gb})
}

// printLine prints the pending line, or feeds one empty line.
func (p *Paper) printLine() {
	if len(p.line) == 0 {
		p.y += p.hmul*cellH + lineGap
		return
	}
	p.flushLine()
}

type glyphRun struct {
	r          rune
	cells      int
	wmul, hmul int
	bold       bool
}

func (p *Paper) flushLine() {
	if len(p.line) == 0 {
		return
	}
	var runs []glyphRun
	width, height := 0, 0
	for _, s := range p.line {
		for _, r := range decode(s.b, s.gb) {
			cells := 1
			if r >= 0x80 && s.gb {
				cells = 2
			}
			runs = append(runs, glyphRun{r: r, cells: cells, wmul: s.wmul, hmul: s.hmul, bold: s.bold})
			width += cells * cellW * s.wmul
			height = max(height, cellH*s.hmul)
		}
	}
	p.line = p.line[:0]
	x := 0
	switch p.align {
	case 1:
		x = max(0, (p.dots-width)/2)
	case 2:
		x = max(0, p.dots-width)
	}
	p.ensure(p.y + height + lineGap)
	for _, g := range runs {
		w := g.cells * cellW * g.wmul
		if x+w > p.dots { // a printer wraps what does not fit
			x = 0
			p.y += height + lineGap
			p.ensure(p.y + height + lineGap)
		}
		p.drawGlyph(g, x, p.y+height-cellH*g.hmul)
		x += w
	}
	p.y += height + lineGap
	p.drawn = true
}

// decode turns printed bytes into runes: GB18030 when the printer is in
// Chinese mode, else ASCII with anything above 0x7F shown as a code-page
// symbol (what a misconfigured printer prints).
func decode(b []byte, gb bool) []rune {
	if gb {
		s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err == nil {
			return []rune(string(s))
		}
	}
	out := make([]rune, 0, len(b))
	for _, c := range b {
		if c >= 0x80 {
			out = append(out, '▒')
			continue
		}
		out = append(out, rune(c))
	}
	return out
}

// glyph renders r once into a 24-dot-high mask of its natural width.
func (p *Paper) glyph(r rune) *image.Alpha {
	if g, ok := p.glyphs[r]; ok {
		return g
	}
	if r == '▒' {
		g := image.NewAlpha(image.Rect(0, 0, cellW, cellH))
		for y := 2; y < cellH-2; y++ {
			for x := 1; x < cellW-1; x++ {
				if (x+y)%2 == 0 {
					g.SetAlpha(x, y, color.Alpha{0xff})
				}
			}
		}
		p.glyphs[r] = g
		return g
	}
	adv, ok := p.face.GlyphAdvance(r)
	w := adv.Ceil()
	if !ok || w <= 0 {
		w = cellW
	}
	g := image.NewAlpha(image.Rect(0, 0, w+1, cellH))
	m := p.face.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	base := (cellH-(asc+desc))/2 + asc
	d := font.Drawer{Dst: g, Src: image.Opaque, Face: p.face, Dot: fixed.P(0, base)}
	if utf8.ValidRune(r) {
		d.DrawString(string(r))
	}
	p.glyphs[r] = g
	return g
}

// drawGlyph draws g's mask into its cell at (x, y), fitted to the cell
// width and scaled by the character size, thresholded to black dots.
func (p *Paper) drawGlyph(g glyphRun, x, y int) {
	mask := p.glyph(g.r)
	mw := mask.Rect.Dx()
	cw := g.cells * cellW
	// Fit: narrow the glyph when wider than its cell; centre it otherwise.
	srcW := max(mw, cw)
	off := (srcW - mw) / 2
	W, H := cw*g.wmul, cellH*g.hmul
	for dy := 0; dy < H; dy++ {
		sy := dy / g.hmul
		if y+dy >= p.img.Rect.Dy() {
			break
		}
		row := (y + dy) * p.img.Stride
		for dx := 0; dx < W; dx++ {
			sx := dx*srcW/W - off
			if sx < 0 || sx >= mw {
				continue
			}
			a := mask.Pix[sy*mask.Stride+sx]
			if a >= 0x70 {
				px := x + dx
				if px < p.dots {
					p.img.Pix[row+px] = 0
					if g.bold && px+1 < p.dots {
						p.img.Pix[row+px+1] = 0
					}
				}
			}
		}
	}
}

func (p *Paper) raster(c Cmd) {
	p.flushLine()
	if c.W == 0 || c.H == 0 {
		return
	}
	xm, ym := 1, 1
	if c.Mode&1 != 0 {
		xm = 2
	}
	if c.Mode&2 != 0 {
		ym = 2
	}
	w := c.W * 8 * xm
	x0 := p.alignX(w)
	p.ensure(p.y + c.H*ym)
	for row := 0; row < c.H; row++ {
		for xb := 0; xb < c.W; xb++ {
			v := c.Data[row*c.W+xb]
			if v == 0 {
				continue
			}
			for bit := 0; bit < 8; bit++ {
				if v&(0x80>>bit) == 0 {
					continue
				}
				for i := 0; i < xm; i++ {
					px := x0 + (xb*8+bit)*xm + i
					if px >= p.dots {
						continue
					}
					for j := 0; j < ym; j++ {
						if yy := p.y + row*ym + j; yy < p.img.Rect.Dy() {
							p.img.Pix[yy*p.img.Stride+px] = 0
						}
					}
				}
			}
		}
	}
	p.y += c.H * ym
	p.drawn = true
}

func (p *Paper) alignX(w int) int {
	switch p.align {
	case 1:
		return max(0, (p.dots-w)/2)
	case 2:
		return max(0, p.dots-w)
	}
	return 0
}

func (p *Paper) printQR() {
	p.flushLine()
	if len(p.qrData) == 0 {
		return
	}
	level := [...]qrcode.RecoveryLevel{qrcode.Low, qrcode.Medium, qrcode.High, qrcode.Highest}[p.qrEC-0x30]
	q, err := qrcode.New(string(p.qrData), level)
	if err != nil {
		return // a real printer prints nothing for data it cannot encode
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	s := p.qrSize
	n := len(bm) * s
	x0 := p.alignX(n)
	p.ensure(p.y + n + lineGap)
	for my, row := range bm {
		for mx, on := range row {
			if !on {
				continue
			}
			r := image.Rect(x0+mx*s, p.y+my*s, x0+(mx+1)*s, p.y+(my+1)*s).Intersect(p.img.Rect)
			draw.Draw(p.img, r, image.Black, image.Point{}, draw.Src)
		}
	}
	p.y += n
	p.drawn = true
}

// Render draws raw ESC/POS bytes on a roll dots wide and returns one image
// per cut. Status requests and unknown bytes are skipped; a trailing
// incomplete command is ignored.
func Render(raw []byte, dots int, plainGBK bool, face font.Face) []*image.Gray {
	p := NewPaper(dots, plainGBK, face)
	var pages []*image.Gray
	for len(raw) > 0 {
		c, n, err := Next(raw)
		if err != nil {
			break
		}
		raw = raw[n:]
		if pg := p.Apply(c); pg != nil {
			pages = append(pages, pg)
		}
	}
	return pages
}
