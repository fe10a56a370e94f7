package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/session"
)

// kioskctl maintenance on --until 15:30: residents are told when the kiosk
// is back; status shows it; a bad time is a usage error; plain
// `maintenance on` still works.
func TestMaintenanceUntil(t *testing.T) {
	for _, args := range [][]string{{"maintenance", "on", "--until", "soon"}, {"maintenance", "off", "--until", "15:30"}} {
		if code, _, errs := kioskctl(t, args...); code != exitUsage || !strings.Contains(errs, "until") {
			t.Errorf("kioskctl %v: exit %d, %q", args, code, errs)
		}
	}
	d, sock := startSimKiosk(t)
	t.Setenv(socketEnv, sock)
	if code, out, errs := kioskctl(t, "maintenance", "on", "--until", "15:30"); code != 0 || !strings.Contains(out, "15:30") {
		t.Fatalf("maintenance on --until: %d %q %q", code, out, errs)
	}
	_, out, _ := kioskctl(t, "status", "--json")
	var st admin.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil || !st.Maintenance || st.MaintenanceUntil.IsZero() {
		t.Fatalf("status: %v %s", err, out)
	}
	if at := st.MaintenanceUntil.In(admin.CountyTime); at.Hour() != 15 || at.Minute() != 30 {
		t.Fatalf("until %v", at)
	}
	if _, out, _ := kioskctl(t, "status"); !strings.Contains(out, "back by") {
		t.Fatalf("status: %s", out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Host().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if v := d.Host().View().Session; v.Screen != session.ScreenMaintenance || !v.Until.Equal(st.MaintenanceUntil) ||
		!strings.Contains(v.Prompt, "15:30") {
		t.Fatalf("residents see %s: %q", v.Screen, v.Prompt)
	}
	if code, _, _ := kioskctl(t, "maintenance", "off"); code != 0 {
		t.Fatal("maintenance off")
	}
	if code, _, _ := kioskctl(t, "maintenance", "on"); code != 0 {
		t.Fatal("maintenance on without a time")
	}
}
