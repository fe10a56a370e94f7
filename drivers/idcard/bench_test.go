package idcard_test

import (
	"context"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
)

// BenchmarkFindSelectReadPTY runs find → select → read over the real
// serial path against the simulator on a pty at 115200 baud, and reports
// elapsed time over the wire time of the bytes moved (1.00 = as fast as
// the line allows).
func BenchmarkFindSelectReadPTY(b *testing.B) {
	sim, err := idcardsim.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	ctx := context.Background()
	p, err := idcard.Dial(ctx, sim.Path(), &idcard.DialOpts{Baud: 115200})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	in0, out0 := p.BytesIn, p.BytesOut
	var elapsed time.Duration
	b.ResetTimer()
	for b.Loop() {
		sim.Place(idcardsim.Han) // a fresh card in the field
		start := time.Now()
		if err := p.FindCard(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := p.SelectCard(ctx); err != nil {
			b.Fatal(err)
		}
		c, err := p.Read(ctx, false)
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		c.Wipe()
	}
	moved := (p.BytesIn - in0) + (p.BytesOut - out0)
	wire := time.Duration(moved) * 10 * time.Second / 115200
	b.ReportMetric(float64(elapsed)/float64(wire), "elapsed/wire")
	b.ReportMetric(float64(moved)/float64(b.N), "bytes/op")
}
