package daemon

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/handwriting"
	"github.com/henan-county/kiosk/kiosk/session"
)

func newWithHandwriting(t *testing.T, o *handwriting.Opts) (*Daemon, *syncBuf) {
	t.Helper()
	var logs syncBuf
	cfg := config.Default()
	cfg.State.Dir = t.TempDir()
	cfg.Kiosk.ID = "test-kiosk-01"
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d, err := New(ctx, Options{Config: cfg, Sim: true, Version: "test",
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Handwriting: o, NoSimCUPS: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, &logs
}

// TestNoRecogniserNoPad: without zinnia the kiosk runs, offers no pad
// and says why in the log.
func TestNoRecogniserNoPad(t *testing.T) {
	d, logs := newWithHandwriting(t, &handwriting.Opts{Command: "zinnia-not-installed"})
	if d.hw != nil || d.ports(nil).Handwriting != nil {
		t.Fatal("a recogniser that is not there was offered")
	}
	l := logs.String()
	if !strings.Contains(l, "handwriting pad not offered") || !strings.Contains(l, "zinnia-utils") {
		t.Fatalf("the log does not say why there is no pad:\n%s", l)
	}
}

// TestHandwritingPort: with zinnia installed the port recognises 十
// written on the pad.
func TestHandwritingPort(t *testing.T) {
	d, logs := newWithHandwriting(t, nil)
	if d.hw == nil {
		if os.Getenv("CI") != "" {
			t.Fatalf(".ci/setup.sh should have installed zinnia:\n%s", logs.String())
		}
		t.Skip("zinnia not installed")
	}
	if !strings.Contains(logs.String(), "handwriting pad offered") {
		t.Fatalf("log:\n%s", logs.String())
	}
	p := d.ports(nil).Handwriting
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ten := [][]session.Point{{{X: 150, Y: 450}, {X: 500, Y: 450}, {X: 850, Y: 450}}, {{X: 500, Y: 120}, {X: 500, Y: 500}, {X: 500, Y: 880}}}
	cands, err := p.Recognize(ctx, ten)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(cands[:min(5, len(cands))], "十") {
		t.Fatalf("十 not among %q", cands)
	}
	if _, err := p.Recognize(ctx, nil); !errors.Is(err, handwriting.ErrNoInk) {
		t.Fatalf("no ink: %v", err)
	}
}
