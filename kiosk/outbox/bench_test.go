package outbox

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// BenchmarkEnqueue measures durable enqueues, each its own fsynced commit.
func BenchmarkEnqueue(b *testing.B) {
	ob := open(b, filepath.Join(b.TempDir(), "o.db"), nil)
	defer ob.Close()
	now := time.Now()
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		if err := ob.Enqueue(newTx(now, "apply")); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "enq/s")
}

// BenchmarkRecovery100k measures Open with 100,000 pending transactions,
// until the outbox can take a new one.
func BenchmarkRecovery100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "o.db")
	ob := open(b, path, nil)
	now := time.Now()
	batch := make([]txn.Transaction, 0, 10000)
	for range 10 {
		batch = batch[:0]
		for range 10000 {
			batch = append(batch, newTx(now, "apply"))
		}
		if err := ob.EnqueueAll(batch); err != nil {
			b.Fatal(err)
		}
	}
	ob.Close()
	b.ResetTimer()
	for b.Loop() {
		ob := open(b, path, nil)
		if err := ob.Enqueue(newTx(now, "apply")); err != nil {
			b.Fatal(err)
		}
		if ob.Depth() < 100000 {
			b.Fatalf("depth %d", ob.Depth())
		}
		ob.Close()
	}
}

// BenchmarkDeliveryTLS measures delivery throughput from the outbox to
// countysim over loopback mutual TLS (both fsync every transaction).
func BenchmarkDeliveryTLS(b *testing.B) {
	e := newSimEnv(b, countysim.Faults{})
	ob := open(b, filepath.Join(b.TempDir(), "o.db"), &Opts{Workers: 4})
	defer ob.Close()
	now := time.Now()
	txs := make([]txn.Transaction, b.N)
	for i := range txs {
		txs[i] = newTx(now, "apply")
	}
	if err := ob.EnqueueAll(txs); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.ResetTimer()
	start := time.Now()
	done := make(chan struct{})
	go func() { ob.Run(ctx, e.cl.Submit); close(done) }()
	for {
		changed := ob.Changed()
		if ob.Depth() == 0 {
			break
		}
		<-changed
	}
	el := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	b.ReportMetric(float64(b.N)/el.Seconds(), "tx/s")
}
