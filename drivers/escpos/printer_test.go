package escpos_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type rig struct {
	sim  *printersim.Sim
	p    *escpos.Printer
	dev  *devices.Device
	reg  *devices.Registry
	dir  string
	mu   sync.Mutex
	pngs []string
	cut  chan struct{} // a receipt's PNG was written and announced
}

func (r *rig) receipts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.pngs...)
}

func newRig(t testing.TB, simOpts printersim.Opts, opts escpos.Opts) *rig {
	t.Helper()
	r := &rig{dir: t.TempDir(), cut: make(chan struct{}, 64)}
	simOpts.Link = filepath.Join(r.dir, "printer")
	simOpts.Dir = r.dir
	if simOpts.FontPath == "" {
		simOpts.FontPath = "-" // the font does not matter here and loads slowly
	}
	simOpts.OnReceipt = func(path string, raw []byte) {
		r.mu.Lock()
		r.pngs = append(r.pngs, path)
		r.mu.Unlock()
		select {
		case r.cut <- struct{}{}:
		default:
		}
	}
	sim, err := printersim.New(&simOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	r.sim = sim
	r.reg = devices.NewRegistry(nil)
	r.dev = r.reg.Add(devices.Printer, devices.KindPrinter)
	opts.Path = sim.Path()
	opts.Device = r.dev
	if opts.Baud == 0 {
		opts.Baud = simOpts.Baud
	}
	r.p = escpos.NewPrinter(&opts)
	t.Cleanup(func() { r.p.Close() })
	return r
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestPrintReceipt(t *testing.T) {
	r := newRig(t, printersim.Opts{}, escpos.Opts{})
	doc := receipttest.Doc(false)
	j, err := r.p.Print(ctxT(t, 10*time.Second), doc)
	if err != nil {
		t.Fatalf("Print: %v (job %+v)", err, j)
	}
	if j.State != escpos.JobDone || j.Sent != j.Bytes || j.Attempts != 1 {
		t.Fatalf("job = %+v", j)
	}
	want, err := escpos.Encode(doc, escpos.Profile58)
	if err != nil {
		t.Fatal(err)
	}
	got := r.sim.Receipts()
	if len(got) != 1 || !bytes.Equal(got[0], want) {
		t.Fatalf("printer received %d receipts; first equal to the encoding: %v", len(got), len(got) == 1 && bytes.Equal(got[0], want))
	}
	select { // PNGs are written after the printer has answered
	case <-r.cut:
	case <-time.After(2 * time.Second):
	}
	if n := len(r.receipts()); n != 1 {
		t.Fatalf("%d receipt PNGs, want 1", n)
	}
	if last, ok := r.p.LastStatus(); !ok || last.Paper != escpos.PaperOK || last.Raw != [4]byte{0x12, 0x12, 0x12, 0x12} {
		t.Fatalf("LastStatus = %+v, %v", last, ok)
	}
	st := r.dev.Status()
	if st.State != devices.Online || st.Detail["paper"] != "ok" || st.Detail["cover"] != "closed" || st.Counters["prints"] != 1 {
		t.Fatalf("device = %+v", st)
	}
}

func TestPrintRefusedWhenNotReady(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*printersim.Sim)
		want  error
		state devices.State
	}{
		{"paper out", func(s *printersim.Sim) { s.SetPaper(printersim.PaperOut) }, escpos.ErrPaperOut, devices.UserError},
		{"cover open", func(s *printersim.Sim) { s.OpenCover(true) }, escpos.ErrCoverOpen, devices.UserError},
		{"cutter", func(s *printersim.Sim) { s.SetCutterError(true) }, escpos.ErrHardware, devices.HardwareError},
		{"offline", func(s *printersim.Sim) { s.SetOffline(true) }, escpos.ErrOffline, devices.Offline},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, printersim.Opts{}, escpos.Opts{})
			tc.fault(r.sim)
			j, err := r.p.Print(ctxT(t, 10*time.Second), receipttest.Doc(false))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if j.State != escpos.JobFailed || j.Sent != 0 {
				t.Fatalf("job = %+v", j)
			}
			if s := r.dev.Status().State; s != tc.state {
				t.Fatalf("device state %s, want %s", s, tc.state)
			}
			if r.sim.Received() > 12 {
				t.Fatalf("printer got %d bytes: more than the status requests", r.sim.Received())
			}
		})
	}
}

func TestPaperOutMidJobThenReprint(t *testing.T) {
	for _, xon := range []bool{false, true} {
		name := "no flow control"
		if xon {
			name = "xon/xoff"
		}
		t.Run(name, func(t *testing.T) {
			r := newRig(t, printersim.Opts{XONXOFF: xon}, escpos.Opts{XONXOFF: xon})
			r.sim.PaperOutAfter(300)
			ctx := ctxT(t, 15*time.Second)
			j, err := r.p.Print(ctx, receipttest.Doc(false))
			if !errors.Is(err, escpos.ErrPaperOut) || j.State != escpos.JobIncomplete {
				t.Fatalf("Print = %+v, %v; want incomplete, ErrPaperOut", j, err)
			}
			if r.sim.Partials() != 1 {
				t.Fatalf("partials = %d", r.sim.Partials())
			}
			st := r.dev.Status()
			if st.State != devices.UserError || st.Detail["paper"] != "out" {
				t.Fatalf("device = %+v", st)
			}
			// The technician loads paper and reprints.
			if _, err := r.p.Reprint(ctx, j.ID); !errors.Is(err, escpos.ErrPaperOut) {
				t.Fatalf("reprint with no paper: %v", err)
			}
			r.sim.SetPaper(printersim.PaperOK)
			j2, err := r.p.Reprint(ctx, j.ID)
			if err != nil || j2.State != escpos.JobDone || j2.ID != j.ID || j2.Attempts != 3 {
				t.Fatalf("Reprint = %+v, %v", j2, err)
			}
			got := r.sim.Receipts()
			banner, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(receipt.ReprintBanner))
			if len(got) != 1 || !bytes.Contains(got[0], banner) {
				t.Fatalf("reprinted receipts: %d", len(got))
			}
			jobs := r.p.Jobs()
			if len(jobs) != 1 || jobs[0].State != escpos.JobDone {
				t.Fatalf("jobs = %+v", jobs)
			}
			if _, err := r.p.Reprint(ctx, 99); !errors.Is(err, escpos.ErrNoJob) {
				t.Fatalf("reprint of unknown job: %v", err)
			}
		})
	}
}

func TestSilentPrinterIsOffline(t *testing.T) {
	r := newRig(t, printersim.Opts{}, escpos.Opts{})
	r.sim.SetSilent(true)
	start := time.Now()
	_, err := r.p.Status(ctxT(t, 10*time.Second))
	if !errors.Is(err, escpos.ErrOffline) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d < 2*time.Second || d > 3*time.Second {
		t.Fatalf("gave up after %v, want about 2 s", d)
	}
	if s := r.dev.Status().State; s != devices.Offline {
		t.Fatalf("state %s", s)
	}
	st := r.p.SelfTest(ctxT(t, 10*time.Second))
	if st.OK || st.Remedy == "" {
		t.Fatalf("self test %+v", st)
	}
	r.sim.SetSilent(false)
	if _, err := r.p.Status(ctxT(t, 5*time.Second)); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestUnplugReplugWhileRunning(t *testing.T) {
	r := newRig(t, printersim.Opts{}, escpos.Opts{PollEvery: 200 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.p.Run(ctx) }()
	waitState(t, r.reg, r.dev, devices.Online, 3*time.Second)
	if err := r.sim.Unplug(); err != nil {
		t.Fatal(err)
	}
	waitState(t, r.reg, r.dev, devices.Offline, 3*time.Second)
	if _, err := r.p.Print(ctxT(t, 5*time.Second), receipttest.Doc(false)); !errors.Is(err, escpos.ErrOffline) {
		t.Fatalf("print while unplugged: %v", err)
	}
	if err := r.sim.Replug(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitState(t, r.reg, r.dev, devices.Online, 3*time.Second)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("reconnected after %v", d)
	}
	if n := r.dev.Status().Counters["reconnects"]; n < 1 {
		t.Fatalf("reconnects = %d", n)
	}
	if _, err := r.p.Print(ctxT(t, 10*time.Second), receipttest.Doc(false)); err != nil {
		t.Fatalf("print after replug: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
}

func TestVanishMidJob(t *testing.T) {
	r := newRig(t, printersim.Opts{}, escpos.Opts{})
	var d receipt.Doc
	for range 60 {
		d.Line("河南省郑州市中牟县 24 小时政务服务大厅 line of text", 1, false, receipt.Left)
	}
	// The job is some 3 KB, a quarter of a second at 115200 baud: the
	// printer vanishes once it has read the first 512 bytes of it.
	go func() {
		select {
		case <-r.sim.ReceivedAtLeast(512):
			r.sim.Unplug()
		case <-t.Context().Done():
		}
	}()
	j, err := r.p.Print(ctxT(t, 10*time.Second), d)
	if !errors.Is(err, escpos.ErrOffline) || j.State != escpos.JobIncomplete {
		t.Fatalf("Print = %+v, %v", j, err)
	}
}

func TestPowerCycleAfterSilence(t *testing.T) {
	var cycles int
	var mu sync.Mutex
	r := newRig(t, printersim.Opts{}, escpos.Opts{
		PollEvery:     50 * time.Millisecond,
		StatusTimeout: 100 * time.Millisecond,
	})
	r.p = escpos.NewPrinter(&escpos.Opts{Path: r.sim.Path(), Device: r.dev, PollEvery: 50 * time.Millisecond,
		StatusTimeout: 100 * time.Millisecond, PowerCycle: func(context.Context) error {
			mu.Lock()
			cycles++
			mu.Unlock()
			r.sim.SetSilent(false)
			return nil
		}})
	r.sim.SetSilent(true)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go r.p.Run(ctx)
	waitState(t, r.reg, r.dev, devices.Online, 4*time.Second)
	mu.Lock()
	defer mu.Unlock()
	if cycles != 1 || r.dev.Status().Counters["power_cycles"] != 1 {
		t.Fatalf("cycles = %d, counters %v", cycles, r.dev.Status().Counters)
	}
}

func TestTestPageAndRasterQR(t *testing.T) {
	pr := escpos.Profile80
	pr.NativeQR = false
	pr.ChineseMode = escpos.PlainGBK
	r := newRig(t, printersim.Opts{Dots: 576, PlainGBK: true}, escpos.Opts{Profile: pr})
	if err := r.p.TestPage(ctxT(t, 15*time.Second)); err != nil {
		t.Fatal(err)
	}
	got := r.sim.Receipts()
	if len(got) != 1 || bytes.Contains(got[0], []byte{0x1d, 0x28, 0x6b}) || !bytes.Contains(got[0], []byte{0x1d, 0x76, 0x30}) {
		t.Fatalf("test page: %d receipts, want one with raster and no native QR", len(got))
	}
}

// waitState waits for d, in reg, to reach state want, on the registry's
// change events.
func waitState(t testing.TB, reg *devices.Registry, d *devices.Device, want devices.State, within time.Duration) {
	t.Helper()
	changes, stop := reg.Subscribe(64)
	defer stop()
	deadline := time.After(within)
	for d.Status().State != want {
		select {
		case <-changes:
		case <-deadline:
			t.Fatalf("device state %s, want %s within %v", d.Status().State, want, within)
		}
	}
}

func TestGarbageAndLateStatusBytes(t *testing.T) {
	r := newRig(t, printersim.Opts{}, escpos.Opts{})
	ctx := ctxT(t, 10*time.Second)
	if _, err := r.p.Status(ctx); err != nil { // open the port
		t.Fatal(err)
	}
	// A late "paper out" reply and noise arrive unasked; the next status
	// must not be taken from them.
	for range 3 {
		if err := r.sim.Inject([]byte{0x72, 0x00, 0xff, 0x1e, 0x13, 0x11}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		st, err := r.p.Status(ctx)
		if err != nil || st.Paper != escpos.PaperOK {
			t.Fatalf("status after garbage: %+v, %v", st, err)
		}
	}
	if _, err := r.p.Print(ctx, receipttest.Doc(false)); err != nil {
		t.Fatal(err)
	}
}

func TestPaperOutDetectedBetweenBands(t *testing.T) {
	pr := escpos.Profile58
	pr.NativeQR = false // the QR code goes as raster bands: a long job
	r := newRig(t, printersim.Opts{}, escpos.Opts{Profile: pr, StatusEvery: 1024})
	r.sim.PaperOutAfter(1500)
	j, err := r.p.Print(ctxT(t, 10*time.Second), receipttest.Doc(false))
	if !errors.Is(err, escpos.ErrPaperOut) || j.State != escpos.JobIncomplete {
		t.Fatalf("Print = %+v, %v", j, err)
	}
	if j.Sent >= j.Bytes || j.Sent < 1500 {
		t.Fatalf("sent %d of %d: paper out not caught between bands", j.Sent, j.Bytes)
	}
}
