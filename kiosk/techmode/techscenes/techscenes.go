// Package techscenes builds every technician screen from a real
// techmode.Machine fed with a canned kiosk (a printer out of paper, a
// parked transaction, a masked card read): for layout tests, golden
// screenshots and reviews.
package techscenes

import (
	"context"
	"errors"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/techauth"
	"github.com/henan-county/kiosk/kiosk/techmode"
)

// Scene is one screen.
type Scene struct {
	Name string
	View techmode.View
}

// At is the canned kiosk's clock.
var At = time.Date(2026, 11, 27, 3, 12, 0, 0, time.UTC)

// Kiosk is a canned Technician. Its PIN is 246810; any other PIN is
// wrong with 2 attempts left.
type Kiosk struct{ log *eventlog.Log }

// NewKiosk returns the canned kiosk.
func NewKiosk() *Kiosk {
	l := eventlog.New(64, func() time.Time { return At })
	l.Add("device", "printer", "paper out", nil)
	l.Add("outbox", "outbox", "tx-20261127-0007 parked after 9 attempts", nil)
	l.Add("session", "ui", "session ended: completed", nil)
	return &Kiosk{log: l}
}

// CheckPIN implements techmode.Technician.
func (k *Kiosk) CheckPIN(pin string) error {
	if pin == "246810" {
		return nil
	}
	return errors.Join(techauth.ErrWrongPIN, errors.New("(2 of 5 attempts left)"))
}

// Status implements techmode.Technician.
func (k *Kiosk) Status(context.Context) admin.Status {
	return admin.Status{KioskID: "ZM-K07", Hall: "中牟县24小时自助服务厅", Version: "1.4.2", UptimeSec: 3*3600 + 720,
		StartedAt: At.Add(-3*time.Hour - 12*time.Minute), Screen: "maintenance",
		Devices: []devices.Status{
			{Name: "idcard", Kind: devices.KindIDCard, State: devices.Online, Detail: map[string]string{"media": "absent"},
				Counters: map[string]uint64{"reads": 41, "errors": 0, "reconnects": 1}, Since: At.Add(-3 * time.Hour)},
			{Name: "printer", Kind: devices.KindPrinter, State: devices.UserError, Detail: map[string]string{"paper": "out", "cover": "closed"},
				Counters: map[string]uint64{"prints": 37, "errors": 2}, LastError: "paper out", LastErrorAt: At.Add(-8 * time.Minute)},
			{Name: "gpio", Kind: devices.KindGPIO, State: devices.Online, Detail: map[string]string{"cabinetDoor": "closed"}},
			{Name: "backend", Kind: devices.KindBackend, State: devices.Online},
		},
		Catalog: admin.CatalogInfo{Version: 42, Hash: "9f2c1e7ab3d4c5e6f708192a3b4c5d6e", IssuedAt: At.Add(-48 * time.Hour),
			ExpiresAt: At.Add(28 * 24 * time.Hour), Services: 36, Source: "store",
			LastRejection: "2026-11-26T02:00:00Z v43: signature does not verify"},
		Outbox:  admin.OutboxInfo{Depth: 2, Parked: 1, OldestAgeSec: 5400},
		Backend: admin.BackendInfo{URL: "https://zwfw.zhongmu.example/kiosk/v1", Reachable: true, LastContact: At.Add(-20 * time.Second)},
	}
}

// SelfTest implements techmode.Technician.
func (k *Kiosk) SelfTest(_ context.Context, d string) ([]admin.Check, error) {
	all := []admin.Check{
		{Device: "idcard", Name: "SAM module (ok)", Pass: true, Detail: "dev/idcard at 115200 baud; SAM 05.01-20231201 ok"},
		{Device: "printer", Name: "status", Pass: false, Detail: "paper out", Remedy: "打开打印机盖，装入新的热敏纸卷", RemedyEN: "open the cover and load a new thermal roll"},
		{Device: "backend", Name: "heartbeat", Pass: true, Detail: "answered in 84 ms"},
	}
	if d == "" {
		return all, nil
	}
	var out []admin.Check
	for _, c := range all {
		if c.Device == d {
			out = append(out, c)
		}
	}
	return out, nil
}

// TestPrint implements techmode.Technician.
func (k *Kiosk) TestPrint(context.Context) error { return errors.New("escpos: paper out") }

// CardReadTest implements techmode.Technician.
func (k *Kiosk) CardReadTest(context.Context, time.Duration) (admin.CardRead, error) {
	return admin.CardRead{Type: "resident", Name: "韩*", IDNumber: "410122********1234", IDNumberValid: true, ValidTo: "2036-05-01"}, nil
}

// GPIOList implements techmode.Technician.
func (k *Kiosk) GPIOList(context.Context) ([]admin.Pin, error) {
	return []admin.Pin{
		{Name: "printer_power", BoardName: "GPIO17", Direction: "out", On: true},
		{Name: "idcard_power", BoardName: "GPIO27", Direction: "out", On: true},
		{Name: "light_green", BoardName: "GPIO22", Direction: "out", On: false},
		{Name: "door", BoardName: "GPIO5", Direction: "in", On: false},
		{Name: "help_button", BoardName: "GPIO6", Direction: "in", On: false},
	}, nil
}

// GPIOSet implements techmode.Technician.
func (k *Kiosk) GPIOSet(context.Context, string, bool) error { return nil }

// OutboxList implements techmode.Technician.
func (k *Kiosk) OutboxList(context.Context) ([]admin.OutboxItem, error) {
	return []admin.OutboxItem{
		{ID: "tx-20261127-0007", Service: "ss-record", State: "parked", Attempts: 9, LastError: "backend 422: id_number invalid", Created: At.Add(-90 * time.Minute)},
		{ID: "tx-20261127-0011", Service: "medical-claim", State: "pending", Attempts: 1, Created: At.Add(-2 * time.Minute), TrackingNo: "ZM2611270011"},
	}, nil
}

// OutboxRetry implements techmode.Technician.
func (k *Kiosk) OutboxRetry(context.Context, string) (int, error) { return 1, nil }

// Events implements techmode.Technician.
func (k *Kiosk) Events() *eventlog.Log { return k.log }

// Drive feeds ev and runs every request synchronously, feeding the
// answers back, as the UI does in goroutines.
func Drive(m *techmode.Machine, t techmode.Technician, ev techmode.Event) {
	q := m.Handle(ev)
	for len(q) > 0 {
		r := q[0]
		q = q[1:]
		q = append(q, m.Handle(techmode.Run(context.Background(), t, r))...)
	}
}

// All returns every technician screen.
func All() []Scene {
	now := At
	clock := func() time.Time { return now }
	k := NewKiosk()
	var out []Scene
	m := techmode.New(&techmode.Opts{Now: clock})
	shot := func(name string) { out = append(out, Scene{Name: "tech_" + name, View: m.View()}) }

	Drive(m, k, techmode.Open{})
	for _, d := range []byte("135") {
		Drive(m, k, techmode.Digit{D: d})
	}
	shot("pin")
	Drive(m, k, techmode.Digit{D: '7'})
	Drive(m, k, techmode.Enter{})
	shot("pin_wrong")
	for _, d := range []byte("246810") {
		Drive(m, k, techmode.Digit{D: d})
	}
	Drive(m, k, techmode.Enter{})
	shot("menu")
	steps := []struct {
		name string
		to   techmode.Screen
		act  techmode.Event
	}{
		{"devices", techmode.ScreenDevices, nil},
		{"selftest", techmode.ScreenSelfTest, techmode.RunSelfTest{}},
		{"print", techmode.ScreenPrint, techmode.StartTestPrint{}},
		{"cardread", techmode.ScreenCardRead, techmode.StartCardRead{}},
		{"gpio", techmode.ScreenGPIO, nil},
		{"backend", techmode.ScreenBackend, techmode.RunSelfTest{Device: "backend"}},
		{"outbox", techmode.ScreenOutbox, nil},
		{"catalog", techmode.ScreenCatalog, nil},
		{"events", techmode.ScreenEvents, nil},
	}
	for _, s := range steps {
		Drive(m, k, techmode.Go{To: s.to})
		if s.act != nil {
			Drive(m, k, s.act)
		}
		shot(s.name)
	}
	// The last seconds before the idle timeout show a countdown.
	now = now.Add(100 * time.Second)
	Drive(m, k, techmode.Tick{})
	shot("events_closing")
	return out
}
