package escpos

import "golang.org/x/image/font"

// ChineseMode says how a printer expects Chinese text.
type ChineseMode uint8

const (
	// FSAmpersand wraps double-byte text in FS & … FS . (1C 26 … 1C 2E);
	// between them the bytes are GB18030. Most printers sold with a
	// Western default code page need it.
	FSAmpersand ChineseMode = iota
	// PlainGBK sends GB18030 bytes as they are, for printers whose default
	// character set is already Chinese.
	PlainGBK
)

func (m ChineseMode) String() string {
	if m == PlainGBK {
		return "plain-gbk"
	}
	return "fs-ampersand"
}

// Profile describes one printer model.
type Profile struct {
	Name string
	// Dots is the printable width in dots: 384 for 58 mm paper; 576 (or
	// 512, 640) for 80 mm paper.
	Dots        int
	ChineseMode ChineseMode
	// NativeQR says the printer has the GS ( k QR commands; otherwise QR
	// codes are drawn and sent as raster images.
	NativeQR bool
	// CutFeedLines is how many lines to feed before cutting so the last
	// line clears the cutter (0 means 4).
	CutFeedLines int
	// BandRows is the height of one raster band (0 means 24).
	BandRows int
	// Face draws the characters the printer's font lacks (outside GBK),
	// whose lines go as raster; nil prints □ for them (LoadFace).
	Face font.Face
}

// Profiles of the printers the county's halls use.
var (
	Profile58 = Profile{Name: "58mm", Dots: 384, ChineseMode: FSAmpersand, NativeQR: true, CutFeedLines: 4}
	Profile80 = Profile{Name: "80mm", Dots: 576, ChineseMode: FSAmpersand, NativeQR: true, CutFeedLines: 4}
)

// Font A is 12×24 dots: a Latin character is 12 dots (one column), a
// Chinese character 24 dots (two columns).
const cellDots = 12

// Columns returns how many one-column characters fit on a line at size 1.
func (p Profile) Columns() int {
	d := p.dots()
	return d / cellDots
}

func (p Profile) dots() int {
	if p.Dots <= 0 {
		return 384
	}
	return p.Dots
}

func (p Profile) cutFeed() int {
	if p.CutFeedLines <= 0 {
		return 4
	}
	return min(p.CutFeedLines, 255)
}

func (p Profile) bandRows() int {
	if p.BandRows <= 0 {
		return 24
	}
	return min(p.BandRows, 255)
}
