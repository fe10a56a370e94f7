package host

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techmode"
)

// Opts configure a Host. Zero values take defaults.
type Opts struct {
	// Session configures the resident's journey. Its Now is replaced by
	// Clock's.
	Session session.Opts
	// Ports are the world; nil ports are things this kiosk lacks.
	Ports Ports
	// Technician, when set, enables the on-screen technician mode; its
	// calls run off the host's goroutine. TechOpts tunes the mode (nil:
	// techmode defaults); its Now is replaced by Clock's.
	Technician techmode.Technician
	TechOpts   *techmode.Opts
	// Clock gives the time and the ticks (nil: the system clock).
	Clock Clock
	// TickEvery is how often the journey and the technician mode get a
	// Tick (default 500 ms).
	TickEvery time.Duration
	// SubmitWait is how long a resident waits for the backend's answer
	// before a queueable matter is shown as queued, and how long an
	// online-only matter may take (default 8 s).
	SubmitWait time.Duration
	// PrintWait bounds one receipt (default 60 s).
	PrintWait time.Duration
	// RateRetry is the pause before a rating is sent again (default 5 s,
	// growing with each try).
	RateRetry time.Duration
	// Location is the kiosk's place in its hall, printed on receipts.
	Location string
	// OnChange is called, from the host's goroutine, after every change
	// of the view. It must not block (the screen schedules a frame).
	OnChange func()
	// Logger; nil discards.
	Logger *slog.Logger
}

// View is what the screen shows: the resident's journey, or the
// technician mode over it.
type View struct {
	// Rev changes whenever anything in the view changes.
	Rev uint64
	// Session is the resident's screen.
	Session session.View
	// Tech is the technician mode's screen while it is open, else nil.
	Tech *techmode.View
	// TechAllowed: the corner gesture may open the technician mode now
	// (no resident is in the middle of a matter).
	TechAllowed bool
}

// Host owns the resident's session and the technician mode. It runs
// them on its own goroutine, performs their effects through its ports,
// and is the one answer to "is a resident at the kiosk?".
type Host struct {
	o   Opts
	log *slog.Logger
	clk Clock

	// Owned by the loop goroutine.
	m       *session.Machine
	tech    *techmode.Machine
	techWas bool      // tech open, as last handed over to the session
	maint   bool      // the operator's maintenance wish
	until   time.Time // and when the operator expects the kiosk back
	door    bool      // cabinet door open
	light   string
	slotOn  bool     // the output-slot light is on
	docs    []string // transactions whose documents this session fetched
	// querying: payments being asked about now (one question at a time).
	querying map[string]bool
	wasIn    bool
	rev      uint64
	sRev     uint64
	tRev     uint64
	ctx      context.Context

	mu     sync.Mutex
	queue  []Event
	chg    chan struct{} // closed and replaced at every change (mu)
	wake   chan struct{}
	view   atomic.Pointer[View]
	inSess atomic.Bool
	work   sync.WaitGroup
	cam    cam     // the face check's camera, one operation at a time (face.go)
	phone  opQueue // the call to the duty desk, one operation at a time (call.go)
}

// New builds a host on the attract screen (or out of service without a
// catalog). Run starts it.
func New(o *Opts) *Host {
	h := &Host{wake: make(chan struct{}, 1), chg: make(chan struct{})}
	if o != nil {
		h.o = *o
	}
	if h.o.Clock == nil {
		h.o.Clock = SystemClock{}
	}
	h.clk = h.o.Clock
	if h.o.Logger == nil {
		h.o.Logger = slog.New(slog.DiscardHandler)
	}
	h.log = h.o.Logger
	if h.o.TickEvery <= 0 {
		h.o.TickEvery = 500 * time.Millisecond
	}
	if h.o.SubmitWait <= 0 {
		h.o.SubmitWait = 8 * time.Second
	}
	if h.o.RateRetry <= 0 {
		h.o.RateRetry = 5 * time.Second
	}
	if h.o.PrintWait <= 0 {
		h.o.PrintWait = 60 * time.Second
	}
	h.querying = map[string]bool{}
	so := h.o.Session
	so.Now = h.clk.Now
	so.IsPaperOut = isPaperOut
	so.Handwriting = h.o.Ports.Handwriting != nil
	so.Documents = h.o.Ports.Documents != nil
	so.Payments = h.o.Ports.Payments != nil
	so.IdentityCodes = h.o.Ports.IdentityCodes != nil
	so.Faces = h.o.Ports.Camera != nil
	so.Calls = h.o.Ports.Phone != nil
	so.Staff = h.o.Ports.Staff != nil
	h.o.Session = so
	h.m = session.New(&h.o.Session)
	if h.o.Technician != nil {
		var to techmode.Opts
		if h.o.TechOpts != nil {
			to = *h.o.TechOpts
		}
		to.Now = h.clk.Now
		h.tech = techmode.New(&to)
	}
	h.ctx = context.Background()
	h.publish()
	return h
}

// Post queues an event for the host: a session.Event, a techmode.Event or
// one of the host's own events. It never blocks; safe from any goroutine.
func (h *Host) Post(ev Event) {
	if ev == nil {
		return
	}
	h.mu.Lock()
	h.queue = append(h.queue, ev)
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// View returns the latest view. Safe from any goroutine.
func (h *Host) View() View { return *h.view.Load() }

// Changed returns a channel that is closed at the next change of the
// view. Read it before View to miss nothing. Safe from any goroutine.
func (h *Host) Changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.chg
}

// InSession reports whether a resident's session is running (personal
// data may exist). Safe from any goroutine.
func (h *Host) InSession() bool { return h.inSess.Load() }

// Sync returns once every event posted before it has been handled, or
// when ctx ends. For tests and for callers that must see their event's
// effect on the view.
func (h *Host) Sync(ctx context.Context) error {
	done := make(chan struct{})
	h.Post(syncMark{done})
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("host: sync: %w", ctx.Err())
	}
}

// Run handles events and ticks until ctx ends, then waits for the effects
// still being performed.
func (h *Host) Run(ctx context.Context) error {
	h.ctx = ctx
	h.safely(startEvent{})
	ticks, stop := h.clk.Ticker(h.o.TickEvery)
	defer stop()
	defer h.work.Wait()
	for {
		select {
		case <-ctx.Done():
			return nil
		case t := <-ticks:
			h.safely(tickEvent{t})
		case <-h.wake:
		}
		h.drain(ticks)
	}
}

// drain handles every queued event, oldest first, then publishes the view.
//
// A tick that arrived before the events just taken is handled before them,
// so the journey sees time and touches in the order they happened.
func (h *Host) drain(ticks <-chan time.Time) {
	for {
		h.mu.Lock()
		q := h.queue
		h.queue = nil
		h.mu.Unlock()
		select {
		case t := <-ticks:
			h.safely(tickEvent{t})
		default:
		}
		if len(q) == 0 {
			break
		}
		for _, ev := range q {
			h.safely(ev)
		}
	}
	h.publish()
}

// safely handles one event; a panic in the journey or the technician mode
// is logged and the kiosk carries on with its next event.
func (h *Host) safely(ev Event) {
	defer func() {
		if r := recover(); r != nil {
			h.log.Error("event handling failed; the kiosk carries on", "event", fmt.Sprintf("%T", ev), "panic", r, "stack", string(debug.Stack()))
		}
	}()
	h.handle(ev)
}

func (h *Host) handle(ev Event) {
	switch e := ev.(type) {
	case syncMark:
		h.publish()
		close(e.done)
	case startEvent:
		// The lamp says from the start whether the kiosk can serve.
		h.setLight(lightFor(h.m.Screen()))
	case tickEvent:
		h.session(session.Tick{Now: e.t})
		if h.techOpen() {
			h.techEvent(techmode.Tick{})
		}
		h.betweenSessions()
	case OpenTechnician:
		if h.tech != nil && !h.techOpen() && techAllowed(h.m.Screen()) {
			h.techEvent(techmode.Open{})
		}
	case SetMaintenance:
		h.maint, h.until = e.On, e.Until
		if !h.techOpen() {
			h.session(session.Maintenance{On: e.On, Until: e.Until})
		}
	case DoorChanged:
		h.doorChanged(e.Open)
	case queryDone:
		delete(h.querying, e.txID)
	case session.Maintenance:
		// Maintenance is the operator's (SetMaintenance) or the
		// technician mode's; a bare one counts as the operator's.
		h.handle(SetMaintenance(e))
	case session.Event:
		h.session(e)
	case techmode.Event:
		if h.techOpen() {
			h.techEvent(e)
		}
	default:
		h.log.Warn("unknown event dropped", "event", fmt.Sprintf("%T", ev))
	}
}

// session feeds the journey and performs its effects.
func (h *Host) session(ev session.Event) {
	for _, fx := range h.m.Handle(ev) {
		h.perform(fx)
	}
	in := h.m.Active()
	if in && !h.wasIn && h.o.Ports.Journal != nil {
		h.o.Ports.Journal.SessionStarted()
	}
	h.wasIn = in
	h.inSess.Store(in)
	if !in {
		h.betweenSessions()
	}
}

// betweenSessions does what may only happen while no resident is at the
// kiosk: applying a staged service list.
func (h *Host) betweenSessions() {
	if h.m.Active() || h.o.Ports.Catalog == nil {
		return
	}
	if h.o.Ports.Catalog.ApplyStaged(h.clk.Now()) && !h.m.Active() {
		// The attract screen shows the new list's hall name and the
		// out-of-service screen may now have matters to offer.
		h.session(session.DevicesChanged{})
	}
}

// publish stores the view when it changed and tells the screen.
func (h *Host) publish() {
	open := h.techOpen()
	var tRev uint64
	if open {
		tRev = h.tech.Rev()
	}
	if cur := h.view.Load(); cur != nil && h.m.Rev() == h.sRev && tRev == h.tRev && open == (cur.Tech != nil) {
		return
	}
	sv := h.m.View()
	var tv *techmode.View
	if open {
		v := h.tech.View()
		tv = &v
	}
	h.sRev, h.tRev = sv.Rev, tRev
	h.rev++
	h.view.Store(&View{Rev: h.rev, Session: sv, Tech: tv, TechAllowed: h.tech != nil && tv == nil && techAllowed(sv.Screen)})
	h.mu.Lock()
	close(h.chg)
	h.chg = make(chan struct{})
	h.mu.Unlock()
	if h.o.OnChange != nil {
		h.o.OnChange()
	}
}

// goWork runs slow work off the loop; its outcome comes back through Post.
func (h *Host) goWork(fn func(ctx context.Context)) {
	h.work.Add(1)
	ctx := h.ctx
	go func() {
		defer h.work.Done()
		defer func() {
			if r := recover(); r != nil {
				h.log.Error("effect failed; the kiosk carries on", "panic", r, "stack", string(debug.Stack()))
			}
		}()
		fn(ctx)
	}()
}
