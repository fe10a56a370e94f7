package cupssim

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary be the process that starts a simulator
// and is killed (TestDiesWithItsStarter).
func TestMain(m *testing.M) {
	if dir := os.Getenv("CUPSSIM_STARTER_DIR"); dir != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := Start(ctx, Opts{Dir: dir})
		cancel()
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("started")
		select {} // until killed
	}
	os.Exit(m.Run())
}

// processesIn lists the processes whose command line names dir.
func processesIn(dir string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(b), dir) {
			continue
		}
		st, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if f := strings.Fields(string(st)); len(f) > 2 && f[2] == "Z" {
			continue // gone, waiting for its parent
		}
		out = append(out, e.Name()+" "+strings.ReplaceAll(string(b), "\x00", " "))
	}
	return out
}

// TestDiesWithItsStarter: when the process that started the simulator is
// killed outright (a kiosk under kill -9, a test's timeout), cupsd,
// ippeveprinter and the bus stop too instead of living on.
func TestDiesWithItsStarter(t *testing.T) {
	if m := Missing(); len(m) > 0 {
		if os.Getenv("CI") == "" {
			t.Skipf("CUPS not installed (%s)", strings.Join(m, ", "))
		}
		t.Fatalf("CI is set but CUPS is not installed: %s", strings.Join(m, ", "))
	}
	dir, err := os.MkdirTemp("", "cupssim-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CUPSSIM_STARTER_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "started" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("starter: %q", line)
	}
	if ps := processesIn(dir); len(ps) < 3 {
		t.Fatalf("the simulator runs %d processes, want cupsd, ippeveprinter and the bus: %v", len(ps), ps)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ps := processesIn(dir)
		if len(ps) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, p := range ps {
				var pid int
				fmt.Sscan(p, &pid)
				syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Fatalf("outlived their starter: %v", ps)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
