package daemon

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/docstore"
	"github.com/henan-county/kiosk/kiosk/document"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/ui/layout"
)

// The A4 documents of print matters (docs/documents.md): fetched from the
// backend, checked, kept sealed in the document store (kiosk/docstore)
// under the outbox's key, shown by their first page, printed through
// cupsd and followed to the job's end. A document leaves the kiosk when
// it has printed cleanly, when its session ends without a fault, or when
// its retention ends; a fault keeps it so a technician (kioskctl print
// reprint) or the resident can print it again.

// documentsPort satisfies host.Documents.
type documentsPort struct {
	d     *Daemon
	store *docstore.Store
	// width is the preview's width in pixels.
	width int
	// every is how often a job is asked about while it runs.
	every time.Duration
	// accepted, when set, is told each job cupsd has accepted (the
	// benchmarks time the print request to it).
	accepted func(cups.JobID)

	printMu sync.Mutex // one A4 job at a time: the printer takes one sheet after another

	mu       sync.Mutex
	printing map[string]bool // transactions whose document is at the printer now
}

var _ host.Documents = (*documentsPort)(nil)

// openDocuments opens the document store when the kiosk has an A4
// printer, and clears it of what must not stay: documents of sessions
// that ended with the last run (only those a fault kept stay) and those
// past their retention.
func (d *Daemon) openDocuments() error {
	if d.a4 == nil {
		return nil
	}
	key, err := outbox.LoadOrCreateKey(d.outboxKeyFile())
	if err != nil {
		return fmt.Errorf("a4 documents: %w", err)
	}
	st, err := docstore.Open(filepath.Join(d.cfg.State.Dir, "documents"), key, d.now)
	clear(key)
	if err != nil {
		return fmt.Errorf("a4 documents: %w", err)
	}
	d.docs = &documentsPort{d: d, store: st, width: previewWidth(d.cfg.Display.Width, d.cfg.Display.Height), every: 300 * time.Millisecond,
		printing: map[string]bool{}}
	d.docs.sweep(d.now(), true)
	return nil
}

// previewWidth is the width the document screen draws the first page at
// on a screen of w×h logical pixels (ui/layout.PagePixels, in normal
// size: 910 px on the kiosk's 1080×1920 portrait panel), so the page is
// rendered once at the size it is shown and the screen need not scale
// it. Elder mode draws it a little smaller, from the same picture.
func previewWidth(w, h int) int {
	pw, _ := layout.PagePixels(layout.Size{W: float64(w), H: float64(h)}, false)
	return min(max(pw, 320), document.DefaultPreviewOpts.MaxWidth)
}

// Fetch downloads, checks, keeps and previews the document of txID.
func (p *documentsPort) Fetch(ctx context.Context, txID string) (host.Document, error) {
	d := p.d
	if d.client == nil {
		return host.Document{}, fmt.Errorf("daemon: document for %s: no backend configured: %w", txID, backend.ErrUnreachable)
	}
	meta, pdf, err := d.client.FetchDocument(ctx, txID)
	if err != nil {
		if why, ok := backendRefusal(err); ok {
			d.noteBackend(nil) // it answered
			return host.Document{}, p.refuse(txID, why, err)
		}
		d.noteBackend(err)
		return host.Document{}, fmt.Errorf("daemon: document for %s: %w", txID, err)
	}
	d.noteBackend(nil)
	defer clear(pdf) // the resident's data: not left in memory longer than needed
	dm := document.Meta{SHA256: meta.SHA256, Pages: meta.Pages, Size: meta.Size, VerificationCode: meta.VerificationCode,
		VerificationURL: meta.VerificationURL, Title: meta.Title, Department: meta.Department}
	if err := document.Check(dm, pdf, document.Limits{MaxBytes: d.cfg.A4.MaxDocument}); err != nil {
		return host.Document{}, p.refuse(txID, checkRefusal(err), err)
	}
	info, err := p.store.Put(docstore.Info{TxID: txID, Title: meta.Title, Pages: meta.Pages}, pdf)
	if err != nil {
		d.events.Add("device", devices.A4, fmt.Sprintf("document for transaction %s not kept: %v", txID, err), nil)
		return host.Document{}, fmt.Errorf("daemon: document for %s: %w", txID, err)
	}
	img, err := document.Preview(ctx, pdf, 1, p.width, nil)
	if err != nil {
		p.forget(txID)
		if ctx.Err() != nil {
			return host.Document{}, fmt.Errorf("daemon: preview of %s: %w", txID, err)
		}
		why := "its first page could not be drawn"
		if errors.Is(err, document.ErrNotInstalled) {
			why = "poppler-utils (pdftoppm) is not installed, so no document can be shown"
		}
		return host.Document{}, p.refuse(txID, why, err)
	}
	d.log.Info("a4 document fetched", "tx", txID, "job", a4JobID(info.Seq), "pages", meta.Pages, "bytes", len(pdf))
	return host.Document{Title: meta.Title, Department: meta.Department, VerificationCode: meta.VerificationCode,
		Pages: meta.Pages, Preview: img}, nil
}

// backendRefusal says what was wrong when the backend's answer means
// there is no usable document (as opposed to the backend not answering).
func backendRefusal(err error) (string, bool) {
	switch {
	case errors.Is(err, backend.ErrTooLarge):
		return "the document is larger than [a4] max_document", true
	case errors.Is(err, backend.ErrNotFound):
		return "the backend issued no document for this transaction", true
	case errors.Is(err, backend.ErrBadReply):
		return "the backend's description of the document is unusable", true
	}
	return "", false
}

// checkRefusal words what document.Check found.
func checkRefusal(err error) string {
	switch {
	case errors.Is(err, document.ErrTooLarge):
		return "the document is over the size or page cap"
	case errors.Is(err, document.ErrHashMismatch):
		return "the document is not the one its metadata describes (SHA-256, size or pages differ)"
	case errors.Is(err, document.ErrNotPDF):
		return "the document is not a well-formed PDF"
	case errors.Is(err, document.ErrNotInstalled):
		return "poppler-utils (pdfinfo) is not installed, so no document can be checked"
	}
	return "the document could not be checked"
}

// refuse records why a document was refused, for technicians (nothing
// personal: the transaction id, the reason, the checks' technical words),
// and returns the error the host tells the resident about.
func (p *documentsPort) refuse(txID, why string, err error) error {
	p.d.log.Warn("a4 document refused", "tx", txID, "why", why, "err", err)
	p.d.events.Add("device", devices.A4, fmt.Sprintf("document for transaction %s refused: %s (%s); nothing printed",
		txID, why, short(mask.Text(err.Error()))), nil)
	return fmt.Errorf("%w: %s: %w", host.ErrDocumentRefused, why, err)
}

// Print prints the kept document of job.TxID.
func (p *documentsPort) Print(ctx context.Context, job host.A4Job, progress func(page, pages int)) error {
	_, err := p.print(ctx, job, progress)
	return err
}

// print is Print for the resident and the technician alike: it returns
// the document's header as it was before the print.
func (p *documentsPort) print(ctx context.Context, job host.A4Job, progress func(page, pages int)) (docstore.Info, error) {
	p.printMu.Lock()
	defer p.printMu.Unlock()
	p.setPrinting(job.TxID, true)
	defer p.setPrinting(job.TxID, false)
	d := p.d
	info, pdf, err := p.store.Get(job.TxID)
	if err != nil {
		return info, fmt.Errorf("daemon: a4 print of %s: %w", job.TxID, err)
	}
	attempts := info.Attempts + 1
	if d.a4 == nil {
		clear(pdf)
		return info, p.stopped(info, attempts, 0, cups.ErrOffline)
	}
	// A printer away or a queue that takes no jobs would hold the job in
	// cupsd until it came back, and print it then with nobody there. (Paper
	// and door reasons are not asked about here: cupsd keeps the last job's
	// until the next job runs, so they would refuse the job that clears
	// them.)
	if err := p.canPrint(ctx); err != nil {
		clear(pdf)
		return info, p.stopped(info, attempts, 0, err)
	}
	id, err := d.a4.Print(ctx, pdf, jobName(job, info))
	clear(pdf)
	if err != nil {
		return info, p.stopped(info, attempts, 0, err)
	}
	if p.accepted != nil {
		p.accepted(id)
	}
	pages := info.Pages
	st, err := p.follow(ctx, id, pages, progress)
	if err != nil {
		return info, p.stopped(info, attempts, id, err)
	}
	if err := st.Err(); err != nil {
		return info, p.stopped(info, attempts, id, fmt.Errorf("%w (job %s, reasons %v)", err, st.State, st.Reasons))
	}
	if progress != nil {
		progress(pages, pages)
	}
	p.forget(job.TxID)
	what := "printed"
	if job.Reprint {
		what = "reprinted"
	}
	d.log.Info("a4 document "+what, "tx", job.TxID, "job", a4JobID(info.Seq), "cups_job", id, "pages", pages)
	d.events.Add("device", devices.A4, fmt.Sprintf("A4 job %d (%s, %d pages) %s; document deleted", a4JobID(info.Seq), info.Title, pages, what), nil)
	return info, nil
}

// canPrint says whether a job sent now would reach the printer.
func (p *documentsPort) canPrint(ctx context.Context) error {
	st, err := p.d.a4.Printer(ctx)
	if err != nil {
		return err
	}
	if err := st.Err(); errors.Is(err, cups.ErrOffline) || errors.Is(err, cups.ErrStopped) || errors.Is(err, cups.ErrNotAccepting) {
		return err
	}
	return nil
}

// errJobStuck: a job that ran far longer than its pages need.
var errJobStuck = errors.New("the job did not end in time")

// jobLimit is how long a job of pages may run: a minute to start and warm
// up, and far more per page than any printer needs.
func jobLimit(pages int) time.Duration {
	return time.Minute + time.Duration(max(pages, 1))*15*time.Second
}

// follow follows job id with Wait to its end, reporting pages done. It
// stops following, and cancels the job, when the printer goes away (two
// checks a second apart) or the job outlives jobLimit: a printer holding a
// job at a fault would otherwise print it later, with nobody there to take
// the pages.
func (p *documentsPort) follow(ctx context.Context, id cups.JobID, pages int, progress func(page, pages int)) (cups.JobState, error) {
	a4 := p.d.a4
	wctx, stop := context.WithCancelCause(ctx)
	watched := make(chan struct{})
	defer func() {
		stop(nil)
		<-watched // no question to the printer outlives the job
	}()
	go func() {
		defer close(watched)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		limit := time.NewTimer(jobLimit(pages))
		defer limit.Stop()
		away := 0
		for {
			select {
			case <-wctx.Done():
				return
			case <-limit.C:
				cause := errJobStuck
				if st, err := a4.Printer(wctx); err == nil && st.Err() != nil {
					cause = fmt.Errorf("%w: %w", st.Err(), errJobStuck)
				}
				stop(cause)
				return
			case <-tick.C:
			}
			st, err := a4.Printer(wctx)
			switch {
			case wctx.Err() != nil:
				return
			case err != nil && errors.Is(err, cups.ErrUnreachable), err == nil && errors.Is(st.Err(), cups.ErrOffline):
				away++
			default:
				away = 0
			}
			if away >= 2 {
				if err == nil {
					err = st.Err()
				}
				stop(fmt.Errorf("%w while the job waited", err))
				return
			}
		}
	}()
	st, err := a4.Wait(wctx, id, p.every, func(j cups.JobState) {
		if progress != nil && j.Pages > 0 && !j.Done() {
			progress(min(j.Pages, pages), pages)
		}
	})
	if err == nil {
		return st, nil
	}
	if wctx.Err() != nil {
		// Nobody follows the job any more: it must not print unseen.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if cerr := a4.Cancel(cctx, id); cerr != nil && !errors.Is(cerr, cups.ErrNoJob) {
			p.d.log.Warn("a4 job not cancelled", "cups_job", id, "err", cerr)
		}
		cancel()
		if ctx.Err() == nil {
			return st, context.Cause(wctx)
		}
	}
	return st, err
}

// jobName is the job's name in cupsd: the matter's title, nothing
// personal.
func jobName(job host.A4Job, info docstore.Info) string {
	if job.Title != "" {
		return job.Title
	}
	if info.Title != "" {
		return info.Title
	}
	return "kiosk document"
}

// stopped keeps the document for a reprint with the fault recorded, tells
// technicians, and returns the fault as the host knows it.
func (p *documentsPort) stopped(info docstore.Info, attempts int, cupsJob cups.JobID, err error) error {
	d := p.d
	why := short(err.Error())
	if _, uerr := p.store.Update(info.TxID, why, attempts); uerr != nil {
		d.log.Error("a4 document not marked for a reprint", "tx", info.TxID, "err", uerr)
	}
	id := a4JobID(info.Seq)
	d.log.Warn("a4 job did not print", "tx", info.TxID, "job", id, "cups_job", cupsJob, "err", err)
	d.events.Add("device", devices.A4, fmt.Sprintf("A4 job %d (%s, %d pages) did not print: %v; kept for a reprint (kioskctl print reprint %d)",
		id, info.Title, info.Pages, err, id), nil)
	return fmt.Errorf("daemon: a4 print of %s: %w", info.TxID, a4Fault(err))
}

// short keeps an error's words to a line technicians can read (poppler's
// messages carry up to 4 KiB of its output), cut on a character boundary.
func short(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// a4Fault maps the printer's conditions onto the ones the host tells the
// resident about. A job that simply did not print keeps its own error.
func a4Fault(err error) error {
	var h error
	switch {
	case errors.Is(err, cups.ErrMediaJam):
		h = host.ErrA4Jam
	case errors.Is(err, cups.ErrMediaEmpty):
		h = host.ErrA4PaperOut
	case errors.Is(err, cups.ErrDoorOpen):
		h = host.ErrA4DoorOpen
	case errors.Is(err, cups.ErrTonerEmpty):
		h = host.ErrA4TonerEmpty
	case errors.Is(err, cups.ErrOffline), errors.Is(err, cups.ErrUnreachable), errors.Is(err, cups.ErrStopped),
		errors.Is(err, cups.ErrNotAccepting), errors.Is(err, cups.ErrNoQueue), errors.Is(err, cups.ErrHalted):
		h = host.ErrA4Offline
	default:
		return err
	}
	return fmt.Errorf("%w: %w", h, err)
}

// Release forgets txID's document unless a fault keeps it or it is at
// the printer (then the print's end decides).
func (p *documentsPort) Release(txID string) {
	p.mu.Lock()
	busy := p.printing[txID]
	p.mu.Unlock()
	if busy {
		return
	}
	info, err := p.store.Find(txID)
	if err != nil || info.Fault != "" {
		return
	}
	p.forget(txID)
}

func (p *documentsPort) forget(txID string) {
	if err := p.store.Delete(txID); err != nil && !errors.Is(err, docstore.ErrNotFound) {
		p.d.log.Error("a4 document not deleted", "tx", txID, "err", err)
		p.d.events.Add("device", devices.A4, fmt.Sprintf("document for transaction %s not deleted: %v", txID, err), nil)
	}
}

func (p *documentsPort) setPrinting(txID string, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.printing[txID] = true
	} else {
		delete(p.printing, txID)
	}
}

func (p *documentsPort) isPrinting(txID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.printing[txID]
}

// sweep deletes the documents past [a4] retention and, at start-up,
// those of sessions that ended with the last run (a fault's are kept).
func (p *documentsPort) sweep(now time.Time, startup bool) {
	var keep func(docstore.Info) bool
	if startup {
		keep = func(in docstore.Info) bool { return in.Fault != "" }
	}
	gone, err := p.store.Sweep(now, p.d.cfg.A4.Retention.Duration, keep)
	if err != nil {
		p.d.log.Warn("a4 document sweep", "err", err)
	}
	for _, in := range gone {
		why := "its session ended with the last run"
		if !in.Created.After(now.Add(-p.d.cfg.A4.Retention.Duration)) {
			why = "[a4] retention of " + p.d.cfg.A4.Retention.Duration.String() + " ended"
		}
		p.d.log.Info("a4 document deleted", "job", a4JobID(in.Seq), "tx", in.TxID, "why", why)
		p.d.events.Add("device", devices.A4, fmt.Sprintf("kept A4 job %d (%s) deleted: %s", a4JobID(in.Seq), in.Title, why), nil)
	}
}

// retentionLoop sweeps the document store while the kiosk runs.
func (p *documentsPort) retentionLoop(ctx context.Context) error {
	every := min(max(p.d.cfg.A4.Retention.Duration/8, time.Minute), time.Hour)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-p.d.clock.After(every):
		}
		p.sweep(p.d.now(), false)
	}
}

// a4JobID is the print job ID technicians see for document seq.
func a4JobID(seq int64) int64 { return admin.A4JobBase + seq }

// a4Jobs lists the kept documents as print jobs.
func (p *documentsPort) a4Jobs() ([]admin.PrintJob, error) {
	infos, err := p.store.List()
	if err != nil {
		return nil, err
	}
	out := make([]admin.PrintJob, 0, len(infos))
	for _, in := range infos {
		out = append(out, p.jobOf(in))
	}
	return out, nil
}

func (p *documentsPort) jobOf(in docstore.Info) admin.PrintJob {
	j := admin.PrintJob{ID: a4JobID(in.Seq), Printer: admin.PrinterA4, State: "held", Created: in.Created, Updated: in.Updated,
		Bytes: int(in.Size), Attempts: in.Attempts, Error: in.Fault, Pages: in.Pages, Title: in.Title}
	switch {
	case p.isPrinting(in.TxID):
		j.State = "printing"
	case in.Fault != "":
		j.State = "incomplete"
	}
	return j
}

// reprint prints a kept A4 document again for a technician, through the
// resident's path; once printed it is deleted.
func (p *documentsPort) reprint(ctx context.Context, id int64) (admin.PrintJob, error) {
	in, err := p.store.BySeq(id - admin.A4JobBase)
	if errors.Is(err, docstore.ErrNotFound) {
		return admin.PrintJob{}, fmt.Errorf("no A4 job %d (kioskctl print jobs lists them): %w", id, admin.ErrNotFound)
	}
	if err != nil {
		return admin.PrintJob{}, err
	}
	switch {
	case p.isPrinting(in.TxID):
		return p.jobOf(in), fmt.Errorf("A4 job %d is printing now: %w", id, admin.ErrUnavailable)
	case in.Fault == "":
		return p.jobOf(in), fmt.Errorf("A4 job %d belongs to a resident's session that has not printed it yet: %w", id, admin.ErrUnavailable)
	}
	p.d.events.Add("admin", devices.A4, fmt.Sprintf("technician reprint of A4 job %d (%s)", id, in.Title), nil)
	cctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	before, err := p.print(cctx, host.A4Job{TxID: in.TxID, Title: in.Title, Reprint: true}, nil)
	if err != nil {
		if after, ferr := p.store.Find(in.TxID); ferr == nil {
			return p.jobOf(after), err
		}
		return p.jobOf(in), err
	}
	j := p.jobOf(before)
	j.State, j.Error, j.Attempts, j.Updated = "done", "", before.Attempts+1, p.d.now()
	return j, nil
}

// slotLight is the output-slot light on the GPIO bank.
type slotLight struct{ b *gpio.Bank }

func (s slotLight) SetSlotLight(on bool) error { return s.b.Set(gpio.SlotLight, on) }

// hasOutput reports whether the bank has the output name.
func hasOutput(b *gpio.Bank, name string) bool {
	for _, p := range b.List() {
		if p.Name == name && p.Direction == gpio.Out {
			return true
		}
	}
	return false
}
