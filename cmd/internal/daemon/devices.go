package daemon

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/jobstore"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/session"
)

func (d *Daemon) openGPIO() {
	dev := d.reg.Add(devices.GPIO, devices.KindGPIO)
	opts := &gpio.Opts{Logger: d.log.With("device", devices.GPIO), Device: dev, Now: d.now}
	var (
		b   *gpio.Bank
		err error
	)
	switch {
	case d.sim != nil:
		b, err = gpio.NewSim(gpio.SimConfig(), opts)
		if err == nil {
			d.sim.bank = b
		}
	case !d.cfg.GPIO.Enabled:
		dev.SetState(devices.NoDevice, nil)
		return
	default:
		b, err = gpio.Open(gpio.Config{
			Inputs: d.cfg.GPIO.Inputs, Outputs: d.cfg.GPIO.Outputs, ActiveLow: d.cfg.GPIO.ActiveLow,
			Debounce: d.cfg.GPIO.Debounce.Duration,
		}, opts)
	}
	if err != nil {
		d.log.Warn("gpio unavailable; the kiosk runs without sensors, lights and relays", "setting", "[gpio]", "err", err)
		dev.SetState(devices.NoDevice, err)
		return
	}
	d.bank = b
}

// powerCycler returns the relay power-cycle for a device, or nil when
// there is no GPIO bank or no relay for it.
func (d *Daemon) powerCycler(device string) func(context.Context) error {
	if d.bank == nil {
		return nil
	}
	if _, ok := gpio.RelayFor(device); !ok {
		return nil
	}
	return func(ctx context.Context) error {
		d.events.Add("device", device, "automatic power cycle after repeated failures", nil)
		return d.bank.AutoPowerCycle(ctx, device)
	}
}

// openA4 connects the A4 printer's CUPS queue when the config has one.
// cupsd or the printer being away is the device's state, not an error:
// the rest of the kiosk runs regardless.
func (d *Daemon) openA4() {
	if !d.cfg.A4.Enabled {
		return
	}
	dev := d.reg.Add(devices.A4, devices.KindA4)
	d.a4 = cups.New(&cups.Opts{
		Server: d.cfg.A4.Server, Queue: d.cfg.A4.Queue, PollEvery: d.cfg.A4.PollInterval.Duration,
		Logger: d.log, Device: dev, Now: d.now,
	})
}

func (d *Daemon) openIDCard() {
	dev := d.reg.Add(devices.IDCard, devices.KindIDCard)
	if !d.cfg.IDCard.Enabled || d.cfg.IDCard.Port == "" {
		dev.SetState(devices.NoDevice, errors.New("idcard.enabled is off or idcard.port is empty"))
		return
	}
	d.reader = idcard.NewReader(&idcard.Opts{
		Path:         d.cfg.IDCard.Port,
		Baud:         d.cfg.IDCard.Baud,
		PollInterval: d.cfg.IDCard.PollInterval.Duration,
		// Validated with the configuration: an unknown word cannot reach here.
		FindAfterRead: findAfterRead(d.cfg.IDCard.FindAfterRead),
		Logger:        d.log, // the reader names itself (device, port)
		Device:        dev,
		PowerCycle:    d.powerCycler(devices.IDCard),
		Now:           d.now,
	})
}

// printerFlow is the configuration's flow control for the printer;
// Validate has refused any other word.
func printerFlow(s string) serialport.Flow {
	f, err := serialport.ParseFlow(s)
	if err != nil {
		return serialport.FlowNone
	}
	return f
}

// findAfterRead is the configuration's word as the reader's setting; one
// Validate refused is taken as auto.
func findAfterRead(s string) idcard.FindAfterRead {
	f, err := idcard.ParseFindAfterRead(s)
	if err != nil {
		return idcard.FindAuto
	}
	return f
}

func (d *Daemon) openPrinter() {
	dev := d.reg.Add(devices.Printer, devices.KindPrinter)
	if !d.cfg.Printer.Enabled || d.cfg.Printer.Port == "" {
		dev.SetState(devices.NoDevice, errors.New("printer.enabled is off or printer.port is empty"))
		return
	}
	// The receipts kept for a reprint live on disk, sealed under the
	// outbox's key: a restart loses none. Without the store (no key) they
	// are kept in memory only, and the log says why.
	var jobs *jobstore.Store
	if key, err := outbox.LoadOrCreateKey(d.outboxKeyFile()); err != nil {
		d.log.Error("receipt jobs kept in memory only", "err", err)
	} else {
		jobs, err = jobstore.Open(filepath.Join(d.cfg.State.Dir, "receipts"), key)
		clear(key)
		if err != nil {
			d.log.Error("receipt jobs kept in memory only", "err", err)
		}
	}
	prof := escpos.Profile80
	if d.cfg.Printer.Dots == 384 {
		prof = escpos.Profile58
	}
	prof.Dots = d.cfg.Printer.Dots
	prof.NativeQR = d.cfg.Printer.NativeQR
	if d.cfg.Printer.ChineseMode == "gbk" {
		prof.ChineseMode = escpos.PlainGBK
	}
	// Characters the printer's font lacks (outside GBK: rare characters
	// in names) are drawn with the kiosk's own CJK font.
	if face, ok := escpos.LoadFace(escpos.DefaultFont); ok {
		prof.Face = face
	} else {
		d.log.Warn("no CJK font for characters outside GBK: they print as □", "font", escpos.DefaultFont)
	}
	d.printer = escpos.NewPrinter(&escpos.Opts{
		Path:       d.cfg.Printer.Port,
		Baud:       d.cfg.Printer.Baud,
		Profile:    prof,
		Flow:       printerFlow(d.cfg.Printer.Flow()),
		USBLP:      d.cfg.Printer.Transport == "usblp", // "": by the port's path
		Logger:     d.log,                              // the printer names itself (device, port)
		Device:     dev,
		PowerCycle: d.powerCycler(devices.Printer),
		Now:        d.now,
		PollEvery:  d.cfg.Printer.PollInterval.Duration,
		Store:      jobs,
		KeepFor:    d.cfg.Printer.Retention.Duration,
	})
}

// watchDevices turns device changes into events for technicians and a
// DevicesChanged for the resident's screens.
func (d *Daemon) watchDevices(ctx context.Context) error {
	ch, stop := d.reg.Subscribe(64)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case c, ok := <-ch:
			if !ok {
				return nil
			}
			f := map[string]string{}
			if c.State != "" {
				f["state"] = string(c.State)
			}
			for k, v := range c.Detail {
				f[k] = v
			}
			text := "changed"
			if c.State != "" {
				text = "now " + string(c.State)
			}
			if c.LastError != "" {
				text += ": " + c.LastError
			}
			d.events.Add("device", c.Name, text, f)
			if c.State != "" {
				d.postEvent(session.DevicesChanged{})
				d.metrics.deviceChanged()
			}
		}
	}
}

func (d *Daemon) readerEvents(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-d.reader.Events():
			if !ok {
				return nil
			}
			switch ev.Kind {
			case idcard.CardPresent:
				d.metrics.cardReads.Inc()
				d.log.Info("card read", "type", string(ev.Card.Type), "id", mask.ID(ev.Card.IDNumber), "valid", ev.Card.IDNumberValid)
				d.postEvent(session.CardPresent{Card: ev.Card})
			case idcard.CardRemoved:
				d.postEvent(session.CardRemoved{})
			case idcard.ReadFailed:
				d.log.Warn("card could not be read", "err", ev.Err)
				d.events.Add("device", devices.IDCard, "card could not be read: "+errText(ev.Err), nil)
			case idcard.Fault, idcard.Recovered:
				d.postEvent(session.DevicesChanged{})
			}
		}
	}
}

func (d *Daemon) gpioEvents(ctx context.Context) error {
	for ev := range d.bank.Watch(ctx) {
		switch ev.Name {
		case gpio.Presence:
			if ev.On {
				d.postEvent(session.Presence{})
			}
		case gpio.Help:
			if ev.On {
				d.events.Add("gpio", gpio.Help, "help button pressed", nil)
				d.postEvent(session.HelpButton{})
			}
		case gpio.Door:
			d.mu.Lock()
			d.doorOpen = ev.On
			d.mu.Unlock()
			if ev.On {
				d.log.Warn("cabinet door opened")
				d.events.Add("gpio", gpio.Door, "cabinet door OPEN (tamper alarm)", nil)
			} else {
				d.events.Add("gpio", gpio.Door, "cabinet door closed", nil)
			}
			d.postEvent(host.DoorChanged{Open: ev.On})
			d.metrics.doorOpen(ev.On)
		}
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
