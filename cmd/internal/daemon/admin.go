package daemon

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/outbox"
)

var _ admin.Kiosk = (*Daemon)(nil)

// Status reports the whole kiosk for kioskctl status and heartbeats.
func (d *Daemon) Status(ctx context.Context) admin.Status {
	now := d.now()
	d.mu.Lock()
	st := admin.Status{
		KioskID: d.cfg.Kiosk.ID, Hall: d.cfg.Kiosk.Hall, Version: d.version, Sim: d.sim != nil,
		StartedAt: d.started, UptimeSec: now.Sub(d.started).Seconds(),
		Maintenance: d.maintenance, MaintenanceUntil: d.maintUntil, Screen: d.screenName(),
		Backend: admin.BackendInfo{URL: d.cfg.Backend.URL, LastError: d.beatErr, LastContact: d.lastBeat},
	}
	d.mu.Unlock()
	st.Devices = d.reg.All()
	if b, ok := d.reg.Get(devices.Backend); ok {
		st.Backend.Reachable = b.State.Usable()
	}
	st.Catalog = d.catalogInfo()
	if d.ob != nil {
		st.Outbox.Depth = d.ob.Depth()
		st.Outbox.OldestAgeSec = d.ob.OldestAge().Seconds()
		if items, err := d.ob.List(); err == nil {
			for _, it := range items {
				if it.State == outbox.Parked {
					st.Outbox.Parked++
				}
			}
		}
	}
	return st
}

func (d *Daemon) catalogInfo() admin.CatalogInfo {
	a := d.store.Active()
	s := d.store.Status(d.now())
	info := admin.CatalogInfo{
		Version: a.Version, Hash: a.Hash(), IssuedAt: a.IssuedAt, ExpiresAt: a.ExpiresAt,
		Stale: s.Stale, Services: len(a.Services), AtKiosks: a.KioskCount(), Source: s.Source, Pending: s.PendingVersion,
		NotInRollout: s.NotInRollout,
	}
	if s.LastRejection != nil {
		info.LastRejection = fmt.Sprintf("%s v%d: %s", s.LastRejection.Time.Format(time.RFC3339), s.LastRejection.Version, s.LastRejection.Reason)
	}
	return info
}

func splitRemedy(r string) (zh, en string) {
	zh, en, _ = strings.Cut(r, " / ")
	return zh, en
}

// SelfTest runs every device's self-test, or one device's.
func (d *Daemon) SelfTest(ctx context.Context, device string) ([]admin.Check, error) {
	all := device == ""
	known := map[string]bool{devices.IDCard: true, devices.Printer: true, devices.Scanner: true, "camera": true, "phone": true, devices.GPIO: true, devices.Backend: true, "outbox": true, "catalog": true}
	if !all && !known[device] {
		return nil, fmt.Errorf("no device %q (idcard, printer, scanner, camera, phone, gpio, backend, outbox, catalog): %w", device, admin.ErrNotFound)
	}
	var out []admin.Check
	if all || device == devices.IDCard {
		if d.reader == nil {
			out = append(out, admin.Check{Device: devices.IDCard, Name: "configured", Pass: false, Detail: "no reader configured",
				Remedy: "在配置文件 [idcard] 中设置 port", RemedyEN: "set [idcard] port in the config"})
		} else {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			t := d.reader.SelfTest(cctx)
			cancel()
			zh, en := splitRemedy(t.Remedy)
			detail := fmt.Sprintf("%s at %d baud; SAM %s %s", t.Port, t.Baud, t.SAMID, t.SAMStatus)
			if t.Error != "" {
				detail = t.Error
			}
			out = append(out, admin.Check{Device: devices.IDCard, Name: "SAM module (" + t.Verdict + ")", Pass: t.OK, Detail: detail, Remedy: zh, RemedyEN: en})
		}
	}
	if all || device == devices.Printer {
		if d.printer == nil {
			out = append(out, admin.Check{Device: devices.Printer, Name: "configured", Pass: false, Detail: "no printer configured",
				Remedy: "在配置文件 [printer] 中设置 port", RemedyEN: "set [printer] port in the config"})
		} else {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			t := d.printer.SelfTest(cctx)
			cancel()
			zh, en := splitRemedy(t.Remedy)
			detail := t.Verdict
			if t.Err != "" {
				detail += ": " + t.Err
			}
			out = append(out, admin.Check{Device: devices.Printer, Name: "status", Pass: t.OK, Detail: detail, Remedy: zh, RemedyEN: en})
		}
	}
	if all || device == devices.Scanner {
		out = append(out, d.scannerCheck())
	}
	if all || device == "camera" {
		out = append(out, d.cameraCheck(ctx))
	}
	if all || device == "phone" {
		out = append(out, d.phoneCheck())
	}
	if all || device == devices.GPIO {
		if d.bank == nil {
			st, _ := d.reg.Get(devices.GPIO)
			out = append(out, admin.Check{Device: devices.GPIO, Name: "pins", Pass: !d.cfg.GPIO.Enabled, Detail: "no GPIO: " + st.LastError,
				Remedy: "检查 [gpio] 配置中的引脚名称", RemedyEN: "check the pin names in [gpio]"})
		} else {
			// The switch as it reads now, not as the event loop last heard
			// it: a technician who just shut the door wants the check to say so.
			door, err := d.bank.Read(gpio.Door)
			if err != nil {
				d.mu.Lock()
				door = d.doorOpen
				d.mu.Unlock()
			}
			out = append(out, admin.Check{Device: devices.GPIO, Name: "pins", Pass: true, Detail: fmt.Sprintf("%d pins", len(d.bank.List()))})
			c := admin.Check{Device: devices.GPIO, Name: "cabinet door", Pass: !door, Detail: "closed"}
			if door {
				c.Detail, c.Remedy, c.RemedyEN = "open", "关好机柜门", "close the cabinet door"
			}
			out = append(out, c)
		}
	}
	if all || device == devices.Backend {
		c := admin.Check{Device: devices.Backend, Name: "reachable", Detail: d.cfg.Backend.URL}
		if d.client == nil {
			c.Detail = "no backend configured"
			c.Remedy, c.RemedyEN = "在配置文件 [backend] 中设置 url 和证书", "set [backend] url and certificates in the config"
		} else if err := d.heartbeat(ctx); err != nil {
			c.Detail = err.Error()
			c.Remedy, c.RemedyEN = "检查网络连接和客户端证书；交易会保存在本机待发送", "check the network and the client certificate; transactions wait safely in the outbox"
		} else {
			c.Pass = true
		}
		out = append(out, c)
	}
	if all || device == "outbox" {
		c := admin.Check{Device: "outbox", Name: "delivery", Pass: true}
		st := d.Status(ctx)
		c.Detail = fmt.Sprintf("%d waiting, %d parked, oldest %s", st.Outbox.Depth, st.Outbox.Parked, time.Duration(st.Outbox.OldestAgeSec*float64(time.Second)).Round(time.Second))
		if st.Outbox.Parked > 0 {
			c.Pass = false
			c.Remedy, c.RemedyEN = "用 kioskctl outbox ls 查看被拒原因，处理后 kioskctl outbox retry", "see why with kioskctl outbox ls, then kioskctl outbox retry"
		}
		out = append(out, c)
	}
	if all || device == "catalog" {
		info := d.catalogInfo()
		c := admin.Check{Device: "catalog", Name: "service list", Pass: !info.Stale, Detail: fmt.Sprintf("v%d, %d matters, expires %s", info.Version, info.Services, info.ExpiresAt.Format("2006-01-02"))}
		if info.Stale {
			c.Remedy, c.RemedyEN = "事项清单已过期，请联系县运维中心发布新清单", "the service list has expired: ask county operations to publish a new one"
		}
		out = append(out, c)
	}
	return out, nil
}

// TestPrint prints the printer's test page.
func (d *Daemon) TestPrint(ctx context.Context) error {
	if d.printer == nil {
		return fmt.Errorf("no printer configured: %w", admin.ErrUnavailable)
	}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return d.printer.TestPage(cctx)
}

// PrintJobs lists the receipts the slip printer keeps for reprinting and
// the A4 documents the kiosk keeps (admin.A4JobBase numbers them).
func (d *Daemon) PrintJobs(ctx context.Context) ([]admin.PrintJob, error) {
	if d.printer == nil && d.docs == nil {
		return nil, fmt.Errorf("no printer configured: %w", admin.ErrUnavailable)
	}
	var out []admin.PrintJob
	if d.printer != nil {
		for _, j := range d.printer.Jobs() {
			out = append(out, jobOf(j))
		}
	}
	if d.docs != nil {
		a4, err := d.docs.a4Jobs()
		if err != nil {
			return out, err
		}
		out = append(out, a4...)
	}
	return out, nil
}

// Reprint prints a kept receipt again, marked as a reprint, or a kept A4
// document again (deleted once it has printed).
func (d *Daemon) Reprint(ctx context.Context, id int64) (admin.PrintJob, error) {
	if admin.IsA4Job(id) {
		if d.docs == nil {
			return admin.PrintJob{}, fmt.Errorf("no A4 printer configured: %w", admin.ErrUnavailable)
		}
		return d.docs.reprint(ctx, id)
	}
	if d.printer == nil {
		return admin.PrintJob{}, fmt.Errorf("no printer configured: %w", admin.ErrUnavailable)
	}
	d.events.Add("admin", devices.Printer, fmt.Sprintf("technician reprint of job %d", id), nil)
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	j, err := d.printer.Reprint(cctx, id)
	if errors.Is(err, escpos.ErrNoJob) {
		return admin.PrintJob{}, fmt.Errorf("%v (kioskctl print jobs lists them): %w", err, admin.ErrNotFound)
	}
	return jobOf(j), err
}

func jobOf(j escpos.Job) admin.PrintJob {
	return admin.PrintJob{ID: j.ID, Printer: admin.PrinterReceipt, State: string(j.State), Created: j.Created, Updated: j.Updated,
		Bytes: j.Bytes, Sent: j.Sent, Attempts: j.Attempts, Error: j.Err}
}

// CardReadTest reads one card through the running reader, masked.
func (d *Daemon) CardReadTest(ctx context.Context, wait time.Duration) (admin.CardRead, error) {
	if d.reader == nil {
		return admin.CardRead{}, fmt.Errorf("no card reader configured: %w", admin.ErrUnavailable)
	}
	if d.host.InSession() {
		return admin.CardRead{}, fmt.Errorf("a resident is using the kiosk: %w", admin.ErrUnavailable)
	}
	c, err := d.reader.ReadOnce(ctx, wait)
	if err != nil {
		return admin.CardRead{}, err
	}
	defer c.Wipe()
	r := admin.CardRead{Type: string(c.Type), Name: mask.Name(c.Name), IDNumber: mask.ID(c.IDNumber), IDNumberValid: c.IDNumberValid}
	if c.LongTerm {
		r.ValidTo = "长期"
	} else if !c.ValidTo.IsZero() {
		r.ValidTo = c.ValidTo.Format("2006-01-02")
	}
	return r, nil
}

func (d *Daemon) needBank() error {
	if d.bank == nil {
		return fmt.Errorf("no GPIO on this kiosk: %w", admin.ErrUnavailable)
	}
	return nil
}

func gpioErr(err error) error {
	if err != nil && strings.Contains(err.Error(), "unknown") {
		return fmt.Errorf("%v: %w", err, admin.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%v: %w", err, admin.ErrBadRequest)
	}
	return nil
}

// GPIOList lists the pins.
func (d *Daemon) GPIOList(ctx context.Context) ([]admin.Pin, error) {
	if err := d.needBank(); err != nil {
		return nil, err
	}
	var out []admin.Pin
	for _, p := range d.bank.List() {
		out = append(out, admin.Pin{Name: p.Name, BoardName: p.Board, Direction: string(p.Direction), On: p.On})
	}
	return out, nil
}

// GPIOSet sets an output.
func (d *Daemon) GPIOSet(ctx context.Context, name string, on bool) error {
	if err := d.needBank(); err != nil {
		return err
	}
	d.events.Add("admin", devices.GPIO, fmt.Sprintf("technician set %s %v", name, on), nil)
	return gpioErr(d.bank.Set(name, on))
}

// GPIOPulse pulses an output.
func (d *Daemon) GPIOPulse(ctx context.Context, name string, dur time.Duration) error {
	if err := d.needBank(); err != nil {
		return err
	}
	d.events.Add("admin", devices.GPIO, fmt.Sprintf("technician pulsed %s for %s", name, dur), nil)
	return gpioErr(d.bank.Pulse(name, dur))
}

// PowerCycle cuts and restores a device's power through its relay.
func (d *Daemon) PowerCycle(ctx context.Context, device string) error {
	if _, ok := gpio.RelayFor(device); !ok {
		return fmt.Errorf("no relay for %q (printer or idcard): %w", device, admin.ErrNotFound)
	}
	if err := d.needBank(); err != nil {
		return err
	}
	d.events.Add("admin", device, "technician power cycle", nil)
	return d.bank.PowerCycle(ctx, device)
}

// OutboxList lists the outbox, masked.
func (d *Daemon) OutboxList(ctx context.Context) ([]admin.OutboxItem, error) {
	items, err := d.ob.List()
	if err != nil {
		return nil, err
	}
	pays, err := d.PaymentList(ctx)
	if err != nil {
		return nil, err
	}
	byTx := map[string]*admin.PaymentItem{}
	for i := range pays {
		byTx[pays[i].TxID] = &pays[i]
	}
	out := make([]admin.OutboxItem, 0, len(items))
	for _, it := range items {
		o := admin.OutboxItem{ID: it.ID, Service: it.ServiceID, State: string(it.State), Attempts: it.Attempts,
			LastError: it.LastError, Created: it.Created, TrackingNo: it.TrackingNo, Payment: byTx[it.ID]}
		delete(byTx, it.ID)
		out = append(out, o)
	}
	for i := range pays {
		if p := &pays[i]; byTx[p.TxID] != nil {
			out = append(out, admin.OutboxItem{ID: p.TxID, Service: p.Service, State: "payment", Created: p.Updated, Payment: p})
		}
	}
	return out, nil
}

// OutboxRetry un-parks one transaction, or every parked one.
func (d *Daemon) OutboxRetry(ctx context.Context, id string) (int, error) {
	if id != "" {
		if err := d.ob.Retry(id); err != nil {
			if errors.Is(err, outbox.ErrNotFound) {
				return 0, fmt.Errorf("%v: %w", err, admin.ErrNotFound)
			}
			return 0, err
		}
		d.events.Add("admin", "outbox", "technician retried "+id, nil)
		return 1, nil
	}
	items, err := d.ob.List()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if it.State == outbox.Parked {
			if err := d.ob.Retry(it.ID); err == nil {
				n++
			}
		}
	}
	d.events.Add("admin", "outbox", fmt.Sprintf("technician retried %d parked transactions", n), nil)
	return n, nil
}

// InstallCatalog verifies and stages a service list from a technician; it
// is applied between sessions.
func (d *Daemon) InstallCatalog(ctx context.Context, data, sig []byte) (admin.CatalogInfo, error) {
	if len(sig) == 0 {
		return admin.CatalogInfo{}, fmt.Errorf("the signature (FILE.minisig) is missing: %w", admin.ErrBadRequest)
	}
	c, err := d.store.Stage(data, sig)
	if errors.Is(err, catalog.ErrNotInRollout) {
		d.events.Add("catalog", "admin", "service list from technician not in rollout for this hall; kept the current one", nil)
		return admin.CatalogInfo{}, fmt.Errorf("%v (kiosk.hall %q): %w", err, d.cfg.Kiosk.Hall, admin.ErrBadRequest)
	}
	if err != nil {
		d.events.Add("catalog", "admin", "service list from technician rejected: "+err.Error(), nil)
		d.metrics.catalogRejections.Inc()
		return admin.CatalogInfo{}, fmt.Errorf("%v: %w", err, admin.ErrBadRequest)
	}
	if c == d.store.Active() {
		// The list running, perhaps signed again with another rollout.
		d.events.Add("catalog", "admin", fmt.Sprintf("service list v%d from technician is the one running", c.Version), nil)
		return admin.CatalogInfo{Version: c.Version, Hash: c.Hash(), IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, Services: len(c.Services), AtKiosks: c.KioskCount()}, nil
	}
	// The session host applies it between residents' sessions.
	d.events.Add("catalog", "admin", fmt.Sprintf("service list v%d staged by technician", c.Version), nil)
	return admin.CatalogInfo{Version: c.Version, Hash: c.Hash(), IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, Services: len(c.Services), AtKiosks: c.KioskCount()}, nil
}

// screenName is what the screen shows, for kioskctl status: the
// resident's screen, or tech:SCREEN while the technician mode is open.
func (d *Daemon) screenName() string {
	v := d.host.View()
	if v.Tech != nil {
		return "tech:" + string(v.Tech.Screen)
	}
	return string(v.Session.Screen)
}

// SetMaintenance turns maintenance mode on or off; until ("15:30", see
// admin.ParseUntil) is when the technician expects the kiosk back, told
// to residents on the maintenance screen.
func (d *Daemon) SetMaintenance(ctx context.Context, on bool, until string) error {
	var at time.Time
	if on {
		var err error
		if at, err = admin.ParseUntil(until, d.now()); err != nil {
			return err
		}
	}
	d.mu.Lock()
	d.maintenance, d.maintUntil = on, at
	d.mu.Unlock()
	text := fmt.Sprintf("maintenance %v", on)
	if !at.IsZero() {
		text += " until " + at.In(admin.CountyTime).Format("2006-01-02 15:04")
	}
	d.events.Add("admin", "kiosk", text, nil)
	d.postEvent(host.SetMaintenance{On: on, Until: at})
	return nil
}

// Events returns the recent-events ring.
func (d *Daemon) Events() *eventlog.Log { return d.events }

// Sim returns the simulated devices, or nil on real hardware.
func (d *Daemon) Sim() admin.Sim {
	if d.sim == nil {
		return nil
	}
	return d.sim
}
