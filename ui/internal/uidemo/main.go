// Command uidemo runs the resident's screen on the demonstration catalog
// without any devices, for measuring the figures in docs/ui.md (first
// frame, memory, idle CPU, taps under xdotool) and for trying the screens.
// Press C to place the demonstration card and R to remove it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
	"github.com/henan-county/kiosk/kiosk/voice"
	"github.com/henan-county/kiosk/ui"
	"github.com/henan-county/kiosk/ui/scenes"
	"github.com/henan-county/kiosk/ui/sound"
)

func main() {
	w := flag.Int("w", 1080, "logical width")
	h0 := flag.Int("h", 1920, "logical height")
	rot := flag.Int("rotate", 0, "panel rotation")
	shot := flag.String("screenshot", "", "write the screen here every few seconds")
	taps := flag.Bool("taps", false, "print every tap on stdout")
	awake := flag.Bool("awake", false, "never sleep between input events")
	voiceDir := flag.String("voice", "", "speak prompts, caching them in this folder")
	frames := flag.String("frames", "", "measure frame times: \"search\" types and deletes a letter every frame, "+
		"\"home\" switches elder mode every frame (every pixel changes), \"floor\" changes one pixel a frame "+
		"without the kiosk (what presenting a frame costs); prints the figures and exits")
	nFrames := flag.Int("n", 600, "frames to measure with -frames")
	memProfile := flag.String("memprofile", "", "write a heap profile here 8 s after start")
	flag.Parse()
	start := time.Now()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var app *ui.App
	var err error
	var vc *voice.Cache
	var snd *sound.Player
	if *voiceDir != "" {
		if vc, err = voice.New(*voiceDir, &voice.Opts{Logger: log}); err != nil {
			log.Error("voice", "err", err)
			os.Exit(1)
		}
		snd = sound.New(&sound.Opts{Logger: log})
	}
	if *frames == "floor" {
		if err := runFloor(*w, *h0, *nFrames); err != nil {
			log.Error("floor", "err", err)
			os.Exit(1)
		}
		return
	}
	var fm *frameMeter
	if *frames != "" {
		fm = &frameMeter{mode: *frames, n: *nFrames, done: make(chan struct{})}
	}
	var voicePort host.Voice
	if vc != nil {
		voicePort = sound.NewSpeaker(vc, snd, log)
	}
	h := host.New(&host.Opts{
		Session: session.Opts{Catalog: demoCatalog(), HallName: scenes.HallName, KioskID: "DEMO"},
		Ports:   host.Ports{Outbox: demoOutbox{}, Printer: demoPrinter{}, Voice: voicePort},
		Logger:  log,
	})
	go func() { _ = h.Run(context.Background()) }()
	app, err = ui.New(&ui.Opts{Host: h,
		Width: *w, Height: *h0, Rotate: *rot, ScreenshotPath: *shot, Logger: log, AlwaysAwake: *awake || fm != nil,
		OnFrame: func(now time.Time) {
			if fm != nil {
				fm.frame(app, now)
			}
		},
		OnKey: func(k ebiten.Key) {
			switch k {
			case ebiten.KeyC:
				app.Post(session.CardPresent{Card: scenes.Card()})
			case ebiten.KeyR:
				app.Post(session.CardRemoved{})
			}
		},
		OnTap: func(x, y float64, id string) {
			if *taps {
				fmt.Printf("tap %.0f %.0f %s\n", x, y, id)
			}
		}})
	if err != nil {
		log.Error("ui", "err", err)
		os.Exit(1)
	}
	log.Info("ui ready", "after", time.Since(start).Round(time.Millisecond))
	if *memProfile != "" {
		go writeHeapProfile(*memProfile, log)
	}
	if fm != nil {
		go func() {
			<-fm.done
			fm.report(os.Stdout)
			app.Quit()
		}()
	}
	go func() {
		time.Sleep(5 * time.Second)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		log.Info("memory", "heap_inuse_mb", ms.HeapInuse>>20, "sys_mb", ms.Sys>>20)
		for {
			s0 := app.Stats()
			time.Sleep(5 * time.Second)
			s1 := app.Stats()
			log.Info("loop", "updates_per_s", float64(s1.Updates-s0.Updates)/5, "frames_per_s", float64(s1.Frames-s0.Frames)/5, "sleeping", s1.Sleeping)
		}
	}()
	if err := app.Run(); err != nil {
		log.Error("ui", "err", err)
		os.Exit(1)
	}
}

// demoOutbox answers every transaction after a second, as a near backend
// would.
type demoOutbox struct{}

func (demoOutbox) SubmitNow(ctx context.Context, tx txn.Transaction, _ time.Duration) (txn.Result, error) {
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
	}
	return demoResult(tx.ID), nil
}

// demoPrinter takes two seconds a receipt.
type demoPrinter struct{}

func (demoPrinter) PrintReceipt(ctx context.Context, _ receipt.Doc) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(2 * time.Second):
	}
	return nil
}
