package ui

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/document"
	"github.com/henan-county/kiosk/ui/layout"
)

// BenchmarkFigurePreviewToScreen: a proof's first page from the document
// in memory to the page on the screen: poppler's pdftoppm renders it (a
// child process under its limits, as the kiosk does) at the width the
// layout draws it, the painter uploads it and draws the document screen,
// and the renderer finishes. testdata/proof.pdf is a one-page proof as
// the county simulator issues it (CJK text, the seal, the QR code).
// Target: under 300 ms.
func BenchmarkFigurePreviewToScreen(b *testing.B) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		b.Skip("pdftoppm not installed (poppler-utils)")
	}
	pdf, err := os.ReadFile("testdata/proof.pdf")
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRenderer("")
	if err != nil {
		b.Fatal(err)
	}
	size := layout.Portrait
	pw, _ := layout.PagePixels(size, false)
	v := sceneView(b, "document_ready", false)
	d := *v.Document
	v.Document = &d
	screen := ebiten.NewImage(int(size.W), int(size.H))
	wait := gpuWait(screen)
	show := func() {
		img, err := document.Preview(context.Background(), pdf, 1, pw, nil)
		if err != nil {
			b.Fatal(err)
		}
		d.Preview = img
		r.painter.draw(screen, layout.Build(&v, size, r.fonts, nil), 0, 0)
		wait()
	}
	show() // glyph and icon caches, as on a kiosk that has drawn before
	ts := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		show()
		ts = append(ts, time.Since(t0))
	}
	reportQuantiles(b, ts)
}
