package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/henan-county/kiosk/kiosk/eventlog"
)

// MaxBody is the largest request body accepted (a catalog with its
// signature, base64-encoded, fits well within it).
const MaxBody = 16 << 20

// Kiosk is what the admin API needs from the daemon. Methods return
// ErrNotFound, ErrUnavailable or ErrBadRequest (wrapped) for conditions a
// technician can act on.
type Kiosk interface {
	Status(ctx context.Context) Status
	SelfTest(ctx context.Context, device string) ([]Check, error)
	TestPrint(ctx context.Context) error
	PrintJobs(ctx context.Context) ([]PrintJob, error)
	Reprint(ctx context.Context, id int64) (PrintJob, error)
	CardReadTest(ctx context.Context, wait time.Duration) (CardRead, error)
	GPIOList(ctx context.Context) ([]Pin, error)
	GPIOSet(ctx context.Context, name string, on bool) error
	GPIOPulse(ctx context.Context, name string, d time.Duration) error
	PowerCycle(ctx context.Context, device string) error
	OutboxList(ctx context.Context) ([]OutboxItem, error)
	OutboxRetry(ctx context.Context, id string) (int, error)
	// PaymentList lists the payments the kiosk keeps, masked.
	PaymentList(ctx context.Context) ([]PaymentItem, error)
	InstallCatalog(ctx context.Context, data []byte, sig []byte) (CatalogInfo, error)
	// SetMaintenance turns maintenance on or off; until ("15:30", see
	// ParseUntil; "" for none) is when the kiosk is expected back.
	SetMaintenance(ctx context.Context, on bool, until string) error
	Events() *eventlog.Log
	// Sim returns nil when the kiosk runs real hardware.
	Sim() Sim
}

// Sim drives the simulated devices in sim mode.
type Sim interface {
	PlaceCard(fixture string) error
	RemoveCard() error
	Fixtures() []string
	SetIDCard(r SimIDCardRequest) error
	SetPrinter(r SimPrinterRequest) error
	SetA4(ctx context.Context, r SimA4Request) error
	DriveGPIO(name string, high bool) error
	// Scan makes the simulated code scanner send text as one scan.
	Scan(text string) error
	// ScanIdentityCode makes the simulated scanner read the electronic ID
	// code the simulated backend issues for a card fixture's resident.
	ScanIdentityCode(fixture string) error
	Screen() ScreenInfo
	// CountyTransactions lists what the simulated backend received.
	CountyTransactions() (any, error)
	// CountyPayments lists the simulated backend's payment orders, the
	// payer's code masked.
	CountyPayments() (any, error)
	// CountyAssist lists the simulated backend's 小牟帮办 queue (callbacks
	// and home visits), phones, names and addresses masked.
	CountyAssist() (any, error)
}

// Errors a Kiosk returns for the API to map to HTTP statuses.
var (
	ErrNotFound    = errors.New("not found")
	ErrUnavailable = errors.New("unavailable")
	ErrBadRequest  = errors.New("bad request")
	ErrForbidden   = errors.New("forbidden")
)

// Opts configures the server.
type Opts struct {
	// Group whose members may connect (besides root and the daemon's own
	// user); "" allows nobody else.
	Group     string
	AllowUIDs []int
	Logger    *slog.Logger
	// PeerCheck overrides the peer check (tests); nil uses SO_PEERCRED.
	PeerCheck func(uid, gid uint32, pid int32) bool
}

// Server serves the admin API.
type Server struct {
	k    Kiosk
	o    Opts
	log  *slog.Logger
	mux  *http.ServeMux
	http *http.Server
	gid  int
}

// NewServer returns a server for k.
func NewServer(k Kiosk, o *Opts) *Server {
	s := &Server{k: k, mux: http.NewServeMux(), gid: -1}
	if o != nil {
		s.o = *o
	}
	s.log = s.o.Logger
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.o.Group != "" {
		if g, err := user.LookupGroup(s.o.Group); err == nil {
			s.gid, _ = strconv.Atoi(g.Gid)
		}
	}
	s.routes()
	return s
}

// Handler returns the API's handler without the peer check (tests, and
// the technician screen inside the daemon).
func (s *Server) Handler() http.Handler { return s.mux }

type peerKey struct{}

type peer struct {
	uid, gid uint32
	pid      int32
	groups   []int
	err      error
}

// Serve listens on the unix socket at path (replacing a stale one), makes
// it group-accessible and serves until ctx ends.
func (s *Server) Serve(ctx context.Context, path string) error {
	l, err := s.Listen(path)
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, l)
}

// Listen opens the socket at path with the configured owner group and
// mode. Clients may connect at once; they are answered once
// ServeListener runs.
func (s *Server) Listen(path string) (net.Listener, error) {
	_ = os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("admin: listen %s: %w", path, err)
	}
	mode := os.FileMode(0o600)
	if s.gid >= 0 {
		mode = 0o660
		if err := os.Chown(path, -1, s.gid); err != nil {
			s.log.Warn("admin: socket group not set", "group", s.o.Group, "err", err)
		}
	}
	if err := os.Chmod(path, mode); err != nil {
		l.Close()
		return nil, fmt.Errorf("admin: chmod %s: %w", path, err)
	}
	return l, nil
}

// ServeListener answers requests on l until ctx ends.
func (s *Server) ServeListener(ctx context.Context, l net.Listener) error {
	s.http = &http.Server{
		Handler:           s.checkPeer(s.mux),
		ReadHeaderTimeout: 5 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, peerKey{}, peerOf(c))
		},
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.http.Shutdown(sctx)
	}()
	err := s.http.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func peerOf(c net.Conn) peer {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return peer{err: errors.New("not a unix socket")}
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return peer{err: err}
	}
	var cred *unix.Ucred
	var cerr error
	var groups []int
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
		groups = peerGroupsOf(int(fd))
	}); err != nil {
		return peer{err: err}
	}
	if cerr != nil {
		return peer{err: cerr}
	}
	return peer{uid: cred.Uid, gid: cred.Gid, pid: cred.Pid, groups: groups}
}

// peerGroupsOf asks the kernel for the peer's supplementary groups
// (SO_PEERGROUPS), which works even where /proc hides other users'
// processes (systemd's ProtectProc=invisible).
func peerGroupsOf(fd int) []int {
	buf := make([]uint32, 256)
	n := uint32(len(buf) * 4)
	_, _, errno := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_PEERGROUPS,
		uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0)
	if errno != 0 {
		return nil
	}
	out := make([]int, 0, n/4)
	for _, g := range buf[:n/4] {
		out = append(out, int(g))
	}
	return out
}

func (s *Server) allowed(p peer) bool {
	if p.err != nil {
		return false
	}
	if s.o.PeerCheck != nil {
		return s.o.PeerCheck(p.uid, p.gid, p.pid)
	}
	if p.uid == 0 || int(p.uid) == os.Getuid() || slices.Contains(s.o.AllowUIDs, int(p.uid)) {
		return true
	}
	if s.gid >= 0 {
		if int(p.gid) == s.gid {
			return true
		}
		return slices.Contains(p.groups, s.gid) || slices.Contains(peerGroups(p.pid), s.gid)
	}
	return false
}

// peerGroups reads the supplementary groups of a process.
func peerGroups(pid int32) []int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Groups:"); ok {
			var out []int
			for _, f := range strings.Fields(rest) {
				if g, err := strconv.Atoi(f); err == nil {
					out = append(out, g)
				}
			}
			return out
		}
	}
	return nil
}

func (s *Server) checkPeer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := r.Context().Value(peerKey{}).(peer)
		if !s.allowed(p) {
			s.log.Warn("admin: refused peer", "uid", p.uid, "pid", p.pid)
			writeProblem(w, http.StatusForbidden, "peer not allowed",
				fmt.Sprintf("uid %d may not use the admin socket; run as root or a member of group %q", p.uid, s.o.Group))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /v1/status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.k.Status(r.Context()))
	})
	m.HandleFunc("POST /v1/selftest", func(w http.ResponseWriter, r *http.Request) {
		var req DeviceRequest
		if !readJSON(w, r, &req, true) {
			return
		}
		checks, err := s.k.SelfTest(r.Context(), req.Device)
		s.reply(w, checks, err)
	})
	m.HandleFunc("POST /v1/print/test", func(w http.ResponseWriter, r *http.Request) {
		s.reply(w, map[string]string{"result": "printed"}, s.k.TestPrint(r.Context()))
	})
	m.HandleFunc("GET /v1/print/jobs", func(w http.ResponseWriter, r *http.Request) {
		jobs, err := s.k.PrintJobs(r.Context())
		s.reply(w, jobs, err)
	})
	m.HandleFunc("POST /v1/print/reprint", func(w http.ResponseWriter, r *http.Request) {
		var req ReprintRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		j, err := s.k.Reprint(r.Context(), req.ID)
		s.reply(w, j, err)
	})
	m.HandleFunc("POST /v1/idcard/read", func(w http.ResponseWriter, r *http.Request) {
		wait := 15 * time.Second
		if v := r.URL.Query().Get("wait"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 || d > 5*time.Minute {
				writeProblem(w, http.StatusBadRequest, "bad wait", "wait must be a duration up to 5m, e.g. 15s")
				return
			}
			wait = d
		}
		c, err := s.k.CardReadTest(r.Context(), wait)
		s.reply(w, c, err)
	})
	m.HandleFunc("GET /v1/gpio", func(w http.ResponseWriter, r *http.Request) {
		pins, err := s.k.GPIOList(r.Context())
		s.reply(w, pins, err)
	})
	m.HandleFunc("POST /v1/gpio", func(w http.ResponseWriter, r *http.Request) {
		var req GPIORequest
		if !readJSON(w, r, &req, false) {
			return
		}
		var err error
		switch req.Action {
		case "on", "off":
			err = s.k.GPIOSet(r.Context(), req.Name, req.Action == "on")
		case "pulse":
			d := 500 * time.Millisecond
			if req.Duration != "" {
				if d, err = time.ParseDuration(req.Duration); err != nil || d <= 0 || d > time.Minute {
					writeProblem(w, http.StatusBadRequest, "bad duration", "duration must be positive and at most 1m")
					return
				}
			}
			err = s.k.GPIOPulse(r.Context(), req.Name, d)
		default:
			writeProblem(w, http.StatusBadRequest, "bad action", `action must be "on", "off" or "pulse"`)
			return
		}
		s.reply(w, map[string]string{"result": "ok"}, err)
	})
	m.HandleFunc("POST /v1/power-cycle", func(w http.ResponseWriter, r *http.Request) {
		var req DeviceRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]string{"result": "power-cycled", "device": req.Device}, s.k.PowerCycle(r.Context(), req.Device))
	})
	m.HandleFunc("GET /v1/outbox", func(w http.ResponseWriter, r *http.Request) {
		items, err := s.k.OutboxList(r.Context())
		s.reply(w, items, err)
	})
	m.HandleFunc("GET /v1/payments", func(w http.ResponseWriter, r *http.Request) {
		items, err := s.k.PaymentList(r.Context())
		s.reply(w, items, err)
	})
	m.HandleFunc("POST /v1/outbox/retry", func(w http.ResponseWriter, r *http.Request) {
		var req RetryRequest
		if !readJSON(w, r, &req, true) {
			return
		}
		n, err := s.k.OutboxRetry(r.Context(), req.ID)
		s.reply(w, map[string]int{"retried": n}, err)
	})
	m.HandleFunc("POST /v1/catalog", func(w http.ResponseWriter, r *http.Request) {
		var req CatalogRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		info, err := s.k.InstallCatalog(r.Context(), req.Catalog, []byte(req.Signature))
		s.reply(w, info, err)
	})
	m.HandleFunc("PUT /v1/maintenance", func(w http.ResponseWriter, r *http.Request) {
		var req MaintenanceRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]bool{"maintenance": req.On}, s.k.SetMaintenance(r.Context(), req.On, req.Until))
	})
	m.HandleFunc("GET /v1/events", s.events)

	m.HandleFunc("GET /v1/sim/fixtures", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		writeJSON(w, http.StatusOK, sim.Fixtures())
	}))
	m.HandleFunc("GET /v1/sim/screen", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		writeJSON(w, http.StatusOK, sim.Screen())
	}))
	m.HandleFunc("GET /v1/sim/county/transactions", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		v, err := sim.CountyTransactions()
		s.reply(w, v, err)
	}))
	m.HandleFunc("GET /v1/sim/county/payments", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		v, err := sim.CountyPayments()
		s.reply(w, v, err)
	}))
	m.HandleFunc("GET /v1/sim/county/assist", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		v, err := sim.CountyAssist()
		s.reply(w, v, err)
	}))
	m.HandleFunc("POST /v1/sim/card", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		var req SimCardRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]string{"placed": req.Fixture}, sim.PlaceCard(req.Fixture))
	}))
	m.HandleFunc("DELETE /v1/sim/card", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		s.reply(w, map[string]string{"result": "removed"}, sim.RemoveCard())
	}))
	m.HandleFunc("POST /v1/sim/idcard", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		var req SimIDCardRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]string{"result": "ok"}, sim.SetIDCard(req))
	}))
	m.HandleFunc("POST /v1/sim/printer", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		var req SimPrinterRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]string{"result": "ok"}, sim.SetPrinter(req))
	}))
	m.HandleFunc("POST /v1/sim/a4", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		var req SimA4Request
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]string{"result": "ok"}, sim.SetA4(r.Context(), req))
	}))
	m.HandleFunc("POST /v1/sim/gpio", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		var req SimGPIORequest
		if !readJSON(w, r, &req, false) {
			return
		}
		s.reply(w, map[string]string{"result": "ok"}, sim.DriveGPIO(req.Name, req.High))
	}))
	m.HandleFunc("POST /v1/sim/scan", s.sim(func(w http.ResponseWriter, r *http.Request, sim Sim) {
		var req SimScanRequest
		if !readJSON(w, r, &req, false) {
			return
		}
		if req.IdentityCode != "" {
			s.reply(w, map[string]string{"result": "scanned"}, sim.ScanIdentityCode(req.IdentityCode))
			return
		}
		if req.Text == "" || len(req.Text) > MaxSimScan {
			writeProblem(w, http.StatusBadRequest, "bad scan", fmt.Sprintf("text must be 1 to %d bytes", MaxSimScan))
			return
		}
		s.reply(w, map[string]string{"result": "scanned"}, sim.Scan(req.Text))
	}))
	s.cameraRoutes(m) // camera.go
	s.deskRoutes(m)   // desk.go
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "no such endpoint", r.Method+" "+r.URL.Path)
	})
}

func (s *Server) sim(h func(http.ResponseWriter, *http.Request, Sim)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sim := s.k.Sim()
		if sim == nil {
			writeProblem(w, http.StatusConflict, "not in simulator mode", "simulated devices exist only when kioskd runs with --sim")
			return
		}
		h(w, r, sim)
	}
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	n := 100
	if v := r.URL.Query().Get("n"); v != "" {
		if x, err := strconv.Atoi(v); err == nil && x > 0 {
			n = x
		}
	}
	log := s.k.Events()
	if r.URL.Query().Get("follow") == "" {
		writeJSON(w, http.StatusOK, log.Recent(n))
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	ch, stop := log.Follow()
	defer stop()
	enc := json.NewEncoder(w)
	for _, e := range log.Recent(n) {
		_ = enc.Encode(e)
	}
	fl, _ := w.(http.Flusher)
	if fl != nil {
		fl.Flush()
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-ch:
			if !ok {
				return
			}
			if err := enc.Encode(e); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
		}
	}
}

func (s *Server) reply(w http.ResponseWriter, v any, err error) {
	if err == nil {
		writeJSON(w, http.StatusOK, v)
		return
	}
	code := http.StatusInternalServerError
	title := "failed"
	switch {
	case errors.Is(err, ErrNotFound):
		code, title = http.StatusNotFound, "not found"
	case errors.Is(err, ErrBadRequest):
		code, title = http.StatusBadRequest, "bad request"
	case errors.Is(err, ErrUnavailable):
		code, title = http.StatusServiceUnavailable, "unavailable"
	case errors.Is(err, ErrForbidden):
		code, title = http.StatusForbidden, "forbidden"
	case errors.Is(err, context.DeadlineExceeded):
		code, title = http.StatusGatewayTimeout, "timed out"
	}
	writeProblem(w, code, title, err.Error())
}

func readJSON(w http.ResponseWriter, r *http.Request, v any, emptyOK bool) bool {
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) && emptyOK {
			return true
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeProblem(w, http.StatusRequestEntityTooLarge, "request too large", fmt.Sprintf("bodies are limited to %d bytes", MaxBody))
			return false
		}
		writeProblem(w, http.StatusBadRequest, "malformed request", "the body must be one JSON object: "+err.Error())
		return false
	}
	if dec.More() {
		writeProblem(w, http.StatusBadRequest, "malformed request", "trailing data after the JSON object")
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeProblem(w http.ResponseWriter, code int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(Problem{Title: title, Status: code, Detail: detail})
}
