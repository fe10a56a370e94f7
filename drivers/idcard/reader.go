package idcard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/powercycle"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// EventKind says what happened at the reader.
type EventKind int

const (
	// CardPresent: a card was read; Event.Card holds it.
	CardPresent EventKind = iota + 1
	// CardRemoved: the card that was read has left the field.
	CardRemoved
	// Fault: the reader stopped working (no answer, SAM failure, port
	// gone); Event.Err says why. The Reader keeps trying to recover.
	Fault
	// Recovered: the reader works again after a Fault.
	Recovered
	// ReadFailed: a card was there but could not be read (taken away
	// mid-read, damaged replies after every retry, authentication
	// failure); Event.Err says why. The card must be lifted and placed
	// again.
	ReadFailed
)

func (k EventKind) String() string {
	switch k {
	case CardPresent:
		return "cardPresent"
	case CardRemoved:
		return "cardRemoved"
	case Fault:
		return "fault"
	case Recovered:
		return "recovered"
	case ReadFailed:
		return "readFailed"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one thing the kiosk hears from the reader. Card belongs to the
// receiver, who must Wipe it when the resident's session ends.
type Event struct {
	Kind EventKind
	Card *identity.Card
	Err  error
	Time time.Time
}

// Errors the Reader reports.
var (
	// ErrCardRemoved: the card left the field before its read finished.
	ErrCardRemoved = errors.New("idcard: card taken away before the read finished")
	// ErrNotRunning: SelfTest or ReadOnce was called while Run is not running.
	ErrNotRunning = errors.New("idcard: reader is not running")
	// ErrOffline: the reader's port is not there now.
	ErrOffline = errors.New("idcard: reader offline")
)

// Opts configures a Reader. nil means defaults.
type Opts struct {
	// Path is the reader's serial port, e.g. /dev/kiosk-idcard, opened
	// through drivers/serialport. With Open set it only names the reader.
	Path string
	// Open, when set, opens the line to the reader instead of Path, each
	// time the Reader connects (at start, and again after the line has
	// failed). The line has no baud rate: Baud is ignored. It reports a
	// reader that is not there with an error wrapping ErrGone.
	Open func(ctx context.Context) (Transport, error)
	// Baud is the wanted rate (0: 115200). At start-up the other rates of
	// serialport.Bauds are tried too, and a reader found at another rate
	// is switched to Baud.
	Baud           int
	PollInterval   time.Duration // default 1 s
	CommandTimeout time.Duration // default 3 s
	// Retries bounds the extra attempts after a failed read or a damaged
	// reply (default 2; negative means none).
	Retries int
	// WithFingerprint reads fingerprint data too (30 10).
	WithFingerprint bool
	// FindAfterRead is how this reader model answers "find card" for a
	// card it has read that still lies there (default FindAuto: learned
	// from the first poll after a read).
	FindAfterRead FindAfterRead
	Logger        *slog.Logger    // default: discard
	Device        *devices.Device // optional: state, media, counters
	// PowerCycle, when set, is called after PowerCycleAfter consecutive
	// failed recoveries, at most PowerCycleLimit times within any
	// powercycle.DefaultWindow (an hour): the kiosk's one power-cycle rule.
	PowerCycle      func(ctx context.Context) error
	PowerCycleAfter int // default 3
	PowerCycleLimit int // default powercycle.DefaultLimit (3)
	// ReopenInterval is how often a vanished port is looked for
	// (default 250 ms).
	ReopenInterval time.Duration
	// ProbeTimeout bounds the probe at each rate (default 300 ms).
	ProbeTimeout time.Duration
	Now          func() time.Time // default time.Now
	// After is the clock's timer (default time.After): the Reader waits on
	// it between polls and between looks for a vanished port, and a read
	// test between looks for a card. Give it with Now from the same clock;
	// a test that counts the timers armed knows how many times the Reader
	// has polled or looked, without sleeping.
	After func(d time.Duration) <-chan time.Time
}

// Reader owns one card reader: it polls for cards and emits events, and
// serves technicians' SelfTest and ReadOnce between polls.
type Reader struct {
	o      Opts
	log    *slog.Logger
	events chan Event
	reqs   chan request

	mu      sync.Mutex
	running bool
	halted  bool
	cancel  context.CancelFunc // ends Run
	line    *Port              // the open port, for Halt to close
	stopped chan struct{}

	presence Presence // what Presence reports; under mu

	// Owned by the Run goroutine.
	port       *Port
	faulted    bool
	secret     []byte  // keys cardKey
	latched    bool    // a card was read and has not been seen to leave
	latchedKey cardKey // what it was, by its text (never by its select reply)
	refinds    bool    // the reader finds a card again after reading it
	firstPoll  bool    // the next poll is the first since a read
	failures   int     // consecutive failed connects or polls
	lastErr    error   // why the reader is faulted or offline
	cycles     *powercycle.Limiter
	cycleSpent bool // the power-cycle budget ran out and that was logged
}

type request struct {
	fn   func(ctx context.Context, p *Port) // p is nil when offline
	done chan struct{}
}

// NewReader returns a Reader; nothing happens until Run.
func NewReader(opts *Opts) *Reader {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Baud == 0 {
		o.Baud = 115200
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	if o.Retries == 0 {
		o.Retries = 2
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.PowerCycleAfter <= 0 {
		o.PowerCycleAfter = 3
	}
	if o.PowerCycleLimit <= 0 {
		o.PowerCycleLimit = powercycle.DefaultLimit
	}
	if o.ReopenInterval <= 0 {
		o.ReopenInterval = 250 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reader{o: o, log: log.With("device", devices.IDCard, "port", o.Path),
		events: make(chan Event, 16), reqs: make(chan request), stopped: make(chan struct{}),
		secret: newCardKeyer(), refinds: o.FindAfterRead == FindRefinds,
		cycles: powercycle.NewLimiter(o.PowerCycleLimit, powercycle.DefaultWindow, o.Now)}
}

var _ interface {
	Halt() error
	String() string
} = (*Reader)(nil)

// String names the reader.
func (r *Reader) String() string {
	if r.o.Path == "" && r.o.Open != nil {
		return "idcard(transport)"
	}
	return "idcard(" + r.o.Path + ")"
}

// Halt leaves the reader inert: polling stops for good, a technician's
// request in progress is cut short, the port is closed and Run returns
// nil (or returns at once if it has not started). It waits for Run to
// return and may be called more than once.
func (r *Reader) Halt() error {
	r.mu.Lock()
	r.halted = true
	cancel, line, running := r.cancel, r.line, r.running
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	var err error
	if line != nil {
		// Interrupts a command waiting on a transport without read
		// timeouts; Run closes it again on its way out, which is harmless.
		if cerr := line.Close(); cerr != nil {
			err = fmt.Errorf("idcard: halt: %w", cerr)
		}
	}
	if running {
		<-r.stopped
	}
	return err
}

// setPort records the port Run has open (nil: none).
func (r *Reader) setPort(p *Port) {
	r.port = p
	r.mu.Lock()
	r.line = p
	r.mu.Unlock()
}

// Events returns the channel of events. It is closed when Run returns. A
// consumer that falls more than 16 events behind loses the oldest.
func (r *Reader) Events() <-chan Event { return r.events }

func (r *Reader) emit(e Event) {
	e.Time = r.o.Now()
	for {
		select {
		case r.events <- e:
			return
		default:
		}
		select {
		case old := <-r.events:
			if old.Card != nil {
				old.Card.Wipe()
			}
			r.log.Warn("idcard: event consumer too slow, dropped an event", "kind", old.Kind)
		default:
		}
	}
}

func (r *Reader) setState(s devices.State, err error) {
	if r.o.Device != nil {
		r.o.Device.SetState(s, err)
	}
}

// setPresence records what is known about a card in the field, for
// Presence and as the device's media detail.
func (r *Reader) setPresence(p Presence) {
	r.mu.Lock()
	r.presence = p
	r.mu.Unlock()
	if r.o.Device != nil {
		r.o.Device.SetDetail("media", p.media())
	}
}

// Presence reports whether a card lies on the reader: present, absent, or
// unknown (not polled yet, offline, or a reader that halts read cards
// answering "no card" while the card read may still lie there).
func (r *Reader) Presence() Presence {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.presence
}

func (r *Reader) count(c string) {
	if r.o.Device != nil {
		r.o.Device.Count(c, 1)
	}
}

// Run drives the reader until ctx ends or Halt is called. It returns nil
// then; it never gives up on a missing or broken reader.
func (r *Reader) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.running {
		r.mu.Unlock()
		return errors.New("idcard: Run called twice")
	}
	r.running = true
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.cancel = cancel
	halted := r.halted
	r.mu.Unlock()
	if halted {
		cancel()
	}
	defer func() {
		if r.port != nil {
			r.port.Close()
			r.setPort(nil)
		}
		r.mu.Lock()
		halted := r.halted
		r.mu.Unlock()
		if halted {
			r.setState(devices.Offline, nil)
			r.setPresence(PresenceUnknown)
			r.log.Info("idcard: reader halted")
		}
		close(r.stopped)
		close(r.events)
	}()
	r.setState(devices.Starting, nil)
	r.setPresence(PresenceUnknown)
	offline := false
	for ctx.Err() == nil {
		p, err := Dial(ctx, r.o.Path, &DialOpts{Baud: r.o.Baud, SwitchBaud: true, ProbeTimeout: r.o.ProbeTimeout,
			CommandTimeout: r.o.CommandTimeout, Now: r.o.Now, After: r.o.After, Open: r.o.Open})
		if err == nil {
			err = r.checkSAM(ctx, p)
			if err != nil {
				p.Close()
			}
		}
		if ctx.Err() != nil {
			if err == nil {
				p.Close()
			}
			break
		}
		if err != nil {
			if errors.Is(err, ErrGone) {
				if !offline {
					r.offline(err)
					offline = true
				}
				r.wait(ctx, r.o.ReopenInterval, nil)
				continue
			}
			r.fault(err)
			r.recoveryStep(ctx)
			r.wait(ctx, r.o.PollInterval, nil)
			continue
		}
		if offline {
			r.count("reconnects")
			r.log.Info("idcard: reader back", "baud", p.Baud())
			offline = false
		}
		r.setPort(p)
		r.online()
		err = r.serve(ctx, p)
		p.Close()
		r.setPort(nil)
		if ctx.Err() != nil {
			break
		}
		if errors.Is(err, ErrGone) {
			r.offline(err)
			offline = true
			continue
		}
		r.fault(err)
	}
	return nil
}

// checkSAM asks the SAM for its status, resetting it once if it fails.
func (r *Reader) checkSAM(ctx context.Context, p *Port) error {
	err := p.SAMStatus(ctx)
	if errors.Is(err, ErrSAMSelfTest) {
		if err = p.ResetSAM(ctx); err == nil {
			err = p.SAMStatus(ctx)
		}
	}
	if err != nil {
		return err
	}
	if id, err := p.SAMID(ctx); err == nil {
		r.log.Info("idcard: reader ready", "baud", p.Baud(), "sam_id", id)
	} else if errors.Is(err, ErrGone) {
		return err
	}
	return nil
}

func (r *Reader) online() {
	r.failures, r.lastErr = 0, nil
	r.setState(devices.Online, nil)
	if !r.latched {
		r.setPresence(PresenceAbsent)
	}
	if r.faulted {
		r.faulted = false
		r.log.Info("idcard: reader recovered")
		r.emit(Event{Kind: Recovered})
	}
}

// offline reports the port gone: state Offline and a Fault event.
func (r *Reader) offline(err error) {
	r.lastErr = err
	r.log.Warn("idcard: reader offline", "err", err)
	r.setState(devices.Offline, err)
	r.setPresence(PresenceUnknown)
	r.latched = false
	if !r.faulted {
		r.faulted = true
		r.emit(Event{Kind: Fault, Err: err})
	}
}

func (r *Reader) fault(err error) {
	r.lastErr = err
	r.failures++
	r.setState(devices.HardwareError, err)
	if !r.faulted {
		r.faulted = true
		r.log.Error("idcard: reader fault", "err", err)
		r.emit(Event{Kind: Fault, Err: err})
	}
}

// recoveryStep power-cycles the reader after enough consecutive failures,
// within the power-cycle rule's budget.
func (r *Reader) recoveryStep(ctx context.Context) {
	if r.o.PowerCycle == nil || r.failures < r.o.PowerCycleAfter {
		return
	}
	if !r.cycles.Allow(devices.IDCard) {
		if !r.cycleSpent {
			r.cycleSpent = true
			r.log.Warn("idcard: power-cycle limit reached; the reader is left as it is",
				"limit", r.cycles.Max(), "window", r.cycles.Window(), "next", r.cycles.NextAllowed(devices.IDCard))
		}
		return
	}
	r.cycleSpent = false
	r.failures = 0
	r.count("power_cycles")
	if err := r.o.PowerCycle(ctx); err != nil {
		r.log.Error("idcard: power cycle failed", "err", err)
	} else {
		r.log.Warn("idcard: reader power-cycled")
	}
}

// wait sleeps d while answering technicians' requests with p (nil when
// the reader is offline).
func (r *Reader) wait(ctx context.Context, d time.Duration, p *Port) {
	timer := r.o.After(d)
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer:
			return
		case req := <-r.reqs:
			req.fn(ctx, p)
			close(req.done)
		}
	}
}

// serve polls until the line fails.
func (r *Reader) serve(ctx context.Context, p *Port) error {
	timeouts := 0
	for {
		err := r.poll(ctx, p)
		switch {
		case err == nil:
			timeouts = 0
			if r.faulted {
				r.online()
			}
		case ctx.Err() != nil:
			return err
		case errors.Is(err, ErrGone):
			return err
		case errors.Is(err, ErrTimeout):
			timeouts++
			r.count("errors")
			if timeouts >= 2 {
				return err
			}
		default:
			// The line works but the reader does not (SAM failure and
			// the like): fault, and try the SAM again next poll.
			r.fault(err)
			if rerr := r.checkSAM(ctx, p); rerr == nil {
				r.online()
			} else if errors.Is(rerr, ErrGone) || errors.Is(rerr, ErrTimeout) {
				return rerr
			}
		}
		r.wait(ctx, r.o.PollInterval, p)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// cardLevel reports errors that belong to the card in the field rather
// than to the reader.
func cardLevel(err error) bool {
	for _, e := range []error{ErrReadFailed, ErrFrameChecksum, ErrChecksum, ErrCardAuth, ErrSAMAuth, ErrVerify,
		ErrCardType, ErrRandom, ErrBadText, ErrShortReply, ErrCardRemoved, ErrNoContent} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// readOpts says how the reader reads cards.
func (r *Reader) readOpts() *ReadOpts {
	retries := r.o.Retries
	if retries == 0 {
		retries = -1 // NewReader has applied the default: 0 means none
	}
	return &ReadOpts{WithFingerprint: r.o.WithFingerprint, Retries: retries, Logger: r.log}
}

// poll makes one round: find, and when a new card is there, select and
// read it. Card-level failures are reported as events and return nil;
// the error returned is about the reader.
//
// Cards are told apart by presence transitions and by what was read from
// them, never by the select reply (real readers answer zeros). After a
// read: a reader that re-finds read cards (FindRefinds, or learned under
// FindAuto) finding a card means the card read is still there, and "no
// card" that it has left; a reader that halts read cards (FindHalts)
// finding a card means one has come into the field since. Under FindAuto
// the first poll after a read decides: a card found then is read again
// and compared with the card read.
func (r *Reader) poll(ctx context.Context, p *Port) error {
	first := r.firstPoll
	r.firstPoll = false
	mode := r.o.FindAfterRead
	recheck := false // FindAuto's first look: read again and compare
	selected, c, err := p.readCard(ctx, r.readOpts(), func() bool {
		switch {
		case !r.latched:
			return false
		case r.refinds:
			r.setPresence(PresencePresent)
			return true
		case mode == FindAuto && first:
			recheck = true
			return false
		}
		// A halting reader finds only a card that has come into the
		// field since the read: the card read has left.
		r.removed()
		return false
	})
	switch {
	case !selected && errors.Is(err, ErrNoCard):
		switch {
		case !r.latched:
			r.setPresence(PresenceAbsent)
		case r.refinds:
			// A reader that finds read cards again no longer does: the
			// card has left.
			r.removed()
		default:
			// A reader that halts a card once read answers "no card"
			// while it still lies there: presence is unknown until a
			// card is found again.
			r.setPresence(PresenceUnknown)
		}
		return nil
	case !selected && errors.Is(err, ErrSelectFailed):
		return nil // moved out of the field between find and select
	case !selected:
		return err // find or select failed: the reader, not a card
	case err != nil:
		if recheck {
			r.removed() // whatever lies there now, it did not read as the card read
		}
		if cardLevel(err) {
			if r.o.Device != nil { // counts the error and keeps it as the last one
				r.o.Device.SetState(devices.Online, err)
			}
			r.log.Warn("idcard: card could not be read", "err", err)
			r.emit(Event{Kind: ReadFailed, Err: err})
			return nil
		}
		if errors.Is(err, ErrTimeout) {
			// Found and selected but the read never came back: the
			// resident hears about it now; the line's health is judged
			// by the next commands.
			r.emit(Event{Kind: ReadFailed, Err: err})
		}
		return err
	case c == nil:
		return nil // the card read before, still there
	}
	key := keyOf(r.secret, c)
	if recheck {
		if key == r.latchedKey {
			// The same card, found again while it lay there: this
			// reader re-finds read cards.
			c.Wipe()
			r.refinds = true
			r.setPresence(PresencePresent)
			r.log.Info("idcard: reader finds read cards again; presence follows find from now on")
			return nil
		}
		r.removed() // another card took its place
	}
	r.count("reads")
	if r.faulted {
		r.online()
	}
	r.latched, r.latchedKey, r.firstPoll = true, key, true
	r.setPresence(PresencePresent)
	m := c.Masked()
	r.log.Info("idcard: card read", "type", m.Type, "name", m.Name, "id", m.IDNumber, "id_valid", c.IDNumberValid)
	r.emit(Event{Kind: CardPresent, Card: c})
	return nil
}

func (r *Reader) removed() {
	r.latched, r.latchedKey = false, cardKey{}
	r.setPresence(PresenceAbsent)
	r.emit(Event{Kind: CardRemoved})
}

// call runs fn on the Run goroutine between polls.
func (r *Reader) call(ctx context.Context, fn func(ctx context.Context, p *Port)) error {
	r.mu.Lock()
	running := r.running
	r.mu.Unlock()
	if !running {
		return ErrNotRunning
	}
	req := request{fn: fn, done: make(chan struct{})}
	select {
	case r.reqs <- req:
	case <-r.stopped:
		return ErrNotRunning
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-req.done:
		return nil
	case <-r.stopped:
		return ErrNotRunning
	}
}

// SelfTest is a technician's check of the reader.
type SelfTest struct {
	Time      time.Time `json:"time"`
	Port      string    `json:"port"`
	Baud      int       `json:"baud,omitempty"`
	SAMID     string    `json:"sam_id,omitempty"`
	SAMStatus string    `json:"sam_status,omitempty"` // e.g. "SW3=90 操作成功 / success"
	OK        bool      `json:"ok"`
	Verdict   string    `json:"verdict"` // ok, offline, noReply, samFailed, error
	Remedy    string    `json:"remedy,omitempty"`
	Error     string    `json:"error,omitempty"`
}

// Remedies, Chinese first with English beside it.
const (
	remedyOffline   = "读卡器未连接：检查USB线和电源，重新插拔读卡器。 / Reader not connected: check the USB cable and power, replug the reader."
	remedyNoReply   = "读卡器无应答：检查波特率和线缆，给读卡器断电重启。 / Reader does not answer: check the baud rate and cable, power-cycle the reader."
	remedySAMFailed = "安全模块(SAM)自检失败：给读卡器断电重启；仍失败请联系厂家更换模块。 / SAM self-test failed: power-cycle the reader; if it still fails, have the vendor replace the module."
	remedyError     = "读卡器报告错误：记录错误信息并联系维护人员。 / The reader reported an error: note the message and call maintenance."
)

// Check runs a self-test on an open port: SAM status and SAM ID.
func Check(ctx context.Context, p *Port, now func() time.Time) SelfTest {
	if now == nil {
		now = time.Now
	}
	st := SelfTest{Time: now(), Port: p.Path(), Baud: p.Baud()}
	err := p.SAMStatus(ctx)
	if s, ok := StatusOf(err); ok {
		st.SAMStatus = s.String()
	} else if err == nil {
		st.SAMStatus = StatusOK.String()
	}
	if err == nil {
		st.SAMID, err = p.SAMID(ctx)
	}
	return verdict(st, err)
}

func verdict(st SelfTest, err error) SelfTest {
	switch {
	case err == nil:
		st.OK, st.Verdict = true, "ok"
		return st
	case errors.Is(err, ErrGone), errors.Is(err, ErrOffline):
		st.Verdict, st.Remedy = "offline", remedyOffline
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrNoReader):
		st.Verdict, st.Remedy = "noReply", remedyNoReply
	case errors.Is(err, ErrSAMSelfTest), errors.Is(err, ErrSAMNotAuthorised):
		st.Verdict, st.Remedy = "samFailed", remedySAMFailed
	default:
		st.Verdict, st.Remedy = "error", remedyError
	}
	st.Error = err.Error()
	return st
}

// SelfTest checks the reader through the running Reader (between polls).
func (r *Reader) SelfTest(ctx context.Context) SelfTest {
	var st SelfTest
	err := r.call(ctx, func(ctx context.Context, p *Port) {
		if p == nil {
			err := r.lastErr
			if err == nil {
				err = ErrOffline
			}
			st = verdict(SelfTest{Time: r.o.Now(), Port: r.o.Path}, err)
			return
		}
		st = Check(ctx, p, r.o.Now)
	})
	if err != nil {
		return verdict(SelfTest{Time: r.o.Now(), Port: r.o.Path}, err)
	}
	return st
}

// ReadOnce is a technician's card read test: it waits up to wait for a
// card placed on the reader and returns it without emitting it as a
// resident's CardPresent. Polling pauses meanwhile.
func (r *Reader) ReadOnce(ctx context.Context, wait time.Duration) (*identity.Card, error) {
	var (
		c    *identity.Card
		rerr error
	)
	err := r.call(ctx, func(ctx context.Context, p *Port) {
		if p == nil {
			rerr = fmt.Errorf("idcard: read test: %w", ErrOffline)
			if r.lastErr != nil {
				rerr = fmt.Errorf("idcard: read test: %w", r.lastErr)
			}
			return
		}
		_, c, rerr = p.waitCard(ctx, wait, 200*time.Millisecond, r.readOpts())
		if rerr == nil {
			r.latched, r.latchedKey, r.firstPoll = true, keyOf(r.secret, c), true
			r.setPresence(PresencePresent)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("idcard: read test: %w", err)
	}
	return c, rerr
}
