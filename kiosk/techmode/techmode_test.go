package techmode

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/techauth"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

const (
	rawID   = "410122199001011234"
	rawName = "韩梅梅"
)

// tech is a Technician backed by a real techauth.Guard and canned data,
// some of it deliberately unmasked to prove the screen masks again.
type tech struct {
	guard  *techauth.Guard
	log    *eventlog.Log
	pins   []admin.Pin
	set    []string
	retry  int
	status admin.Status
}

func newTech(t testing.TB, c *clock) *tech {
	h, err := bcrypt.GenerateFromPassword([]byte("246810"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	g, err := techauth.New(string(h), 3, 5*time.Minute, c.now)
	if err != nil {
		t.Fatal(err)
	}
	l := eventlog.New(16, c.now)
	l.Add("device", "idcard", "card read", nil)
	return &tech{guard: g, log: l,
		pins: []admin.Pin{{Name: "printer_power", Direction: "out", On: true}, {Name: "door", Direction: "in"}},
		status: admin.Status{KioskID: "ZM-K07", Version: "1.0", Devices: []devices.Status{
			{Name: "idcard", Kind: devices.KindIDCard, State: devices.Online, Counters: map[string]uint64{"reads": 3}},
			{Name: "printer", Kind: devices.KindPrinter, State: devices.UserError, Detail: map[string]string{"paper": "out"},
				LastError: "paper out while printing for " + rawID},
		}, Backend: admin.BackendInfo{URL: "https://county.example", Reachable: true}}}
}

func (k *tech) CheckPIN(pin string) error { return k.guard.Check(pin) }
func (k *tech) Status(context.Context) admin.Status {
	return k.status
}
func (k *tech) SelfTest(_ context.Context, d string) ([]admin.Check, error) {
	if d == "printer" {
		return []admin.Check{{Device: "printer", Name: "status", Pass: false, Detail: "paper out",
			Remedy: "装入打印纸", RemedyEN: "load paper"}}, nil
	}
	return []admin.Check{{Device: d, Name: "ok", Pass: true}}, nil
}
func (k *tech) TestPrint(context.Context) error { return nil }
func (k *tech) CardReadTest(context.Context, time.Duration) (admin.CardRead, error) {
	return admin.CardRead{Type: "resident", Name: rawName, IDNumber: rawID, IDNumberValid: true, ValidTo: "2030-01-01"}, nil
}
func (k *tech) GPIOList(context.Context) ([]admin.Pin, error) { return k.pins, nil }
func (k *tech) GPIOSet(_ context.Context, n string, on bool) error {
	k.set = append(k.set, fmt.Sprintf("%s=%v", n, on))
	for i := range k.pins {
		if k.pins[i].Name == n {
			k.pins[i].On = on
		}
	}
	return nil
}
func (k *tech) OutboxList(context.Context) ([]admin.OutboxItem, error) {
	return []admin.OutboxItem{{ID: "tx-1", Service: "ss-record", State: "parked", Attempts: 9,
		LastError: "rejected: id " + rawID}}, nil
}
func (k *tech) OutboxRetry(context.Context, string) (int, error) { k.retry++; return 1, nil }
func (k *tech) Events() *eventlog.Log                            { return k.log }

// drive feeds ev and then every request's answer, as the UI does (but
// synchronously); it returns the requests made.
func drive(m *Machine, k Technician, ev Event) []Request {
	var all []Request
	queue := m.Handle(ev)
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		all = append(all, r)
		queue = append(queue, m.Handle(Run(context.Background(), k, r))...)
	}
	return all
}

func typePIN(m *Machine, k Technician, pin string) {
	for i := range len(pin) {
		drive(m, k, Digit{D: pin[i]})
	}
	drive(m, k, Enter{})
}

func TestPINLockoutThroughThePad(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}
	k := newTech(t, c)
	m := New(&Opts{Now: c.now})
	drive(m, k, Open{})
	steps := []struct {
		pin, want string
		screen    Screen
	}{
		{"1111", "还可尝试 2 次", ScreenPIN},
		{"2222", "1 attempts left", ScreenPIN},
		{"3333", "已锁定", ScreenPIN},
		{"246810", "try again in 4m59s", ScreenPIN}, // the right PIN while locked
		{"12", "at least 4 digits", ScreenPIN},
	}
	for i, s := range steps {
		c.t = c.t.Add(time.Second)
		typePIN(m, k, s.pin)
		v := m.View()
		if v.Screen != s.screen || !strings.Contains(v.Message, s.want) {
			t.Fatalf("step %d (%s): screen %q message %q, want %q", i, s.pin, v.Screen, v.Message, s.want)
		}
		if s.pin != "12" && v.PINLen != 0 {
			t.Fatalf("step %d: %d digits kept after Enter", i, v.PINLen)
		}
	}
	drive(m, k, Exit{})
	c.t = c.t.Add(5 * time.Minute)
	drive(m, k, Open{})
	typePIN(m, k, "246810")
	if v := m.View(); v.Screen != ScreenMenu || v.Kiosk == "" {
		t.Fatalf("after the lockout: %+v", v)
	}
}

func TestPadEditing(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	m := New(&Opts{Now: c.now, PINMax: 6})
	m.Handle(Open{})
	for _, d := range []byte("12345678x") {
		m.Handle(Digit{D: d})
	}
	if v := m.View(); v.PINLen != 6 || v.PINMax != 6 {
		t.Fatalf("len %d max %d", v.PINLen, v.PINMax)
	}
	m.Handle(Erase{})
	if m.View().PINLen != 5 {
		t.Fatal("erase")
	}
	r := m.Handle(Enter{})
	if len(r) != 1 || r[0].(CheckPIN).PIN != "12345" {
		t.Fatalf("requests %v", r)
	}
	if s := fmt.Sprint(r[0]); strings.Contains(s, "12345") {
		t.Fatalf("a request prints the PIN: %s", s)
	}
	if m.Handle(Enter{}) != nil || m.Handle(Digit{D: '1'}) != nil && m.View().PINLen != 0 {
		t.Fatal("typing while checking")
	}
	if m.Handle(Go{To: ScreenGPIO}); m.Screen() != ScreenPIN {
		t.Fatal("menu reached without a PIN")
	}
}

func TestIdleTimeoutCloses(t *testing.T) {
	for _, screen := range []Screen{ScreenPIN, ScreenMenu, ScreenGPIO, ScreenCardRead} {
		t.Run(string(screen), func(t *testing.T) {
			c := &clock{t: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}
			k := newTech(t, c)
			m := New(&Opts{Now: c.now})
			drive(m, k, Open{})
			if screen != ScreenPIN {
				typePIN(m, k, "246810")
				drive(m, k, Go{To: screen})
			}
			c.t = c.t.Add(100 * time.Second)
			drive(m, k, Tick{})
			drive(m, k, Touch{}) // a touch anywhere keeps it open
			c.t = c.t.Add(119 * time.Second)
			drive(m, k, Tick{})
			if m.Screen() != screen {
				t.Fatalf("closed early: %q", m.Screen())
			}
			if l := m.View().IdleLeft; l != time.Second {
				t.Fatalf("idle left %v", l)
			}
			c.t = c.t.Add(time.Second)
			drive(m, k, Tick{})
			if m.IsOpen() || m.View().Screen != Closed {
				t.Fatalf("still open on %q", m.Screen())
			}
			if len(m.View().Sections) != 0 || m.Handle(Tick{}) != nil {
				t.Fatal("closed view shows something")
			}
		})
	}
}

func TestQuietTicksKeepTheScreen(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	m := New(&Opts{Now: c.now})
	m.Handle(Open{})
	rev := m.View().Rev
	for i := 0; i < 20; i++ {
		c.t = c.t.Add(500 * time.Millisecond)
		m.Handle(Tick{})
	}
	if m.View().Rev != rev {
		t.Fatal("quiet ticks on the PIN pad changed the view")
	}
	c.t = c.t.Add(100 * time.Second) // into the last 30 s: a countdown each second
	m.Handle(Tick{})
	if m.View().Rev == rev {
		t.Fatal("the countdown is not shown")
	}
}

func TestLateAnswersAreDropped(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	k := newTech(t, c)
	m := New(&Opts{Now: c.now})
	drive(m, k, Open{})
	typePIN(m, k, "246810")
	reqs := m.Handle(Go{To: ScreenCardRead})
	reqs = append(reqs, m.Handle(StartCardRead{})...)
	if len(reqs) != 1 {
		t.Fatalf("requests %v", reqs)
	}
	m.Handle(Exit{})
	m.Handle(Open{})
	m.Handle(Run(context.Background(), k, reqs[0]))
	if v := m.View(); v.Screen != ScreenPIN || len(v.Sections) != 0 {
		t.Fatalf("an answer from the last visit reached this one: %+v", v)
	}
}

func TestScreens(t *testing.T) {
	tests := []struct {
		screen Screen
		act    Event
		want   []string // in the view's text
		reqs   []string // request kinds on entering
	}{
		{ScreenMenu, nil, []string{"设备 · Devices", "1 台异常"}, nil},
		{ScreenDevices, nil, []string{"需处理 · needs attention", "paper", "reads 3"}, []string{"status"}},
		{ScreenSelfTest, RunSelfTest{Device: "printer"}, []string{"失败 FAIL", "装入打印纸", "load paper"}, nil},
		{ScreenSelfTest, RunSelfTest{}, []string{"通过 PASS"}, nil},
		{ScreenPrint, StartTestPrint{}, []string{"Printed"}, nil},
		{ScreenCardRead, StartCardRead{}, []string{"韩**", "410122********1234"}, nil},
		{ScreenGPIO, ToggleGPIO{Name: "printer_power"}, []string{"关 · OFF", "打开 · ON", "低 · LOW"}, []string{"gpio"}},
		{ScreenGPIO, ToggleGPIO{Name: "door"}, []string{"开 · ON"}, []string{"gpio"}},
		{ScreenBackend, RunSelfTest{Device: "backend"}, []string{"可连接", "county.example", "通过 PASS"}, []string{"status"}},
		{ScreenOutbox, RetryParked{}, []string{"1 re-queued", "搁置 · parked", "tx-1"}, []string{"outbox", "status"}},
		{ScreenCatalog, nil, []string{"版本 · Version", "最近拒收"}, []string{"status"}},
		{ScreenEvents, nil, []string{"card read"}, []string{"events"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%T", tc.screen, tc.act), func(t *testing.T) {
			c := &clock{t: time.Unix(1000, 0)}
			k := newTech(t, c)
			m := New(&Opts{Now: c.now})
			drive(m, k, Open{})
			typePIN(m, k, "246810")
			var kinds []string
			for _, r := range drive(m, k, Go{To: tc.screen}) {
				kinds = append(kinds, r.kind())
			}
			if tc.screen != ScreenMenu && !reflect.DeepEqual(kinds, tc.reqs) {
				t.Errorf("requests on entering: %v, want %v", kinds, tc.reqs)
			}
			if tc.act != nil {
				drive(m, k, tc.act)
			}
			v := m.View()
			if v.Title == "" || v.Screen != tc.screen {
				t.Fatalf("view %+v", v)
			}
			text := viewText(v)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q missing from %s", w, text)
				}
			}
			drive(m, k, Back{})
			if tc.screen == ScreenMenu {
				if m.IsOpen() {
					t.Fatal("back on the menu does not leave")
				}
			} else if m.Screen() != ScreenMenu {
				t.Fatalf("back went to %q", m.Screen())
			}
		})
	}
}

func TestLiveRefreshDoesNotPileUp(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	k := newTech(t, c)
	m := New(&Opts{Now: c.now})
	drive(m, k, Open{})
	typePIN(m, k, "246810")
	if r := m.Handle(Go{To: ScreenDevices}); len(r) != 1 {
		t.Fatalf("requests %v", r)
	}
	for i := 0; i < 5; i++ { // the status request is still running
		c.t = c.t.Add(3 * time.Second)
		if r := m.Handle(Tick{}); len(r) != 0 {
			t.Fatalf("tick %d asked again while one is running: %v", i, r)
		}
	}
	m.Handle(StatusResult{Epoch: m.epoch, Status: k.status})
	c.t = c.t.Add(3 * time.Second)
	if r := m.Handle(Tick{}); len(r) != 1 {
		t.Fatalf("no refresh after the answer: %v", r)
	}
}

// TestNoPersonalDataInView feeds unmasked data from every source and
// walks every string of every screen's View.
func TestNoPersonalDataInView(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	k := newTech(t, c)
	k.log.Add("session", "ui", "card "+rawID, map[string]string{"id": rawID})
	m := New(&Opts{Now: c.now})
	drive(m, k, Open{})
	typePIN(m, k, "246810")
	ep := m.epoch
	extra := map[Screen][]Event{
		ScreenCardRead: {StartCardRead{}},
		ScreenSelfTest: {RunSelfTest{}, ChecksResult{Epoch: ep, Checks: []admin.Check{{Device: "idcard", Name: "read", Detail: "read " + rawID}}}},
		ScreenOutbox:   {OutboxResult{Epoch: ep, Items: []admin.OutboxItem{{ID: "tx", LastError: rawID}}}},
	}
	for _, s := range append([]Screen{ScreenMenu}, MenuScreens...) {
		drive(m, k, Go{To: s})
		for _, e := range extra[s] {
			drive(m, k, e)
		}
		v := m.View()
		walk(t, reflect.ValueOf(v), string(s))
	}
}

func walk(t *testing.T, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); strings.Contains(s, rawID) || strings.Contains(s, rawName) || strings.Contains(s, "梅梅") {
			t.Errorf("%s shows personal data: %q", path, s)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			walk(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walk(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(t, v.Elem(), path)
		}
	case reflect.Map:
		for _, key := range v.MapKeys() {
			walk(t, v.MapIndex(key), path+"["+key.String()+"]")
		}
	}
}

func viewText(v View) string {
	var b strings.Builder
	b.WriteString(v.Title + "\n" + v.Message + "\n")
	for _, a := range v.Actions {
		b.WriteString(a.Label + "\n")
	}
	for _, s := range v.Sections {
		b.WriteString(s.Title + "\n")
		for _, r := range s.Rows {
			b.WriteString(r.Label + ": " + r.Value + "\n")
			if r.Toggle != nil {
				b.WriteString(r.Toggle.Label + "\n")
			}
		}
	}
	return b.String()
}

func TestHold(t *testing.T) {
	t0 := time.Unix(0, 0)
	tests := []struct {
		name      string
		x, y      float64
		moveX     float64
		held      time.Duration
		release   bool
		wantFired bool
	}{
		{"corner 5 s", 20, 30, 20, 5 * time.Second, false, true},
		{"corner 4.9 s", 20, 30, 20, 4900 * time.Millisecond, false, false},
		{"outside the corner", 400, 30, 400, 6 * time.Second, false, false},
		{"slid out", 20, 30, 300, 6 * time.Second, false, false},
		{"released early", 20, 30, 20, 6 * time.Second, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h Hold
			h.Press(tc.x, tc.y, t0)
			h.Move(tc.moveX, tc.y)
			if tc.release {
				h.Release(tc.moveX, tc.y)
			}
			got := h.Fired(t0.Add(tc.held))
			if got != tc.wantFired || h.Held() != tc.wantFired {
				t.Fatalf("fired %v held %v, want %v", got, h.Held(), tc.wantFired)
			}
			if tc.wantFired && h.Fired(t0.Add(tc.held+time.Second)) {
				t.Fatal("fired twice")
			}
			if held := h.Release(tc.moveX, tc.y); held != tc.wantFired {
				t.Fatalf("release swallowed %v, want %v", held, tc.wantFired)
			}
			// A release far from the corner (a missed release, the next
			// tap's) is never swallowed.
			h.Press(tc.x, tc.y, t0)
			h.Fired(t0.Add(tc.held))
			if h.Release(600, 900) {
				t.Fatal("a release outside the corner was swallowed")
			}
		})
	}
}

func TestRunUnknownIsNil(t *testing.T) {
	if Run(context.Background(), nil, nil) != nil {
		t.Fatal("want nil")
	}
	if !errors.Is(fmt.Errorf("x: %w", techauth.ErrLocked), techauth.ErrLocked) {
		t.Fatal("errors")
	}
}

func BenchmarkHandleAndView(b *testing.B) {
	c := &clock{t: time.Unix(1000, 0)}
	k := newTech(b, c)
	m := New(&Opts{Now: c.now})
	drive(m, k, Open{})
	typePIN(m, k, "246810")
	drive(m, k, Go{To: ScreenDevices})
	b.ReportAllocs()
	for b.Loop() {
		c.t = c.t.Add(3 * time.Second)
		drive(m, k, Touch{})
		drive(m, k, Tick{})
		if v := m.View(); v.Screen != ScreenDevices {
			b.Fatal(v.Screen)
		}
	}
}

// TestDeviceWordsBilingual: the devices screen names states, details,
// counters and known errors in Chinese with the English beside them.
func TestDeviceWordsBilingual(t *testing.T) {
	secs := deviceSections([]devices.Status{{Name: devices.Printer, Kind: devices.KindPrinter, State: devices.UserError,
		Detail:   map[string]string{"paper": "out", "cover": "closed"},
		Counters: map[string]uint64{"prints": 3}, LastError: "escpos: paper out"}})
	var got []string
	for _, r := range secs[0].Rows {
		got = append(got, r.Label+"="+r.Value)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"纸仓盖 · cover=关闭 · closed", "纸张 · paper=缺纸 · out", "打印 · prints 3", "缺纸 · escpos: paper out", "需处理 · needs attention"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in\n%s", want, all)
		}
	}
}
