package cups

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// TestPage is the technicians' A4 test page: a one-page PDF naming the
// queue and the time, with a frame drawn 10 mm inside the page edge so a
// technician can see the printer's margins and scaling. It uses only the
// PDF's standard Helvetica (Latin text), so it needs no font file and
// prints on any printer that takes PDF.
func TestPage(queue string, now time.Time) []byte {
	lines := []string{
		"Kiosk A4 printer test page",
		"Queue: " + queue,
		"Printed: " + now.Format("2006-01-02 15:04:05 MST"),
		"The frame is 10 mm inside the edge of an A4 sheet.",
		"0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
	}
	var c strings.Builder
	// 10 mm = 28.35 pt; A4 is 595 x 842 pt.
	c.WriteString("1 w 28.35 28.35 538.3 785.3 re S\n")
	c.WriteString("BT /F1 22 Tf 72 760 Td 28 TL\n")
	for i, l := range lines {
		if i == 1 {
			c.WriteString("/F1 14 Tf 20 TL\n")
		}
		fmt.Fprintf(&c, "(%s) Tj T*\n", pdfEscape(l))
	}
	c.WriteString("ET\n")
	return onePage(c.String())
}

func pdfEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	var b strings.Builder
	for _, ch := range r.Replace(s) {
		if ch < 0x20 || ch > 0x7e {
			ch = '?'
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// onePage wraps a content stream into a one-page A4 PDF with a correct
// cross-reference table.
func onePage(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
