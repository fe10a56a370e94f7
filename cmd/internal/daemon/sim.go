package daemon

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/drivers/camera/camerasim"
	"github.com/henan-county/kiosk/drivers/cups/cupssim"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/drivers/phone/dutydesk"
	"github.com/henan-county/kiosk/drivers/scanner/scannersim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/minisign"
)

// SimOperatorToken is countysim's operator token in simulator mode, for
// `kioskctl catalog publish --token`.
const SimOperatorToken = "sim-operator"

// SimTechnicianPIN opens the on-screen technician mode in simulator mode
// (hold the top-left corner of the attract screen for 5 seconds) unless
// the configuration names its own technician.pin_hash. It is public: it
// exists only in the simulator.
const SimTechnicianPIN = "246810"

// simWorld is everything simulator mode builds: the devices on
// pseudo-terminals, the backend on loopback, and the keys.
type simWorld struct {
	id     *idcardsim.Sim
	pr     *printersim.Sim
	scan   *scannersim.Sim
	camera *camerasim.Sim // the face camera (camera.go)
	desk   *dutydesk.Desk // the 小牟帮办 duty desk the phone calls (phone.go)

	mu       sync.Mutex
	deskMode string // admin.DeskAnswer, …
	county   *countysim.Server
	bank     *gpio.Bank
	log      *slog.Logger
	screen   atomic.Pointer[admin.ScreenInfo]

	// The A4 printer: a private cupsd and ippeveprinter, started in the
	// background (startCUPS).
	cupsStop context.CancelFunc
	cupsDone chan struct{} // closed once the start has ended either way
	cupsMu   sync.Mutex
	cups     *cupssim.Sim
	cupsDir  string
	cupsTmp  string // CUPS's files, when lp cannot reach the state directory

	closeOnce sync.Once
}

var _ admin.Sim = (*simWorld)(nil)

// buildSim creates the simulated world under cfg.State.Dir and points the
// configuration at it: device links, countysim's URL with mutual TLS, the
// development catalog key, the admin socket and metrics on loopback.
func buildSim(ctx context.Context, cfg *config.Config, log *slog.Logger, withCUPS, withPhone bool, cupsGate <-chan struct{}) (*simWorld, error) {
	if cfg.Technician.PINHash == "" {
		// The lowest cost: the PIN is public, and start-up stays fast.
		h, err := bcrypt.GenerateFromPassword([]byte(SimTechnicianPIN), bcrypt.MinCost)
		if err != nil {
			return nil, fmt.Errorf("technician PIN: %w", err)
		}
		cfg.Technician.PINHash = string(h)
		log.Info("simulator: technician PIN is the simulator's own; hold the top-left corner of the screen for 5 s (or press T)",
			"pin", SimTechnicianPIN)
	}
	if len(cfg.Assist.Staff) == 0 {
		h, err := bcrypt.GenerateFromPassword([]byte(SimStaffPIN), bcrypt.MinCost)
		if err != nil {
			return nil, fmt.Errorf("staff PIN: %w", err)
		}
		cfg.Assist.Staff = map[string]string{SimStaffID: string(h)}
		log.Info("simulator: 帮办模式 staff number and PIN are the simulator's own; help → 帮办模式",
			"staff", SimStaffID, "pin", SimStaffPIN)
	}
	dir := cfg.State.Dir
	devDir := filepath.Join(dir, "dev")
	if err := os.MkdirAll(devDir, 0o750); err != nil {
		return nil, err
	}
	w := &simWorld{log: log}
	var err error
	w.id, err = idcardsim.New(&idcardsim.Opts{Link: filepath.Join(devDir, "idcard"), Baud: cfg.IDCard.Baud, Logger: log.With("sim", "idcard")})
	if err != nil {
		return nil, fmt.Errorf("card reader: %w", err)
	}
	w.scan, err = scannersim.New(&scannersim.Opts{Link: filepath.Join(devDir, "scanner"), Logger: log.With("sim", "scanner")})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("code scanner: %w", err)
	}
	w.camera, err = camerasim.New(&camerasim.Opts{Logger: log.With("sim", "camera")})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("camera: %w", err)
	}
	receipts := filepath.Join(dir, "receipts")
	if err := os.MkdirAll(receipts, 0o750); err != nil {
		w.Close()
		return nil, err
	}
	w.pr, err = printersim.New(&printersim.Opts{
		Link: filepath.Join(devDir, "printer"), Dir: receipts, Baud: cfg.Printer.Baud, Dots: cfg.Printer.Dots,
		PlainGBK: cfg.Printer.ChineseMode == "gbk", XONXOFF: cfg.Printer.Flow() == "xonxoff", FontPath: cfg.Display.Font,
		OnReceipt: func(png string, raw []byte) {
			// The raw ESC/POS beside the picture, for tests and for anyone
			// checking what the driver sent.
			bin := strings.TrimSuffix(png, ".png") + ".escpos"
			if err := os.WriteFile(bin, raw, 0o640); err != nil {
				log.Warn("simulated printer: raw bytes not saved", "err", err)
			}
			log.Info("simulated printer: receipt printed", "png", png, "escpos", bin, "bytes", len(raw))
		},
		Logger: log.With("sim", "printer"),
	})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("printer: %w", err)
	}
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{cfg.Kiosk.ID})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("development PKI: %w", err)
	}
	w.county, err = countysim.New(&countysim.Opts{
		Dir: filepath.Join(dir, "countysim"), Addr: "127.0.0.1:0",
		CAFile: pki.CAFile, CertFile: pki.ServerCert, KeyFile: pki.ServerKey,
		OperatorToken: SimOperatorToken, Logger: log.With("sim", "countysim"),
	})
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("countysim: %w", err)
	}
	if err := w.county.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("countysim: %w", err)
	}
	pub, err := devCatalogKey(dir)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("catalog key: %w", err)
	}
	if !w.county.HasCatalog() {
		// The backend serves the list the kiosk starts with, signed with the
		// development key, as county operations would have published it.
		if err := publishDefault(w.county, dir); err != nil {
			w.Close()
			return nil, fmt.Errorf("publish the default catalog: %w", err)
		}
	}
	cc := pki.Clients[cfg.Kiosk.ID]
	cfg.IDCard.Port, cfg.IDCard.Enabled = w.id.Path(), true
	cfg.Printer.Port, cfg.Printer.Enabled = w.pr.Path(), true
	cfg.Scanner = config.Scanner{Enabled: true, Port: w.scan.Path(), Baud: 115200}
	cfg.Backend.URL, cfg.Backend.CA, cfg.Backend.Cert, cfg.Backend.Key = w.county.URL(), pki.CAFile, cc.CertFile, cc.KeyFile
	cfg.Catalog.TrustedKeys = []string{pub}
	cfg.Admin.Socket = filepath.Join(dir, "admin.sock")
	cfg.Outbox.KeyFile = filepath.Join(dir, "outbox.key")
	cfg.Metrics.Listen = "127.0.0.1:0"
	if withPhone && !cfg.Phone.Enabled {
		if err := w.startDutyDesk(ctx, cfg, dir); err != nil {
			// Without baresip the kiosk runs on without a phone.
			log.Warn("simulator: no duty desk; help offers the hotline only", "err", err)
			cfg.Phone.Enabled = false
		}
	}
	if withCUPS && !cfg.A4.Enabled {
		w.startCUPS(cfg, dir, cupsGate)
	}
	log.Info("simulator ready",
		"idcard", w.id.Path(), "printer", w.pr.Path(), "scanner", w.scan.Path(), "receipts", receipts,
		"countysim", w.county.URL(), "catalog_key", filepath.Join(dir, "catalog-dev.key"),
		"operator_token", SimOperatorToken)
	return w, nil
}

// devCatalogKey makes (once) the development signing key simulator mode
// trusts, and returns the public key file's path.
func devCatalogKey(dir string) (string, error) {
	pubPath, secPath := filepath.Join(dir, "catalog-dev.pub"), filepath.Join(dir, "catalog-dev.key")
	if _, err := os.Stat(pubPath); err == nil {
		return pubPath, nil
	}
	pub, sec, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(secPath, sec.Encode(), 0o600); err != nil {
		return "", err
	}
	if err := os.WriteFile(pubPath, pub.Encode(), 0o644); err != nil {
		return "", err
	}
	return pubPath, nil
}

func publishDefault(county *countysim.Server, dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "catalog-dev.key"))
	if err != nil {
		return err
	}
	key, err := minisign.ParsePrivateKey(b)
	if err != nil {
		return err
	}
	data := catalog.DefaultJSON()
	sig, err := minisign.Sign(key, data, "", "development catalog for simulator mode")
	if err != nil {
		return err
	}
	_, err = county.Publish(data, string(sig.Encode()))
	return err
}

// County returns the simulated backend (tests).
func (d *Daemon) County() *countysim.Server {
	if d.sim == nil {
		return nil
	}
	return d.sim.county
}

// startCUPS points [a4] at a private cupsd with a simulated printer under
// dir/a4 and starts them in the background, so the first screen does not
// wait for CUPS: the a4 device reads offline until cupsd answers. What is
// printed stays in dir/a4/printed. Without CUPS installed the kiosk runs
// without the A4 printer and says so.
func (w *simWorld) startCUPS(cfg *config.Config, dir string, gate <-chan struct{}) {
	if m := cupssim.Missing(); len(m) > 0 {
		w.log.Warn("simulator: CUPS is not installed, so the kiosk runs without the A4 printer (print matters are unavailable)",
			"missing", strings.Join(m, ", "), "install", "apt install cups cups-client cups-ipp-utils dbus-daemon")
		return
	}
	port, err := cupssim.FreePort()
	if err != nil {
		w.log.Warn("simulator: no port for cupsd, so the kiosk runs without the A4 printer", "err", err)
		return
	}
	w.cupsDir = filepath.Join(dir, "a4")
	opts := cupssim.Opts{Dir: w.cupsDir, Port: port}
	if cupssim.Reachable(dir) == nil {
		// Running as root, cupsd runs its filters as lp, who must pass
		// through the state directory to the spool (search only: no
		// listing).
		if fi, err := os.Stat(dir); err == nil && os.Geteuid() == 0 {
			_ = os.Chmod(dir, fi.Mode().Perm()|0o001)
		}
	} else {
		// lp cannot reach the state directory at all: CUPS's own files go
		// to a directory of their own under /tmp, removed on shutdown; the
		// printed documents still land in the state directory.
		sweepSimTmp(os.TempDir(), w.log)
		tmp, err := os.MkdirTemp("", simTmpPrefix)
		if err == nil {
			err = os.Chmod(tmp, 0o755)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(tmp, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644)
		}
		if err != nil {
			w.log.Warn("simulator: no directory for CUPS, so the kiosk runs without the A4 printer", "err", err)
			return
		}
		w.cupsTmp = tmp
		opts.Dir, opts.Printed = tmp, filepath.Join(w.cupsDir, "printed")
	}
	cfg.A4.Enabled, cfg.A4.Server, cfg.A4.Queue = true, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), "a4"
	if cfg.A4.PollInterval.Duration > 2*time.Second {
		cfg.A4.PollInterval.Duration = 2 * time.Second // shows ready soon after cupsd is
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cupsStop, w.cupsDone = cancel, make(chan struct{})
	go func() {
		defer close(w.cupsDone)
		if gate != nil {
			select {
			case <-gate:
			case <-ctx.Done():
				return
			}
		}
		sim, err := cupssim.Start(ctx, opts)
		if err != nil {
			if ctx.Err() == nil {
				w.log.Warn("simulator: the A4 printer's CUPS did not start, so the kiosk runs without it", "dir", opts.Dir, "err", err)
			}
			return
		}
		w.cupsMu.Lock()
		w.cups = sim
		w.cupsMu.Unlock()
		w.log.Info("simulator: A4 printer ready", "cupsd", sim.Server(), "queue", sim.Queue(), "printed", sim.Printed())
	}()
}

// CUPS returns the simulated A4 printer once it has started, or nil.
func (w *simWorld) CUPS() *cupssim.Sim {
	w.cupsMu.Lock()
	defer w.cupsMu.Unlock()
	return w.cups
}

// Close stops the simulators; it may be called more than once.
func (w *simWorld) Close() { w.closeOnce.Do(w.close) }

func (w *simWorld) close() {
	if w.cupsStop != nil {
		w.cupsStop()
		<-w.cupsDone
		if c := w.CUPS(); c != nil {
			if err := c.Close(); err != nil {
				w.log.Warn("simulator: stopping CUPS", "err", err)
			}
		}
		if w.cupsTmp != "" {
			_ = os.RemoveAll(w.cupsTmp)
		}
	}
	if w.id != nil {
		_ = w.id.Close()
	}
	if w.pr != nil {
		_ = w.pr.Close()
	}
	if w.scan != nil {
		_ = w.scan.Close()
	}
	if w.county != nil {
		_ = w.county.Close()
	}
	if w.desk != nil {
		_ = w.desk.Close()
	}
}

func (w *simWorld) PlaceCard(fixture string) error {
	if err := w.id.Place(fixture); err != nil {
		if errors.Is(err, idcardsim.ErrUnknownFixture) {
			return fmt.Errorf("%v (kioskctl sim card fixtures lists them): %w", err, admin.ErrNotFound)
		}
		return err
	}
	w.log.Info("simulated card placed", "fixture", fixture)
	return nil
}

func (w *simWorld) RemoveCard() error {
	w.id.Remove()
	w.log.Info("simulated card removed")
	return nil
}

func (w *simWorld) Fixtures() []string { return w.id.Fixtures() }

func (w *simWorld) SetIDCard(r admin.SimIDCardRequest) error {
	if r.Fault != "" {
		f, err := idcardsim.ParseFault(r.Fault)
		if err != nil {
			return fmt.Errorf("%v: %w", err, admin.ErrBadRequest)
		}
		w.id.SetFault(f)
	}
	switch r.FindAfterRead {
	case "":
	case "halts", "refinds":
		w.id.SetRefind(r.FindAfterRead == "refinds")
	default:
		return fmt.Errorf("find_after_read must be halts or refinds: %w", admin.ErrBadRequest)
	}
	if r.Unplug != nil {
		if *r.Unplug {
			w.id.Unplug()
		} else if err := w.id.Replug(); err != nil {
			return err
		}
	}
	return nil
}

func (w *simWorld) SetPrinter(r admin.SimPrinterRequest) error {
	switch r.Paper {
	case "":
	case "ok", "low", "out":
		w.pr.SetPaper(r.Paper)
	default:
		return fmt.Errorf("paper must be ok, low or out: %w", admin.ErrBadRequest)
	}
	switch r.Cover {
	case "":
	case "open", "closed":
		w.pr.OpenCover(r.Cover == "open")
	default:
		return fmt.Errorf("cover must be open or closed: %w", admin.ErrBadRequest)
	}
	if r.Offline != nil {
		w.pr.SetOffline(*r.Offline)
	}
	if r.Unplug != nil {
		if *r.Unplug {
			return w.pr.Unplug()
		}
		return w.pr.Replug()
	}
	return nil
}

// SetA4 sets the simulated A4 printer's paper (a fault at its next job,
// or the refill) or switches it off and on.
func (w *simWorld) SetA4(ctx context.Context, r admin.SimA4Request) error {
	c := w.CUPS()
	if c == nil {
		return fmt.Errorf("the simulated A4 printer is not running (CUPS starting, not installed, or [a4] set in the config): %w", admin.ErrUnavailable)
	}
	switch r.Paper {
	case "":
	case "out", "jam", "ok":
		f := map[string]cupssim.Fault{"out": cupssim.MediaEmpty, "jam": cupssim.MediaJam, "ok": cupssim.NoFault}[r.Paper]
		if err := c.SetFault(ctx, f); err != nil {
			return err
		}
		w.log.Info("simulated A4 printer", "paper", r.Paper)
	default:
		return fmt.Errorf("paper must be out, jam or ok: %w", admin.ErrBadRequest)
	}
	if r.Offline != nil {
		if *r.Offline {
			return c.StopPrinter()
		}
		return c.StartPrinter(ctx)
	}
	return nil
}

func (w *simWorld) DriveGPIO(name string, high bool) error {
	if w.bank == nil {
		return fmt.Errorf("no simulated GPIO: %w", admin.ErrUnavailable)
	}
	if err := w.bank.SimDrive(name, high); err != nil {
		return fmt.Errorf("%v: %w", err, admin.ErrBadRequest)
	}
	return nil
}

func (w *simWorld) Screen() admin.ScreenInfo {
	if p := w.screen.Load(); p != nil {
		return *p
	}
	return admin.ScreenInfo{}
}

// SetLayout records the widgets on the resident's screen (simulator mode
// only; for end-to-end tests). Called from the UI loop.
func (d *Daemon) SetLayout(info admin.ScreenInfo) {
	if d.sim != nil {
		d.sim.screen.Store(&info)
	}
}

func (w *simWorld) CountyTransactions() (any, error) { return w.county.Transactions() }

func (w *simWorld) CountyPayments() (any, error) { return w.county.Payments("") }

func (w *simWorld) CountyAssist() (any, error) { return w.county.AssistRequests("") }

// simTmpPrefix names the directories simulator mode's CUPS runs from when
// lp cannot reach the state directory.
const simTmpPrefix = "kiosk-a4-"

// sweepSimTmp removes such directories left by simulator kiosks that were
// killed before they could remove their own: each names its kiosk's
// process in its owner file, and one whose process is gone is stale.
func sweepSimTmp(dir string, log *slog.Logger) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), simTmpPrefix) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(filepath.Join(p, "owner"))
		if err != nil {
			continue // not ours to judge (no owner yet, or not readable)
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			if os.RemoveAll(p) == nil {
				log.Info("simulator: removed a stale CUPS directory", "dir", p, "owner", pid)
			}
		}
	}
}
