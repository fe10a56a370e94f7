package printersim_test

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func fontOrSkip(t testing.TB) {
	if _, err := os.Stat(printersim.DefaultFont); err != nil {
		t.Skipf("no CJK font at %s: the golden rendering needs it", printersim.DefaultFont)
	}
}

// printVia sends raw bytes to the simulated printer through the real
// serial code, as the driver would, and waits for n receipts.
func printVia(t *testing.T, sim *printersim.Sim, raw []byte, got chan string, n int) []string {
	t.Helper()
	port, err := serialport.Open(serialport.Config{Path: sim.Path()})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	if _, err := port.Write(raw); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for range n {
		select {
		case p := <-got:
			paths = append(paths, p)
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d receipts, want %d", len(paths), n)
		}
	}
	return paths
}

func newSim(t *testing.T, o printersim.Opts) (*printersim.Sim, chan string) {
	t.Helper()
	dir := t.TempDir()
	got := make(chan string, 16)
	o.Link = filepath.Join(dir, "printer")
	o.Dir = dir
	o.OnReceipt = func(path string, raw []byte) { got <- path }
	sim, err := printersim.New(&o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim, got
}

// goldenSlack is how many dots may differ from a golden rendering.
const goldenSlack = 64

func comparePNG(t *testing.T, gotPath, name string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	raw, err := os.ReadFile(gotPath)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	a, b := decodePNG(t, raw), readPNG(t, golden)
	if a.Bounds() != b.Bounds() {
		t.Fatalf("%s: size %v, golden %v (got %s)", name, a.Bounds(), b.Bounds(), gotPath)
	}
	diff := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, _, _, _ := a.At(x, y).RGBA()
			r2, _, _, _ := b.At(x, y).RGBA()
			if r1 != r2 {
				diff++
			}
		}
	}
	// Anti-aliased glyph edges may land a few dots apart on another
	// architecture (arm64 fuses multiply-adds); any real change to what is
	// printed moves hundreds of dots.
	if diff > goldenSlack {
		keep := filepath.Join(os.TempDir(), name)
		os.WriteFile(keep, raw, 0o644)
		t.Fatalf("%s: %d dots differ from the golden file (got kept at %s; -update to accept)", name, diff, keep)
	}
}

func decodePNG(t *testing.T, b []byte) image.Image {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func readPNG(t *testing.T, path string) image.Image {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	return decodePNG(t, b)
}

func TestReceiptRenderingGolden(t *testing.T) {
	fontOrSkip(t)
	raster := escpos.Profile58
	raster.NativeQR = false
	tests := []struct {
		name    string
		doc     receipt.Doc
		profile escpos.Profile
		opts    printersim.Opts
	}{
		{"receipt-58mm.png", receipttest.Doc(false), escpos.Profile58, printersim.Opts{}},
		{"receipt-58mm-elder.png", receipttest.Doc(true), escpos.Profile58, printersim.Opts{}},
		{"receipt-58mm-rasterqr.png", receipttest.Doc(false), raster, printersim.Opts{}},
		{"testpage-80mm.png", escpos.TestPageDoc(escpos.Profile80), escpos.Profile80, printersim.Opts{Dots: 576}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim, got := newSim(t, tc.opts)
			raw, err := escpos.Encode(tc.doc, tc.profile)
			if err != nil {
				t.Fatal(err)
			}
			paths := printVia(t, sim, raw, got, 1)
			comparePNG(t, paths[0], tc.name)
			if r := sim.Receipts(); len(r) != 1 || !bytes.Equal(r[0], raw) {
				t.Fatal("Receipts() is not what was sent")
			}
		})
	}
}

func TestChineseModeMismatchPrintsJunk(t *testing.T) {
	// A printer that needs FS & prints code-page symbols for plain GB18030,
	// while a plain-GBK printer prints the characters.
	var d receipt.Doc
	d.Line("中文", 1, false, receipt.Left)
	plain := escpos.Profile58
	plain.ChineseMode = escpos.PlainGBK
	raw, _ := escpos.Encode(d, plain)
	face, _ := printersim.LoadFace("")
	junk := printersim.Render(raw, 384, false, face)
	good := printersim.Render(raw, 384, true, face)
	if len(junk) != 1 || len(good) != 1 {
		t.Fatal("no page")
	}
	if bytes.Equal(junk[0].Pix, good[0].Pix) {
		t.Fatal("FS & printer rendered plain GBK like a GBK printer")
	}
	fs, _ := escpos.Encode(d, escpos.Profile58)
	if p := printersim.Render(fs, 384, false, face); !bytes.Equal(p[0].Pix, good[0].Pix) {
		t.Fatal("FS & text on an FS & printer differs from plain GBK on a GBK printer")
	}
}

func TestStatusAndFaults(t *testing.T) {
	sim, _ := newSim(t, printersim.Opts{FontPath: "-", XONXOFF: true})
	port, err := serialport.Open(serialport.Config{Path: sim.Path()})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	ask := func(n byte) []byte {
		t.Helper()
		if _, err := port.Write([]byte{0x10, 0x04, n}); err != nil {
			t.Fatal(err)
		}
		var out []byte
		buf := make([]byte, 16)
		deadline := time.Now().Add(time.Second)
		for time.Now().Before(deadline) {
			k, _ := port.Read(buf)
			out = append(out, buf[:k]...)
			if len(out) > 0 && out[len(out)-1]&0x93 == 0x12 {
				break
			}
		}
		return out
	}
	if got := ask(4); !bytes.Equal(got, []byte{0x12}) {
		t.Fatalf("paper ok: % x", got)
	}
	sim.SetPaper(printersim.PaperLow)
	if got := ask(4); !bytes.Equal(got, []byte{0x1e}) {
		t.Fatalf("paper low: % x", got)
	}
	sim.SetPaper(printersim.PaperOut)
	if got := ask(4); !bytes.Equal(got, []byte{0x13, 0x72}) { // XOFF, then paper end
		t.Fatalf("paper out: % x", got)
	}
	if got := ask(1); !bytes.Equal(got, []byte{0x1a}) {
		t.Fatalf("offline: % x", got)
	}
	sim.SetPaper(printersim.PaperOK)
	sim.OpenCover(true)
	if got := ask(2); !bytes.Equal(got, []byte{0x11, 0x13, 0x16}) { // XON, XOFF, cover open
		t.Fatalf("cover: % x", got)
	}
	sim.OpenCover(false)
	sim.SetSilent(true)
	if got := ask(1); !bytes.Equal(got, []byte{0x11}) {
		t.Fatalf("silent printer answered % x", got)
	}
}

func TestUnplugReplug(t *testing.T) {
	sim, _ := newSim(t, printersim.Opts{FontPath: "-"})
	port, err := serialport.Open(serialport.Config{Path: sim.Path()})
	if err != nil {
		t.Fatal(err)
	}
	sim.Unplug()
	buf := make([]byte, 4)
	if _, err := port.Read(buf); err == nil {
		t.Fatal("read from an unplugged printer succeeded")
	}
	port.Close()
	if _, err := serialport.Open(serialport.Config{Path: sim.Path()}); err == nil {
		t.Fatal("opened an unplugged printer")
	}
	if err := sim.Replug(); err != nil {
		t.Fatal(err)
	}
	p2, err := serialport.Open(serialport.Config{Path: sim.Path()})
	if err != nil {
		t.Fatal(err)
	}
	p2.Close()
}

func TestPacedAtBaudRate(t *testing.T) {
	sim, got := newSim(t, printersim.Opts{FontPath: "-", Baud: 9600})
	var d receipt.Doc
	for range 10 {
		d.Line("0123456789012345678901234567890", 1, false, receipt.Left)
	}
	raw, _ := escpos.Encode(d, escpos.Profile58)
	start := time.Now()
	printVia(t, sim, raw, got, 1)
	wire := time.Duration(len(raw)) * 10 * time.Second / 9600
	if el := time.Since(start); el < wire*9/10 {
		t.Fatalf("%d bytes at 9600 baud took %v, wire time %v", len(raw), el, wire)
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	_ = context.Background
	os.Exit(m.Run())
}
