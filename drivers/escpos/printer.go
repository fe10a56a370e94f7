package escpos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/powercycle"
	"github.com/henan-county/kiosk/drivers/serialport"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/jobstore"
	"github.com/henan-county/kiosk/kiosk/receipt"
)

// ErrNoJob means Reprint was given an id the queue does not hold.
var ErrNoJob = errors.New("escpos: no such job")

// ErrHalted means the printer was halted: it prints nothing more.
var ErrHalted = errors.New("escpos: printer halted")

// Opts configures a Printer. The zero value of each field means its
// default.
type Opts struct {
	// Path is the serial device (/dev/kiosk-printer, or a simulator's
	// link), opened through drivers/serialport. With Open set it only
	// names the printer.
	Path string
	// Open, when set, opens the line to the printer instead of Path, each
	// time the Printer connects (on first use, and again after the line
	// was lost).
	Open func(ctx context.Context) (Transport, error)
	// Baud is the line's rate (0 means 115200): the port is opened at it,
	// and writing is paced to it, behind Open too.
	Baud    int
	Profile Profile // zero means Profile58
	// Flow is the line's flow control, as the printer is set (its DIP
	// switches or profile): serialport.FlowXONXOFF, the printer holds the
	// line with XOFF (0x13) when its buffer fills or it goes offline and
	// releases it with XON (0x11), seen by this driver; FlowRTSCTS or
	// FlowDTRDSR, the printer drops CTS or DSR, set up by drivers/serialport
	// (only on a serial port: behind Open only XON/XOFF is seen). FlowNone:
	// writing is only paced to the line rate.
	Flow serialport.Flow
	// USBLP opens Path as a USB printer-class device node (USBLP) rather
	// than a serial port; a Path that is or links to /dev/usb/lpN is one
	// without it. Flow and the port's rate do not apply (writing is still
	// paced to Baud).
	USBLP bool
	// XONXOFF is Flow: serialport.FlowXONXOFF (kept for older callers).
	XONXOFF bool
	// HoldLimit bounds how long a job waits while a printer that reports
	// itself well holds the line (0: 60 s); then the job is incomplete.
	HoldLimit time.Duration
	Logger    *slog.Logger    // nil discards
	Device    *devices.Device // where state, detail and counters are reported; nil keeps a private one
	// PowerCycle switches the printer's power off and on (a GPIO relay). It
	// is called after three unanswered polls in a row, at most
	// PowerCycleLimit times within any powercycle.DefaultWindow (an hour):
	// the kiosk's one power-cycle rule. Nil: never.
	PowerCycle      func(context.Context) error
	PowerCycleLimit int              // 0 means powercycle.DefaultLimit (3)
	Now             func() time.Time // nil means time.Now
	PollEvery       time.Duration    // idle status polling; 0 means 3 s
	StatusTimeout   time.Duration    // answer deadline for one status request; 0 means 2 s
	// StatusEvery is how many bytes of a long job are sent between status
	// checks; 0 means 4096.
	StatusEvery int
	KeepJobs    int // how many finished jobs the queue keeps for reprints; 0 means 50
	// Store, when set, keeps the queue's jobs on disk (sealed), so the
	// receipts kept for a reprint survive a restart: NewPrinter loads
	// them, and a job is written when it is queued and when it ends.
	Store *jobstore.Store
	// KeepFor is how long a job is kept after its last change (0: 24 h);
	// older ones leave the queue and the Store.
	KeepFor time.Duration
}

// JobState is where a print job is.
type JobState string

const (
	JobQueued     JobState = "queued"
	JobPrinting   JobState = "printing"
	JobDone       JobState = "done"
	JobIncomplete JobState = "incomplete" // cut short (paper out, printer gone): reprint it
	JobFailed     JobState = "failed"     // nothing printed: the printer could not start
)

// Job is a snapshot of one print job.
type Job struct {
	ID       int64     `json:"id"`
	State    JobState  `json:"state"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Bytes    int       `json:"bytes"`    // size of the last attempt
	Sent     int       `json:"sent"`     // bytes of it sent to the printer
	Attempts int       `json:"attempts"` // 1 for the first print, more after reprints
	Err      string    `json:"error,omitempty"`
}

type job struct {
	Job
	doc receipt.Doc
}

// Printer is one receipt printer on a serial port.
type Printer struct {
	opts Opts
	log  *slog.Logger
	dev  *devices.Device
	now  func() time.Time
	// encMu: one encoding at a time (the profile's font face is not shared).
	encMu sync.Mutex
	// halt is cancelled by Halt; every operation's context ends with it.
	halt     context.Context
	haltFunc context.CancelFunc

	mu         sync.Mutex // owns the session: one job or status query at a time
	sess       *session
	connected  bool // a session has been opened before (for the reconnect count)
	noAnswer   int
	cycles     *powercycle.Limiter
	cycleSpent bool // the power-cycle budget ran out and that was logged
	lastState  devices.State

	smu         sync.Mutex // guards the last status, read without the port
	lastStatus  Status
	statusKnown bool

	jmu       sync.Mutex
	jobs      []*job
	nextID    int64
	lastSweep time.Time
}

// NewPrinter returns a printer for opts. It opens nothing: the port is
// opened by Run, or on first use by Print, Status, SelfTest or TestPage.
func NewPrinter(opts *Opts) *Printer {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Baud <= 0 {
		o.Baud = 115200
	}
	if o.Profile == (Profile{}) {
		o.Profile = Profile58
	} else if o.Profile.Dots <= 0 {
		o.Profile.Dots = 384
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PollEvery <= 0 {
		o.PollEvery = 3 * time.Second
	}
	if o.StatusTimeout <= 0 {
		o.StatusTimeout = 2 * time.Second
	}
	if o.StatusEvery <= 0 {
		o.StatusEvery = 4096
	}
	if o.KeepJobs <= 0 {
		o.KeepJobs = 50
	}
	if o.XONXOFF && o.Flow == serialport.FlowNone {
		o.Flow = serialport.FlowXONXOFF
	}
	if o.HoldLimit <= 0 {
		o.HoldLimit = time.Minute
	}
	if o.KeepFor <= 0 {
		o.KeepFor = 24 * time.Hour
	}
	if o.PowerCycleLimit <= 0 {
		o.PowerCycleLimit = powercycle.DefaultLimit
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dev := o.Device
	if dev == nil {
		dev = devices.NewRegistry(o.Now).Add(devices.Printer, devices.KindPrinter)
	}
	halt, haltFunc := context.WithCancel(context.Background())
	p := &Printer{opts: o, log: log.With("device", dev.Name(), "port", o.Path), dev: dev, now: o.Now,
		halt: halt, haltFunc: haltFunc,
		cycles: powercycle.NewLimiter(o.PowerCycleLimit, powercycle.DefaultWindow, o.Now)}
	p.loadJobs()
	return p
}

// loadJobs takes the jobs the Store kept into the queue, after sweeping
// those past KeepFor. A job a restart interrupted is incomplete. A file
// that does not open is left out, with an error in the log.
func (p *Printer) loadJobs() {
	st := p.opts.Store
	if st == nil {
		return
	}
	now := p.now()
	p.lastSweep = now
	if gone, err := st.Sweep(now, p.opts.KeepFor); err != nil {
		p.log.Warn("kept print jobs: sweep", "err", err)
	} else if len(gone) > 0 {
		p.log.Info("kept print jobs past their retention deleted", "jobs", len(gone), "retention", p.opts.KeepFor)
	}
	kept, err := st.List()
	if err != nil {
		p.log.Error("kept print jobs refused", "err", err)
	}
	for _, k := range kept {
		j := &job{Job: Job{ID: k.ID, State: JobState(k.State), Created: k.Created, Updated: k.Updated, Bytes: k.Bytes,
			Sent: k.Sent, Attempts: k.Attempts, Err: k.Err}, doc: k.Doc}
		if j.State == JobQueued || j.State == JobPrinting {
			j.State, j.Err = JobIncomplete, "escpos: print: interrupted by a restart of the kiosk"
			p.saveJob(j)
		}
		p.jobs = append(p.jobs, j)
		p.nextID = max(p.nextID, k.ID)
	}
	for len(p.jobs) > p.opts.KeepJobs {
		p.dropJobLocked(0)
	}
	if len(kept) > 0 {
		p.log.Info("kept print jobs loaded", "jobs", len(p.jobs))
	}
}

// saveJob writes j to the Store (call with jmu held, or before the
// Printer is shared).
func (p *Printer) saveJob(j *job) {
	if p.opts.Store == nil {
		return
	}
	if err := p.opts.Store.Put(jobstore.Job{Record: jobstore.Record{ID: j.ID, State: string(j.State), Created: j.Created,
		Updated: j.Updated, Bytes: j.Bytes, Sent: j.Sent, Attempts: j.Attempts, Err: j.Err}, Doc: j.doc}); err != nil {
		p.log.Warn("print job not kept on disk", "job", j.ID, "err", err)
	}
}

// dropJobLocked forgets the job at index i, on disk too.
func (p *Printer) dropJobLocked(i int) {
	id := p.jobs[i].ID
	p.jobs = append(p.jobs[:i], p.jobs[i+1:]...)
	if p.opts.Store != nil {
		if err := p.opts.Store.Delete(id); err != nil {
			p.log.Warn("print job not deleted from disk", "job", id, "err", err)
		}
	}
}

// sweepJobsLocked forgets the ended jobs unchanged for KeepFor, and at
// most every ten minutes sweeps the Store.
func (p *Printer) sweepJobsLocked(now time.Time) {
	for i := 0; i < len(p.jobs); {
		j := p.jobs[i]
		if j.State != JobQueued && j.State != JobPrinting && j.Updated.Before(now.Add(-p.opts.KeepFor)) {
			p.dropJobLocked(i)
			continue
		}
		i++
	}
	if p.opts.Store != nil && now.Sub(p.lastSweep) >= 10*time.Minute {
		p.lastSweep = now
		if _, err := p.opts.Store.Sweep(now, p.opts.KeepFor); err != nil {
			p.log.Warn("kept print jobs: sweep", "err", err)
		}
	}
}

// SweepJobs forgets the jobs kept longer than KeepFor (Run calls it while
// idle).
func (p *Printer) SweepJobs() {
	p.jmu.Lock()
	defer p.jmu.Unlock()
	p.sweepJobsLocked(p.now())
}

var _ interface {
	Halt() error
	String() string
} = (*Printer)(nil)

// String names the printer.
func (p *Printer) String() string {
	name := p.opts.Path
	if name == "" && p.opts.Open != nil {
		name = "transport"
	}
	return fmt.Sprintf("escpos %s on %s at %d baud", p.opts.Profile.Name, name, p.opts.Baud)
}

// Halt leaves the printer inert: the job being sent is cut short (it ends
// JobIncomplete, or JobFailed if nothing was sent, and stays in the queue
// for a reprint), Run returns nil, the port is closed, the device reads
// offline, and Print, Reprint, Status and TestPage fail with ErrHalted
// from then on. It waits for the cut-short job to let go of the port and
// may be called more than once.
func (p *Printer) Halt() error {
	p.haltFunc()
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	if p.sess != nil {
		if cerr := p.sess.close(); cerr != nil {
			err = fmt.Errorf("escpos: halt: %w", cerr)
		}
		p.sess = nil
	}
	p.smu.Lock()
	p.statusKnown = false
	p.smu.Unlock()
	if p.lastState != devices.Offline {
		p.log.Info("printer halted")
	}
	p.lastState = devices.Offline
	p.dev.SetState(devices.Offline, nil)
	return err
}

// bind returns ctx, ended also by Halt.
func (p *Printer) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.halt, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// Profile returns the printer's profile.
func (p *Printer) Profile() Profile { return p.opts.Profile }

// Close closes the port. Run, Print and the others reopen it when called
// again.
func (p *Printer) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sess == nil {
		return nil
	}
	err := p.sess.close()
	p.sess = nil
	return err
}

// Run owns the port until ctx ends: it opens it, polls the printer's
// status every PollEvery while idle, notices when the printer vanishes and
// reopens it as soon as it is back (checking every 250 ms), and power-cycles
// a printer that stops answering when PowerCycle is set. It returns
// ctx.Err(), or nil once the printer is halted.
func (p *Printer) Run(ctx context.Context) error {
	const retry = 250 * time.Millisecond
	parent := ctx
	ctx, cancel := p.bind(ctx)
	defer cancel()
	defer p.Close()
	for {
		if ctx.Err() != nil {
			return parent.Err()
		}
		p.mu.Lock()
		if p.sess == nil {
			if _, err := p.connectLocked(ctx); err != nil {
				p.offline(err)
			} else {
				p.pollLocked(ctx) // say at once whether the printer is ready
			}
		}
		var done <-chan struct{}
		if p.sess != nil {
			done = p.sess.done
		}
		p.mu.Unlock()
		wait := p.opts.PollEvery
		if done == nil {
			wait = retry
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return parent.Err()
		case <-done:
			t.Stop()
			p.mu.Lock()
			if p.sess != nil && p.sess.done == done {
				p.dropLocked(p.sess.gone())
			}
			p.mu.Unlock()
		case <-t.C:
			p.SweepJobs()
			if done != nil && p.mu.TryLock() {
				if p.sess != nil {
					p.pollLocked(ctx)
				}
				p.mu.Unlock()
			}
		}
	}
}

// connectLocked returns the open session, opening the port if needed.
func (p *Printer) connectLocked(ctx context.Context) (*session, error) {
	if p.halt.Err() != nil {
		return nil, fmt.Errorf("escpos: connect: %w", ErrHalted)
	}
	if p.sess != nil {
		if err := p.sess.gone(); err == nil {
			return p.sess, nil
		}
		p.dropLocked(p.sess.gone())
	}
	line, err := p.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("escpos: connect: %w: %w", ErrOffline, err)
	}
	p.sess = newSession(line, p.opts.Baud, p.opts.Flow == serialport.FlowXONXOFF)
	if p.connected {
		p.dev.Count("reconnects", 1)
		p.log.Info("printer port reopened")
	}
	p.connected = true
	return p.sess, nil
}

// open opens the line: Opts.Open, or the serial port at Opts.Path.
func (p *Printer) open(ctx context.Context) (Transport, error) {
	if p.opts.Open != nil {
		return p.opts.Open(ctx)
	}
	if p.opts.USBLP || IsUSBLP(p.opts.Path) {
		u, err := OpenUSBLP(p.opts.Path)
		if err != nil {
			return nil, err
		}
		return u, nil
	}
	sp, err := serialport.Open(serialport.Config{Path: p.opts.Path, Baud: p.opts.Baud, Flow: p.opts.Flow})
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// dropLocked closes a session whose device has gone.
func (p *Printer) dropLocked(cause error) {
	if p.sess == nil {
		return
	}
	p.sess.close()
	p.sess = nil
	if cause == nil {
		cause = serialport.ErrGone
	}
	p.offline(fmt.Errorf("escpos: %w: %w", ErrOffline, cause))
}

func (p *Printer) pollLocked(ctx context.Context) {
	st, err := p.sess.status(ctx, true, p.opts.StatusTimeout)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		if gerr := p.sess.gone(); gerr != nil {
			p.dropLocked(gerr)
			return
		}
		p.offline(err)
		p.noAnswer++
		p.maybePowerCycle(ctx)
		return
	}
	p.noAnswer = 0
	p.report(st)
}

// maybePowerCycle power-cycles a printer that has not answered three
// polls in a row, within the power-cycle rule's budget.
func (p *Printer) maybePowerCycle(ctx context.Context) {
	if p.opts.PowerCycle == nil || p.noAnswer < 3 {
		return
	}
	if !p.cycles.Allow(devices.Printer) {
		if !p.cycleSpent {
			p.cycleSpent = true
			p.log.Warn("printer power-cycle limit reached; the printer is left as it is",
				"limit", p.cycles.Max(), "window", p.cycles.Window(), "next", p.cycles.NextAllowed(devices.Printer))
		}
		return
	}
	p.cycleSpent = false
	p.noAnswer = 0
	p.log.Warn("printer not answering, power-cycling it")
	p.dev.Count("power_cycles", 1)
	if p.sess != nil {
		p.sess.close()
		p.sess = nil
	}
	if err := p.opts.PowerCycle(ctx); err != nil {
		p.log.Error("printer power cycle failed", "err", err)
	}
}

// offline reports the printer as offline (not there, or not answering).
func (p *Printer) offline(err error) {
	p.smu.Lock()
	p.statusKnown = false
	p.smu.Unlock()
	if p.lastState == devices.Offline {
		p.dev.SetState(devices.Offline, nil)
		return
	}
	p.lastState = devices.Offline
	p.dev.SetState(devices.Offline, err)
	p.log.Warn("printer offline", "err", err)
}

// report publishes a decoded status into the device model. The error
// counter moves only when the state changes, not on every poll.
func (p *Printer) report(st Status) {
	p.smu.Lock()
	p.lastStatus, p.statusKnown = st, true
	p.smu.Unlock()
	s := st.DeviceState()
	var err error
	if s != p.lastState {
		err = st.Err()
		if err != nil {
			p.log.Warn("printer needs attention", "status", st.String())
		} else if p.lastState != "" {
			p.log.Info("printer ready", "status", st.String())
		}
	}
	p.lastState = s
	p.dev.SetState(s, err)
	p.dev.SetDetail("paper", string(st.Paper))
	cover := "closed"
	if st.CoverOpen {
		cover = "open"
	}
	p.dev.SetDetail("cover", cover)
}

// LastStatus returns the status last read from the printer (by Run's
// polling, a job or Status) without asking it; ok is false when the
// printer has not answered since it was last offline.
func (p *Printer) LastStatus() (st Status, ok bool) {
	p.smu.Lock()
	defer p.smu.Unlock()
	return p.lastStatus, p.statusKnown
}

// Status asks the printer for its status now.
func (p *Printer) Status(ctx context.Context) (Status, error) {
	ctx, cancel := p.bind(ctx)
	defer cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	sess, err := p.connectLocked(ctx)
	if err != nil {
		if !errors.Is(err, ErrHalted) {
			p.offline(err)
		}
		return Status{}, err
	}
	st, err := sess.status(ctx, true, p.opts.StatusTimeout)
	if err != nil {
		if gerr := sess.gone(); gerr != nil {
			p.dropLocked(gerr)
		} else {
			p.offline(err)
		}
		return Status{}, err
	}
	p.noAnswer = 0
	p.report(st)
	return st, nil
}

// Print prints doc and returns its job once the printer has taken all of
// it, or why it could not. The job stays in the queue: a job cut short by
// paper running out is JobIncomplete with ErrPaperOut, and a technician can
// Reprint it.
func (p *Printer) Print(ctx context.Context, doc receipt.Doc) (Job, error) {
	if _, err := p.encode(doc); err != nil {
		return Job{State: JobFailed, Err: err.Error()}, fmt.Errorf("escpos: print: %w", err)
	}
	j := p.addJob(doc)
	return p.run(ctx, j, doc)
}

// Reprint prints a kept job again, marked as a reprint, and returns its
// updated snapshot.
func (p *Printer) Reprint(ctx context.Context, id int64) (Job, error) {
	p.jmu.Lock()
	var j *job
	for _, k := range p.jobs {
		if k.ID == id {
			j = k
		}
	}
	if j == nil {
		p.jmu.Unlock()
		return Job{}, fmt.Errorf("escpos: reprint %d: %w", id, ErrNoJob)
	}
	if j.State == JobPrinting || j.State == JobQueued {
		snap := j.Job
		p.jmu.Unlock()
		return snap, fmt.Errorf("escpos: reprint %d: job is %s", id, snap.State)
	}
	j.State, j.Err, j.Updated = JobQueued, "", p.now()
	doc := j.doc
	p.saveJob(j)
	p.jmu.Unlock()
	return p.run(ctx, j, receipt.Reprint(doc, p.now()))
}

// Jobs returns snapshots of the kept jobs, oldest first.
func (p *Printer) Jobs() []Job {
	p.jmu.Lock()
	defer p.jmu.Unlock()
	out := make([]Job, len(p.jobs))
	for i, j := range p.jobs {
		out[i] = j.Job
	}
	return out
}

func (p *Printer) addJob(doc receipt.Doc) *job {
	p.jmu.Lock()
	defer p.jmu.Unlock()
	p.nextID++
	now := p.now()
	j := &job{Job: Job{ID: p.nextID, State: JobQueued, Created: now, Updated: now}, doc: doc}
	p.jobs = append(p.jobs, j)
	p.saveJob(j)
	p.sweepJobsLocked(now)
	// Forget the oldest finished jobs beyond KeepJobs.
	for len(p.jobs) > p.opts.KeepJobs {
		k := -1
		for i, o := range p.jobs {
			if o.State == JobDone || o.State == JobFailed {
				k = i
				break
			}
		}
		if k < 0 {
			k = 0
		}
		p.dropJobLocked(k)
	}
	return j
}

func (p *Printer) setJob(j *job, f func(*Job)) Job {
	p.jmu.Lock()
	defer p.jmu.Unlock()
	f(&j.Job)
	j.Updated = p.now()
	return j.Job
}

// encode encodes doc with the printer's profile, one document at a time:
// the profile's Face (a font face) draws for one caller only.
func (p *Printer) encode(doc receipt.Doc) (Encoded, error) {
	p.encMu.Lock()
	defer p.encMu.Unlock()
	return EncodeBands(doc, p.opts.Profile)
}

// run prints doc as job j. The caller has queued j.
func (p *Printer) run(ctx context.Context, j *job, doc receipt.Doc) (Job, error) {
	enc, err := p.encode(doc)
	if err != nil {
		return p.finish(j, JobFailed, 0, fmt.Errorf("escpos: print: %w", err))
	}
	ctx, cancel := p.bind(ctx)
	defer cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setJob(j, func(s *Job) { s.State, s.Attempts, s.Bytes, s.Sent = JobPrinting, s.Attempts+1, len(enc.Bytes), 0 })

	sess, err := p.connectLocked(ctx)
	if err != nil {
		if !errors.Is(err, ErrHalted) {
			p.offline(err)
		}
		return p.finish(j, JobFailed, 0, fmt.Errorf("escpos: print: %w", err))
	}
	// Before the job: is there paper, is the cover shut?
	st, err := sess.status(ctx, true, p.opts.StatusTimeout)
	if err != nil {
		p.lostLocked(sess, err)
		return p.finish(j, JobFailed, 0, fmt.Errorf("escpos: print: %w", err))
	}
	p.report(st)
	if e := st.Err(); e != nil {
		return p.finish(j, JobFailed, 0, fmt.Errorf("escpos: print: %w", e))
	}
	p.dev.SetState(devices.Busy, nil)

	sent, checked := 0, 0
	start := 0
	var heldSince time.Time // when the printer began holding the line without a status
	for _, end := range enc.Boundaries {
		seg := enc.Bytes[start:end]
		for len(seg) > 0 {
			n, err := sess.write(ctx, seg, 500*time.Millisecond)
			sent += n
			seg = seg[n:]
			p.setJob(j, func(s *Job) { s.Sent = sent })
			if err == nil {
				continue
			}
			if errors.Is(err, errPaused) {
				// The printer holds the line: find out why.
				st, serr := sess.status(ctx, false, p.opts.StatusTimeout+sess.drainTime())
				if errors.Is(serr, serialport.ErrHeld) {
					// Hardware flow control holds the status request too:
					// the line works, the printer is not taking anything.
					if heldSince.IsZero() {
						heldSince = time.Now()
					}
					if time.Since(heldSince) < p.opts.HoldLimit {
						continue
					}
					return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: held for %v: %w", p.opts.HoldLimit, serr))
				}
				heldSince = time.Time{}
				if serr != nil {
					p.lostLocked(sess, serr)
					return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", serr))
				}
				p.report(st)
				if e := st.Err(); e != nil {
					return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", e))
				}
				continue // busy but well: keep waiting for XON
			}
			p.lostLocked(sess, err)
			if ctx.Err() == nil {
				err = fmt.Errorf("%w: %w", ErrOffline, err)
			}
			return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", err))
		}
		start = end
		if sent-checked >= p.opts.StatusEvery && end < len(enc.Bytes) {
			checked = sent
			st, err := sess.status(ctx, false, p.opts.StatusTimeout+sess.drainTime())
			if err != nil {
				p.lostLocked(sess, err)
				return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", err))
			}
			if e := st.Err(); e != nil {
				p.report(st)
				return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", e))
			}
		}
	}
	// After the job: the answer comes once the printer has worked through
	// everything before it.
	st, err = sess.status(ctx, false, p.opts.StatusTimeout+sess.drainTime())
	if err != nil {
		p.lostLocked(sess, err)
		return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", err))
	}
	p.report(st)
	if e := st.Err(); e != nil && !errors.Is(e, ErrOffline) || st.PaperStop {
		if e == nil {
			e = ErrPaperOut
		}
		return p.finish(j, JobIncomplete, sent, fmt.Errorf("escpos: print: %w", e))
	}
	p.dev.Count("prints", 1)
	return p.finish(j, JobDone, sent, nil)
}

// lostLocked handles a failed exchange: a vanished device closes the
// session, silence marks the printer offline.
func (p *Printer) lostLocked(sess *session, err error) {
	if gerr := sess.gone(); gerr != nil || errors.Is(err, serialport.ErrGone) {
		if p.sess == sess {
			p.dropLocked(err)
		}
		return
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	p.offline(err)
}

func (p *Printer) finish(j *job, state JobState, sent int, err error) (Job, error) {
	if err != nil && p.halt.Err() != nil && !errors.Is(err, ErrHalted) {
		err = fmt.Errorf("%w: %w", ErrHalted, err) // cut short by Halt
	}
	snap := p.setJob(j, func(s *Job) {
		s.State, s.Sent = state, sent
		if err != nil {
			s.Err = err.Error()
		}
	})
	p.jmu.Lock()
	p.saveJob(j)
	p.jmu.Unlock()
	// The error goes to the caller and stays on the job (Jobs); the log
	// keeps the job's history without receipt content.
	p.log.Info("print job ended", "job", snap.ID, "state", state, "sent", sent, "bytes", snap.Bytes)
	if state == JobIncomplete || state == JobFailed {
		p.dev.Count("failed_jobs", 1)
	}
	if p.dev.Status().State == devices.Busy {
		// Interrupted without a status answer (the context ended):
		// back to what was last known.
		last := p.lastState
		if last == "" {
			last = devices.Online
		}
		p.dev.SetState(last, nil)
	}
	return snap, err
}
