package document

import (
	"errors"
	"fmt"
	"image"
)

// errPPM marks output from pdftoppm that is not the picture asked for.
var errPPM = errors.New("not a binary PPM picture")

// decodePPM reads the binary PPM (P6) picture pdftoppm writes when no
// other format is asked for: a header of "P6", width, height and a
// maximum value of 255 (blanks and # comments between them), one blank,
// then width·height RGB triples. The picture must be wantW pixels wide
// and at most maxH tall; nothing may follow the pixels. PPM over PNG:
// pdftoppm need not compress and the kiosk need not inflate, which is
// more than half of a preview's time on a one-page proof.
func decodePPM(b []byte, wantW, maxH int) (*image.RGBA, error) {
	p := 0
	field := func() (int, error) {
		for p < len(b) {
			if c := b[p]; c == '#' {
				for p < len(b) && b[p] != '\n' && b[p] != '\r' {
					p++
				}
			} else if isSpace(c) {
				p++
			} else {
				break
			}
		}
		n, start := 0, p
		for p < len(b) && b[p] >= '0' && b[p] <= '9' {
			if n > 1<<20 {
				return 0, fmt.Errorf("%w: a header number is too large", errPPM)
			}
			n = n*10 + int(b[p]-'0')
			p++
		}
		if p == start {
			return 0, fmt.Errorf("%w: header field at byte %d is not a number", errPPM, start)
		}
		return n, nil
	}
	if len(b) < 2 || b[0] != 'P' || b[1] != '6' {
		return nil, fmt.Errorf("%w: no P6 magic", errPPM)
	}
	p = 2
	w, err := field()
	if err != nil {
		return nil, err
	}
	h, err := field()
	if err != nil {
		return nil, err
	}
	maxv, err := field()
	if err != nil {
		return nil, err
	}
	switch {
	case w != wantW || h < 1 || h > maxH:
		return nil, fmt.Errorf("%w: %d×%d px, want %d wide and 1..%d tall", errPPM, w, h, wantW, maxH)
	case maxv != 255:
		return nil, fmt.Errorf("%w: maximum value %d, want 255", errPPM, maxv)
	case p >= len(b) || !isSpace(b[p]):
		return nil, fmt.Errorf("%w: no blank after the header", errPPM)
	}
	p++
	px := b[p:]
	if len(px) != 3*w*h {
		return nil, fmt.Errorf("%w: %d bytes of pixels, want %d", errPPM, len(px), 3*w*h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	d := img.Pix
	for i, j := 0, 0; i < len(px); i, j = i+3, j+4 {
		d[j], d[j+1], d[j+2], d[j+3] = px[i], px[i+1], px[i+2], 0xff
	}
	return img, nil
}
