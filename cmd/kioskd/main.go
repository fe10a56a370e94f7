// Command kioskd is the kiosk daemon: it owns the hardware, the resident's
// session, the outbox and the screen.
//
//	kioskd --config /etc/kioskd/kioskd.toml   real devices and the county backend
//	kioskd --sim [--state DIR]                 everything simulated (see make run)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/cmd/internal/daemon"
	"github.com/henan-county/kiosk/cmd/kioskd/internal/cli"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/logging"
	"github.com/henan-county/kiosk/kiosk/sdnotify"
	"github.com/henan-county/kiosk/kiosk/voice"
	"github.com/henan-county/kiosk/ui"
	"github.com/henan-county/kiosk/ui/sound"
)

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memLimit)
	}
	os.Exit(run(os.Args[1:], os.Stderr))
}

// memLimit is the Go heap's soft limit unless GOMEMLIMIT says otherwise.
// The live heap is ~70 MB (the fonts, the pinyin dictionary); without a
// limit the collector lets garbage grow to twice that before collecting,
// and a face check's picture (15 decoded frames a second) makes that
// garbage fast. At 100 MiB the collector runs about once a second then,
// at well under 1 % of the CPU (docs/camera.md).
const memLimit = 100 << 20

func softwareVersion() string { return cli.Version() }

func run(args []string, stderr io.Writer) int {
	fl, code := cli.Parse(args, os.Stdout, stderr)
	if code >= 0 {
		return code
	}
	cfgPath, sim, state, shot, shotEvery := &fl.Config, &fl.Sim, &fl.State, &fl.Screenshot, &fl.ScreenshotEvery
	windowed, exitFirst, jsonLog := &fl.Windowed, &fl.ExitFirstFrame, &fl.LogJSON
	// Info until the configuration says otherwise ([log] level).
	level := new(slog.LevelVar)
	var h slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	switch {
	case *jsonLog:
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level})
	case stderr == os.Stderr && logging.UnderJournal(os.Stderr):
		// journald stamps each line; the priority lets journalctl -p filter.
		h = logging.NewJournal(stderr, level)
	}
	log := slog.New(logging.New(h, nil))

	cfg := config.Default()
	if *cfgPath != "" {
		c, err := config.Load(*cfgPath)
		if err != nil {
			log.Error("configuration", "err", err)
			return 78 // EX_CONFIG
		}
		cfg = c
		level.Set(cfg.Log.SlogLevel())
	} else if !*sim {
		fmt.Fprintln(stderr, "kioskd: say --config FILE for a real kiosk, or --sim for the simulator")
		return 64
	}
	if *state != "" {
		cfg.State.Dir = *state
	} else if *sim {
		d, err := os.MkdirTemp("", "kioskd-sim-")
		if err != nil {
			log.Error("state directory", "err", err)
			return 1
		}
		cfg.State.Dir = d
	}
	if abs, err := filepath.Abs(cfg.State.Dir); err == nil {
		cfg.State.Dir = abs
	}
	if *sim {
		cfg.Display.Fullscreen = false
		cfg.Kiosk.ID = "sim-kiosk-01"
	}
	if *windowed {
		cfg.Display.Fullscreen = false
	}

	var (
		vc  *voice.Cache
		snd *sound.Player
	)
	if cfg.Voice.Enabled {
		// Prompts are spoken with espeak-ng and cached; without a sound
		// device the kiosk stays silent and works as before.
		var err error
		vc, err = voice.New(filepath.Join(cfg.State.Dir, "voice"), &voice.Opts{Voice: cfg.Voice.Voice, Logger: log.With("part", "voice")})
		if err != nil {
			log.Warn("voice guidance off", "setting", "[voice]", "err", err)
			vc = nil
		} else {
			snd = sound.New(&sound.Opts{Volume: float64(cfg.Voice.Volume) / 100, Logger: log.With("part", "sound")})
		}
	}
	var speaker host.Voice
	if vc != nil {
		speaker = sound.NewSpeaker(vc, snd, log.With("part", "voice"))
	}

	// A stop signal drains first (stopOnSignal); ctx ends what runs.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	d, err := daemon.New(ctx, daemon.Options{Config: cfg, Sim: *sim, Version: softwareVersion(), Logger: log, Voice: speaker})
	if err != nil {
		log.Error("kioskd cannot start", "err", err)
		return 1
	}
	defer d.Close()
	if *sim {
		log.Info("simulator mode", "state", cfg.State.Dir)
	}

	live := newLiveness(log)
	var app *ui.App
	app, err = ui.New(&ui.Opts{
		Host: d.Host(), Width: cfg.Display.Width, Height: cfg.Display.Height, Rotate: cfg.Display.Rotate,
		Fullscreen: cfg.Display.Fullscreen, FontPath: cfg.Display.Font, FontCache: fontCache(cfg, *sim),
		ScreenshotPath: *shot, ScreenshotEvery: *shotEvery, Logger: log.With("part", "ui"),
		OnFrame: func(now time.Time) {
			live.frame(now)
			if *exitFirst {
				log.Info("first frame drawn", "since_start", time.Since(processStart).Round(time.Millisecond))
				stop()
			}
		},
		OnLayout: func(screen string, rev uint64, targets []ui.Target) {
			info := admin.ScreenInfo{Screen: screen, Rev: rev, Widgets: make([]admin.Widget, len(targets))}
			for i, t := range targets {
				info.Widgets[i] = admin.Widget{ID: t.ID, X: t.X, Y: t.Y, W: t.W, H: t.H, Label: t.Label, Picture: t.Picture}
			}
			d.SetLayout(info)
		},
		OnKey: func(k ebiten.Key) {
			if !*sim {
				return
			}
			switch k {
			case ebiten.KeyC:
				if err := d.Sim().PlaceCard(idcardsim.Han); err != nil {
					log.Warn("place card", "err", err)
				}
			case ebiten.KeyR:
				_ = d.Sim().RemoveCard()
			case ebiten.KeyT:
				app.OpenTechnician() // the corner gesture without waiting 5 s
			}
		},
	})
	if err != nil {
		log.Error("screen", "err", err)
		return 1
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := d.Run(ctx); err != nil {
			log.Error("daemon", "err", err)
		}
	}()
	// The watchdog is fed, and the screen draws, until ctx ends: through
	// the drain too.
	go live.watchdog(ctx, d)
	go stopOnSignal(ctx, sigs, d, stop, log)
	go func() {
		<-ctx.Done()
		app.Quit()
	}()
	_ = sdnotify.Ready()
	if err := app.Run(); err != nil {
		log.Error("screen stopped", "err", err)
		stop()
		<-done
		return 1
	}
	stop()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		log.Warn("shutdown took too long")
	}
	return 0
}

var processStart = time.Now()

// stopOnSignal waits for SIGTERM or SIGINT (systemctl stop, an upgrade's
// restart), lets a resident's session finish (daemon.Drain, at most
// [daemon] stop_grace; a second signal cuts it short), then stops.
func stopOnSignal(ctx context.Context, sigs <-chan os.Signal, d *daemon.Daemon, stop func(), log *slog.Logger) {
	select {
	case sig := <-sigs:
		log.Info("stop signal", "signal", sig.String())
	case <-ctx.Done():
		return
	}
	n := sdnotify.New(nil)
	_ = n.Stopping()
	if d.Host().InSession() {
		_ = n.Status("stopping: letting the resident's session finish")
	}
	dctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case sig := <-sigs:
			log.Warn("second stop signal: not waiting for the session any longer", "signal", sig.String())
			cancel()
		case <-dctx.Done():
		}
	}()
	d.Drain(dctx, -1)
	cancel()
	stop()
}

// liveness feeds systemd's watchdog only while the screen is drawing and
// the daemon's supervisor answers: a hung UI gets the kiosk restarted.
type liveness struct {
	log  *slog.Logger
	last chan time.Time
}

func newLiveness(log *slog.Logger) *liveness {
	return &liveness{log: log, last: make(chan time.Time, 1)}
}

func (l *liveness) frame(now time.Time) {
	select {
	case l.last <- now:
	default:
	}
}

func (l *liveness) watchdog(ctx context.Context, d *daemon.Daemon) {
	every, ok := sdnotify.WatchdogInterval()
	if !ok {
		return
	}
	t := time.NewTicker(every / 3)
	defer t.Stop()
	var lastFrame time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-l.last:
			lastFrame = f
		case <-t.C:
			if time.Since(lastFrame) > every/2 {
				l.log.Warn("screen loop silent; not feeding the watchdog", "since", time.Since(lastFrame).Round(time.Second))
				continue
			}
			if !d.Alive() {
				l.log.Warn("daemon supervisor not answering; not feeding the watchdog")
				continue
			}
			if err := sdnotify.Watchdog(); err != nil && !errors.Is(err, context.Canceled) {
				l.log.Warn("watchdog", "err", err)
			}
		}
	}
}

// fontCache is where the screen keeps its thinned faces between starts:
// the unit's cache directory (XDG_CACHE_HOME, /var/cache/kioskd), or in
// simulator mode and without one, the state directory's cache/.
func fontCache(cfg config.Config, sim bool) string {
	if dir := os.Getenv("XDG_CACHE_HOME"); dir != "" && !sim {
		return filepath.Join(dir, "fonts")
	}
	return filepath.Join(cfg.State.Dir, "cache", "fonts")
}
