package escpos_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/receipt"
)

// longDoc is a receipt of about 9 KB: more than twice a 4 KB input buffer.
func longDoc() receipt.Doc {
	var d receipt.Doc
	d.Line("办件清单", 2, true, receipt.Center)
	for i := range 260 {
		d.Line(fmt.Sprintf("%03d 材料 已收 第%d页 ......... ok", i, i%7+1), 1, false, receipt.Left)
	}
	d.Add(receipt.Elem{Kind: receipt.Feed, Lines: 2}, receipt.Elem{Kind: receipt.Cut})
	return d
}

// TestFlowControlAgainstAFiniteBuffer: a printer whose mechanism is
// slower than the line (a 4 KB buffer drained at 4000 bytes a second, the
// line at 115200 baud) loses nothing when it holds the line with XON/XOFF,
// and without flow control its overrun is seen: bytes dropped and the
// receipt not what was sent.
func TestFlowControlAgainstAFiniteBuffer(t *testing.T) {
	doc := longDoc()
	want, err := escpos.Encode(doc, escpos.Profile80)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 8192 {
		t.Fatalf("the job is %d bytes, want more than twice the buffer", len(want))
	}
	for _, tc := range []struct {
		flow serialport.Flow
		lose bool
	}{
		{serialport.FlowXONXOFF, false},
		{serialport.FlowNone, true},
	} {
		t.Run(tc.flow.String(), func(t *testing.T) {
			r := newRig(t, printersim.Opts{Dots: 576, Buffer: 4096, PrintRate: 4000, XONXOFF: tc.flow == serialport.FlowXONXOFF},
				escpos.Opts{Profile: escpos.Profile80, Flow: tc.flow})
			ctx := ctxT(t, 30*time.Second)
			j, err := r.p.Print(ctx, doc)
			if err != nil || j.State != escpos.JobDone {
				t.Fatalf("Print = %+v, %v", j, err)
			}
			// The driver is done when the line has carried the job; the
			// mechanism works through the buffer after that.
			deadline := time.After(10 * time.Second)
			for r.sim.Buffered() > 0 {
				select {
				case <-deadline:
					t.Fatalf("%d bytes still buffered", r.sim.Buffered())
				case <-time.After(20 * time.Millisecond):
				}
			}
			time.Sleep(50 * time.Millisecond) // the last chunk's cut, if any, announced
			got := r.sim.Receipts()
			dropped := r.sim.Dropped()
			t.Logf("%s: %d bytes sent, %d dropped, %d receipts", tc.flow, len(want), dropped, len(got))
			if !tc.lose {
				if dropped != 0 {
					t.Fatalf("%d bytes dropped with flow control", dropped)
				}
				if len(got) != 1 || !bytes.Equal(got[0], want) {
					t.Fatalf("receipts %d; the printed bytes differ from the job", len(got))
				}
				return
			}
			if dropped == 0 {
				t.Fatal("no bytes dropped without flow control: the buffer was never overrun")
			}
			if len(got) == 1 && bytes.Equal(got[0], want) {
				t.Fatal("the receipt came out whole although bytes were dropped")
			}
		})
	}
}
