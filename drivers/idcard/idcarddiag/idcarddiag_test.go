package idcarddiag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcarddiag"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newSim(t *testing.T, o *idcardsim.Opts) *idcardsim.Sim {
	t.Helper()
	s, err := idcardsim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	code := idcarddiag.Run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestCardReadOutput(t *testing.T) {
	for _, tc := range []struct {
		golden  string
		fixture string
		args    []string
	}{
		{"han_masked.txt", idcardsim.Han, nil},
		{"han_masked.json", idcardsim.Han, []string{"--json"}},
		{"hmt_reveal.txt", idcardsim.HMTPermit, []string{"--reveal"}},
		{"foreign_2023_reveal.json", idcardsim.Foreign2023, []string{"--json", "--reveal"}},
		{"foreign_old_masked.txt", idcardsim.ForeignOld, nil},
		{"long_term_masked.json", idcardsim.LongTerm, []string{"--json"}},
		{"bad_check_masked.txt", idcardsim.BadCheck, nil},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			sim := newSim(t, nil)
			sim.Place(tc.fixture)
			code, out, errs := run(t, append([]string{"--port", sim.Path(), "--wait", "3s"}, tc.args...)...)
			if code != idcarddiag.ExitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			golden(t, tc.golden, strings.ReplaceAll(out, sim.Path(), "PORT"))
		})
	}
}

func TestMaskedByDefault(t *testing.T) {
	sim := newSim(t, nil)
	sim.Place(idcardsim.Han)
	_, out, _ := run(t, "--port", sim.Path(), "--json")
	var r idcarddiag.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Name != "王**" || r.IDNumber != "410122********1231" || !r.Masked || r.IDNumberValid == nil || !*r.IDNumberValid {
		t.Errorf("masked result %+v", r)
	}
	for _, secret := range []string{"王建国", "410122195603151231", "建设路", "1956-03-15"} {
		if strings.Contains(out, secret) {
			t.Errorf("masked output contains %q", secret)
		}
	}
}

func TestExitStatuses(t *testing.T) {
	t.Run("no card", func(t *testing.T) {
		sim := newSim(t, nil)
		start := time.Now()
		code, _, errs := run(t, "--port", sim.Path(), "--wait", "400ms")
		if code != idcarddiag.ExitNoCard || !strings.Contains(errs, "no card within 400ms") || strings.Count(errs, "\n") != 1 {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("no port", func(t *testing.T) {
		code, _, errs := run(t, "--port", filepath.Join(t.TempDir(), "nothing"))
		if code != idcarddiag.ExitDevice || !strings.Contains(errs, "device gone") || strings.Count(errs, "\n") != 1 {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
	t.Run("silent reader", func(t *testing.T) {
		sim := newSim(t, nil)
		sim.SetFault(idcardsim.FaultSilent)
		code, _, errs := run(t, "--port", sim.Path())
		if code != idcarddiag.ExitDevice || !strings.Contains(errs, "no reader answers") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
	t.Run("SAM failed", func(t *testing.T) {
		sim := newSim(t, nil)
		sim.SetFault(idcardsim.FaultSAMSelfTest)
		code, out, errs := run(t, "--port", sim.Path())
		if code != idcarddiag.ExitDevice || !strings.Contains(errs, "samFailed") || !strings.Contains(out, "断电重启") {
			t.Errorf("exit %d, stdout %q stderr %q", code, out, errs)
		}
	})
	t.Run("usage", func(t *testing.T) {
		// kioskctl's usage error (README): 64, the reason, then the usage.
		for _, args := range [][]string{{"--json"}, {"--bogus"}, {"--port", "/dev/x", "extra"}, {"--port", "/dev/x", "--baud", "1234"}, {"--port", "/dev/x", "--wait", "soon"}} {
			code, out, errs := run(t, args...)
			if code != 64 || out != "" || strings.Count(errs, "usage: kioskctl diag idcard") != 1 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
			}
		}
		code, out, errs := run(t, "--help")
		if code != idcarddiag.ExitOK || errs != "" || !strings.HasPrefix(out, "usage: kioskctl diag idcard") {
			t.Errorf("--help: exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
	t.Run("other baud", func(t *testing.T) {
		sim := newSim(t, &idcardsim.Opts{Baud: 19200})
		sim.Place(idcardsim.Minority)
		code, out, _ := run(t, "--port", sim.Path(), "--baud", "115200")
		if code != idcarddiag.ExitOK || !strings.Contains(out, "@ 19200 baud") || !strings.Contains(out, "阿*******") {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		if sim.Baud() != 19200 {
			t.Error("the diagnostic changed the reader's baud rate")
		}
	})
}
