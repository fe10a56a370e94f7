package daemon

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups/cupssim"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// scrape fetches the daemon's /metrics as Prometheus does.
func scrape(tb testing.TB, ctx context.Context, d *Daemon) []byte {
	tb.Helper()
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	addr, err := d.MetricsAddr(mctx)
	cancel()
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatalf("scrape: %d %v", resp.StatusCode, err)
	}
	return body
}

// families are the metric family names in a text exposition (its # TYPE lines).
func families(body []byte) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(string(body), "\n") {
		if f := strings.Fields(l); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			out[f[2]] = f[3]
		}
	}
	return out
}

// TestScrapeForTheFleet scrapes a simulated kiosk with every device (the
// A4 printer too) as the fleet's Prometheus does, lints the scrape with
// promtool check metrics, and checks that every metric the fleet's rules
// in deploy/prometheus use is in it.
func TestScrapeForTheFleet(t *testing.T) {
	sim := cupssim.StartForTest(t)
	d, ctx, _ := startSim(t, func(c *config.Config) {
		c.A4 = config.A4{Enabled: true, Server: sim.Server(), Queue: sim.Queue(), PollInterval: config.Duration{Duration: 200 * time.Millisecond}}
	})
	waitRegistry(t, d, 20*time.Second, "the A4 printer online and the backend reached", func() bool {
		a4, _ := d.reg.Get(devices.A4)
		be, _ := d.reg.Get(devices.Backend)
		return a4.State == devices.Online && a4.Detail["toner"] != "" && be.State == devices.Online
	})
	body := scrape(t, ctx, d)
	fams := families(body)

	// The heartbeat says how often it comes, for the fleet view's
	// staleness.
	ks, err := d.County().Kiosks()
	if err != nil || len(ks) != 1 || time.Duration(ks[0].Heartbeat.HeartbeatInterval) != time.Minute {
		t.Errorf("heartbeats at countysim: %+v %v", ks, err)
	}

	// The names follow Prometheus's conventions.
	for name, typ := range fams {
		switch {
		case typ == "counter" && !strings.HasSuffix(name, "_total"):
			t.Errorf("counter %s does not end in _total", name)
		case typ != "counter" && strings.HasSuffix(name, "_total"):
			t.Errorf("%s %s ends in _total", typ, name)
		}
	}
	if fams["kiosk_device_events_total"] != "" {
		t.Error("kiosk_device_events_total is back: one metric per device counter")
	}
	for _, want := range []string{
		`kiosk_build_info{goversion="go`,
		`kiosk_device_reads_total{device="idcard"} `,
		`kiosk_device_power_cycles_total{device="printer"} 0`,
		`kiosk_device_paper_state{device="printer",state="ok"} 1`,
		`kiosk_device_toner_state{device="a4",state="ok"} 1`,
		`kiosk_out_of_service 0`,
		`kiosk_technician_pin_locked 0`,
		`kiosk_heartbeat_interval_seconds 60`,
		`kiosk_transactions_total{outcome="queued"} 0`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("the scrape has no %s", want)
		}
	}
	if bytes.Contains(body, []byte("kiosk_backend_last_contact_timestamp_seconds 0\n")) {
		t.Error("the backend was reached but the last contact is 0")
	}

	// promtool's own lint of the exposition.
	if promtool := promtoolPath(t); promtool != "" {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = bytes.NewReader(body)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	}

	// Every kiosk_ metric a rule names is in the scrape.
	used := ruleMetrics(t)
	if len(used) < 10 {
		t.Fatalf("found only %v in the rules", used)
	}
	for _, name := range used {
		if fams[name] == "" {
			t.Errorf("deploy/prometheus uses %s, which the kiosk does not export", name)
		}
	}
}

// ruleMetrics lists the kiosk_ metrics deploy/prometheus/rules use.
func ruleMetrics(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../../deploy/prometheus/rules/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files: %v", err)
	}
	re := regexp.MustCompile(`\bkiosk_[a-z0-9_]+[a-z0-9]`)
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllString(string(b), -1) {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	slices.Sort(out)
	return out
}

func promtoolPath(t *testing.T) string {
	p, err := exec.LookPath("promtool")
	switch {
	case err == nil:
		return p
	case os.Getenv("CI") == "true":
		t.Fatal("promtool is not installed (Debian package prometheus; .ci/setup.sh installs it)")
	default:
		t.Log("promtool is not installed: the scrape is not linted (install Debian's prometheus)")
	}
	return ""
}

// BenchmarkScrape is one Prometheus scrape of a simulated kiosk: the time
// to serve /metrics over loopback and its size.
func BenchmarkScrape(b *testing.B) {
	d, ctx, _ := startSim(b)
	var n int
	b.ResetTimer()
	for b.Loop() {
		n = len(scrape(b, ctx, d))
	}
	b.ReportMetric(float64(n), "bytes/scrape")
}
