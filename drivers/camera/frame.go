package camera

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"sync"
	"time"
)

// PixFmt is a V4L2 pixel format, a little-endian FourCC.
type PixFmt uint32

func fourcc(a, b, c, d byte) PixFmt {
	return PixFmt(uint32(a) | uint32(b)<<8 | uint32(c)<<16 | uint32(d)<<24)
}

// The formats the kiosk decodes.
var (
	MJPEG = fourcc('M', 'J', 'P', 'G') // motion JPEG: each frame a JPEG image
	YUYV  = fourcc('Y', 'U', 'Y', 'V') // YUV 4:2:2 packed, Y0 U Y1 V, 2 bytes a pixel
)

// String is the FourCC ("MJPG", "YUYV"), or its number when it is not
// printable.
func (p PixFmt) String() string {
	b := []byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("0x%08x", uint32(p))
		}
	}
	return string(b)
}

// ParsePixFmt reads "mjpeg" or "yuyv" (a config's or a flag's words); ""
// is 0, either.
func ParsePixFmt(s string) (PixFmt, error) {
	switch s {
	case "":
		return 0, nil
	case "mjpeg", "MJPG":
		return MJPEG, nil
	case "yuyv", "YUYV":
		return YUYV, nil
	}
	return 0, fmt.Errorf("camera: format %q: want mjpeg or yuyv", s)
}

// Mode is what a stream delivers: pixel format, size and frame rate.
type Mode struct {
	Format        PixFmt
	Width, Height int
	FPS           int
}

func (m Mode) String() string {
	return fmt.Sprintf("%s %d×%d@%d", m.Format, m.Width, m.Height, m.FPS)
}

// Frame is one picture from the camera as it came off the wire. Its Data
// is personal data (a resident's face): it stays in memory, is never
// logged, and is wiped (Wipe) when the step that needed it ends.
type Frame struct {
	Format        PixFmt
	Width, Height int
	// Data is a JPEG image (MJPEG) or Width×Height×2 bytes (YUYV).
	Data []byte
	Seq  uint64    // counts frames since the stream started, from 1
	Time time.Time // when the frame was taken off the device
}

// Clone returns a copy with its own Data.
func (f Frame) Clone() Frame {
	f.Data = bytes.Clone(f.Data)
	return f
}

// Wipe zeroes the frame's bytes and drops them.
func (f *Frame) Wipe() {
	clear(f.Data)
	f.Data = nil
}

// Frames are captured frames, wiped together.
type Frames []Frame

// Wipe zeroes every frame.
func (fs Frames) Wipe() {
	for i := range fs {
		fs[i].Wipe()
	}
}

// Limits on what is decoded: a frame larger than this is no camera's.
const (
	MaxWidth  = 1920
	MaxHeight = 1080
	// MaxJPEG bounds one MJPEG frame (a 1080p frame at high quality is
	// well under 1 MiB).
	MaxJPEG = 2 << 20
)

// Decode errors.
var (
	ErrFrameSize = errors.New("camera: frame size out of bounds")
	ErrShort     = errors.New("camera: frame shorter than its size says")
	ErrFormat    = errors.New("camera: pixel format not decoded")
)

// Decode turns the frame into RGBA, reusing dst when it has the frame's
// size (nil: a new image).
func (f Frame) Decode(dst *image.RGBA) (*image.RGBA, error) {
	switch f.Format {
	case MJPEG:
		return DecodeMJPEG(dst, f.Data)
	case YUYV:
		return YUYVToRGBA(dst, f.Data, f.Width, f.Height)
	}
	return nil, fmt.Errorf("%w: %s", ErrFormat, f.Format)
}

// JPEG returns the frame as a JPEG image, as the backend takes it: an
// MJPEG frame as it is (once its header has been checked and missing
// Huffman tables put in), a YUYV frame encoded at quality q.
func (f Frame) JPEG(q int) ([]byte, error) {
	switch f.Format {
	case MJPEG:
		b := withHuffman(f.Data)
		if _, err := checkJPEG(b); err != nil {
			return nil, err
		}
		if len(b) == len(f.Data) {
			b = bytes.Clone(b)
		}
		return b, nil
	case YUYV:
		img, err := YUYVToRGBA(nil, f.Data, f.Width, f.Height)
		if err != nil {
			return nil, err
		}
		defer clear(img.Pix)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, fmt.Errorf("camera: encode: %w", err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("%w: %s", ErrFormat, f.Format)
}

func checkJPEG(b []byte) (image.Config, error) {
	if len(b) > MaxJPEG {
		return image.Config{}, fmt.Errorf("%w: %d bytes of JPEG", ErrFrameSize, len(b))
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return cfg, fmt.Errorf("camera: mjpeg: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxWidth || cfg.Height > MaxHeight {
		return cfg, fmt.Errorf("%w: %d×%d", ErrFrameSize, cfg.Width, cfg.Height)
	}
	return cfg, nil
}

// DecodeMJPEG decodes one MJPEG frame into RGBA. Many UVC cameras leave
// the Huffman tables out of their frames (MJPEG's convention: the
// standard tables of JPEG Annex K.3 are implied); they are put in before
// decoding. The size is checked before any pixel is decoded.
func DecodeMJPEG(dst *image.RGBA, b []byte) (*image.RGBA, error) {
	b = withHuffman(b)
	cfg, err := checkJPEG(b)
	if err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("camera: mjpeg: %w", err)
	}
	r := image.Rect(0, 0, cfg.Width, cfg.Height)
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	draw.Draw(dst, r, img, img.Bounds().Min, draw.Src)
	if y, ok := img.(*image.YCbCr); ok {
		clear(y.Y)
		clear(y.Cb)
		clear(y.Cr)
	}
	return dst, nil
}

// YUYVToRGBA converts a YUYV 4:2:2 frame (BT.601, limited range, as UVC
// cameras send it) to RGBA, reusing dst when it has the frame's size.
func YUYVToRGBA(dst *image.RGBA, src []byte, w, h int) (*image.RGBA, error) {
	if w <= 0 || h <= 0 || w > MaxWidth || h > MaxHeight || w%2 != 0 {
		return nil, fmt.Errorf("%w: %d×%d", ErrFrameSize, w, h)
	}
	if len(src) < w*h*2 {
		return nil, fmt.Errorf("%w: %d bytes for %d×%d YUYV", ErrShort, len(src), w, h)
	}
	r := image.Rect(0, 0, w, h)
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	for y := 0; y < h; y++ {
		in := src[y*w*2 : (y+1)*w*2]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		for i, o := 0, 0; i+3 < len(in); i, o = i+4, o+8 {
			d, e := int32(in[i+1])-128, int32(in[i+3])-128
			rr, gg, bb := 409*e+128, -100*d-208*e+128, 516*d+128
			c0 := 298 * (int32(in[i]) - 16)
			c1 := 298 * (int32(in[i+2]) - 16)
			px := out[o : o+8 : o+8]
			px[0], px[1], px[2], px[3] = clip((c0+rr)>>8), clip((c0+gg)>>8), clip((c0+bb)>>8), 0xff
			px[4], px[5], px[6], px[7] = clip((c1+rr)>>8), clip((c1+gg)>>8), clip((c1+bb)>>8), 0xff
		}
	}
	return dst, nil
}

func clip(v int32) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// stdDHT is the DHT segment with the standard tables of JPEG Annex K.3,
// which Go's encoder writes: taken once from an encoded 8×8 image.
var stdDHT = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil) // colour: all four tables
	b := buf.Bytes()
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return nil
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		if b[i+1] == 0xc4 {
			return bytes.Clone(b[i : i+2+n])
		}
		i += 2 + n
	}
	return nil
})

// withHuffman returns b with the standard Huffman tables put in before
// its scan when it has none of its own, and b itself otherwise (or when
// it is no JPEG the walk understands: the decoder then says why).
func withHuffman(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return b
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return b
		}
		m := b[i+1]
		switch {
		case m == 0xc4:
			return b
		case m == 0xda:
			dht := stdDHT()
			out := make([]byte, 0, len(b)+len(dht))
			out = append(out, b[:i]...)
			out = append(out, dht...)
			return append(out, b[i:]...)
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0x01 || (m >= 0xd0 && m <= 0xd7):
			i += 2
			continue
		}
		i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
	}
	return b
}

// TooDark is the mean brightness (0–255) under which a picture is too
// dark to verify a face: a covered lens, a dead fill light, night.
const TooDark = 40

// Brightness is img's mean luma (BT.601), 0–255, sampled on a grid of
// at most 64×48 points.
func Brightness(img *image.RGBA) float64 {
	r := img.Rect
	if r.Empty() {
		return 0
	}
	nx, ny := min(64, r.Dx()), min(48, r.Dy())
	var sum float64
	for j := range ny {
		for i := range nx {
			p := img.RGBAAt(r.Min.X+i*r.Dx()/nx, r.Min.Y+j*r.Dy()/ny)
			sum += 0.299*float64(p.R) + 0.587*float64(p.G) + 0.114*float64(p.B)
		}
	}
	return sum / float64(nx*ny)
}
