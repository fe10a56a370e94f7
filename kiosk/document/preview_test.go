package document

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func dark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r < 0x4000 && g < 0x4000 && b < 0x4000
}

func white(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xf000 && g > 0xf000 && b > 0xf000
}

func TestPreviewDrawsThePage(t *testing.T) {
	needPoppler(t)
	for _, width := range []int{300, 600, 1000} {
		img, err := Preview(context.Background(), onePage(), 1, width, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		// A4 is 595×842 pt: the height follows the aspect ratio.
		wantH := width * 842 / 595
		if b.Dx() != width || b.Dy() < wantH-2 || b.Dy() > wantH+2 {
			t.Fatalf("width %d: image %v, want %d×%d", width, b, width, wantH)
		}
		// The page's points → pixels (PDF's y axis points up).
		px := func(x, y float64) image.Point {
			return image.Pt(int(x*float64(b.Dx())/595), int((842-y)*float64(b.Dy())/842))
		}
		// The rectangle (100..300 × 600..750 pt) is dark, the rest white.
		in, out := 0, 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := img.At(x, y)
				lo, hi := px(100, 750), px(300, 600)
				inside := x > lo.X+1 && x < hi.X-1 && y > lo.Y+1 && y < hi.Y-1
				outside := x < lo.X-1 || x > hi.X+1 || y < lo.Y-1 || y > hi.Y+1
				switch {
				case inside && !dark(c):
					t.Fatalf("width %d: (%d,%d) inside the rectangle is %v", width, x, y, c)
				case outside && !white(c):
					t.Fatalf("width %d: (%d,%d) outside the rectangle is %v", width, x, y, c)
				case inside:
					in++
				case outside:
					out++
				}
			}
		}
		if in == 0 || out == 0 {
			t.Fatalf("width %d: %d pixels inside, %d outside", width, in, out)
		}
	}
}

func TestPreviewPages(t *testing.T) {
	needPoppler(t)
	three := pagesPDF(3)
	// Each page's rectangle starts 10 pt further right (pagesPDF).
	for page := 1; page <= 3; page++ {
		img, err := Preview(context.Background(), three, page, 595, nil)
		if err != nil {
			t.Fatal(err)
		}
		x := 50 + 10*(page-1)
		y := 842 - 675
		if !white(img.At(x-3, y)) || !dark(img.At(x+3, y)) {
			t.Fatalf("page %d: the rectangle does not start at x=%d", page, x)
		}
	}
}

func TestPreviewRefuses(t *testing.T) {
	needPoppler(t)
	one := onePage()
	for _, tc := range []struct {
		name  string
		pdf   []byte
		page  int
		width int
		opts  *PreviewOpts
	}{
		{"page past the end", one, 2, 600, nil},
		{"page 0", one, 0, 600, nil},
		{"width 0", one, 1, 0, nil},
		{"width over the cap", one, 1, 2049, nil},
		// An A4 page, 1.41 times as tall as it is wide, is past a cap of 1.
		{"too tall", buildPDF(rect), 1, 600, &PreviewOpts{MaxAspect: 1}},
		{"garbage", []byte("not a pdf at all"), 1, 600, nil},
		{"empty", nil, 1, 600, nil},
		{"truncated", one[:100], 1, 600, nil},
		// 8 MiB of address space is not enough to even load pdftoppm's
		// libraries: proof that the limit reaches the child.
		{"memory limit", one, 1, 600, &PreviewOpts{Memory: 8 << 20}},
		{"not installed", one, 1, 600, &PreviewOpts{Command: "no-such-pdftoppm"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Preview(context.Background(), tc.pdf, tc.page, tc.width, tc.opts)
			if err == nil {
				t.Fatalf("rendered %v", img.Bounds())
			}
			t.Log(err)
		})
	}
	_, err := Preview(context.Background(), one, 1, 600, &PreviewOpts{Command: "no-such-pdftoppm"})
	if !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("err = %v", err)
	}
}

func TestPreviewBoundedTime(t *testing.T) {
	needPoppler(t)
	// A million rectangles in 60 KB: over a second of rendering.
	heavy := heavyPDF(1_000_000)
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  func() context.Context
		pdf  []byte
		opts *PreviewOpts
	}{
		{"pdftoppm times out", context.Background, heavy, &PreviewOpts{Timeout: 300 * time.Millisecond}},
		{"context expires", func() context.Context { return ctxTimeout(t, 300*time.Millisecond) }, heavy, nil},
		{"context already over", func() context.Context { return expired }, onePage(), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Preview(tc.ctx(), tc.pdf, 1, 1000, tc.opts)
			d := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v", err)
			}
			if d > 2*time.Second {
				t.Fatalf("took %v", d)
			}
			t.Logf("%v after %v", err, d.Round(time.Millisecond))
		})
	}
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestPreviewWithoutPrlimit(t *testing.T) {
	needPoppler(t)
	// With no prlimit on PATH the limit is set by the shell's ulimit -v.
	cmd, _ := exec.LookPath("pdftoppm")
	dir := t.TempDir()
	if err := os.Symlink(cmd, filepath.Join(dir, "pdftoppm")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	if _, err := exec.LookPath("prlimit"); err == nil {
		t.Fatal("prlimit still found")
	}
	if _, err := Preview(context.Background(), onePage(), 1, 300, nil); err != nil {
		t.Fatal(err)
	}
	_, err := Preview(context.Background(), onePage(), 1, 300, &PreviewOpts{Memory: 8 << 20})
	if err == nil {
		t.Fatal("rendered in 8 MiB of address space")
	}
	t.Log(err)
}
