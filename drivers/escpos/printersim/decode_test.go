package printersim

import (
	"errors"
	"testing"

	"golang.org/x/image/font/basicfont"
)

func TestNext(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		op   Op
		n    int
		err  error
		data string
		par  int
	}{
		{"text", []byte("ab\ncd"), OpText, 2, nil, "ab", 0},
		{"gb text", []byte{0xd6, 0xd0, 0x0a}, OpText, 2, nil, "\xd6\xd0", 0},
		{"lf", []byte{0x0a}, OpLF, 1, nil, "", 0},
		{"init", []byte{0x1b, 0x40}, OpInit, 2, nil, "", 0},
		{"feed", []byte{0x1b, 0x64, 5}, OpFeed, 3, nil, "", 5},
		{"bold", []byte{0x1b, 0x45, 1}, OpBold, 3, nil, "", 1},
		{"align", []byte{0x1b, 0x61, 2}, OpAlign, 3, nil, "", 2},
		{"size", []byte{0x1d, 0x21, 0x11}, OpSize, 3, nil, "", 0x11},
		{"fs on", []byte{0x1c, 0x26}, OpFSOn, 2, nil, "", 0},
		{"fs off", []byte{0x1c, 0x2e}, OpFSOff, 2, nil, "", 0},
		{"qr model", []byte{0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0}, OpQRModel, 9, nil, "", 0x32},
		{"qr size", []byte{0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, 6}, OpQRSize, 8, nil, "", 6},
		{"qr ec", []byte{0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x33}, OpQREC, 8, nil, "", 0x33},
		{"qr store", []byte{0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50, 0x30, 'h', 'i'}, OpQRStore, 10, nil, "hi", 0},
		{"qr print", []byte{0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30}, OpQRPrint, 8, nil, "", 0},
		{"raster", []byte{0x1d, 0x76, 0x30, 0, 1, 0, 2, 0, 0xff, 0x0f}, OpRaster, 10, nil, "\xff\x0f", 0},
		{"cut", []byte{0x1d, 0x56, 0x00}, OpCut, 3, nil, "", 0},
		{"feed cut", []byte{0x1d, 0x56, 0x42, 4}, OpCut, 4, nil, "", 4},
		{"status", []byte{0x10, 0x04, 4}, OpStatus, 3, nil, "", 4},
		{"asb", []byte{0x1d, 0x61, 0xff}, OpIgnored, 3, nil, "", 0},
		{"unknown byte", []byte{0x07}, OpUnknown, 1, nil, "", 0},
		{"unknown esc", []byte{0x1b, 0x7e}, OpUnknown, 2, nil, "", 0},
		{"huge raster", []byte{0x1d, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff}, OpUnknown, 8, nil, "", 0},
		{"short esc", []byte{0x1b}, 0, 0, ErrIncomplete, "", 0},
		{"short qr", []byte{0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50}, 0, 0, ErrIncomplete, "", 0},
		{"short raster", []byte{0x1d, 0x76, 0x30, 0, 1, 0, 2, 0, 0xff}, 0, 0, ErrIncomplete, "", 0},
		{"short status", []byte{0x10, 0x04}, 0, 0, ErrIncomplete, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, n, err := Next(tc.in)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				return
			}
			if c.Op != tc.op || n != tc.n || string(c.Data) != tc.data || (tc.par != 0 && c.N != tc.par) {
				t.Fatalf("Next = %v n=%d data=%q N=%d; want %v n=%d", c.Op, n, c.Data, c.N, tc.op, tc.n)
			}
		})
	}
}

// FuzzNext feeds arbitrary bytes to the decoder and the paper: it must
// never panic, always make progress, and never claim more than it has.
func FuzzNext(f *testing.F) {
	f.Add([]byte{0x1b, 0x40, 0x1c, 0x26, 0xd6, 0xd0, 0x1c, 0x2e, 0x0a, 0x1d, 0x56, 0x00})
	f.Add([]byte{0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50, 0x30, 'h', 'i', 0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30})
	f.Add([]byte{0x1d, 0x76, 0x30, 3, 2, 0, 2, 0, 0xff, 0x0f, 0xaa, 0x55, 0x1d, 0x21, 0x77, 'x', 0x0a})
	f.Add([]byte{0x1b, 0x61, 0x31, 0x1d, 0x56, 0x42, 0x10, 0x10, 0x04, 0x09})
	f.Fuzz(func(t *testing.T, b []byte) {
		p := NewPaper(64, len(b)%2 == 0, basicfont.Face7x13)
		for len(b) > 0 {
			c, n, err := Next(b)
			if err != nil {
				if !errors.Is(err, ErrIncomplete) {
					t.Fatalf("error %v", err)
				}
				break
			}
			if n <= 0 || n > len(b) {
				t.Fatalf("consumed %d of %d", n, len(b))
			}
			p.Apply(c)
			b = b[n:]
		}
		p.Cut()
	})
}
