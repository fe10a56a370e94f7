package document

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func ppm(header string, pixels int) []byte {
	return append([]byte(header), bytes.Repeat([]byte{10, 20, 30}, pixels)...)
}

func TestDecodePPM(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"pdftoppm's", ppm("P6\n4 3\n255\n", 12), true},
		{"comments and blanks", ppm("P6 # drawn by poppler\n 4\t3 # size\n255\r", 12), true},
		{"empty", nil, false},
		{"plain PPM (P3)", ppm("P3\n4 3\n255\n", 12), false},
		{"PNG", []byte("\x89PNG\r\n\x1a\n...."), false},
		{"wrong width", ppm("P6\n5 3\n255\n", 15), false},
		{"too tall", ppm("P6\n4 17\n255\n", 68), false},
		{"no height", ppm("P6\n4 \n", 0), false},
		{"16-bit", ppm("P6\n4 3\n65535\n", 24), false},
		{"short", ppm("P6\n4 3\n255\n", 11), false},
		{"trailing bytes", append(ppm("P6\n4 3\n255\n", 12), 0), false},
		{"no blank after the header", []byte("P6\n4 3\n255"), false},
		{"huge numbers", ppm("P6\n4 99999999999999999999\n255\n", 0), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := decodePPM(tc.in, 4, 16)
			if tc.ok != (err == nil) {
				t.Fatalf("err %v, want ok %v", err, tc.ok)
			}
			if !tc.ok {
				if !errors.Is(err, errPPM) {
					t.Errorf("error %v does not wrap errPPM", err)
				}
				return
			}
			if b := img.Bounds(); b.Dx() != 4 || b.Dy() != 3 {
				t.Fatalf("bounds %v", b)
			}
			if r, g, bl, a := img.At(3, 2).RGBA(); r>>8 != 10 || g>>8 != 20 || bl>>8 != 30 || a>>8 != 255 {
				t.Errorf("pixel %d %d %d %d", r>>8, g>>8, bl>>8, a>>8)
			}
		})
	}
}

func FuzzDecodePPM(f *testing.F) {
	f.Add(ppm("P6\n4 3\n255\n", 12))
	f.Add(ppm("P6 #c\n4 3 255 ", 12))
	f.Add([]byte("P6\n4 0\n255\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := decodePPM(b, 4, 16)
		if err != nil {
			if !errors.Is(err, errPPM) {
				t.Fatalf("error %v does not wrap errPPM", err)
			}
			return
		}
		if b := img.Bounds(); b.Dx() != 4 || b.Dy() < 1 || b.Dy() > 16 || len(img.Pix) != 4*4*b.Dy() {
			t.Fatal(fmt.Sprint("bounds ", b, len(img.Pix)))
		}
	})
}
