package daemon

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/minisign"
)

func (d *Daemon) openCatalog() error {
	var keys []minisign.PublicKey
	for _, k := range d.cfg.Catalog.TrustedKeys {
		pk, err := loadPublicKey(k)
		if err != nil {
			// A missing key must not stop the kiosk serving the list it has;
			// new lists are refused until the key is fixed.
			d.log.Warn("catalog.trusted_keys: key not usable; new service lists will be refused", "key", k, "err", err)
			d.events.Add("catalog", "config", "trusted key not usable: "+err.Error(), nil)
			continue
		}
		keys = append(keys, pk)
	}
	d.verifier = &catalog.Verifier{Trusted: keys, RequireTwo: d.cfg.Catalog.RequireTwo, Hall: d.cfg.Kiosk.Hall, MaxSize: d.cfg.Catalog.MaxSize, Now: d.now}
	st, err := catalog.OpenStore(filepath.Join(d.cfg.State.Dir, "catalog"), d.verifier, d.log.With("part", "catalog"))
	if err != nil {
		return fmt.Errorf("catalog store: %w", err)
	}
	d.store = st
	a := st.Active()
	d.log.Info("service list", "version", a.Version, "hash", a.Hash()[:12], "matters", len(a.Services), "source", st.Source())
	found := false
	for _, h := range a.Halls {
		found = found || h.ID == d.cfg.Kiosk.Hall
	}
	if !found {
		d.log.Warn("kiosk.hall is not a hall in the service list; screens and receipts show the county's name", "hall", d.cfg.Kiosk.Hall)
	}
	if st.Stale(d.now()) {
		d.log.Warn("service list is past its expiry; it keeps serving residents, but a new one is needed", "expires_at", a.ExpiresAt)
	}
	return nil
}

// loadPublicKey reads a minisign public key given as a file path or as the
// key's base64 line.
func loadPublicKey(s string) (minisign.PublicKey, error) {
	data := []byte(s)
	if !strings.HasPrefix(s, "RW") || strings.ContainsRune(s, '/') {
		b, err := os.ReadFile(s)
		if err != nil {
			return minisign.PublicKey{}, err
		}
		data = b
	}
	pk, err := minisign.ParsePublicKey(data)
	if err != nil {
		return minisign.PublicKey{}, fmt.Errorf("%s: %w", s, err)
	}
	return pk, nil
}

func (d *Daemon) pollCatalog(ctx context.Context) error {
	p := catalog.NewPoller(d.store, d.client.FetchCatalog, &catalog.PollerOpts{
		Interval: d.cfg.Catalog.PollInterval.Duration,
		Logger:   d.log.With("part", "catalog-poller"),
	})
	return p.Run(ctx)
}

// watchRejections records service lists the store refused, and newer
// lists not in this hall's rollout, for technicians and metrics. Applying staged lists is the session host's
// (between residents' sessions).
func (d *Daemon) watchRejections(ctx context.Context) error {
	ticks, stop := d.clock.Ticker(2 * time.Second)
	defer stop()
	var lastRejection time.Time
	var notIn int64
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
		}
		if st := d.store.Status(d.now()); st.NotInRollout != 0 && st.NotInRollout != notIn {
			notIn = st.NotInRollout
			d.events.Add("catalog", "store", fmt.Sprintf("service list v%d not in rollout for hall %s; keeping v%d", notIn, d.cfg.Kiosk.Hall, st.Version), nil)
		}
		if ev, ok := d.store.LastRejection(); ok && ev.Time.After(lastRejection) {
			lastRejection = ev.Time
			d.events.Add("catalog", "store", fmt.Sprintf("service list v%d rejected: %s", ev.Version, ev.Reason), nil)
			d.metrics.catalogRejections.Inc()
		}
	}
}
