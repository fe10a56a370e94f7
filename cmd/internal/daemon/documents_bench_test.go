package daemon

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/kiosk/host"
)

// The A4 path's figures (docs/testing.md). Both run against the real
// cupsd and ippeveprinter (cupssim) and countysim on loopback, in this
// process.

// BenchmarkA4PrintAccepted: from the print request (the adapter's Print,
// which the resident's 打印 tap reaches through the host) to cupsd's
// answer to Print-Job, the job accepted. Each round fetches a fresh
// document first (not timed) and lets the job finish before the next.
// Run with -benchtime 25x: p50 and p95 are over the rounds.
func BenchmarkA4PrintAccepted(b *testing.B) {
	d, ctx, _, _ := startA4(b)
	var (
		t0   time.Time
		took []time.Duration
	)
	d.docs.accepted = func(cups.JobID) {
		took = append(took, time.Since(t0))
		b.StopTimer()
	}
	b.StopTimer()
	b.ResetTimer() // not the set-up: ns/op is the mean of the timed stretch
	for i := 0; i < b.N; i++ {
		tx := submitPrintMatter(b, ctx, d)
		doc, err := d.docs.Fetch(ctx, tx.ID)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 = time.Now()
		if err := d.docs.Print(ctx, host.A4Job{TxID: tx.ID, Title: doc.Title}, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
	}
	if len(took) != b.N {
		b.Fatalf("%d jobs accepted in %d rounds", len(took), b.N)
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	ms := func(q float64) float64 {
		return float64(took[min(int(q*float64(len(took))), len(took)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
	b.ReportMetric(float64(took[len(took)-1])/float64(time.Millisecond), "max-ms")
}

// BenchmarkA4Memory20Pages: the process's resident memory while a 20-page
// document is fetched, checked, previewed and printed, over its idle
// figure (the daemon started, settled and collected). The peak is the
// kernel's VmHWM after resetting it (/proc/self/clear_refs), and a 2 ms
// sampler of VmRSS besides. The backend's own rendering of the document
// is done before the idle figure is taken (countysim runs in this
// process; a real backend does not); poppler's pdfinfo and pdftoppm are
// child processes and are not counted (docs/documents.md has theirs). Run
// without -race, which multiplies memory.
func BenchmarkA4Memory20Pages(b *testing.B) {
	d, ctx, _, _ := startA4(b)
	d.County().SetDocumentPages(20)
	var worst, idleMB float64
	b.ResetTimer() // ns/op: one fetch, check, preview and print
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tx := submitPrintMatter(b, ctx, d)
		if _, found, err := d.County().Document(d.cfg.Kiosk.ID, tx.ID); err != nil || !found {
			b.Fatalf("document not issued: %v", err)
		}
		runtime.GC()
		debug.FreeOSMemory()
		idle := procStatus(b, "VmRSS")
		resetHWM := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
		var peak sampler
		peak.start(2 * time.Millisecond)
		b.StartTimer()
		doc, err := d.docs.Fetch(ctx, tx.ID)
		if err != nil {
			b.Fatal(err)
		}
		if doc.Pages != 20 {
			b.Fatalf("%d pages", doc.Pages)
		}
		if err := d.docs.Print(ctx, host.A4Job{TxID: tx.ID, Title: doc.Title}, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		top := peak.stop()
		if resetHWM {
			top = max(top, procStatus(b, "VmHWM"))
		}
		worst = max(worst, float64(top-idle)/(1<<20))
		idleMB = float64(idle) / (1 << 20)
	}
	b.ReportMetric(idleMB, "idle-MiB")
	b.ReportMetric(worst, "over-idle-MiB")
}

// procStatus reads a field of /proc/self/status in bytes.
func procStatus(t testing.TB, field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			t.Fatalf("%s: %q", field, v)
		}
		return kb << 10
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// sampler keeps the largest VmRSS seen.
type sampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  int64
}

func (s *sampler) start(every time.Duration) {
	s.done = make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if v := rss(); v > s.max {
				s.max = v
			}
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
}

func (s *sampler) stop() int64 {
	close(s.done)
	s.wg.Wait()
	return s.max
}

func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}
