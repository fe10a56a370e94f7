package cups

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// Opts configures a Printer. The zero value of each field means its
// default.
type Opts struct {
	// Server is cupsd's address, host:port; "" means localhost:631.
	Server string
	// Queue is the CUPS queue (printer name) documents are printed on.
	Queue string
	// User is the requesting-user-name of the kiosk's jobs; "" means kiosk.
	User string
	// NoDeviceProbe: do not ask the printer behind the queue for its own
	// state. By default, when the queue's device-uri is an ipp:// URI (an
	// IPP Everywhere printer on the network, or a USB printer through
	// ipp-usb), the printer is asked directly too, because cupsd only
	// learns of a printer being offline or out of paper while a job is
	// running.
	NoDeviceProbe bool
	// Timeout bounds one request to cupsd or the printer; 0 means 10 s.
	Timeout   time.Duration
	PollEvery time.Duration // Run's polling; 0 means 3 s
	// MaxReply bounds a reply's size; 0 means 1 MiB.
	MaxReply int64
	Logger   *slog.Logger    // nil discards
	Device   *devices.Device // where state and detail are reported; nil keeps a private one
	Now      func() time.Time
	// HTTP is the client requests go through; nil means a private one.
	HTTP *http.Client
}

// Printer is one CUPS queue of the kiosk's A4 printer.
type Printer struct {
	opts Opts
	log  *slog.Logger
	dev  *devices.Device
	http *http.Client
	reqs atomic.Int32

	halt     context.Context
	haltFunc context.CancelFunc

	mu        sync.Mutex
	lastState devices.State
	lastErr   string
}

var _ interface {
	Halt() error
	String() string
} = (*Printer)(nil)

// New returns a Printer for opts. It connects to nothing until used.
func New(opts *Opts) *Printer {
	var o Opts
	if opts != nil {
		o = *opts
	}
	if o.Server == "" {
		o.Server = "localhost:631"
	}
	if o.User == "" {
		o.User = "kiosk"
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.PollEvery <= 0 {
		o.PollEvery = 3 * time.Second
	}
	if o.MaxReply <= 0 {
		o.MaxReply = 1 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dev := o.Device
	if dev == nil {
		dev = devices.NewRegistry(o.Now).Add(devices.A4, devices.KindA4)
	}
	hc := o.HTTP
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 3 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     30 * time.Second,
		}}
	}
	halt, haltFunc := context.WithCancel(context.Background())
	return &Printer{opts: o, log: log.With("device", dev.Name(), "queue", o.Queue), dev: dev, http: hc,
		halt: halt, haltFunc: haltFunc}
}

// String names the printer.
func (p *Printer) String() string {
	return fmt.Sprintf("cups queue %s at %s", p.opts.Queue, p.opts.Server)
}

// Halt leaves the printer inert: Run returns, requests under way end, and
// every call fails with ErrHalted from then on; the device reads offline.
// Jobs already in cupsd are left to it (Cancel them first to stop them).
func (p *Printer) Halt() error {
	p.haltFunc()
	p.dev.SetState(devices.Offline, nil)
	if t, ok := p.http.Transport.(*http.Transport); ok && p.opts.HTTP == nil {
		t.CloseIdleConnections()
	}
	return nil
}

func (p *Printer) queueURI() string {
	return "ipp://" + p.opts.Server + "/printers/" + url.PathEscape(p.opts.Queue)
}

func (p *Printer) request(op uint16) *Message {
	m := &Message{Major: 2, Minor: 0, Code: op, RequestID: p.reqs.Add(1)}
	m.Add(TagOperation, "attributes-charset", Str(TagCharset, "utf-8"))
	m.Add(TagOperation, "attributes-natural-language", Str(TagLanguage, "en"))
	return m
}

// IPPError is a refusal by cupsd or the printer: an IPP status code.
type IPPError struct {
	Op     string
	Status uint16
	Msg    string
}

func (e *IPPError) Error() string {
	s := fmt.Sprintf("cups: %s: IPP status %#04x", e.Op, e.Status)
	if e.Msg != "" {
		s += " (" + e.Msg + ")"
	}
	return s
}

// do posts req (and data after it) to the http URL of target and decodes
// the reply.
func (p *Printer) do(ctx context.Context, op, target string, req *Message, data []byte) (*Message, error) {
	if p.halt.Err() != nil {
		return nil, ErrHalted
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	stop := context.AfterFunc(p.halt, cancel)
	defer stop()

	var body bytes.Buffer
	if err := req.Encode(&body); err != nil {
		return nil, err
	}
	body.Write(data)
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("cups: %s: %w", op, err)
	}
	switch u.Scheme {
	case "ipp":
		u.Scheme = "http"
		if u.Port() == "" {
			u.Host += ":631"
		}
	case "http":
	default:
		return nil, fmt.Errorf("cups: %s: cannot reach %s", op, target)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), &body)
	if err != nil {
		return nil, fmt.Errorf("cups: %s: %w", op, err)
	}
	hr.Header.Set("Content-Type", "application/ipp")
	resp, err := p.http.Do(hr)
	if err != nil {
		if p.halt.Err() != nil {
			return nil, ErrHalted
		}
		return nil, fmt.Errorf("cups: %s: %s: %w: %w", op, u.Host, ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, fmt.Errorf("cups: %s: %s answered HTTP %s", op, u.Host, resp.Status)
	}
	m, err := Decode(bufio.NewReader(io.LimitReader(resp.Body, p.opts.MaxReply)))
	if err != nil {
		return nil, fmt.Errorf("cups: %s: %w", op, err)
	}
	if m.Code > statusSuccessfulMaximum {
		e := &IPPError{Op: op, Status: m.Code, Msg: m.String("status-message")}
		if m.Code == 0x0406 { // client-error-not-found
			return nil, fmt.Errorf("%w: %w", e, notFound(op))
		}
		return nil, e
	}
	return m, nil
}

func notFound(op string) error {
	if op == "get-job-attributes" || op == "cancel-job" {
		return ErrNoJob
	}
	return ErrNoQueue
}

// Print sends a PDF to the queue as one job named title and returns its
// id once cupsd has accepted it (spooled). Follow it with Job.
func (p *Printer) Print(ctx context.Context, pdf []byte, title string) (JobID, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return 0, errors.New("cups: print: not a PDF")
	}
	req := p.request(OpPrintJob)
	req.Add(TagOperation, "printer-uri", Str(TagURI, p.queueURI()))
	req.Add(TagOperation, "requesting-user-name", Str(TagName, p.opts.User))
	if title != "" {
		req.Add(TagOperation, "job-name", Str(TagName, title))
	}
	req.Add(TagOperation, "document-format", Str(TagMimeType, "application/pdf"))
	m, err := p.do(ctx, "print-job", p.queueURI(), req, pdf)
	if err != nil {
		return 0, err
	}
	id, ok := m.Int("job-id")
	if !ok || id <= 0 {
		return 0, fmt.Errorf("%w: print-job: reply has no job-id", ErrMalformed)
	}
	p.dev.Count("jobs", 1)
	p.log.Info("a4 job accepted", "job", id, "bytes", len(pdf))
	return JobID(id), nil
}

// Job returns a job's state.
func (p *Printer) Job(ctx context.Context, id JobID) (JobState, error) {
	req := p.request(OpGetJobAttributes)
	req.Add(TagOperation, "printer-uri", Str(TagURI, p.queueURI()))
	req.Add(TagOperation, "job-id", Int(TagInteger, int32(id)))
	req.Add(TagOperation, "requesting-user-name", Str(TagName, p.opts.User))
	m, err := p.do(ctx, "get-job-attributes", p.queueURI(), req, nil)
	if err != nil {
		return JobState{}, err
	}
	return jobFrom(id, m), nil
}

// Wait follows a job every interval until it ends, and returns its last
// state. onChange, if not nil, is called each time the state or the pages
// done change (the screen's "正在打印第 2/3 页").
func (p *Printer) Wait(ctx context.Context, id JobID, every time.Duration, onChange func(JobState)) (JobState, error) {
	var last JobState
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		j, err := p.Job(ctx, id)
		if err != nil {
			return last, err
		}
		if onChange != nil && (j.State != last.State || j.Pages != last.Pages) {
			onChange(j)
		}
		last = j
		if j.Done() {
			return j, nil
		}
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-p.halt.Done():
			return last, ErrHalted
		case <-t.C:
		}
	}
}

// Cancel cancels a job that has not ended.
func (p *Printer) Cancel(ctx context.Context, id JobID) error {
	req := p.request(OpCancelJob)
	req.Add(TagOperation, "printer-uri", Str(TagURI, p.queueURI()))
	req.Add(TagOperation, "job-id", Int(TagInteger, int32(id)))
	req.Add(TagOperation, "requesting-user-name", Str(TagName, p.opts.User))
	_, err := p.do(ctx, "cancel-job", p.queueURI(), req, nil)
	return err
}

var printerAttrs = []string{"printer-state", "printer-state-reasons", "printer-state-message",
	"printer-is-accepting-jobs", "device-uri", "marker-names", "marker-types", "marker-levels",
	"printer-supply", "printer-supply-description", "printer-input-tray"}

func (p *Printer) getPrinter(ctx context.Context, target string) (*Message, error) {
	req := p.request(OpGetPrinterAttributes)
	req.Add(TagOperation, "printer-uri", Str(TagURI, target))
	req.Add(TagOperation, "requesting-user-name", Str(TagName, p.opts.User))
	vals := make([]Value, len(printerAttrs))
	for i, a := range printerAttrs {
		vals[i] = Str(TagKeyword, a)
	}
	req.Add(TagOperation, "requested-attributes", vals...)
	return p.do(ctx, "get-printer-attributes", target, req, nil)
}

// Printer returns the queue's state, and the printer's own when it can be
// asked (see Opts.NoDeviceProbe). An error means cupsd could not tell
// (not running, no such queue, a bad reply); a printer that does not
// answer is not an error but a state: Online false, reason "offline".
func (p *Printer) Printer(ctx context.Context) (PrinterState, error) {
	m, err := p.getPrinter(ctx, p.queueURI())
	if err != nil {
		return PrinterState{Queue: p.opts.Queue}, err
	}
	st := printerFrom(p.opts.Queue, m)
	if p.opts.NoDeviceProbe {
		return st, nil
	}
	u, err := url.Parse(st.DeviceURI)
	if err != nil || u.Scheme != "ipp" {
		return st, nil
	}
	dm, err := p.getPrinter(ctx, st.DeviceURI)
	if err != nil {
		if errors.Is(err, ErrHalted) || ctx.Err() != nil {
			return st, err
		}
		st.Online = false
		if !st.Has("offline") {
			st.Reasons = append(st.Reasons, "offline")
		}
		return st, nil
	}
	dev := printerFrom(p.opts.Queue, dm)
	// The printer's own answer is the truth about its paper, toner and
	// doors: cupsd keeps the reasons the last job's backend reported
	// (media-empty-report after the tray was refilled) until the next job,
	// which the kiosk would never send to a printer it believes empty.
	st.Reasons = slices.DeleteFunc(st.Reasons, func(r string) bool { return deviceCondition(r) && !dev.Has(r) })
	for _, r := range dev.Reasons {
		if !st.Has(r) {
			st.Reasons = append(st.Reasons, r)
		}
	}
	if len(st.Markers) == 0 {
		st.Markers = dev.Markers
	}
	if len(st.Trays) == 0 {
		st.Trays = dev.Trays
	}
	return st, nil
}

// Run polls the printer every PollEvery until ctx ends or the printer is
// halted, and reports its state into the device model. It returns
// ctx.Err(), or nil once halted; a bad or missing reply is reported as
// the device's state, never returned or panicked on.
func (p *Printer) Run(ctx context.Context) error {
	t := time.NewTicker(p.opts.PollEvery)
	defer t.Stop()
	for {
		p.Poll(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.halt.Done():
			return nil
		case <-t.C:
		}
	}
}

// Poll asks once and reports the answer into the device model, and
// returns it.
func (p *Printer) Poll(ctx context.Context) (PrinterState, error) {
	st, err := p.Printer(ctx)
	if errors.Is(err, ErrHalted) || p.halt.Err() != nil || ctx.Err() != nil {
		return st, err
	}
	p.report(st, err)
	return st, err
}

// report publishes a state (or the error that kept it unknown).
func (p *Printer) report(st PrinterState, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var s devices.State
	var why error
	switch {
	case err != nil:
		s, why = devices.Offline, err
		p.dev.SetDetail("state", "unknown")
		p.dev.SetDetail("paper", "")
		p.dev.SetDetail("toner", "")
		p.dev.SetDetail("toner_level", "")
	default:
		s, why = st.DeviceState(), st.Err()
		state := st.State
		if !st.Online {
			state = "offline"
		}
		p.dev.SetDetail("state", state)
		p.dev.SetDetail("paper", st.Paper())
		toner, level := st.Toner()
		p.dev.SetDetail("toner", toner)
		if level >= 0 {
			p.dev.SetDetail("toner_level", strconv.Itoa(level)+"%")
		} else {
			p.dev.SetDetail("toner_level", "")
		}
	}
	msg := ""
	if why != nil {
		msg = why.Error()
	}
	if s == p.lastState && msg == p.lastErr {
		p.dev.SetState(s, nil)
		return
	}
	p.lastState, p.lastErr = s, msg
	p.dev.SetState(s, why)
	if why != nil {
		p.log.Warn("a4 printer needs attention", "state", s, "err", why)
	} else {
		p.log.Info("a4 printer ready", "state", s)
	}
}

// deviceCondition reports whether reason describes the printer itself
// (its paper, toner, doors) rather than cupsd's queue.
func deviceCondition(reason string) bool {
	switch reason {
	case "media-empty", "media-needed", "media-jam", "media-low", "toner-low", "toner-empty",
		"marker-supply-low", "marker-supply-empty", "door-open", "cover-open", "interlock-open",
		"input-tray-missing", "output-area-full", "output-tray-missing":
		return true
	}
	return false
}
