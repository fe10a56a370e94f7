package gpio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/host/v3"
)

// Errors callers act on.
var (
	// ErrUnavailable: the machine has no GPIO, or a configured pin does
	// not exist on it. The kiosk runs without cabinet signals.
	ErrUnavailable = errors.New("unavailable")
	ErrConfig      = errors.New("bad configuration")
	ErrUnknownPin  = errors.New("unknown pin")
	ErrNotOutput   = errors.New("pin is not an output")
	ErrPattern     = errors.New("unknown light pattern")
	ErrCycleLimit  = errors.New("automatic power-cycle limit reached")
	ErrBusy        = errors.New("power cycle already in progress")
	ErrNotSim      = errors.New("not a simulated bank")
	ErrHalted      = errors.New("bank halted")
)

// Direction of a pin.
type Direction string

const (
	In  Direction = "in"
	Out Direction = "out"
)

// Pin describes one configured pin and its current logical level.
type Pin struct {
	Name      string    `json:"name"`
	Board     string    `json:"board"`
	Direction Direction `json:"direction"`
	On        bool      `json:"on"`
	ActiveLow bool      `json:"active_low,omitempty"`
}

// Event is a debounced change of an input.
type Event struct {
	Name string    `json:"name"`
	On   bool      `json:"on"`
	Time time.Time `json:"time"`
}

// Opts are optional; nil means DefaultOpts.
type Opts struct {
	Logger *slog.Logger          // nil: discard
	Device *devices.Device       // nil: no status reporting
	Now    func() time.Time      // nil: time.Now; stamps events, drives light patterns and cycle limits
	Poll   time.Duration         // how often inputs are re-read besides edges (0: 100 ms)
	Sleep  func(d time.Duration) // nil: time.Sleep; used by Pulse
	// After times the input poll and debounce, the light's flashes and a
	// power cycle's off time (nil: time.After). Given with Now from the
	// same clock, a test steps the bank's time instead of sleeping. When
	// After is nil the debounce measures on the wall clock even if Now is
	// set, so a Now that only stamps events cannot stall an input.
	After func(d time.Duration) <-chan time.Time
}

// DefaultOpts are the options used for a nil *Opts.
var DefaultOpts = Opts{}

type pinState struct {
	name      string
	board     string
	dir       Direction
	activeLow bool
	pin       gpio.PinIO
	edges     bool          // edge detection armed; otherwise inputs are polled
	edge      chan struct{} // an edge was seen (nil when polled); see forwardEdges
	cycling   bool          // a power cycle is running on this relay
}

func (p *pinState) logical(l gpio.Level) bool { return bool(l) != p.activeLow }
func (p *pinState) level(on bool) gpio.Level  { return gpio.Level(on != p.activeLow) }
func (p *pinState) read() bool                { return p.logical(p.pin.Read()) }

// Bank is the kiosk's set of configured GPIO pins.
type Bank struct {
	cfg     Config
	log     *slog.Logger
	dev     *devices.Device
	now     func() time.Time
	sleep   func(time.Duration)
	after   func(time.Duration) <-chan time.Time
	since   func() time.Time // the debounce's clock: Now when After is given, else time.Now
	poll    time.Duration
	sim     bool
	limiter *CycleLimiter

	pins  map[string]*pinState
	order []string // inputs then outputs, each sorted

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	outOn   map[string]bool // last logical level written to each output
	subs    map[int]chan Event
	nextSub int
	light   lightState
	kick    chan struct{}
	halted  bool
}

var _ conn.Resource = (*Bank)(nil)

// Open initialises the host's GPIO drivers and claims the configured pins.
// It returns an error wrapping ErrUnavailable when the machine has no GPIO
// or a pin is missing; the device (if given) is then marked noDevice.
func Open(cfg Config, opts *Opts) (*Bank, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	unavailable := func(err error) (*Bank, error) {
		if opts != nil && opts.Device != nil {
			opts.Device.SetState(devices.NoDevice, err)
		}
		return nil, err
	}
	if _, err := host.Init(); err != nil {
		return unavailable(fmt.Errorf("gpio: open: %w: host init: %v", ErrUnavailable, err))
	}
	if len(gpioreg.All()) == 0 {
		return unavailable(fmt.Errorf("gpio: open: %w: no GPIO chips found", ErrUnavailable))
	}
	pins := map[string]gpio.PinIO{}
	for _, m := range []map[string]string{cfg.Inputs, cfg.Outputs} {
		for name, board := range m {
			p := gpioreg.ByName(board)
			if p == nil {
				return unavailable(fmt.Errorf("gpio: open: %w: pin %s (%s) not found", ErrUnavailable, board, name))
			}
			pins[name] = p
		}
	}
	return newBank(cfg, pins, opts, false)
}

// NewWithPins builds a bank over the given pins, keyed by logical name.
// Every pin named in cfg must be present; cfg's board names are used in
// List. Tests pass periph.io gpiotest pins (with EdgesChan set for inputs,
// or they are polled).
func NewWithPins(cfg Config, pins map[string]gpio.PinIO, opts *Opts) (*Bank, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newBank(cfg, pins, opts, false)
}

func newBank(cfg Config, pins map[string]gpio.PinIO, opts *Opts, sim bool) (*Bank, error) {
	o := DefaultOpts
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = time.Sleep
	}
	since := o.Now
	if o.After == nil {
		o.After, since = time.After, time.Now
	}
	if o.Poll <= 0 {
		o.Poll = 100 * time.Millisecond
	}
	n, w := cfg.cycleLimit()
	b := &Bank{
		cfg: cfg, log: o.Logger, dev: o.Device, now: o.Now, sleep: o.Sleep, after: o.After, since: since,
		poll: o.Poll, sim: sim,
		limiter: NewCycleLimiter(n, w, o.Now),
		pins:    map[string]*pinState{},
		outOn:   map[string]bool{},
		subs:    map[int]chan Event{},
		kick:    make(chan struct{}, 1),
	}
	add := func(m map[string]string, dir Direction) error {
		for _, name := range sortedKeys(m) {
			p, ok := pins[name]
			if !ok || p == nil {
				return fmt.Errorf("gpio: new: %w: no pin given for %q", ErrConfig, name)
			}
			b.pins[name] = &pinState{name: name, board: m[name], dir: dir, activeLow: cfg.activeLow(name), pin: p}
			b.order = append(b.order, name)
		}
		return nil
	}
	if err := add(cfg.Inputs, In); err != nil {
		return nil, err
	}
	if err := add(cfg.Outputs, Out); err != nil {
		return nil, err
	}
	// Outputs start in their working state: devices powered, backlight on,
	// status light dark until the daemon says what it is doing.
	for _, name := range sortedKeys(cfg.Outputs) {
		p := b.pins[name]
		on := name == PrinterRelay || name == IDCardRelay || name == Backlight
		if err := p.pin.Out(p.level(on)); err != nil {
			return nil, b.fail(fmt.Errorf("gpio: new: set %s (%s): %w", name, p.board, err))
		}
		b.outOn[name] = on
	}
	for _, name := range sortedKeys(cfg.Inputs) {
		p := b.pins[name]
		pull := gpio.PullDown
		if p.activeLow {
			pull = gpio.PullUp
		}
		if err := p.pin.In(pull, gpio.BothEdges); err == nil {
			p.edges = true
		} else if err := p.pin.In(pull, gpio.NoEdge); err != nil {
			return nil, b.fail(fmt.Errorf("gpio: new: input %s (%s): %w", name, p.board, err))
		} else {
			b.log.Info("gpio: no edge detection, polling", "pin", name, "board", p.board)
		}
	}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	for _, name := range sortedKeys(cfg.Inputs) {
		p := b.pins[name]
		if p.edges {
			p.edge = make(chan struct{}, 1)
			b.wg.Add(1)
			go b.forwardEdges(p)
		}
		b.wg.Add(1)
		go b.watchPin(p, p.read())
	}
	if b.hasLight() {
		b.wg.Add(1)
		go b.runLight()
	}
	if b.dev != nil {
		if p, ok := b.pins[Door]; ok {
			b.dev.SetDetail("cabinetDoor", doorWord(p.read()))
		}
		b.dev.SetState(devices.Online, nil)
	}
	return b, nil
}

func (b *Bank) fail(err error) error {
	if b.dev != nil {
		b.dev.SetState(devices.HardwareError, err)
	}
	return err
}

// String implements conn.Resource.
func (b *Bank) String() string {
	if b.sim {
		return fmt.Sprintf("gpio-sim(%d pins)", len(b.pins))
	}
	return fmt.Sprintf("gpio(%d pins)", len(b.pins))
}

// Halt stops the input watchers and the light, turns the status light and
// the output-slot light off and closes every Watch channel. Relays and backlight keep their level so
// the devices stay powered. Halt is idempotent.
func (b *Bank) Halt() error {
	b.mu.Lock()
	if b.halted {
		b.mu.Unlock()
		return nil
	}
	b.halted = true
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, ch := range b.subs {
		close(ch)
		delete(b.subs, id)
	}
	var errs []error
	for _, name := range []string{LightRed, LightGreen, LightBlue, Light, SlotLight, FillLight} {
		if p, ok := b.pins[name]; ok {
			errs = append(errs, b.writeLocked(p, false))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("gpio: halt: %w", err)
	}
	return nil
}

func (b *Bank) lookup(name string) (*pinState, error) {
	p, ok := b.pins[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownPin, name)
	}
	return p, nil
}

func (b *Bank) output(name string) (*pinState, error) {
	p, err := b.lookup(name)
	if err != nil {
		return nil, err
	}
	if p.dir != Out {
		return nil, fmt.Errorf("%w: %q", ErrNotOutput, name)
	}
	return p, nil
}

// writeLocked drives an output to a logical level; b.mu must be held.
func (b *Bank) writeLocked(p *pinState, on bool) error {
	if err := p.pin.Out(p.level(on)); err != nil {
		return fmt.Errorf("set %s (%s): %w", p.name, p.board, err)
	}
	b.outOn[p.name] = on
	return nil
}

// Set drives an output on or off (logical level).
func (b *Bank) Set(name string, on bool) error {
	p, err := b.output(name)
	if err != nil {
		return fmt.Errorf("gpio: set: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.writeLocked(p, on); err != nil {
		err = fmt.Errorf("gpio: %w", err)
		b.noteError(err)
		return err
	}
	return nil
}

// MaxPulse is the longest Pulse accepted.
const MaxPulse = 30 * time.Second

// Pulse inverts an output for d (500 ms if d <= 0) and then restores it: a
// dark light flashes once, a powered relay drops its device for d. It
// blocks for d.
func (b *Bank) Pulse(name string, d time.Duration) error {
	if d <= 0 {
		d = 500 * time.Millisecond
	}
	if d > MaxPulse {
		return fmt.Errorf("gpio: pulse %s: %v is longer than %v", name, d, MaxPulse)
	}
	p, err := b.output(name)
	if err != nil {
		return fmt.Errorf("gpio: pulse: %w", err)
	}
	b.mu.Lock()
	was := b.outOn[name]
	err = b.writeLocked(p, !was)
	b.mu.Unlock()
	if err != nil {
		return fmt.Errorf("gpio: pulse: %w", err)
	}
	b.sleep(d)
	b.mu.Lock()
	err = b.writeLocked(p, was)
	b.mu.Unlock()
	if err != nil {
		return fmt.Errorf("gpio: pulse: %w", err)
	}
	return nil
}

// Read returns the logical level of any configured pin: an input's current
// (undebounced) level, or the level an output was last driven to.
func (b *Bank) Read(name string) (bool, error) {
	p, err := b.lookup(name)
	if err != nil {
		return false, fmt.Errorf("gpio: read: %w", err)
	}
	if p.dir == Out {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.outOn[name], nil
	}
	return p.read(), nil
}

// List returns every configured pin with its current level, inputs first,
// each group sorted by name.
func (b *Bank) List() []Pin {
	out := make([]Pin, 0, len(b.order))
	for _, name := range b.order {
		p := b.pins[name]
		on, _ := b.Read(name)
		out = append(out, Pin{Name: name, Board: p.board, Direction: p.dir, On: on, ActiveLow: p.activeLow})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Direction < out[j].Direction })
	return out
}

// Watch returns debounced input changes until ctx ends or the bank is
// halted, when the channel is closed. Several watchers may run at once;
// each gets every event. A watcher that falls 32 events behind loses
// events rather than stalling the others.
func (b *Bank) Watch(ctx context.Context) <-chan Event {
	ch := make(chan Event, 32)
	b.mu.Lock()
	if b.halted {
		b.mu.Unlock()
		close(ch)
		return ch
	}
	id := b.nextSub
	b.nextSub++
	b.subs[id] = ch
	b.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
		case <-b.ctx.Done():
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if c, ok := b.subs[id]; ok {
			delete(b.subs, id)
			close(c)
		}
	}()
	return ch
}

func (b *Bank) noteError(err error) {
	if b.dev != nil {
		b.dev.SetState(devices.HardwareError, err)
	}
}

func doorWord(open bool) string {
	if open {
		return "open"
	}
	return "closed"
}
