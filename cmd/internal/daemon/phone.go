package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/henan-county/kiosk/drivers/phone"
	"github.com/henan-county/kiosk/drivers/phone/dutydesk"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/session"
)

// DeskPhone is the call to the 小牟帮办 duty desk, the adapter the
// resident's journey uses (docs/phone.md): the hall's desk by day, the
// county's on-call desk at night, through a supervised baresip. The
// journey hears of its call only: answered, or ended and why.
type DeskPhone struct {
	p          *phone.Phone
	day, night string
	nightFrom  int // minutes after midnight, county time
	nightTo    int
	now        func() time.Time
	log        *slog.Logger
	events     *eventlog.Log

	mu      sync.Mutex
	cur     phone.CallID
	update  func(session.CallUpdate)
	early   []phone.Event // events of a call whose Dial has not returned yet
	started time.Time
}

// openPhone builds the phone when [phone] has one; in simulator mode the
// phone calls the simulated duty desk with file audio. A kiosk without a
// phone (or whose phone cannot start) offers the hotline and the QR code.
func (d *Daemon) openPhone() {
	c := d.cfg.Phone
	dev := d.reg.Add(phone.Name, phone.DeviceKind)
	if !c.Enabled {
		dev.SetState(devices.NoDevice, nil)
		return
	}
	dir := c.Dir
	if dir == "" {
		dir = filepath.Join(d.cfg.State.Dir, "phone")
	}
	night := c.DeskNight
	if night == "" {
		night = c.DeskDay
	}
	from, _ := time.Parse("15:04", c.NightFrom) // checked by the config
	to, _ := time.Parse("15:04", c.NightTo)
	p := phone.New(phone.Config{Binary: c.Baresip, Dir: dir, Listen: c.Listen, User: c.User, Display: d.cfg.Kiosk.ID,
		Audio: c.Audio, AudioIn: c.AudioIn, AudioOut: c.AudioOut, DeskURIs: []string{c.DeskDay, night}, Device: dev},
		d.log.With("device", phone.Name))
	d.phone = &DeskPhone{p: p, day: c.DeskDay, night: night, nightFrom: from.Hour()*60 + from.Minute(),
		nightTo: to.Hour()*60 + to.Minute(), now: time.Now, log: d.log.With("device", phone.Name), events: d.events}
}

// Desk is the desk called at t.
func (dp *DeskPhone) Desk(t time.Time) string {
	lt := t.In(catalog.Local())
	m := lt.Hour()*60 + lt.Minute()
	isNight := m >= dp.nightFrom || m < dp.nightTo
	if dp.nightFrom < dp.nightTo { // a night inside one day
		isNight = m >= dp.nightFrom && m < dp.nightTo
	}
	if isNight {
		return dp.night
	}
	return dp.day
}

// Call dials the desk on duty now.
func (dp *DeskPhone) Call(ctx context.Context, update func(session.CallUpdate)) error {
	uri := dp.Desk(dp.now())
	id, err := dp.p.Dial(ctx, uri)
	if err != nil {
		return fmt.Errorf("call %s: %w", uri, err)
	}
	dp.events.Add("phone", "desk", "call to the duty desk "+uri, nil)
	dp.mu.Lock()
	dp.cur, dp.update, dp.started = id, update, dp.now()
	early := dp.early
	dp.early = nil
	dp.mu.Unlock()
	for _, ev := range early {
		dp.deliver(ev)
	}
	return nil
}

// HangUp ends the call on; none on is not an error.
func (dp *DeskPhone) HangUp(ctx context.Context) error {
	if err := dp.p.Hangup(ctx); err != nil && !errors.Is(err, phone.ErrUnavailable) {
		if st := dp.p.State(); st.Call == 0 {
			return nil
		}
		return err
	}
	return nil
}

// run passes the phone's news of the current call to the journey.
func (dp *DeskPhone) run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-dp.p.Events():
			if !ok {
				return nil
			}
			dp.deliver(ev)
		}
	}
}

func (dp *DeskPhone) deliver(ev phone.Event) {
	dp.mu.Lock()
	if ev.Call > dp.cur {
		dp.early = append(dp.early, ev) // Dial has not returned yet
		dp.mu.Unlock()
		return
	}
	up := dp.update
	if ev.Call != dp.cur || up == nil {
		dp.mu.Unlock()
		return
	}
	if ev.Kind == phone.Ended {
		dp.update = nil
	}
	started := dp.started
	dp.mu.Unlock()
	switch ev.Kind {
	case phone.Answered:
		dp.log.Info("duty desk answered", "after_ms", ev.At.Sub(started).Milliseconds())
		up(session.CallUpdate{Answered: true})
	case phone.Ended:
		dp.log.Info("call ended", "reason", string(ev.Reason), "desk_hung_up", ev.Remote, "seconds", int(ev.At.Sub(started).Seconds()))
		dp.events.Add("phone", "desk", "call ended: "+string(ev.Reason), nil)
		up(session.CallUpdate{Ended: true, Reason: string(ev.Reason)})
	}
}

// startDutyDesk starts the simulated duty desk on loopback and points the
// kiosk's phone at it, with file audio (no sound card needed).
func (w *simWorld) startDutyDesk(ctx context.Context, cfg *config.Config, dir string) error {
	deskPort, err := phone.FreeSIPAddr()
	if err != nil {
		return err
	}
	kioskPort, err := phone.FreeSIPAddr()
	if err != nil {
		return err
	}
	desk, err := dutydesk.Start(ctx, dutydesk.Config{Dir: filepath.Join(dir, "dutydesk"), Listen: deskPort,
		AnswerAfter: 3 * time.Second, Log: w.log.With("sim", "dutydesk")})
	if err != nil {
		return fmt.Errorf("duty desk: %w", err)
	}
	w.desk = desk
	voice := filepath.Join(dir, "phone-voice.wav")
	if err := phone.WriteTone(voice, 440, 3); err != nil {
		return fmt.Errorf("kiosk voice file: %w", err)
	}
	cfg.Phone = config.Phone{Enabled: true, Baresip: "baresip", Dir: filepath.Join(dir, "phone"), Listen: kioskPort,
		User: "kiosk", DeskDay: desk.URI(), DeskNight: desk.URI(), NightFrom: cfg.Phone.NightFrom, NightTo: cfg.Phone.NightTo,
		AnswerTimeout: cfg.Phone.AnswerTimeout, Audio: "file", AudioIn: voice, AudioOut: filepath.Join(dir, "phone-heard")}
	return os.MkdirAll(cfg.Phone.AudioOut, 0o750)
}

// DutyDesk is the simulated duty desk (nil outside simulator mode or
// without baresip).
func (w *simWorld) DutyDesk() *dutydesk.Desk { return w.desk }

// builtWith names the devices this kiosk was configured with (catalog
// device names): a matter needing another is shown with where it is done.
func (d *Daemon) builtWith() []string {
	out := []string{}
	add := func(ok bool, name string) {
		if ok {
			out = append(out, name)
		}
	}
	add(d.cfg.IDCard.Enabled, catalog.DeviceIDCard)
	add(d.cfg.Printer.Enabled, catalog.DevicePrinter)
	add(d.docs != nil, catalog.DeviceA4)
	add(d.cam != nil, catalog.DeviceCamera)
	add(d.cfg.Scanner.Enabled, catalog.DeviceScanner)
	add(d.payer != nil, catalog.DevicePayment)
	return out
}

// phoneCheck is the phone's self-test: baresip running and ready to call
// the desk on duty now. It places no call (that would ring the desk).
func (d *Daemon) phoneCheck() admin.Check {
	if d.phone == nil {
		return admin.Check{Device: phone.Name, Name: "baresip", Pass: !d.cfg.Phone.Enabled, Detail: "no phone configured"}
	}
	st := d.phone.p.State()
	c := admin.Check{Device: phone.Name, Name: "baresip (" + string(st.State) + ")",
		Detail: fmt.Sprintf("desk now %s; restarts %d", d.phone.Desk(d.now()), st.Restarts)}
	switch st.State {
	case phone.StateIdle, phone.StateDialing, phone.StateRinging, phone.StateInCall:
		c.Pass = true
	default:
		if st.Err != nil {
			c.Detail = st.Err.Error()
		}
		c.Remedy = "检查 baresip 是否已安装，扬声器和麦克风是否接好，[phone] 配置是否正确"
		c.RemedyEN = "check that baresip is installed, the speaker and microphone are connected, and [phone] is right"
	}
	return c
}

// SetDesk makes the simulated duty desk answer, let calls ring, or refuse.
func (w *simWorld) SetDesk(mode string) error {
	if w.desk == nil {
		return fmt.Errorf("no simulated duty desk (baresip missing?): %w", admin.ErrUnavailable)
	}
	switch mode {
	case admin.DeskAnswer:
		w.desk.SetNoAnswer(false)
		w.desk.SetBusy(false)
	case admin.DeskNoAnswer:
		w.desk.SetBusy(false)
		w.desk.SetNoAnswer(true)
	case admin.DeskBusy:
		w.desk.SetNoAnswer(false)
		w.desk.SetBusy(true)
	default:
		return fmt.Errorf("desk mode %q: want answer, no-answer or busy: %w", mode, admin.ErrBadRequest)
	}
	w.mu.Lock()
	w.deskMode = mode
	w.mu.Unlock()
	return nil
}

// Desk is the simulated duty desk's mode and calls.
func (w *simWorld) Desk() admin.SimDeskState {
	if w.desk == nil {
		return admin.SimDeskState{}
	}
	w.mu.Lock()
	mode := w.deskMode
	w.mu.Unlock()
	if mode == "" {
		mode = admin.DeskAnswer
	}
	return admin.SimDeskState{Mode: mode, URI: w.desk.URI(), Calls: w.desk.Calls()}
}

var _ admin.SimDesk = (*simWorld)(nil)
