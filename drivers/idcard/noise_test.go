package idcard_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/drivers/serialport"
)

// noiseLine answers every read with random bytes (sometimes a preamble,
// sometimes a timeout), like a reader at the wrong baud rate or a broken
// cable. It is also the session's clock: each read takes a millisecond of
// it, as a read on a serial line takes time, so a command's deadline
// comes after a known number of reads without sleeping. After cancelAt
// reads (if set) it calls cancel.
type noiseLine struct {
	rng      *rand.Rand
	now      time.Time
	reads    int
	cancelAt int
	cancel   func()
}

func newNoiseLine(seed1, seed2 uint64) *noiseLine {
	return &noiseLine{rng: rand.New(rand.NewPCG(seed1, seed2)), now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
}

// Now is the session's clock (SessionOpts.Now).
func (n *noiseLine) Now() time.Time { return n.now }

func (n *noiseLine) Write(b []byte) (int, error) { return len(b), nil }

func (n *noiseLine) Read(b []byte) (int, error) {
	n.now = n.now.Add(time.Millisecond)
	n.reads++
	if n.reads == n.cancelAt {
		n.cancel()
	}
	switch n.rng.IntN(10) {
	case 0:
		return 0, serialport.ErrTimeout
	case 1:
		k := copy(b, []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, byte(n.rng.IntN(3)), byte(n.rng.IntN(256))})
		return k, nil
	}
	k := 1 + n.rng.IntN(len(b))
	for i := range k {
		b[i] = byte(n.rng.IntN(256))
	}
	return k, nil
}

func TestSessionRandomBytesNoHang(t *testing.T) {
	for seed := range uint64(100) {
		line := newNoiseLine(seed, 7)
		s := idcard.NewSession(line, &idcard.SessionOpts{CommandTimeout: 30 * time.Millisecond, Now: line.Now})
		start := time.Now()
		_, err := s.Read(context.Background(), seed%2 == 0)
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("seed %d: Read took %v past a 30ms deadline", seed, d)
		}
		if err == nil {
			t.Fatalf("seed %d: noise decoded as a card", seed)
		}
	}
}

func TestSessionHonoursContext(t *testing.T) {
	// The context ends after 30 reads of noise (30 ms of the line's
	// clock), long before the command's own 3 s deadline.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	line := newNoiseLine(1, 1)
	line.cancelAt, line.cancel = 30, cancel
	s := idcard.NewSession(line, &idcard.SessionOpts{Now: line.Now})
	start := time.Now()
	err := s.FindCard(ctx)
	if err == nil || time.Since(start) > 200*time.Millisecond {
		t.Fatalf("FindCard = %v after %v", err, time.Since(start))
	}
}

// A real pty spewing random bytes at the Reader: it reports a fault, does
// not hang or panic, and when the link points at a working reader again
// the next card reads.
func TestReaderSurvivesNoiseOnThePort(t *testing.T) {
	m, sl, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	defer sl.Close()
	stop := make(chan struct{})
	go func() {
		rng := rand.New(rand.NewPCG(3, 4))
		buf := make([]byte, 64)
		for {
			select {
			case <-stop:
				return
			default:
			}
			for i := range buf {
				buf[i] = byte(rng.IntN(256))
			}
			if rng.IntN(4) == 0 {
				copy(buf, []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69})
			}
			if _, err := m.Write(buf); err != nil {
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	defer close(stop)
	go func() { // drain what the reader sends
		b := make([]byte, 256)
		for {
			if _, err := m.Read(b); err != nil {
				return
			}
		}
	}()
	link := filepath.Join(t.TempDir(), "idcard")
	if err := os.Symlink(sl.Name(), link); err != nil {
		t.Fatal(err)
	}
	h := startReader(t, idcard.Opts{Path: link, CommandTimeout: 200 * time.Millisecond})
	e, _ := h.expect(t, idcard.Fault, 5*time.Second)
	if !errors.Is(e.Err, idcard.ErrNoReader) && !errors.Is(e.Err, idcard.ErrTimeout) {
		t.Errorf("fault %v", e.Err)
	}
	// Swap the link to a working reader.
	sim := newSim(t, nil)
	tmp := link + ".new"
	if err := os.Symlink(sim.PTY(), tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil {
		t.Fatal(err)
	}
	sim.Place(idcardsim.BadCheck)
	e, _ = h.expect(t, idcard.CardPresent, 8*time.Second)
	wantCard(t, e.Card, idcardsim.BadCheck, false)
	if e.Card.IDNumberValid {
		t.Error("bad check digit reported valid")
	}
}
