package techmode

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/techauth"
)

// Screen names a technician screen. Closed means the mode is not shown.
type Screen string

// The screens.
const (
	Closed         Screen = ""
	ScreenPIN      Screen = "pin"
	ScreenMenu     Screen = "menu"
	ScreenDevices  Screen = "devices"
	ScreenSelfTest Screen = "selftest"
	ScreenPrint    Screen = "print"
	ScreenCardRead Screen = "cardread"
	ScreenGPIO     Screen = "gpio"
	ScreenBackend  Screen = "backend"
	ScreenOutbox   Screen = "outbox"
	ScreenCatalog  Screen = "catalog"
	ScreenEvents   Screen = "events"
)

// MenuScreens are the menu's entries, in order.
var MenuScreens = []Screen{ScreenDevices, ScreenSelfTest, ScreenPrint, ScreenCardRead, ScreenGPIO,
	ScreenBackend, ScreenOutbox, ScreenCatalog, ScreenEvents}

// SelfTestDevices are the devices the self-test screen offers.
var SelfTestDevices = []string{devices.IDCard, devices.Printer, devices.GPIO, devices.Backend, "outbox", "catalog"}

// Opts tune the machine; nil or zero fields take the defaults.
type Opts struct {
	Now      func() time.Time
	Idle     time.Duration // no touch for this long closes the mode (120 s)
	Refresh  time.Duration // live screens reload this often (2 s)
	PINMin   int           // digits needed before Enter (4)
	PINMax   int           // digits accepted (12)
	CardWait time.Duration // card read test waits this long for a card (15 s)
	Events   int           // recent events shown (40)
}

// DefaultOpts are the defaults.
var DefaultOpts = Opts{Idle: 120 * time.Second, Refresh: 2 * time.Second, PINMin: 4, PINMax: 12,
	CardWait: 15 * time.Second, Events: 40}

// Machine is the technician mode. It is not safe for concurrent use: the
// UI's game loop owns it.
type Machine struct {
	o Opts

	screen    Screen
	epoch     uint64
	rev       uint64
	lastTouch time.Time
	lastLoad  time.Time
	shownSec  int // idle countdown second last shown (-1: none)
	pending   map[string]bool

	pin      []byte
	checking bool
	msg      string
	tone     Tone

	status    *admin.Status
	checks    []admin.Check
	checkErr  string
	checkDev  string
	printMsg  string
	printTone Tone
	card      *admin.CardRead
	cardMsg   string
	cardTone  Tone
	pins      []admin.Pin
	gpioErr   string
	items     []admin.OutboxItem
	outboxErr string
	retryMsg  string
	events    []eventlog.Event
}

// New returns a closed machine.
func New(o *Opts) *Machine {
	opts := DefaultOpts
	if o != nil {
		if o.Now != nil {
			opts.Now = o.Now
		}
		if o.Idle > 0 {
			opts.Idle = o.Idle
		}
		if o.Refresh > 0 {
			opts.Refresh = o.Refresh
		}
		if o.PINMin > 0 {
			opts.PINMin = o.PINMin
		}
		if o.PINMax > 0 {
			opts.PINMax = max(o.PINMax, opts.PINMin)
		}
		if o.CardWait > 0 {
			opts.CardWait = o.CardWait
		}
		if o.Events > 0 {
			opts.Events = o.Events
		}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Machine{o: opts, pending: map[string]bool{}}
}

// IsOpen reports whether the mode is shown.
func (m *Machine) IsOpen() bool { return m.screen != Closed }

// Screen returns the current screen.
func (m *Machine) Screen() Screen { return m.screen }

// Handle feeds one event and returns the requests to run.
func (m *Machine) Handle(ev Event) []Request {
	now := m.o.Now()
	var out []Request
	if m.screen == Closed {
		if _, ok := ev.(Open); !ok {
			return nil // answers from an earlier visit, ticks while closed
		}
	}
	switch ev.(type) {
	case Tick, PINResult, StatusResult, ChecksResult, PrintResult, CardResult, GPIOResult, SetPinResult,
		OutboxResult, RetryResult, EventsResult:
	default:
		m.lastTouch = now
	}
	switch e := ev.(type) {
	case Open:
		if m.screen != Closed {
			return nil
		}
		m.reset()
		m.epoch++
		m.screen = ScreenPIN
		m.lastTouch = now
		m.shownSec = -1
	case Digit:
		if m.screen == ScreenPIN && !m.checking && e.D >= '0' && e.D <= '9' && len(m.pin) < m.o.PINMax {
			m.pin = append(m.pin, e.D)
			m.msg, m.tone = "", Info
		}
	case Erase:
		if m.screen == ScreenPIN && len(m.pin) > 0 && !m.checking {
			m.pin[len(m.pin)-1] = 0
			m.pin = m.pin[:len(m.pin)-1]
		}
	case Enter:
		if m.screen != ScreenPIN || m.checking {
			break
		}
		if len(m.pin) < m.o.PINMin {
			m.msg, m.tone = "请输入至少 "+strconv.Itoa(m.o.PINMin)+" 位数字 · Enter at least "+strconv.Itoa(m.o.PINMin)+" digits", Bad
			break
		}
		out = append(out, CheckPIN{Epoch: m.epoch, PIN: string(m.pin)})
		m.clearPIN()
		m.checking = true
		m.msg, m.tone = "正在验证 · Checking…", Info
	case PINResult:
		if e.Epoch != m.epoch || !m.checking {
			break
		}
		m.checking = false
		if e.Err == nil {
			m.msg, m.tone = "", Info
			out = m.goTo(ScreenMenu, now, out)
			break
		}
		m.msg, m.tone = pinMessage(e.Err), Bad
	case Go:
		if m.screen != ScreenPIN {
			out = m.goTo(e.To, now, out)
		}
	case Back:
		switch m.screen {
		case ScreenPIN, ScreenMenu:
			m.close()
		default:
			out = m.goTo(ScreenMenu, now, out)
		}
	case Exit:
		m.close()
	case Touch:
	case RunSelfTest:
		if m.screen == ScreenSelfTest || m.screen == ScreenBackend {
			m.checkDev, m.checks, m.checkErr = e.Device, nil, ""
			out = m.request(RunChecks{Epoch: m.epoch, Device: e.Device}, out)
		}
	case StartTestPrint:
		if m.screen == ScreenPrint && !m.pending["print"] {
			m.printMsg, m.printTone = "正在打印测试回执 · Printing a test receipt…", Info
			out = m.request(PrintTest{Epoch: m.epoch}, out)
		}
	case StartCardRead:
		if m.screen == ScreenCardRead && !m.pending["card"] {
			m.card = nil
			m.cardMsg, m.cardTone = "请在读卡器上放身份证（"+strconv.Itoa(int(m.o.CardWait.Seconds()))+" 秒内）· Place a card on the reader", Info
			out = m.request(ReadCard{Epoch: m.epoch, Wait: m.o.CardWait}, out)
		}
	case ToggleGPIO:
		if m.screen == ScreenGPIO && !m.pending["setpin"] {
			for _, p := range m.pins {
				if p.Name == e.Name && p.Direction == "out" {
					out = m.request(SetPin{Epoch: m.epoch, Name: p.Name, On: !p.On}, out)
				}
			}
		}
	case RetryParked:
		if m.screen == ScreenOutbox && !m.pending["retry"] {
			m.retryMsg = ""
			out = m.request(RetryOutbox{Epoch: m.epoch}, out)
		}
	case Tick:
		if now.Sub(m.lastTouch) >= m.o.Idle {
			m.close()
			break
		}
		if m.screen != ScreenPIN && now.Sub(m.lastLoad) >= m.o.Refresh {
			out = m.load(now, out)
		}
	default:
		out = m.answer(ev, out)
	}
	if _, tick := ev.(Tick); !tick || len(out) > 0 || m.screen == Closed || m.countdown(now) {
		m.rev++ // a tick that changes nothing shown leaves the screen alone
	}
	return out
}

// countdown reports whether the idle countdown (shown in its last 30 s)
// moved to another second.
func (m *Machine) countdown(now time.Time) bool {
	left := m.o.Idle - now.Sub(m.lastTouch)
	sec := -1
	if left <= 30*time.Second {
		sec = int((left + time.Second/2) / time.Second)
	}
	changed := sec != m.shownSec
	m.shownSec = sec
	return changed
}

func (m *Machine) answer(ev Event, out []Request) []Request {
	switch e := ev.(type) {
	case StatusResult:
		if m.done(e.Epoch, "status") {
			s := maskStatus(e.Status)
			m.status = &s
		}
	case ChecksResult:
		if m.done(e.Epoch, "checks") && e.Device == m.checkDev {
			m.checks = maskChecks(e.Checks)
			m.checkErr = errText(e.Err)
		}
	case PrintResult:
		if m.done(e.Epoch, "print") {
			if e.Err != nil {
				m.printMsg, m.printTone = "打印失败 · Print failed: "+errText(e.Err), Bad
			} else {
				m.printMsg, m.printTone = "已打印，请检查纸上内容 · Printed: check the paper", Good
			}
		}
	case CardResult:
		if m.done(e.Epoch, "card") {
			if e.Err != nil {
				m.card = nil
				m.cardMsg, m.cardTone = "读卡失败 · Read failed: "+errText(e.Err), Bad
			} else {
				c := maskCard(e.Read)
				m.card = &c
				m.cardMsg, m.cardTone = "读卡成功（已遮蔽）· Card read (masked)", Good
			}
		}
	case GPIOResult:
		if m.done(e.Epoch, "gpio") {
			m.pins, m.gpioErr = e.Pins, errText(e.Err)
		}
	case SetPinResult:
		if m.done(e.Epoch, "setpin") {
			if e.Err != nil {
				m.gpioErr = e.Name + ": " + errText(e.Err)
			} else {
				m.gpioErr = ""
				for i := range m.pins {
					if m.pins[i].Name == e.Name {
						m.pins[i].On = e.On
					}
				}
				out = m.request(LoadGPIO{Epoch: m.epoch}, out)
			}
		}
	case OutboxResult:
		if m.done(e.Epoch, "outbox") {
			m.items, m.outboxErr = maskItems(e.Items), errText(e.Err)
		}
	case RetryResult:
		if m.done(e.Epoch, "retry") {
			if e.Err != nil {
				m.retryMsg = "重试失败 · Retry failed: " + errText(e.Err)
			} else {
				m.retryMsg = strconv.Itoa(e.N) + " 笔已重新排队 · " + strconv.Itoa(e.N) + " re-queued"
				out = m.request(LoadOutbox{Epoch: m.epoch}, out)
			}
		}
	case EventsResult:
		if m.done(e.Epoch, "events") {
			m.events = maskEvents(e.Events)
		}
	}
	return out
}

// done marks a request kind answered; it reports whether the answer
// belongs to this visit.
func (m *Machine) done(epoch uint64, kind string) bool {
	if epoch != m.epoch {
		return false
	}
	m.pending[kind] = false
	return true
}

func (m *Machine) request(r Request, out []Request) []Request {
	if m.pending[r.kind()] {
		return out
	}
	m.pending[r.kind()] = true
	return append(out, r)
}

func (m *Machine) goTo(s Screen, now time.Time, out []Request) []Request {
	known := s == ScreenMenu
	for _, k := range MenuScreens {
		known = known || k == s
	}
	if !known {
		return out
	}
	if s != m.screen {
		m.printMsg, m.cardMsg, m.retryMsg = "", "", ""
		m.card = nil
	}
	m.screen = s
	return m.load(now, out)
}

// load asks for what the current screen shows.
func (m *Machine) load(now time.Time, out []Request) []Request {
	m.lastLoad = now
	switch m.screen {
	case ScreenMenu, ScreenDevices, ScreenBackend, ScreenCatalog:
		out = m.request(LoadStatus{Epoch: m.epoch}, out)
	case ScreenGPIO:
		out = m.request(LoadGPIO{Epoch: m.epoch}, out)
	case ScreenOutbox:
		out = m.request(LoadOutbox{Epoch: m.epoch}, out)
		out = m.request(LoadStatus{Epoch: m.epoch}, out)
	case ScreenEvents:
		out = m.request(LoadEvents{Epoch: m.epoch, N: m.o.Events}, out)
	}
	return out
}

func (m *Machine) clearPIN() {
	for i := range m.pin {
		m.pin[i] = 0
	}
	m.pin = m.pin[:0]
}

// close leaves the mode; answers still on their way are dropped.
func (m *Machine) close() {
	m.reset()
	m.screen = Closed
	m.epoch++
}

func (m *Machine) reset() {
	m.clearPIN()
	m.checking = false
	m.msg, m.tone = "", Info
	m.status, m.checks, m.checkErr, m.checkDev = nil, nil, "", ""
	m.printMsg, m.card, m.cardMsg = "", nil, ""
	m.pins, m.gpioErr, m.items, m.outboxErr, m.retryMsg, m.events = nil, "", nil, "", "", nil
	clear(m.pending)
}

var attemptsLeft = regexp.MustCompile(`\((\d+) of \d+ attempts left\)`)

// pinMessage turns techauth's answer into words for the pad.
func pinMessage(err error) string {
	switch {
	case errors.Is(err, techauth.ErrLocked):
		if i := indexFor(err.Error()); i >= 0 {
			f := strings.Fields(err.Error()[i:])
			wait := f[len(f)-1]
			return "错误次数过多，已锁定，请 " + wait + " 后再试 · Locked after too many wrong PINs: try again in " + wait
		}
		return "错误次数过多，已锁定 · Locked after too many wrong PINs"
	case errors.Is(err, techauth.ErrWrongPIN):
		if s := attemptsLeft.FindStringSubmatch(err.Error()); s != nil {
			return "PIN 错误，还可尝试 " + s[1] + " 次 · Wrong PIN, " + s[1] + " attempts left"
		}
		return "PIN 错误 · Wrong PIN"
	case errors.Is(err, techauth.ErrNoPIN):
		return "本机未设置维护 PIN · No technician PIN configured"
	}
	return "无法验证 PIN · Cannot check the PIN: " + errText(err)
}

// indexFor finds " for …" (the lockout's remaining time) in techauth's text.
func indexFor(s string) int {
	const k = " for "
	for i := len(s) - len(k); i >= 0; i-- {
		if s[i:i+len(k)] == k {
			return i
		}
	}
	return -1
}

// Rev is the view's revision: it changes whenever View would change.
func (m *Machine) Rev() uint64 { return m.rev }
