package escpos_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
)

// lineRig is a Printer over the simulated printer's in-memory line: no
// pty, no path.
type lineRig struct {
	sim *printersim.Sim
	p   *escpos.Printer
	reg *devices.Registry
	dev *devices.Device
}

func newLineRig(t *testing.T, simOpts printersim.Opts, opts escpos.Opts) *lineRig {
	t.Helper()
	simOpts.FontPath = "-"
	sim, err := printersim.New(&simOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	reg := devices.NewRegistry(nil)
	dev := reg.Add(devices.Printer, devices.KindPrinter)
	opts.Open = func(context.Context) (escpos.Transport, error) { return sim.Conn() }
	opts.Device = dev
	if opts.Baud == 0 {
		opts.Baud = simOpts.Baud
	}
	p := escpos.NewPrinter(&opts)
	t.Cleanup(func() { p.Close() })
	return &lineRig{sim: sim, p: p, reg: reg, dev: dev}
}

// The Printer supervised over a transport: polling, printing, unplug and
// replug, then Halt.
func TestPrinterOverTransport(t *testing.T) {
	r := newLineRig(t, printersim.Opts{}, escpos.Opts{PollEvery: 100 * time.Millisecond})
	if s := r.p.String(); s != "escpos 58mm on transport at 115200 baud" {
		t.Errorf("String() = %q", s)
	}
	done := make(chan error, 1)
	go func() { done <- r.p.Run(context.Background()) }()
	waitState(t, r.reg, r.dev, devices.Online, 3*time.Second)
	j, err := r.p.Print(ctxT(t, 10*time.Second), receipttest.Doc(false))
	if err != nil || j.State != escpos.JobDone {
		t.Fatalf("Print = %+v, %v", j, err)
	}
	if n := len(r.sim.Receipts()); n != 1 {
		t.Fatalf("%d receipts", n)
	}

	r.sim.Unplug()
	waitState(t, r.reg, r.dev, devices.Offline, 3*time.Second)
	if _, err := r.p.Print(ctxT(t, 5*time.Second), receipttest.Doc(false)); !errors.Is(err, escpos.ErrOffline) {
		t.Fatalf("print while unplugged: %v", err)
	}
	r.sim.Replug()
	waitState(t, r.reg, r.dev, devices.Online, 3*time.Second)
	if _, err := r.p.Print(ctxT(t, 10*time.Second), receipttest.Doc(false)); err != nil {
		t.Fatalf("print after replug: %v", err)
	}

	if err := r.p.Halt(); err != nil {
		t.Fatalf("Halt: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after Halt = %v, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after Halt")
	}
	if s := r.dev.Status().State; s != devices.Offline {
		t.Errorf("state %s after Halt", s)
	}
	got := r.sim.Received()
	j, err = r.p.Print(ctxT(t, 5*time.Second), receipttest.Doc(false))
	if !errors.Is(err, escpos.ErrHalted) || j.State != escpos.JobFailed {
		t.Errorf("Print after Halt = %+v, %v", j, err)
	}
	if _, err := r.p.Status(ctxT(t, 5*time.Second)); !errors.Is(err, escpos.ErrHalted) {
		t.Errorf("Status after Halt: %v", err)
	}
	if err := r.p.Run(context.Background()); err != nil {
		t.Errorf("Run of a halted printer: %v", err)
	}
	if n := r.sim.Received(); n != got {
		t.Errorf("the halted printer was sent %d bytes", n-got)
	}
	if err := r.p.Halt(); err != nil {
		t.Errorf("second Halt: %v", err)
	}
}

// Halt cuts a long job short at once; it stays in the queue, incomplete.
func TestHaltCancelsJob(t *testing.T) {
	pr := escpos.Profile58
	pr.NativeQR = false // the QR code goes as raster bands: a long job
	r := newLineRig(t, printersim.Opts{Baud: 9600}, escpos.Opts{Profile: pr})
	type result struct {
		j   escpos.Job
		err error
	}
	res := make(chan result, 1)
	go func() {
		j, err := r.p.Print(ctxT(t, 20*time.Second), receipttest.Doc(false))
		res <- result{j, err}
	}()
	select {
	case <-r.sim.ReceivedAtLeast(200):
	case <-time.After(3 * time.Second):
		t.Fatal("the job never started")
	}
	start := time.Now()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := r.p.Halt(); err != nil {
			t.Errorf("Halt: %v", err)
		}
	})
	var got result
	select {
	case got = <-res:
	case <-time.After(2 * time.Second):
		t.Fatal("Print did not return after Halt")
	}
	wg.Wait()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Halt took %v", d)
	}
	if !errors.Is(got.err, escpos.ErrHalted) || got.j.State != escpos.JobIncomplete || got.j.Sent >= got.j.Bytes {
		t.Fatalf("job cut short by Halt: %+v, %v", got.j, got.err)
	}
	if jobs := r.p.Jobs(); len(jobs) != 1 || jobs[0].State != escpos.JobIncomplete {
		t.Errorf("jobs %+v", jobs)
	}
	if _, err := r.p.Reprint(ctxT(t, 5*time.Second), got.j.ID); !errors.Is(err, escpos.ErrHalted) {
		t.Errorf("Reprint after Halt: %v", err)
	}
}
