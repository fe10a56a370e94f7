package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
)

// notifySocket listens where kioskd's sd_notify datagrams go, as systemd
// does, and keeps each with the time it came.
type notifySocket struct {
	path string
	mu   sync.Mutex
	msgs []notifyMsg
}

type notifyMsg struct {
	at   time.Time
	text string
}

func listenNotify(t *testing.T) *notifySocket {
	t.Helper()
	n := &notifySocket{path: filepath.Join(t.TempDir(), "notify.sock")}
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: n.path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := c.Read(buf)
			if err != nil {
				return
			}
			n.mu.Lock()
			n.msgs = append(n.msgs, notifyMsg{time.Now(), string(buf[:k])})
			n.mu.Unlock()
		}
	}()
	return n
}

// count is how many notifications containing text came after since.
func (n *notifySocket) count(text string, since time.Time) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, m := range n.msgs {
		if !m.at.Before(since) && strings.Contains(m.text, text) {
			c++
		}
	}
	return c
}

// drainKiosk is kioskd in simulator mode as systemd runs it: a notify
// socket, a watchdog of 3 s, and the given stop_grace.
func drainKiosk(t *testing.T, kioskd, kioskctl, grace string) (*kiosk, *exec.Cmd, *notifySocket, <-chan error) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: the end-to-end tests run under xvfb-run (make test-ui)")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool is missing: make test installs it")
	}
	n := listenNotify(t)
	k := &kiosk{t: t, state: t.TempDir(), kioskctl: kioskctl, log: &lockedBuf{}}
	conf := filepath.Join(t.TempDir(), "kioskd.toml")
	if err := os.WriteFile(conf, []byte("[daemon]\nstop_grace = \""+grace+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(kioskd, "--sim", "--config", conf, "--state", k.state, "--windowed")
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+n.path, "WATCHDOG_USEC=3000000")
	cmd.Stdout, cmd.Stderr = k.log, k.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Process.Signal(syscall.SIGTERM) // a second one: no waiting for a session
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("kioskd log:\n%s", k.log.String())
		}
	})
	k.admin = admin.NewClient(filepath.Join(k.state, "admin.sock"))
	k.waitScreen("attract", 30*time.Second)
	return k, cmd, n, exited
}

// An upgrade restarts kioskd with SIGTERM; a resident in session finishes
// first. Meanwhile the screen keeps drawing and answering the resident
// and systemd's watchdog keeps being fed; then kioskd stops at once.
func TestStopWaitsForTheSession(t *testing.T) {
	kioskd, kioskctl := buildBinaries(t)

	t.Run("session ends", func(t *testing.T) {
		k, cmd, n, exited := drainKiosk(t, kioskd, kioskctl, "2m")
		k.tap("start")
		k.waitScreen("home", 10*time.Second)
		signalled := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		// The resident carries on.
		k.tap("cat:sb")
		k.waitScreen("category", 10*time.Second)
		select {
		case err := <-exited:
			t.Fatalf("kioskd stopped (%v) during the session", err)
		case <-time.After(4 * time.Second):
		}
		if c := n.count("WATCHDOG=1", signalled); c < 2 {
			t.Fatalf("%d watchdog keep-alives in the 4 s after SIGTERM, want at least 2", c)
		}
		if n.count("STOPPING=1", signalled) != 1 {
			t.Fatal("systemd not told the service is stopping")
		}
		k.tap("back")
		k.waitScreen("home", 10*time.Second)
		k.tap("cancel") // 退出: the resident is done
		ended := time.Now()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("kioskd exited with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("kioskd did not stop after the session ended")
		}
		t.Logf("stopped %v after the session ended, %v after SIGTERM", time.Since(ended).Round(10*time.Millisecond), time.Since(signalled).Round(10*time.Millisecond))
		if !strings.Contains(k.log.String(), "how=session-ended") {
			t.Fatal("the log does not say the session ended the drain")
		}
	})

	t.Run("cap", func(t *testing.T) {
		k, cmd, n, exited := drainKiosk(t, kioskd, kioskctl, "5s")
		k.tap("start")
		k.waitScreen("home", 10*time.Second)
		signalled := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-exited:
			t.Fatalf("kioskd stopped (%v) before the cap", err)
		case <-time.After(4 * time.Second):
		}
		if c := n.count("WATCHDOG=1", signalled); c < 2 {
			t.Fatalf("%d watchdog keep-alives while draining, want at least 2", c)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("kioskd exited with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("kioskd did not stop at the cap")
		}
		if el := time.Since(signalled); el < 5*time.Second {
			t.Fatalf("stopped %v after SIGTERM, before the 5s cap", el)
		}
		if !strings.Contains(k.log.String(), "how=grace-passed") {
			t.Fatal("the log does not say the cap ended the drain")
		}
	})

	t.Run("idle", func(t *testing.T) {
		_, cmd, _, exited := drainKiosk(t, kioskd, kioskctl, "2m")
		signalled := time.Now()
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("kioskd exited with %v", err)
			}
			t.Logf("an idle kiosk stopped %v after SIGTERM", time.Since(signalled).Round(10*time.Millisecond))
		case <-time.After(15 * time.Second):
			t.Fatal("an idle kiosk did not stop at once")
		}
	})
}
