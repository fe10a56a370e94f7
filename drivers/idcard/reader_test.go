package idcard_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
)

func newSim(t *testing.T, o *idcardsim.Opts) *idcardsim.Sim {
	t.Helper()
	if o == nil {
		o = &idcardsim.Opts{}
	}
	s, err := idcardsim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// armClock is a Reader's After: real timers, counted by duration as they
// are armed. The Reader arms one at the end of each poll, each failed
// look for its port and each look of a read test, so a test waits until
// it has done a thing n times instead of sleeping long enough.
type armClock struct {
	mu      sync.Mutex
	armed   map[time.Duration]int
	waiters []armWaiter
}

type armWaiter struct {
	d  time.Duration
	n  int
	ch chan struct{}
}

func newArmClock() *armClock { return &armClock{armed: map[time.Duration]int{}} }

func (c *armClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.armed[d]++
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if c.armed[w.d] >= w.n {
			close(w.ch)
			continue
		}
		kept = append(kept, w)
	}
	c.waiters = kept
	c.mu.Unlock()
	return time.After(d)
}

// Armed is how many timers of d have been armed so far.
func (c *armClock) Armed(d time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.armed[d]
}

// Reached returns a channel closed once n timers of d have been armed.
func (c *armClock) Reached(d time.Duration, n int) <-chan struct{} {
	ch := make(chan struct{})
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed[d] >= n {
		close(ch)
		return ch
	}
	c.waiters = append(c.waiters, armWaiter{d: d, n: n, ch: ch})
	return ch
}

// WaitArmed waits until n timers of d have been armed.
func (c *armClock) WaitArmed(t *testing.T, d time.Duration, n int, within time.Duration) {
	t.Helper()
	select {
	case <-c.Reached(d, n):
	case <-time.After(within):
		t.Fatalf("%d timers of %v armed within %v, want %d", c.Armed(d), d, within, n)
	}
}

type harness struct {
	r   *idcard.Reader
	dev *devices.Device
	reg *devices.Registry
}

// startReader runs a Reader on path until the test ends.
func startReader(t *testing.T, o idcard.Opts) harness {
	t.Helper()
	reg := devices.NewRegistry(nil)
	h := harness{reg: reg, dev: reg.Add(devices.IDCard, devices.KindIDCard)}
	if o.PollInterval == 0 {
		o.PollInterval = 40 * time.Millisecond
	}
	if o.CommandTimeout == 0 {
		o.CommandTimeout = 500 * time.Millisecond
	}
	if o.ProbeTimeout == 0 {
		o.ProbeTimeout = 150 * time.Millisecond
	}
	o.Device = h.dev
	h.r = idcard.NewReader(&o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(3 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return h
}

// expect waits for an event of kind, returning it and the events skipped.
func (h harness) expect(t *testing.T, kind idcard.EventKind, within time.Duration) (idcard.Event, []idcard.Event) {
	t.Helper()
	deadline := time.After(within)
	var skipped []idcard.Event
	for {
		select {
		case e, ok := <-h.r.Events():
			if !ok {
				t.Fatalf("events closed waiting for %v", kind)
			}
			if e.Kind == kind {
				return e, skipped
			}
			skipped = append(skipped, e)
		case <-deadline:
			t.Fatalf("no %v within %v (saw %v)", kind, within, kinds(skipped))
		}
	}
}

// quiet asserts that no event comes for d.
func (h harness) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case e := <-h.r.Events():
		t.Fatalf("unexpected event %v (err %v)", e.Kind, e.Err)
	case <-time.After(d):
	}
}

func kinds(es []idcard.Event) []string {
	var out []string
	for _, e := range es {
		s := e.Kind.String()
		if e.Err != nil {
			s += "(" + e.Err.Error() + ")"
		}
		out = append(out, s)
	}
	return out
}

func wantCard(t *testing.T, got *identity.Card, name string, withFinger bool) {
	t.Helper()
	want, _ := idcardsim.Fixture(name)
	if !withFinger {
		want.Fingerprint = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("card %s:\n got %+v\nwant %+v", name, got, want)
	}
}

func TestReaderReadsEveryFixture(t *testing.T) {
	sim := newSim(t, nil)
	h := startReader(t, idcard.Opts{Path: sim.Path()})
	for i, name := range idcardsim.Fixtures() {
		if err := sim.Place(name); err != nil {
			t.Fatal(err)
		}
		e, skipped := h.expect(t, idcard.CardPresent, 3*time.Second)
		wantCard(t, e.Card, name, false)
		// The reader halts a read card, so the previous card's removal is
		// known when the next one is found.
		if i > 0 && (len(skipped) != 1 || skipped[0].Kind != idcard.CardRemoved) {
			t.Errorf("%s: before CardPresent saw %v, want one cardRemoved", name, kinds(skipped))
		}
		e.Card.Wipe()
	}
	st := h.dev.Status()
	if st.State != devices.Online || st.Counters["reads"] != uint64(len(idcardsim.Fixtures())) {
		t.Errorf("device status %+v", st)
	}
	if sim.Stats().Reads != len(idcardsim.Fixtures()) {
		t.Errorf("sim answered %d reads", sim.Stats().Reads)
	}
}

// TestPresence runs both reader behaviours (a read card halted until it
// leaves the field, or found again while it lies there) against each
// setting of FindAfterRead, through the real serial code on the pty
// simulator, with select answering zeros as real readers do and, to show
// the driver does not care, per-card serial numbers.
func TestPresence(t *testing.T) {
	for _, tc := range []struct {
		name     string
		refind   bool // the simulated reader finds read cards again
		mode     idcard.FindAfterRead
		serials  bool
		reads    int             // the sim's reads while the card lies there
		presence idcard.Presence // while it lies there
	}{
		{"halting reader, auto", false, idcard.FindAuto, false, 1, idcard.PresenceUnknown},
		{"halting reader, halts", false, idcard.FindHalts, false, 1, idcard.PresenceUnknown},
		{"halting reader, halts, serials", false, idcard.FindHalts, true, 1, idcard.PresenceUnknown},
		// auto reads once more to learn the same card is still there.
		{"refinding reader, auto", true, idcard.FindAuto, false, 2, idcard.PresencePresent},
		{"refinding reader, auto, serials", true, idcard.FindAuto, true, 2, idcard.PresencePresent},
		{"refinding reader, refinds", true, idcard.FindRefinds, false, 1, idcard.PresencePresent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim := newSim(t, &idcardsim.Opts{Refind: tc.refind, Serials: tc.serials})
			h := startReader(t, idcard.Opts{Path: sim.Path(), FindAfterRead: tc.mode})
			sim.Place(idcardsim.Han)
			e, _ := h.expect(t, idcard.CardPresent, 3*time.Second)
			wantCard(t, e.Card, idcardsim.Han, false)
			e.Card.Wipe()
			h.quiet(t, 400*time.Millisecond) // ten polls, no second CardPresent
			if n := sim.Stats().Reads; n != tc.reads {
				t.Fatalf("card read %d times while it stayed, want %d", n, tc.reads)
			}
			if p := h.r.Presence(); p != tc.presence {
				t.Errorf("presence %v while the card lies there, want %v", p, tc.presence)
			}
			wantMedia := map[idcard.Presence]string{idcard.PresenceUnknown: "unknown", idcard.PresencePresent: "present"}[tc.presence]
			if m := h.dev.Status().Detail["media"]; m != wantMedia {
				t.Errorf("media %q, want %q", m, wantMedia)
			}
			sim.Remove()
			if tc.refind {
				// Find stops finding it: gone, at once.
				h.expect(t, idcard.CardRemoved, 2*time.Second)
				if p := h.r.Presence(); p != idcard.PresenceAbsent {
					t.Errorf("presence %v after removal, want absent", p)
				}
			} else {
				// "No card" as before: still unknown, no event.
				h.quiet(t, 200*time.Millisecond)
				if p := h.r.Presence(); p != idcard.PresenceUnknown {
					t.Errorf("presence %v after removal from a halting reader, want unknown", p)
				}
			}
			// The same card placed again is read again.
			sim.Place(idcardsim.Han)
			e, skipped := h.expect(t, idcard.CardPresent, 3*time.Second)
			wantCard(t, e.Card, idcardsim.Han, false)
			e.Card.Wipe()
			if !tc.refind && (len(skipped) != 1 || skipped[0].Kind != idcard.CardRemoved) {
				t.Errorf("halting reader: before the card placed again saw %v, want one cardRemoved", kinds(skipped))
			}
			if p := h.r.Presence(); p != idcard.PresencePresent {
				t.Errorf("presence %v just after a read, want present", p)
			}
		})
	}
}

// TestSwapTellsCardsApartByTheirText: a refinding reader whose card is
// swapped for another before the first poll after the read never answers
// "no card", and select answers zeros for both: the read tells them apart.
func TestSwapTellsCardsApartByTheirText(t *testing.T) {
	sim := newSim(t, &idcardsim.Opts{Refind: true})
	h := startReader(t, idcard.Opts{Path: sim.Path(), PollInterval: 400 * time.Millisecond})
	sim.Place(idcardsim.Han)
	e, _ := h.expect(t, idcard.CardPresent, 3*time.Second)
	e.Card.Wipe()
	sim.Place(idcardsim.Minority) // within the poll interval
	e, skipped := h.expect(t, idcard.CardPresent, 3*time.Second)
	wantCard(t, e.Card, idcardsim.Minority, false)
	e.Card.Wipe()
	if len(skipped) != 1 || skipped[0].Kind != idcard.CardRemoved {
		t.Errorf("before the second card saw %v, want one cardRemoved", kinds(skipped))
	}
}

func TestParseFindAfterRead(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want idcard.FindAfterRead
		ok   bool
	}{
		{"", idcard.FindAuto, true},
		{"auto", idcard.FindAuto, true},
		{"halts", idcard.FindHalts, true},
		{"refinds", idcard.FindRefinds, true},
		{"Halts", 0, false},
		{"refind", 0, false},
	} {
		got, err := idcard.ParseFindAfterRead(tc.in)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseFindAfterRead(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && tc.in != "" && got.String() != tc.in {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}

func TestFaultsThenNextCardReads(t *testing.T) {
	for _, tc := range []struct {
		fault idcardsim.Fault
		kind  idcard.EventKind // what the fault leads to
		err   error
	}{
		{idcardsim.FaultGarbage, idcard.CardPresent, nil},
		{idcardsim.FaultSplit, idcard.CardPresent, nil},
		{idcardsim.FaultSlow, idcard.ReadFailed, idcard.ErrTimeout},
		{idcardsim.FaultBadChecksum, idcard.ReadFailed, idcard.ErrFrameChecksum},
		{idcardsim.FaultSAMSelfTest, idcard.Fault, idcard.ErrSAMSelfTest},
		{idcardsim.FaultSilent, idcard.Fault, idcard.ErrTimeout},
		{idcardsim.FaultRemoveMidRead, idcard.ReadFailed, idcard.ErrCardRemoved},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			t.Parallel()
			sim := newSim(t, nil)
			h := startReader(t, idcard.Opts{Path: sim.Path()})
			// Online first, then the fault.
			sim.Place(idcardsim.Minority)
			e, _ := h.expect(t, idcard.CardPresent, 3*time.Second)
			e.Card.Wipe()
			sim.Remove()
			sim.SetFault(tc.fault)
			sim.Place(idcardsim.Han)
			e, _ = h.expect(t, tc.kind, 5*time.Second)
			if tc.err != nil && !errors.Is(e.Err, tc.err) {
				t.Errorf("%v event error %v, want %v", tc.kind, e.Err, tc.err)
			}
			if tc.kind == idcard.CardPresent {
				wantCard(t, e.Card, idcardsim.Han, false)
			}
			if tc.kind == idcard.Fault && h.dev.Status().State != devices.HardwareError {
				t.Errorf("state %v during fault", h.dev.Status().State)
			}
			// Healed: the next card reads.
			sim.SetFault(idcardsim.FaultNone)
			sim.Remove()
			sim.Place(idcardsim.HMTPermit)
			e, skipped := h.expect(t, idcard.CardPresent, 8*time.Second)
			wantCard(t, e.Card, idcardsim.HMTPermit, false)
			if tc.kind == idcard.Fault {
				seen := false
				for _, s := range skipped {
					seen = seen || s.Kind == idcard.Recovered
				}
				if !seen {
					t.Errorf("no Recovered before the next card: %v", kinds(skipped))
				}
			}
			if st := h.dev.Status(); st.State != devices.Online {
				t.Errorf("state %v after healing", st.State)
			}
		})
	}
}

func TestUnplugReplug(t *testing.T) {
	const reopen = 250 * time.Millisecond
	sim := newSim(t, nil)
	clk := newArmClock()
	h := startReader(t, idcard.Opts{Path: sim.Path(), PollInterval: 200 * time.Millisecond,
		ReopenInterval: reopen, After: clk.After})
	sim.Place(idcardsim.Han)
	e, _ := h.expect(t, idcard.CardPresent, 3*time.Second)
	e.Card.Wipe()
	sim.Unplug()
	e, _ = h.expect(t, idcard.Fault, 3*time.Second)
	if !errors.Is(e.Err, idcard.ErrGone) {
		t.Errorf("fault %v, want ErrGone", e.Err)
	}
	if st := h.dev.Status().State; st != devices.Offline {
		t.Errorf("state %v, want offline", st)
	}
	// The port stays away while the reader looks for it three times.
	clk.WaitArmed(t, reopen, clk.Armed(reopen)+3, 3*time.Second)
	if err := sim.Replug(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	h.expect(t, idcard.Recovered, 2*time.Second)
	t.Logf("reconnected %v after the port came back", time.Since(start))
	if st := h.dev.Status(); st.State != devices.Online || st.Counters["reconnects"] != 1 {
		t.Errorf("status %+v", st)
	}
	sim.Remove()
	sim.Place(idcardsim.ForeignOld)
	e, _ = h.expect(t, idcard.CardPresent, 3*time.Second)
	wantCard(t, e.Card, idcardsim.ForeignOld, false)
}

func TestStartsWhileUnplugged(t *testing.T) {
	sim := newSim(t, nil)
	sim.Unplug()
	h := startReader(t, idcard.Opts{Path: sim.Path()})
	h.expect(t, idcard.Fault, 2*time.Second)
	st := h.r.SelfTest(context.Background())
	if st.OK || st.Verdict != "offline" || st.Remedy == "" {
		t.Errorf("self-test while unplugged: %+v", st)
	}
	sim.Replug()
	h.expect(t, idcard.Recovered, 2*time.Second)
}

func TestBaudDetectionAndSwitch(t *testing.T) {
	sim := newSim(t, &idcardsim.Opts{Baud: 9600})
	h := startReader(t, idcard.Opts{Path: sim.Path(), Baud: 115200})
	sim.Place(idcardsim.LongTerm)
	e, _ := h.expect(t, idcard.CardPresent, 5*time.Second)
	wantCard(t, e.Card, idcardsim.LongTerm, false)
	if b := sim.Baud(); b != 115200 {
		t.Errorf("reader left at %d baud, want switched to 115200", b)
	}
	if sim.Stats().BaudWrong == 0 {
		t.Error("the first probe at 115200 should have missed")
	}
}

func TestSelfTestAndReadOnce(t *testing.T) {
	// ReadOnce looks for a card every 200 ms; the Reader polls every
	// 40 ms (startReader), so a timer of 200 ms is a read test's look.
	const look = 200 * time.Millisecond
	sim := newSim(t, nil)
	clk := newArmClock()
	h := startReader(t, idcard.Opts{Path: sim.Path(), After: clk.After})
	ctx := context.Background()
	waitOnline(t, h)
	st := h.r.SelfTest(ctx)
	if !st.OK || st.SAMID != "05.01-20101201-000123456-000654321" || st.Baud != 115200 {
		t.Errorf("self-test %+v", st)
	}
	sim.SetFault(idcardsim.FaultSAMSelfTest)
	st = h.r.SelfTest(ctx)
	if st.OK || st.Verdict != "samFailed" || st.Remedy == "" {
		t.Errorf("self-test with failed SAM %+v", st)
	}
	sim.SetFault(idcardsim.FaultNone)

	// Read test: the card is placed once the test has looked and found
	// none, and is not handed to the resident's session.
	looked := clk.Reached(look, clk.Armed(look)+1)
	go func() {
		select {
		case <-looked:
			sim.Place(idcardsim.Foreign2023)
		case <-t.Context().Done():
		}
	}()
	c, err := h.r.ReadOnce(ctx, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	wantCard(t, c, idcardsim.Foreign2023, false)
	h.quiet(t, 300*time.Millisecond)

	sim.Remove()
	start := time.Now()
	_, err = h.r.ReadOnce(ctx, 500*time.Millisecond)
	if !errors.Is(err, idcard.ErrNoCard) {
		t.Errorf("ReadOnce without card: %v", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("ReadOnce waited %v for a 500ms wait", d)
	}
	r := idcard.NewReader(&idcard.Opts{Path: sim.Path()})
	if _, err := r.ReadOnce(ctx, time.Second); !errors.Is(err, idcard.ErrNotRunning) {
		t.Errorf("ReadOnce on a reader not running: %v", err)
	}
}

func TestPowerCycleBounded(t *testing.T) {
	const poll = 20 * time.Millisecond
	sim := newSim(t, nil)
	clk := newArmClock()
	var calls atomic.Int32
	var mu sync.Mutex
	h := startReader(t, idcard.Opts{Path: sim.Path(), PollInterval: poll, After: clk.After,
		CommandTimeout: 150 * time.Millisecond, ProbeTimeout: 20 * time.Millisecond,
		PowerCycleAfter: 2, PowerCycleLimit: 2,
		PowerCycle: func(ctx context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			calls.Add(1)
			return nil
		}})
	sim.SetFault(idcardsim.FaultSilent)
	h.expect(t, idcard.Fault, 3*time.Second)
	// Each failed recovery ends in a wait of one poll interval. Cycling
	// after every second failure, a reader without the limit would have
	// cycled a third time before the fifth of them.
	clk.WaitArmed(t, poll, clk.Armed(poll)+5, 10*time.Second)
	if n := calls.Load(); n != 2 {
		t.Errorf("power-cycled %d times, want the hourly limit 2", n)
	}
	sim.SetFault(idcardsim.FaultNone)
	h.expect(t, idcard.Recovered, 3*time.Second)
}
