package sound

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/henan-county/kiosk/kiosk/voice"
)

// Speaker is the session host's voice: prompts made by the voice cache
// (espeak-ng, cached as WAV) and played by the Player. It never blocks
// the caller; a newer prompt wins over an older one still being made.
type Speaker struct {
	cache *voice.Cache
	p     *Player
	log   *slog.Logger
	seq   atomic.Int64
}

// NewSpeaker joins a voice cache and a player; cache may be nil (the
// settings still work, nothing is said).
func NewSpeaker(cache *voice.Cache, p *Player, log *slog.Logger) *Speaker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Speaker{cache: cache, p: p, log: log}
}

// Say makes and plays text off the caller's goroutine.
func (s *Speaker) Say(text string) {
	if s.cache == nil || !s.p.Available() || text == "" {
		return
	}
	n := s.seq.Add(1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		wav, err := s.cache.WAV(ctx, text)
		if err != nil {
			s.log.Warn("voice", "err", err)
			return
		}
		if s.seq.Load() == n {
			if err := s.p.Play(wav); err != nil {
				s.log.Warn("voice", "err", err)
			}
		}
	}()
}

// Set applies the resident's volume and voice on/off.
func (s *Speaker) Set(volume float64, on bool) {
	s.p.SetVolume(volume)
	s.p.SetEnabled(on)
}

// Reset restores the default volume with the voice on.
func (s *Speaker) Reset() { s.p.Reset() }
