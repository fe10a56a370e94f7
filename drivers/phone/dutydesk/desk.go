// Package dutydesk is the simulated 小牟帮办 duty desk: a second baresip
// on loopback that takes the kiosk's calls the way a person would. It
// answers an incoming call after AnswerAfter and plays a recorded
// greeting (greeting.wav: "您好，这里是小牟帮办值班台，请讲。" spoken by
// espeak-ng's Mandarin voice, 8 kHz mono, a synthetic voice and not a
// recording of anyone) followed by silence; it can record what it hears,
// refuse calls as busy, let them ring unanswered, or hang up after a
// while. Tests and the daemon's simulator mode use it alike.
package dutydesk

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/phone"
	"github.com/henan-county/kiosk/drivers/phone/internal/wav"
)

//go:embed greeting.wav
var greeting []byte

// Config configures the desk.
type Config struct {
	Binary      string        // default "baresip"
	Dir         string        // its private directory; required
	Listen      string        // default "127.0.0.1:5070" (TLS takes port+1 too)
	User        string        // default "desk": the desk is sip:desk@Listen
	AnswerAfter time.Duration // default 2 s
	Greeting    string        // a 16-bit PCM WAV; default the built-in greeting
	Record      bool          // write what the desk hears to Dir/recordings
	NoAnswer    bool          // let calls ring until the caller gives up
	Busy        bool          // refuse calls (486)
	HangupAfter time.Duration // hang up this long after answering; 0: never
	MaxCall     time.Duration // the longest call (the greeting's file runs out); default 3 min
	Log         *slog.Logger
}

// Call is what the desk saw of one call.
type Call struct {
	N           int       // 1 for the first call
	From        string    // the caller's URI
	Incoming    time.Time // when it rang
	Answered    time.Time // zero when not answered
	Ended       time.Time // zero while it lasts
	Detail      string    // baresip's reason for the end, e.g. "Connection reset by peer"
	Recording   string    // what the desk heard (WAV), with Record
	callID      string
	hangupTimer *time.Timer
}

// Desk is a running simulated duty desk.
type Desk struct {
	cfg   Config
	log   *slog.Logger
	agent *phone.Agent
	uri   string
	done  chan struct{}

	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every change
	calls   []Call
	closing bool
}

// Start writes the desk's configuration and starts it; it is ready for
// calls when Start returns.
func Start(ctx context.Context, cfg Config) (*Desk, error) {
	if cfg.Dir == "" {
		return nil, errors.New("dutydesk: no directory")
	}
	if cfg.Binary == "" {
		cfg.Binary = "baresip"
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:5070"
	}
	if cfg.User == "" {
		cfg.User = "desk"
	}
	if cfg.AnswerAfter <= 0 {
		cfg.AnswerAfter = 2 * time.Second
	}
	if cfg.MaxCall <= 0 {
		cfg.MaxCall = 3 * time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	g := greeting
	if cfg.Greeting != "" {
		b, err := os.ReadFile(cfg.Greeting)
		if err != nil {
			return nil, fmt.Errorf("dutydesk: greeting: %w", err)
		}
		g = b
	}
	s, err := wav.Decode(g)
	if err != nil {
		return nil, fmt.Errorf("dutydesk: greeting: %w", err)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("dutydesk: %w", err)
	}
	// aufile ends the call when its file runs out: the greeting, then
	// silence for the longest call.
	src := filepath.Join(cfg.Dir, "greeting-call.wav")
	if err := os.WriteFile(src, wav.Encode(wav.Fill(wav.Resample(s, wav.Rate), cfg.MaxCall.Seconds(), false)), 0o600); err != nil {
		return nil, fmt.Errorf("dutydesk: %w", err)
	}
	l, err := freeLoopback()
	if err != nil {
		return nil, err
	}
	d := &Desk{cfg: cfg, log: cfg.Log.With("device", "dutydesk"), uri: "sip:" + cfg.User + "@" + cfg.Listen,
		changed: make(chan struct{}), done: make(chan struct{})}
	prof := phone.Profile{Listen: cfg.Listen, Ctrl: l, AOR: d.uri, Source: "aufile," + src, Player: "aubridge,nowhere",
		RTPTimeout: 3} // a kiosk that died mid-call is let go of after 3 s
	if cfg.Record {
		prof.RecordDir = d.recordDir()
		if err := os.MkdirAll(prof.RecordDir, 0o700); err != nil {
			return nil, fmt.Errorf("dutydesk: %w", err)
		}
	}
	cdir := filepath.Join(cfg.Dir, "baresip")
	if err := prof.Write(cdir); err != nil {
		return nil, fmt.Errorf("dutydesk: %w", err)
	}
	a, err := phone.StartAgent(ctx, cfg.Binary, cdir, l, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("dutydesk: %w", err)
	}
	d.agent = a
	go d.serve()
	d.log.Info("dutydesk: listening", "uri", d.uri)
	return d, nil
}

func (d *Desk) recordDir() string { return filepath.Join(d.cfg.Dir, "recordings") }

// URI is the desk's address, e.g. sip:desk@127.0.0.1:5070.
func (d *Desk) URI() string { return d.uri }

// SetNoAnswer makes the desk let calls ring (true) or answer them again.
func (d *Desk) SetNoAnswer(v bool) { d.mu.Lock(); d.cfg.NoAnswer = v; d.mu.Unlock() }

// SetBusy makes the desk refuse calls (true) or take them again.
func (d *Desk) SetBusy(v bool) { d.mu.Lock(); d.cfg.Busy = v; d.mu.Unlock() }

// SetHangupAfter sets how long after answering the desk hangs up (0: never).
func (d *Desk) SetHangupAfter(v time.Duration) { d.mu.Lock(); d.cfg.HangupAfter = v; d.mu.Unlock() }

// Calls is how many calls have come in.
func (d *Desk) Calls() int { d.mu.Lock(); defer d.mu.Unlock(); return len(d.calls) }

// Last is the latest call; false when none came.
func (d *Desk) Last() (Call, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.calls) == 0 {
		return Call{}, false
	}
	return d.calls[len(d.calls)-1], true
}

// Await waits until the latest call satisfies ok.
func (d *Desk) Await(ctx context.Context, ok func(Call) bool) (Call, error) {
	for {
		d.mu.Lock()
		ch := d.changed
		var c Call
		has := len(d.calls) > 0
		if has {
			c = d.calls[len(d.calls)-1]
		}
		d.mu.Unlock()
		if has && ok(c) {
			return c, nil
		}
		select {
		case <-ch:
		case <-d.done:
			return c, errors.New("dutydesk: stopped")
		case <-ctx.Done():
			return c, fmt.Errorf("dutydesk: await: %w", ctx.Err())
		}
	}
}

// Close stops the desk's baresip (a call in progress is hung up).
func (d *Desk) Close() error {
	d.mu.Lock()
	d.closing = true
	d.mu.Unlock()
	err := d.agent.Close()
	<-d.done
	return err
}

func (d *Desk) notifyLocked() {
	close(d.changed)
	d.changed = make(chan struct{})
}

func (d *Desk) serve() {
	defer close(d.done)
	for ev := range d.agent.Events() {
		if ev.Class != "call" {
			continue
		}
		d.mu.Lock()
		var cur *Call
		if n := len(d.calls); n > 0 && d.calls[n-1].callID == ev.CallID {
			cur = &d.calls[n-1]
		}
		switch {
		case ev.Type == "CALL_INCOMING":
			d.calls = append(d.calls, Call{N: len(d.calls) + 1, From: ev.PeerURI, Incoming: time.Now(), callID: ev.CallID})
			n := len(d.calls)
			switch {
			case d.cfg.Busy:
				go d.command("hangup", n)
			case !d.cfg.NoAnswer:
				time.AfterFunc(d.cfg.AnswerAfter, func() { d.command("accept", n) })
			}
		case ev.Type == "CALL_ESTABLISHED" && cur != nil:
			cur.Answered = time.Now()
			if h := d.cfg.HangupAfter; h > 0 {
				n := cur.N
				cur.hangupTimer = time.AfterFunc(h, func() { d.command("hangup", n) })
			}
		case ev.Type == "CALL_CLOSED" && cur != nil:
			cur.Ended = time.Now()
			cur.Detail = ev.Param
			if cur.hangupTimer != nil {
				cur.hangupTimer.Stop()
			}
			if d.cfg.Record && !cur.Answered.IsZero() {
				cur.Recording = d.newestRecording()
			}
		}
		d.notifyLocked()
		d.mu.Unlock()
	}
}

// command sends accept or hangup for call n, if it is still the one
// ringing or in progress.
func (d *Desk) command(cmd string, n int) {
	d.mu.Lock()
	live := len(d.calls) == n && d.calls[n-1].Ended.IsZero() && !d.closing
	d.mu.Unlock()
	if !live {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := d.agent.Do(ctx, cmd, ""); err != nil {
		d.log.Warn("dutydesk: command failed", "command", cmd, "err", err)
	}
}

// newestRecording is the latest file sndfile wrote of what came in
// (dump-TIME-dec.wav; -enc.wav is what the desk sent).
func (d *Desk) newestRecording() string {
	m, _ := filepath.Glob(filepath.Join(d.recordDir(), "dump-*-dec.wav"))
	if len(m) == 0 {
		return ""
	}
	sort.Slice(m, func(i, j int) bool {
		a, _ := os.Stat(m[i])
		b, _ := os.Stat(m[j])
		if a == nil || b == nil {
			return strings.Compare(m[i], m[j]) < 0
		}
		return a.ModTime().Before(b.ModTime())
	})
	return m[len(m)-1]
}
