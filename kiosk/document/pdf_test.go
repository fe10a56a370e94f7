package document

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// buildPDF writes a minimal well-formed PDF by hand: a catalog, a page
// tree and one A4 page per content stream, with a correct xref table.
// Each page's content is PDF drawing operators, e.g. a filled rectangle.
func buildPDF(contents ...string) []byte {
	streams := make([][]byte, len(contents))
	for i, c := range contents {
		streams[i] = []byte(c)
	}
	return buildPDFStreams(streams, "")
}

// buildPDFStreams is buildPDF with raw stream bodies and an optional
// /Filter for them.
func buildPDFStreams(streams [][]byte, filter string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string, stream []byte) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s", len(offs), body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	n := len(streams)
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 3+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n), nil)
	for i, s := range streams {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << >> >>", 4+2*i), nil)
		f := ""
		if filter != "" {
			f = " /Filter " + filter
		}
		obj(fmt.Sprintf("<< /Length %d%s >>", len(s), f), s)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, x)
	return b.Bytes()
}

// rect is a page's content: a black filled rectangle in the top left
// quarter of an A4 page (x 100..300, y 600..750 in points from the
// bottom left).
const rect = "0 0 0 rg 100 600 200 150 re f\n"

func onePage() []byte { return buildPDF(rect) }

func pagesPDF(n int) []byte {
	c := make([]string, n)
	for i := range c {
		c[i] = fmt.Sprintf("0 0 0 rg %d 600 200 150 re f\n", 50+10*i)
	}
	return buildPDF(c...)
}

// heavyPDF is one page whose Flate-compressed content (a few hundred KB)
// draws millions of small rectangles: slow to render, cheap to send.
func heavyPDF(rects int) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	op := []byte("0 0 0 rg 1 1 2 2 re f 1 1 1 rg 3 3 2 2 re f\n")
	for range rects / 2 {
		w.Write(op)
	}
	w.Close()
	return buildPDFStreams([][]byte{z.Bytes()}, "/FlateDecode")
}

func metaOf(pdf []byte, pages int) Meta {
	h := sha256.Sum256(pdf)
	return Meta{SHA256: hex.EncodeToString(h[:]), Pages: pages, Size: int64(len(pdf)), Title: "户籍证明", Department: "县公安局"}
}
