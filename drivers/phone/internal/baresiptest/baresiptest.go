// Package baresiptest finds baresip for the phone's tests and loopback
// ports for the user agents they start.
package baresiptest

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
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

// SIPAddr returns 127.0.0.1:P where UDP and TCP port P and TCP port P+1
// (baresip's TLS) are free at the moment of asking.
func SIPAddr(t testing.TB) string {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l2, err2 := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+1))
		u, err3 := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(port))
		l.Close()
		if err2 == nil {
			l2.Close()
		}
		if err3 == nil {
			u.Close()
		}
		if err2 == nil && err3 == nil {
			return "127.0.0.1:" + strconv.Itoa(port)
		}
	}
	t.Fatal("no free pair of loopback ports")
	return ""
}
