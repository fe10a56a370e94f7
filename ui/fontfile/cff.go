package fontfile

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrNoCFF is returned by Thin for a font whose outlines are not in a CFF
// table (TrueType glyf fonts such as WenQuanYi): callers keep the font whole.
var ErrNoCFF = errors.New("fontfile: no CFF outlines")

// Thin returns a copy of the OpenType font data in which the outline of
// every glyph that keep rejects is replaced by an empty one. Glyph ids,
// metrics, cmap and layout tables stay as they are, so the thinned font
// shapes and measures exactly like the original and draws the kept glyphs
// identically; only its memory shrinks (Noto Sans CJK SC: 15 MB of
// outlines for 65,535 glyphs, of which a kiosk draws a few thousand).
// Glyph 0 (.notdef) is always kept.
func Thin(data []byte, keep func(gid int) bool) ([]byte, error) {
	if IsCollection(data) {
		return nil, fmt.Errorf("fontfile: thin: a collection, extract one font first: %w", ErrFormat)
	}
	tables, err := tableDirList(data)
	if err != nil {
		return nil, fmt.Errorf("fontfile: thin: %w", err)
	}
	ci := -1
	for i, t := range tables {
		if t.tag == "CFF " {
			ci = i
		}
	}
	if ci < 0 {
		return nil, ErrNoCFF
	}
	cff, err := thinCFF(data[tables[ci].off:tables[ci].off+tables[ci].len], keep)
	if err != nil {
		return nil, fmt.Errorf("fontfile: thin: %w", err)
	}
	n := len(tables)
	size := 12 + 16*n
	for i, t := range tables {
		l := t.len
		if i == ci {
			l = len(cff)
		}
		size += (l + 3) &^ 3
	}
	out := make([]byte, size)
	copy(out, data[:12+16*n])
	pos := 12 + 16*n
	for i, t := range tables {
		body := data[t.off : t.off+t.len]
		if i == ci {
			body = cff
		}
		copy(out[pos:], body)
		r := 12 + 16*i
		binary.BigEndian.PutUint32(out[r+4:], checksum(out[pos:pos+((len(body)+3)&^3)]))
		binary.BigEndian.PutUint32(out[r+8:], uint32(pos))
		binary.BigEndian.PutUint32(out[r+12:], uint32(len(body)))
		pos += (len(body) + 3) &^ 3
	}
	return out, nil
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i+4 <= len(b); i += 4 {
		s += binary.BigEndian.Uint32(b[i:])
	}
	return s
}

// tableDirList reads the table directory of a standalone font, in order.
func tableDirList(data []byte) ([]table, error) {
	if len(data) < 12 {
		return nil, ErrFormat
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if 12+16*n > len(data) {
		return nil, fmt.Errorf("table directory: %w", ErrFormat)
	}
	out := make([]table, n)
	for k := range out {
		r := 12 + 16*k
		t := table{tag: string(data[r : r+4]), off: int(binary.BigEndian.Uint32(data[r+8:])), len: int(binary.BigEndian.Uint32(data[r+12:]))}
		if t.off < 0 || t.len < 0 || t.off+t.len > len(data) || t.off+t.len < t.off {
			return nil, fmt.Errorf("table %q out of range: %w", t.tag, ErrFormat)
		}
		out[k] = t
	}
	return out, nil
}

// errCFF wraps every malformation found in a CFF table.
func errCFF(what string) error { return fmt.Errorf("CFF %s: %w", what, ErrFormat) }

// index reads a CFF INDEX at off: its items and the offset just after it.
func index(b []byte, off int) (items [][]byte, end int, err error) {
	if off < 0 || off+2 > len(b) {
		return nil, 0, errCFF("INDEX header")
	}
	count := int(binary.BigEndian.Uint16(b[off:]))
	if count == 0 {
		return nil, off + 2, nil
	}
	if off+3 > len(b) {
		return nil, 0, errCFF("INDEX header")
	}
	os := int(b[off+2])
	if os < 1 || os > 4 {
		return nil, 0, errCFF("INDEX offset size")
	}
	offs := off + 3
	data := offs + (count+1)*os - 1 // offsets are 1-based
	if offs+(count+1)*os > len(b) {
		return nil, 0, errCFF("INDEX offsets")
	}
	read := func(i int) int {
		v := 0
		for _, c := range b[offs+i*os : offs+(i+1)*os] {
			v = v<<8 | int(c)
		}
		return v
	}
	items = make([][]byte, count)
	prev := read(0)
	for i := 0; i < count; i++ {
		next := read(i + 1)
		if prev < 1 || next < prev || data+next > len(b) {
			return nil, 0, errCFF("INDEX data")
		}
		items[i] = b[data+prev : data+next]
		prev = next
	}
	return items, data + prev, nil
}

// appendIndex writes items as a CFF INDEX.
func appendIndex(out []byte, items [][]byte) []byte {
	out = binary.BigEndian.AppendUint16(out, uint16(len(items)))
	if len(items) == 0 {
		return out
	}
	total := 1
	for _, it := range items {
		total += len(it)
	}
	os := 1
	for ; os < 4 && total >= 1<<(8*os); os++ {
	}
	out = append(out, byte(os))
	put := func(v int) {
		for s := os - 1; s >= 0; s-- {
			out = append(out, byte(v>>(8*s)))
		}
	}
	v := 1
	put(v)
	for _, it := range items {
		v += len(it)
		put(v)
	}
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// dictEntry is one operator of a CFF DICT with its operands.
type dictEntry struct {
	op   int // 0..21, or 1200+n for escaped operators
	args []byte
	nums []int // integer operands (reals read as 0)
}

const (
	opCharset     = 15
	opEncoding    = 16
	opCharStrings = 17
	opPrivate     = 18
	opSubrs       = 19
	opFDArray     = 1236
	opFDSelect    = 1237
	opROS         = 1230
	opCharCount   = 1234
)

func parseDict(b []byte) ([]dictEntry, error) {
	var out []dictEntry
	start := 0
	var nums []int
	for i := 0; i < len(b); {
		c := int(b[i])
		switch {
		case c <= 21:
			op := c
			i++
			if c == 12 {
				if i >= len(b) {
					return nil, errCFF("DICT operator")
				}
				op = 1200 + int(b[i])
				i++
			}
			out = append(out, dictEntry{op: op, args: b[start:i], nums: nums})
			nums = nil
			start = i
		case c == 28:
			if i+3 > len(b) {
				return nil, errCFF("DICT operand")
			}
			nums = append(nums, int(int16(binary.BigEndian.Uint16(b[i+1:]))))
			i += 3
		case c == 29:
			if i+5 > len(b) {
				return nil, errCFF("DICT operand")
			}
			nums = append(nums, int(int32(binary.BigEndian.Uint32(b[i+1:]))))
			i += 5
		case c == 30:
			i++
			for ; i < len(b); i++ {
				if b[i]&0x0f == 0x0f || b[i]>>4 == 0x0f {
					break
				}
			}
			if i >= len(b) {
				return nil, errCFF("DICT real")
			}
			i++
			nums = append(nums, 0)
		case c >= 32 && c <= 246:
			nums = append(nums, c-139)
			i++
		case c >= 247 && c <= 250:
			if i+2 > len(b) {
				return nil, errCFF("DICT operand")
			}
			nums = append(nums, (c-247)*256+int(b[i+1])+108)
			i += 2
		case c >= 251 && c <= 254:
			if i+2 > len(b) {
				return nil, errCFF("DICT operand")
			}
			nums = append(nums, -(c-251)*256-int(b[i+1])-108)
			i += 2
		default:
			return nil, errCFF("DICT byte")
		}
	}
	if start != len(b) {
		return nil, errCFF("DICT trailing operands")
	}
	return out, nil
}

func (d dictEntry) num(i int) (int, error) {
	if i >= len(d.nums) {
		return 0, errCFF("DICT operand count")
	}
	return d.nums[i], nil
}

func appendOp(out []byte, op int) []byte {
	if op >= 1200 {
		return append(out, 12, byte(op-1200))
	}
	return append(out, byte(op))
}

// appendInt32 writes an operand in the fixed 5-byte form, so a DICT's size
// does not depend on the offsets written into it.
func appendInt32(out []byte, v int) []byte {
	return binary.BigEndian.AppendUint32(append(out, 29), uint32(int32(v)))
}

// writeDict re-encodes a DICT, replacing the operands of the operators in
// repl (each with fixed-size integers) and copying the others byte for byte.
func writeDict(d []dictEntry, repl map[int][]int) []byte {
	var out []byte
	for _, e := range d {
		vs, ok := repl[e.op]
		if !ok {
			out = append(out, e.args...)
			continue
		}
		for _, v := range vs {
			out = appendInt32(out, v)
		}
		out = appendOp(out, e.op)
	}
	return out
}

func find(d []dictEntry, op int) (dictEntry, bool) {
	for _, e := range d {
		if e.op == op {
			return e, true
		}
	}
	return dictEntry{}, false
}

// charsetLen and fdSelectLen give the byte length of those structures.
func charsetLen(b []byte, off, nGlyphs int) (int, error) {
	if off <= 2 { // predefined charsets
		return 0, nil
	}
	if off >= len(b) {
		return 0, errCFF("charset offset")
	}
	switch b[off] {
	case 0:
		return 1 + 2*(nGlyphs-1), nil
	case 1, 2:
		w := 1
		if b[off] == 2 {
			w = 2
		}
		p, covered := off+1, 1
		for covered < nGlyphs {
			if p+2+w > len(b) {
				return 0, errCFF("charset ranges")
			}
			left := int(b[p+2])
			if w == 2 {
				left = int(binary.BigEndian.Uint16(b[p+2:]))
			}
			covered += left + 1
			p += 2 + w
		}
		return p - off, nil
	}
	return 0, errCFF("charset format")
}

func fdSelectLen(b []byte, off, nGlyphs int) (int, error) {
	if off >= len(b) {
		return 0, errCFF("FDSelect offset")
	}
	switch b[off] {
	case 0:
		return 1 + nGlyphs, nil
	case 3:
		if off+3 > len(b) {
			return 0, errCFF("FDSelect")
		}
		n := int(binary.BigEndian.Uint16(b[off+1:]))
		return 1 + 2 + 3*n + 2, nil
	}
	return 0, errCFF("FDSelect format")
}

func span(b []byte, off, n int) ([]byte, error) {
	if off < 0 || n < 0 || off+n > len(b) {
		return nil, errCFF("structure out of range")
	}
	return b[off : off+n], nil
}

// private copies a Private DICT with its local subroutines placed right
// after it; it returns the bytes and the DICT's length.
func private(b []byte, size, off int) ([]byte, int, error) {
	pd, err := span(b, off, size)
	if err != nil {
		return nil, 0, err
	}
	d, err := parseDict(pd)
	if err != nil {
		return nil, 0, err
	}
	s, ok := find(d, opSubrs)
	if !ok {
		return append([]byte(nil), pd...), size, nil
	}
	rel, err := s.num(0)
	if err != nil {
		return nil, 0, err
	}
	_, end, err := index(b, off+rel)
	if err != nil {
		return nil, 0, err
	}
	nd := writeDict(d, map[int][]int{opSubrs: {0}})
	nd = writeDict(d, map[int][]int{opSubrs: {len(nd)}})
	return append(nd, b[off+rel:end]...), len(nd), nil
}

func thinCFF(b []byte, keep func(gid int) bool) ([]byte, error) {
	if len(b) < 4 {
		return nil, errCFF("header")
	}
	hdr := int(b[2])
	if hdr < 4 || hdr > len(b) || b[0] != 1 {
		return nil, errCFF("header")
	}
	_, nameEnd, err := index(b, hdr)
	if err != nil {
		return nil, err
	}
	tops, topEnd, err := index(b, nameEnd)
	if err != nil {
		return nil, err
	}
	if len(tops) != 1 {
		return nil, errCFF("one font per table")
	}
	_, strEnd, err := index(b, topEnd)
	if err != nil {
		return nil, err
	}
	_, gsubEnd, err := index(b, strEnd) // String and Global Subr INDEXes are copied as they are
	if err != nil {
		return nil, err
	}
	top, err := parseDict(tops[0])
	if err != nil {
		return nil, err
	}
	cse, ok := find(top, opCharStrings)
	if !ok {
		return nil, errCFF("no CharStrings")
	}
	csOff, err := cse.num(0)
	if err != nil {
		return nil, err
	}
	glyphs, _, err := index(b, csOff)
	if err != nil {
		return nil, err
	}
	n := len(glyphs)
	if n == 0 {
		return nil, errCFF("no glyphs")
	}
	if e, ok := find(top, opEncoding); ok {
		if v, _ := e.num(0); v > 1 {
			return nil, errCFF("custom encoding") // never in CID or OpenType CFF fonts
		}
	}

	// Everything the new Top DICT points at, in order after it.
	var tail []byte
	var fix []fixup
	at := func() int { return len(tail) }
	if e, ok := find(top, opCharset); ok {
		off, err := e.num(0)
		if err != nil {
			return nil, err
		}
		l, err := charsetLen(b, off, n)
		if err != nil {
			return nil, err
		}
		if l > 0 {
			cs, err := span(b, off, l)
			if err != nil {
				return nil, err
			}
			p := at()
			tail = append(tail, cs...)
			fix = append(fix, fixup{opCharset, func(base int) []int { return []int{base + p} }})
		}
	}
	if e, ok := find(top, opFDSelect); ok {
		off, err := e.num(0)
		if err != nil {
			return nil, err
		}
		l, err := fdSelectLen(b, off, n)
		if err != nil {
			return nil, err
		}
		fs, err := span(b, off, l)
		if err != nil {
			return nil, err
		}
		p := at()
		tail = append(tail, fs...)
		fix = append(fix, fixup{opFDSelect, func(base int) []int { return []int{base + p} }})
	}
	thin := make([][]byte, n)
	empty := []byte{14} // endchar
	for g, cs := range glyphs {
		if g == 0 || keep(g) {
			thin[g] = cs
		} else {
			thin[g] = empty
		}
	}
	pcs := at()
	tail = appendIndex(tail, thin)
	fix = append(fix, fixup{opCharStrings, func(base int) []int { return []int{base + pcs} }})
	if e, ok := find(top, opPrivate); ok {
		size, err1 := e.num(0)
		off, err2 := e.num(1)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		pd, l, err := private(b, size, off)
		if err != nil {
			return nil, err
		}
		p := at()
		tail = append(tail, pd...)
		fix = append(fix, fixup{opPrivate, func(base int) []int { return []int{l, base + p} }})
	}
	if e, ok := find(top, opFDArray); ok {
		off, err := e.num(0)
		if err != nil {
			return nil, err
		}
		fds, _, err := index(b, off)
		if err != nil {
			return nil, err
		}
		// Private DICTs go first, then the FDArray pointing back at them.
		dicts := make([][]dictEntry, len(fds))
		privAt := make([]int, len(fds))
		privLen := make([]int, len(fds))
		for i, fd := range fds {
			if dicts[i], err = parseDict(fd); err != nil {
				return nil, err
			}
			pe, ok := find(dicts[i], opPrivate)
			if !ok {
				privAt[i] = -1
				continue
			}
			size, err1 := pe.num(0)
			poff, err2 := pe.num(1)
			if err := errors.Join(err1, err2); err != nil {
				return nil, err
			}
			pd, l, err := private(b, size, poff)
			if err != nil {
				return nil, err
			}
			privAt[i], privLen[i] = at(), l
			tail = append(tail, pd...)
		}
		pfd := at()
		// FDArray sizes do not depend on base (fixed-size operands), so
		// it is written at the end once base is known.
		fix = append(fix, fixup{opFDArray, func(base int) []int { return []int{base + pfd} }})
		fdArray := func(base int) []byte {
			items := make([][]byte, len(fds))
			for i := range fds {
				if privAt[i] < 0 {
					items[i] = fds[i]
					continue
				}
				items[i] = writeDict(dicts[i], map[int][]int{opPrivate: {privLen[i], base + privAt[i]}})
			}
			return appendIndex(nil, items)
		}
		return assemble(b, nameEnd, topEnd, gsubEnd, top, fix, tail, fdArray)
	}
	return assemble(b, nameEnd, topEnd, gsubEnd, top, fix, tail, nil)
}

// fixup is an offset operator of the Top DICT whose operands are known
// once the position of the data after the Top DICT (base) is.
type fixup struct {
	op   int
	vals func(base int) []int
}

// assemble writes the new table: header, Name INDEX, the rewritten Top
// DICT INDEX, String and Global Subr INDEXes as they were, then tail (and
// the FDArray, if any) with every offset fixed up.
func assemble(b []byte, nameEnd, topEnd, gsubEnd int, top []dictEntry, fix []fixup, tail []byte,
	fdArray func(base int) []byte) ([]byte, error) {
	repl := map[int][]int{}
	// A first pass with zeros gives the Top DICT's size (fixed-size operands).
	for _, f := range fix {
		repl[f.op] = make([]int, len(f.vals(0)))
	}
	topLen := len(appendIndex(nil, [][]byte{writeDict(top, repl)}))
	base := nameEnd + topLen + (gsubEnd - topEnd)
	for _, f := range fix {
		repl[f.op] = f.vals(base)
	}
	out := make([]byte, 0, base+len(tail)+4096)
	out = append(out, b[:nameEnd]...)
	out = appendIndex(out, [][]byte{writeDict(top, repl)})
	if len(out) != nameEnd+topLen {
		return nil, errCFF("Top DICT size")
	}
	out = append(out, b[topEnd:gsubEnd]...)
	out = append(out, tail...)
	if fdArray != nil {
		out = append(out, fdArray(base)...)
	}
	return out, nil
}
