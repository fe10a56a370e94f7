package printersim_test

import (
	"image"
	"testing"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/receipt"
)

// TestQRQuietZone: on the paper, a receipt's QR code has at least four
// blank modules on every side, between the text lines round it, whether
// the printer draws the code (native) or the kiosk sends it as raster,
// and whatever alignment the receipt asks for.
func TestQRQuietZone(t *testing.T) {
	fontOrSkip(t)
	face, ok := printersim.LoadFace(printersim.DefaultFont)
	if !ok {
		t.Skip("no face")
	}
	for _, tc := range []struct {
		name  string
		prof  escpos.Profile
		align receipt.Align
	}{
		{"native, left", escpos.Profile58, receipt.Left},
		{"native, centre", escpos.Profile80, receipt.Center},
		{"raster", func() escpos.Profile { p := escpos.Profile58; p.NativeQR = false; return p }(), receipt.Left},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d receipt.Doc
			d.Line("扫码查看办理进度ABCDEFG", 1, true, receipt.Left)
			d.Add(receipt.Elem{Kind: receipt.QR, Align: tc.align, Data: "https://zwfw.example.cn/t/ZM20261126K7QH2M4X"})
			d.Line("服务热线：0371-62161234", 1, true, receipt.Left)
			raw, err := escpos.Encode(d, tc.prof)
			if err != nil {
				t.Fatal(err)
			}
			pages := printersim.Render(raw, tc.prof.Dots, false, face)
			if len(pages) != 1 {
				t.Fatalf("%d pages", len(pages))
			}
			img := pages[0]
			// The code is the tallest run of rows holding a square's worth
			// of black: find its box by the widest black row band.
			box := qrBox(img)
			if box.Empty() {
				t.Fatal("no QR code on the paper")
			}
			module := box.Dx() / 29 // this URL at level M is version 3: 29 modules
			if module < 1 {
				t.Fatalf("a code of %v is too small", box)
			}
			quiet := 4 * module
			blank := func(r image.Rectangle) bool {
				r = r.Intersect(img.Rect)
				for y := r.Min.Y; y < r.Max.Y; y++ {
					for x := r.Min.X; x < r.Max.X; x++ {
						if img.GrayAt(x, y).Y < 128 {
							return false
						}
					}
				}
				return true
			}
			for side, r := range map[string]image.Rectangle{
				"above": image.Rect(box.Min.X-quiet, box.Min.Y-quiet, box.Max.X+quiet, box.Min.Y),
				"below": image.Rect(box.Min.X-quiet, box.Max.Y, box.Max.X+quiet, box.Max.Y+quiet),
				"left":  image.Rect(box.Min.X-quiet, box.Min.Y, box.Min.X, box.Max.Y),
				"right": image.Rect(box.Max.X, box.Min.Y, box.Max.X+quiet, box.Max.Y),
			} {
				if box.Min.X-quiet < 0 || box.Max.X+quiet > img.Rect.Max.X {
					t.Fatalf("the code %v leaves no room for its quiet zone (%d dots) on %d-dot paper", box, quiet, img.Rect.Dx())
				}
				if !blank(r) {
					t.Errorf("the quiet zone %s the code (%v, module %d dots) is not blank", side, box, module)
				}
			}
		})
	}
}

// qrBox is the bounding box of the QR code: rows whose black dots span
// most of the widest black run, contiguous around the widest one.
func qrBox(img *image.Gray) image.Rectangle {
	span := func(y int) (int, int) {
		lo, hi := -1, -1
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 {
				if lo < 0 {
					lo = x
				}
				hi = x + 1
			}
		}
		return lo, hi
	}
	// The finder patterns make the code's top row a long black run with
	// gaps no wider than the code; text rows are broken by blank columns.
	best, by := 0, -1
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		if lo, _ := span(y); lo >= 0 && solidRun(img, y, lo) > best {
			best, by = solidRun(img, y, lo), y
		}
	}
	if by < 0 {
		return image.Rectangle{}
	}
	lo, hi := span(by)
	top := by
	for top > img.Rect.Min.Y {
		l, h := span(top - 1)
		if l < lo-2 || h > hi+2 || l < 0 {
			break
		}
		top--
	}
	bottom := by
	for bottom+1 < img.Rect.Max.Y {
		l, h := span(bottom + 1)
		if l < 0 || l < lo-2 || h > hi+2 {
			break
		}
		bottom++
	}
	return image.Rect(lo, top, hi, bottom+1)
}

// solidRun is the length of the black run starting at x on row y.
func solidRun(img *image.Gray, y, x int) int {
	n := 0
	for ; x < img.Rect.Max.X && img.GrayAt(x, y).Y < 128; x++ {
		n++
	}
	return n
}
