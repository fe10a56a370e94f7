package host_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/eventlog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/techmode"
	"github.com/henan-county/kiosk/kiosk/txn"
)

var start = time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)

func testCatalog() *catalog.Catalog {
	always := catalog.Hours{Always: true}
	return &catalog.Catalog{
		SchemaVersion: 1, Version: 42, County: "中牟县", Hotline: testHotline,
		Categories: []catalog.Category{{ID: "social", Name: "社保医保", Icon: "shield", Order: 1}},
		Services: []catalog.Service{
			{ID: "ss-record", Name: "社保缴费记录打印", Category: "social", Department: "县人社局", Kind: catalog.KindPrint,
				NeedsIDCard: true, NeedsPrinter: true, Hours: always, Offline: catalog.OfflineOnlineOnly,
				Status: catalog.StatusActive,
				Form: []catalog.Field{
					{ID: "phone", Label: "手机号码", Type: catalog.FieldPhone, Required: true, Personal: true},
				},
				Receipt: catalog.Receipt{Title: "社保缴费记录"}},
			{ID: "subsidy", Name: "高龄津贴申请", Category: "social", Department: "县民政局", Kind: catalog.KindApply,
				NeedsIDCard: true, Hours: always, Offline: catalog.OfflineQueue, TimeLimitDays: 10,
				Status: catalog.StatusActive,
				Form: []catalog.Field{
					{ID: "phone", Label: "手机号码", Type: catalog.FieldPhone, Required: true, Personal: true},
				}},
		},
	}
}

func testCard() *identity.Card {
	return &identity.Card{Type: identity.ResidentID, Name: "王秀兰", Sex: "女", Nation: "汉",
		Birth: time.Date(1953, 3, 15, 0, 0, 0, 0, time.UTC), Address: "河南省郑州市中牟县城关镇青年路12号",
		IDNumber: "410122195303151221", IDNumberValid: true, Issuer: "中牟县公安局", LongTerm: true}
}

type rig struct {
	t     *testing.T
	h     *host.Host
	clock *hosttest.Clock
	ports *hosttest.Ports
}

func newRig(t *testing.T, tweak ...func(*host.Opts)) *rig {
	t.Helper()
	c := testCatalog()
	r := &rig{t: t, clock: hosttest.NewClock(start), ports: &hosttest.Ports{}}
	o := &host.Opts{
		Session: session.Opts{Catalog: func() *catalog.Catalog { return c }, KioskID: "ZM-K07", HallName: "城关镇自助厅"},
		Ports:   r.ports.All(),
		Clock:   r.clock,
	}
	o.Ports.Documents = &hosttest.Documents{Pages: 1}
	for _, f := range tweak {
		f(o)
	}
	r.h = hosttest.Start(t, host.New(o))
	return r
}

// do posts events and waits until the host has handled them.
func (r *rig) do(evs ...host.Event) session.View {
	r.t.Helper()
	for _, ev := range evs {
		r.h.Post(ev)
	}
	hosttest.Sync(r.t, r.h)
	return r.h.View().Session
}

// waitFor waits, without sleeping, for the view to satisfy ok; effects
// run off the host's loop and post their outcome back.
func (r *rig) waitFor(what string, ok func(host.View) bool) host.View {
	r.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		ch := r.h.Changed()
		if v := r.h.View(); ok(v) {
			return v
		}
		select {
		case <-ch:
		case <-timeout:
			r.t.Fatalf("waiting for %s: screen %s", what, r.h.View().Session.Screen)
		}
	}
}

// throughDocument prints a print matter's proof, once it is on the
// screen, and moves on to the result.
func (r *rig) throughDocument() {
	r.t.Helper()
	r.waitFor("the proof", docState(session.DocReady))
	r.do(session.PrintDocument{})
	r.waitFor("the proof printed", docState(session.DocTake))
	r.do(session.Continue{})
}

// passDocument waits for the submission's outcome and, when it is a
// proof to print, prints it and moves on to the result.
func (r *rig) passDocument() {
	r.t.Helper()
	v := r.waitFor("the outcome", func(v host.View) bool { return v.Session.Screen != session.ScreenSubmitting })
	if v.Session.Screen == session.ScreenDocument {
		r.throughDocument()
	}
}

// toConfirm takes a resident from attract to the confirm screen of svc.
func (r *rig) toConfirm(svc string) {
	r.t.Helper()
	r.do(session.Start{}, session.ChooseService{ID: svc}, session.Start{})
	if v := r.do(session.CardPresent{Card: testCard()}, session.ConfirmIdentity{}); v.Screen != session.ScreenForm {
		r.t.Fatalf("after the card: %s (%s)", v.Screen, v.Notice)
	}
	if v := r.do(session.FieldInput{ID: "phone", Value: "13812345678"}, session.Submit{}); v.Screen != session.ScreenConfirm {
		r.t.Fatalf("after the form: %s %+v", v.Screen, v.Form)
	}
}

func TestQueuedJourneyThroughPorts(t *testing.T) {
	r := newRig(t)
	if r.h.InSession() {
		t.Fatal("in session on attract")
	}
	r.toConfirm("subsidy")
	if !r.h.InSession() {
		t.Fatal("not in session on the confirm screen")
	}
	r.do(session.Submit{})
	v := r.waitFor("an outcome", func(v host.View) bool { return v.Session.Result != nil }).Session
	if v.Result.Outcome != txn.Queued {
		t.Fatalf("result %+v", v.Result)
	}
	got := r.ports.Snapshot()
	if len(got.Subs) != 1 || got.Subs[0].ServiceID != "subsidy" || got.Subs[0].ServiceKind != string(catalog.KindApply) {
		t.Fatalf("submitted %+v", got.Subs)
	}
	// The queued matter's receipt prints on the result screen, then the
	// rating is offered.
	r.waitFor("the slip", func(v host.View) bool { return v.Session.Printing == session.PrintTake })
	r.do(session.Continue{})
	r.waitFor("the rating", func(v host.View) bool { return v.Session.Screen == session.ScreenRating })
	r.do(session.CardRemoved{}, session.SkipRating{}, session.Finish{})
	if r.h.InSession() {
		t.Fatalf("still in session on %s", r.h.View().Session.Screen)
	}
	got = r.ports.Snapshot()
	if got.Resets == 0 {
		t.Error("voice not reset when the session ended")
	}
	if len(got.Lights) == 0 || got.Lights[len(got.Lights)-1] != session.LightReady {
		t.Errorf("lights %v: want ready last", got.Lights)
	}
}

// TestOnlineOnlyOutcomes: what a resident is told for a matter that needs
// an answer now depends on the backend's answer, and nothing is queued.
func TestOnlineOnlyOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		backend bool
		err     error
		outcome txn.Outcome
		message string
	}{
		{"answered", true, nil, txn.Completed, ""},
		{"unreachable", true, errors.New("backend: dial: connection refused"), txn.Unreached, "拨打热线 " + testHotline},
		{"refused", true, fmt.Errorf("%w (backend: 422)", &host.Rejection{Reason: "参保信息不存在"}), txn.Rejected, "参保信息不存在"},
		{"no backend", false, nil, txn.Unreached, "拨打热线 " + testHotline},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var outboxCalls int
			r := newRig(t, func(o *host.Opts) {
				if !tc.backend {
					o.Ports.Backend = nil
				}
				o.Ports.Outbox = countingOutbox{&outboxCalls}
			})
			r.ports.AnswerSubmit(func(tx txn.Transaction) txn.Result {
				return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "ZM1"}
			}, tc.err)
			r.toConfirm("ss-record")
			r.do(session.Submit{})
			r.passDocument()
			v := r.waitFor("an outcome", func(v host.View) bool { return v.Session.Result != nil })
			res := v.Session.Result
			if res.Outcome != tc.outcome || !strings.Contains(res.Message+res.Next, tc.message) {
				t.Fatalf("outcome %s %q, want %s %q", res.Outcome, res.Message, tc.outcome, tc.message)
			}
			if outboxCalls != 0 {
				t.Fatal("an online-only matter went to the outbox")
			}
		})
	}
}

type countingOutbox struct{ n *int }

func (c countingOutbox) SubmitNow(context.Context, txn.Transaction, time.Duration) (txn.Result, error) {
	*c.n++
	return txn.Result{}, errors.New("not expected")
}

// TestPaperOutTold: a print that stops for paper reaches the journey as
// paper out, whatever the printer's own error says.
func TestPaperOutTold(t *testing.T) {
	r := newRig(t)
	r.ports.AnswerSubmit(func(tx txn.Transaction) txn.Result {
		return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "ZM1"}
	}, nil)
	r.ports.FailPrints(fmt.Errorf("%w: escpos: job 3: sensor", host.ErrPaperOut))
	r.toConfirm("ss-record")
	r.do(session.Submit{})
	r.passDocument()
	v := r.waitFor("paper out", func(v host.View) bool { return v.Session.Printing == session.PrintPaperOut })
	if v.Session.Screen != session.ScreenPrinting {
		t.Fatalf("screen %s", v.Session.Screen)
	}
	if p := r.ports.Snapshot().Prints; len(p) != 1 {
		t.Fatalf("%d receipts", len(p))
	}
}

// TestCatalogAppliedOnlyBetweenSessions: a staged list waits for the
// resident to finish.
func TestCatalogAppliedOnlyBetweenSessions(t *testing.T) {
	r := newRig(t)
	r.do(session.Start{})
	r.ports.Stage()
	for range 5 {
		r.clock.Advance(time.Second)
		hosttest.Sync(t, r.h)
	}
	if n := r.ports.Snapshot().Applied; n != 0 {
		t.Fatalf("applied %d times during a session", n)
	}
	r.do(session.Cancel{})
	if n := r.ports.Snapshot().Applied; n != 1 {
		t.Fatalf("applied %d times after the session", n)
	}
	// Idle: the next staged list goes in at the next tick.
	r.ports.Stage()
	r.clock.Advance(time.Second)
	hosttest.Sync(t, r.h)
	if n := r.ports.Snapshot().Applied; n != 2 {
		t.Fatalf("applied %d times while idle", n)
	}
}

func TestDoorHoldsFaultLight(t *testing.T) {
	r := newRig(t)
	r.do(host.DoorChanged{Open: true})
	r.do(session.Start{}) // the journey asks for busy; the door wins
	l := r.ports.Snapshot().Lights
	if l[len(l)-1] != session.LightFault {
		t.Fatalf("lights %v with the door open", l)
	}
	r.do(host.DoorChanged{Open: false})
	l = r.ports.Snapshot().Lights
	if l[len(l)-1] == session.LightFault {
		t.Fatalf("lights %v after the door closed", l)
	}
}

// techKiosk is the technician mode's view of the kiosk: only the PIN
// matters here.
type techKiosk struct{}

func (techKiosk) CheckPIN(pin string) error {
	if pin != "246810" {
		return errors.New("wrong PIN")
	}
	return nil
}
func (techKiosk) Status(context.Context) admin.Status                     { return admin.Status{} }
func (techKiosk) SelfTest(context.Context, string) ([]admin.Check, error) { return nil, nil }
func (techKiosk) TestPrint(context.Context) error                         { return nil }
func (techKiosk) CardReadTest(context.Context, time.Duration) (admin.CardRead, error) {
	return admin.CardRead{}, nil
}
func (techKiosk) GPIOList(context.Context) ([]admin.Pin, error)          { return nil, nil }
func (techKiosk) GPIOSet(context.Context, string, bool) error            { return nil }
func (techKiosk) OutboxList(context.Context) ([]admin.OutboxItem, error) { return nil, nil }
func (techKiosk) OutboxRetry(context.Context, string) (int, error)       { return 0, nil }
func (techKiosk) Events() *eventlog.Log                                  { return eventlog.New(8, time.Now) }

func TestTechnicianGating(t *testing.T) {
	r := newRig(t, func(o *host.Opts) { o.Technician = techKiosk{} })
	if !r.h.View().TechAllowed {
		t.Fatal("technician mode not allowed on attract")
	}
	// Mid-matter: the gesture does nothing.
	r.toConfirm("subsidy")
	if r.h.View().TechAllowed {
		t.Fatal("technician mode allowed mid-matter")
	}
	r.do(host.OpenTechnician{})
	if r.h.View().Tech != nil {
		t.Fatal("technician mode opened over a resident's matter")
	}
	r.do(session.Cancel{}, session.CardRemoved{})
	r.clock.Advance(time.Minute) // the done screen's reminder passes
	r.do(host.OpenTechnician{})
	v := r.h.View()
	if v.Tech == nil || v.Session.Screen != session.ScreenMaintenance {
		t.Fatalf("tech %v over %s", v.Tech, v.Session.Screen)
	}
	// The operator's maintenance wish waits for the mode to close.
	r.do(host.SetMaintenance{On: true})
	r.do(host.SetMaintenance{On: false})
	r.do(techmode.Exit{})
	v = r.h.View()
	if v.Tech != nil || v.Session.Screen != session.ScreenAttract {
		t.Fatalf("after closing: tech %v, screen %s", v.Tech, v.Session.Screen)
	}
	r.do(host.OpenTechnician{})
	r.do(host.SetMaintenance{On: true})
	r.do(techmode.Exit{})
	if s := r.h.View().Session.Screen; s != session.ScreenMaintenance {
		t.Fatalf("operator's maintenance lost: %s", s)
	}
}

// TestTimeoutsFollowTheClock: the journey's timers run on the injected
// clock; stepping it ends an abandoned session without sleeping.
func TestTimeoutsFollowTheClock(t *testing.T) {
	r := newRig(t)
	r.do(session.Start{})
	for i := 0; i < 30 && r.h.View().Session.Screen != session.ScreenAttract; i++ {
		r.clock.Advance(10 * time.Second)
		hosttest.Sync(t, r.h)
	}
	if s := r.h.View().Session.Screen; s != session.ScreenAttract || r.h.InSession() {
		t.Fatalf("abandoned session still on %s", s)
	}
}

// panicLights fails the way a broken driver might.
type panicLights struct{}

func (panicLights) SetLight(string) error { panic("lamp driver bug") }

func TestPanickingPortDoesNotStopTheKiosk(t *testing.T) {
	r := newRig(t, func(o *host.Opts) { o.Ports.Lights = panicLights{} })
	r.do(session.Start{})
	if v := r.do(session.Cancel{}, session.Start{}); v.Screen != session.ScreenHome {
		t.Fatalf("screen %s after a port panicked", v.Screen)
	}
}

func TestUnknownEventDropped(t *testing.T) {
	r := newRig(t)
	before := r.h.View().Rev
	r.do(struct{ X int }{1})
	if r.h.View().Rev != before {
		t.Fatal("an unknown event changed the view")
	}
	if v := r.do(session.Start{}); v.Screen != session.ScreenHome {
		t.Fatalf("screen %s", v.Screen)
	}
}

func TestVoiceSettingsReachThePort(t *testing.T) {
	r := newRig(t)
	r.do(session.Start{}, session.VolumeDown{}, session.ToggleVoice{})
	got := r.ports.Snapshot()
	if got.VoiceOn || got.Volume <= 0 || got.Volume >= 1 {
		t.Fatalf("voice %v volume %v", got.VoiceOn, got.Volume)
	}
	if !slices.ContainsFunc(got.Said, func(s string) bool { return s != "" }) {
		t.Fatal("nothing was said on home")
	}
}

// flakyBackend refuses to answer the first fails ratings.
type flakyBackend struct {
	fails int
	calls chan int
	n     int
}

func (f *flakyBackend) Submit(_ context.Context, tx txn.Transaction) (txn.Result, error) {
	return txn.Result{TxID: tx.ID, Outcome: txn.Completed}, nil
}

func (f *flakyBackend) Rate(context.Context, string, int) error {
	f.n++
	f.calls <- f.n
	if f.n <= f.fails {
		return errors.New("backend: dial: connection refused")
	}
	return nil
}

// TestRatingRetriedOnTheClock: a rating that does not get through is sent
// again after pauses on the host's clock, then let go.
func TestRatingRetriedOnTheClock(t *testing.T) {
	for _, tc := range []struct {
		fails, calls int
	}{{0, 1}, {2, 3}, {5, 3}} {
		t.Run(fmt.Sprint(tc.fails, " failures"), func(t *testing.T) {
			b := &flakyBackend{fails: tc.fails, calls: make(chan int, 8)}
			r := newRig(t, func(o *host.Opts) { o.Ports.Backend = b })
			r.ports.AnswerSubmit(func(tx txn.Transaction) txn.Result {
				return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "ZM1"}
			}, nil)
			r.toConfirm("ss-record")
			r.do(session.Submit{})
			r.passDocument()
			r.waitFor("the slip", func(v host.View) bool { return v.Session.Printing == session.PrintTake })
			r.do(session.Continue{})
			r.waitFor("the rating", func(v host.View) bool { return v.Session.Screen == session.ScreenRating })
			r.do(session.Rate{Score: 5})
			got := 0
			for got < tc.calls {
				select {
				case got = <-b.calls:
				case <-time.After(10 * time.Millisecond):
					// The retry waits on the host's clock: move it on.
					r.clock.Advance(10 * time.Second)
				}
			}
			// No try beyond the limit, however long the clock runs.
			r.clock.Advance(time.Hour)
			select {
			case n := <-b.calls:
				t.Fatalf("try %d beyond the limit", n)
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}

// TestProofGoesToTheBackendNow: a print matter is sent to the backend
// directly even when its catalog entry allows queueing, and nothing is
// queued in the outbox when the backend cannot be reached.
func TestProofGoesToTheBackendNow(t *testing.T) {
	var outboxCalls int
	c := testCatalog()
	for i := range c.Services {
		if c.Services[i].ID == "ss-record" {
			c.Services[i].Offline = catalog.OfflineQueue
		}
	}
	r := newRig(t, func(o *host.Opts) {
		o.Session.Catalog = func() *catalog.Catalog { return c }
		o.Ports.Outbox = countingOutbox{&outboxCalls}
	})
	r.ports.AnswerSubmit(nil, errors.New("backend: dial: connection refused"))
	r.toConfirm("ss-record")
	r.do(session.Submit{})
	v := r.waitFor("an outcome", func(v host.View) bool { return v.Session.Result != nil })
	if v.Session.Result.Outcome != txn.Unreached || outboxCalls != 0 {
		t.Fatalf("outcome %s, %d outbox calls: a proof was queued", v.Session.Result.Outcome, outboxCalls)
	}
}

// testHotline is the county's hotline as the built-in service list
// publishes it: the one source every screen and slip reads.
var testHotline = func() string {
	c, err := catalog.Default()
	if err != nil {
		panic(err)
	}
	return c.Hotline
}()
