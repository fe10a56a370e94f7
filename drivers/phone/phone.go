package phone

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/phone/internal/wav"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// Name and DeviceKind are the phone's in the device registry.
const (
	Name       = "phone"
	DeviceKind = devices.Kind("phone")
)

// Errors callers act on.
var (
	ErrBusy        = errors.New("phone: a call is in progress")
	ErrUnavailable = errors.New("phone: not ready to call")
	ErrNoAudio     = errors.New("phone: no audio device")
	ErrNoBaresip   = errors.New("phone: baresip is not installed")
	ErrBadURI      = errors.New("phone: not a SIP URI")
)

// Config configures a Phone. Zero values take the defaults noted.
type Config struct {
	Binary  string // the baresip program; default "baresip" on PATH
	Dir     string // the private configuration directory (0700); required
	Listen  string // the local SIP address; default "0.0.0.0:5060" (TLS takes port+1 too)
	User    string // the user part of the kiosk's own URI; default "kiosk"
	Display string // the name the desk sees (ASCII), e.g. the kiosk's id; optional

	// Audio is "alsa" (default): AudioIn and AudioOut are ALSA device
	// names for the microphone and the speaker (default "default"). Or
	// "file", without a sound card: AudioIn is a 16-bit PCM WAV file sent
	// as the kiosk's voice, over and over, and AudioOut a directory where
	// what the desk says is written as WAV ("": nowhere).
	Audio    string
	AudioIn  string
	AudioOut string
	// RTPTimeout ends a call when no audio has come from the desk for
	// this long (the desk's side died without hanging up); default 10 s,
	// negative: never.
	RTPTimeout time.Duration

	// FileCall is how long a call with file audio may last (default 10
	// min): baresip ends a call when its file source runs out.
	FileCall time.Duration

	// DeskURIs are the duty desks' URIs, which may appear in the log; any
	// other URI dialled is logged masked.
	DeskURIs []string

	StartTimeout time.Duration // baresip's control port must answer within; default 5 s
	RestartMin   time.Duration // first wait before a restart; default 1 s
	RestartMax   time.Duration // longest wait; default 1 min
	LogEvery     time.Duration // the same start failure is logged at most once per; default 5 min

	Now       func() time.Time // default time.Now
	Device    *devices.Device  // optional: state and details for the registry
	ASoundDir string           // where ALSA lists sound cards; default /proc/asound
}

// State is what the phone is doing.
type State string

// States.
const (
	StateStarting State = "starting" // baresip is being started
	StateIdle     State = "idle"     // ready to dial
	StateDialing  State = "dialing"  // dialled, the desk not yet ringing
	StateRinging  State = "ringing"
	StateInCall   State = "in_call"
	StateDown     State = "down"    // baresip is not running; Status.Err says why
	StateStopped  State = "stopped" // Run has returned
)

// Status is the phone's state with its reason.
type Status struct {
	State    State
	Err      error  // why it is down
	Restarts int    // times baresip was started again
	Call     CallID // the current call, 0 when none
}

type call struct {
	id    CallID
	sipID string
	local bool // the kiosk asked for the hangup
	uri   string
}

// Phone places calls to the duty desk through a supervised baresip.
type Phone struct {
	cfg    Config
	log    *slog.Logger
	events chan Event

	mu       sync.Mutex
	state    State
	err      error
	restarts int
	agent    *Agent
	call     *call
	nextID   CallID
}

var _ interface {
	Halt() error
	String() string
} = (*Phone)(nil)

// New returns a Phone; nothing starts until Run.
func New(cfg Config, log *slog.Logger) *Phone {
	if cfg.Binary == "" {
		cfg.Binary = "baresip"
	}
	if cfg.Listen == "" {
		cfg.Listen = "0.0.0.0:5060"
	}
	if cfg.User == "" {
		cfg.User = "kiosk"
	}
	if cfg.Audio == "" {
		cfg.Audio = "alsa"
	}
	if cfg.RTPTimeout == 0 {
		cfg.RTPTimeout = 10 * time.Second
	}
	if cfg.FileCall <= 0 {
		cfg.FileCall = 10 * time.Minute
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 5 * time.Second
	}
	if cfg.RestartMin <= 0 {
		cfg.RestartMin = time.Second
	}
	if cfg.RestartMax < cfg.RestartMin {
		cfg.RestartMax = max(time.Minute, cfg.RestartMin)
	}
	if cfg.LogEvery <= 0 {
		cfg.LogEvery = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ASoundDir == "" {
		cfg.ASoundDir = "/proc/asound"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Phone{cfg: cfg, log: log.With("device", Name), events: make(chan Event, 32), state: StateStarting}
}

// String names the phone.
func (p *Phone) String() string { return "phone(" + p.cfg.Audio + ", " + p.cfg.Listen + ")" }

// Events delivers the calls' events. When nobody reads, the oldest are
// dropped so that the newest (an Ended) is kept.
func (p *Phone) Events() <-chan Event { return p.events }

// State reports what the phone is doing.
func (p *Phone) State() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Status{State: p.state, Err: p.err, Restarts: p.restarts}
	if p.call != nil {
		s.Call = p.call.id
	}
	return s
}

// Halt hangs up the current call, if any.
func (p *Phone) Halt() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return p.Hangup(ctx)
}

// Dial calls uri (sip:user@host[:port]). It returns once baresip has
// sent the call on its way; Ringing, Answered and Ended follow on Events.
// One call at a time: ErrBusy while one is in progress, ErrUnavailable
// (with the reason) while baresip is not running. How long to let it
// ring is the caller's: Hangup ends a ringing call too.
func (p *Phone) Dial(ctx context.Context, uri string) (CallID, error) {
	rest, ok := strings.CutPrefix(uri, "sip:")
	if !ok {
		rest, ok = strings.CutPrefix(uri, "sips:")
	}
	if !ok || rest == "" || strings.ContainsAny(uri, " \t\r\n\"<>,") {
		return 0, fmt.Errorf("phone: dial %s: %w", p.redact(uri), ErrBadURI)
	}
	p.mu.Lock()
	if p.call != nil {
		p.mu.Unlock()
		return 0, fmt.Errorf("phone: dial: %w", ErrBusy)
	}
	if p.agent == nil || p.state != StateIdle {
		err := p.err
		p.mu.Unlock()
		if err != nil {
			return 0, fmt.Errorf("phone: dial: %w: %w", ErrUnavailable, err)
		}
		return 0, fmt.Errorf("phone: dial: %w (baresip is starting)", ErrUnavailable)
	}
	p.nextID++
	c := &call{id: p.nextID, uri: uri}
	p.call = c
	a := p.agent
	p.setStateLocked(StateDialing, nil)
	p.mu.Unlock()

	p.log.Info("phone: dialling", "call", c.id, "uri", p.redact(uri))
	if _, err := a.Do(ctx, "dial", uri); err != nil {
		p.mu.Lock()
		if p.call == c && c.sipID == "" {
			p.call = nil
			if p.agent == a {
				p.setStateLocked(StateIdle, nil)
			}
		}
		p.mu.Unlock()
		return 0, fmt.Errorf("phone: dial: %w", err)
	}
	return c.id, nil
}

// Hangup ends the current call, ringing or answered; nil when there is
// none. Ended follows on Events.
func (p *Phone) Hangup(ctx context.Context) error {
	p.mu.Lock()
	c, a := p.call, p.agent
	if c == nil || a == nil {
		p.mu.Unlock()
		return nil
	}
	c.local = true
	p.mu.Unlock()
	if _, err := a.Do(ctx, "hangup", ""); err != nil {
		return fmt.Errorf("phone: hangup: %w", err)
	}
	return nil
}

// Run starts baresip and keeps it running until ctx ends, then stops it.
// While it cannot run (no baresip, no sound card, a port taken) the
// phone is down with the reason, and Run tries again with backoff.
func (p *Phone) Run(ctx context.Context) error {
	defer func() {
		p.mu.Lock()
		p.setStateLocked(StateStopped, nil)
		p.mu.Unlock()
	}()
	wait := p.cfg.RestartMin
	var lastMsg string
	var lastLogged time.Time
	suppressed := 0
	for first := true; ; first = false {
		if !first {
			p.mu.Lock()
			p.restarts++
			p.mu.Unlock()
		}
		p.mu.Lock()
		p.setStateLocked(StateStarting, p.err)
		p.mu.Unlock()
		started := p.cfg.Now()
		err := p.runOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if p.cfg.Now().Sub(started) > p.cfg.RestartMax {
			wait = p.cfg.RestartMin // it ran well for a while: start the backoff again
		}
		p.mu.Lock()
		p.setStateLocked(StateDown, err)
		p.mu.Unlock()
		now := p.cfg.Now()
		if msg := err.Error(); msg != lastMsg || now.Sub(lastLogged) >= p.cfg.LogEvery {
			p.log.Warn("phone: baresip is down", "err", err, "retry_in", wait, "repeats", suppressed)
			lastMsg, lastLogged, suppressed = msg, now, 0
		} else {
			suppressed++
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, p.cfg.RestartMax)
	}
}

// runOnce runs one baresip until it exits or ctx ends.
func (p *Phone) runOnce(ctx context.Context) error {
	if _, err := exec.LookPath(p.cfg.Binary); err != nil {
		return fmt.Errorf("%w: %w", ErrNoBaresip, err)
	}
	if err := os.MkdirAll(p.cfg.Dir, 0o700); err != nil {
		return fmt.Errorf("phone: %w", err)
	}
	prof, err := p.profile()
	if err != nil {
		return err
	}
	if err := prof.Write(p.cfg.Dir); err != nil {
		return err
	}
	a, err := StartAgent(ctx, p.cfg.Binary, p.cfg.Dir, prof.Ctrl, p.cfg.StartTimeout)
	if err != nil {
		return err
	}
	defer a.Close()
	p.mu.Lock()
	p.agent = a
	p.err = nil
	p.setStateLocked(StateIdle, nil)
	p.mu.Unlock()
	p.log.Info("phone: ready", "listen", p.cfg.Listen, "audio", p.cfg.Audio, "pid", a.Pid())

	stop := context.AfterFunc(ctx, func() { a.Close() })
	defer stop()
	for ev := range a.Events() {
		p.handle(a, ev)
	}
	<-a.Exited()
	p.mu.Lock()
	p.agent = nil
	c := p.call
	p.call = nil
	p.mu.Unlock()
	if c != nil {
		p.log.Warn("phone: call cut off: baresip exited", "call", c.id)
		p.emit(Event{Kind: Ended, Call: c.id, Reason: ReasonFailed, Detail: "baresip exited", At: p.cfg.Now()})
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("phone: baresip exited (%v): %s", a.ExitErr(), a.out.Reason())
}

// profile is the baresip configuration for this phone, after checking
// that its audio is there.
func (p *Phone) profile() (Profile, error) {
	host, _, err := net.SplitHostPort(p.cfg.Listen)
	if err != nil {
		return Profile{}, fmt.Errorf("phone: listen %q: %w", p.cfg.Listen, err)
	}
	aorHost := p.cfg.Listen
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		aorHost = "localhost" // baresip puts its real address in Contact and the SDP
	}
	ctrl, err := freeLoopbackPort()
	if err != nil {
		return Profile{}, err
	}
	prof := Profile{
		Listen:  p.cfg.Listen,
		Ctrl:    ctrl,
		AOR:     "sip:" + p.cfg.User + "@" + aorHost,
		Display: p.cfg.Display,
	}
	if p.cfg.RTPTimeout > 0 {
		prof.RTPTimeout = max(1, int(p.cfg.RTPTimeout.Seconds()))
	}
	for i, u := range p.cfg.DeskURIs {
		prof.Contacts = append(prof.Contacts, Contact{Name: "desk" + strconv.Itoa(i+1), URI: u})
	}
	switch p.cfg.Audio {
	case "alsa":
		in, out := cmp(p.cfg.AudioIn, "default"), cmp(p.cfg.AudioOut, "default")
		for _, dev := range []string{in, out} {
			if err := checkALSA(p.cfg.ASoundDir, dev); err != nil {
				return Profile{}, err
			}
		}
		prof.Source, prof.Player = "alsa,"+in, "alsa,"+out
	case "file":
		src := filepath.Join(p.cfg.Dir, "source.wav")
		if err := loopFile(p.cfg.AudioIn, src, p.cfg.FileCall); err != nil {
			return Profile{}, err
		}
		prof.Source, prof.Player = "aufile,"+src, "aubridge,nowhere"
		if p.cfg.AudioOut != "" {
			if err := os.MkdirAll(p.cfg.AudioOut, 0o700); err != nil {
				return Profile{}, fmt.Errorf("%w: %w", ErrNoAudio, err)
			}
			prof.RecordDir = p.cfg.AudioOut
		}
	default:
		return Profile{}, fmt.Errorf("phone: audio %q: want alsa or file", p.cfg.Audio)
	}
	return prof, nil
}

func cmp(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// loopFile writes in, made 8 kHz mono and repeated to d, as out.
func loopFile(in, out string, d time.Duration) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoAudio, err)
	}
	s, err := wav.Decode(b)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrNoAudio, in, err)
	}
	if len(s.Samples) == 0 {
		return fmt.Errorf("%w: %s has no sound", ErrNoAudio, in)
	}
	s = wav.Fill(wav.Resample(s, wav.Rate), d.Seconds(), true)
	if err := os.WriteFile(out, wav.Encode(s), 0o600); err != nil {
		return fmt.Errorf("phone: audio: %w", err)
	}
	return nil
}

// checkALSA reports ErrNoAudio when ALSA has no sound card, or not the
// one dev names (hw:1, plughw:CARD=Device,DEV=0…). Other names
// (default, a name from asound.conf) need only some card.
func checkALSA(dir, dev string) error {
	cards, err := os.ReadFile(filepath.Join(dir, "cards"))
	if err != nil || strings.Contains(string(cards), "no soundcards") || strings.TrimSpace(string(cards)) == "" {
		return fmt.Errorf("%w: ALSA lists no sound card (for %q)", ErrNoAudio, dev)
	}
	_, rest, ok := strings.Cut(dev, ":")
	if !ok {
		return nil
	}
	card := rest
	if i := strings.Index(rest, "CARD="); i >= 0 {
		card = rest[i+5:]
	}
	card, _, _ = strings.Cut(card, ",")
	if card == "" {
		return nil
	}
	if _, err := strconv.Atoi(card); err == nil {
		card = "card" + card
	}
	if _, err := os.Stat(filepath.Join(dir, card)); err != nil {
		return fmt.Errorf("%w: ALSA has no card %q (for %q)", ErrNoAudio, strings.TrimPrefix(card, "card"), dev)
	}
	return nil
}

func freeLoopbackPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("phone: control port: %w", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr, nil
}

// handle takes one event from baresip.
func (p *Phone) handle(a *Agent, ev CtrlEvent) {
	if ev.Direction == "incoming" {
		if ev.Type == "CALL_INCOMING" {
			// Nobody answers the kiosk: refuse it rather than let it ring.
			p.log.Info("phone: incoming call refused", "from", p.redact(ev.PeerURI))
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				a.Do(ctx, "hangup", "")
			}()
		}
		return
	}
	var out *Event
	p.mu.Lock()
	c := p.call
	if c == nil || ev.Class != "call" || (c.sipID != "" && c.sipID != ev.CallID) {
		p.mu.Unlock()
		return
	}
	c.sipID = ev.CallID
	now := p.cfg.Now()
	switch ev.Type {
	case "CALL_RINGING", "CALL_PROGRESS":
		if p.state == StateDialing {
			p.setStateLocked(StateRinging, nil)
			out = &Event{Kind: Ringing, Call: c.id, At: now}
		}
	case "CALL_ESTABLISHED":
		if p.state != StateInCall {
			p.setStateLocked(StateInCall, nil)
			out = &Event{Kind: Answered, Call: c.id, At: now}
		}
	case "CALL_CLOSED":
		r, remote := closeReason(ev.Param, c.local)
		p.call = nil
		p.setStateLocked(StateIdle, nil)
		out = &Event{Kind: Ended, Call: c.id, Reason: r, Remote: remote, Detail: ev.Param, At: now}
	}
	p.mu.Unlock()
	if out != nil {
		if out.Kind == Ended {
			p.log.Info("phone: call ended", "call", out.Call, "reason", out.Reason, "remote", out.Remote, "detail", out.Detail)
		} else {
			p.log.Info("phone: call "+out.Kind.String(), "call", out.Call)
		}
		p.emit(*out)
	}
}

func (p *Phone) emit(ev Event) {
	for {
		select {
		case p.events <- ev:
			return
		default:
		}
		select {
		case <-p.events: // the oldest makes room
		default:
		}
	}
}

// setStateLocked records the state (p.mu held) and tells the registry.
func (p *Phone) setStateLocked(s State, err error) {
	p.state = s
	if s == StateDown || s == StateStarting {
		p.err = err
	}
	if p.cfg.Device == nil {
		return
	}
	switch s {
	case StateStarting:
		p.cfg.Device.SetState(devices.Starting, nil)
	case StateIdle:
		p.cfg.Device.SetState(devices.Online, nil)
	case StateDialing, StateRinging, StateInCall:
		p.cfg.Device.SetState(devices.Busy, nil)
	case StateDown:
		if errors.Is(err, ErrNoAudio) {
			p.cfg.Device.SetState(devices.HardwareError, err)
		} else {
			p.cfg.Device.SetState(devices.Offline, err)
		}
	case StateStopped:
		p.cfg.Device.SetState(devices.Offline, nil)
	}
	p.cfg.Device.SetDetail("state", string(s))
}

// redact shows a duty desk's URI as it is and masks any other's user part.
func (p *Phone) redact(uri string) string {
	for _, d := range p.cfg.DeskURIs {
		if uri == d {
			return uri
		}
	}
	scheme, rest, ok := strings.Cut(uri, ":")
	if !ok {
		return mask.Value(uri)
	}
	user, host, ok := strings.Cut(rest, "@")
	if !ok {
		return scheme + ":" + mask.Value(rest)
	}
	return scheme + ":" + mask.Phone(user) + "@" + host
}

// Output is the end of what the running baresip has printed, "" when
// none runs (for the diag).
func Output(p *Phone) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.agent == nil {
		return ""
	}
	return p.agent.Output()
}
