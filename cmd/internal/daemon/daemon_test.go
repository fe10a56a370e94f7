package daemon

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups/cupssim"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/logging"
	"github.com/henan-county/kiosk/kiosk/session"
)

// resident drives the daemon's session host as a resident at the screen
// would: posting touches and device events, and waiting for what the
// screen shows.
type resident struct {
	t *testing.T
	h *host.Host
}

func newResident(t *testing.T, d *Daemon) *resident { return &resident{t: t, h: d.Host()} }

func (s *resident) do(evs ...session.Event) {
	for _, ev := range evs {
		s.h.Post(ev)
	}
}

// waitFor waits until the view satisfies ok, waking at each change.
func (s *resident) waitFor(what string, within time.Duration, ok func(v session.View) bool) session.View {
	s.t.Helper()
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		changed := s.h.Changed()
		v := s.h.View().Session
		if ok(v) {
			return v
		}
		select {
		case <-changed:
		case <-timeout.C:
			s.t.Fatalf("waiting for %s: screen %s, notice %q, title %q", what, v.Screen, v.Notice, v.Title)
		}
	}
}

func (s *resident) waitScreen(sc session.Screen, within time.Duration) session.View {
	s.t.Helper()
	return s.waitFor(string(sc), within, func(v session.View) bool { return v.Screen == sc })
}

// countingClock is the system clock that also tells when a timer is
// armed. The daemon's loops arm one at the end of each round (the
// heartbeat loop after each heartbeat is answered), so a test re-checks
// what a round may have changed when the next timer is armed, instead of
// polling on a timer of its own.
type countingClock struct {
	host.SystemClock
	mu  sync.Mutex
	chg chan struct{} // closed when a timer is armed
}

func newCountingClock() *countingClock { return &countingClock{chg: make(chan struct{})} }

func (c *countingClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	close(c.chg)
	c.chg = make(chan struct{})
	c.mu.Unlock()
	return c.SystemClock.After(d)
}

// Armed returns a channel closed when the next timer is armed.
func (c *countingClock) Armed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chg
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSim runs the daemon in simulator mode, without the simulator's
// own CUPS (tests of the A4 printer start theirs, or use startSimWith).
func startSim(t testing.TB, tweak ...func(*config.Config)) (*Daemon, context.Context, *syncBuf) {
	t.Helper()
	return startSimWith(t, Options{NoSimCUPS: true, NoSimPhone: true}, tweak...)
}

// startSimWith is startSim with o's Options (Config, Sim, Version, Logger
// and Clock are the test's own; State.Dir is a fresh directory unless a
// tweak sets one).
func startSimWith(t testing.TB, o Options, tweak ...func(*config.Config)) (*Daemon, context.Context, *syncBuf) {
	t.Helper()
	var logs syncBuf
	log := slog.New(logging.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}), nil))
	cfg := config.Default()
	cfg.State.Dir = t.TempDir()
	cfg.Kiosk.ID = "test-kiosk-01"
	for _, f := range tweak {
		f(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o.Config, o.Sim, o.Version, o.Logger, o.Clock = cfg, true, "test", log, newCountingClock()
	d, err := New(ctx, o)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = d.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		d.Close()
	})
	waitDevices(t, d, devices.IDCard, devices.Printer)
	return d, ctx, &logs
}

func waitDevices(t testing.TB, d *Daemon, names ...string) {
	t.Helper()
	waitRegistry(t, d, 15*time.Second, "devices online", func() bool {
		for _, n := range names {
			if st, _ := d.reg.Get(n); st.State != devices.Online {
				return false
			}
		}
		return true
	})
}

// retryOnChange calls try until it succeeds, again at every change of a
// device in the daemon's registry (a reconnect, a state or detail
// change), for within. It reports whether try succeeded.
func retryOnChange(d *Daemon, within time.Duration, try func() bool) bool {
	ch, stop := d.reg.Subscribe(256)
	defer stop()
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for !try() {
		select {
		case <-ch:
		case <-timeout.C:
			return false
		}
	}
	return true
}

// waitRegistry waits until cond holds, checking it again at every change
// of a device in the daemon's registry: no polling, no sleeping.
func waitRegistry(t testing.TB, d *Daemon, within time.Duration, what string, cond func() bool) {
	t.Helper()
	ch, stop := d.reg.Subscribe(256)
	defer stop()
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for !cond() {
		select {
		case <-ch:
		case <-timeout.C:
			t.Fatalf("waiting for %s: %+v", what, d.reg.All())
		}
	}
}

// TestJourneyAgainstSimulatedWorld runs a resident's whole journey through
// the real drivers on pseudo-terminals, countysim over mutual TLS and the
// A4 printer behind a private cupsd: a print matter's proof shown, printed
// and taken from the lit slot, then the result with its slip.
func TestJourneyAgainstSimulatedWorld(t *testing.T) {
	needDocumentTools(t)
	a4 := cupssim.StartForTest(t)
	d, _, logs := startSim(t, a4Config(a4))
	waitA4Online(t, d)
	s := newResident(t, d)

	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "sb-jfjl-print"})
	v := s.waitScreen(session.ScreenGuide, 5*time.Second)
	if v.Guide == nil || !v.Guide.Available {
		t.Fatalf("matter not available: %+v", v.Guide)
	}
	s.do(session.Start{})
	s.waitScreen(session.ScreenIdentify, 5*time.Second)
	if err := d.sim.PlaceCard(idcardsim.Han); err != nil {
		t.Fatal(err)
	}
	v = s.waitFor("masked identity", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
	if !strings.Contains(v.Identity.IDNumber, "********") {
		t.Fatalf("identity not masked: %+v", v.Identity)
	}
	s.do(session.ConfirmIdentity{})
	s.waitScreen(session.ScreenForm, 5*time.Second)
	s.do(session.FieldInput{ID: "period", Value: "12"}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	s.do(session.Submit{})
	// The proof: its first page and 打印 1 页, then printed on A4 and taken
	// from the slot, lit while the pages wait there.
	v = s.waitFor("the document", 30*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenDocument && v.Document != nil && v.Document.State != session.DocFetching
	})
	if doc := v.Document; doc.State != session.DocReady || doc.Preview == nil || doc.Pages != 1 || doc.PrintLabel != session.PrintLabel(1) || doc.VerificationCode == "" {
		t.Fatalf("document screen: %+v (notice %q)", doc, v.Notice)
	}
	code := v.Document.VerificationCode
	if on, _ := d.bank.Read(gpio.SlotLight); on {
		t.Fatal("the slot light is on before anything printed")
	}
	s.do(session.PrintDocument{})
	v = s.waitFor("请取走打印件", 60*time.Second, func(v session.View) bool {
		return v.Document != nil && v.Document.State != session.DocReady && v.Document.State != session.DocPrinting
	})
	if v.Document.State != session.DocTake {
		t.Fatalf("the A4 job ended %s: %q", v.Document.State, v.Document.Message)
	}
	if on, _ := d.bank.Read(gpio.SlotLight); !on {
		t.Error("the slot light is off while the pages wait")
	}
	printed, err := a4.Documents()
	if err != nil || len(printed) != 1 {
		t.Fatalf("printed on A4: %v, %v", printed, err)
	}
	if text := pdfText(t, printed[0]); !strings.Contains(text, code) {
		t.Fatalf("the A4 printer holds another document:\n%s", text)
	}
	s.do(session.Continue{})
	v = s.waitFor("result", 20*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenPrinting || v.Screen == session.ScreenRating || v.Screen == session.ScreenResult
	})
	if on, _ := d.bank.Read(gpio.SlotLight); on {
		t.Error("the slot light stays on after the pages were taken")
	}
	if v.Result == nil || v.Result.TrackingNo == "" {
		t.Fatalf("no tracking number: %+v", v.Result)
	}
	tracking := v.Result.TrackingNo
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.String())
		}
	})
	// The result, with the slip printing beneath it, then the rating.
	s.waitFor("the slip", 30*time.Second, func(v session.View) bool { return v.Printing == session.PrintTake })
	s.do(session.Continue{})
	s.waitScreen(session.ScreenRating, 30*time.Second)
	rated, stopFollow := d.events.Follow()
	defer stopFollow()
	s.do(session.Rate{Score: 5})
	s.waitScreen(session.ScreenDone, 5*time.Second)
	if err := d.sim.RemoveCard(); err != nil {
		t.Fatal(err)
	}
	s.waitScreen(session.ScreenAttract, 40*time.Second)
	if jobs := a4Jobs(t, context.Background(), d); len(jobs) != 0 {
		t.Fatalf("documents kept after a clean print and the session's end: %+v", jobs)
	}

	got, err := d.County().Transactions()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ServiceID != "sb-jfjl-print" || got[0].KioskID != "test-kiosk-01" || got[0].TrackingNo != tracking {
		t.Fatalf("countysim received %+v, want one sb-jfjl-print with %s", got, tracking)
	}
	receipts := d.sim.pr.Receipts()
	if len(receipts) != 1 || !bytes.Contains(receipts[0], []byte(tracking)) {
		t.Fatalf("printed %d receipts; tracking number %s in the first: %v", len(receipts), tracking, len(receipts) > 0 && bytes.Contains(receipts[0], []byte(tracking)))
	}
	// The rating reaches the backend in the background; the journal says
	// when it did.
	timeout := time.After(10 * time.Second)
	for sent := false; !sent; {
		select {
		case ev := <-rated:
			sent = strings.HasPrefix(ev.Text, "rating 5 for ")
		case <-timeout:
			t.Fatal("the rating was not sent")
		}
	}
	if got, _ = d.County().Transactions(); got[0].Rating != 5 {
		t.Fatalf("rating not recorded: %+v", got[0])
	}
	assertNoPersonalData(t, logs.String())

	// Metrics saw the session and the transaction, and carry nothing personal.
	mfs, err := d.prom.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	seen := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			dump.WriteString(m.String())
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			seen[key] = v
		}
	}
	for key, want := range map[string]float64{
		"kiosk_session_starts_total":                     1,
		"kiosk_sessions_total,reason=finished":           1,
		"kiosk_transactions_total,outcome=completed":     1,
		"kiosk_receipts_printed_total":                   1,
		"kiosk_device_state,device=printer,state=online": 1,
		"kiosk_ratings_total,score=5":                    1,
	} {
		if seen[key] != want {
			t.Errorf("metric %s = %v, want %v", key, seen[key], want)
		}
	}
	for _, secret := range fixtureSecrets(t) {
		if strings.Contains(dump.String(), secret) {
			t.Errorf("metrics carry %q", secret)
		}
	}
}

// assertNoPersonalData fails when a fixture card's full number or name
// appears in the logs.
func assertNoPersonalData(t *testing.T, logs string) {
	t.Helper()
	for _, c := range fixtureSecrets(t) {
		if strings.Contains(logs, c) {
			t.Errorf("personal data %q in the logs", c)
		}
	}
}

func fixtureSecrets(t *testing.T) []string {
	c, ok := idcardsim.Fixture(idcardsim.Han)
	if !ok {
		t.Fatal("no han fixture")
	}
	return []string{c.IDNumber, c.Name, c.Address}
}

func TestAdminAPIOnSimulatedWorld(t *testing.T) {
	d, ctx, _ := startSim(t)
	cl := admin.NewClient(d.cfg.Admin.Socket)
	var st admin.Status
	if err := getStatus(ctx, cl, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Sim || st.Catalog.AtKiosks != 416 || st.KioskID != "test-kiosk-01" {
		t.Fatalf("status: %+v", st)
	}
	var checks []admin.Check
	if err := cl.Do(ctx, "POST", "/v1/selftest", nil, admin.DeviceRequest{}, &checks); err != nil {
		t.Fatal(err)
	}
	pass := map[string]bool{}
	for _, c := range checks {
		pass[c.Device] = c.Pass
	}
	for _, dev := range []string{devices.IDCard, devices.Printer, devices.GPIO, devices.Backend, "outbox", "catalog"} {
		if !pass[dev] {
			t.Errorf("self-test of %s failed in a healthy simulator: %+v", dev, checks)
		}
	}
	// Paper out: the printer's self-test fails with a remedy.
	if err := cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Paper: "out"}, nil); err != nil {
		t.Fatal(err)
	}
	checks = nil
	if err := cl.Do(ctx, "POST", "/v1/selftest", nil, admin.DeviceRequest{Device: devices.Printer}, &checks); err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].Pass || checks[0].Remedy == "" || checks[0].RemedyEN == "" {
		t.Fatalf("paper out self-test: %+v", checks)
	}
	// Door open (the switch is wired active low): an alarm, the GPIO check fails.
	if err := cl.Do(ctx, "POST", "/v1/sim/gpio", nil, admin.SimGPIORequest{Name: "door", High: false}, nil); err != nil {
		t.Fatal(err)
	}
	waitRegistry(t, d, 5*time.Second, "the door seen open", func() bool {
		st, _ := d.reg.Get(devices.GPIO)
		return st.Detail["cabinetDoor"] == "open"
	})
	checks = nil
	if err := cl.Do(ctx, "POST", "/v1/selftest", nil, admin.DeviceRequest{Device: devices.GPIO}, &checks); err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[1].Pass {
		t.Fatalf("door open not in the self-test: %+v", checks)
	}
	// The health endpoint answers with each device's state.
	mctx, mcancel := context.WithTimeout(ctx, 5*time.Second)
	addr, err := d.MetricsAddr(mctx)
	mcancel()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "idcard online") {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	// Maintenance mode reaches the resident's screen.
	s := newResident(t, d)
	if err := cl.Do(ctx, "PUT", "/v1/maintenance", nil, admin.MaintenanceRequest{On: true}, nil); err != nil {
		t.Fatal(err)
	}
	s.waitScreen(session.ScreenMaintenance, 5*time.Second)
}

// getStatus asks the admin API for the kiosk's status. The socket is open
// from the moment New returns.
func getStatus(ctx context.Context, cl *admin.Client, st *admin.Status) error {
	return cl.Do(ctx, "GET", "/v1/status", nil, nil, st)
}
