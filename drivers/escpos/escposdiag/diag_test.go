package escposdiag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/drivers/escpos/escposdiag"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
)

func sim(t *testing.T) *printersim.Sim {
	t.Helper()
	dir := t.TempDir()
	s, err := printersim.New(&printersim.Opts{Link: filepath.Join(dir, "printer"), Dir: dir, FontPath: "-"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := escposdiag.Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestStatus(t *testing.T) {
	s := sim(t)
	tests := []struct {
		name  string
		fault func()
		code  int
		want  string
	}{
		{"ready", func() {}, 0, "正常 / ready"},
		{"paper low", func() { s.SetPaper(printersim.PaperLow) }, 0, "paper low"},
		{"paper out", func() { s.SetPaper(printersim.PaperOut) }, 2, "缺纸 / paper out"},
		{"cover open", func() { s.SetPaper(printersim.PaperOK); s.OpenCover(true) }, 2, "cover open"},
		{"cutter", func() { s.OpenCover(false); s.SetCutterError(true) }, 2, "cutter error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fault()
			code, out, _ := run("--port", s.Path(), "--status")
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
		})
	}
}

func TestStatusJSON(t *testing.T) {
	s := sim(t)
	s.SetPaper(printersim.PaperLow)
	code, out, _ := run("--port", s.Path(), "--status", "--json")
	var v struct {
		SelfTest struct {
			OK     bool
			Status struct{ Paper string }
		} `json:"self_test"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if code != 0 || !v.SelfTest.OK || v.SelfTest.Status.Paper != "low" {
		t.Fatalf("exit %d, %s", code, out)
	}
}

func TestTestPage(t *testing.T) {
	s := sim(t)
	code, out, _ := run("--port", s.Path(), "--test-page")
	if code != 0 || !strings.Contains(out, "test page: printed") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if n := len(s.Receipts()); n != 1 {
		t.Fatalf("%d pages printed", n)
	}
	s.SetPaper(printersim.PaperOut)
	if code, out, _ := run("--port", s.Path(), "--test-page", "--json"); code != 2 || !strings.Contains(out, `"printed": false`) {
		t.Fatalf("no paper: exit %d, output:\n%s", code, out)
	}
}

func TestOfflineAndUsage(t *testing.T) {
	code, out, _ := run("--port", filepath.Join(t.TempDir(), "nothing"), "--status")
	if code != 2 || !strings.Contains(out, "not answering") {
		t.Fatalf("missing port: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{}, {"--status"}, {"--port", "/dev/x"}, {"--port", "/dev/x", "--status", "--test-page"},
		{"--port", "/dev/x", "--status", "--profile", "99mm"}, {"--bogus"}, {"--port", "/dev/x", "--status", "extra"},
	} {
		code, out, errs := run(args...)
		if code != 64 || out != "" || !strings.Contains(errs, "usage: kioskctl diag printer") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 64 and the usage on stderr", args, code, out, errs)
		}
	}
	if code, out, errs := run("-h"); code != 0 || errs != "" || !strings.HasPrefix(out, "usage: kioskctl diag printer") {
		t.Errorf("-h: exit %d, stdout %q, stderr %q; want 0 and the usage on stdout", code, out, errs)
	}
}
