package escpos_test

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/receipt"
)

func ExampleWrap() {
	for _, l := range escpos.Wrap("已受理，排队处理中 / queued, will be processed", 16) {
		fmt.Println(l)
	}
	// Output:
	// 已受理，排队处理
	// 中 / queued,
	// will be
	// processed
}

func ExampleEncode() {
	var d receipt.Doc
	d.Line("受理编号", 1, false, receipt.Center)
	d.Line("ZM20261126 K7QH2M4X", 2, true, receipt.Center)
	b, err := escpos.Encode(d, escpos.Profile58)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("% x\n", b[:11])
	// Output:
	// 1b 40 1b 61 01 1b 45 00 1d 21 00
}

// The daemon's wiring: one Printer per configured port, its Run loop
// owning the port, Print called from the resident's session.
func ExampleNewPrinter() {
	reg := devices.NewRegistry(nil)
	p := escpos.NewPrinter(&escpos.Opts{
		Path:    "/dev/kiosk-printer",
		Profile: escpos.Profile80,
		XONXOFF: true,
		Logger:  slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Device:  reg.Add(devices.Printer, devices.KindPrinter),
	})
	// In the daemon: go p.Run(ctx)
	// Later, for a resident:
	//	job, err := p.Print(ctx, doc)
	//	if errors.Is(err, escpos.ErrPaperOut) { show receipt.IncompleteMessage(hotline) }
	fmt.Println(p)
	// Output:
	// escpos 80mm on /dev/kiosk-printer at 115200 baud
}
