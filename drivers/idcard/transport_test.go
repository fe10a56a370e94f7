package idcard_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// simLine opens the simulated reader's in-memory line, as Opts.Open.
func simLine(sim *idcardsim.Sim) func(context.Context) (idcard.Transport, error) {
	return func(context.Context) (idcard.Transport, error) { return sim.Conn() }
}

// The Reader supervised over a transport instead of a path: reads,
// unplug and replug, and Halt, without a pty.
func TestReaderOverTransport(t *testing.T) {
	sim := newSim(t, nil)
	h := startReader(t, idcard.Opts{Open: simLine(sim)})
	if s := h.r.String(); s != "idcard(transport)" {
		t.Errorf("String() = %q", s)
	}
	sim.Place(idcardsim.Han)
	e, _ := h.expect(t, idcard.CardPresent, 3*time.Second)
	wantCard(t, e.Card, idcardsim.Han, false)
	e.Card.Wipe()
	if st := h.r.SelfTest(context.Background()); !st.OK || st.Baud != 0 {
		t.Errorf("self-test over a transport: %+v", st)
	}

	sim.Unplug()
	e, _ = h.expect(t, idcard.Fault, 3*time.Second)
	if !errors.Is(e.Err, idcard.ErrGone) {
		t.Errorf("fault %v, want ErrGone", e.Err)
	}
	if st := h.dev.Status().State; st != devices.Offline {
		t.Errorf("state %v while unplugged, want offline", st)
	}
	sim.Replug()
	h.expect(t, idcard.Recovered, 3*time.Second)
	sim.Remove()
	sim.Place(idcardsim.Foreign2023)
	e, _ = h.expect(t, idcard.CardPresent, 3*time.Second)
	wantCard(t, e.Card, idcardsim.Foreign2023, false)
	e.Card.Wipe()

	if err := h.r.Halt(); err != nil {
		t.Fatalf("Halt: %v", err)
	}
	for e := range h.r.Events() { // closed once Run has returned
		if e.Kind == idcard.CardPresent {
			t.Errorf("card read after Halt")
		}
	}
	if st := h.dev.Status(); st.State != devices.Offline || st.Detail["media"] != "unknown" {
		t.Errorf("status after Halt %+v", st)
	}
	if _, err := h.r.ReadOnce(context.Background(), time.Second); !errors.Is(err, idcard.ErrNotRunning) {
		t.Errorf("ReadOnce after Halt: %v", err)
	}
	reqs := sim.Stats().Requests
	time.Sleep(200 * time.Millisecond) // five poll intervals
	if n := sim.Stats().Requests; n != reqs {
		t.Errorf("%d requests after Halt", n-reqs)
	}
	if err := h.r.Halt(); err != nil {
		t.Errorf("second Halt: %v", err)
	}
}

// Halt closes the line, so a reader that has stopped answering does not
// hold it for a whole command timeout.
func TestHaltInterruptsCommand(t *testing.T) {
	sim := newSim(t, nil)
	h := startReader(t, idcard.Opts{Open: simLine(sim), CommandTimeout: 10 * time.Second})
	waitOnline(t, h)
	sim.SetFault(idcardsim.FaultSilent)
	deadline := time.After(time.Second)
	for { // until a poll is waiting for a reply that will not come
		requested := sim.Requested()
		if sim.Stats().Ignored > 0 {
			break
		}
		select {
		case <-requested:
		case <-deadline:
			t.Fatal("no poll after the reader fell silent")
		}
	}
	start := time.Now()
	if err := h.r.Halt(); err != nil {
		t.Fatalf("Halt: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Halt took %v with a command outstanding", d)
	}
}

func TestHaltBeforeRun(t *testing.T) {
	r := idcard.NewReader(&idcard.Opts{Path: "/dev/null/none"})
	if err := r.Halt(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after Halt: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run after Halt did not return")
	}
	if _, ok := <-r.Events(); ok {
		t.Error("event from a halted reader")
	}
}

// A line the opener cannot open is the reader offline; one where nothing
// answers is no reader.
func TestDialOverTransport(t *testing.T) {
	sim := newSim(t, nil)
	ctx := context.Background()
	p, err := idcard.Dial(ctx, "bench reader", &idcard.DialOpts{Open: simLine(sim)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Path() != "bench reader" || p.Baud() != 0 {
		t.Errorf("port %q at %d baud", p.Path(), p.Baud())
	}
	if id, err := p.SAMID(ctx); err != nil || id != "05.01-20101201-000123456-000654321" {
		t.Errorf("SAM ID %q, %v", id, err)
	}
	p.Close()
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	sim.SetFault(idcardsim.FaultSilent)
	_, err = idcard.Dial(ctx, "bench reader", &idcard.DialOpts{Open: simLine(sim), ProbeTimeout: 50 * time.Millisecond})
	if !errors.Is(err, idcard.ErrNoReader) {
		t.Errorf("silent reader: %v, want ErrNoReader", err)
	}
	sim.Unplug()
	_, err = idcard.Dial(ctx, "bench reader", &idcard.DialOpts{Open: simLine(sim)})
	if !errors.Is(err, idcard.ErrGone) {
		t.Errorf("unplugged reader: %v, want ErrGone", err)
	}
}

// waitOnline waits for the reader's device to go online, on the
// registry's change events.
func waitOnline(t *testing.T, h harness) {
	t.Helper()
	changes, stop := h.reg.Subscribe(64)
	defer stop()
	deadline := time.After(2 * time.Second)
	for h.dev.Status().State != devices.Online {
		select {
		case <-changes:
		case <-deadline:
			t.Fatalf("never online: %+v", h.dev.Status())
		}
	}
}
