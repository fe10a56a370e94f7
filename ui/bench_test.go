package ui

import (
	"image"
	"sort"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

func sceneView(b *testing.B, name string, elder bool) session.View {
	for _, s := range scenes.All(elder) {
		if s.Name == name {
			return s.View
		}
	}
	b.Fatalf("no scene %s", name)
	return session.View{}
}

// benchFrame measures one full redraw of a screen at 1080×1920 (layout,
// drawing, and waiting for the GPU to finish) and reports the p99.
func benchFrame(b *testing.B, name string, elder bool) {
	r, err := NewRenderer("")
	if err != nil {
		b.Fatal(err)
	}
	v := sceneView(b, name, elder)
	dst := ebiten.NewImage(1080, 1920)
	px := make([]byte, 4)
	one := dst.SubImage(image.Rect(0, 0, 1, 1)).(*ebiten.Image)
	frame := func(i int) {
		scr := layout.Build(&v, layout.Portrait, r.fonts, nil)
		r.painter.draw(dst, scr, float64(i%40), float64(i)/60)
		one.ReadPixels(px) // wait for the drawing to finish
	}
	for i := 0; i < 5; i++ { // glyph and icon caches, as after the first frame
		frame(i)
	}
	var ts []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		frame(i)
		ts = append(ts, time.Since(t0))
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	b.ReportMetric(float64(ts[len(ts)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(ts[len(ts)/2].Microseconds())/1000, "p50-ms")
}

func BenchmarkFrameHome(b *testing.B)        { benchFrame(b, "home", false) }
func BenchmarkFrameSearch(b *testing.B)      { benchFrame(b, "search", false) }
func BenchmarkFrameFormKeypad(b *testing.B)  { benchFrame(b, "form_keypad", false) }
func BenchmarkFrameHelpOverlay(b *testing.B) { benchFrame(b, "help", false) }
func BenchmarkFrameHomeElder(b *testing.B)   { benchFrame(b, "home", true) }

func BenchmarkFontLoad(b *testing.B) {
	for b.Loop() {
		if _, err := loadFonts("", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLayoutHomeRealFont(b *testing.B) {
	r, _ := NewRenderer("")
	v := sceneView(b, "home", false)
	for b.Loop() {
		layout.Build(&v, layout.Portrait, r.fonts, nil)
	}
}

func BenchmarkDrawHomeNoWait(b *testing.B) {
	r, _ := NewRenderer("")
	v := sceneView(b, "home", false)
	dst := ebiten.NewImage(1080, 1920)
	scr := layout.Build(&v, layout.Portrait, r.fonts, nil)
	for b.Loop() {
		r.painter.draw(dst, scr, 0, 0)
	}
}
