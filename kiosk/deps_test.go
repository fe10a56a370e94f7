// Package kiosk_test holds the dependency rules of the whole module.
//
// External: the core domain under kiosk/ knows no Ebitengine, periph.io or
// tarm/serial and has no cgo of its own (C programs run as child
// processes); only drivers/serialport opens serial ports; only ui/ and
// cmd/kioskd import Ebitengine (importing it without a display panics).
//
// In the module, dependencies point inward: kiosk/ imports nothing from
// drivers/, ui/ or cmd/; ui/ nothing from drivers/ or cmd/; drivers/
// nothing from ui/ or cmd/. cmd/ wires everything. The only exception is
// in tests: kiosk/ tests may start the backend simulator
// (cmd/countysim/countysim), the real server on loopback.
package kiosk_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath   string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
	CgoFiles     []string
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

// layer is the top-level folder of a package in the module ("kiosk",
// "drivers", "ui", "cmd"), or "" for a package outside it.
func layer(path string) string {
	rel, ok := strings.CutPrefix(path, module)
	if !ok {
		if path == strings.TrimSuffix(module, "/") {
			return "root"
		}
		return ""
	}
	top, _, _ := strings.Cut(rel, "/")
	return top
}

// mayNotUse lists, for each layer, the layers of the module it must not
// depend on.
var mayNotUse = map[string][]string{
	"kiosk":   {"drivers", "ui", "cmd"},
	"ui":      {"drivers", "cmd"},
	"drivers": {"ui", "cmd"},
}

// testMayUse are packages of forbidden layers that a layer's tests may
// import all the same.
var testMayUse = map[string][]string{
	"kiosk": {module + "cmd/countysim/countysim"},
}

var forbiddenInCore = []string{"github.com/hajimehoshi/ebiten", "periph.io/", "github.com/tarm/serial"}

// violations checks every rule on pkgs and returns one line per breach.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		rel := strings.TrimPrefix(p.ImportPath, module)
		l := layer(p.ImportPath)
		if l == "kiosk" && len(p.CgoFiles) > 0 {
			out = append(out, rel+" uses cgo: the core runs C code only as child processes (kiosk/voice, kiosk/handwriting)")
		}
		if l == "kiosk" {
			for _, d := range p.Deps {
				for _, f := range forbiddenInCore {
					if strings.HasPrefix(d, f) {
						out = append(out, fmt.Sprintf("%s depends on %s: the core must stay free of UI and hardware libraries", rel, d))
					}
				}
			}
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/tarm/serial") && rel != "drivers/serialport" {
				out = append(out, rel+" imports tarm/serial: only drivers/serialport opens ports")
			}
			if strings.HasPrefix(imp, "github.com/hajimehoshi/ebiten") && l != "ui" && rel != "cmd/kioskd" {
				out = append(out, rel+" imports Ebitengine: only ui/ and cmd/kioskd may")
			}
		}
		for _, bad := range mayNotUse[l] {
			for _, d := range p.Deps {
				if layer(d) == bad {
					out = append(out, fmt.Sprintf("%s depends on %s: %s/ may not use %s/", rel, strings.TrimPrefix(d, module), l, bad))
				}
			}
			for _, imp := range append(append([]string(nil), p.TestImports...), p.XTestImports...) {
				if layer(imp) == bad && !contains(testMayUse[l], imp) {
					out = append(out, fmt.Sprintf("%s's tests import %s: %s/ may not use %s/", rel, strings.TrimPrefix(imp, module), l, bad))
				}
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDependencyRules(t *testing.T) {
	pkgs := listPackages(t)
	seen := map[string]int{}
	for _, p := range pkgs {
		seen[layer(p.ImportPath)]++
	}
	for _, l := range []string{"kiosk", "drivers", "ui", "cmd"} {
		if seen[l] == 0 {
			t.Fatalf("no %s/ packages listed", l)
		}
	}
	for _, v := range violations(pkgs) {
		t.Error(v)
	}
}

// TestRulesCatchBreaches: each rule reports a package that breaks it.
func TestRulesCatchBreaches(t *testing.T) {
	m := func(s string) string { return module + s }
	tests := []struct {
		name string
		p    pkg
		want string
	}{
		{"core uses a driver", pkg{ImportPath: m("kiosk/host"), Deps: []string{m("drivers/escpos")}}, "kiosk/ may not use drivers/"},
		{"core uses the screen", pkg{ImportPath: m("kiosk/session"), Deps: []string{m("ui/layout")}}, "kiosk/ may not use ui/"},
		{"core uses a command", pkg{ImportPath: m("kiosk/catalog"), Deps: []string{m("cmd/internal/catalogcmd")}}, "kiosk/ may not use cmd/"},
		{"core test uses a command", pkg{ImportPath: m("kiosk/outbox"), TestImports: []string{m("cmd/internal/daemon")}}, "tests import"},
		{"screen uses a driver", pkg{ImportPath: m("ui"), Deps: []string{m("drivers/idcard")}}, "ui/ may not use drivers/"},
		{"driver uses the screen", pkg{ImportPath: m("drivers/gpio"), Deps: []string{m("ui/sound")}}, "drivers/ may not use ui/"},
		{"core uses periph.io", pkg{ImportPath: m("kiosk/devices"), Deps: []string{"periph.io/x/conn/v3"}}, "free of UI and hardware"},
		{"serial outside serialport", pkg{ImportPath: m("drivers/idcard"), Imports: []string{"github.com/tarm/serial"}}, "only drivers/serialport"},
		{"Ebitengine outside ui", pkg{ImportPath: m("kiosk/voice"), Imports: []string{"github.com/hajimehoshi/ebiten/v2"}}, "only ui/ and cmd/kioskd"},
		{"cgo in the core", pkg{ImportPath: m("kiosk/handwriting"), CgoFiles: []string{"zinnia.go"}}, "uses cgo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := violations([]pkg{tc.p})
			if len(v) == 0 || !strings.Contains(strings.Join(v, "\n"), tc.want) {
				t.Fatalf("got %q, want a line with %q", v, tc.want)
			}
		})
	}
	allowed := pkg{ImportPath: m("kiosk/backend"), XTestImports: []string{m("cmd/countysim/countysim")}}
	if v := violations([]pkg{allowed}); len(v) != 0 {
		t.Fatalf("the simulator in a core test was refused: %q", v)
	}
}
