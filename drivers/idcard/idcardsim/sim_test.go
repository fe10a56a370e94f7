package idcardsim_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
)

func TestLinkUnplugReplug(t *testing.T) {
	s, err := idcardsim.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	target, err := os.Readlink(s.Path())
	if err != nil || target != s.PTY() {
		t.Fatalf("link %q -> %q, %v (pty %q)", s.Path(), target, err, s.PTY())
	}
	held, err := idcard.Dial(context.Background(), s.Path(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	start := time.Now()
	s.Unplug() // while the kiosk holds the port open
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Unplug took %v", d)
	}
	if err := held.FindCard(context.Background()); !errors.Is(err, idcard.ErrGone) {
		t.Errorf("find on an unplugged port: %v, want ErrGone", err)
	}
	if _, err := os.Lstat(s.Path()); !os.IsNotExist(err) {
		t.Errorf("link still there after Unplug: %v", err)
	}
	if err := s.Replug(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Errorf("link missing after Replug: %v", err)
	}
	p, err := idcard.Dial(context.Background(), s.Path(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
}

func TestFixturesAndFaults(t *testing.T) {
	s, err := idcardsim.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Fixtures()) != 8 {
		t.Errorf("fixtures %v", s.Fixtures())
	}
	for _, name := range s.Fixtures() {
		c, ok := idcardsim.Fixture(name)
		if !ok || len(c.Photo) != 1024 {
			t.Errorf("fixture %s", name)
		}
		if _, err := idcard.EncodeText(c); err != nil {
			t.Errorf("fixture %s does not fit its layout: %v", name, err)
		}
		if err := s.Place(name); err != nil || s.Card() != name {
			t.Errorf("Place(%s) = %v", name, err)
		}
	}
	if err := s.Place("nobody"); !errors.Is(err, idcardsim.ErrUnknownFixture) {
		t.Errorf("Place(nobody) = %v", err)
	}
	for _, f := range idcardsim.Faults() {
		g, err := idcardsim.ParseFault(f.String())
		if err != nil || g != f {
			t.Errorf("ParseFault(%q) = %v, %v", f, g, err)
		}
	}
}

// The line is paced: a 1295-byte read reply at 38400 baud takes 337 ms.
func TestWireTimeIsReal(t *testing.T) {
	s, err := idcardsim.New(&idcardsim.Opts{Baud: 38400})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	p, err := idcard.Dial(ctx, s.Path(), &idcard.DialOpts{Baud: 38400})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s.Place(idcardsim.Han)
	if err := p.FindCard(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SelectCard(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c, err := p.Read(ctx, true) // 2321 bytes with 1024 of fingerprint
	if err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	wire := (2321 + 10) * 10 * time.Second / 38400
	if d < wire || d > 2*wire {
		t.Errorf("read took %v, wire time %v", d, wire)
	}
	if len(c.Fingerprint) != 1024 {
		t.Errorf("fingerprint %d bytes", len(c.Fingerprint))
	}
	// Appended address, and a card without one.
	if a, err := p.ReadAddress(ctx); err != nil || a != "河南省郑州市中牟县青年路12号院3号楼2单元" {
		t.Errorf("address %q, %v", a, err)
	}
	s.Place(idcardsim.Minority)
	p.FindCard(ctx)
	p.SelectCard(ctx)
	if _, err := p.ReadAddress(ctx); !errors.Is(err, idcard.ErrNoContent) {
		t.Errorf("address of a card without one: %v", err)
	}
	if err := p.SetMaxRFFrame(ctx, 0x50); err != nil {
		t.Errorf("set max RF frame: %v", err)
	}
	// The halted card is not found again until it leaves the field.
	p.Read(ctx, false)
	if err := p.FindCard(ctx); !errors.Is(err, idcard.ErrNoCard) {
		t.Errorf("find after read: %v, want ErrNoCard", err)
	}
}

func TestWrongBaudGetsNoise(t *testing.T) {
	s, err := idcardsim.New(&idcardsim.Opts{Baud: 57600})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := idcard.Dial(context.Background(), s.Path(), &idcard.DialOpts{Baud: 115200})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if s.Stats().BaudWrong != 1 {
		t.Errorf("stats %+v, want one request at the wrong rate", s.Stats())
	}
}

// A session straight on the in-memory line; a fault limited to two
// replies damages two reads and heals.
func TestConnAndFaultFor(t *testing.T) {
	s, err := idcardsim.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	line, err := s.Conn()
	if err != nil {
		t.Fatal(err)
	}
	defer line.Close()
	if _, err := os.Lstat(s.Path()); !os.IsNotExist(err) {
		t.Errorf("pty link still there on an in-memory line: %v", err)
	}
	ctx := context.Background()
	sess := idcard.NewSession(line, &idcard.SessionOpts{CommandTimeout: time.Second})
	if err := sess.SAMStatus(ctx); err != nil {
		t.Fatal(err)
	}
	s.Place(idcardsim.Han)
	if err := sess.FindCard(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.SelectCard(ctx); err != nil {
		t.Fatal(err)
	}
	s.SetFaultFor(idcardsim.FaultBadChecksum, 2)
	for i, want := range []error{idcard.ErrFrameChecksum, idcard.ErrFrameChecksum, nil} {
		c, err := sess.Read(ctx, false)
		if !errors.Is(err, want) || (err == nil) != (c != nil) {
			t.Fatalf("read %d: %v, want %v", i, err, want)
		}
	}
	if n := s.Stats().Reads; n != 3 {
		t.Errorf("%d reads answered, want 3", n)
	}
	// The line is cut when the reader is unplugged, and refused until
	// it is plugged back in.
	s.Unplug()
	if err := sess.FindCard(ctx); !errors.Is(err, idcard.ErrGone) {
		t.Errorf("find on a cut line: %v, want ErrGone", err)
	}
	if _, err := s.Conn(); !errors.Is(err, idcard.ErrGone) {
		t.Errorf("Conn while unplugged: %v, want ErrGone", err)
	}
	s.Replug()
	again, err := s.Conn()
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if err := idcard.NewSession(again, nil).SAMStatus(ctx); err != nil {
		t.Errorf("after Replug: %v", err)
	}
}

// TestSelectReplyAndRefind: select answers eight zero bytes like real
// readers unless Serials is set, and SetRefind switches how find answers
// for a card already read.
func TestSelectReplyAndRefind(t *testing.T) {
	for _, tc := range []struct {
		name    string
		serials bool
		zeros   bool
	}{
		{"real readers", false, true},
		{"serials", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := idcardsim.New(&idcardsim.Opts{Serials: tc.serials})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			p, err := idcard.Dial(ctx, s.Path(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			s.Place(idcardsim.Han)
			if err := p.FindCard(ctx); err != nil {
				t.Fatal(err)
			}
			uid, err := p.SelectCard(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(uid) != 8 || (string(uid) == string(make([]byte, 8))) != tc.zeros {
				t.Errorf("select answered % X", uid)
			}
			if _, err := p.Read(ctx, false); err != nil {
				t.Fatal(err)
			}
			// Halting by default: a read card is not found again.
			if err := p.FindCard(ctx); !errors.Is(err, idcard.ErrNoCard) {
				t.Errorf("find after read on a halting reader: %v, want ErrNoCard", err)
			}
			s.SetRefind(true)
			if err := p.FindCard(ctx); err != nil {
				t.Errorf("find after read on a refinding reader: %v", err)
			}
			if !s.Refind() {
				t.Error("Refind() false after SetRefind(true)")
			}
		})
	}
}
