package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/internal/catalogcmd"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/config"
)

// County operations sign a new service list and publish it with kioskctl;
// the kiosk polls the backend, verifies the list, applies it between
// sessions, and reports its new version in heartbeats, so countysim knows
// which kiosk runs which list.
func TestOperatorPublishesAndKioskApplies(t *testing.T) {
	d, ctx, _ := startSim(t, func(c *config.Config) {
		c.Catalog.PollInterval = config.Duration{Duration: 300 * time.Millisecond}
		c.Backend.HeartbeatInterval = config.Duration{Duration: 300 * time.Millisecond}
	})
	state := d.cfg.State.Dir
	active := d.store.Active().Version
	file := filepath.Join(t.TempDir(), "catalog.json")
	newer := regexp.MustCompile(`"version":\s*\d+`).ReplaceAll(catalog.DefaultJSON(), []byte(`"version": `+strconv.FormatInt(active+1, 10)))
	if err := os.WriteFile(file, newer, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := catalogcmd.Run(ctx, args, &out, &errb); code != 0 {
			t.Fatalf("kioskctl catalog %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
	}
	run("sign", "--key", filepath.Join(state, "catalog-dev.key"), file)
	run("verify", "--pubkey", filepath.Join(state, "catalog-dev.pub"), "--active-version", strconv.FormatInt(active, 10), file)
	run("publish", "--backend", d.cfg.Backend.URL, "--token", SimOperatorToken,
		"--ca", d.cfg.Backend.CA, "--cert", d.cfg.Backend.Cert, "--key", d.cfg.Backend.Key, file)

	// The heartbeat loop arms its timer once each heartbeat is answered:
	// look again then.
	clk := d.clock.(*countingClock)
	deadline := time.After(20 * time.Second)
	for {
		beat := clk.Armed()
		kiosks, err := d.County().Kiosks()
		if err == nil && d.store.Active().Version == active+1 {
			for _, k := range kiosks {
				if k.Heartbeat.KioskID == "test-kiosk-01" && k.Heartbeat.CatalogVersion == active+1 {
					return
				}
			}
		}
		select {
		case <-beat:
		case <-deadline:
			t.Fatalf("kiosk runs v%d (want v%d); countysim sees %+v", d.store.Active().Version, active+1, kiosks)
		}
	}
}
