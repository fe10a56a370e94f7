// Package daemon wires the kiosk together: configuration, the device
// drivers and their supervision, the catalog store and poller, the outbox
// and backend client, heartbeats, metrics and the admin API. It performs
// the resident session's effects and posts their outcomes back. It does
// not import Ebitengine, so it is tested without a display; cmd/kioskd
// adds the screen.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/phone"
	"github.com/henan-county/kiosk/drivers/scanner"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/handwriting"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techauth"
	"github.com/henan-county/kiosk/kiosk/techmode"
)

// Options configure a daemon.
type Options struct {
	Config  config.Config
	Sim     bool // build the simulated world (devices, countysim, keys) in Config.State.Dir
	Version string
	Logger  *slog.Logger
	Now     func() time.Time
	// Clock drives the session host and the daemon's own timers (nil:
	// the system clock). Tests step it by hand. The liveness pulse for
	// systemd's watchdog alone runs on the wall clock.
	Clock host.Clock
	// Voice speaks the resident's prompts (nil: the kiosk is silent).
	Voice host.Voice
	// TechOpts tune the on-screen technician mode (nil: its defaults).
	TechOpts *techmode.Opts
	// Handwriting configures the writing pad's recogniser (nil: zinnia
	// and Debian's model; see openHandwriting).
	Handwriting *handwriting.Opts
	// NoSimCUPS: simulator mode without its private CUPS for the A4
	// printer (tests that start their own, or need none). Simulator mode
	// starts none either when [a4] is enabled in Config.
	NoSimCUPS bool
	// NoSimPhone: simulator mode without the simulated duty desk and the
	// kiosk's phone (two baresip processes).
	NoSimPhone bool
	// OnScan, when set, is given every scan of the code scanner, classified
	// (scanner.go); it runs on the scanner's event goroutine.
	OnScan func(ScannedCode)
	// simCUPSGate, when set, holds simulator mode's CUPS back until it is
	// closed (tests: the kiosk must come up without it).
	simCUPSGate <-chan struct{}
}

// Daemon is the running kiosk minus its screen.
type Daemon struct {
	cfg     config.Config
	sim     *simWorld
	version string
	log     *slog.Logger
	now     func() time.Time
	clock   host.Clock
	started time.Time

	reg     *devices.Registry
	events  *eventlog.Log
	prom    *prometheus.Registry
	metrics *metrics

	store    *catalog.Store
	verifier *catalog.Verifier
	host     *host.Host
	admin    *admin.Server
	adminL   atomic.Pointer[net.Listener] // opened by New, served by Run

	reader     *idcard.Reader
	scanner    *scanner.Scanner  // nil: no code scanner (scanner.go)
	onScan     func(ScannedCode) // Options.OnScan
	printer    *escpos.Printer
	a4         *cups.Printer
	docs       *documentsPort // the A4 documents; nil without an A4 printer (documents.go)
	payer      *payment.Payer // payments; nil without a backend and an outbox (payments.go)
	unresolved atomic.Int64   // payments left unresolved at the last pass
	bank       *gpio.Bank
	client     *backend.Client
	ob         *outbox.Outbox
	tech       *techauth.Guard
	hw         *handwriting.Recognizer // nil: no writing pad (handwriting.go)
	cam        *Camera                 // nil: no face camera (camera.go)
	phone      *DeskPhone              // nil: no phone to the duty desk (phone.go)
	staff      *staffGuards            // nil: no 帮办模式 staff configured (staff.go)

	devBackend *devices.Device

	mu          sync.Mutex
	maintenance bool
	maintUntil  time.Time // when the technician expects the kiosk back
	doorOpen    bool
	lastBeat    time.Time
	beatErr     string

	pulse       atomic.Int64
	metricsAddr string        // once metricsUp is closed
	metricsUp   chan struct{} // closed when the metrics endpoint listens
	wg          sync.WaitGroup
}

// New builds the daemon. Device problems do not fail it: each device that
// cannot start is marked unavailable with a message naming its setting,
// and the kiosk runs without it.
func New(ctx context.Context, o Options) (*Daemon, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = host.SystemClock{}
	}
	if o.Now == nil {
		o.Now = o.Clock.Now
	}
	d := &Daemon{
		cfg: o.Config, version: o.Version, log: o.Logger, now: o.Now, clock: o.Clock, started: o.Now(),
		reg: devices.NewRegistry(o.Now), events: eventlog.New(1024, o.Now),
		prom: prometheus.NewRegistry(), metricsUp: make(chan struct{}),
	}
	d.prom.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	d.metrics = newMetrics(d)

	if err := os.MkdirAll(d.cfg.State.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("state.dir %s: %w", d.cfg.State.Dir, err)
	}
	if o.Sim {
		sw, err := buildSim(ctx, &d.cfg, d.log, !o.NoSimCUPS, !o.NoSimPhone, o.simCUPSGate)
		if err != nil {
			return nil, fmt.Errorf("simulator: %w", err)
		}
		d.sim = sw
		defer func() {
			if d.host == nil { // New failed: the simulators (cupsd among them) must not outlive it
				sw.Close()
			}
		}()
	}
	tech, err := techauth.New(d.cfg.Technician.PINHash, d.cfg.Technician.MaxAttempts, d.cfg.Technician.Lockout.Duration, d.now)
	if err != nil {
		return nil, err
	}
	d.tech = tech

	if err := d.openCatalog(); err != nil {
		return nil, err
	}
	d.openBackend()
	if err := d.openOutbox(); err != nil {
		return nil, err
	}
	d.openPayments()
	d.openGPIO()
	d.openIDCard()
	d.onScan = o.OnScan
	d.openScanner()
	d.openCamera()
	d.openPhone()
	if err := d.openStaff(); err != nil {
		d.log.Error("帮办模式 unavailable", "setting", "[assist]", "err", err)
	}
	d.openPrinter()
	d.openA4()
	if err := d.openDocuments(); err != nil {
		// Without the store no document can be kept, so none is printed:
		// print matters say the A4 printer is unavailable.
		d.log.Error("a4 documents unavailable; print matters are off", "setting", "[a4]", "err", err)
		d.events.Add("device", devices.A4, "documents cannot be kept: "+err.Error(), nil)
	}
	d.openHandwriting(o.Handwriting)
	d.host = host.New(&host.Opts{
		Session: session.Opts{
			Catalog:     d.store.Active,
			DeviceState: d.deviceState,
			KioskID:     d.cfg.Kiosk.ID,
			HallName:    d.hallName(),
			HallID:      d.cfg.Kiosk.Hall,
			Timeouts:    &session.Timeouts{Idle: d.cfg.Session.Timeout.Duration, Warning: d.cfg.Session.Countdown.Duration},
			CallAnswer:  d.cfg.Phone.AnswerTimeout.Duration,
			Devices:     d.builtWith(),
		},
		Ports:      d.ports(o.Voice),
		Technician: d,
		TechOpts:   o.TechOpts,
		Clock:      o.Clock,
		SubmitWait: d.cfg.Backend.SubmitWait.Duration,
		Location:   d.cfg.Kiosk.Location,
		Logger:     d.log.With("part", "host"),
	})
	d.openAdmin()
	return d, nil
}

// openAdmin opens the admin socket at once, so kioskctl can connect as
// soon as New returns (it is answered once Run serves it). A socket that
// cannot be opened now is tried again by Run's supervisor.
func (d *Daemon) openAdmin() {
	d.admin = admin.NewServer(d, &admin.Opts{Group: d.cfg.Admin.Group, AllowUIDs: d.cfg.Admin.AllowUIDs, Logger: d.log})
	if err := os.MkdirAll(filepath.Dir(d.cfg.Admin.Socket), 0o750); err != nil {
		d.log.Error("admin socket directory", "path", d.cfg.Admin.Socket, "err", err)
	}
	l, err := d.admin.Listen(d.cfg.Admin.Socket)
	if err != nil {
		d.log.Error("admin socket", "err", err)
		return
	}
	d.adminL.Store(&l)
}

// Host returns the session host: the screen draws its view and posts the
// resident's touches to it.
func (d *Daemon) Host() *host.Host { return d.host }

// CheckPIN checks a technician PIN against technician.pin_hash with the
// guard's attempt limit and lockout (for the on-screen technician mode).
func (d *Daemon) CheckPIN(pin string) error { return d.tech.Check(pin) }

// Registry returns the device registry.
func (d *Daemon) Registry() *devices.Registry { return d.reg }

// EventLog returns the recent-events ring.
func (d *Daemon) EventLog() *eventlog.Log { return d.events }

// Tech returns the technician PIN guard.
func (d *Daemon) Tech() *techauth.Guard { return d.tech }

func (d *Daemon) postEvent(ev host.Event) { d.host.Post(ev) }

func (d *Daemon) hallName() string {
	c := d.store.Active()
	if c == nil {
		return ""
	}
	for _, h := range c.Halls {
		if h.ID == d.cfg.Kiosk.Hall {
			return h.Name
		}
	}
	return c.County
}

func (d *Daemon) deviceState(k devices.Kind) devices.State {
	st, ok := d.reg.Get(string(k))
	if !ok {
		return devices.NoDevice
	}
	return st.State
}

// Run starts every background activity and blocks until ctx ends.
func (d *Daemon) Run(ctx context.Context) error {
	d.goSupervised(ctx, "host", d.host.Run)
	d.goSupervised(ctx, "pulse", d.pulseLoop)
	d.goSupervised(ctx, "device-events", d.watchDevices)
	if d.reader != nil {
		d.goSupervised(ctx, devices.IDCard, func(ctx context.Context) error { return d.reader.Run(ctx) })
		d.goSupervised(ctx, "idcard-events", d.readerEvents)
	}
	if d.scanner != nil {
		d.goSupervised(ctx, devices.Scanner, d.scanner.Run)
		d.goSupervised(ctx, "scanner-events", d.scanEvents)
	}
	if d.cam != nil {
		d.goSupervised(ctx, "camera", d.runCamera)
	}
	if d.phone != nil {
		d.goSupervised(ctx, phone.Name, d.phone.p.Run)
		d.goSupervised(ctx, "phone-events", d.phone.run)
	}
	if d.printer != nil {
		d.goSupervised(ctx, devices.Printer, func(ctx context.Context) error { return d.printer.Run(ctx) })
	}
	if d.a4 != nil {
		d.goSupervised(ctx, devices.A4, d.a4.Run)
	}
	if d.docs != nil {
		d.goSupervised(ctx, "a4-retention", d.docs.retentionLoop)
	}
	if d.bank != nil {
		d.goSupervised(ctx, "gpio-events", d.gpioEvents)
	}
	if d.ob != nil && d.client != nil {
		d.goSupervised(ctx, "outbox", func(ctx context.Context) error { return d.ob.Run(ctx, d.deliver) })
	}
	if d.payer != nil {
		d.goSupervised(ctx, "payments", d.resolveLoop)
	}
	if d.client != nil {
		d.goSupervised(ctx, "heartbeat", d.heartbeats)
		d.goSupervised(ctx, "catalog-poller", d.pollCatalog)
	}
	d.goSupervised(ctx, "catalog-rejections", d.watchRejections)
	if d.cfg.Metrics.Listen != "" {
		d.goSupervised(ctx, "metrics", d.serveMetrics)
	}
	d.goSupervised(ctx, "admin", func(ctx context.Context) error {
		if l := d.adminL.Swap(nil); l != nil {
			return d.admin.ServeListener(ctx, *l)
		}
		return d.admin.Serve(ctx, d.cfg.Admin.Socket)
	})
	d.log.Info("kiosk running", "kiosk", d.cfg.Kiosk.ID, "admin_socket", d.cfg.Admin.Socket, "sim", d.sim != nil)
	d.events.Add("kiosk", "kioskd", "started "+d.version, nil)
	<-ctx.Done()
	d.wg.Wait()
	return nil
}

// Close releases what New opened.
func (d *Daemon) Close() {
	if l := d.adminL.Swap(nil); l != nil {
		_ = (*l).Close()
	}
	if d.ob != nil {
		_ = d.ob.Close()
	}
	// Leave the hardware inert: no job half sent, no reader polling.
	if d.printer != nil {
		_ = d.printer.Halt()
	}
	if d.reader != nil {
		_ = d.reader.Halt()
	}
	if d.scanner != nil {
		_ = d.scanner.Halt() // releases a keyboard-mode scanner's grab
	}
	if d.a4 != nil {
		_ = d.a4.Halt()
	}
	if d.cam != nil {
		_ = d.cam.cam.Halt() // no stream, no face left in memory
	}
	if d.bank != nil {
		_ = d.bank.Halt()
	}
	if d.client != nil {
		d.client.Close()
	}
	if d.hw != nil {
		_ = d.hw.Close()
	}
	if d.sim != nil {
		d.sim.Close()
	}
}

// goSupervised runs fn in its own goroutine. A panic or an error is
// logged, recorded and followed by a restart with backoff, so one failing
// part never takes the others down; a clean return (ctx ended) stops it.
func (d *Daemon) goSupervised(ctx context.Context, name string, fn func(context.Context) error) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		backoff := time.Second
		for {
			err := runRecovered(ctx, fn)
			if ctx.Err() != nil {
				return
			}
			if err == nil {
				return
			}
			d.log.Error("component stopped; restarting", "component", name, "err", err, "in", backoff)
			d.events.Add("kiosk", name, "stopped: "+err.Error(), nil)
			select {
			case <-ctx.Done():
				return
			case <-d.clock.After(backoff):
			}
			backoff = min(backoff*2, time.Minute)
		}
	}()
}

var errPanic = errors.New("panic")

func runRecovered(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v\n%s", errPanic, r, debug.Stack())
		}
	}()
	return fn(ctx)
}

func (d *Daemon) serveMetrics(ctx context.Context) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.prom, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		// Healthy while the supervisor ticks; the body lists each device's
		// state so a fleet monitor sees a degraded kiosk at a glance.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !d.Alive() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "unhealthy: supervisor not ticking")
			return
		}
		fmt.Fprintln(w, "ok")
		for _, s := range d.reg.All() {
			fmt.Fprintf(w, "%s %s\n", s.Name, s.State)
		}
	})
	l, err := net.Listen("tcp", d.cfg.Metrics.Listen)
	if err != nil {
		return fmt.Errorf("metrics.listen %s: %w", d.cfg.Metrics.Listen, err)
	}
	select {
	case <-d.metricsUp: // a restart after an error: the address was told
	default:
		d.metricsAddr = l.Addr().String()
		close(d.metricsUp)
	}
	d.log.Info("metrics", "url", "http://"+l.Addr().String()+"/metrics")
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// MetricsAddr returns the metrics endpoint's address once it listens, or
// an error when ctx ends first.
func (d *Daemon) MetricsAddr(ctx context.Context) (string, error) {
	select {
	case <-d.metricsUp:
		return d.metricsAddr, nil
	case <-ctx.Done():
		return "", fmt.Errorf("metrics endpoint not listening: %w", ctx.Err())
	}
}

// Alive reports whether the daemon's supervisor loop has ticked recently
// (for the systemd watchdog, together with the screen's frames).
func (d *Daemon) Alive() bool {
	t := d.pulse.Load()
	return t != 0 && time.Since(time.Unix(0, t)) < 10*time.Second
}

func (d *Daemon) pulseLoop(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		d.pulse.Store(time.Now().UnixNano())
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
