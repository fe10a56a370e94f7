package sdnotify

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func listen(t *testing.T, name string) *net.UnixConn {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func recv(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	return string(buf[:n])
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	abstract := fmt.Sprintf("@kiosk-sdnotify-test-%d", os.Getpid())
	for _, sock := range []struct{ env, listen string }{
		{path, path},
		{abstract, "\x00" + abstract[1:]},
	} {
		c := listen(t, sock.listen)
		n := New(env(map[string]string{"NOTIFY_SOCKET": sock.env}))
		tests := []struct {
			send func() error
			want string
		}{
			{n.Ready, "READY=1"},
			{n.Watchdog, "WATCHDOG=1"},
			{func() error { return n.Status("serving\nREADY=1") }, "STATUS=serving READY=1"},
			{n.Stopping, "STOPPING=1"},
		}
		for _, tc := range tests {
			if err := tc.send(); err != nil {
				t.Fatalf("%s: %v", sock.env, err)
			}
			if got := recv(t, c); got != tc.want {
				t.Fatalf("%s: got %q, want %q", sock.env, got, tc.want)
			}
		}
	}
}

func TestProcessEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.sock")
	c := listen(t, path)
	t.Setenv("NOTIFY_SOCKET", path)
	t.Setenv("WATCHDOG_USEC", "30000000")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	if err := Ready(); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, c); got != "READY=1" {
		t.Fatalf("got %q", got)
	}
	if err := Watchdog(); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, c); got != "WATCHDOG=1" {
		t.Fatalf("got %q", got)
	}
	if err := Status("ok"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, c); got != "STATUS=ok" {
		t.Fatalf("got %q", got)
	}
	if d, ok := WatchdogInterval(); !ok || d != 30*time.Second {
		t.Fatalf("WatchdogInterval = %v, %v", d, ok)
	}
}

func TestDisabledAndErrors(t *testing.T) {
	var nilN *Notifier
	for _, n := range []*Notifier{nilN, {}, New(env(nil))} {
		if n.Enabled() {
			t.Fatal("enabled without socket")
		}
		if err := n.Ready(); err != nil {
			t.Fatal(err)
		}
		if _, ok := n.WatchdogInterval(); ok {
			t.Fatal("watchdog without WATCHDOG_USEC")
		}
	}
	if err := New(env(map[string]string{"NOTIFY_SOCKET": "relative"})).Ready(); !errors.Is(err, ErrBadSocket) {
		t.Fatalf("relative socket: %v", err)
	}
	if err := New(env(map[string]string{"NOTIFY_SOCKET": filepath.Join(t.TempDir(), "none")})).Ready(); err == nil {
		t.Fatal("no error for a missing socket")
	}
}

func TestWatchdogInterval(t *testing.T) {
	me := strconv.Itoa(os.Getpid())
	tests := []struct {
		usec, pid string
		want      time.Duration
		ok        bool
	}{
		{"", "", 0, false},
		{"0", "", 0, false},
		{"garbage", "", 0, false},
		{"-5", "", 0, false},
		{"20000000", "", 20 * time.Second, true},
		{"500000", me, 500 * time.Millisecond, true},
		{"500000", "1", 0, false}, // another process's watchdog
	}
	for _, tc := range tests {
		n := New(env(map[string]string{"WATCHDOG_USEC": tc.usec, "WATCHDOG_PID": tc.pid}))
		d, ok := n.WatchdogInterval()
		if d != tc.want || ok != tc.ok {
			t.Errorf("usec=%q pid=%q: got %v %v, want %v %v", tc.usec, tc.pid, d, ok, tc.want, tc.ok)
		}
	}
}
