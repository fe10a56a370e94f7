package gpio

import (
	"testing"
	"time"
)

// BenchmarkInputToEvent measures a simulated edge's way to a Watch event
// (debounce off, so this is the watcher's own latency).
func BenchmarkInputToEvent(b *testing.B) {
	cfg := SimConfig()
	cfg.Debounce = -1
	bank, err := NewSim(cfg, &Opts{Poll: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer bank.Halt()
	ch := bank.Watch(b.Context())
	high := false
	for b.Loop() {
		high = !high
		if err := bank.SimDrive(Presence, high); err != nil {
			b.Fatal(err)
		}
		if ev := <-ch; ev.On != high {
			b.Fatalf("event %+v", ev)
		}
	}
}

// BenchmarkSet measures driving one output.
func BenchmarkSet(b *testing.B) {
	bank, err := NewSim(SimConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer bank.Halt()
	on := false
	for b.Loop() {
		on = !on
		if err := bank.Set(Backlight, on); err != nil {
			b.Fatal(err)
		}
	}
}
