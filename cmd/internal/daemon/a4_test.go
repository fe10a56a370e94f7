package daemon

import (
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups/cupssim"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// TestA4PrinterInStatus: a kiosk configured with an A4 queue reports the
// printer behind the local cupsd as a device of its own, and reports it
// offline, with the rest of the kiosk running, when the printer goes away.
func TestA4PrinterInStatus(t *testing.T) {
	sim := cupssim.StartForTest(t)
	d, ctx, _ := startSim(t, func(c *config.Config) {
		c.A4 = config.A4{Enabled: true, Server: sim.Server(), Queue: sim.Queue(), PollInterval: config.Duration{Duration: 200 * time.Millisecond}}
	})
	waitRegistry(t, d, 20*time.Second, "the A4 printer online", func() bool {
		st, _ := d.reg.Get(devices.A4)
		return st.State == devices.Online
	})
	st := d.Status(ctx)
	var found bool
	for _, s := range st.Devices {
		found = found || s.Name == devices.A4 && s.Kind == devices.KindA4
	}
	if !found {
		t.Fatalf("status has no a4 device: %+v", st.Devices)
	}
	if err := sim.StopPrinter(); err != nil {
		t.Fatal(err)
	}
	waitRegistry(t, d, 20*time.Second, "the A4 printer offline", func() bool {
		st, _ := d.reg.Get(devices.A4)
		return !st.State.Usable()
	})
	if p, _ := d.reg.Get(devices.Printer); p.State != devices.Online {
		t.Fatalf("the receipt printer went %s with the A4 printer", p.State)
	}
}
