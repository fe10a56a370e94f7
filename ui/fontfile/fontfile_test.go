package fontfile

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

const noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

func TestNotoCollection(t *testing.T) {
	data, err := os.ReadFile(noto)
	if err != nil {
		t.Skip("fonts-noto-cjk not installed:", err)
	}
	fams, err := Families(data)
	if err != nil {
		t.Fatal(err)
	}
	sc := -1
	for i, f := range fams {
		if f == "Noto Sans CJK SC" {
			sc = i
		}
	}
	if sc < 0 {
		t.Fatalf("no SC face in %q", fams)
	}
	one, err := Extract(data, sc)
	if err != nil {
		t.Fatal(err)
	}
	if IsCollection(one) || string(one[:4]) != "OTTO" {
		t.Fatalf("extracted font starts %q", one[:4])
	}
	if len(one) >= len(data) {
		t.Fatalf("extracted %d bytes from %d", len(one), len(data))
	}
	// Every table lies inside the new file, 4-byte aligned.
	n := int(binary.BigEndian.Uint16(one[4:]))
	for k := 0; k < n; k++ {
		r := 12 + 16*k
		off, l := binary.BigEndian.Uint32(one[r+8:]), binary.BigEndian.Uint32(one[r+12:])
		if off%4 != 0 || int(off+l) > len(one) {
			t.Fatalf("table %q at %d+%d", one[r:r+4], off, l)
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("ttcf"), []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x09"),
		[]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\xff\xff\xff\xf0")} {
		if _, err := Extract(b, 0); !errors.Is(err, ErrFormat) {
			t.Errorf("Extract(%q) = %v", b, err)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10OTTO\x00\x01\x00\x00\x00\x00\x00\x00name\x00\x00\x00\x00\x00\x00\x00\x2c\x00\x00\x00\x06\x00\x00\x00\x00\x00\x06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Families(b)
		Extract(b, 0)
	})
}
