// Package scannersim is a simulated serial code scanner on a
// pseudo-terminal: the kiosk's real serial code (drivers/scanner through
// drivers/serialport) opens it exactly as it would open /dev/ttyACM0, and
// Scan makes it send a code as a real scanner does, the text followed by
// its suffix (CR LF by default). Raw sends any bytes (garbage, an
// over-long code, a code cut in two), and Unplug and Replug take the port
// away and bring it back behind the same link.
package scannersim

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/serialport"
)

// ErrUnplugged: a scan was asked for while the scanner is unplugged.
var ErrUnplugged = errors.New("scannersim: scanner unplugged")

// Opts configures a simulator. nil means defaults.
type Opts struct {
	// Link is the stable path the kiosk opens (like a /dev/serial/by-id/ link);
	// it is a symlink to the current pty. Default: "scanner" in a new
	// temporary directory, removed by Close.
	Link string
	// Suffix follows each code (default "\r\n").
	Suffix string
	// Logger (default: discard). Codes are not logged.
	Logger *slog.Logger
}

// Sim is a running simulated scanner.
type Sim struct {
	link   string
	tmpDir string
	suffix string
	log    *slog.Logger

	mu     sync.Mutex
	master *os.File // the simulator's end; nil while unplugged
	slave  *os.File // held open so the master never sees a hang-up
	scans  int
	closed bool
}

// New starts a simulated scanner on a fresh pty behind the link.
func New(opts *Opts) (*Sim, error) {
	var o Opts
	if opts != nil {
		o = *opts
	}
	s := &Sim{link: o.Link, suffix: o.Suffix, log: o.Logger}
	if s.suffix == "" {
		s.suffix = "\r\n"
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.link == "" {
		d, err := os.MkdirTemp("", "scannersim")
		if err != nil {
			return nil, fmt.Errorf("scannersim: %w", err)
		}
		s.tmpDir = d
		s.link = filepath.Join(d, "scanner")
	}
	if err := s.plug(); err != nil {
		if s.tmpDir != "" {
			os.RemoveAll(s.tmpDir)
		}
		return nil, err
	}
	return s, nil
}

// Path is the link the kiosk opens.
func (s *Sim) Path() string { return s.link }

// Scans returns how many codes Scan has sent.
func (s *Sim) Scans() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scans
}

// Scan sends text as one scanned code: the text, then the suffix.
func (s *Sim) Scan(text string) error {
	if err := s.Raw([]byte(text + s.suffix)); err != nil {
		return err
	}
	s.mu.Lock()
	s.scans++
	s.mu.Unlock()
	s.log.Info("scannersim: code sent", "bytes", len(text))
	return nil
}

// Hold keeps scanning text every interval, as a scanner in continuous
// mode does while a phone is held in front of its window, until the
// returned function is called (which waits for the last scan to end).
func (s *Sim) Hold(text string, every time.Duration) (release func()) {
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			_ = s.Scan(text)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(stop) })
		<-done
	}
}

// Raw sends b as it is.
func (s *Sim) Raw(b []byte) error {
	s.mu.Lock()
	m, closed := s.master, s.closed
	s.mu.Unlock()
	if closed {
		return errors.New("scannersim: closed")
	}
	if m == nil {
		return ErrUnplugged
	}
	// Unlocked: a host that does not read may block the write, and
	// Unplug must still be able to pull the plug.
	if _, err := m.Write(b); err != nil {
		return fmt.Errorf("scannersim: send: %w", err)
	}
	return nil
}

// Unplug takes the port away: the pty closes and the link is removed.
func (s *Sim) Unplug() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unplugLocked()
}

func (s *Sim) unplugLocked() {
	if s.master == nil {
		return
	}
	os.Remove(s.link)
	s.master.Close()
	s.slave.Close()
	s.master, s.slave = nil, nil
}

// Replug brings the port back: a new pty behind the same link.
func (s *Sim) Replug() error {
	s.mu.Lock()
	plugged, closed := s.master != nil, s.closed
	s.mu.Unlock()
	if plugged || closed {
		return nil
	}
	return s.plug()
}

// Close stops the simulator and removes its link.
func (s *Sim) Close() error {
	s.mu.Lock()
	s.unplugLocked()
	s.closed = true
	s.mu.Unlock()
	if s.tmpDir != "" {
		return os.RemoveAll(s.tmpDir)
	}
	return nil
}

func (s *Sim) plug() error {
	m, sl, err := serialport.LinkPTY(s.link, 115200)
	if err != nil {
		return fmt.Errorf("scannersim: %w", err)
	}
	s.mu.Lock()
	s.master, s.slave = m, sl
	s.mu.Unlock()
	return nil
}
