package catalogcmd

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs (go test -update to accept):\n%s", path, got)
	}
}

// The validate report an operator sees, for the built-in list and for a
// list with one of each kind of problem.
func TestValidateGolden(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, catalog.DefaultJSON(), 0o644)
	_, out, _ := run(t, "validate", good)
	golden(t, "validate_default", out)

	c, _ := catalog.Default()
	c.Hotline = ""
	c.ExpiresAt = c.IssuedAt
	c.Categories[2].Icon = "rocket"
	s := c.Service("sb-jfjl-print")
	s.Category = "pension"
	s.Kind = "dance"
	s.Offline = "sometimes"
	s.Hours = catalog.Hours{Windows: []catalog.Window{{Days: []int{0}, From: "8:30", To: "17:00"}}}
	s.Form = append(s.Form,
		catalog.Field{ID: "p", Label: "编号", Type: catalog.FieldText, Pattern: "[0-9"},
		catalog.Field{ID: "c", Label: "类型", Type: catalog.FieldChoice})
	s.Receipt.Lines = append(s.Receipt.Lines,
		catalog.ReceiptLine{Label: "电话", Field: "phone", Mask: "blur"},
		catalog.ReceiptLine{Label: "卡", Field: "card.photo", Mask: "none"})
	c.Services[5].ID = c.Services[4].ID
	b, _ := json.Marshal(c)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, b, 0o644)
	code, out, _ := run(t, "validate", bad)
	if code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	golden(t, "validate_problems", out)
}
