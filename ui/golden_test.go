package ui

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/henan-county/kiosk/ui/scenes"
)

var (
	update      = flag.Bool("update", false, "rewrite testdata/golden from the current drawing")
	screenshots = flag.String("screenshots", "", "write full-size PNGs of every screen to this folder")
)

// TestGolden draws every screen in normal and elder mode, portrait and
// landscape, and compares it with testdata/golden (kept at half size).
func TestGolden(t *testing.T) {
	r, err := NewRenderer("")
	if err != nil {
		t.Fatal(err)
	}
	// The face screen shows the simulated camera's drawn face (a copy of
	// camerasim's blink-0 scene), never a person's.
	f, err := os.Open("testdata/camera-blink.png")
	if err != nil {
		t.Fatal(err)
	}
	pic, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	r.SetCameraPicture(pic)
	if *screenshots != "" {
		if err := os.MkdirAll(*screenshots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sizes := []struct {
		name string
		w, h int
	}{{"portrait", 1080, 1920}, {"landscape", 1920, 1080}}
	for _, elder := range []bool{false, true} {
		mode := "normal"
		if elder {
			mode = "elder"
		}
		for _, sc := range scenes.All(elder) {
			for _, sz := range sizes {
				name := fmt.Sprintf("%s_%s_%s", sc.Name, mode, sz.name)
				t.Run(name, func(t *testing.T) {
					checkGolden(t, name, r.Render(&sc.View, sz.w, sz.h, 0))
				})
			}
		}
	}
}

// half scales an image to half size by averaging 2×2 blocks.
func half(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := 0; y < b.Dy()/2; y++ {
		for x := 0; x < b.Dx()/2; x++ {
			var s [4]int
			for _, o := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				i := src.PixOffset(2*x+o[0], 2*y+o[1])
				for c := 0; c < 4; c++ {
					s[c] += int(src.Pix[i+c])
				}
			}
			j := dst.PixOffset(x, y)
			for c := 0; c < 4; c++ {
				dst.Pix[j+c] = uint8(s[c] / 4)
			}
		}
	}
	return dst
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// diff counts pixels differing by more than a small tolerance per channel.
func diff(a *image.RGBA, b image.Image) (int, float64) {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy(), 1
	}
	n := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			c1 := a.RGBAAt(x, y)
			c2 := color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			if far(c1.R, c2.R) || far(c1.G, c2.G) || far(c1.B, c2.B) {
				n++
			}
		}
	}
	return n, float64(n) / float64(a.Bounds().Dx()*a.Bounds().Dy())
}

func far(a, b uint8) bool {
	d := int(a) - int(b)
	return d > 24 || d < -24
}

// checkGolden writes img to -screenshots when asked, and compares it at
// half size with testdata/golden/NAME.png (or rewrites that with -update).
func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	if *screenshots != "" {
		if err := writePNG(filepath.Join(*screenshots, name+".png"), img); err != nil {
			t.Fatal(err)
		}
	}
	small := half(img)
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		if err := writePNG(path, small); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := readPNG(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if n, frac := diff(small, want); frac > 0.005 {
		t.Fatalf("%s differs in %d pixels (%.2f%%); run with -update if intended", path, n, frac*100)
	}
}
