package document

import (
	"bytes"
	"fmt"
)

// tailLen is how near the end %%EOF and startxref must be (the PDF
// specification's own advice to readers is the last 1024 bytes).
const tailLen = 1024

// Structure checks, without parsing the PDF, that pdf has the shape of a
// well-formed one:
//
//   - it starts with the header %PDF-1.x (or %PDF-2.0);
//   - %%EOF is in its last 1024 bytes, with startxref and a decimal
//     offset before it and only white space between;
//   - the offset lies inside the file, after the header, and points at
//     either a cross-reference table ("xref"), or an indirect object
//     ("N G obj") whose dictionary is /Type /XRef (a cross-reference
//     stream, PDF 1.5 and later);
//   - a table's subsections are well formed ("first count" then count
//     20-byte entries), every in-use entry's offset lies inside the file
//     and points at that object's "N G obj", and a trailer with /Root
//     follows; a stream's dictionary names /Root.
//
// Only the last cross-reference section is checked (an incremental
// update's /Prev chain is left to pdfinfo). Errors wrap ErrNotPDF.
func Structure(pdf []byte) error {
	if !header(pdf) {
		return notPDF("no %%PDF-1.x header")
	}
	tail := len(pdf) - tailLen
	if tail < 0 {
		tail = 0
	}
	eof := bytes.LastIndex(pdf[tail:], []byte("%%EOF"))
	if eof < 0 {
		return notPDF("no %%%%EOF in the last %d bytes", tailLen)
	}
	eof += tail
	sx := bytes.LastIndex(pdf[tail:eof], []byte("startxref"))
	if sx < 0 {
		return notPDF("no startxref before %%%%EOF")
	}
	p := tail + sx + len("startxref")
	p = skipSpace(pdf, p, eof)
	off, q, ok := number(pdf, p, eof)
	if !ok || q == p {
		return notPDF("startxref has no offset")
	}
	if skipSpace(pdf, q, eof) != eof {
		return notPDF("junk between the startxref offset and %%%%EOF")
	}
	if off < 8 || off >= int64(tail+sx) {
		return notPDF("startxref offset %d outside the document (%d bytes)", off, len(pdf))
	}
	at := int(off)
	if bytes.HasPrefix(pdf[at:], []byte("xref")) {
		return table(pdf, at+len("xref"))
	}
	if _, r, ok := objHeader(pdf, at); ok {
		return xrefStream(pdf, r)
	}
	return notPDF("startxref offset %d points at neither an xref table nor an object", off)
}

func notPDF(format string, a ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, a...), ErrNotPDF)
}

func header(pdf []byte) bool {
	if len(pdf) < 8 {
		return false
	}
	h := pdf[:8]
	return bytes.HasPrefix(h, []byte("%PDF-1.")) && h[7] >= '0' && h[7] <= '9' ||
		bytes.Equal(h, []byte("%PDF-2.0"))
}

func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0:
		return true
	}
	return false
}

func skipSpace(b []byte, p, end int) int {
	for p < end && isSpace(b[p]) {
		p++
	}
	return p
}

// number reads a non-negative decimal of at most 10 digits at b[p:end].
func number(b []byte, p, end int) (int64, int, bool) {
	var n int64
	q := p
	for q < end && b[q] >= '0' && b[q] <= '9' {
		if q-p == 10 {
			return 0, q, false
		}
		n = n*10 + int64(b[q]-'0')
		q++
	}
	return n, q, q > p
}

// objHeader reads "N G obj" at b[p:] and returns N and where the object's
// body starts.
func objHeader(b []byte, p int) (int64, int, bool) {
	end := len(b)
	num, q, ok := number(b, p, end)
	if !ok || q >= end || !isSpace(b[q]) {
		return 0, 0, false
	}
	q = skipSpace(b, q, end)
	_, r, ok := number(b, q, end)
	if !ok || r >= end || !isSpace(b[r]) {
		return 0, 0, false
	}
	r = skipSpace(b, r, end)
	if !bytes.HasPrefix(b[r:], []byte("obj")) {
		return 0, 0, false
	}
	return num, r + len("obj"), true
}

// table checks a cross-reference table whose subsections start at p.
func table(pdf []byte, p int) error {
	end := len(pdf)
	entries := 0
	for {
		p = skipSpace(pdf, p, end)
		if bytes.HasPrefix(pdf[p:], []byte("trailer")) {
			break
		}
		first, q, ok := number(pdf, p, end)
		if !ok || q >= end || pdf[q] != ' ' {
			return notPDF("xref: bad subsection header at %d", p)
		}
		count, r, ok := number(pdf, q+1, end)
		if !ok {
			return notPDF("xref: bad subsection header at %d", p)
		}
		r = skipSpace(pdf, r, end)
		if count > int64(end-r)/20 {
			return notPDF("xref: subsection of %d entries does not fit in the document", count)
		}
		for i := int64(0); i < count; i++ {
			e := pdf[r : r+20]
			off, a, ok1 := number(e, 0, 10)
			_, c, ok2 := number(e, 11, 16)
			if !ok1 || a != 10 || e[10] != ' ' || !ok2 || c != 16 || e[16] != ' ' ||
				(e[17] != 'n' && e[17] != 'f') || !isSpace(e[18]) || !isSpace(e[19]) {
				return notPDF("xref: bad entry for object %d at %d", first+i, r)
			}
			if e[17] == 'n' {
				if off < 8 || off >= int64(end) {
					return notPDF("xref: object %d at %d, outside the document", first+i, off)
				}
				if n, _, ok := objHeader(pdf, int(off)); !ok || n != first+i {
					return notPDF("xref: object %d at %d is not there", first+i, off)
				}
			}
			r += 20
			entries++
		}
		p = r
	}
	if entries == 0 {
		return notPDF("xref: no entries")
	}
	rest := pdf[p:]
	if i := bytes.Index(rest, []byte("startxref")); i >= 0 {
		rest = rest[:i]
	}
	if !bytes.Contains(rest, []byte("<<")) || !bytes.Contains(rest, []byte("/Root")) {
		return notPDF("trailer has no /Root")
	}
	return nil
}

// xrefStream checks that the object whose body starts at p is a
// cross-reference stream: its dictionary (before "stream") has /Type
// /XRef and /Root.
func xrefStream(pdf []byte, p int) error {
	d := pdf[p:]
	i := bytes.Index(d, []byte("stream"))
	if i < 0 {
		return notPDF("startxref points at an object that is not a cross-reference stream")
	}
	d = d[:i]
	t := bytes.Index(d, []byte("/Type"))
	if t < 0 || !bytes.HasPrefix(bytes.TrimLeft(d[t+len("/Type"):], " \t\r\n\f\x00"), []byte("/XRef")) {
		return notPDF("startxref points at an object that is not a cross-reference stream")
	}
	if !bytes.Contains(d, []byte("/Root")) {
		return notPDF("cross-reference stream has no /Root")
	}
	return nil
}
