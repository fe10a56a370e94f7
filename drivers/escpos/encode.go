package escpos

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/skip2/go-qrcode"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/henan-county/kiosk/kiosk/receipt"
)

// ErrQRTooLong means a QR payload does not fit the largest QR code.
var ErrQRTooLong = errors.New("escpos: QR data too long")

// maxQRBytes is the byte-mode capacity of a version 40 QR code at error
// correction level M.
const maxQRBytes = 2331

// qrCapM is the byte-mode capacity of QR versions 1..40 at level M.
var qrCapM = [...]int{14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560,
	624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911,
	1989, 2099, 2213, 2331}

// Command bytes.
var (
	cmdInit       = []byte{0x1b, 0x40}
	cmdFSOn       = []byte{0x1c, 0x26}
	cmdFSOff      = []byte{0x1c, 0x2e}
	cmdQRModel2   = []byte{0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00}
	cmdQRECM      = []byte{0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31}
	cmdQRPrint    = []byte{0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30}
	cmdCutFull    = []byte{0x1d, 0x56, 0x00}
	cmdStatusBase = []byte{0x10, 0x04}
)

// Encoded is a document as ESC/POS bytes with the offsets at which one
// command ends and the next begins (after each text line, raster band, QR
// code, feed and cut). Only at those offsets may a real-time status request
// be slipped in without being taken as part of a command's data.
type Encoded struct {
	Bytes      []byte
	Boundaries []int // increasing offsets into Bytes; the last is len(Bytes)
}

// Encode turns doc into ESC/POS bytes for printer profile p. A document
// that does not end with a cut gets one, so a receipt is never left on the
// roll.
func Encode(doc receipt.Doc, p Profile) ([]byte, error) {
	e, err := EncodeBands(doc, p)
	if err != nil {
		return nil, err
	}
	return e.Bytes, nil
}

// EncodeBands is Encode keeping the command boundaries.
func EncodeBands(doc receipt.Doc, p Profile) (Encoded, error) {
	en := encoder{p: p, gb: simplifiedchinese.GB18030.NewEncoder(), align: -1, size: -1, bold: -1}
	en.b = make([]byte, 0, 64+len(doc.Elems)*48)
	en.b = append(en.b, cmdInit...)
	en.mark()
	cut := false
	for i, el := range doc.Elems {
		cut = false
		var err error
		switch el.Kind {
		case receipt.Text:
			err = en.text(el)
		case receipt.QR:
			err = en.qr(el)
		case receipt.Rule:
			en.rule()
		case receipt.Feed:
			en.feed(el.Lines)
		case receipt.Cut:
			en.cut()
			cut = true
		case receipt.Image:
			err = en.image(el.Image, el.Align)
		default:
			err = fmt.Errorf("unknown element kind %d", el.Kind)
		}
		if err != nil {
			return Encoded{}, fmt.Errorf("escpos: encode element %d: %w", i, err)
		}
	}
	if !cut {
		en.cut()
	}
	return Encoded{Bytes: en.b, Boundaries: en.marks}, nil
}

type encoder struct {
	p                 Profile
	gb                *encoding.Encoder
	b                 []byte
	marks             []int
	align, size, bold int // -1: unknown, send before use
}

func (e *encoder) mark() { e.marks = append(e.marks, len(e.b)) }

func (e *encoder) setAlign(a receipt.Align) {
	n := int(a)
	if n > 2 {
		n = 0
	}
	if e.align != n {
		e.b = append(e.b, 0x1b, 0x61, byte(n))
		e.align = n
	}
}

func (e *encoder) setBold(on bool) {
	n := 0
	if on {
		n = 1
	}
	if e.bold != n {
		e.b = append(e.b, 0x1b, 0x45, byte(n))
		e.bold = n
	}
}

// setSize selects character size s (1..8 times, width and height alike).
func (e *encoder) setSize(s int) { e.setSizeWH(s, s) }

// setSizeWH selects width and height magnification apart (GS ! n: width
// in the high nibble, height in the low).
func (e *encoder) setSizeWH(w, h int) {
	v := byte(w-1)<<4 | byte(h-1)
	if e.size != int(v)+1 {
		e.b = append(e.b, 0x1d, 0x21, v)
		e.size = int(v) + 1
	}
}

// tall reports whether text in large print (size > 1) would be broken in
// the middle of a number, a code or a date (410122********00 | 24,
// 11月 | 26日) but fits one line at normal width. Words wrap well; numbers
// read wrong when broken.
func tall(text string, size, cols int) bool {
	if size < 2 || strings.ContainsRune(text, '\n') || TextColumns(text) > cols {
		return false
	}
	lines := Wrap(text, cols/size)
	for i := 1; i < len(lines); i++ {
		a, b := []rune(lines[i-1]), []rune(lines[i])
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		// Broken where the text has no space: inside one number or code.
		x, y := a[len(a)-1], b[0]
		if codeRune(x) && codeRune(y) && strings.Contains(text, string([]rune{x, y})) {
			return true
		}
	}
	return false
}

// codeRune: a character of a number, a code or a date.
func codeRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("*:-.", r)) ||
		strings.ContainsRune("年月日", r)
}

func clampSize(s int) int {
	if s < 1 {
		return 1
	}
	return min(s, 8)
}

func (e *encoder) text(el receipt.Elem) error {
	size := clampSize(el.Size)
	e.setAlign(el.Align)
	e.setBold(el.Bold)
	cols := e.p.Columns() / size
	if tall(el.Text, size, e.p.Columns()) {
		// A number, a code or a date that large print would break over
		// lines (an ID number, a phone number, a time) is printed as tall
		// as large print but at normal width, on one line, whole.
		e.setSizeWH(1, size)
		cols = e.p.Columns()
	} else {
		e.setSize(size)
	}
	for _, line := range Wrap(el.Text, cols) {
		if err := e.line(line); err != nil {
			return err
		}
	}
	return nil
}

// line appends one laid-out line and a line feed.
func (e *encoder) line(s string) error {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii && e.outsideGBK(s) {
		if e.p.Face != nil {
			e.rasterLine(s)
			return nil
		}
		s = e.replaceOutsideGBK(s)
	}
	if ascii {
		e.b = append(e.b, s...)
	} else {
		if e.p.ChineseMode == FSAmpersand {
			e.b = append(e.b, cmdFSOn...)
		}
		if err := e.appendGB(s); err != nil {
			return err
		}
		if e.p.ChineseMode == FSAmpersand {
			e.b = append(e.b, cmdFSOff...)
		}
	}
	e.b = append(e.b, '\n')
	e.mark()
	return nil
}

// appendGB appends s in GB18030 without intermediate allocations.
func (e *encoder) appendGB(s string) error {
	e.gb.Reset()
	src := []byte(s)
	for {
		if cap(e.b)-len(e.b) < 4*len(src)+8 {
			nb := make([]byte, len(e.b), 2*cap(e.b)+4*len(src)+8)
			copy(nb, e.b)
			e.b = nb
		}
		dst := e.b[len(e.b):cap(e.b)]
		nDst, nSrc, err := e.gb.Transform(dst, src, true)
		e.b = e.b[:len(e.b)+nDst]
		src = src[nSrc:]
		if err == nil {
			return nil
		}
		if err != transform.ErrShortDst {
			return fmt.Errorf("GB18030: %w", err)
		}
	}
}

func (e *encoder) rule() {
	e.setSize(1)
	e.setBold(false)
	e.setAlign(receipt.Left)
	for range e.p.Columns() {
		e.b = append(e.b, '-')
	}
	e.b = append(e.b, '\n')
	e.mark()
}

func (e *encoder) feed(n int) {
	if n <= 0 {
		return
	}
	for n > 0 {
		k := min(n, 255)
		e.b = append(e.b, 0x1b, 0x64, byte(k))
		n -= k
	}
	e.mark()
}

func (e *encoder) cut() {
	e.b = append(e.b, 0x1b, 0x64, byte(e.p.cutFeed()))
	e.b = append(e.b, cmdCutFull...)
	e.mark()
	// Whatever follows a cut sets its own style again.
	e.align, e.size, e.bold = -1, -1, -1
}

// qrModules returns the module count of the smallest QR version (level M)
// that holds n bytes.
func qrModules(n int) (int, error) {
	for v, c := range qrCapM {
		if n <= c {
			return 17 + 4*(v+1), nil
		}
	}
	return 0, fmt.Errorf("%w: %d bytes (at most %d)", ErrQRTooLong, n, maxQRBytes)
}

// qrModuleDots picks the module size: as large as 6 dots (0.75 mm, easy to
// scan for an old phone camera) while the code stays within 60 % of the
// paper width.
func (e *encoder) qrModuleDots(modules int) int {
	return max(1, min(6, e.p.dots()*6/10/modules))
}

func (e *encoder) qr(el receipt.Elem) error {
	data := el.Data
	if data == "" {
		return fmt.Errorf("QR with no data")
	}
	modules, err := qrModules(len(data))
	if err != nil {
		return err
	}
	size := e.qrModuleDots(modules)
	// A phone's camera finds a code by its quiet zone, four blank modules
	// all round (ISO/IEC 18004). Above and below, the paper is fed that
	// far; beside it, the code is centred, at most 60 % of the width, so at
	// least 20 % of the paper is blank on either side.
	e.setAlign(receipt.Center)
	if !e.p.NativeQR {
		q, err := qrcode.New(data, qrcode.Medium)
		if err != nil {
			return fmt.Errorf("QR: %w", err)
		}
		q.DisableBorder = true
		bm := q.Bitmap()
		size = max(1, min(6, e.p.dots()*6/10/max(1, len(bm))))
		e.feedDots(qrQuiet * size)
		e.raster(bitmapImage{bm: bm, scale: size})
		e.feedDots(qrQuiet * size)
		e.mark()
		return nil
	}
	e.feedDots(qrQuiet * size)
	e.b = append(e.b, cmdQRModel2...)
	e.b = append(e.b, 0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, byte(size))
	e.b = append(e.b, cmdQRECM...)
	n := len(data) + 3
	e.b = append(e.b, 0x1d, 0x28, 0x6b, byte(n), byte(n>>8), 0x31, 0x50, 0x30)
	e.b = append(e.b, data...)
	e.b = append(e.b, cmdQRPrint...)
	e.feedDots(qrQuiet * size)
	e.mark()
	return nil
}

// qrQuiet is the quiet zone round a QR code, in modules.
const qrQuiet = 4

// feedDots prints what is buffered and feeds n dots (ESC J).
func (e *encoder) feedDots(n int) {
	for n > 0 {
		k := min(n, 255)
		e.b = append(e.b, 0x1b, 0x4a, byte(k))
		n -= k
	}
}

// bitmapImage is a QR bitmap scaled up, as an image.
type bitmapImage struct {
	bm    [][]bool
	scale int
}

func (b bitmapImage) ColorModel() color.Model { return color.GrayModel }
func (b bitmapImage) Bounds() image.Rectangle {
	n := len(b.bm) * b.scale
	return image.Rect(0, 0, n, n)
}
func (b bitmapImage) At(x, y int) color.Color {
	if b.bm[y/b.scale][x/b.scale] {
		return color.Gray{0}
	}
	return color.Gray{0xff}
}

func (e *encoder) image(img image.Image, a receipt.Align) error {
	if img == nil {
		return fmt.Errorf("image element with no image")
	}
	r := img.Bounds()
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return fmt.Errorf("empty image")
	}
	e.setAlign(a)
	e.raster(img)
	return nil
}

// raster sends img as GS v 0 raster bands of BandRows dots, scaled down to
// the paper width when wider. Dark pixels (luminance below half) print.
func (e *encoder) raster(img image.Image) {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	dw, dh := w, h
	if w > e.p.dots() {
		dw = e.p.dots()
		dh = max(1, h*dw/w)
	}
	rowBytes := (dw + 7) / 8
	band := e.p.bandRows()
	gray, isGray := img.(*image.Gray)
	bits, isBits := img.(bitmapImage)
	for y0 := 0; y0 < dh; y0 += band {
		rows := min(band, dh-y0)
		e.b = append(e.b, 0x1d, 0x76, 0x30, 0x00, byte(rowBytes), byte(rowBytes>>8), byte(rows), byte(rows>>8))
		for y := y0; y < y0+rows; y++ {
			sy := r.Min.Y + y*h/dh
			for xb := 0; xb < rowBytes; xb++ {
				var v byte
				for bit := 0; bit < 8; bit++ {
					x := xb*8 + bit
					if x >= dw {
						break
					}
					sx := r.Min.X + x*w/dw
					var lum uint8
					if isBits {
						if bits.bm[sy/bits.scale][sx/bits.scale] {
							v |= 0x80 >> bit
						}
						continue
					}
					if isGray {
						lum = gray.GrayAt(sx, sy).Y
					} else {
						lum = color.GrayModel.Convert(img.At(sx, sy)).(color.Gray).Y
					}
					if lum < 0x80 {
						v |= 0x80 >> bit
					}
				}
				e.b = append(e.b, v)
			}
		}
		e.mark()
	}
}

// StatusRequest returns the DLE EOT n real-time status request (n 1..4).
func StatusRequest(n int) []byte {
	return append(append([]byte(nil), cmdStatusBase...), byte(n))
}

// Characters outside GBK (four bytes in GB18030: rare characters in
// names, such as 𠮷) are not in a receipt printer's font: sent as text
// they print as garbage. A line that holds one is drawn with the
// profile's Face and sent as raster; without a Face each such character
// prints as □.

// fourByte reports whether r takes four bytes in GB18030.
func (e *encoder) fourByte(r rune) bool {
	if r < 0x80 {
		return false
	}
	var dst [8]byte
	var src [utf8.UTFMax]byte
	n := utf8.EncodeRune(src[:], r)
	e.gb.Reset()
	nDst, _, err := e.gb.Transform(dst[:], src[:n], true)
	return err != nil || nDst == 4
}

func (e *encoder) outsideGBK(s string) bool {
	for _, r := range s {
		if e.fourByte(r) {
			return true
		}
	}
	return false
}

func (e *encoder) replaceOutsideGBK(s string) string {
	return strings.Map(func(r rune) rune {
		if e.fourByte(r) {
			return '□'
		}
		return r
	}, s)
}

// rasterLine draws s as the printer lays text out, in cells of 24 dots
// (a Chinese character) or 12 (a Latin one), times the line's width and
// height magnification, and sends it as raster.
func (e *encoder) rasterLine(s string) {
	wm, hm := 1, 1
	if e.size > 0 {
		v := e.size - 1
		wm, hm = v>>4+1, v&0xf+1
	}
	face := e.p.Face
	base := 0
	for _, r := range s {
		base += cellDots * RuneColumns(r)
	}
	line := image.NewGray(image.Rect(0, 0, max(1, base), 2*cellDots))
	xdraw.Draw(line, line.Bounds(), image.White, image.Point{}, xdraw.Src)
	// The baseline where a 24-dot cell puts it: a descent's room below.
	baseline := 2*cellDots - (face.Metrics().Descent.Ceil()+1)/2 - 2
	x := 0
	for _, r := range s {
		cw := cellDots * RuneColumns(r)
		adv, ok := face.GlyphAdvance(r)
		off := 0
		if ok {
			off = max(0, (cw-adv.Ceil())/2)
		}
		d := font.Drawer{Dst: line, Src: image.Black, Face: face, Dot: fixed.P(x+off, baseline)}
		d.DrawString(string(r))
		x += cw
	}
	out := line
	if wm > 1 || hm > 1 {
		out = image.NewGray(image.Rect(0, 0, base*wm, 2*cellDots*hm))
		xdraw.NearestNeighbor.Scale(out, out.Bounds(), line, line.Bounds(), xdraw.Src, nil)
	}
	e.raster(out)
	// The text lines keep 6 dots between them (30-dot lines).
	e.feedDots(6)
	e.mark()
}
