package layout

import (
	"testing"
	"time"
)

func TestPointer(t *testing.T) {
	t0 := time.Unix(0, 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	var p Pointer
	p.Press(100, 500, ms(0))
	if d := p.Move(110, 505, ms(16)); d != 0 {
		t.Fatalf("small wobble scrolled %v", d)
	}
	if !p.Release(112, 503, ms(80)) {
		t.Fatal("wobbly tap not a tap")
	}
	p.Press(100, 800, ms(1000))
	total := 0.0
	for i := 1; i <= 10; i++ {
		total += p.Move(100, 800-float64(i)*30, ms(1000+i*16))
	}
	if total < 270-24 || total > 300 {
		t.Fatalf("drag scrolled %v", total)
	}
	if p.Release(100, 500, ms(1176)) {
		t.Fatal("drag counted as a tap")
	}
	if !p.Moving() {
		t.Fatal("fling lost its momentum")
	}
	first := p.Momentum(16 * time.Millisecond)
	if first <= 0 {
		t.Fatalf("momentum %v", first)
	}
	for i := 0; i < 400 && p.Moving(); i++ {
		p.Momentum(16 * time.Millisecond)
	}
	if p.Moving() {
		t.Fatal("momentum never stops")
	}
	// A drag held still before lifting does not fling.
	p.Press(0, 800, ms(3000))
	p.Move(0, 700, ms(3016))
	p.Release(0, 700, ms(3300))
	if p.Moving() {
		t.Fatal("held drag flung")
	}
}

func TestRotation(t *testing.T) {
	sz := Portrait
	for _, deg := range []int{0, 90, 180, 270} {
		ps := PanelSize(sz, deg)
		for _, pt := range [][2]float64{{0, 0}, {1080, 0}, {100, 1800}, {540, 960}} {
			px, py := ToPanel(pt[0], pt[1], sz, deg)
			if px < 0 || py < 0 || px > ps.W || py > ps.H {
				t.Fatalf("%d°: %v → (%v,%v) outside %v", deg, pt, px, py, ps)
			}
			x, y := FromPanel(px, py, sz, deg)
			if x != pt[0] || y != pt[1] {
				t.Fatalf("%d°: round trip %v → %v,%v", deg, pt, x, y)
			}
		}
	}
	// 90° clockwise: the logical top-left lands at the panel's top-right.
	if x, y := ToPanel(0, 0, sz, 90); x != 1920 || y != 0 {
		t.Fatalf("90° top-left → %v,%v", x, y)
	}
	s, dx, dy := Fit(Size{1080, 1920}, Size{1920, 1080})
	if s != 0.5625 || dy != 0 || dx != (1920-1080*0.5625)/2 {
		t.Fatalf("fit %v %v %v", s, dx, dy)
	}
}
