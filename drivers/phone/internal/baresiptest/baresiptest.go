// Package baresiptest finds baresip for the phone's tests and loopback
// ports for the user agents they start.
package baresiptest

import (
	"os"
	"os/exec"
	"testing"

	"github.com/henan-county/kiosk/drivers/phone"
)

// Require returns baresip's path. Without it the test is skipped, except
// under CI (CI set), where .ci/setup.sh installs it and its absence fails.
func Require(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("baresip")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("baresip is not installed (%v); .ci/setup.sh installs it", err)
	}
	t.Skipf("baresip is not installed (%v): apt-get install baresip, or run .ci/setup.sh", err)
	return ""
}

// SIPAddr returns a loopback SIP address free at the moment of asking
// (phone.FreeSIPAddr).
func SIPAddr(t testing.TB) string {
	t.Helper()
	a, err := phone.FreeSIPAddr()
	if err != nil {
		t.Fatal(err)
	}
	return a
}
