package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// fleetSim is countysim on loopback with a clock the test moves, and a
// backend client for each kiosk.
type fleetSim struct {
	sim     *countysim.Server
	caFile  string
	mu      sync.Mutex
	now     time.Time
	clients map[string]*backend.Client
}

func (f *fleetSim) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fleetSim) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func startFleetSim(t *testing.T, kiosks ...string) *fleetSim {
	t.Helper()
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), kiosks)
	if err != nil {
		t.Fatal(err)
	}
	f := &fleetSim{now: time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC), caFile: pki.CAFile, clients: map[string]*backend.Client{}}
	f.sim, err = countysim.New(&countysim.Opts{Dir: filepath.Join(dir, "sim"), CAFile: pki.CAFile,
		CertFile: pki.ServerCert, KeyFile: pki.ServerKey, OperatorToken: "op-secret", Seed: 1, Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.sim.Close() })
	for _, k := range kiosks {
		cl, err := backend.New(&backend.Opts{BaseURL: f.sim.URL(), KioskID: k, CAFile: pki.CAFile,
			CertFile: pki.Clients[k].CertFile, KeyFile: pki.Clients[k].KeyFile, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cl.Close)
		f.clients[k] = cl
	}
	return f
}

func (f *fleetSim) beat(t *testing.T, hb backend.Heartbeat) {
	t.Helper()
	hb.Time = f.clock()
	if err := f.clients[hb.KioskID].Heartbeat(t.Context(), hb); err != nil {
		t.Fatal(err)
	}
}

func (f *fleetSim) status(t *testing.T, extra ...string) (int, string, string) {
	t.Helper()
	return kioskctl(t, append([]string{"fleet", "status", "--backend", f.sim.URL(), "--ca", f.caFile}, extra...)...)
}

func TestFleetStatus(t *testing.T) {
	f := startFleetSim(t, "cg-01", "cg-02", "lz-01")
	t.Setenv("KIOSK_OPERATOR_TOKEN", "op-secret")
	minute := backend.Seconds(time.Minute)
	f.beat(t, backend.Heartbeat{KioskID: "lz-01", HallID: "liuzhuang", SoftwareVersion: "v1.8.0", CatalogVersion: 42, HeartbeatInterval: minute})
	f.beat(t, backend.Heartbeat{KioskID: "cg-02", HallID: "chengguan", SoftwareVersion: "v1.8.0", CatalogVersion: 42, HeartbeatInterval: minute,
		OutboxDepth: 3, OutboxOldestAge: backend.Seconds(12 * time.Minute),
		Devices: []devices.Status{
			{Name: devices.Printer, Kind: devices.KindPrinter, State: devices.UserError},
			{Name: devices.IDCard, Kind: devices.KindIDCard, State: devices.Online},
		}})
	f.beat(t, backend.Heartbeat{KioskID: "cg-01", HallID: "chengguan", SoftwareVersion: "v1.7.2", CatalogVersion: 41, HeartbeatInterval: minute})

	// All heard from just now: a table by hall, exit 0.
	code, out, errs := f.status(t)
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "大厅") || !strings.Contains(lines[0], "最后心跳") {
		t.Fatalf("table:\n%s", out)
	}
	for i, want := range []string{"chengguan  cg-01", "chengguan  cg-02", "liuzhuang  lz-01"} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("line %d %q, want it to start %q", i+1, lines[i+1], want)
		}
	}
	if !strings.Contains(lines[2], "printer 需处理") || !strings.Contains(lines[2], "12分钟") || !strings.HasSuffix(lines[2], "正常") {
		t.Errorf("cg-02: %q", lines[2])
	}
	// Columns line up on screen: the status column starts at the same
	// display column on every line.
	col := displayWidth(lines[0][:strings.Index(lines[0], "状态")])
	for _, l := range lines[1:4] {
		i := strings.LastIndex(l, "  ")
		if w := displayWidth(l[:i+2]); w != col {
			t.Errorf("status column at %d, header at %d: %q", w, col, l)
		}
	}
	if !strings.HasPrefix(lines[4], "共 3 台，失联 0 台，拒绝清单 0 台（后台时间 2026-03-02 09:30:00；失联：超过 3 个心跳间隔未收到心跳）") {
		t.Errorf("summary: %q", lines[4])
	}

	// Four minutes on only lz-01 has sent another: the other two are stale
	// (3 intervals of 60 s), and the exit status says so.
	f.advance(4 * time.Minute)
	f.beat(t, backend.Heartbeat{KioskID: "lz-01", HallID: "liuzhuang", SoftwareVersion: "v1.8.0", CatalogVersion: 42, HeartbeatInterval: minute})
	code, out, _ = f.status(t, "--json")
	if code != exitFailed {
		t.Fatalf("exit %d with two stale kiosks:\n%s", code, out)
	}
	var st FleetStatus
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Total != 3 || st.Stale != 2 || st.Refused != 0 || st.Kiosks[0].KioskID != "cg-01" || !st.Kiosks[0].Stale ||
		st.Kiosks[0].LastSeenAgeSeconds != 240 || st.Kiosks[0].StaleAfterSeconds != 180 || st.Kiosks[2].Stale {
		t.Fatalf("json: %+v", st)
	}
	// The field names scripts read.
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	k0 := raw["kiosks"].([]any)[1].(map[string]any)
	for _, key := range []string{"kiosk_id", "hall_id", "software_version", "catalog_version", "catalog_stale", "catalog_refused",
		"catalog_rejection", "devices_not_online", "outbox_depth", "outbox_oldest_age_seconds", "payments_unresolved", "door_open",
		"last_seen", "last_seen_age_seconds", "stale_after_seconds", "stale"} {
		if _, ok := k0[key]; !ok {
			t.Errorf("--json has no %s: %v", key, k0)
		}
	}
	if d := k0["devices_not_online"].([]any); len(d) != 1 || d[0].(map[string]any)["name"] != "printer" {
		t.Errorf("devices_not_online: %v", d)
	}

	// --stale moves the line: five minutes lets them be.
	if code, out, _ := f.status(t, "--stale", "5m"); code != exitOK || !strings.Contains(out, "失联 0 台") || !strings.Contains(out, "失联：超过 5m0s未收到心跳") {
		t.Errorf("--stale 5m: exit %d\n%s", code, out)
	}

	// A refused list: exit 1, and why, in the table.
	f.beat(t, backend.Heartbeat{KioskID: "cg-01", HallID: "chengguan", SoftwareVersion: "v1.7.2", CatalogVersion: 41, HeartbeatInterval: minute,
		CatalogRejection: "rollback: version 40 is older than 41"})
	f.beat(t, backend.Heartbeat{KioskID: "cg-02", HallID: "chengguan", SoftwareVersion: "v1.8.0", CatalogVersion: 42, HeartbeatInterval: minute})
	code, out, _ = f.status(t)
	if code != exitFailed || !strings.Contains(out, "拒绝清单：rollback: version 40 is older than 41") || !strings.Contains(out, "失联 0 台，拒绝清单 1 台") {
		t.Fatalf("refused: exit %d\n%s", code, out)
	}

	// A kiosk's own interval counts: 10 s heartbeats are stale after 30 s.
	f.beat(t, backend.Heartbeat{KioskID: "cg-01", HallID: "chengguan", SoftwareVersion: "v1.8.0", CatalogVersion: 42, HeartbeatInterval: backend.Seconds(10 * time.Second)})
	f.advance(40 * time.Second)
	code, out, _ = f.status(t, "--json")
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != exitFailed || st.Stale != 1 || !st.Kiosks[0].Stale || st.Kiosks[0].StaleAfterSeconds != 30 {
		t.Fatalf("10 s interval: exit %d %+v", code, st)
	}
}

func TestFleetStatusFailures(t *testing.T) {
	f := startFleetSim(t, "cg-01")
	t.Setenv("KIOSK_OPERATOR_TOKEN", "")
	// No token: the backend refuses, exit 1, and --json says so on stdout.
	code, out, errs := f.status(t, "--json")
	var je jsonError
	if code != exitFailed || !strings.Contains(errs, "401") || json.Unmarshal([]byte(out), &je) != nil || je.ExitStatus != 1 {
		t.Errorf("no token: exit %d\n%s%s", code, out, errs)
	}
	// The token by flag; an empty fleet is no failure.
	if code, out, errs := f.status(t, "--token", "op-secret"); code != exitOK || !strings.Contains(out, "共 0 台") {
		t.Errorf("empty fleet: exit %d\n%s%s", code, out, errs)
	}
	for _, tc := range []struct {
		args []string
		why  string
	}{
		{[]string{"fleet"}, "say which: status"},
		{[]string{"fleet", "frobnicate"}, `unknown "frobnicate"`},
		{[]string{"fleet", "status"}, "--backend is required"},
		{[]string{"fleet", "status", "--backend", "ftp://x"}, "want an https://"},
		{[]string{"fleet", "status", "--backend", "https://x", "--bogus"}, "-bogus"},
		{[]string{"fleet", "status", "--backend", "https://x", "extra"}, `unexpected argument "extra"`},
		{[]string{"fleet", "status", "--backend", "https://x", "--stale", "-1m"}, "--stale -1m0s"},
		{[]string{"fleet", "status", "--backend", "https://x", "--cert", "c.pem"}, "--cert and --key go together"},
	} {
		code, out, errs := kioskctl(t, tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(strings.SplitN(errs, "\n", 2)[0], tc.why) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 64 and %q", tc.args, code, out, errs, tc.why)
		}
	}
	if code, out, _ := kioskctl(t, "fleet", "status", "--help"); code != exitOK || !strings.Contains(out, "--stale") {
		t.Errorf("--help: %d %s", code, out)
	}
}
