// Package receipt describes a printed receipt as a device-independent
// document: lines of text with size, weight and alignment, QR codes, rules,
// feeds and a cut. The printer driver encodes a Doc into its own command
// language; the catalog's receipt templates and the kiosk compose Docs.
package receipt

import "image"

// Align is a line's horizontal alignment.
type Align uint8

const (
	Left Align = iota
	Center
	Right
)

// ElemKind is the kind of one element of a document.
type ElemKind uint8

const (
	Text  ElemKind = iota // one logical line, wrapped by the printer driver to the paper width
	QR                    // a QR code of Data
	Rule                  // a horizontal rule across the paper
	Feed                  // N blank lines
	Cut                   // feed to the cutter and cut
	Image                 // a picture printed as a raster image (logos, rulers, signatures)
)

// Elem is one element of a document.
type Elem struct {
	Kind  ElemKind
	Text  string // Text
	Size  int    // Text: 1 normal, 2 double width and height (0 means 1)
	Bold  bool
	Align Align
	Data  string // QR: the payload
	Lines int    // Feed: number of lines
	// Image: the picture, printed in black where it is darker than mid-grey;
	// wider pictures are scaled down to the paper width.
	Image image.Image
}

// Doc is a whole receipt.
type Doc struct {
	Elems []Elem
}

// Add appends elements and returns d for chaining.
func (d *Doc) Add(e ...Elem) *Doc {
	d.Elems = append(d.Elems, e...)
	return d
}

// Line appends a text line.
func (d *Doc) Line(text string, size int, bold bool, align Align) *Doc {
	return d.Add(Elem{Kind: Text, Text: text, Size: size, Bold: bold, Align: align})
}
