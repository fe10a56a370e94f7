package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCommandLineWithoutDisplay: --version, --help and a wrong command
// line are answered by the real binary with no display at all, before
// Ebitengine initialises (it panics without one).
func TestCommandLineWithoutDisplay(t *testing.T) {
	kioskd := filepath.Join(t.TempDir(), "kioskd")
	if out, err := exec.Command("go", "build", "-ldflags", "-X github.com/henan-county/kiosk/cmd/kioskd/internal/cli.version=v9.9.9-test", "-o", kioskd, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "DISPLAY=") && !strings.HasPrefix(e, "WAYLAND_DISPLAY=") {
			env = append(env, e)
		}
	}
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--version"}, 0, "v9.9.9-test\n", ""},
		{[]string{"-version"}, 0, "v9.9.9-test\n", ""},
		{[]string{"--help"}, 0, "kioskd --sim [--state DIR]", ""},
		{[]string{"-h"}, 0, "-exit-after-first-frame", ""},
		{[]string{"--bogus"}, 64, "", "flag provided but not defined: -bogus"},
		{[]string{"--sim", "extra"}, 64, "", `unexpected argument "extra"`},
		{[]string{"--screenshot-every", "soon"}, 64, "", "invalid value"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			cmd := exec.Command(kioskd, tc.args...)
			cmd.Env = env
			var so, se strings.Builder
			cmd.Stdout, cmd.Stderr = &so, &se
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || !strings.Contains(so.String(), tc.stdout) || !strings.Contains(se.String(), tc.stderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d with %q / %q", code, so.String(), se.String(), tc.code, tc.stdout, tc.stderr)
			}
			if strings.Contains(se.String(), "panic") {
				t.Fatalf("panicked: %s", se.String())
			}
		})
	}
}

// TestJournalLogLines: under systemd, with standard error connected to
// journald's stream (JOURNAL_STREAM names it), kioskd writes each line
// with its syslog priority and without a time of its own; a refused
// configuration is an error line and exit 78 (the unit does not restart).
func TestJournalLogLines(t *testing.T) {
	kioskd := filepath.Join(t.TempDir(), "kioskd")
	if out, err := exec.Command("go", "build", "-o", kioskd, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	stream, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(stream.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "kioskd.toml")
	if err := os.WriteFile(bad, []byte("[kiosk]\nid = \"\"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(kioskd, "--config", bad)
	cmd.Env = append(os.Environ(), fmt.Sprintf("JOURNAL_STREAM=%d:%d", st.Dev, st.Ino))
	cmd.Stderr = stream
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 78 {
		t.Fatalf("exit: %v, want 78", err)
	}
	b, _ := os.ReadFile(stream.Name())
	line := strings.TrimSpace(string(b))
	if !strings.HasPrefix(line, "<3>msg=configuration") || strings.Contains(line, "time=") || strings.Contains(line, "level=") {
		t.Fatalf("journal line %q", line)
	}
}
