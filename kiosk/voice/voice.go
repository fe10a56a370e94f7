// Package voice makes the kiosk's spoken Mandarin prompts: each prompt is
// generated once, offline, with espeak-ng (voice "cmn") into a WAV file in
// a cache directory, and read from there afterwards. Playing the sound is
// the screen's business (ui/voice); this package has no audio device.
package voice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
)

// ErrNoSynth is returned when espeak-ng is not installed.
var ErrNoSynth = errors.New("voice: espeak-ng not found")

// Opts configures a Cache; nil or zero fields take defaults.
type Opts struct {
	Command string // default "espeak-ng"
	Voice   string // default "cmn" (Mandarin)
	Speed   int    // words per minute, default 140 (slow and clear)
	Logger  *slog.Logger
}

// Cache generates and keeps prompt WAVs in a directory.
type Cache struct {
	dir string
	o   Opts
	mu  sync.Mutex // one generation at a time
}

// New returns a cache in dir (created if missing).
func New(dir string, opts *Opts) (*Cache, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Command == "" {
		o.Command = "espeak-ng"
	}
	if o.Voice == "" {
		o.Voice = "cmn"
	}
	if o.Speed <= 0 {
		o.Speed = 140
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("voice: new: %w", err)
	}
	return &Cache{dir: dir, o: o}, nil
}

// Path returns the file a prompt is (or will be) cached in.
func (c *Cache) Path(text string) string {
	h := sha256.Sum256([]byte(c.o.Voice + "\x00" + strconv.Itoa(c.o.Speed) + "\x00" + text))
	return filepath.Join(c.dir, hex.EncodeToString(h[:12])+".wav")
}

// WAV returns the prompt as WAV bytes, generating it on first use.
func (c *Cache) WAV(ctx context.Context, text string) ([]byte, error) {
	p := c.Path(text)
	if b, err := os.ReadFile(p); err == nil && len(b) > 44 {
		return b, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, err := os.ReadFile(p); err == nil && len(b) > 44 {
		return b, nil
	}
	if _, err := exec.LookPath(c.o.Command); err != nil {
		return nil, fmt.Errorf("voice: generate: %w", ErrNoSynth)
	}
	tmp := p + ".tmp"
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, c.o.Command, "-v", c.o.Voice, "-s", strconv.Itoa(c.o.Speed), "-w", tmp, "--", text)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("voice: generate: %s: %w (%s)", c.o.Command, err, bytes.TrimSpace(stderr.Bytes()))
	}
	b, err := os.ReadFile(tmp)
	if err != nil || len(b) <= 44 || string(b[:4]) != "RIFF" {
		os.Remove(tmp)
		return nil, fmt.Errorf("voice: generate: %s wrote no WAV", c.o.Command)
	}
	if err := os.Rename(tmp, p); err != nil {
		return nil, fmt.Errorf("voice: generate: %w", err)
	}
	return b, nil
}

// Prepare generates every prompt not yet cached (at start-up, so the
// first resident does not wait). It stops at the first error.
func (c *Cache) Prepare(ctx context.Context, texts []string) error {
	for _, t := range texts {
		if _, err := c.WAV(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
