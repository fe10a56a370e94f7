package idcard_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The card reader's packages reach the serial port only through
// drivers/serialport, and know nothing of the screen or GPIO.
func TestImports(t *testing.T) {
	forbidden := []string{"github.com/tarm/serial", "github.com/hajimehoshi/ebiten", "periph.io/"}
	for _, dir := range []string{".", "idcardsim", "idcarddiag", "../../kiosk/identity"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbidden {
					if strings.HasPrefix(p, bad) {
						t.Errorf("%s imports %s", f, p)
					}
				}
				if dir == "../../kiosk/identity" && strings.Contains(p, "/drivers/") {
					t.Errorf("%s imports driver %s", f, p)
				}
			}
		}
	}
}
