// Package fontfile takes one font out of an OpenType collection (.ttc),
// so the kiosk parses and keeps in memory only the face it draws with
// (Noto Sans CJK SC) instead of all ten faces of the collection, and thins
// a CFF font to the outlines of the glyphs it draws (Thin), keeping glyph
// ids, metrics and layout tables as they are.
package fontfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// ErrFormat is returned for bytes that are not a well-formed collection.
var ErrFormat = errors.New("fontfile: not an OpenType collection")

// IsCollection reports whether data starts like a .ttc collection.
func IsCollection(data []byte) bool { return len(data) >= 12 && string(data[:4]) == "ttcf" }

// Families returns the family name of each font in a collection.
func Families(data []byte) ([]string, error) {
	offs, err := fontOffsets(data)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(offs))
	for i, off := range offs {
		tables, err := tableDir(data, off)
		if err != nil {
			return nil, err
		}
		if t, ok := tables["name"]; ok {
			out[i] = familyName(data[t.off : t.off+t.len])
		}
	}
	return out, nil
}

// Extract returns font i of a collection as a standalone OpenType font.
func Extract(data []byte, i int) ([]byte, error) {
	offs, err := fontOffsets(data)
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= len(offs) {
		return nil, fmt.Errorf("fontfile: extract: font %d of %d: %w", i, len(offs), ErrFormat)
	}
	off := offs[i]
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	head := 12 + 16*n
	size := head
	tables := make([]table, n)
	for k := 0; k < n; k++ {
		r := off + 12 + 16*k
		t := table{tag: string(data[r : r+4]), off: int(binary.BigEndian.Uint32(data[r+8:])), len: int(binary.BigEndian.Uint32(data[r+12:]))}
		if t.off < 0 || t.len < 0 || t.off+t.len > len(data) || t.off+t.len < t.off {
			return nil, fmt.Errorf("fontfile: extract: table %q out of range: %w", t.tag, ErrFormat)
		}
		tables[k] = t
		size += (t.len + 3) &^ 3
	}
	out := make([]byte, size)
	copy(out, data[off:off+head])
	pos := head
	for k, t := range tables {
		copy(out[pos:], data[t.off:t.off+t.len])
		binary.BigEndian.PutUint32(out[12+16*k+8:], uint32(pos))
		pos += (t.len + 3) &^ 3
	}
	return out, nil
}

type table struct {
	tag      string
	off, len int
}

func fontOffsets(data []byte) ([]int, error) {
	if !IsCollection(data) {
		return nil, ErrFormat
	}
	n := int(binary.BigEndian.Uint32(data[8:]))
	if n <= 0 || n > 256 || 12+4*n > len(data) {
		return nil, fmt.Errorf("fontfile: %d fonts: %w", n, ErrFormat)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(binary.BigEndian.Uint32(data[12+4*i:]))
		if out[i] < 0 || out[i]+12 > len(data) {
			return nil, fmt.Errorf("fontfile: font %d offset: %w", i, ErrFormat)
		}
		if nt := int(binary.BigEndian.Uint16(data[out[i]+4:])); out[i]+12+16*nt > len(data) {
			return nil, fmt.Errorf("fontfile: font %d table directory: %w", i, ErrFormat)
		}
	}
	return out, nil
}

func tableDir(data []byte, off int) (map[string]table, error) {
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	m := make(map[string]table, n)
	for k := 0; k < n; k++ {
		r := off + 12 + 16*k
		t := table{tag: string(data[r : r+4]), off: int(binary.BigEndian.Uint32(data[r+8:])), len: int(binary.BigEndian.Uint32(data[r+12:]))}
		if t.off < 0 || t.len < 0 || t.off+t.len > len(data) || t.off+t.len < t.off {
			return nil, fmt.Errorf("fontfile: table %q out of range: %w", t.tag, ErrFormat)
		}
		m[t.tag] = t
	}
	return m, nil
}

// familyName reads the Windows Unicode family name (name id 1), English
// if there is one.
func familyName(b []byte) string {
	if len(b) < 6 {
		return ""
	}
	count := int(binary.BigEndian.Uint16(b[2:]))
	strOff := int(binary.BigEndian.Uint16(b[4:]))
	best := ""
	for i := 0; i < count; i++ {
		r := 6 + 12*i
		if r+12 > len(b) {
			break
		}
		plat, enc := binary.BigEndian.Uint16(b[r:]), binary.BigEndian.Uint16(b[r+2:])
		lang, id := binary.BigEndian.Uint16(b[r+4:]), binary.BigEndian.Uint16(b[r+6:])
		l, o := int(binary.BigEndian.Uint16(b[r+8:])), int(binary.BigEndian.Uint16(b[r+10:]))
		if plat != 3 || enc != 1 || id != 1 || strOff+o+l > len(b) {
			continue
		}
		s := b[strOff+o : strOff+o+l]
		u := make([]uint16, len(s)/2)
		for j := range u {
			u[j] = binary.BigEndian.Uint16(s[2*j:])
		}
		name := string(utf16.Decode(u))
		if lang == 0x409 {
			return name
		}
		if best == "" {
			best = name
		}
	}
	return best
}
