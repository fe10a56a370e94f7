package escpos_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name (a hex dump), rewriting it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	dump := []byte(hex.Dump(got))
	if *update {
		if err := os.WriteFile(path, dump, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(dump, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, firstDiff(string(want), string(dump)))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return "want " + w[i] + "\ngot  " + g[i]
		}
	}
	return "lengths differ"
}

func TestEncodeGolden(t *testing.T) {
	raster58 := escpos.Profile58
	raster58.NativeQR = false
	plain80 := escpos.Profile80
	plain80.ChineseMode = escpos.PlainGBK
	tests := []struct {
		name    string
		doc     receipt.Doc
		profile escpos.Profile
	}{
		{"receipt-58mm.golden", receipttest.Doc(false), escpos.Profile58},
		{"receipt-58mm-elder.golden", receipttest.Doc(true), escpos.Profile58},
		{"receipt-80mm-plaingbk.golden", receipttest.Doc(false), plain80},
		{"receipt-58mm-rasterqr.golden", receipttest.Doc(false), raster58},
		{"testpage-80mm.golden", escpos.TestPageDoc(escpos.Profile80), escpos.Profile80},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := escpos.Encode(tc.doc, tc.profile)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b)
		})
	}
}

func TestEncodeCommands(t *testing.T) {
	var d receipt.Doc
	d.Line("AB", 1, false, receipt.Left)
	d.Line("中文", 2, true, receipt.Center)
	d.Add(receipt.Elem{Kind: receipt.QR, Data: "hello", Align: receipt.Center})
	d.Add(receipt.Elem{Kind: receipt.Feed, Lines: 3})
	d.Add(receipt.Elem{Kind: receipt.Cut})
	b, err := escpos.Encode(d, escpos.Profile58)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x1b, 0x40, // init
		0x1b, 0x61, 0, 0x1b, 0x45, 0, 0x1d, 0x21, 0x00, 'A', 'B', '\n',
		0x1b, 0x61, 1, 0x1b, 0x45, 1, 0x1d, 0x21, 0x11,
		0x1c, 0x26, 0xd6, 0xd0, 0xce, 0xc4, 0x1c, 0x2e, '\n', // FS & 中文 FS .
		0x1b, 0x4a, 24, // the quiet zone above: 4 modules of 6 dots
		0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, // model 2
		0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06, // module 6 dots
		0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31, // EC M
		0x1d, 0x28, 0x6b, 0x08, 0x00, 0x31, 0x50, 0x30, 'h', 'e', 'l', 'l', 'o', // store: 5+3 binary
		0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30, // print
		0x1b, 0x4a, 24, // and below
		0x1b, 0x64, 3, // feed
		0x1b, 0x64, 4, 0x1d, 0x56, 0x00, // feed before the cut, cut
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("got\n%s\nwant\n%s", hex.Dump(b), hex.Dump(want))
	}
}

func TestEncodeQRLengthIsBinary(t *testing.T) {
	data := strings.Repeat("x", 300) // 303 = 0x012F: pL 0x2F pH 0x01
	b, err := escpos.Encode(receipt.Doc{Elems: []receipt.Elem{{Kind: receipt.QR, Data: data}}}, escpos.Profile80)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte{0x1d, 0x28, 0x6b, 0x2f, 0x01, 0x31, 0x50, 0x30}) {
		t.Fatal("QR store command without binary length 2F 01")
	}
	_, err = escpos.Encode(receipt.Doc{Elems: []receipt.Elem{{Kind: receipt.QR, Data: strings.Repeat("x", 3000)}}}, escpos.Profile80)
	if !errors.Is(err, escpos.ErrQRTooLong) {
		t.Fatalf("3000-byte QR: %v", err)
	}
}

func TestEncodeRasterBands(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 800, 50)) // black, wider than 58 mm paper
	b, err := escpos.EncodeBands(receipt.Doc{Elems: []receipt.Elem{{Kind: receipt.Image, Image: img}}}, escpos.Profile58)
	if err != nil {
		t.Fatal(err)
	}
	// 800×50 scaled to 384×24: one band of 24 rows, 48 bytes a row.
	hdr := []byte{0x1d, 0x76, 0x30, 0x00, 48, 0, 24, 0}
	if n := bytes.Count(b.Bytes, hdr); n != 1 {
		t.Fatalf("%d bands of 24 rows", n)
	}
	if b.Boundaries[len(b.Boundaries)-1] != len(b.Bytes) {
		t.Fatal("last boundary is not the end")
	}
	tall := image.NewGray(image.Rect(0, 0, 100, 100))
	b, _ = escpos.EncodeBands(receipt.Doc{Elems: []receipt.Elem{{Kind: receipt.Image, Image: tall}}}, escpos.Profile58)
	if n := bytes.Count(b.Bytes, []byte{0x1d, 0x76, 0x30, 0x00, 13, 0}); n != 5 { // 24+24+24+24+4
		t.Fatalf("100 rows in %d bands, want 5", n)
	}
}

func TestEncodeRejectsBadElements(t *testing.T) {
	for _, el := range []receipt.Elem{{Kind: receipt.QR}, {Kind: receipt.Image}, {Kind: 99}} {
		if _, err := escpos.Encode(receipt.Doc{Elems: []receipt.Elem{el}}, escpos.Profile58); err == nil {
			t.Errorf("element %+v encoded", el)
		}
	}
}

func TestEncodeStripsControlBytes(t *testing.T) {
	var d receipt.Doc
	d.Line("a\x1d\x56\x00b", 1, false, receipt.Left) // a cut smuggled in text
	b, _ := escpos.Encode(d, escpos.Profile58)
	if bytes.Count(b, []byte{0x1d, 0x56}) != 1 {
		t.Fatal("control bytes in text reached the printer")
	}
}

func BenchmarkEncode(b *testing.B) {
	doc := receipttest.Doc(false)
	for _, pr := range []escpos.Profile{escpos.Profile58, func() escpos.Profile { p := escpos.Profile58; p.NativeQR = false; return p }()} {
		name := "native-qr"
		if !pr.NativeQR {
			name = "raster-qr"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				out, err := escpos.Encode(doc, pr)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}
