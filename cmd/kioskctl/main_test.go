package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/internal/daemon"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/minisign"
)

func kioskctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndUnknownCommands(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"power-cycle", "toaster"}, {"maintenance", "maybe"}, {"outbox"}, {"diag"}} {
		if code, _, _ := kioskctl(t, args...); code != exitUsage {
			t.Errorf("kioskctl %v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, _ := kioskctl(t, "help"); code != 0 || !strings.Contains(out, "diag idcard --port PATH") {
		t.Errorf("help: %d %q", code, out)
	}
}

func TestDaemonNotRunningSaysSoAndPointsToDirectDiagnostics(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "admin.sock")
	for _, args := range [][]string{{"status"}, {"diag", "run"}, {"outbox", "ls"}, {"events"}, {"maintenance", "on"}} {
		code, _, errs := kioskctl(t, append(args, "--socket", sock)...)
		if code != exitNotRunning || !strings.Contains(errs, "not running") || !strings.Contains(errs, "diag idcard --port") {
			t.Errorf("kioskctl %v: exit %d, stderr %q", args, code, errs)
		}
	}
}

func startSimKiosk(t *testing.T) (*daemon.Daemon, string) {
	t.Helper()
	cfg := config.Default()
	cfg.State.Dir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	d, err := daemon.New(ctx, daemon.Options{Config: cfg, Sim: true, Version: "test", Logger: slog.New(slog.DiscardHandler), NoSimCUPS: true})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = d.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		d.Close()
	})
	sock := filepath.Join(cfg.State.Dir, "admin.sock")
	// Ask kioskctl again at every change of a device.
	changes, stop := d.Registry().Subscribe(256)
	defer stop()
	deadline := time.After(15 * time.Second)
	for {
		code, out, _ := kioskctl(t, "status", "--json", "--socket", sock)
		if code == 0 {
			var st admin.Status
			if json.Unmarshal([]byte(out), &st) == nil && deviceOnline(st, "idcard") && deviceOnline(st, "printer") {
				break
			}
		}
		select {
		case <-changes:
		case <-deadline:
			t.Fatalf("simulated kiosk not ready: %d %s", code, out)
		}
	}
	return d, sock
}

func deviceOnline(st admin.Status, name string) bool {
	for _, d := range st.Devices {
		if d.Name == name {
			return d.State == "online"
		}
	}
	return false
}

func TestCommandsAgainstSimulatedKiosk(t *testing.T) {
	_, sock := startSimKiosk(t)
	t.Setenv(socketEnv, sock)

	code, out, errs := kioskctl(t, "status")
	if code != 0 || !strings.Contains(out, "simulator mode") || !strings.Contains(out, "416 at kiosks") {
		t.Fatalf("status: %d %s %s", code, out, errs)
	}
	if code, out, _ = kioskctl(t, "diag", "run"); code != 0 || strings.Contains(out, "FAIL") {
		t.Fatalf("diag run on a healthy kiosk: %d\n%s", code, out)
	}
	if code, _, errs = kioskctl(t, "sim", "printer", "cover", "open"); code != 0 {
		t.Fatal(errs)
	}
	code, out, _ = kioskctl(t, "diag", "run", "printer")
	if code != exitFailed || !strings.Contains(out, "FAIL 失败") || !strings.Contains(out, "Remedy:") || !strings.Contains(out, "处理:") {
		t.Fatalf("diag run printer with the cover open: %d\n%s", code, out)
	}
	code, out, _ = kioskctl(t, "diag", "run", "printer", "--json")
	var checks []admin.Check
	if code != exitFailed || json.Unmarshal([]byte(out), &checks) != nil || len(checks) != 1 || checks[0].Pass {
		t.Fatalf("diag run --json: %d %s", code, out)
	}
	if code, _, errs = kioskctl(t, "diag", "run", "toaster"); code != exitFailed || !strings.Contains(errs, "toaster") {
		t.Fatalf("unknown device: %d %s", code, errs)
	}
	if code, out, _ = kioskctl(t, "sim", "card", "fixtures"); code != 0 || !strings.Contains(out, "han") {
		t.Fatalf("fixtures: %s", out)
	}
	if code, _, errs = kioskctl(t, "sim", "card", "place", "nobody"); code != exitFailed || !strings.Contains(errs, "nobody") {
		t.Fatalf("unknown fixture: %d %s", code, errs)
	}
	if code, out, _ = kioskctl(t, "gpio", "ls", "--json"); code != 0 || !strings.Contains(out, "printer_relay") {
		t.Fatalf("gpio ls: %s", out)
	}
	if code, out, errs = kioskctl(t, "diag", "gpio", "--json", "--set", "backlight=off"); code != 0 || !strings.Contains(out, "backlight") {
		t.Fatalf("diag gpio through the daemon: %d %s %s", code, out, errs)
	}
	if code, _, _ = kioskctl(t, "maintenance", "on"); code != 0 {
		t.Fatal("maintenance on")
	}
	if _, out, _ = kioskctl(t, "status", "--json"); !strings.Contains(out, `"maintenance": true`) {
		t.Fatalf("maintenance not in status: %s", out)
	}
	if code, out, _ = kioskctl(t, "events", "-n", "100"); code != 0 || !strings.Contains(out, "maintenance true") {
		t.Fatalf("events: %s", out)
	}
	if code, out, _ = kioskctl(t, "outbox", "ls", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("outbox ls: %d %q", code, out)
	}
}

func TestCatalogInstallThroughDaemon(t *testing.T) {
	d, sock := startSimKiosk(t)
	t.Setenv(socketEnv, sock)
	state := filepath.Dir(sock)
	keyData, err := os.ReadFile(filepath.Join(state, "catalog-dev.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := minisign.ParsePrivateKey(keyData)
	if err != nil {
		t.Fatal(err)
	}
	active := d.Status(context.Background()).Catalog.Version
	newer := regexp.MustCompile(`"version":\s*\d+`).ReplaceAll(catalog.DefaultJSON(), []byte(`"version": `+itoa(active+1)))
	file := filepath.Join(t.TempDir(), "catalog.json")
	write := func(data []byte, sigOver []byte) {
		sig, err := minisign.Sign(key, sigOver, "", "catalog")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(file, data, 0o644)
		os.WriteFile(file+".minisig", sig.Encode(), 0o644)
	}
	// Tampered: the signature covers other bytes.
	write(newer, catalog.DefaultJSON())
	if code, _, errs := kioskctl(t, "catalog", "install", file); code != exitFailed || errs == "" {
		t.Fatalf("tampered catalog accepted: %d", code)
	}
	if v := d.Status(context.Background()).Catalog.Version; v != active {
		t.Fatalf("active catalog changed by a rejected one: %d", v)
	}
	// Properly signed and newer: accepted and applied between sessions.
	// The daemon records "service list applied" in its event log: look
	// again at every event.
	events, stop := d.EventLog().Follow()
	defer stop()
	write(newer, newer)
	code, out, errs := kioskctl(t, "catalog", "install", file)
	if code != 0 || !strings.Contains(out, "accepted") {
		t.Fatalf("install: %d %s %s", code, out, errs)
	}
	deadline := time.After(10 * time.Second)
	for d.Status(context.Background()).Catalog.Version != active+1 {
		select {
		case <-events:
		case <-deadline:
			t.Fatalf("new catalog not applied: %+v", d.Status(context.Background()).Catalog)
		}
	}
	// The same list again (as operations re-sign it to widen a rollout)
	// changes nothing and is no error, so an install script can be re-run.
	if code, _, errs = kioskctl(t, "catalog", "install", file); code != exitOK {
		t.Fatalf("the active list installed again: %d %s", code, errs)
	}
	if v := d.Status(context.Background()).Catalog.Version; v != active+1 {
		t.Fatalf("version after a re-install: %d", v)
	}
	// The same version with other content, and an older version, are
	// rollbacks: refused, saying why.
	other := regexp.MustCompile(`"hotline":\s*"[^"]*"`).ReplaceAll(newer, []byte(`"hotline": "0371-99999999"`))
	older := regexp.MustCompile(`"version":\s*\d+`).ReplaceAll(catalog.DefaultJSON(), []byte(`"version": `+itoa(active)))
	for name, data := range map[string][]byte{"same version, other content": other, "older version": older} {
		write(data, data)
		if code, _, errs = kioskctl(t, "catalog", "install", file); code != exitFailed || !strings.Contains(strings.ToLower(errs), "version") {
			t.Fatalf("%s accepted: %d %s", name, code, errs)
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestPINHash(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"pin-hash"}, strings.NewReader("135792\n"), &out, &errb); code != 0 || !strings.Contains(out.String(), "$2a$") {
		t.Fatalf("pin-hash: %d %s %s", code, out.String(), errb.String())
	}
	if code := run(context.Background(), []string{"pin-hash"}, strings.NewReader("12\n"), &out, &errb); code != exitUsage {
		t.Fatal("a two-digit PIN was accepted")
	}
}

func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "admin.sock")
	for _, args := range [][]string{
		{"--socket", sock, "status"},
		{"--socket=" + sock, "--json", "sim", "card", "place", "han"},
		{"--json", "--socket", sock, "outbox", "ls"},
	} {
		code, _, errs := kioskctl(t, args...)
		if code != exitNotRunning || !strings.Contains(errs, sock) {
			t.Errorf("kioskctl %v: exit %d, stderr %q (want the socket given before the command used)", args, code, errs)
		}
	}
}
