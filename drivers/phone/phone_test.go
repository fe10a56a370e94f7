package phone_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/phone"
	"github.com/henan-county/kiosk/drivers/phone/dutydesk"
	"github.com/henan-county/kiosk/drivers/phone/internal/baresiptest"
	"github.com/henan-county/kiosk/drivers/phone/internal/wav"
)

// voice writes the kiosk's "microphone": two seconds of a 440 Hz tone.
func voice(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "voice.wav")
	if err := os.WriteFile(path, wav.Encode(wav.Tone(16000, 440, 0.4, 2)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func startDesk(t *testing.T, cfg dutydesk.Config) *dutydesk.Desk {
	t.Helper()
	cfg.Binary = baresiptest.Require(t)
	cfg.Dir = t.TempDir()
	cfg.Listen = baresiptest.SIPAddr(t)
	if cfg.AnswerAfter == 0 {
		cfg.AnswerAfter = time.Second
	}
	d, err := dutydesk.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

type running struct {
	*phone.Phone
	stop func()
}

// startPhone runs a phone with file audio and waits until it is idle.
func startPhone(t *testing.T, cfg phone.Config) running {
	t.Helper()
	if cfg.Binary == "" {
		cfg.Binary = baresiptest.Require(t)
	}
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(t.TempDir(), "phone")
	}
	if cfg.Listen == "" {
		cfg.Listen = baresiptest.SIPAddr(t)
	}
	if cfg.Audio == "" {
		cfg.Audio, cfg.AudioIn = "file", voice(t)
	}
	cfg.FileCall = 30 * time.Second
	if cfg.RestartMin == 0 {
		cfg.RestartMin, cfg.RestartMax = 100*time.Millisecond, 400*time.Millisecond
	}
	p := phone.New(cfg, slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	return running{p, stop}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) { w.t.Logf("%s", b); return len(b), nil }

func waitState(t *testing.T, p *phone.Phone, ok func(phone.Status) bool) phone.Status {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for {
		s := p.State()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("state is %s (err %v)", s.State, s.Err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func idle(s phone.Status) bool { return s.State == phone.StateIdle }

func next(t *testing.T, p *phone.Phone, want phone.Kind) phone.Event {
	t.Helper()
	select {
	case ev := <-p.Events():
		if ev.Kind != want {
			t.Fatalf("event %s (%s %s), want %s", ev.Kind, ev.Reason, ev.Detail, want)
		}
		return ev
	case <-time.After(8 * time.Second):
		t.Fatalf("no %s event", want)
	}
	return phone.Event{}
}

func await(t *testing.T, d *dutydesk.Desk, what string, ok func(dutydesk.Call) bool) dutydesk.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	c, err := d.Await(ctx, ok)
	if err != nil {
		t.Fatalf("desk: %s: %v (last call %+v)", what, err, c)
	}
	return c
}

func ended(c dutydesk.Call) bool { return !c.Ended.IsZero() }

func TestCallAnsweredThenKioskHangsUp(t *testing.T) {
	d := startDesk(t, dutydesk.Config{Record: true})
	p := startPhone(t, phone.Config{DeskURIs: []string{d.URI()}})
	waitState(t, p.Phone, idle)

	dialled := time.Now()
	id, err := p.Dial(context.Background(), d.URI())
	if err != nil {
		t.Fatal(err)
	}
	if ev := next(t, p.Phone, phone.Ringing); ev.Call != id {
		t.Fatalf("ringing for call %d, dialled %d", ev.Call, id)
	}
	next(t, p.Phone, phone.Answered)
	if took := time.Since(dialled); took < 900*time.Millisecond || took > 4*time.Second {
		t.Errorf("answered after %v; the desk answers after 1 s", took)
	}
	if s := p.State(); s.State != phone.StateInCall || s.Call != id {
		t.Errorf("state %+v, want in_call with call %d", s, id)
	}
	c := await(t, d, "answered", func(c dutydesk.Call) bool { return !c.Answered.IsZero() })
	if c.N != 1 || d.Calls() != 1 {
		t.Errorf("desk saw call %d of %d, want the first", c.N, d.Calls())
	}
	if _, err := p.Dial(context.Background(), d.URI()); !errors.Is(err, phone.ErrBusy) {
		t.Errorf("Dial during a call: %v, want ErrBusy", err)
	}

	time.Sleep(1500 * time.Millisecond) // the desk hears the kiosk for a while
	if err := p.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	ev := next(t, p.Phone, phone.Ended)
	if ev.Reason != phone.ReasonHangup || ev.Remote {
		t.Errorf("ended %s remote=%v (%s), want a local hangup", ev.Reason, ev.Remote, ev.Detail)
	}
	c = await(t, d, "closed", ended)
	if c.Detail != "Connection reset by peer" {
		t.Errorf("desk saw the call end with %q, want the peer's hangup", c.Detail)
	}
	waitState(t, p.Phone, idle)

	// What the desk heard is the kiosk's tone, not silence.
	if c.Recording == "" {
		t.Fatal("the desk recorded nothing")
	}
	var rms float64
	deadline := time.Now().Add(3 * time.Second)
	for rms < 1000 && time.Now().Before(deadline) { // sndfile finishes the file as the call is torn down
		b, err := os.ReadFile(c.Recording)
		if err == nil {
			if s, err := wav.Decode(b); err == nil {
				rms = wav.RMS(s.Samples)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the desk heard RMS %.0f in %s", rms, filepath.Base(c.Recording))
	if rms < 1000 {
		t.Errorf("the desk's recording %s has RMS %.0f: it heard (almost) nothing", c.Recording, rms)
	}
}

func TestHangupWhileRinging(t *testing.T) {
	d := startDesk(t, dutydesk.Config{NoAnswer: true})
	p := startPhone(t, phone.Config{})
	waitState(t, p.Phone, idle)
	if _, err := p.Dial(context.Background(), d.URI()); err != nil {
		t.Fatal(err)
	}
	next(t, p.Phone, phone.Ringing)
	if s := p.State(); s.State != phone.StateRinging {
		t.Errorf("state %s, want ringing", s.State)
	}
	await(t, d, "ringing", func(c dutydesk.Call) bool { return !c.Incoming.IsZero() })
	if err := p.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	ev := next(t, p.Phone, phone.Ended)
	if ev.Reason != phone.ReasonHangup || ev.Remote {
		t.Errorf("ended %s remote=%v (%s), want a local hangup", ev.Reason, ev.Remote, ev.Detail)
	}
	c := await(t, d, "closed", ended)
	if !c.Answered.IsZero() {
		t.Error("the desk answered a call it was told not to")
	}
	waitState(t, p.Phone, idle)

	// Answering again: the next call is taken.
	d.SetNoAnswer(false)
	if _, err := p.Dial(context.Background(), d.URI()); err != nil {
		t.Fatal(err)
	}
	next(t, p.Phone, phone.Ringing)
	next(t, p.Phone, phone.Answered)
	if err := p.Hangup(context.Background()); err != nil {
		t.Fatal(err)
	}
	next(t, p.Phone, phone.Ended)
}

func TestDeskEndsTheCall(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    dutydesk.Config
		reason phone.Reason
		answer bool
	}{
		{"desk hangs up", dutydesk.Config{HangupAfter: time.Second}, phone.ReasonHangup, true},
		{"desk busy", dutydesk.Config{Busy: true}, phone.ReasonBusy, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := startDesk(t, tc.cfg)
			p := startPhone(t, phone.Config{})
			waitState(t, p.Phone, idle)
			if _, err := p.Dial(context.Background(), d.URI()); err != nil {
				t.Fatal(err)
			}
			var ev phone.Event
			for ev = next(t, p.Phone, 0|phone.Ringing); ; {
				select {
				case ev = <-p.Events():
				case <-time.After(8 * time.Second):
					t.Fatal("the call did not end")
				}
				if ev.Kind == phone.Answered && !tc.answer {
					t.Fatal("answered")
				}
				if ev.Kind == phone.Ended {
					break
				}
			}
			if ev.Reason != tc.reason || !ev.Remote {
				t.Errorf("ended %s remote=%v (%s), want %s by the desk", ev.Reason, ev.Remote, ev.Detail, tc.reason)
			}
			waitState(t, p.Phone, idle)
		})
	}
}

func TestBaresipDiesMidCall(t *testing.T) {
	d := startDesk(t, dutydesk.Config{AnswerAfter: 200 * time.Millisecond})
	p := startPhone(t, phone.Config{})
	waitState(t, p.Phone, idle)
	if _, err := p.Dial(context.Background(), d.URI()); err != nil {
		t.Fatal(err)
	}
	next(t, p.Phone, phone.Ringing)
	next(t, p.Phone, phone.Answered)
	pid := phone.ChildPid(p.Phone)
	if pid == 0 {
		t.Fatal("no child")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	ev := next(t, p.Phone, phone.Ended)
	if ev.Reason != phone.ReasonFailed || ev.Detail != "baresip exited" {
		t.Errorf("ended %s (%s), want failed: baresip exited", ev.Reason, ev.Detail)
	}
	s := waitState(t, p.Phone, func(s phone.Status) bool { return s.State == phone.StateIdle && s.Restarts >= 1 })
	if np := phone.ChildPid(p.Phone); np == pid || np == 0 {
		t.Errorf("after the restart the child is %d (was %d)", np, pid)
	}
	t.Logf("restarted: %+v", s)

	// It calls again after the restart, once the desk has let go of the
	// dead call (3 s without audio).
	await(t, d, "closed by the RTP timeout", ended)
	if _, err := p.Dial(context.Background(), d.URI()); err != nil {
		t.Fatal(err)
	}
	next(t, p.Phone, phone.Ringing)
	next(t, p.Phone, phone.Answered)

	// Stopping Run hangs up and leaves no baresip behind.
	pid = phone.ChildPid(p.Phone)
	p.stop()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("baresip %d is still there after Run returned (kill 0: %v)", pid, err)
	}
	if s := p.State(); s.State != phone.StateStopped {
		t.Errorf("state %s after Run, want stopped", s.State)
	}
	await(t, d, "closed by the kiosk's exit", ended)
}

func TestCannotStart(t *testing.T) {
	bin := baresiptest.Require(t)
	for _, tc := range []struct {
		name string
		cfg  phone.Config
		want error
	}{
		{"no baresip", phone.Config{Binary: "/nonexistent/baresip", Audio: "file", AudioIn: "x.wav"}, phone.ErrNoBaresip},
		{"no sound card", phone.Config{Binary: bin, Audio: "alsa", ASoundDir: "/nonexistent"}, phone.ErrNoAudio},
		{"no such card", phone.Config{Binary: bin, Audio: "alsa", AudioOut: "plughw:CARD=Speaker,DEV=0", ASoundDir: "testdata/asound"}, phone.ErrNoAudio},
		{"voice file missing", phone.Config{Binary: bin, Audio: "file", AudioIn: "/nonexistent.wav"}, phone.ErrNoAudio},
		{"voice file not WAV", phone.Config{Binary: bin, Audio: "file", AudioIn: "phone_test.go"}, phone.ErrNoAudio},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startPhone(t, tc.cfg)
			s := waitState(t, p.Phone, func(s phone.Status) bool { return s.State == phone.StateDown && s.Restarts >= 2 })
			if !errors.Is(s.Err, tc.want) {
				t.Fatalf("down with %v, want %v", s.Err, tc.want)
			}
			_, err := p.Dial(context.Background(), "sip:desk@127.0.0.1:5070")
			if !errors.Is(err, phone.ErrUnavailable) || !errors.Is(err, tc.want) {
				t.Fatalf("Dial: %v, want ErrUnavailable with %v", err, tc.want)
			}
			t.Logf("Dial: %v", err)
		})
	}
}

func TestDialRefusesNonSIP(t *testing.T) {
	p := phone.New(phone.Config{Dir: t.TempDir()}, nil)
	for _, uri := range []string{"", "tel:13800000000", "sip:", "sip:a b@host", "sip:x@y\nhangup"} {
		if _, err := p.Dial(context.Background(), uri); !errors.Is(err, phone.ErrBadURI) {
			t.Errorf("Dial(%q): %v, want ErrBadURI", uri, err)
		}
	}
}
