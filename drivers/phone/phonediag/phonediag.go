// Package phonediag is the technician's check of the help phone: baresip
// is installed, the modules the kiosk's profile needs load, its control
// port answers, and, when asked, a test call to a URI is answered and how
// long that took. kioskd must not be using the same SIP port meanwhile.
package phonediag

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/henan-county/kiosk/drivers/phone"
)

// Opts is what to check; the phone's own Config, plus a call to place.
type Opts struct {
	Phone   phone.Config  // Dir is replaced by a temporary directory when empty
	CallURI string        // "" places no call
	Wait    time.Duration // how long the call may ring; default 20 s
	Talk    time.Duration // how long to stay on an answered call; default 1 s
}

// Report is the check's outcome.
type Report struct {
	Status    string   `json:"status"` // ok, no_baresip, modules_missing, no_audio, no_control, call_failed (refused, unreachable, never rang), no_answer (rang out)
	Reason    string   `json:"reason,omitempty"`
	Binary    string   `json:"binary,omitempty"`
	Version   string   `json:"version,omitempty"` // baresip's banner
	Modules   []Module `json:"modules,omitempty"`
	ControlMS float64  `json:"control_ms,omitempty"` // start until the control port answered
	Call      *Call    `json:"call,omitempty"`
}

// Module is one baresip module the kiosk needs.
type Module struct {
	Name   string `json:"name"`
	Loaded bool   `json:"loaded"`
	Error  string `json:"error,omitempty"`
}

// Call is the test call.
type Call struct {
	URI      string  `json:"uri"`
	Rang     bool    `json:"rang"`
	Answered bool    `json:"answered"`
	AnswerMS float64 `json:"answer_ms,omitempty"` // dial until answered
	Ended    string  `json:"ended,omitempty"`     // the reason, when it ended by itself
	Detail   string  `json:"detail,omitempty"`
}

// Check runs the check.
func Check(ctx context.Context, o Opts) Report {
	cfg := o.Phone
	if cfg.Binary == "" {
		cfg.Binary = "baresip"
	}
	var r Report
	bin, err := exec.LookPath(cfg.Binary)
	if err != nil {
		return Report{Status: "no_baresip", Reason: err.Error(), Binary: cfg.Binary}
	}
	r.Binary = bin
	if out, _ := exec.CommandContext(ctx, bin, "-h").CombinedOutput(); len(out) > 0 {
		r.Version, _, _ = strings.Cut(string(out), "\n")
	}
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "phonediag")
		if err != nil {
			return Report{Status: "no_control", Reason: err.Error()}
		}
		defer os.RemoveAll(dir)
		cfg.Dir = filepath.Join(dir, "phone")
	}
	// The phone starts as kioskd would, without restarts to hide a fault.
	cfg.RestartMin, cfg.RestartMax = time.Hour, time.Hour
	p := phone.New(cfg, nil)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { p.Run(rctx); close(done) }()
	defer func() { cancel(); <-done }()
	start := time.Now()
	for {
		s := p.State()
		if s.State == phone.StateIdle {
			r.ControlMS = ms(time.Since(start))
			break
		}
		if s.State == phone.StateDown {
			switch {
			case errors.Is(s.Err, phone.ErrNoAudio):
				r.Status = "no_audio"
			case errors.Is(s.Err, phone.ErrNoBaresip):
				r.Status = "no_baresip"
			default:
				r.Status = "no_control"
			}
			r.Reason = s.Err.Error()
			return r
		}
		select {
		case <-ctx.Done():
			r.Status, r.Reason = "no_control", ctx.Err().Error()
			return r
		case <-time.After(20 * time.Millisecond):
		}
	}
	r.Modules = modules(phone.Output(p))
	for _, m := range r.Modules {
		if !m.Loaded {
			r.Status, r.Reason = "modules_missing", fmt.Sprintf("module %s: %s", m.Name, m.Error)
			return r
		}
	}
	if o.CallURI != "" {
		r.Call = call(ctx, p, o)
		switch {
		case r.Call.Answered:
		case r.Call.Ended == "" && !r.Call.Rang:
			r.Status, r.Reason = "call_failed", "the desk's phone did not ring"
			return r
		case r.Call.Ended == "" || r.Call.Ended == string(phone.ReasonNoAnswer):
			r.Status, r.Reason = "no_answer", "the call was not answered"
			return r
		default:
			r.Status, r.Reason = "call_failed", r.Call.Ended+": "+r.Call.Detail
			return r
		}
	}
	r.Status = "ok"
	return r
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// modules reads what baresip said about the modules it loaded: a module
// that failed prints "module NAME.so: ERROR".
func modules(out string) []Module {
	var ms []Module
	for _, name := range []string{"g711.so", "account.so", "contact.so", "menu.so", "ctrl_tcp.so"} {
		m := Module{Name: name, Loaded: true}
		for _, l := range strings.Split(out, "\n") {
			if i := strings.Index(l, "module "+name+": "); i >= 0 {
				m.Loaded, m.Error = false, strings.TrimSpace(strings.TrimSuffix(l[i+len("module "+name+": "):], "\x1b[;m"))
			}
		}
		ms = append(ms, m)
	}
	return ms
}

func call(ctx context.Context, p *phone.Phone, o Opts) *Call {
	wait, talk := o.Wait, o.Talk
	if wait <= 0 {
		wait = 20 * time.Second
	}
	if talk <= 0 {
		talk = time.Second
	}
	c := &Call{URI: o.CallURI}
	start := time.Now()
	if _, err := p.Dial(ctx, o.CallURI); err != nil {
		c.Ended, c.Detail = string(phone.ReasonFailed), err.Error()
		return c
	}
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	hangup := func() {
		hctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		p.Hangup(hctx)
	}
	for {
		select {
		case ev := <-p.Events():
			switch ev.Kind {
			case phone.Ringing:
				c.Rang = true
			case phone.Answered:
				c.Answered, c.AnswerMS = true, ms(time.Since(start))
				select {
				case <-time.After(talk):
				case <-ctx.Done():
				}
				hangup()
				return c
			case phone.Ended:
				c.Ended, c.Detail = string(ev.Reason), ev.Detail
				return c
			}
		case <-timeout.C:
			hangup()
			return c
		case <-ctx.Done():
			hangup()
			return c
		}
	}
}
