package main

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"time"

	"github.com/henan-county/kiosk/cmd/internal/catalogcmd"
	"github.com/henan-county/kiosk/drivers/cups/cupsdiag"
	"github.com/henan-county/kiosk/drivers/escpos/escposdiag"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/gpio/gpiodiag"
	"github.com/henan-county/kiosk/drivers/idcard/idcarddiag"
	"github.com/henan-county/kiosk/drivers/scanner/scannerdiag"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
)

func runDiagIDCard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return idcarddiag.Run(ctx, args, stdout, stderr)
}

// runDiagScanner waits for one scan on a scanner kioskd does not hold.
func runDiagScanner(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return scannerdiag.Run(ctx, args, stdout, stderr)
}

func runDiagPrinter(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return escposdiag.Run(ctx, args, stdout, stderr)
}

// runDiagA4 asks cupsd about the A4 printer and can print a test page,
// with or without the daemon.
func runDiagA4(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cupsdiag.Run(ctx, args, stdout, stderr, time.Now)
}

func runCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return catalogcmd.Run(ctx, args, stdout, stderr)
}

// runDiagGPIO works through the running kioskd when it answers (it owns the
// pins then), and opens the pins itself from the config when it does not.
func runDiagGPIO(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sock, args := takeSocket(args)
	if sock == "" {
		sock = os.Getenv(socketEnv)
	}
	if sock == "" {
		sock = defaultSocket
	}
	// A usage error or -h is answered before the daemon or a pin is
	// touched: without a bank, gpiodiag stops right after its flags.
	if code := gpiodiag.Run(ctx, args, io.Discard, io.Discard, nil); code == gpiodiag.ExitUsage || code == gpiodiag.ExitOK {
		return gpiodiag.Run(ctx, args, stdout, stderr, nil)
	}
	cl := admin.NewClient(sock)
	var st admin.Status
	err := cl.Do(ctx, "GET", "/v1/status", nil, nil, &st)
	if err == nil {
		return gpiodiag.Run(ctx, args, stdout, stderr, &adminBank{ctx: ctx, c: cl})
	}
	if !errors.Is(err, admin.ErrDaemonNotRunning) {
		if slices.ContainsFunc(args, func(a string) bool { return a == "--json" || a == "-json" || a == "--json=true" || a == "-json=true" }) {
			printJSON(stdout, gpiodiag.Result{Pins: []gpio.Pin{}, Error: err.Error()})
		}
		return fail(stderr, err)
	}
	cfgPath := os.Getenv("KIOSKD_CONFIG")
	if cfgPath == "" {
		cfgPath = "/etc/kioskd/kioskd.toml"
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return gpiodiag.Run(ctx, args, stdout, stderr, nil)
	}
	b, err := gpio.Open(gpio.Config{Inputs: cfg.GPIO.Inputs, Outputs: cfg.GPIO.Outputs, ActiveLow: cfg.GPIO.ActiveLow, Debounce: cfg.GPIO.Debounce.Duration}, nil)
	if err != nil {
		return gpiodiag.Run(ctx, args, stdout, stderr, nil)
	}
	defer b.Halt()
	return gpiodiag.Run(ctx, args, stdout, stderr, b)
}

// adminBank is the GPIO bank of the running daemon, seen through its admin API.
type adminBank struct {
	ctx context.Context
	c   *admin.Client
}

func (a *adminBank) List() []gpio.Pin {
	var pins []admin.Pin
	if err := a.c.Do(a.ctx, "GET", "/v1/gpio", nil, nil, &pins); err != nil {
		return nil
	}
	out := make([]gpio.Pin, 0, len(pins))
	for _, p := range pins {
		out = append(out, gpio.Pin{Name: p.Name, Board: p.BoardName, Direction: gpio.Direction(p.Direction), On: p.On})
	}
	return out
}

func (a *adminBank) Set(name string, on bool) error {
	act := "off"
	if on {
		act = "on"
	}
	return a.c.Do(a.ctx, "POST", "/v1/gpio", nil, admin.GPIORequest{Name: name, Action: act}, nil)
}

func (a *adminBank) Pulse(name string, d time.Duration) error {
	return a.c.Do(a.ctx, "POST", "/v1/gpio", nil, admin.GPIORequest{Name: name, Action: "pulse", Duration: d.String()}, nil)
}

// SimDrive drives a simulated input through the daemon (simulator mode).
func (a *adminBank) SimDrive(name string, high bool) error {
	return a.c.Do(a.ctx, "POST", "/v1/sim/gpio", nil, admin.SimGPIORequest{Name: name, High: high}, nil)
}
