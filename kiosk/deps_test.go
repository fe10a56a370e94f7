// Package kiosk_test holds the dependency rules of the whole module: the
// core domain under kiosk/ knows no Ebitengine, periph.io or tarm/serial,
// only drivers/serialport opens serial ports, and only ui/ and cmd/kioskd
// import Ebitengine (importing it without a display panics).
package kiosk_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("only %d packages listed", len(pkgs))
	}
	return pkgs
}

const module = "github.com/henan-county/kiosk/"

func TestDependencyRules(t *testing.T) {
	forbiddenInCore := []string{"github.com/hajimehoshi/ebiten", "periph.io/", "github.com/tarm/serial"}
	checked := 0
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(p.ImportPath, module)
		if strings.HasPrefix(rel, "kiosk/") || rel == "kiosk" {
			checked++
			for _, d := range p.Deps {
				for _, f := range forbiddenInCore {
					if strings.HasPrefix(d, f) {
						t.Errorf("%s depends on %s: the core must stay free of UI and hardware libraries", rel, d)
					}
				}
			}
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/tarm/serial") && rel != "drivers/serialport" {
				t.Errorf("%s imports tarm/serial: only drivers/serialport opens ports", rel)
			}
			if strings.HasPrefix(imp, "github.com/hajimehoshi/ebiten") && !strings.HasPrefix(rel, "ui") && rel != "cmd/kioskd" {
				t.Errorf("%s imports Ebitengine: only ui/ and cmd/kioskd may", rel)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no kiosk/ packages checked")
	}
}
