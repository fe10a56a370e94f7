package daemon

import (
	"runtime"
	"strings"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// metrics are the daemon's own Prometheus figures; the outbox registers
// its own. No label ever carries personal data. Names follow Prometheus's
// conventions: counters end in _total, times are in seconds, and one
// metric counts one kind of thing (docs/deployment.md lists them, and the
// fleet's alert rules in deploy/prometheus use them).
type metrics struct {
	sessions          *prometheus.CounterVec
	sessionStarts     prometheus.Counter
	submits           *prometheus.CounterVec
	ratings           *prometheus.CounterVec
	prints            prometheus.Counter
	documents         *prometheus.CounterVec
	cardReads         prometheus.Counter
	catalogVersion    prometheus.Gauge
	catalogRejections prometheus.Counter
	door              prometheus.Gauge
	deviceChanges     prometheus.Counter
}

func newMetrics(d *Daemon) *metrics {
	m := &metrics{
		sessions:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_sessions_total", Help: "Resident sessions by how they ended (finished, cancelled, timeout, maintenance)."}, []string{"reason"}),
		sessionStarts: prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_session_starts_total", Help: "Resident sessions started (left the attract screen)."}),
		submits:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_transactions_total", Help: "Transactions submitted by outcome told to the resident."}, []string{"outcome"}),
		ratings:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_ratings_total", Help: "Service ratings sent, by score (5 very satisfied … 1 very dissatisfied)."}, []string{"score"}),
		prints:        prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_receipts_printed_total", Help: "Receipts printed in full."}),
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_documents_total",
			Help: "Print matters' A4 documents by how they ended: printed, or what stopped them (refused, unreached, paper_out, jam, door_open, toner_empty, offline, failed)."}, []string{"outcome"}),
		cardReads:         prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_card_reads_total", Help: "ID cards read."}),
		catalogVersion:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "kiosk_catalog_version", Help: "Version of the active service list."}),
		catalogRejections: prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_catalog_rejections_total", Help: "Service lists refused (signature, rollback, expiry, size, schema, validation)."}),
		door:              prometheus.NewGauge(prometheus.GaugeOpts{Name: "kiosk_cabinet_door_open", Help: "1 while the cabinet door is open."}),
		deviceChanges:     prometheus.NewCounter(prometheus.CounterOpts{Name: "kiosk_device_state_changes_total", Help: "Device state changes."}),
	}
	// Every outcome exists from the start, at 0, so a rate over them is
	// never "no data".
	for _, o := range []txn.Outcome{txn.Completed, txn.Queued, txn.Rejected, txn.Unreached} {
		m.submits.WithLabelValues(string(o))
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "kiosk_build_info", Help: "Always 1; the labels say which build the kiosk runs.",
		ConstLabels: prometheus.Labels{"version": d.version, "goversion": runtime.Version()}})
	build.Set(1)
	d.prom.MustRegister(m.sessions, m.sessionStarts, m.submits, m.ratings, m.prints, m.documents, m.cardReads, m.catalogVersion, m.catalogRejections, m.door, m.deviceChanges,
		build, &deviceCollector{reg: d.reg}, &stateCollector{d: d})
	return m
}

func (m *metrics) deviceChanged() { m.deviceChanges.Inc() }

func (m *metrics) doorOpen(open bool) {
	if open {
		m.door.Set(1)
	} else {
		m.door.Set(0)
	}
}

// defaultHeartbeatInterval is the heartbeats' interval when the
// configuration sets none.
const defaultHeartbeatInterval = time.Minute

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// stateCollector exports, at scrape time, what the alert rules judge the
// kiosk by: when it last reached the backend, whether its service list
// has expired, whether it is out of service and whether the technician
// PIN is locked.
type stateCollector struct{ d *Daemon }

var (
	descLastContact = prometheus.NewDesc("kiosk_backend_last_contact_timestamp_seconds",
		"Unix time of the last request the backend answered (a heartbeat or a delivery); 0 before the first.", nil, nil)
	descBeatEvery = prometheus.NewDesc("kiosk_heartbeat_interval_seconds", "How often the kiosk sends a heartbeat.", nil, nil)
	descStale     = prometheus.NewDesc("kiosk_catalog_stale", "1 while the active service list has expired.", nil, nil)
	descOOS       = prometheus.NewDesc("kiosk_out_of_service", "1 while the resident's screen says temporarily out of service.", nil, nil)
	descMaint     = prometheus.NewDesc("kiosk_maintenance", "1 while the kiosk is in maintenance (a technician's or an operator's wish).", nil, nil)
	descPINLock   = prometheus.NewDesc("kiosk_technician_pin_locked", "1 while the technician PIN is locked after too many wrong attempts.", nil, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descLastContact, descBeatEvery, descStale, descOOS, descMaint, descPINLock} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	d := c.d
	d.mu.Lock()
	last, maint := d.lastBeat, d.maintenance
	d.mu.Unlock()
	ts := 0.0
	if !last.IsZero() {
		ts = float64(last.UnixNano()) / 1e9
	}
	ch <- prometheus.MustNewConstMetric(descLastContact, prometheus.GaugeValue, ts)
	ch <- prometheus.MustNewConstMetric(descBeatEvery, prometheus.GaugeValue, d.heartbeatInterval().Seconds())
	if d.store != nil {
		ch <- prometheus.MustNewConstMetric(descStale, prometheus.GaugeValue, bool01(d.store.Stale(d.now())))
	}
	screen, ok := c.screen()
	ch <- prometheus.MustNewConstMetric(descOOS, prometheus.GaugeValue, bool01(ok && screen == session.ScreenOutOfService))
	ch <- prometheus.MustNewConstMetric(descMaint, prometheus.GaugeValue, bool01(maint || ok && screen == session.ScreenMaintenance))
	if d.tech != nil {
		ch <- prometheus.MustNewConstMetric(descPINLock, prometheus.GaugeValue, bool01(d.tech.Locked()))
	}
}

// screen is the resident's screen, once the host has published a view:
// a scrape may come before the host's first view, which host.View does
// not allow for.
func (c *stateCollector) screen() (s session.Screen, ok bool) {
	if c.d.host == nil {
		return s, false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return c.d.host.View().Session.Screen, true
}

// deviceCollector exports each device's state, its paper and toner, and
// its counters at scrape time.
type deviceCollector struct{ reg *devices.Registry }

var (
	descState      = prometheus.NewDesc("kiosk_device_state", "1 for the device's current state.", []string{"device", "state"}, nil)
	descPaper      = prometheus.NewDesc("kiosk_device_paper_state", "1 for the printer's current paper state (ok, low, out, jam).", []string{"device", "state"}, nil)
	descToner      = prometheus.NewDesc("kiosk_device_toner_state", "1 for the A4 printer's current toner state (ok, low, empty).", []string{"device", "state"}, nil)
	descRelayCycle = prometheus.NewDesc("kiosk_relay_power_cycles_total", "Power cycles through the GPIO relays, by the device powered.", []string{"device"}, nil)
	allStates      = []devices.State{devices.Starting, devices.Online, devices.Offline, devices.HardwareError, devices.UserError, devices.NoDevice, devices.Busy}
	paperStates    = []string{"ok", "low", "out", "jam"}
	tonerStates    = []string{"ok", "low", "empty"}

	// deviceCounters names the drivers' counters, one metric each. A
	// counter not named here still gets its own metric, its name made
	// from the counter's (kiosk_device_<snake_case>_total).
	deviceCounters = map[string]*prometheus.Desc{
		"reads":         counterDesc("reads", "ID cards read by the reader."),
		"errors":        counterDesc("errors", "Errors the device's driver recorded."),
		"reconnects":    counterDesc("reconnects", "Times the driver reopened the device after losing it."),
		"power_cycles":  counterDesc("power_cycles", "Power cycles the device's driver asked for after the device stopped answering."),
		"prints":        counterDesc("prints", "Receipts the printer finished."),
		"failed_jobs":   counterDesc("failed_jobs", "Print jobs that did not finish."),
		"jobs":          counterDesc("jobs", "Print jobs sent."),
		"scans":         counterDesc("scans", "Codes the scanner delivered."),
		"rejected":      counterDesc("rejected", "Scanner input thrown away as not a code."),
		"bounces":       counterDesc("input_bounces", "GPIO input edges ignored as contact bounce."),
		"events":        counterDesc("input_events", "GPIO input changes seen (buttons, door, presence)."),
		"eventsDropped": counterDesc("input_events_dropped", "GPIO input changes dropped because nobody was reading them."),
	}
)

// zeroCounters are the counters each kind of device exports from the
// start, at 0 until the driver first counts them: a rule on a counter
// that does not exist yet would never see it rise.
var zeroCounters = map[devices.Kind][]string{
	devices.KindIDCard:  {"reads", "errors", "reconnects", "power_cycles"},
	devices.KindPrinter: {"prints", "failed_jobs", "errors", "reconnects", "power_cycles"},
	devices.KindA4:      {"jobs", "errors"},
	devices.KindScanner: {"scans", "rejected", "errors", "reconnects"},
	devices.KindGPIO:    {"events", "bounces", "eventsDropped", "errors"},
	devices.KindBackend: {"errors"},
}

func counterDesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc("kiosk_device_"+name+"_total", help, []string{"device"}, nil)
}

// snake turns a counter's name (eventsDropped, power-cycles) into a
// metric name part (events_dropped, power_cycles).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Describe describes nothing: the collector is unchecked, since a
// driver's new counter brings a metric of its own that no list names in
// advance.
func (c *deviceCollector) Describe(chan<- *prometheus.Desc) {}

func (c *deviceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.reg.All() {
		for _, st := range allStates {
			ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, bool01(s.State == st), s.Name, string(st))
		}
		if p, ok := s.Detail["paper"]; ok {
			for _, st := range paperStates {
				ch <- prometheus.MustNewConstMetric(descPaper, prometheus.GaugeValue, bool01(p == st), s.Name, st)
			}
		}
		if t, ok := s.Detail["toner"]; ok {
			for _, st := range tonerStates {
				ch <- prometheus.MustNewConstMetric(descToner, prometheus.GaugeValue, bool01(t == st), s.Name, st)
			}
		}
		for _, k := range zeroCounters[s.Kind] {
			if _, ok := s.Counters[k]; !ok {
				ch <- prometheus.MustNewConstMetric(deviceCounters[k], prometheus.CounterValue, 0, s.Name)
			}
		}
		for k, n := range s.Counters {
			if dev, ok := strings.CutPrefix(k, "powerCycles."); ok {
				ch <- prometheus.MustNewConstMetric(descRelayCycle, prometheus.CounterValue, float64(n), dev)
				continue
			}
			desc, ok := deviceCounters[k]
			if !ok {
				desc = counterDesc(snake(k), "The "+k+" counter of the device's driver.")
			}
			ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(n), s.Name)
		}
	}
}
