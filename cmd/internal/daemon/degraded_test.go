package daemon

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/logging"
	"github.com/henan-county/kiosk/kiosk/session"
)

// TestRealConfigWithNothingAttached starts the daemon as on a kiosk whose
// devices are all missing and whose backend is unreachable: it must come
// up, say which setting or device is at fault, keep the admin API
// answering, and show residents a calm out-of-service screen.
func TestRealConfigWithNothingAttached(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	cfg.State.Dir = dir
	cfg.IDCard.Port = filepath.Join(dir, "no-reader")
	cfg.Printer.Port = filepath.Join(dir, "no-printer")
	cfg.GPIO.Enabled = true
	cfg.GPIO.Inputs = map[string]string{"door": "GPIO_DOES_NOT_EXIST"}
	cfg.Backend.URL = "https://127.0.0.1:1"
	cfg.Backend.Timeout = config.Duration{Duration: time.Second}
	cfg.Catalog.TrustedKeys = []string{filepath.Join(dir, "missing.pub")}
	cfg.Admin.Socket = filepath.Join(dir, "admin.sock")
	cfg.Metrics.Listen = "127.0.0.1:0"

	var logs syncBuf
	log := slog.New(logging.New(slog.NewTextHandler(&logs, nil), nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := New(ctx, Options{Config: cfg, Version: "test", Logger: log})
	if err != nil {
		t.Fatalf("a kiosk with nothing attached must still start: %v", err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = d.Run(ctx) }()
	defer func() { cancel(); <-done; d.Close() }()

	waitRegistry(t, d, 10*time.Second, "reader and printer offline", func() bool {
		a, _ := d.reg.Get(devices.IDCard)
		b, _ := d.reg.Get(devices.Printer)
		return a.State == devices.Offline && b.State == devices.Offline
	})
	cl := admin.NewClient(cfg.Admin.Socket)
	var st admin.Status
	if err := getStatus(ctx, cl, &st); err != nil {
		t.Fatal(err)
	}
	if state(st, devices.GPIO) != devices.NoDevice {
		t.Errorf("gpio: %+v", st.Devices)
	}
	if st.Catalog.AtKiosks != 416 {
		t.Errorf("the embedded service list must serve: %+v", st.Catalog)
	}
	for _, want := range []string{"no-reader", "no-printer", "catalog.trusted_keys", "[gpio]"} {
		if !strings.Contains(logs.String()+deviceErrors(st), want) {
			t.Errorf("nothing names %q:\n%s", want, logs.String())
		}
	}
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	// The kiosk is configured with a card reader and a receipt printer
	// (both offline here) and no A4 printer: a query needing the card
	// offers itself as unavailable now; a proof printed on A4 is shown
	// with where it can be done.
	s.do(session.ChooseService{ID: "sb-jfjl-cx"})
	v := s.waitScreen(session.ScreenGuide, 5*time.Second)
	if v.Guide == nil || v.Guide.Available {
		t.Fatalf("a matter needing the card reader offers itself with it offline: %+v", v.Guide)
	}
	s.do(session.Back{}, session.ChooseService{ID: "sb-jfjl-print"})
	if v := s.waitScreen(session.ScreenElsewhere, 5*time.Second); v.Elsewhere == nil || !strings.Contains(v.Elsewhere.Why, "A4") {
		t.Fatalf("a print matter on a kiosk without an A4 printer: %+v", v.Elsewhere)
	}
}

func state(st admin.Status, name string) devices.State {
	for _, d := range st.Devices {
		if d.Name == name {
			return d.State
		}
	}
	return ""
}

func deviceErrors(st admin.Status) string {
	var b strings.Builder
	for _, d := range st.Devices {
		b.WriteString(d.Name + ": " + d.LastError + "\n")
	}
	return b.String()
}
