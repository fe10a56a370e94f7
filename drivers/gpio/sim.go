package gpio

import (
	"fmt"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
)

// NewSim builds a bank of simulated pins (periph.io gpiotest pins) named as
// in cfg, for the kiosk's simulator mode and tests. Inputs start inactive
// and are driven with SimDrive. An empty cfg gets SimConfig.
func NewSim(cfg Config, opts *Opts) (*Bank, error) {
	if len(cfg.Inputs) == 0 && len(cfg.Outputs) == 0 {
		cfg = SimConfig()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pins := map[string]gpio.PinIO{}
	num := 0
	for _, m := range []map[string]string{cfg.Inputs, cfg.Outputs} {
		for _, name := range sortedKeys(m) {
			pins[name] = &gpiotest.Pin{N: m[name], Num: num, Fn: "GPIO", EdgesChan: make(chan gpio.Level, 16)}
			num++
		}
	}
	return newBank(cfg, pins, opts, true)
}

// SimConfig is a full cabinet on Raspberry Pi style names, with the door
// and help inputs active low as they are usually wired.
func SimConfig() Config {
	return Config{
		Inputs:    map[string]string{Presence: "GPIO17", Door: "GPIO27", Help: "GPIO22"},
		Outputs:   map[string]string{LightRed: "GPIO5", LightGreen: "GPIO6", LightBlue: "GPIO13", PrinterRelay: "GPIO19", IDCardRelay: "GPIO26", Backlight: "GPIO12", SlotLight: "GPIO16", FillLight: "GPIO20"},
		ActiveLow: []string{Door, Help},
	}
}

// SimDrive sets a simulated input's electrical level and injects the edge,
// as a sensor or switch would. With an active-low pin, high is inactive.
func (b *Bank) SimDrive(name string, high bool) error {
	if !b.sim {
		return fmt.Errorf("gpio: drive %s: %w", name, ErrNotSim)
	}
	p, err := b.lookup(name)
	if err != nil {
		return fmt.Errorf("gpio: drive: %w", err)
	}
	if p.dir != In {
		return fmt.Errorf("gpio: drive %s: input pins only", name)
	}
	tp := p.pin.(*gpiotest.Pin)
	l := gpio.Level(high)
	if err := tp.Out(l); err != nil {
		return fmt.Errorf("gpio: drive %s: %w", name, err)
	}
	select {
	case tp.EdgesChan <- l:
	default: // the level is set; the watcher's poll will see it
	}
	return nil
}

// SimActivate drives a simulated input to its logical level (On = active),
// taking ActiveLow into account.
func (b *Bank) SimActivate(name string, on bool) error {
	p, err := b.lookup(name)
	if err != nil {
		return fmt.Errorf("gpio: drive: %w", err)
	}
	return b.SimDrive(name, bool(p.level(on)))
}
