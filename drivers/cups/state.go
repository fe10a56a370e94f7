package cups

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// JobID is a job's number in cupsd (job-id).
type JobID int

// Job states (RFC 8011 §5.3.7), pending-held folded into pending and
// processing-stopped into processing.
const (
	JobPending    = "pending"
	JobProcessing = "processing"
	JobCompleted  = "completed"
	JobAborted    = "aborted"
	JobCanceled   = "canceled"
)

// JobState is where a print job is.
type JobState struct {
	ID    JobID  `json:"id"`
	State string `json:"state"`
	// Pages is the number of impressions completed so far
	// (job-impressions-completed); 0 when cupsd does not know.
	Pages int `json:"pages"`
	// Reasons are the job's reasons and, while it is at the printer, the
	// printer's (job-state-reasons and job-printer-state-reasons), with
	// the -report/-warning/-error suffixes removed and "none" left out.
	Reasons []string `json:"reasons,omitempty"`
	Message string   `json:"message,omitempty"`
}

// Done reports whether the job has reached an end state.
func (j JobState) Done() bool {
	return j.State == JobCompleted || j.State == JobAborted || j.State == JobCanceled
}

// ErrJobFailed is the end of a job that did not print: aborted or
// canceled with no more specific cause among its reasons.
var ErrJobFailed = errors.New("cups: job did not print")

// Err is why an ended job cannot be trusted to have printed, or nil when it
// completed cleanly. A job cupsd calls completed while a paper or door
// fault is among its reasons is a failure too: CUPS's ipp backend may
// finish a job as completed after the printer aborted it at a jam, and a
// resident must not be told to take pages that never came out. Err is nil
// for a job that has not ended.
func (j JobState) Err() error {
	if !j.Done() {
		return nil
	}
	p := PrinterState{Reasons: j.Reasons, Online: true, Accepting: true}
	if err := p.Err(); err != nil {
		return err
	}
	if j.State != JobCompleted {
		return ErrJobFailed
	}
	return nil
}

// Printer states (RFC 8011 §5.4.11).
const (
	PrinterIdle       = "idle"
	PrinterProcessing = "processing"
	PrinterStopped    = "stopped"
)

// Marker is one supply: toner, drum, waste toner.
type Marker struct {
	Name  string `json:"name"`
	Type  string `json:"type,omitempty"` // toner, waste-toner, opc…
	Level int    `json:"level"`          // percent; negative: unknown (-1), -2 unknown, -3 some left
}

// Tray is one paper source, from the printer's printer-input-tray.
type Tray struct {
	Name     string `json:"name"`
	Level    int    `json:"level"`    // sheets; negative: unknown
	Capacity int    `json:"capacity"` // sheets; negative: unknown
}

// PrinterState is the queue's state as cupsd reports it, with the live
// state of the printer itself when cupsd's device is an IPP printer that
// answers (Online false and "offline" in Reasons when it does not).
type PrinterState struct {
	Queue   string   `json:"queue"`
	State   string   `json:"state"`
	Reasons []string `json:"reasons,omitempty"`
	Message string   `json:"message,omitempty"`
	// Accepting is false when the queue rejects jobs (cupsreject).
	Accepting bool     `json:"accepting"`
	Online    bool     `json:"online"` // the printer behind the queue answered, or cannot be asked
	DeviceURI string   `json:"device_uri,omitempty"`
	Markers   []Marker `json:"markers,omitempty"`
	Trays     []Tray   `json:"trays,omitempty"`
}

// Has reports whether reason is among the printer's reasons.
func (p PrinterState) Has(reason string) bool { return slices.Contains(p.Reasons, reason) }

// Conditions the kiosk acts on.
var (
	ErrMediaEmpty   = errors.New("cups: printer out of paper")
	ErrMediaJam     = errors.New("cups: paper jam")
	ErrDoorOpen     = errors.New("cups: printer door open")
	ErrTonerEmpty   = errors.New("cups: toner empty")
	ErrOffline      = errors.New("cups: printer offline")
	ErrStopped      = errors.New("cups: queue stopped")
	ErrNotAccepting = errors.New("cups: queue not accepting jobs")
	// ErrUnreachable means cupsd did not answer at all.
	ErrUnreachable = errors.New("cups: cupsd not reachable")
	ErrNoQueue     = errors.New("cups: no such queue")
	ErrNoJob       = errors.New("cups: no such job")
	ErrHalted      = errors.New("cups: printer halted")
)

// Err is the condition that keeps the printer from printing, or nil.
func (p PrinterState) Err() error {
	switch {
	case p.Has("media-jam"):
		return ErrMediaJam
	case p.Has("media-empty") || p.Has("media-needed"):
		return ErrMediaEmpty
	case p.Has("door-open") || p.Has("cover-open") || p.Has("interlock-open"):
		return ErrDoorOpen
	case p.Has("toner-empty") || p.Has("marker-supply-empty"):
		return ErrTonerEmpty
	case !p.Online || p.Has("offline") || p.Has("shutdown"):
		return ErrOffline
	case p.State == PrinterStopped:
		return ErrStopped
	case !p.Accepting:
		return ErrNotAccepting
	}
	return nil
}

// DeviceState maps the printer's state onto the kiosk's device model.
func (p PrinterState) DeviceState() devices.State {
	switch err := p.Err(); {
	case err == nil && p.State == PrinterProcessing:
		return devices.Busy
	case err == nil:
		return devices.Online
	case errors.Is(err, ErrOffline):
		return devices.Offline
	case errors.Is(err, ErrStopped), errors.Is(err, ErrNotAccepting):
		return devices.HardwareError
	default:
		return devices.UserError
	}
}

// Paper is the detail value for the paper: ok, low, out or jam.
func (p PrinterState) Paper() string {
	switch {
	case p.Has("media-jam"):
		return "jam"
	case p.Has("media-empty") || p.Has("media-needed"):
		return "out"
	case p.Has("media-low"):
		return "low"
	}
	return "ok"
}

// Toner is the detail value for the toner: ok, low or empty, and the
// lowest toner level in percent when the printer reports one (else -1).
func (p PrinterState) Toner() (string, int) {
	level := -1
	for _, m := range p.Markers {
		if (m.Type == "toner" || m.Type == "") && m.Level >= 0 && (level < 0 || m.Level < level) {
			level = m.Level
		}
	}
	switch {
	case p.Has("toner-empty") || p.Has("marker-supply-empty"):
		return "empty", level
	case p.Has("toner-low") || p.Has("marker-supply-low"):
		return "low", level
	}
	return "ok", level
}

// normReasons strips the -report, -warning and -error suffixes and drops
// "none" and repeats.
func normReasons(in []string) []string {
	var out []string
	for _, r := range in {
		for _, suf := range []string{"-report", "-warning", "-error"} {
			r = strings.TrimSuffix(r, suf)
		}
		if r == "" || r == "none" || slices.Contains(out, r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func jobStateName(n int) string {
	switch n {
	case 3, 4:
		return JobPending
	case 5, 6:
		return JobProcessing
	case 7:
		return JobCanceled
	case 8:
		return JobAborted
	case 9:
		return JobCompleted
	}
	return "unknown"
}

func printerStateName(n int) string {
	switch n {
	case 3:
		return PrinterIdle
	case 4:
		return PrinterProcessing
	case 5:
		return PrinterStopped
	}
	return "unknown"
}

// jobFrom reads a Get-Job-Attributes reply.
func jobFrom(id JobID, m *Message) JobState {
	j := JobState{ID: id}
	n, _ := m.Int("job-state")
	j.State = jobStateName(n)
	j.Pages, _ = m.Int("job-impressions-completed")
	j.Reasons = normReasons(append(m.Strings("job-state-reasons"), m.Strings("job-printer-state-reasons")...))
	j.Message = m.String("job-printer-state-message")
	if j.Message == "" {
		j.Message = m.String("job-state-message")
	}
	return j
}

// printerFrom reads a Get-Printer-Attributes reply from cupsd.
func printerFrom(queue string, m *Message) PrinterState {
	p := PrinterState{Queue: queue, Online: true}
	n, _ := m.Int("printer-state")
	p.State = printerStateName(n)
	p.Reasons = normReasons(m.Strings("printer-state-reasons"))
	p.Message = m.String("printer-state-message")
	acc, ok := m.Int("printer-is-accepting-jobs")
	p.Accepting = !ok || acc != 0
	p.DeviceURI = m.String("device-uri")
	p.Markers = markersFrom(m)
	p.Trays = traysFrom(m)
	return p
}

// markersFrom reads marker-names/-types/-levels (what cupsd reports), or
// printer-supply (what an IPP Everywhere printer reports).
func markersFrom(m *Message) []Marker {
	names, types, levels := m.Strings("marker-names"), m.Strings("marker-types"), m.Ints("marker-levels")
	var out []Marker
	for i, name := range names {
		mk := Marker{Name: name, Level: -1}
		if i < len(types) {
			mk.Type = types[i]
		}
		if i < len(levels) {
			mk.Level = levels[i]
		}
		out = append(out, mk)
	}
	if len(out) > 0 {
		return out
	}
	desc := m.Strings("printer-supply-description")
	for i, s := range m.Strings("printer-supply") {
		kv := keyValues(s)
		mk := Marker{Name: kv["colorantname"], Type: kebab(kv["type"]), Level: atoiOr(kv["level"], -1)}
		if i < len(desc) {
			mk.Name = desc[i]
		}
		if max := atoiOr(kv["maxcapacity"], -1); max > 0 && mk.Level >= 0 && kv["unit"] != "percent" {
			mk.Level = mk.Level * 100 / max
		}
		out = append(out, mk)
	}
	return out
}

// traysFrom reads printer-input-tray (PWG 5100.13): one
// "type=…;maxcapacity=…;level=…;name=…;" string per tray.
func traysFrom(m *Message) []Tray {
	var out []Tray
	for _, s := range m.Strings("printer-input-tray") {
		kv := keyValues(s)
		if kv["name"] == "" {
			continue
		}
		out = append(out, Tray{Name: kv["name"], Level: atoiOr(kv["level"], -1), Capacity: atoiOr(kv["maxcapacity"], -1)})
	}
	return out
}

func keyValues(s string) map[string]string {
	kv := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok {
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return kv
}

// kebab turns PWG's camelCase supply types (wasteToner) into the
// marker-types spelling (waste-toner).
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
