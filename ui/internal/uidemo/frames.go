package main

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/ui"
)

// frameMeter drives the screen so that something changes every frame and
// records the time between frames as the game loop sees it: the session's
// event, layout, drawing and Ebitengine presenting the frame to X. Vsync is
// turned off so frames follow each other as fast as they can be made.
type frameMeter struct {
	mode  string
	n     int
	step  int
	prev  time.Time
	times []time.Duration
	done  chan struct{}
}

const warmFrames = 30 // caches (glyphs, icons) filled, as after the first use of a screen

func (f *frameMeter) frame(app *ui.App, now time.Time) {
	if f.times != nil && len(f.times) >= f.n {
		return
	}
	f.step++
	switch f.step {
	case 1:
		ebiten.SetVsyncEnabled(false)
		app.Post(session.Start{})
		if f.mode == "search" {
			app.Post(session.OpenSearch{})
		}
		return
	}
	switch f.mode {
	case "search": // type and delete a letter: field, results and scroll area change
		if f.step%2 == 0 {
			app.Post(session.SearchKey{R: 's'})
		} else {
			app.Post(session.SearchBackspace{})
		}
	default: // home: normal and elder mode in turn, every pixel changes
		app.Post(session.ToggleElder{})
	}
	if f.step > warmFrames {
		if f.times == nil {
			f.times = make([]time.Duration, 0, f.n)
		} else {
			f.times = append(f.times, now.Sub(f.prev))
		}
		if len(f.times) == f.n {
			close(f.done)
		}
	}
	f.prev = now
}

func (f *frameMeter) report(w io.Writer) {
	ts := slices.Clone(f.times)
	slices.Sort(ts)
	q := func(p float64) float64 { return float64(ts[int(p*float64(len(ts)-1))].Microseconds()) / 1000 }
	fmt.Fprintf(w, "frames %s: n=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms\n", f.mode, len(ts), q(0.5), q(0.9), q(0.99), q(1))
}

func writeHeapProfile(path string, log *slog.Logger) {
	time.Sleep(8 * time.Second)
	runtime.GC()
	fh, err := os.Create(path)
	if err != nil {
		log.Error("memprofile", "err", err)
		return
	}
	defer fh.Close()
	if err := pprof.Lookup("heap").WriteTo(fh, 0); err != nil {
		log.Error("memprofile", "err", err)
	}
}

// floorGame changes one pixel a frame: what Ebitengine and the X server
// cost per presented frame before the kiosk draws anything (the screen is
// copied to the window and swapped whole).
type floorGame struct {
	w, h int
	m    frameMeter
}

func (g *floorGame) Update() error {
	now := time.Now()
	g.m.step++
	if g.m.step > warmFrames {
		if g.m.step > warmFrames+1 {
			g.m.times = append(g.m.times, now.Sub(g.m.prev))
		}
		if len(g.m.times) >= g.m.n {
			return ebiten.Termination
		}
	}
	g.m.prev = now
	return nil
}

func (g *floorGame) Draw(screen *ebiten.Image) {
	if g.m.step <= 1 {
		screen.Fill(color.RGBA{0xf4, 0xf6, 0xf8, 0xff})
	}
	screen.Set(0, 0, color.RGBA{uint8(g.m.step), 0, 0, 0xff})
}

func (g *floorGame) Layout(int, int) (int, int) { return g.w, g.h }

func runFloor(w, h, n int) error {
	g := &floorGame{w: w, h: h, m: frameMeter{mode: "floor", n: n}}
	ebiten.SetWindowSize(w, h)
	ebiten.SetWindowDecorated(false)
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetVsyncEnabled(false)
	ebiten.SetTPS(ebiten.SyncWithFPS)
	if err := ebiten.RunGame(g); err != nil && !errors.Is(err, ebiten.Termination) {
		return err
	}
	g.m.report(os.Stdout)
	return nil
}
