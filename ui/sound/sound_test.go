package sound

import "testing"

// Only the silent path runs here (no display or device needed beyond the
// package's import, so the test runs under xvfb-run like the rest of ui).
func TestSilentWithoutDevice(t *testing.T) {
	p := New(&Opts{Probe: func() bool { return false }, Volume: 0.5})
	if p.Available() {
		t.Fatal("available without a device")
	}
	if err := p.Play([]byte("not even a wav")); err != nil {
		t.Fatalf("silent play failed: %v", err)
	}
	p.SetVolume(2)
	if p.Volume() != 1 {
		t.Fatalf("volume %v", p.Volume())
	}
	p.SetEnabled(false)
	p.Reset()
	if p.Volume() != 0.5 || !p.Enabled() {
		t.Fatalf("reset: volume %v enabled %v", p.Volume(), p.Enabled())
	}
}
