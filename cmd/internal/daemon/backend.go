package daemon

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/txn"
)

func (d *Daemon) openBackend() {
	d.devBackend = d.reg.Add(devices.Backend, devices.KindBackend)
	if d.cfg.Backend.URL == "" {
		d.devBackend.SetState(devices.NoDevice, errors.New("backend.url is not set: transactions wait in the outbox"))
		d.log.Warn("backend.url is not set: transactions are kept in the outbox until it is")
		return
	}
	c, err := backend.New(&backend.Opts{
		BaseURL:  d.cfg.Backend.URL,
		KioskID:  d.cfg.Kiosk.ID,
		CAFile:   d.cfg.Backend.CA,
		CertFile: d.cfg.Backend.Cert,
		KeyFile:  d.cfg.Backend.Key,
		Dev:      d.cfg.Backend.Dev,
		Timeout:  d.cfg.Backend.Timeout.Duration,
		// The cap on a document's download is the kiosk's cap on a document.
		MaxDocument: d.cfg.A4.MaxDocument,
		Logger:      d.log.With("part", "backend"),
		Now:         d.now,
	})
	if err != nil {
		d.devBackend.SetState(devices.HardwareError, err)
		d.log.Error("backend client not usable; transactions wait in the outbox", "setting", "[backend]", "err", err)
		return
	}
	d.client = c
}

// outboxKeyFile is the outbox's key file; the A4 documents are sealed
// under the same key.
func (d *Daemon) outboxKeyFile() string {
	if d.cfg.Outbox.KeyFile != "" {
		return d.cfg.Outbox.KeyFile
	}
	return filepath.Join(d.cfg.State.Dir, "outbox.key")
}

func (d *Daemon) openOutbox() error {
	key, err := outbox.LoadOrCreateKey(d.outboxKeyFile())
	if err != nil {
		return err
	}
	ob, err := outbox.Open(filepath.Join(d.cfg.State.Dir, "outbox.db"), &outbox.Opts{
		Key:        key,
		Logger:     d.log.With("part", "outbox"),
		Now:        d.now,
		Backoff:    outbox.Backoff{Base: d.cfg.Outbox.BackoffBase.Duration, Cap: d.cfg.Outbox.BackoffCap.Duration},
		Retention:  d.cfg.Outbox.RetentionDays,
		Registerer: d.prom,
	})
	clear(key)
	if err != nil {
		return err
	}
	d.ob = ob
	if n := ob.Depth(); n > 0 {
		d.log.Info("outbox recovered", "waiting", n, "oldest", ob.OldestAge().Round(time.Second))
	}
	return nil
}

// deliver is the outbox's delivery function: it records reachability.
func (d *Daemon) deliver(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
	res, err := d.client.Submit(ctx, tx)
	d.noteBackend(err)
	return res, err
}

func (d *Daemon) noteBackend(err error) {
	if err == nil {
		d.devBackend.SetState(devices.Online, nil)
		d.mu.Lock()
		d.lastBeat = d.now()
		d.beatErr = ""
		d.mu.Unlock()
		return
	}
	if errors.Is(err, backend.ErrUnreachable) {
		d.devBackend.SetState(devices.Offline, err)
	}
	d.mu.Lock()
	d.beatErr = err.Error()
	d.mu.Unlock()
}

func (d *Daemon) heartbeat(ctx context.Context) error {
	a := d.store.Active()
	hb := backend.Heartbeat{
		KioskID:         d.cfg.Kiosk.ID,
		HallID:          d.cfg.Kiosk.Hall,
		SoftwareVersion: d.version,
		CatalogVersion:  a.Version,
		CatalogHash:     a.Hash(),
		CatalogStale:    d.store.Stale(d.now()),
		Devices:         d.reg.All(),
		OutboxDepth:     d.ob.Depth(),
		OutboxOldestAge: backend.Seconds(d.ob.OldestAge()),
		Time:            d.now(),
	}
	hb.CatalogRejection = currentRejection(d.store.Events())
	hb.PaymentsUnresolved = int(d.unresolved.Load())
	hb.HeartbeatInterval = backend.Seconds(d.heartbeatInterval())
	d.mu.Lock()
	hb.DoorOpen = d.doorOpen
	d.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Backend.Timeout.Duration)
	defer cancel()
	err := d.client.Heartbeat(ctx, hb)
	d.noteBackend(err)
	return err
}

// currentRejection is why the kiosk refused the last service list it
// was offered, or "" when a list has been staged or applied since: a
// refusal that a later list made good is history, not news for the
// fleet view.
func currentRejection(events []catalog.Event) string {
	for i := len(events) - 1; i >= 0; i-- {
		switch events[i].Kind {
		case catalog.EventRejected, catalog.EventFallback:
			return events[i].Reason
		case catalog.EventStaged, catalog.EventApplied:
			return ""
		}
	}
	return ""
}

func (d *Daemon) heartbeatInterval() time.Duration {
	if every := d.cfg.Backend.HeartbeatInterval.Duration; every > 0 {
		return every
	}
	return defaultHeartbeatInterval
}

func (d *Daemon) heartbeats(ctx context.Context) error {
	every := d.heartbeatInterval()
	for {
		if err := d.heartbeat(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("heartbeat failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-d.clock.After(every):
		}
	}
}
