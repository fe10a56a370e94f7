package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/drivers/scanner"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/scancode"
	"github.com/henan-county/kiosk/kiosk/session"
)

// ScannedCode is one scan as the daemon hands it on: the code classified
// by kiosk/scancode, or why the scan was not a code. Code.Text is
// personal data (a payment code is money); anything that logs it uses
// scancode.Mask.
type ScannedCode struct {
	Code scancode.Code
	// Err is set when the scan is no code the kiosk takes: a line the
	// scanner garbled or cut (scanner.ErrGarbage, scanner.ErrTooLong), or
	// a code of no known kind (scancode.ErrUnknown).
	Err  error
	Time time.Time
}

// openScanner builds the code scanner when [scanner] has one; in
// simulator mode buildSim has pointed the config at the simulated one. A
// kiosk without a scanner reports it as no device and runs on.
func (d *Daemon) openScanner() {
	dev := d.reg.Add(devices.Scanner, devices.KindScanner)
	c := d.cfg.Scanner
	if !c.Enabled {
		dev.SetState(devices.NoDevice, nil)
		return
	}
	s, err := scanner.New(&scanner.Opts{
		Path: c.Port, Baud: c.Baud, Input: c.Input, Suffix: c.Suffix,
		Logger: d.log, Device: dev, Now: d.now, // the scanner names itself (device, line)
	})
	if err != nil {
		d.log.Warn("code scanner unavailable; the kiosk runs without it", "setting", "[scanner]", "err", err)
		dev.SetState(devices.NoDevice, err)
		return
	}
	d.scanner = s
}

// scanEvents drains the scanner: each scan is classified, logged and
// recorded masked, and handed to Options.OnScan. The resident's journey
// takes every scan too (session.Scanned) and uses it only on a screen
// that wants a code: payment codes on the payment screen, receipt QR
// codes and tracking numbers in 办件进度查询's field.
func (d *Daemon) scanEvents(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case sc, ok := <-d.scanner.Scans():
			if !ok {
				return nil
			}
			d.handleScan(sc)
		}
	}
}

func (d *Daemon) handleScan(sc scanner.Scan) {
	ev := ScannedCode{Time: sc.Time, Err: sc.Err}
	if sc.Err == nil {
		ev.Code, ev.Err = scancode.Classify(sc.Text, &scancode.Opts{TrackURLs: d.trackURLs()})
	}
	masked := scancode.Mask(sc.Text)
	switch {
	case sc.Err != nil:
		d.log.Warn("scan is not a code", "err", sc.Err)
		d.events.Add("device", devices.Scanner, "scan rejected: "+sc.Err.Error(), nil)
	case ev.Err != nil:
		d.log.Info("code scanned", "kind", string(ev.Code.Kind), "code", masked, "length", len(sc.Text), "why", ev.Err.Error())
		d.events.Add("device", devices.Scanner, "code scanned: "+string(ev.Code.Kind),
			map[string]string{"code": masked, "why": ev.Err.Error()})
	default:
		d.log.Info("code scanned", "kind", string(ev.Code.Kind), "provider", string(ev.Code.Provider), "code", masked, "length", len(sc.Text))
		d.events.Add("device", devices.Scanner, "code scanned: "+string(ev.Code.Kind), map[string]string{"code": masked})
	}
	if d.onScan != nil {
		d.onScan(ev)
	}
	// The journey decides whether its screen wants a code, and checks it
	// again (kiosk/session): a payment code is charged only on the
	// payment screen, a receipt's code read only into a tracking field.
	if d.host != nil {
		d.host.Post(session.Scanned{Text: sc.Text})
	}
}

// scannerCheck is the scanner's self-test: it only listens, so its state
// is the test. No scanner configured passes (a kiosk may have none); one
// still starting passes too.
func (d *Daemon) scannerCheck() admin.Check {
	st, _ := d.reg.Get(devices.Scanner)
	c := admin.Check{Device: devices.Scanner, Name: "line", Pass: true, Detail: string(st.State)}
	switch {
	case d.scanner == nil:
		c.Detail = "no scanner configured"
	case st.State == devices.Online || st.State == devices.Starting:
		c.Detail = fmt.Sprintf("%s, %s; %d scans, %d rejected", st.State, st.Detail["mode"], st.Counters["scans"], st.Counters["rejected"])
	default:
		c.Pass = false
		c.Detail = string(st.State) + ": " + st.LastError
		c.Remedy, c.RemedyEN = "检查扫码器的连接线和 [scanner] 配置；停止 kioskd 后用 kioskctl diag scanner 测试",
			"check the scanner's cable and [scanner] in the config; test it with kioskctl diag scanner while kioskd is stopped"
	}
	return c
}

// trackURLs are the receipt QR addresses the active service list prints.
func (d *Daemon) trackURLs() []string {
	if d.store == nil {
		return nil
	}
	if c := d.store.Active(); c != nil && c.TrackURL != "" {
		return []string{c.TrackURL}
	}
	return nil
}

// Scan makes the simulated code scanner send text as one scan, through
// its pty to the daemon's real serial code.
func (w *simWorld) Scan(text string) error {
	if w.scan == nil {
		return fmt.Errorf("no simulated scanner: %w", admin.ErrUnavailable)
	}
	if err := w.scan.Scan(text); err != nil {
		return fmt.Errorf("%v: %w", err, admin.ErrUnavailable)
	}
	w.log.Info("simulated code scanned", "code", scancode.Mask(text))
	return nil
}

// ScanIdentityCode shows the scanner the electronic ID code the simulated
// backend issues now for the resident of a card fixture, as the resident's
// phone would.
func (w *simWorld) ScanIdentityCode(fixture string) error {
	card, ok := idcardsim.Fixture(fixture)
	if !ok {
		return fmt.Errorf("no card fixture %q (kioskctl sim card fixtures lists them): %w", fixture, admin.ErrNotFound)
	}
	defer card.Wipe()
	if card.Type != identity.ResidentID {
		return fmt.Errorf("fixture %q is not a resident ID card; electronic ID codes are for residents: %w", fixture, admin.ErrBadRequest)
	}
	return w.Scan(countysim.IdentityCode(card.IDNumber, card.Name, time.Now()))
}
