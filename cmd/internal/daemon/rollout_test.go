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

// Operations publish a list for a pilot hall: a kiosk of another hall
// keeps its list and says "not in rollout", with no rejection; once the
// same list is signed again for its hall too, it applies it.
func TestStagedRolloutThroughTheBackend(t *testing.T) {
	d, ctx, _ := startSim(t, func(c *config.Config) {
		c.Kiosk.Hall = "zwzx"
		c.Catalog.PollInterval = config.Duration{Duration: 300 * time.Millisecond}
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
	publish := func(halls string) {
		t.Helper()
		run("sign", "--key", filepath.Join(state, "catalog-dev.key"), "--halls", halls, file)
		run("publish", "--backend", d.cfg.Backend.URL, "--token", SimOperatorToken,
			"--ca", d.cfg.Backend.CA, "--cert", d.cfg.Backend.Cert, "--key", d.cfg.Backend.Key, file)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not come: %+v", what, d.catalogInfo())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	publish("cgz")
	waitFor("not in rollout", func() bool { return d.catalogInfo().NotInRollout == active+1 })
	if info := d.catalogInfo(); info.Version != active || info.Pending != 0 || info.LastRejection != "" {
		t.Fatalf("a list for another hall changed the kiosk: %+v", info)
	}
	waitFor("the event", func() bool {
		for _, e := range d.events.Recent(50) {
			if strings.Contains(e.Text, "not in rollout for hall zwzx") {
				return true
			}
		}
		return false
	})

	publish("cgz,zwzx")
	waitFor("the widened list applied", func() bool { return d.store.Active().Version == active+1 })
	if info := d.catalogInfo(); info.NotInRollout != 0 || info.LastRejection != "" {
		t.Fatalf("after widening: %+v", info)
	}

	// The running list signed again for every hall, installed by a
	// technician: nothing to apply, no rejection.
	run("sign", "--key", filepath.Join(state, "catalog-dev.key"), "--rollout", "all", file)
	if info, err := d.InstallCatalog(ctx, mustRead(t, file), mustRead(t, file+".minisig")); err != nil || info.Version != active+1 || d.store.Pending() != nil {
		t.Fatalf("the running list again: %+v %v (pending %v)", info, err, d.store.Pending())
	}
	if info := d.catalogInfo(); info.LastRejection != "" {
		t.Fatalf("the running list again was rejected: %s", info.LastRejection)
	}

	// A technician installing a list for another hall is told so.
	run("sign", "--key", filepath.Join(state, "catalog-dev.key"), "--halls", "cgz", file)
	other := regexp.MustCompile(`"version":\s*\d+`).ReplaceAll(mustRead(t, file), []byte(`"version": `+strconv.FormatInt(active+2, 10)))
	os.WriteFile(file, other, 0o644)
	run("sign", "--key", filepath.Join(state, "catalog-dev.key"), file)
	if _, err := d.InstallCatalog(ctx, other, mustRead(t, file+".minisig")); err == nil || !strings.Contains(err.Error(), "not in rollout") {
		t.Fatalf("install of another hall's list: %v", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
