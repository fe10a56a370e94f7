package daemon

import (
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestSweepSimTmp: a CUPS directory whose simulator kiosk is gone is
// removed; a live kiosk's, one without an owner and other files stay.
func TestSweepSimTmp(t *testing.T) {
	dir := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	mk := func(name, owner string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(p, "spool"), 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(p, "owner"), []byte(owner), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	stale := mk(simTmpPrefix+"1", strconv.Itoa(gone.Process.Pid))
	live := mk(simTmpPrefix+"2", strconv.Itoa(os.Getpid()))
	unowned := mk(simTmpPrefix+"3", "")
	garbled := mk(simTmpPrefix+"4", "not a pid")
	other := mk("cupssim-5", strconv.Itoa(gone.Process.Pid))
	sweepSimTmp(dir, slog.New(slog.DiscardHandler))
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale directory stayed: %v", err)
	}
	for _, p := range []string{live, unowned, garbled, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
