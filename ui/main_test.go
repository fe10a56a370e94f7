package ui

import (
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// TestMain runs the tests inside Ebitengine's game loop (drawing and
// reading pixels need it), as Ebitengine's own tests do.
func TestMain(m *testing.M) {
	flag.Parse()
	code := 0
	g := &testGame{run: func() { code = m.Run() }}
	ebiten.SetWindowSize(320, 240)
	ebiten.SetRunnableOnUnfocused(true)
	if err := ebiten.RunGame(g); err != nil && !errors.Is(err, ebiten.Termination) {
		panic(err)
	}
	os.Exit(code)
}

type testGame struct {
	run  func()
	done bool
}

func (g *testGame) Update() error {
	if !g.done {
		g.done = true
		g.run()
	}
	return ebiten.Termination
}

func (g *testGame) Draw(*ebiten.Image) {}

func (g *testGame) Layout(int, int) (int, int) { return 320, 240 }
