package printersim_test

import (
	"bytes"
	"testing"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/receipt"
)

// TestCharactersOutsideGBK: a name with a character outside GBK (𠮷 takes
// four bytes in GB18030, which a receipt printer's font lacks) is drawn by
// the kiosk and sent as raster, and prints as ink on the paper; the
// GB18030 bytes never reach the printer. Without a font the character is
// □, and other lines stay text.
func TestCharactersOutsideGBK(t *testing.T) {
	fontOrSkip(t)
	face, ok := escpos.LoadFace(escpos.DefaultFont)
	if !ok {
		t.Fatal("no face")
	}
	four := []byte{0x95, 0x34, 0xb2, 0x35} // 𠮷 in GB18030
	var d receipt.Doc
	d.Line("申请人：𠮷*兰", 1, false, receipt.Left)
	d.Line("服务热线：0371-62161234", 1, false, receipt.Left)
	prof := escpos.Profile58
	prof.Face = face
	withFace, err := escpos.Encode(d, prof)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(withFace, four) {
		t.Error("the four GB18030 bytes were sent to the printer")
	}
	if !bytes.Contains(withFace, []byte{0x1d, 0x76, 0x30}) {
		t.Error("the line with 𠮷 was not sent as raster")
	}
	hot, _ := escpos.Encode(receipt.Doc{Elems: d.Elems[1:]}, prof)
	if bytes.Contains(hot, []byte{0x1d, 0x76, 0x30}) {
		t.Error("a line within GBK was sent as raster")
	}
	// On paper, the rare character's line has ink where the name is.
	pages := printersim.Render(withFace, prof.Dots, false, face)
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	img := pages[0]
	ink := 0
	for y := 0; y < 40 && y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			if img.GrayAt(x, y).Y < 128 {
				ink++
			}
		}
	}
	if ink < 200 {
		t.Errorf("the raster line left %d dots of ink", ink)
	}

	prof.Face = nil
	noFace, err := escpos.Encode(d, prof)
	if err != nil {
		t.Fatal(err)
	}
	box := []byte{0xa1, 0xf5} // □ in GB18030
	if bytes.Contains(noFace, four) || !bytes.Contains(noFace, box) {
		t.Errorf("without a font: %x", noFace)
	}
}
