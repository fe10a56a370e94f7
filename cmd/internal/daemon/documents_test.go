package daemon

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/cups/cupssim"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/document"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/txn"
	"github.com/henan-county/kiosk/ui/layout"
)

// needDocumentTools skips without poppler (checks, previews, pdftotext)
// or countysim's document fonts, unless CI is set.
func needDocumentTools(t testing.TB) {
	t.Helper()
	var missing []string
	for _, c := range []string{"pdfinfo", "pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	if ok, err := countysim.IssueFontsInstalled(); !ok {
		missing = append(missing, err.Error())
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but document tools are missing: %s", strings.Join(missing, ", "))
	}
	t.Skipf("document tools missing (%s); .ci/setup.sh installs them", strings.Join(missing, ", "))
}

// a4Config points [a4] at a simulated CUPS.
func a4Config(sim *cupssim.Sim) func(*config.Config) {
	return func(c *config.Config) {
		c.A4.Enabled, c.A4.Server, c.A4.Queue = true, sim.Server(), sim.Queue()
		c.A4.PollInterval = config.Duration{Duration: 200 * time.Millisecond}
	}
}

// startA4 runs the daemon in simulator mode printing A4 on a private
// CUPS, and waits until the A4 printer is online.
func startA4(t testing.TB) (*Daemon, context.Context, *cupssim.Sim, *syncBuf) {
	t.Helper()
	needDocumentTools(t)
	sim := cupssim.StartForTest(t)
	d, ctx, logs := startSim(t, a4Config(sim))
	waitA4Online(t, d)
	return d, ctx, sim, logs
}

func waitA4Online(t testing.TB, d *Daemon) {
	t.Helper()
	waitRegistry(t, d, 20*time.Second, "the A4 printer online", func() bool {
		st, _ := d.reg.Get(devices.A4)
		return st.State == devices.Online
	})
}

// submitPrintMatter has the backend issue a document: a resident (the
// han card fixture) asks for 户籍证明 and the backend answers.
func submitPrintMatter(t testing.TB, ctx context.Context, d *Daemon) txn.Transaction {
	t.Helper()
	c, ok := idcardsim.Fixture(idcardsim.Han)
	if !ok {
		t.Fatal("no han fixture")
	}
	now := time.Now()
	tx := txn.Transaction{ID: txn.NewID(now), KioskID: d.cfg.Kiosk.ID, ServiceID: "hz-hjzm", ServiceKind: "print", CreatedAt: now,
		Fields:   map[string]string{"name": c.Name, "id_number": c.IDNumber, "purpose": "house"},
		Personal: []string{"name", "id_number"},
		Person:   &txn.Person{CardType: identity.ResidentID, Name: c.Name, IDNumber: c.IDNumber}}
	if _, err := d.client.Submit(ctx, tx); err != nil {
		t.Fatal(err)
	}
	return tx
}

// progressLog records the pages the adapter reports.
type progressLog struct {
	mu    sync.Mutex
	calls [][2]int
}

func (p *progressLog) report(page, pages int) {
	p.mu.Lock()
	p.calls = append(p.calls, [2]int{page, pages})
	p.mu.Unlock()
}

func (p *progressLog) last() [2]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.calls) == 0 {
		return [2]int{}
	}
	return p.calls[len(p.calls)-1]
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func a4Jobs(t *testing.T, ctx context.Context, d *Daemon) []admin.PrintJob {
	t.Helper()
	jobs, err := d.PrintJobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []admin.PrintJob
	for _, j := range jobs {
		if j.Printer == admin.PrinterA4 {
			out = append(out, j)
		}
	}
	return out
}

// eventWith returns the first recent event whose text holds all of words.
func eventWith(d *Daemon, words ...string) (string, bool) {
	for _, e := range d.events.Recent(1024) {
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(e.Text, w)
		}
		if ok {
			return e.Text, true
		}
	}
	return "", false
}

// TestA4DocumentPrinted: a print matter's document is fetched over mutual
// TLS, checked, kept sealed, shown by its first page at the screen's
// width, and printed through cupsd to the printer, which holds the very
// document (its verification code in its text); then it is gone from the
// kiosk, and nothing personal reached the log.
func TestA4DocumentPrinted(t *testing.T) {
	d, ctx, sim, logs := startA4(t)
	if d.ports(nil).Documents == nil {
		t.Fatal("no Documents port with an A4 printer configured")
	}
	tx := submitPrintMatter(t, ctx, d)
	doc, err := d.docs.Fetch(ctx, tx.ID)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "户籍证明" || doc.Pages != 1 || doc.Department == "" ||
		doc.VerificationCode != countysim.VerificationCode(d.cfg.Kiosk.ID, tx.ID) {
		t.Fatalf("document %+v", doc)
	}
	// Rendered at the size the document screen draws it, so it is shown
	// pixel for pixel.
	pw, ph := layout.PagePixels(layout.Size{W: float64(d.cfg.Display.Width), H: float64(d.cfg.Display.Height)}, false)
	if b := doc.Preview.Bounds(); b.Dx() != pw || b.Dy() < ph-2 || b.Dy() > ph+2 {
		t.Fatalf("preview %v, want the %d×%d page the screen draws", b, pw, ph)
	}
	jobs := a4Jobs(t, ctx, d)
	if len(jobs) != 1 || jobs[0].State != "held" || jobs[0].Pages != 1 || jobs[0].Title != "户籍证明" || !admin.IsA4Job(jobs[0].ID) {
		t.Fatalf("kept while the session lasts: %+v", jobs)
	}

	var pl progressLog
	if err := d.docs.Print(ctx, host.A4Job{TxID: tx.ID, Title: "户籍证明"}, pl.report); err != nil {
		t.Fatal(err)
	}
	if pl.last() != [2]int{1, 1} {
		t.Errorf("progress %v, want the last report 1/1", pl.calls)
	}
	printed, err := sim.Documents()
	if err != nil || len(printed) != 1 {
		t.Fatalf("printed %v, %v", printed, err)
	}
	if text := pdfText(t, printed[0]); !strings.Contains(text, doc.VerificationCode) {
		t.Fatalf("the printed document lacks its verification code %s:\n%s", doc.VerificationCode, text)
	}
	if jobs := a4Jobs(t, ctx, d); len(jobs) != 0 {
		t.Fatalf("kept after a clean print: %+v", jobs)
	}
	if _, ok := eventWith(d, "printed; document deleted"); !ok {
		t.Error("no event for the print")
	}
	d.docs.Release(tx.ID) // the session ends: nothing left to forget
	assertNoPersonalData(t, logs.String())
	for _, e := range d.events.Recent(1024) {
		for _, s := range fixtureSecrets(t) {
			if strings.Contains(e.Text, s) {
				t.Errorf("personal data in event %q", e.Text)
			}
		}
	}
}

// TestA4DocumentRefused: a document that is not what the backend says, is
// not a PDF, or is too large is refused before anything is kept or
// printed, and technicians are told what was wrong.
func TestA4DocumentRefused(t *testing.T) {
	d, ctx, sim, logs := startA4(t)
	for _, tc := range []struct {
		name   string
		faults countysim.Faults
		txID   string // "" : a print matter's transaction
		event  string
	}{
		{"wrong hash", countysim.Faults{DocumentWrongHash: true}, "", "not the one its metadata describes"},
		{"corrupt PDF", countysim.Faults{DocumentCorrupt: true}, "", "not a well-formed PDF"},
		{"oversized", countysim.Faults{DocumentOversized: true}, "", "larger than [a4] max_document"},
		{"none issued", countysim.Faults{}, "no-such-transaction", "issued no document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d.County().SetFaults(tc.faults)
			defer d.County().SetFaults(countysim.Faults{})
			id := tc.txID
			if id == "" {
				id = submitPrintMatter(t, ctx, d).ID
			}
			_, err := d.docs.Fetch(ctx, id)
			if !errors.Is(err, host.ErrDocumentRefused) {
				t.Fatalf("Fetch: %v, want ErrDocumentRefused", err)
			}
			ev, ok := eventWith(d, "document for transaction "+id+" refused", tc.event, "nothing printed")
			if !ok {
				t.Fatalf("no technician event saying %q", tc.event)
			}
			if !strings.Contains(ev, "a4") && !strings.Contains(ev, "refused") {
				t.Errorf("event %q", ev)
			}
			if jobs := a4Jobs(t, ctx, d); len(jobs) != 0 {
				t.Fatalf("a refused document is kept: %+v", jobs)
			}
			if err := d.docs.Print(ctx, host.A4Job{TxID: id}, nil); err == nil {
				t.Fatal("a refused document printed")
			}
		})
	}
	if printed, _ := sim.Documents(); len(printed) != 0 {
		t.Fatalf("printed %v", printed)
	}
	if st, _ := d.reg.Get(devices.Backend); !st.State.Usable() {
		t.Errorf("a refused document marked the backend %s", st.State)
	}

	// The backend not answering is no refusal: the resident hears "not
	// reached", and nothing is kept.
	tx := submitPrintMatter(t, ctx, d)
	d.County().SetFaults(countysim.Faults{Down: true})
	_, err := d.docs.Fetch(ctx, tx.ID)
	d.County().SetFaults(countysim.Faults{})
	if err == nil || errors.Is(err, host.ErrDocumentRefused) {
		t.Fatalf("backend down: %v, want a plain error", err)
	}
	if ev, ok := eventWith(d, tx.ID, "refused"); ok {
		t.Errorf("a refusal recorded for a backend that did not answer: %q", ev)
	}
	if jobs := a4Jobs(t, ctx, d); len(jobs) != 0 {
		t.Fatalf("kept: %+v", jobs)
	}
	assertNoPersonalData(t, logs.String())
}

// TestA4PaperOutThenReprint: paper runs out mid-job: the resident's
// print ends as paper out, the document stays (even when the session
// ends) and is listed for technicians, who reprint it once paper is in;
// then it is gone.
func TestA4PaperOutThenReprint(t *testing.T) {
	d, ctx, sim, _ := startA4(t)
	tx := submitPrintMatter(t, ctx, d)
	doc, err := d.docs.Fetch(ctx, tx.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.SetFault(ctx, cupssim.MediaEmpty); err != nil {
		t.Fatal(err)
	}
	err = d.docs.Print(ctx, host.A4Job{TxID: tx.ID, Title: "户籍证明"}, nil)
	if !errors.Is(err, host.ErrA4PaperOut) {
		t.Fatalf("Print: %v, want ErrA4PaperOut", err)
	}
	d.docs.Release(tx.ID) // the resident leaves; the fault keeps the document
	jobs := a4Jobs(t, ctx, d)
	if len(jobs) != 1 || jobs[0].State != "incomplete" || jobs[0].Attempts != 1 || !strings.Contains(jobs[0].Error, "paper") ||
		jobs[0].Title != "户籍证明" || jobs[0].Pages != 1 {
		t.Fatalf("kept after paper out: %+v", jobs)
	}
	if _, ok := eventWith(d, "did not print", "kept for a reprint"); !ok {
		t.Error("no technician event for the stopped job")
	}
	id := jobs[0].ID
	// The IDs of both printers never meet.
	for _, j := range mustJobs(t, ctx, d) {
		if j.Printer == admin.PrinterReceipt && j.ID == id {
			t.Fatalf("receipt and A4 job share id %d", id)
		}
	}

	if err := sim.SetFault(ctx, cupssim.NoFault); err != nil {
		t.Fatal(err)
	}
	// (The simulated printer keeps a copy of what it was sent even when it
	// then fails, and its restart reuses file names: the reprint is the
	// file written from now on.)
	t0 := time.Now().Add(-time.Second)
	j, err := d.Reprint(ctx, id)
	if err != nil || j.State != "done" || j.Printer != admin.PrinterA4 || j.ID != id {
		t.Fatalf("reprint: %+v, %v", j, err)
	}
	fresh := printedSince(t, sim, t0)
	if len(fresh) != 1 {
		t.Fatalf("printed %v by the reprint", fresh)
	}
	if text := pdfText(t, fresh[0]); !strings.Contains(text, doc.VerificationCode) {
		t.Fatal("the reprint is not the kept document")
	}
	if jobs := a4Jobs(t, ctx, d); len(jobs) != 0 {
		t.Fatalf("kept after the reprint: %+v", jobs)
	}
	if _, err := d.Reprint(ctx, id); !errors.Is(err, admin.ErrNotFound) {
		t.Fatalf("second reprint: %v, want ErrNotFound", err)
	}
}

// printedSince lists the documents the simulated printer has written
// since t0.
func printedSince(t *testing.T, sim *cupssim.Sim, t0 time.Time) []string {
	t.Helper()
	all, err := sim.Documents()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if fi, err := os.Stat(p); err == nil && fi.ModTime().After(t0) {
			out = append(out, p)
		}
	}
	return out
}

func mustJobs(t *testing.T, ctx context.Context, d *Daemon) []admin.PrintJob {
	t.Helper()
	jobs, err := d.PrintJobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestA4PrinterGone: the printer offline, then cupsd not running: the
// print ends as offline at once, the document is kept, and the rest of the
// kiosk carries on.
func TestA4PrinterGone(t *testing.T) {
	d, ctx, sim, _ := startA4(t)
	tx := submitPrintMatter(t, ctx, d)
	if _, err := d.docs.Fetch(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if err := sim.StopPrinter(); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := d.docs.Print(pctx, host.A4Job{TxID: tx.ID}, nil); !errors.Is(err, host.ErrA4Offline) {
		t.Fatalf("printer offline: %v, want ErrA4Offline", err)
	}
	if err := sim.StopCUPS(); err != nil {
		t.Fatal(err)
	}
	if err := d.docs.Print(pctx, host.A4Job{TxID: tx.ID}, nil); !errors.Is(err, host.ErrA4Offline) {
		t.Fatalf("cupsd not running: %v, want ErrA4Offline", err)
	}
	jobs := a4Jobs(t, ctx, d)
	if len(jobs) != 1 || jobs[0].State != "incomplete" || jobs[0].Attempts != 2 {
		t.Fatalf("kept: %+v", jobs)
	}
	if printed, _ := sim.Documents(); len(printed) != 0 {
		t.Fatalf("printed %v", printed)
	}
	waitRegistry(t, d, 20*time.Second, "the A4 printer offline", func() bool {
		st, _ := d.reg.Get(devices.A4)
		return st.State == devices.Offline
	})
	for _, n := range []string{devices.Printer, devices.IDCard, devices.Backend} {
		if st, _ := d.reg.Get(n); !st.State.Usable() {
			t.Errorf("%s went %s with the A4 printer", n, st.State)
		}
	}
	// The backend still answers, through the same client.
	if _, err := d.docs.Fetch(ctx, submitPrintMatter(t, ctx, d).ID); err != nil {
		t.Fatalf("fetch with cupsd gone: %v", err)
	}
}

// TestA4RetentionSweep: a document kept for a reprint is deleted when its
// retention ends, by the sweep while the kiosk runs and at start-up, and
// one of a session that ended with the last run goes at start-up.
func TestA4RetentionSweep(t *testing.T) {
	needDocumentTools(t)
	// No printer needed: nothing is printed.
	d, ctx, _ := startSim(t, func(c *config.Config) {
		c.A4.Enabled, c.A4.Server = true, "127.0.0.1:1"
	})
	faulted := submitPrintMatter(t, ctx, d)
	held := submitPrintMatter(t, ctx, d)
	for _, tx := range []txn.Transaction{faulted, held} {
		if _, err := d.docs.Fetch(ctx, tx.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.docs.Print(ctx, host.A4Job{TxID: faulted.ID}, nil); !errors.Is(err, host.ErrA4Offline) {
		t.Fatalf("print with no cupsd: %v", err)
	}
	// Within retention the running sweep keeps both.
	d.docs.sweep(time.Now().Add(23*time.Hour), false)
	if n := len(a4Jobs(t, ctx, d)); n != 2 {
		t.Fatalf("%d kept within retention, want 2", n)
	}
	// A restart: the held one's session is over, the faulted one stays.
	d.docs.sweep(time.Now(), true)
	jobs := a4Jobs(t, ctx, d)
	if len(jobs) != 1 || jobs[0].State != "incomplete" {
		t.Fatalf("after start-up sweep: %+v", jobs)
	}
	// Its retention (24h) ends.
	d.docs.sweep(time.Now().Add(24*time.Hour+time.Second), false)
	if jobs := a4Jobs(t, ctx, d); len(jobs) != 0 {
		t.Fatalf("kept past retention: %+v", jobs)
	}
	if _, ok := eventWith(d, "deleted: [a4] retention of 24h0m0s ended"); !ok {
		t.Error("no event for the retention sweep")
	}
	if es, _ := os.ReadDir(d.docs.store.Dir()); len(es) != 1 { // the counter alone
		t.Errorf("left in the store: %v", es)
	}
}

// TestSimulatorStartsItsOwnCUPS: simulator mode (make run) brings up a
// private cupsd and printer in the state directory without holding up the
// kiosk, prints there, and stops them on shutdown.
func TestSimulatorStartsItsOwnCUPS(t *testing.T) {
	needDocumentTools(t)
	if m := cupssim.Missing(); len(m) > 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but CUPS is not installed: %s", strings.Join(m, ", "))
		}
		t.Skipf("CUPS not installed (%s)", strings.Join(m, ", "))
	}
	// Not t.TempDir: cupsd's filters run as lp, who must reach the spool.
	state, err := os.MkdirTemp("", "kiosk-sim-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(state) })
	if err := os.Chmod(state, 0o755); err != nil {
		t.Fatal(err)
	}
	// CUPS held back: the kiosk comes up, its other devices online and
	// the A4 printer offline.
	gate := make(chan struct{})
	d, ctx, _ := startSimWith(t, Options{simCUPSGate: gate}, func(c *config.Config) { c.State.Dir = state })
	if !d.cfg.A4.Enabled || d.docs == nil {
		t.Fatalf("simulator mode configured no A4 printer: %+v", d.cfg.A4)
	}
	waitRegistry(t, d, 10*time.Second, "the A4 printer offline while CUPS starts", func() bool {
		st, _ := d.reg.Get(devices.A4)
		return st.State == devices.Offline
	})
	if d.sim.CUPS() != nil {
		t.Fatal("CUPS started through its gate")
	}
	if err := d.sim.SetA4(ctx, admin.SimA4Request{Paper: "out"}); !errors.Is(err, admin.ErrUnavailable) {
		t.Fatalf("kioskctl sim a4 before CUPS is up: %v, want ErrUnavailable", err)
	}
	close(gate)
	waitA4Online(t, d)
	tx := submitPrintMatter(t, ctx, d)
	doc, err := d.docs.Fetch(ctx, tx.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.docs.Print(ctx, host.A4Job{TxID: tx.ID, Title: doc.Title}, nil); err != nil {
		t.Fatal(err)
	}
	printed, err := os.ReadDir(filepath.Join(state, "a4", "printed"))
	if err != nil || len(printed) != 1 {
		t.Fatalf("printed under the state directory: %v, %v", printed, err)
	}
	if text := pdfText(t, filepath.Join(state, "a4", "printed", printed[0].Name())); !strings.Contains(text, doc.VerificationCode) {
		t.Fatal("the printed document is not the resident's")
	}
	// kioskctl sim a4: the paper runs out at the next job, then is refilled.
	if err := d.sim.SetA4(ctx, admin.SimA4Request{Paper: "purple"}); !errors.Is(err, admin.ErrBadRequest) {
		t.Fatalf("sim a4 paper purple: %v", err)
	}
	if err := d.sim.SetA4(ctx, admin.SimA4Request{Paper: "out"}); err != nil {
		t.Fatal(err)
	}
	tx = submitPrintMatter(t, ctx, d)
	if _, err := d.docs.Fetch(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.docs.Print(ctx, host.A4Job{TxID: tx.ID}, nil); !errors.Is(err, host.ErrA4PaperOut) {
		t.Fatalf("after sim a4 paper out: %v", err)
	}
	if err := d.sim.SetA4(ctx, admin.SimA4Request{Paper: "ok"}); err != nil {
		t.Fatal(err)
	}
	jobs := a4Jobs(t, ctx, d)
	if len(jobs) != 1 {
		t.Fatalf("kept: %+v", jobs)
	}
	if j, err := d.Reprint(ctx, jobs[0].ID); err != nil || j.State != "done" {
		t.Fatalf("reprint after the refill: %+v, %v", j, err)
	}
	sim := d.sim.CUPS()
	d.sim.Close()
	if _, err := cups.New(&cups.Opts{Server: sim.Server(), Queue: sim.Queue()}).Printer(ctx); !errors.Is(err, cups.ErrUnreachable) {
		t.Fatalf("cupsd still answers after the simulator closed: %v", err)
	}
}

// TestA4PopplerMissing: without poppler-utils no document can be checked:
// each is refused, and technicians are told what to install.
func TestA4PopplerMissing(t *testing.T) {
	needDocumentTools(t) // countysim's fonts; poppler goes below
	d, ctx, _ := startSim(t, func(c *config.Config) {
		c.A4.Enabled, c.A4.Server = true, "127.0.0.1:1"
	})
	tx := submitPrintMatter(t, ctx, d)
	t.Setenv("PATH", t.TempDir()) // no pdfinfo, no pdftoppm
	_, err := d.docs.Fetch(ctx, tx.ID)
	if !errors.Is(err, host.ErrDocumentRefused) || !errors.Is(err, document.ErrNotInstalled) {
		t.Fatalf("Fetch without poppler: %v", err)
	}
	if _, ok := eventWith(d, tx.ID, "poppler-utils (pdfinfo) is not installed"); !ok {
		t.Error("no event naming poppler-utils")
	}
	if jobs := a4Jobs(t, ctx, d); len(jobs) != 0 {
		t.Fatalf("kept: %+v", jobs)
	}
}

// TestSimulatorCUPSBehindAClosedStateDir: a state directory cupsd's
// filters (user lp, when kioskd runs as root) cannot reach, as t.TempDir
// is: CUPS's own files go under /tmp and are removed with the kiosk, the
// printed documents still land in the state directory.
func TestSimulatorCUPSBehindAClosedStateDir(t *testing.T) {
	needDocumentTools(t)
	if m := cupssim.Missing(); len(m) > 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but CUPS is not installed: %s", strings.Join(m, ", "))
		}
		t.Skipf("CUPS not installed (%s)", strings.Join(m, ", "))
	}
	d, ctx, _ := startSimWith(t, Options{})
	waitA4Online(t, d)
	state := d.cfg.State.Dir
	if os.Geteuid() == 0 && d.sim.cupsTmp == "" {
		t.Fatalf("running as root with the state directory %s closed to lp, CUPS was not moved out of it", state)
	}
	tx := submitPrintMatter(t, ctx, d)
	doc, err := d.docs.Fetch(ctx, tx.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.docs.Print(ctx, host.A4Job{TxID: tx.ID}, nil); err != nil {
		t.Fatal(err)
	}
	printed, err := os.ReadDir(filepath.Join(state, "a4", "printed"))
	if err != nil || len(printed) != 1 {
		t.Fatalf("printed under the state directory: %v, %v", printed, err)
	}
	if text := pdfText(t, filepath.Join(state, "a4", "printed", printed[0].Name())); !strings.Contains(text, doc.VerificationCode) {
		t.Fatal("the printed document is not the resident's")
	}
	tmp := d.sim.cupsTmp
	d.sim.Close()
	if tmp != "" {
		if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("CUPS's directory %s left behind: %v", tmp, err)
		}
	}
}
