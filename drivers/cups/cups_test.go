package cups_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/cups/cupssim"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// onePagePDF is a minimal valid one-page A4 PDF with one line of text.
func onePagePDF(text string) []byte {
	return cups.OnePage(fmt.Sprintf("BT /F1 24 Tf 72 760 Td (%s) Tj ET", text))
}

func startSim(t *testing.T) *cupssim.Sim { return cupssim.StartForTest(t) }

func newPrinter(sim *cupssim.Sim) (*cups.Printer, *devices.Registry) {
	reg := devices.NewRegistry(nil)
	p := cups.New(&cups.Opts{Server: sim.Server(), Queue: sim.Queue(), Timeout: 5 * time.Second,
		Device: reg.Add(devices.A4, devices.KindA4)})
	return p, reg
}

func TestPrintReachesPrinter(t *testing.T) {
	sim := startSim(t)
	p, reg := newPrinter(sim)
	defer p.Halt()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	st, err := p.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Online || st.Err() != nil || st.State != cups.PrinterIdle {
		t.Fatalf("printer before printing: %+v (err %v)", st, st.Err())
	}
	if s, _ := reg.Get(devices.A4); s.State != devices.Online || s.Detail["paper"] != "ok" {
		t.Errorf("device: %+v", s)
	}
	if len(st.Trays) == 0 || len(st.Markers) == 0 {
		t.Errorf("no trays or markers from the printer: %+v", st)
	}

	id, err := p.Print(ctx, onePagePDF("Kiosk A4 test 20261202"), "test page")
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	j, err := p.Wait(ctx, id, 200*time.Millisecond, func(j cups.JobState) { seen = append(seen, j.State) })
	if err != nil {
		t.Fatal(err)
	}
	if j.State != cups.JobCompleted {
		t.Fatalf("job ended %+v, want completed (seen %v)", j, seen)
	}
	docs, err := sim.Documents()
	if err != nil || len(docs) != 1 {
		t.Fatalf("printed documents %v, %v; want one", docs, err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) not installed")
		}
		t.Skip("pdftotext not installed; the document arrived")
	}
	out, err := exec.CommandContext(ctx, "pdftotext", docs[0], "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", docs[0], err)
	}
	if !strings.Contains(string(out), "Kiosk A4 test 20261202") {
		t.Errorf("printed text %q", out)
	}
}

func TestMediaEmptyMidJob(t *testing.T) {
	sim := startSim(t)
	p, reg := newPrinter(sim)
	defer p.Halt()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if err := sim.SetFault(ctx, cupssim.MediaEmpty); err != nil {
		t.Fatal(err)
	}
	id, err := p.Print(ctx, onePagePDF("no paper"), "no paper")
	if err != nil {
		t.Fatal(err)
	}
	j, err := p.Wait(ctx, id, 200*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	// cupsd ends it aborted or canceled, or (CUPS's ipp backend, at times,
	// under load) completed: media-empty among its reasons makes it a
	// failure either way.
	if !j.Done() || !errors.Is(j.Err(), cups.ErrMediaEmpty) {
		t.Errorf("job ended %+v (Err %v), want a failure for paper out", j, j.Err())
	}
	if !slices.Contains(j.Reasons, "media-empty") {
		t.Errorf("job reasons %v lack media-empty", j.Reasons)
	}
	st, err := p.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Has("media-empty") || !errors.Is(st.Err(), cups.ErrMediaEmpty) {
		t.Errorf("printer %+v, want media-empty", st)
	}
	s, _ := reg.Get(devices.A4)
	if s.State != devices.UserError || s.Detail["paper"] != "out" || !strings.Contains(s.LastError, "paper") {
		t.Errorf("device %+v, want userError, paper out", s)
	}

	// Paper refilled: the printer says so at once, although cupsd keeps
	// the last job's media-empty until another job; the next job prints.
	if err := sim.SetFault(ctx, cupssim.NoFault); err != nil {
		t.Fatal(err)
	}
	if st, err := p.Poll(ctx); err != nil || st.Has("media-empty") || st.Err() != nil {
		t.Errorf("refilled, before any job: %+v, %v", st, err)
	}
	id, err = p.Print(ctx, onePagePDF("paper again"), "paper again")
	if err != nil {
		t.Fatal(err)
	}
	if j, err := p.Wait(ctx, id, 200*time.Millisecond, nil); err != nil || j.State != cups.JobCompleted {
		t.Fatalf("after refill: %+v, %v", j, err)
	}
	if st, err := p.Poll(ctx); err != nil || st.Has("media-empty") {
		t.Errorf("after refill: %+v, %v", st, err)
	}
	if s, _ := reg.Get(devices.A4); s.State != devices.Online {
		t.Errorf("after refill device %+v", s)
	}

	// A jam is told apart from an empty tray.
	if err := sim.SetFault(ctx, cupssim.MediaJam); err != nil {
		t.Fatal(err)
	}
	id, err = p.Print(ctx, onePagePDF("jammed"), "jammed")
	if err != nil {
		t.Fatal(err)
	}
	// cupsd may end the job aborted, canceled or (CUPS's ipp backend, at
	// times) completed; the jam among its reasons makes it a failure.
	if j, err := p.Wait(ctx, id, 200*time.Millisecond, nil); err != nil || !errors.Is(j.Err(), cups.ErrMediaJam) {
		t.Errorf("jammed job: %+v (Err %v), %v", j, j.Err(), err)
	}
	if st, err := p.Poll(ctx); err != nil || !errors.Is(st.Err(), cups.ErrMediaJam) {
		t.Errorf("jammed printer: %+v, %v", st, err)
	}
	if s, _ := reg.Get(devices.A4); s.State != devices.UserError || s.Detail["paper"] != "jam" {
		t.Errorf("jammed device %+v", s)
	}
}

func TestOfflineAndCupsdGone(t *testing.T) {
	sim := startSim(t)
	p, reg := newPrinter(sim)
	defer p.Halt()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if err := sim.StopPrinter(); err != nil {
		t.Fatal(err)
	}
	st, err := p.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Online || !st.Has("offline") || !errors.Is(st.Err(), cups.ErrOffline) {
		t.Errorf("printer stopped: %+v", st)
	}
	if s, _ := reg.Get(devices.A4); s.State != devices.Offline || s.Detail["state"] != "offline" {
		t.Errorf("device %+v, want offline", s)
	}

	// A job for an offline printer waits in cupsd; the kiosk can cancel it.
	id, err := p.Print(ctx, onePagePDF("never printed"), "offline")
	if err != nil {
		t.Fatal(err)
	}
	if j, err := p.Job(ctx, id); err != nil || j.Done() {
		t.Fatalf("job for an offline printer: %+v, %v", j, err)
	}
	if err := p.Cancel(ctx, id); err != nil {
		t.Fatal(err)
	}
	if j, err := p.Wait(ctx, id, 100*time.Millisecond, nil); err != nil || j.State != cups.JobCanceled {
		t.Errorf("after Cancel: %+v, %v", j, err)
	}
	if _, err := p.Job(ctx, id+100); !errors.Is(err, cups.ErrNoJob) {
		t.Errorf("unknown job: %v, want ErrNoJob", err)
	}

	if err := sim.StartPrinter(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := p.Poll(ctx); err != nil || !st.Online {
		t.Errorf("printer back: %+v, %v", st, err)
	}

	wrong := cups.New(&cups.Opts{Server: sim.Server(), Queue: "nosuch"})
	if _, err := wrong.Printer(ctx); !errors.Is(err, cups.ErrNoQueue) {
		t.Errorf("unknown queue: %v, want ErrNoQueue", err)
	}

	// cupsd gone: clear errors, the device offline, no panic, and Run
	// keeps going until it is told to stop.
	if err := sim.StopCUPS(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Printer(ctx); !errors.Is(err, cups.ErrUnreachable) {
		t.Errorf("Printer with cupsd gone: %v, want ErrUnreachable", err)
	}
	if _, err := p.Print(ctx, onePagePDF("x"), "x"); !errors.Is(err, cups.ErrUnreachable) {
		t.Errorf("Print with cupsd gone: %v, want ErrUnreachable", err)
	}
	runCtx, stop := context.WithTimeout(ctx, 500*time.Millisecond)
	defer stop()
	if err := p.Run(runCtx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run: %v", err)
	}
	s, _ := reg.Get(devices.A4)
	if s.State != devices.Offline || !strings.Contains(s.LastError, "not reachable") {
		t.Errorf("device %+v, want offline with cupsd not reachable", s)
	}
	if err := p.Halt(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Printer(ctx); !errors.Is(err, cups.ErrHalted) {
		t.Errorf("after Halt: %v", err)
	}
}
