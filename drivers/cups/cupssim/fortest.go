package cupssim

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// StartForTest starts a simulator for one test and stops it and removes
// its directory when the test ends, showing the logs of a failed test.
// Without the binaries the test is skipped with the reason, unless the
// environment variable CI is set: then it fails, so CI cannot pass by
// skipping.
func StartForTest(t testing.TB) *Sim {
	t.Helper()
	if m := Missing(); len(m) > 0 {
		if os.Getenv("CI") == "" {
			t.Skipf("CUPS not installed (%s); .ci/setup.sh installs it", strings.Join(m, ", "))
		}
		t.Fatalf("CI is set but CUPS is not installed: %s", strings.Join(m, ", "))
	}
	// Not t.TempDir: cupsd's filters run as lp, who must reach the spool.
	dir, err := os.MkdirTemp("", "cupssim-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sim, err := Start(ctx, Opts{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, f := range []string{"cupsd.log", "error_log", "ippeveprinter.log"} {
				b, _ := os.ReadFile(filepath.Join(sim.Logs(), f))
				if len(b) > 3000 {
					b = b[len(b)-3000:]
				}
				t.Logf("%s:\n%s", f, b)
			}
		}
		if err := sim.Close(); err != nil {
			t.Error(err)
		}
	})
	return sim
}
