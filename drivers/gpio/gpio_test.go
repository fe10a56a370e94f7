package gpio

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
)

// fakeClock is the bank's clock in tests: Now and After move only on
// Advance. It counts the timers armed, so a test knows when the bank's
// goroutine has handled what it was given and waits on the clock again.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	timers []fakeTimer
	armed  int
	chg    chan struct{} // closed when armed grows
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC), chg: make(chan struct{})}
}
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d and fires the timers due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	kept := c.timers[:0]
	for _, tm := range c.timers {
		if tm.at.After(c.t) {
			kept = append(kept, tm)
			continue
		}
		tm.ch <- c.t
	}
	c.timers = kept
}

// After is the bank's Opts.After.
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = append(c.timers, fakeTimer{at: c.t.Add(d), ch: ch})
	c.armed++
	close(c.chg)
	c.chg = make(chan struct{})
	return ch
}

// Armed is how many timers have been armed so far.
func (c *fakeClock) Armed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.armed
}

// WaitArmed returns once n timers have been armed in all: the bank's
// goroutine has handled its input and waits on the clock again.
func (c *fakeClock) WaitArmed(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		armed, chg := c.armed, c.chg
		c.mu.Unlock()
		if armed >= n {
			return
		}
		select {
		case <-chg:
		case <-timeout:
			t.Fatalf("%d timers armed, want %d", armed, n)
		}
	}
}

// WaitTimer returns once a timer due by at is armed and not yet fired:
// a goroutine that may arm more than one timer for the same instant has
// acted on the clock's present time and waits for the next change.
func (c *fakeClock) WaitTimer(t *testing.T, at time.Time) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		chg := c.chg
		for _, tm := range c.timers {
			if !tm.at.After(at) {
				c.mu.Unlock()
				return
			}
		}
		c.mu.Unlock()
		select {
		case <-chg:
		case <-timeout:
			t.Fatalf("no timer due by %v", at)
		}
	}
}

// drain returns the events already sent on ch.
func drain(ch <-chan Event) []bool {
	var got []bool
	for {
		select {
		case ev := <-ch:
			got = append(got, ev.On)
		default:
			return got
		}
	}
}

// recPin is a gpiotest pin that records every level written to it.
type recPin struct {
	gpiotest.Pin
	mu     sync.Mutex
	writes []gpio.Level
}

func (p *recPin) Out(l gpio.Level) error {
	p.mu.Lock()
	p.writes = append(p.writes, l)
	p.mu.Unlock()
	return p.Pin.Out(l)
}

func (p *recPin) Writes() []gpio.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]gpio.Level(nil), p.writes...)
}

func newSim(t *testing.T, cfg Config, opts *Opts) *Bank {
	t.Helper()
	b, err := NewSim(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Halt() })
	return b
}

func next(t *testing.T, ch <-chan Event, within time.Duration) (Event, bool) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		return ev, ok
	case <-time.After(within):
		return Event{}, false
	}
}

func TestInputEdges(t *testing.T) {
	reg := devices.NewRegistry(nil)
	dev := reg.Add("gpio", devices.KindGPIO)
	cfg := SimConfig()
	cfg.Debounce = 5 * time.Millisecond
	b := newSim(t, cfg, &Opts{Device: dev, Poll: 10 * time.Millisecond})
	if st := dev.Status(); st.State != devices.Online || st.Detail["cabinetDoor"] != "closed" {
		t.Fatalf("after open: state %s door %q", st.State, st.Detail["cabinetDoor"])
	}
	ch := b.Watch(t.Context())
	steps := []struct {
		name     string
		high     bool // electrical level driven
		wantOn   bool
		wantDoor string
	}{
		{Presence, true, true, "closed"},
		{Door, false, true, "open"}, // active low: low = open
		{Help, false, true, "open"},
		{Help, true, false, "open"},
		{Door, true, false, "closed"},
		{Presence, false, false, "closed"},
	}
	for i, s := range steps {
		if err := b.SimDrive(s.name, s.high); err != nil {
			t.Fatal(err)
		}
		ev, ok := next(t, ch, 2*time.Second)
		if !ok {
			t.Fatalf("step %d: no event for %s", i, s.name)
		}
		if ev.Name != s.name || ev.On != s.wantOn {
			t.Fatalf("step %d: got %+v, want %s on=%v", i, ev, s.name, s.wantOn)
		}
		if got := dev.Status().Detail["cabinetDoor"]; got != s.wantDoor {
			t.Fatalf("step %d: cabinetDoor=%q, want %q", i, got, s.wantDoor)
		}
		if on, _ := b.Read(s.name); on != s.wantOn {
			t.Fatalf("step %d: Read(%s)=%v", i, s.name, on)
		}
	}
	if n := dev.Status().Counters["events"]; n != uint64(len(steps)) {
		t.Fatalf("events counter %d, want %d", n, len(steps))
	}
}

// presenceOnly is one debounced input and nothing else, so the only
// timers on the test's clock are its watcher's.
func presenceOnly(debounce time.Duration) Config {
	return Config{Inputs: map[string]string{Presence: "GPIO17"}, Debounce: debounce}
}

// drive sets presence's level and waits until the watcher has taken the
// edge and waits on the clock again.
func drive(t *testing.T, b *Bank, clk *fakeClock, high bool) {
	t.Helper()
	n := clk.Armed()
	if err := b.SimDrive(Presence, high); err != nil {
		t.Fatal(err)
	}
	clk.WaitArmed(t, n+1)
}

func TestDebounce(t *testing.T) {
	tests := []struct {
		name   string
		levels []bool // electrical levels driven 2 ms apart on presence
		want   []bool // events expected
	}{
		{"clean press", []bool{true}, []bool{true}},
		{"bouncy press settles on", []bool{true, false, true, false, true}, []bool{true}},
		{"glitch shorter than debounce", []bool{true, false}, nil},
		{"bouncy glitch", []bool{true, false, true, false}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const debounce = 200 * time.Millisecond
			clk := newFakeClock()
			b := newSim(t, presenceOnly(debounce), &Opts{Now: clk.Now, After: clk.After, Poll: time.Hour})
			ch := b.Watch(t.Context())
			clk.WaitArmed(t, 1) // the watcher waits for an edge
			for _, l := range tc.levels {
				drive(t, b, clk, l)
				clk.Advance(2 * time.Millisecond)
			}
			// Quiet for the debounce interval: the watcher decides and
			// waits for the next edge, with any event already sent.
			n := clk.Armed()
			clk.Advance(debounce)
			clk.WaitArmed(t, n+1)
			got := drain(ch)
			if len(got) != len(tc.want) {
				t.Fatalf("events %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("events %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestPolledInput(t *testing.T) {
	// A pin without edge support (no EdgesChan) is polled.
	in := &gpiotest.Pin{N: "GPIO4"}
	cfg := Config{Inputs: map[string]string{Presence: "GPIO4"}, Debounce: -1}
	b, err := NewWithPins(cfg, map[string]gpio.PinIO{Presence: in}, &Opts{Poll: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Halt()
	ch := b.Watch(t.Context())
	_ = in.Out(gpio.High)
	if ev, ok := next(t, ch, 2*time.Second); !ok || ev.Name != Presence || !ev.On {
		t.Fatalf("got %+v ok=%v", ev, ok)
	}
}

func TestOutputs(t *testing.T) {
	relay := &recPin{Pin: gpiotest.Pin{N: "GPIO19"}}
	back := &recPin{Pin: gpiotest.Pin{N: "GPIO12"}}
	cfg := Config{
		Outputs:   map[string]string{PrinterRelay: "GPIO19", Backlight: "GPIO12"},
		Inputs:    map[string]string{Door: "GPIO27"},
		ActiveLow: []string{PrinterRelay},
	}
	door := &gpiotest.Pin{N: "GPIO27", EdgesChan: make(chan gpio.Level, 1)}
	var slept []time.Duration
	b, err := NewWithPins(cfg, map[string]gpio.PinIO{PrinterRelay: relay, Backlight: back, Door: door},
		&Opts{Sleep: func(d time.Duration) { slept = append(slept, d) }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Halt()
	// Relays start powered (active low: electrically low), backlight on.
	if relay.Read() != gpio.Low || back.Read() != gpio.High {
		t.Fatalf("initial levels relay=%v backlight=%v", relay.Read(), back.Read())
	}
	tests := []struct {
		op      func() error
		wantErr error
	}{
		{func() error { return b.Set(Backlight, false) }, nil},
		{func() error { return b.Set("nosuch", true) }, ErrUnknownPin},
		{func() error { return b.Set(Door, true) }, ErrNotOutput},
		{func() error { return b.Pulse(Door, 0) }, ErrNotOutput},
		{func() error { return b.SetLight("disco") }, ErrPattern},
		{func() error { return b.SimDrive(Door, true) }, ErrNotSim},
		{func() error { _, err := b.Read("nosuch"); return err }, ErrUnknownPin},
	}
	for i, tc := range tests {
		if err := tc.op(); !errors.Is(err, tc.wantErr) {
			t.Errorf("op %d: err %v, want %v", i, err, tc.wantErr)
		}
	}
	if back.Read() != gpio.Low {
		t.Fatal("backlight not off")
	}
	if err := b.Pulse(PrinterRelay, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	w := relay.Writes()
	want := []gpio.Level{gpio.Low, gpio.High, gpio.Low} // on, off for the pulse, on again
	if len(w) != 3 || w[0] != want[0] || w[1] != want[1] || w[2] != want[2] || len(slept) != 1 || slept[0] != 200*time.Millisecond {
		t.Fatalf("relay writes %v slept %v", w, slept)
	}
	list := b.List()
	wantList := []Pin{
		{Name: Door, Board: "GPIO27", Direction: In},
		{Name: Backlight, Board: "GPIO12", Direction: Out},
		{Name: PrinterRelay, Board: "GPIO19", Direction: Out, On: true, ActiveLow: true},
	}
	if len(list) != len(wantList) {
		t.Fatalf("List %+v", list)
	}
	for i := range list {
		if list[i] != wantList[i] {
			t.Errorf("List[%d]=%+v, want %+v", i, list[i], wantList[i])
		}
	}
}

func TestLightPatterns(t *testing.T) {
	type rgb struct{ r, g, b bool }
	tests := []struct {
		pattern string
		at      time.Duration
		want    rgb
	}{
		{"off", 0, rgb{}},
		{"ready", 0, rgb{g: true}},
		{"ready", 10 * time.Second, rgb{g: true}},
		{"busy", 0, rgb{b: true}},
		{"busy", 499 * time.Millisecond, rgb{b: true}},
		{"busy", 500 * time.Millisecond, rgb{}},
		{"busy", 1000 * time.Millisecond, rgb{b: true}},
		{"attention", 100 * time.Millisecond, rgb{r: true, g: true}},
		{"attention", 300 * time.Millisecond, rgb{}},
		{"attention", 500 * time.Millisecond, rgb{r: true, g: true}},
		{"fault", 0, rgb{r: true}},
		{"fault", 125 * time.Millisecond, rgb{}},
		{"fault", 250 * time.Millisecond, rgb{r: true}},
		{"fault", 375 * time.Millisecond, rgb{}},
	}
	clk := newFakeClock()
	reg := devices.NewRegistry(clk.Now)
	dev := reg.Add("gpio", devices.KindGPIO)
	cfg := SimConfig()
	cfg.ActiveLow = append(cfg.ActiveLow, LightBlue) // one common-anode channel
	b := newSim(t, cfg, &Opts{Now: clk.Now, Device: dev})
	for _, tc := range tests {
		if err := b.SetLight(tc.pattern); err != nil {
			t.Fatal(err)
		}
		clk.Advance(tc.at)
		if err := b.applyLight(clk.Now()); err != nil {
			t.Fatal(err)
		}
		got := rgb{}
		got.r, _ = b.Read(LightRed)
		got.g, _ = b.Read(LightGreen)
		got.b, _ = b.Read(LightBlue)
		if got != tc.want {
			t.Errorf("%s at %v: got %+v, want %+v", tc.pattern, tc.at, got, tc.want)
		}
		// Electrical levels follow polarity.
		blue := b.pins[LightBlue].pin.Read()
		if bool(blue) == got.b {
			t.Errorf("%s at %v: active-low blue pin electrically %v", tc.pattern, tc.at, blue)
		}
		if d := dev.Status().Detail["light"]; d != tc.pattern {
			t.Errorf("detail light=%q, want %q", d, tc.pattern)
		}
	}
}

func TestSingleLightFlashes(t *testing.T) {
	// With one light the rate alone tells the patterns apart.
	clk := newFakeClock()
	lamp := &gpiotest.Pin{N: "GPIO5"}
	b, err := NewWithPins(Config{Outputs: map[string]string{Light: "GPIO5"}}, map[string]gpio.PinIO{Light: lamp}, &Opts{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Halt()
	for _, p := range []string{"busy", "attention", "fault"} {
		_ = b.SetLight(p)
		changes := 0
		last := lamp.Read()
		for i := 0; i < 1000; i += 10 { // one second in 10 ms steps
			clk.Advance(10 * time.Millisecond)
			_ = b.applyLight(clk.Now())
			if l := lamp.Read(); l != last {
				changes++
				last = l
			}
		}
		want := int(2 * Patterns()[p].Hz)
		if changes != want {
			t.Errorf("%s: %d changes per second, want %d", p, changes, want)
		}
	}
}

func TestFlasherRunsOnTheClock(t *testing.T) {
	// The bank's own goroutine flashes the light on the bank's clock.
	clk := newFakeClock()
	cfg := Config{Outputs: map[string]string{LightRed: "GPIO5", LightGreen: "GPIO6", LightBlue: "GPIO13"}}
	b := newSim(t, cfg, &Opts{Now: clk.Now, After: clk.After})
	start := clk.Now()
	_ = b.SetLight("fault") // 4 Hz: changes every 125 ms
	for i, want := range []bool{true, false, true, false} {
		// The flasher has lit the light for now and waits for the next
		// change.
		clk.WaitTimer(t, start.Add(time.Duration(i+1)*125*time.Millisecond))
		if on, _ := b.Read(LightRed); on != want {
			t.Fatalf("after %d half periods: red %v, want %v", i, on, want)
		}
		clk.Advance(125 * time.Millisecond)
	}
	if err := b.Halt(); err != nil {
		t.Fatal(err)
	}
	if on, _ := b.Read(LightRed); on {
		t.Fatal("light left on after Halt")
	}
}

func TestCycleLimiter(t *testing.T) {
	clk := newFakeClock()
	l := NewCycleLimiter(3, time.Hour, clk.Now)
	steps := []struct {
		advance time.Duration
		key     string
		want    bool
	}{
		{0, "printer", true},
		{10 * time.Minute, "printer", true},
		{10 * time.Minute, "printer", true},
		{10 * time.Minute, "printer", false},
		{0, "idcard", true}, // keys are independent
		{29 * time.Minute, "printer", false},
		{time.Minute, "printer", true}, // the first cycle left the window
		{0, "printer", false},
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		if got := l.Allow(s.key); got != s.want {
			t.Fatalf("step %d: Allow(%s)=%v, want %v", i, s.key, got, s.want)
		}
	}
	if r := l.Remaining("printer"); r != 0 {
		t.Fatalf("Remaining=%d", r)
	}
	if n := l.NextAllowed("printer"); !n.Equal(clk.Now().Add(10 * time.Minute)) {
		t.Fatalf("NextAllowed=%v, now %v", n, clk.Now())
	}
}

func TestPowerCycle(t *testing.T) {
	clk := newFakeClock()
	reg := devices.NewRegistry(clk.Now)
	dev := reg.Add("gpio", devices.KindGPIO)
	relay := &recPin{Pin: gpiotest.Pin{N: "GPIO19"}}
	cfg := Config{Outputs: map[string]string{PrinterRelay: "GPIO19"}, RelayOff: 5 * time.Millisecond, CycleLimit: 2}
	b, err := NewWithPins(cfg, map[string]gpio.PinIO{PrinterRelay: relay}, &Opts{Now: clk.Now, Device: dev})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Halt()
	ctx := t.Context()
	for i, want := range []error{nil, nil, ErrCycleLimit} {
		if err := b.AutoPowerCycle(ctx, "printer"); !errors.Is(err, want) {
			t.Fatalf("auto cycle %d: %v, want %v", i, err, want)
		}
	}
	// A technician's cycle is not limited.
	if err := b.PowerCycle(ctx, "printer"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(DefaultCycleWindow)
	if err := b.AutoPowerCycle(ctx, "printer"); err != nil {
		t.Fatalf("after window: %v", err)
	}
	w := relay.Writes()
	if len(w) != 1+2*4 || w[0] != gpio.High || w[len(w)-1] != gpio.High {
		t.Fatalf("relay writes %v", w)
	}
	for i := 1; i < len(w); i += 2 {
		if w[i] != gpio.Low || w[i+1] != gpio.High {
			t.Fatalf("relay writes %v", w)
		}
	}
	if n := dev.Status().Counters["powerCycles.printer"]; n != 4 {
		t.Fatalf("powerCycles counter %d", n)
	}
	if err := b.PowerCycle(ctx, "idcard"); !errors.Is(err, ErrUnknownPin) {
		t.Fatalf("idcard without relay: %v", err)
	}
	if err := b.PowerCycle(ctx, "scanner"); !errors.Is(err, ErrUnknownPin) {
		t.Fatalf("unknown device: %v", err)
	}
}

func TestPowerCycleCancelRestoresPower(t *testing.T) {
	clk := newFakeClock()
	cfg := Config{Outputs: map[string]string{IDCardRelay: "GPIO26"}, RelayOff: time.Hour}
	b := newSim(t, cfg, &Opts{Now: clk.Now, After: clk.After})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.PowerCycle(ctx, "idcard") }()
	clk.WaitArmed(t, 1) // the cycle waits out the off time
	if on, _ := b.Read(IDCardRelay); on {
		t.Fatal("relay not switched off during the cycle")
	}
	if err := b.PowerCycle(t.Context(), "idcard"); !errors.Is(err, ErrBusy) {
		t.Fatalf("concurrent cycle: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled cycle: %v", err)
	}
	if on, _ := b.Read(IDCardRelay); !on {
		t.Fatal("power not restored after cancel")
	}
}

func TestWatchEnds(t *testing.T) {
	b := newSim(t, SimConfig(), nil)
	ctx, cancel := context.WithCancel(t.Context())
	ch1 := b.Watch(ctx)
	ch2 := b.Watch(t.Context())
	cancel()
	if _, ok := next(t, ch1, time.Second); ok {
		t.Fatal("watch channel open after ctx cancel")
	}
	if err := b.Halt(); err != nil {
		t.Fatal(err)
	}
	if _, ok := next(t, ch2, time.Second); ok {
		t.Fatal("watch channel open after Halt")
	}
	if _, ok := <-b.Watch(t.Context()); ok {
		t.Fatal("Watch after Halt not closed")
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"sim", SimConfig(), true},
		{"empty", Config{}, true},
		{"both directions", Config{Inputs: map[string]string{"x": "GPIO1"}, Outputs: map[string]string{"x": "GPIO2"}}, false},
		{"no board", Config{Inputs: map[string]string{Door: ""}}, false},
		{"active_low unknown", Config{ActiveLow: []string{Door}}, false},
	}
	for _, tc := range tests {
		err := tc.cfg.Validate()
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := NewWithPins(Config{Inputs: map[string]string{Door: "GPIO27"}}, nil, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("missing pin: %v", err)
	}
}

func TestOpenWithoutGPIO(t *testing.T) {
	reg := devices.NewRegistry(nil)
	dev := reg.Add("gpio", devices.KindGPIO)
	// No board has a pin by this name, so this fails on every machine.
	cfg := Config{Inputs: map[string]string{Door: "GPIO_NO_SUCH_PIN_9999"}}
	b, err := Open(cfg, &Opts{Device: dev})
	if !errors.Is(err, ErrUnavailable) || b != nil {
		t.Fatalf("Open: %v", err)
	}
	if st := dev.Status(); st.State != devices.NoDevice || st.LastError == "" {
		t.Fatalf("device %+v", st)
	}
}

func TestDebounceChatter(t *testing.T) {
	// A line that chatters for longer than the debounce interval, with
	// every gap shorter than it, gives one event once it is quiet.
	const debounce = 100 * time.Millisecond
	clk := newFakeClock()
	b := newSim(t, presenceOnly(debounce), &Opts{Now: clk.Now, After: clk.After, Poll: time.Hour})
	ch := b.Watch(t.Context())
	clk.WaitArmed(t, 1)
	high := false
	for range 15 { // 300 ms of chatter, ending high
		high = !high
		drive(t, b, clk, high)
		clk.Advance(20 * time.Millisecond)
		if got := drain(ch); len(got) != 0 {
			t.Fatalf("event %v while the line chatters", got)
		}
	}
	n := clk.Armed()
	clk.Advance(debounce)
	clk.WaitArmed(t, n+1)
	got := drain(ch)
	if len(got) != 1 || !got[0] {
		t.Fatalf("events %v, want [true]", got)
	}
}

// TestSlotLight: the simulated cabinet has the output-slot light and the
// camera's fill light; each starts dark, follows Set, and Halt leaves it
// dark like the status light.
func TestSlotLight(t *testing.T) {
	for _, name := range []string{SlotLight, FillLight} {
		b, err := NewSim(SimConfig(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if on, err := b.Read(name); err != nil || on {
			t.Fatalf("%s at start: on=%v err=%v", name, on, err)
		}
		if err := b.Set(name, true); err != nil {
			t.Fatal(err)
		}
		if on, _ := b.Read(name); !on {
			t.Fatalf("%s not lit after Set(true)", name)
		}
		if err := b.Halt(); err != nil {
			t.Fatal(err)
		}
		if on, _ := b.Read(name); on {
			t.Fatalf("%s still lit after Halt", name)
		}
	}
}
