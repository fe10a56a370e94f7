package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
