package gpio

import (
	"fmt"
	"sort"
	"time"

	"github.com/henan-county/kiosk/drivers/powercycle"
)

// Logical pin names the kiosk knows. Others may be configured too; they are
// listed, read and set like these but have no special meaning.
const (
	Presence     = "presence"      // input: someone stands at the kiosk
	Door         = "door"          // input: cabinet door open (On = open)
	Help         = "help"          // input: help button pressed
	LightRed     = "light_red"     // output: status light, red channel
	LightGreen   = "light_green"   // output: status light, green channel
	LightBlue    = "light_blue"    // output: status light, blue channel
	Light        = "light"         // output: single-colour status light
	PrinterRelay = "printer_relay" // output: On = printer powered
	IDCardRelay  = "idcard_relay"  // output: On = card reader powered
	Backlight    = "backlight"     // output: On = screen backlight enabled
	SlotLight    = "slot_light"    // output: On = light over the A4 output slot (pages wait there)
	FillLight    = "fill_light"    // output: On = the camera's fill light (a face being verified)
)

// Config maps logical pins to board GPIO names. It is meant to be embedded in
// the daemon's TOML configuration:
//
//	[gpio]
//	debounce = "30ms"
//	active_low = ["door", "help"]
//	[gpio.inputs]
//	presence = "GPIO17"
//	door = "GPIO27"
//	help = "GPIO22"
//	[gpio.outputs]
//	light_red = "GPIO5"
//	light_green = "GPIO6"
//	light_blue = "GPIO13"
//	printer_relay = "GPIO19"
//	idcard_relay = "GPIO26"
//	backlight = "GPIO12"
//	slot_light = "GPIO16"
//	fill_light = "GPIO20"
type Config struct {
	Inputs  map[string]string `toml:"inputs" json:"inputs"`   // logical name → board name
	Outputs map[string]string `toml:"outputs" json:"outputs"` // logical name → board name
	// ActiveLow lists the logical pins whose active state is a low level.
	// Active-low inputs get the internal pull-up, others the pull-down.
	ActiveLow []string `toml:"active_low" json:"active_low,omitempty"`
	// Debounce is how long an input must hold a new level before it
	// counts. Zero means DefaultDebounce; negative disables debouncing.
	Debounce time.Duration `toml:"debounce" json:"debounce,omitempty"`
	// RelayOff is how long PowerCycle keeps a relay off (0: DefaultRelayOff).
	RelayOff time.Duration `toml:"relay_off" json:"relay_off,omitempty"`
	// CycleLimit and CycleWindow bound automatic power cycles per device
	// (0: DefaultCycleLimit per DefaultCycleWindow).
	CycleLimit  int           `toml:"cycle_limit" json:"cycle_limit,omitempty"`
	CycleWindow time.Duration `toml:"cycle_window" json:"cycle_window,omitempty"`
}

// Defaults for the zero values in Config.
const (
	DefaultDebounce    = 30 * time.Millisecond
	DefaultRelayOff    = 3 * time.Second
	DefaultCycleLimit  = powercycle.DefaultLimit // the one rule for every device
	DefaultCycleWindow = powercycle.DefaultWindow
)

func (c Config) debounce() time.Duration {
	switch {
	case c.Debounce == 0:
		return DefaultDebounce
	case c.Debounce < 0:
		return 0
	}
	return c.Debounce
}

func (c Config) relayOff() time.Duration {
	if c.RelayOff <= 0 {
		return DefaultRelayOff
	}
	return c.RelayOff
}

func (c Config) cycleLimit() (int, time.Duration) {
	n, w := c.CycleLimit, c.CycleWindow
	if n <= 0 {
		n = DefaultCycleLimit
	}
	if w <= 0 {
		w = DefaultCycleWindow
	}
	return n, w
}

// Validate checks that every logical name is used once, that board names
// are given, and that active_low names configured pins.
func (c Config) Validate() error {
	seen := map[string]bool{}
	for _, m := range []map[string]string{c.Inputs, c.Outputs} {
		for name, board := range m {
			if name == "" || board == "" {
				return fmt.Errorf("gpio: config: %w: pin %q has board name %q", ErrConfig, name, board)
			}
			if seen[name] {
				return fmt.Errorf("gpio: config: %w: %q is both an input and an output", ErrConfig, name)
			}
			seen[name] = true
		}
	}
	for _, name := range c.ActiveLow {
		if !seen[name] {
			return fmt.Errorf("gpio: config: %w: active_low names unknown pin %q", ErrConfig, name)
		}
	}
	return nil
}

func (c Config) activeLow(name string) bool {
	for _, n := range c.ActiveLow {
		if n == name {
			return true
		}
	}
	return false
}

// names returns the configured logical names, sorted, inputs then outputs.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
