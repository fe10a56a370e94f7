// Package hosttest helps tests drive a session host: a clock stepped by
// hand, ports that record what the host asked of them and answer as told,
// and a host started for the length of a test.
package hosttest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Clock is a host.Clock that moves only when told. Its ticker delivers
// a tick at each Advance, so a test steps time without sleeping.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	ticks  []chan time.Time
	timers []timer
}

type timer struct {
	at time.Time
	ch chan time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Ticker returns a channel that receives a tick at every Advance.
func (c *Clock) Ticker(time.Duration) (<-chan time.Time, func()) {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	c.ticks = append(c.ticks, ch)
	c.mu.Unlock()
	return ch, func() {}
}

// After returns a channel that receives the time once the clock has
// been moved d on.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, timer{at: c.now.Add(d), ch: ch})
	return ch
}

// Set moves the clock to t without a tick; timers due by then fire.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.fireLocked()
	c.mu.Unlock()
}

func (c *Clock) fireLocked() {
	kept := c.timers[:0]
	for _, tm := range c.timers {
		if !tm.at.After(c.now) {
			tm.ch <- c.now
			continue
		}
		kept = append(kept, tm)
	}
	c.timers = kept
}

// Advance moves the clock on by d, fires the timers due and ticks every
// ticker once (a tick
// still waiting to be taken is replaced by the newer one).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.fireLocked()
	now, ticks := c.now, c.ticks
	c.mu.Unlock()
	for _, ch := range ticks {
		select {
		case <-ch:
		default:
		}
		ch <- now
	}
}

// Start runs h until the test ends.
func Start(t testing.TB, h *host.Host) *host.Host {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = h.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return h
}

// Sync waits until h has handled everything posted so far.
func Sync(t testing.TB, h *host.Host) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}

// Ports are ports that record every call and answer with what the test
// set. The zero value answers every transaction as queued and every
// print as printed.
type Ports struct {
	mu       sync.Mutex
	Subs     []txn.Transaction // transactions submitted, through either path
	Prints   []receipt.Doc
	Lights   []string
	Ratings  []int
	Applied  int
	Said     []string
	Volume   float64
	VoiceOn  bool
	Resets   int
	subErr   error
	subRes   func(txn.Transaction) txn.Result
	printErr error
	staged   bool
}

// All returns host.Ports backed by p.
func (p *Ports) All() host.Ports {
	return host.Ports{Outbox: outbox{p}, Backend: backendPort{p}, Printer: printer{p}, Lights: lights{p},
		Voice: voice{p}, Catalog: catalogPort{p}}
}

// AnswerSubmit sets how submissions are answered (nil res: queued with
// tracking number Q-<id>).
func (p *Ports) AnswerSubmit(res func(txn.Transaction) txn.Result, err error) {
	p.mu.Lock()
	p.subRes, p.subErr = res, err
	p.mu.Unlock()
}

// FailPrints makes every print fail with err (nil: prints succeed).
func (p *Ports) FailPrints(err error) {
	p.mu.Lock()
	p.printErr = err
	p.mu.Unlock()
}

// Stage says a service list is waiting to be applied.
func (p *Ports) Stage() {
	p.mu.Lock()
	p.staged = true
	p.mu.Unlock()
}

// Snapshot returns a copy of what was recorded.
func (p *Ports) Snapshot() Ports {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Ports{Subs: append([]txn.Transaction(nil), p.Subs...), Prints: append([]receipt.Doc(nil), p.Prints...),
		Lights: append([]string(nil), p.Lights...), Ratings: append([]int(nil), p.Ratings...), Applied: p.Applied,
		Said: append([]string(nil), p.Said...), Volume: p.Volume, VoiceOn: p.VoiceOn, Resets: p.Resets}
}

func (p *Ports) submit(tx txn.Transaction) (txn.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := tx
	c.Fields = make(map[string]string, len(tx.Fields))
	for k, v := range tx.Fields {
		c.Fields[k] = v
	}
	p.Subs = append(p.Subs, c)
	if p.subRes != nil {
		return p.subRes(tx), p.subErr
	}
	return txn.Result{TxID: tx.ID, Outcome: txn.Queued, TrackingNo: "Q-" + tx.ID}, p.subErr
}

type outbox struct{ p *Ports }

func (o outbox) SubmitNow(_ context.Context, tx txn.Transaction, _ time.Duration) (txn.Result, error) {
	return o.p.submit(tx)
}

type backendPort struct{ p *Ports }

func (b backendPort) Submit(_ context.Context, tx txn.Transaction) (txn.Result, error) {
	return b.p.submit(tx)
}

func (b backendPort) Rate(_ context.Context, _ string, score int) error {
	b.p.mu.Lock()
	b.p.Ratings = append(b.p.Ratings, score)
	b.p.mu.Unlock()
	return nil
}

type printer struct{ p *Ports }

func (pr printer) PrintReceipt(_ context.Context, doc receipt.Doc) error {
	pr.p.mu.Lock()
	defer pr.p.mu.Unlock()
	pr.p.Prints = append(pr.p.Prints, doc)
	return pr.p.printErr
}

type lights struct{ p *Ports }

func (l lights) SetLight(pattern string) error {
	l.p.mu.Lock()
	l.p.Lights = append(l.p.Lights, pattern)
	l.p.mu.Unlock()
	return nil
}

type voice struct{ p *Ports }

func (v voice) Say(text string) {
	v.p.mu.Lock()
	v.p.Said = append(v.p.Said, text)
	v.p.mu.Unlock()
}

func (v voice) Set(volume float64, on bool) {
	v.p.mu.Lock()
	v.p.Volume, v.p.VoiceOn = volume, on
	v.p.mu.Unlock()
}

func (v voice) Reset() {
	v.p.mu.Lock()
	v.p.Resets++
	v.p.mu.Unlock()
}

type catalogPort struct{ p *Ports }

func (c catalogPort) ApplyStaged(time.Time) bool {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	if !c.p.staged {
		return false
	}
	c.p.staged = false
	c.p.Applied++
	return true
}
