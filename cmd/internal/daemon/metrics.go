package daemon

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/henan-county/kiosk/kiosk/devices"
)

// metrics are the daemon's own Prometheus figures; the outbox registers
// its own. No label ever carries personal data.
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
	d.prom.MustRegister(m.sessions, m.sessionStarts, m.submits, m.ratings, m.prints, m.documents, m.cardReads, m.catalogVersion, m.catalogRejections, m.door, m.deviceChanges, &deviceCollector{reg: d.reg})
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

// deviceCollector exports each device's state and counters at scrape time.
type deviceCollector struct{ reg *devices.Registry }

var (
	descState   = prometheus.NewDesc("kiosk_device_state", "1 for the device's current state.", []string{"device", "state"}, nil)
	descCounter = prometheus.NewDesc("kiosk_device_events_total", "Device counters (reads, prints, errors, reconnects).", []string{"device", "counter"}, nil)
	allStates   = []devices.State{devices.Starting, devices.Online, devices.Offline, devices.HardwareError, devices.UserError, devices.NoDevice, devices.Busy}
)

func (c *deviceCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descState
	ch <- descCounter
}

func (c *deviceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.reg.All() {
		for _, st := range allStates {
			v := 0.0
			if s.State == st {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, v, s.Name, string(st))
		}
		for k, n := range s.Counters {
			ch <- prometheus.MustNewConstMetric(descCounter, prometheus.CounterValue, float64(n), s.Name, k)
		}
	}
}
