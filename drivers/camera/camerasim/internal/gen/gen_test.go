package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestScenesUpToDate: the committed scene frames are exactly what the
// generator draws, and there are no others.
func TestScenesUpToDate(t *testing.T) {
	files, err := Render()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "scenes")
	committed, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if len(committed) != len(files) {
		t.Errorf("%d frames committed, the generator draws %d (run go run ./internal/gen in drivers/camera/camerasim)", len(committed), len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's (err %v); run go run ./internal/gen in drivers/camera/camerasim", name, err)
		}
	}
}
