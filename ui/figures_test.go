package ui

import (
	"image"
	"image/color"
	"slices"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui/layout"
	"github.com/henan-county/kiosk/ui/scenes"
)

// Frame figures as the kiosk draws them: the screen keeps its pixels
// between frames and the painter repaints only what changed. Each frame
// is timed from the new layout to the renderer having finished it; the
// wait reads back one pixel copied from the screen (Image.ReadPixels on
// the 1080×1920 screen itself would copy all 8 MB to memory, which the
// kiosk never does, and adds ~9 ms). Presenting to X is not included:
// ui/internal/uidemo -frames measures whole frames in the real loop.

// gpuWait returns a function that waits until the renderer has finished
// everything drawn on src.
func gpuWait(src *ebiten.Image) func() {
	probe := ebiten.NewImage(1, 1)
	one := src.SubImage(image.Rect(0, 0, 1, 1)).(*ebiten.Image)
	px := make([]byte, 4)
	return func() {
		probe.DrawImage(one, nil)
		probe.ReadPixels(px)
	}
}

// benchFrames draws views[i%len(views)] frame after frame on one screen.
func benchFrames(b *testing.B, views []session.View, size layout.Size) {
	r, err := NewRenderer("")
	if err != nil {
		b.Fatal(err)
	}
	screen := ebiten.NewImage(int(size.W), int(size.H))
	wait := gpuWait(screen)
	frame := func(i int) {
		v := &views[i%len(views)]
		scr := layout.Build(v, size, r.fonts, nil)
		r.painter.draw(screen, scr, 0, 0)
		wait()
	}
	for i := 0; i < 2*len(views); i++ { // glyph and icon caches filled
		frame(i)
	}
	ts := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		frame(i)
		ts = append(ts, time.Since(t0))
	}
	reportQuantiles(b, ts)
}

func reportQuantiles(b *testing.B, ts []time.Duration) {
	slices.Sort(ts)
	q := func(p float64) float64 { return float64(ts[int(p*float64(len(ts)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// searchViews: typing a letter and deleting it on the search screen.
func searchViews() []session.View {
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	m := scenes.Machine(&now)
	m.Handle(session.Start{})
	m.Handle(session.OpenSearch{})
	m.Handle(session.SearchKey{R: 's'})
	a := m.View()
	m.Handle(session.SearchKey{R: 'b'})
	return []session.View{a, m.View()}
}

// BenchmarkFigureSearchTyping: the busiest interaction, a key on the
// search screen (search box, results, keyboard state).
func BenchmarkFigureSearchTyping(b *testing.B) {
	benchFrames(b, searchViews(), layout.Portrait)
}

// BenchmarkFigureHomeFull: home in normal and elder mode in turn, so every
// pixel changes every frame (the worst case: a new screen).
func BenchmarkFigureHomeFull(b *testing.B) {
	benchFrames(b, []session.View{sceneView(b, "home", false), sceneView(b, "home", true)}, layout.Portrait)
}

// BenchmarkFigureHelpOverDim: the help dialog opening and closing over home.
func BenchmarkFigureHelpToggle(b *testing.B) {
	benchFrames(b, []session.View{sceneView(b, "home", false), sceneView(b, "help", false)}, layout.Portrait)
}

// BenchmarkFigureRendererFloor: filling the whole 1080×1920 screen with
// one colour and waiting, the least any full repaint costs here.
func BenchmarkFigureRendererFloor(b *testing.B) {
	screen := ebiten.NewImage(1080, 1920)
	wait := gpuWait(screen)
	ts := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		screen.Fill(color.RGBA{uint8(i), 0x40, 0x80, 0xff})
		wait()
		ts = append(ts, time.Since(t0))
	}
	reportQuantiles(b, ts)
}
