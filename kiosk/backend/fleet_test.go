package backend_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/devices"
)

func TestFleetView(t *testing.T) {
	e := newEnv(t, countysim.Faults{})
	ctx := context.Background()
	now := time.Now()
	hb := backend.Heartbeat{KioskID: kiosk, HallID: "chengguan", SoftwareVersion: "v1.8.0", CatalogVersion: 42,
		CatalogRejection: "signature: no trusted key", OutboxDepth: 2, OutboxOldestAge: backend.Seconds(310 * time.Second),
		HeartbeatInterval: backend.Seconds(time.Minute), Time: now,
		Devices: []devices.Status{
			{Name: devices.IDCard, Kind: devices.KindIDCard, State: devices.Online, Since: now},
			{Name: devices.Printer, Kind: devices.KindPrinter, State: devices.UserError, Since: now, Detail: map[string]string{"paper": "out"}},
			{Name: devices.A4, Kind: devices.KindA4, State: devices.Busy, Since: now},
		}}
	if err := e.cl.Heartbeat(ctx, hb); err != nil {
		t.Fatal(err)
	}
	other, err := backend.New(&backend.Opts{BaseURL: e.sim.URL(), KioskID: "ZM-OTHER", CAFile: e.pki.CAFile,
		CertFile: e.pki.Clients["ZM-OTHER"].CertFile, KeyFile: e.pki.Clients["ZM-OTHER"].KeyFile, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// A kiosk of an older build: no heartbeat_interval.
	if err := other.Heartbeat(ctx, backend.Heartbeat{KioskID: "ZM-OTHER", HallID: "anzhuang", SoftwareVersion: "v1.7.2", CatalogVersion: 41, Time: now}); err != nil {
		t.Fatal(err)
	}

	op := backend.OperatorOpts{BaseURL: e.sim.URL(), Token: "op-secret", CAFile: e.pki.CAFile, Timeout: 5 * time.Second}
	f, err := backend.FetchFleet(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(f.Time) > time.Minute || len(f.Kiosks) != 2 {
		t.Fatalf("fleet: %+v", f)
	}
	// Sorted by hall: anzhuang before chengguan.
	if f.Kiosks[0].KioskID != "ZM-OTHER" || f.Kiosks[1].KioskID != kiosk {
		t.Fatalf("order: %s, %s", f.Kiosks[0].KioskID, f.Kiosks[1].KioskID)
	}
	k := f.Kiosks[1]
	want := backend.FleetKiosk{KioskID: kiosk, HallID: "chengguan", SoftwareVersion: "v1.8.0", CatalogVersion: 42,
		CatalogRejection: "signature: no trusted key", OutboxDepth: 2, OutboxOldestAge: backend.Seconds(310 * time.Second),
		HeartbeatInterval: backend.Seconds(time.Minute),
		DevicesNotOnline:  []backend.FleetDevice{{Name: devices.Printer, State: devices.UserError}}}
	k.LastSeen = time.Time{}
	if kj, wj := mustJSON(t, k), mustJSON(t, want); kj != wj {
		t.Errorf("kiosk:\n got %s\nwant %s", kj, wj)
	}
	if o := f.Kiosks[0]; o.HeartbeatInterval != 0 || len(o.DevicesNotOnline) != 0 || o.DevicesNotOnline == nil || o.LastSeen.IsZero() {
		t.Errorf("older kiosk: %+v", o)
	}

	// What countysim serves is what the contract says.
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal([]byte(mustJSON(t, f)), &v); err != nil {
		t.Fatal(err)
	}
	if err := doc.Components.Schemas["Fleet"].Value.VisitJSON(v); err != nil {
		t.Errorf("the fleet view does not match the contract's Fleet: %v", err)
	}
	if doc.Paths.Find("/v1/fleet") == nil {
		t.Error("the contract lacks /v1/fleet")
	}

	// Operators only.
	for _, tok := range []string{"", "kiosk-guess"} {
		op.Token = tok
		_, err := backend.FetchFleet(ctx, op)
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("token %q: %v, want 401", tok, err)
		}
	}
	// An unreachable backend is told as such.
	op.Token, op.BaseURL = "op-secret", "https://127.0.0.1:1"
	if _, err := backend.FetchFleet(ctx, op); !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("unreachable: %v", err)
	}
	op.BaseURL = "ftp://x"
	if _, err := backend.FetchFleet(ctx, op); err == nil {
		t.Error("ftp:// accepted")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeFleet(t *testing.T) {
	for _, c := range []struct {
		name, body, err string
	}{
		{"empty fleet", `{"time":"2026-03-02T09:30:00Z","kiosks":[]}`, ""},
		{"one kiosk", `{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"a","last_seen":"2026-03-02T09:29:00Z","devices_not_online":[{"name":"printer","state":"offline"}],"new_member":1}]}`, ""},
		{"no time", `{"kiosks":[]}`, "no time"},
		{"no kiosks", `{"time":"2026-03-02T09:30:00Z"}`, "no kiosks"},
		{"no id", `{"time":"2026-03-02T09:30:00Z","kiosks":[{"last_seen":"2026-03-02T09:29:00Z"}]}`, "no kiosk_id"},
		{"never seen", `{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"a"}]}`, "no last_seen"},
		{"negative", `{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"a","last_seen":"2026-03-02T09:29:00Z","outbox_depth":-1}]}`, "negative"},
		{"negative age", `{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"a","last_seen":"2026-03-02T09:29:00Z","outbox_oldest_age":-5}]}`, "bad seconds"},
		{"unnamed device", `{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"a","last_seen":"2026-03-02T09:29:00Z","devices_not_online":[{"state":"offline"}]}]}`, "no name"},
		{"trailing", `{"time":"2026-03-02T09:30:00Z","kiosks":[]} {}`, "after the view"},
		{"not JSON", `<html>`, "invalid character"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := backend.DecodeFleet([]byte(c.body))
			switch {
			case c.err == "" && err != nil:
				t.Fatal(err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("err %v, want %q", err, c.err)
			case c.err == "":
				for _, k := range f.Kiosks {
					if k.DevicesNotOnline == nil {
						t.Errorf("%s: devices_not_online nil", k.KioskID)
					}
				}
			}
		})
	}
}
