// Package sound plays the kiosk's spoken prompts with Ebitengine's audio
// package. It first probes for an ALSA playback device and stays silent
// without one: creating an audio context with no device would stop the
// whole screen, and a kiosk without a speaker must still work.
package sound

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hajimehoshi/ebiten/v2/audio"
	"github.com/hajimehoshi/ebiten/v2/audio/wav"
)

// SampleRate is the audio context's rate; prompts are resampled to it.
const SampleRate = 44100

// Opts configures a Player; nil means defaults.
type Opts struct {
	Volume float64 // default volume 0..1 (default 0.8), restored by Reset
	Logger *slog.Logger
	// Probe reports whether a playback device exists; nil uses HasDevice.
	Probe func() bool
}

// Player plays one prompt at a time; a new prompt stops the one before.
// Safe for concurrent use.
type Player struct {
	log *slog.Logger
	def float64

	mu      sync.Mutex
	ctx     *audio.Context
	cur     *audio.Player
	volume  float64
	enabled bool
}

// New returns a player, silent when there is no device.
func New(opts *Opts) *Player {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Volume <= 0 || o.Volume > 1 {
		o.Volume = 0.8
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Probe == nil {
		o.Probe = HasDevice
	}
	p := &Player{log: o.Logger, def: o.Volume, volume: o.Volume, enabled: true}
	if o.Probe() {
		p.ctx = audio.NewContext(SampleRate)
	} else {
		p.log.Info("sound: no playback device, prompts stay silent")
	}
	return p
}

// HasDevice reports whether ALSA has somewhere to play: a sound card's
// playback device, or an ALSA configuration that defines one (such as a
// null device for tests).
func HasDevice() bool {
	if m, _ := filepath.Glob("/dev/snd/pcmC*D*p"); len(m) > 0 {
		return true
	}
	// A configuration counts only when it defines a PCM: an empty or
	// unrelated file would make opening the device fail, and Ebitengine
	// would then stop the whole screen.
	for _, f := range []string{os.Getenv("ALSA_CONFIG_PATH"), os.ExpandEnv("$HOME/.asoundrc"), "/etc/asound.conf"} {
		if f == "" {
			continue
		}
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), "pcm.") {
			return true
		}
	}
	return false
}

// Available reports whether prompts can be heard.
func (p *Player) Available() bool { return p.ctx != nil }

// Play plays a WAV prompt, stopping any prompt still playing. Without a
// device, or with voice off, it does nothing.
func (p *Player) Play(wavData []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ctx == nil || !p.enabled {
		return nil
	}
	s, err := wav.DecodeWithSampleRate(SampleRate, bytes.NewReader(wavData))
	if err != nil {
		return fmt.Errorf("sound: play: %w", err)
	}
	if p.cur != nil {
		p.cur.Close()
	}
	pl, err := p.ctx.NewPlayer(s)
	if err != nil {
		return fmt.Errorf("sound: play: %w", err)
	}
	pl.SetVolume(p.volume)
	pl.Play()
	p.cur = pl
	return nil
}

// SetVolume sets the volume (0..1) for this and later prompts.
func (p *Player) SetVolume(v float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.volume = min(max(v, 0), 1)
	if p.cur != nil {
		p.cur.SetVolume(p.volume)
	}
}

// Volume returns the current volume.
func (p *Player) Volume() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.volume
}

// SetEnabled turns voice guidance on or off; off stops what is playing.
func (p *Player) SetEnabled(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.enabled = on
	if !on && p.cur != nil {
		p.cur.Close()
		p.cur = nil
	}
}

// Enabled reports whether voice guidance is on.
func (p *Player) Enabled() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.enabled
}

// Reset restores the default volume and turns voice back on: called when
// a session ends, so one resident's settings never carry to the next.
func (p *Player) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.volume, p.enabled = p.def, true
	if p.cur != nil {
		p.cur.Close()
		p.cur = nil
	}
}
