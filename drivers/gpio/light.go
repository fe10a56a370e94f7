package gpio

import (
	"fmt"
	"sort"
	"time"
)

// Colour is a mix of the status light's red, green and blue channels.
type Colour struct {
	Red, Green, Blue bool
}

// Pattern is one status-light signal: a colour and a flash rate.
type Pattern struct {
	Name   string  `json:"name"`
	Colour Colour  `json:"colour"`
	Hz     float64 `json:"hz"` // flashes per second; 0 means steady
}

// Lit reports whether a pattern's light is on at elapsed time since the
// pattern was set. A flashing light is on for the first half of each
// period, so it lights up the moment the pattern is chosen.
func (p Pattern) Lit(elapsed time.Duration) bool {
	if p.Hz <= 0 {
		return p.Colour != (Colour{})
	}
	period := time.Duration(float64(time.Second) / p.Hz)
	if elapsed < 0 {
		elapsed = 0
	}
	return elapsed%period < period/2
}

// next returns how long after elapsed the light next changes (0: never).
func (p Pattern) next(elapsed time.Duration) time.Duration {
	if p.Hz <= 0 {
		return 0
	}
	half := time.Duration(float64(time.Second)/p.Hz) / 2
	if elapsed < 0 {
		elapsed = 0
	}
	return half - elapsed%half
}

// The status light's patterns. The rates differ as well as the colours so a
// single-colour light still tells them apart: ready is steady, busy flashes
// slowly, attention faster, fault fastest.
var (
	PatternOff       = Pattern{Name: "off"}
	PatternReady     = Pattern{Name: "ready", Colour: Colour{Green: true}}
	PatternBusy      = Pattern{Name: "busy", Colour: Colour{Blue: true}, Hz: 1}
	PatternAttention = Pattern{Name: "attention", Colour: Colour{Red: true, Green: true}, Hz: 2} // amber
	PatternFault     = Pattern{Name: "fault", Colour: Colour{Red: true}, Hz: 4}
)

// Patterns returns the known patterns by name.
func Patterns() map[string]Pattern {
	out := map[string]Pattern{}
	for _, p := range []Pattern{PatternOff, PatternReady, PatternBusy, PatternAttention, PatternFault} {
		out[p.Name] = p
	}
	return out
}

// PatternNames returns the known pattern names, sorted.
func PatternNames() []string {
	m := Patterns()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type lightState struct {
	pattern Pattern
	since   time.Time
}

func (b *Bank) hasLight() bool {
	for _, n := range []string{LightRed, LightGreen, LightBlue, Light} {
		if _, ok := b.pins[n]; ok {
			return true
		}
	}
	return false
}

// SetLight shows a pattern ("off", "ready", "busy", "attention", "fault")
// on the status light. With no light configured it only records the
// pattern in the device detail.
func (b *Bank) SetLight(pattern string) error {
	p, ok := Patterns()[pattern]
	if !ok {
		return fmt.Errorf("gpio: set light: %w %q", ErrPattern, pattern)
	}
	b.mu.Lock()
	b.light = lightState{pattern: p, since: b.now()}
	b.mu.Unlock()
	if b.dev != nil {
		b.dev.SetDetail("light", p.Name)
	}
	err := b.applyLight(b.now())
	select {
	case b.kick <- struct{}{}:
	default:
	}
	return err
}

// Light returns the current pattern's name.
func (b *Bank) Light() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.light.pattern.Name == "" {
		return PatternOff.Name
	}
	return b.light.pattern.Name
}

// applyLight drives the light's pins for the pattern at time now and
// returns how long until they next change (0: steady).
func (b *Bank) applyLight(now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, err := b.applyLightLocked(now)
	return err
}

func (b *Bank) applyLightLocked(now time.Time) (time.Duration, error) {
	if b.halted {
		return 0, nil
	}
	ls := b.light
	elapsed := now.Sub(ls.since)
	lit := ls.pattern.Lit(elapsed)
	c := ls.pattern.Colour
	want := map[string]bool{
		LightRed:   lit && c.Red,
		LightGreen: lit && c.Green,
		LightBlue:  lit && c.Blue,
		Light:      lit,
	}
	for name, on := range want {
		p, ok := b.pins[name]
		if !ok || b.outOn[name] == on {
			continue
		}
		if err := b.writeLocked(p, on); err != nil {
			return 0, fmt.Errorf("gpio: light: %w", err)
		}
	}
	return ls.pattern.next(elapsed), nil
}

// runLight flashes the light until the bank is halted.
func (b *Bank) runLight() {
	defer b.wg.Done()
	for {
		b.mu.Lock()
		next, err := b.applyLightLocked(b.now())
		b.mu.Unlock()
		if err != nil {
			b.noteError(err)
			next = time.Second // a failing pin is retried, not spun on
		}
		var tick <-chan time.Time
		if next > 0 {
			tick = b.after(next)
		}
		select {
		case <-b.ctx.Done():
			return
		case <-b.kick:
		case <-tick:
		}
	}
}
