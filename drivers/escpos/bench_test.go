package escpos_test

import (
	"context"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
)

// BenchmarkPrintOverPTY prints the typical receipt through the real serial
// code to the simulated printer at 115200 baud and reports elapsed time
// over the wire time of the job's bytes (1.00 is the line's own speed).
func BenchmarkPrintOverPTY(b *testing.B) {
	for _, tc := range []struct {
		name    string
		profile escpos.Profile
		xon     bool
	}{
		{"native-qr", escpos.Profile58, false},
		{"raster-qr", func() escpos.Profile { p := escpos.Profile58; p.NativeQR = false; return p }(), false},
		{"native-qr-xonxoff", escpos.Profile58, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := newRig(b, printersim.Opts{Baud: 115200, XONXOFF: tc.xon},
				escpos.Opts{Baud: 115200, Profile: tc.profile, XONXOFF: tc.xon})
			doc := receipttest.Doc(false)
			ctx := context.Background()
			if _, err := r.p.Status(ctx); err != nil { // open the port outside the timing
				b.Fatal(err)
			}
			var elapsed, wire time.Duration
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				j, err := r.p.Print(ctx, doc)
				if err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				wire += time.Duration(j.Bytes) * 10 * time.Second / 115200
			}
			b.ReportMetric(float64(elapsed)/float64(wire), "elapsed/wire")
			b.ReportMetric(float64(wire.Microseconds())/float64(b.N)/1000, "wire-ms/op")
		})
	}
}
