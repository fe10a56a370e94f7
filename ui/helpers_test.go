package ui

import "github.com/hajimehoshi/ebiten/v2"

// nil2 returns a scratch screen of the App's size.
func nil2(a *App) *ebiten.Image { return ebiten.NewImage(int(a.size.W), int(a.size.H)) }
