package camera

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

func TestPixFmt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want PixFmt
		str  string
	}{{"mjpeg", MJPEG, "MJPG"}, {"yuyv", YUYV, "YUYV"}, {"", 0, "0x00000000"}} {
		got, err := ParsePixFmt(tc.in)
		if err != nil || got != tc.want || got.String() != tc.str {
			t.Errorf("%q: %v %q %v", tc.in, got, got.String(), err)
		}
	}
	if _, err := ParsePixFmt("h264"); err == nil {
		t.Error("h264 parsed")
	}
}

func TestYUYVToRGBA(t *testing.T) {
	// Limited-range BT.601: Y 16 is black, 235 white; U=V=128 grey.
	for _, tc := range []struct {
		y, u, v byte
		want    color.RGBA
	}{
		{16, 128, 128, color.RGBA{0, 0, 0, 255}},
		{235, 128, 128, color.RGBA{255, 255, 255, 255}},
		{126, 128, 128, color.RGBA{128, 128, 128, 255}},
		{82, 90, 240, color.RGBA{255, 0, 0, 255}},  // red
		{145, 54, 34, color.RGBA{0, 255, 1, 255}},  // green
		{41, 240, 110, color.RGBA{0, 0, 255, 255}}, // blue
	} {
		src := []byte{tc.y, tc.u, tc.y, tc.v}
		img, err := YUYVToRGBA(nil, src, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		for x := range 2 {
			got := img.RGBAAt(x, 0)
			if d := diff(got, tc.want); d > 2 {
				t.Errorf("Y%d U%d V%d → %v, want %v", tc.y, tc.u, tc.v, got, tc.want)
			}
		}
	}
	for _, tc := range []struct {
		n, w, h int
		want    error
	}{{6, 2, 2, ErrShort}, {8, 3, 1, ErrFrameSize}, {0, 0, 0, ErrFrameSize}, {8, 4000, 1, ErrFrameSize}} {
		if _, err := YUYVToRGBA(nil, make([]byte, tc.n), tc.w, tc.h); !errors.Is(err, tc.want) {
			t.Errorf("%d bytes %d×%d: %v, want %v", tc.n, tc.w, tc.h, err, tc.want)
		}
	}
}

func diff(a, b color.RGBA) int {
	d := 0
	for _, p := range [][2]uint8{{a.R, b.R}, {a.G, b.G}, {a.B, b.B}} {
		if x := int(p[0]) - int(p[1]); x > d {
			d = x
		} else if -x > d {
			d = -x
		}
	}
	return d
}

func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noDHT drops the Huffman tables, as many UVC cameras send MJPEG.
func noDHT(b []byte) []byte {
	out := b[:2:2]
	for i := 2; i+4 <= len(b); {
		if b[i+1] == 0xda {
			return append(out, b[i:]...)
		}
		n := 2 + (int(b[i+2])<<8 | int(b[i+3]))
		if b[i+1] != 0xc4 {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return b
}

func TestDecodeMJPEG(t *testing.T) {
	full := testJPEG(t, 64, 48)
	bare := noDHT(full)
	if len(bare) >= len(full) || bytes.Contains(bare, []byte{0xff, 0xc4}) {
		t.Fatal("test frame still has its tables")
	}
	if _, err := jpeg.Decode(bytes.NewReader(bare)); err == nil {
		t.Fatal("image/jpeg decodes a frame without tables by itself: the test proves nothing")
	}
	want, err := DecodeMJPEG(nil, full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeMJPEG(want, bare) // reuses dst of the same size
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := DecodeMJPEG(nil, full)
	if !bytes.Equal(got.Pix, ref.Pix) {
		t.Error("a frame without tables decodes differently from one with the standard tables")
	}
	f := Frame{Format: MJPEG, Width: 64, Height: 48, Data: bare}
	j, err := f.JPEG(85)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jpeg.Decode(bytes.NewReader(j)); err != nil {
		t.Errorf("Frame.JPEG of a bare MJPEG frame does not decode: %v", err)
	}
	for _, bad := range [][]byte{nil, {0xff, 0xd8}, full[:len(full)/2], []byte("not a jpeg")} {
		if _, err := DecodeMJPEG(nil, bad); err == nil {
			t.Errorf("%d bytes decoded", len(bad))
		}
	}
	if _, err := DecodeMJPEG(nil, testJPEG(t, 2000, 8)); !errors.Is(err, ErrFrameSize) {
		t.Errorf("2000 pixels wide: %v", err)
	}
}

func TestFrameWipe(t *testing.T) {
	fs := Frames{{Data: []byte{1, 2, 3}}, {Data: []byte{4, 5}}}
	keep := [][]byte{fs[0].Data, fs[1].Data}
	c := fs[0].Clone()
	fs.Wipe()
	for i, b := range keep {
		if !bytes.Equal(b, make([]byte, len(b))) || fs[i].Data != nil {
			t.Errorf("frame %d not wiped: %v", i, b)
		}
	}
	if !bytes.Equal(c.Data, []byte{1, 2, 3}) {
		t.Error("a clone shares the wiped bytes")
	}
}

func TestYUYVFrameJPEG(t *testing.T) {
	src := make([]byte, 16*8*2)
	for i := 0; i < len(src); i += 4 {
		src[i], src[i+1], src[i+2], src[i+3] = 180, 100, 180, 150
	}
	j, err := Frame{Format: YUYV, Width: 16, Height: 8, Data: src}.JPEG(90)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(j))
	if err != nil || img.Bounds().Dx() != 16 {
		t.Fatalf("%v %v", img, err)
	}
	if _, err := (Frame{Format: PixFmt(1)}).JPEG(90); !errors.Is(err, ErrFormat) {
		t.Errorf("unknown format: %v", err)
	}
}

func FuzzDecodeMJPEG(f *testing.F) {
	full := testJPEG(f, 32, 24)
	f.Add(full)
	f.Add(noDHT(full))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xda, 0, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := DecodeMJPEG(nil, b)
		if err == nil && (img.Rect.Dx() > MaxWidth || img.Rect.Dy() > MaxHeight) {
			t.Fatalf("decoded %v beyond the limits", img.Rect)
		}
		_, _ = Frame{Format: MJPEG, Data: b}.JPEG(80)
	})
}

func FuzzYUYVToRGBA(f *testing.F) {
	f.Add([]byte{16, 128, 235, 128}, 2, 1)
	f.Add(make([]byte, 64), 4, 8)
	f.Add([]byte{1, 2, 3}, 3, 1)
	f.Fuzz(func(t *testing.T, b []byte, w, h int) {
		img, err := YUYVToRGBA(nil, b, w, h)
		if err != nil {
			return
		}
		if img.Rect.Dx() != w || img.Rect.Dy() != h || len(b) < w*h*2 {
			t.Fatalf("%d bytes as %d×%d gave %v", len(b), w, h, img.Rect)
		}
		for i := 3; i < len(img.Pix); i += 4 {
			if img.Pix[i] != 0xff {
				t.Fatal("a pixel not opaque")
			}
		}
	})
}

func BenchmarkDecodeMJPEG640x480(b *testing.B) {
	src := noDHT(testJPEG(b, 640, 480))
	dst, err := DecodeMJPEG(nil, src)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMJPEG(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkYUYVToRGBA640x480(b *testing.B) {
	src := make([]byte, 640*480*2)
	for i := range src {
		src[i] = byte(i * 7)
	}
	dst, _ := YUYVToRGBA(nil, src, 640, 480)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := YUYVToRGBA(dst, src, 640, 480); err != nil {
			b.Fatal(err)
		}
	}
}
