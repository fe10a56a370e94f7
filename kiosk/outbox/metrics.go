package outbox

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	depth    prometheus.GaugeFunc
	oldest   prometheus.GaugeFunc
	latency  prometheus.Histogram
	failures *prometheus.CounterVec
}

func newMetrics(o *Outbox) *metrics {
	return &metrics{
		depth: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kiosk_outbox_depth",
			Help: "Transactions not yet acknowledged by the backend (pending and parked)."},
			func() float64 { return float64(o.Depth()) }),
		oldest: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kiosk_outbox_oldest_pending_seconds",
			Help: "Age of the oldest unacknowledged transaction."},
			func() float64 { return o.OldestAge().Seconds() }),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "kiosk_outbox_delivery_latency_seconds",
			Help:    "Time from enqueue to the backend's acknowledgement.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600, 72 * 3600}}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "kiosk_outbox_delivery_failures_total",
			Help: "Failed delivery attempts and store errors by reason."}, []string{"reason"}),
	}
}

func (m *metrics) register(r prometheus.Registerer) error {
	var errs []error
	for _, c := range []prometheus.Collector{m.depth, m.oldest, m.latency, m.failures} {
		errs = append(errs, r.Register(c))
	}
	return errors.Join(errs...)
}
