package daemon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/phone"
	"github.com/henan-county/kiosk/drivers/phone/dutydesk"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/session"
)

// TestCallAgainstSimulatedWorld: the cabinet's help button calls the
// simulated duty desk through the kiosk's baresip; the desk answers, the
// resident hangs up from the screen and her session is where it was. A
// call nobody answers becomes a callback request, which countysim queues
// with the kiosk's ticket and routes to the hall's township desk.
func TestCallAgainstSimulatedWorld(t *testing.T) {
	d, _, logs := startSimWith(t, Options{NoSimCUPS: true}, func(c *config.Config) {
		c.Phone.AnswerTimeout = config.Duration{Duration: 10 * time.Second}
		c.Kiosk.Hall = "bsz"
	})
	w := d.sim
	if w.DutyDesk() == nil {
		t.Fatal("the simulator started no duty desk")
	}
	waitDevices(t, d, phone.Name)
	if checks, err := d.SelfTest(context.Background(), "phone"); err != nil || len(checks) != 1 || !checks[0].Pass ||
		!strings.Contains(checks[0].Detail, w.DutyDesk().URI()) {
		t.Fatalf("phone self-test: %+v %v", checks, err)
	}
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "sb-jfjl-cx"})
	s.waitScreen(session.ScreenGuide, 5*time.Second)

	press := func() {
		t.Helper()
		for _, on := range []bool{true, false} {
			if err := w.DriveGPIO(gpio.Help, on); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	press()
	s.waitFor("dialing", 5*time.Second, func(v session.View) bool {
		return v.Help != nil && v.Help.Call != nil && v.Help.Call.State == session.CallDialing
	})
	s.waitFor("the desk answers", 20*time.Second, func(v session.View) bool {
		return v.Help != nil && v.Help.Call != nil && v.Help.Call.State == session.CallConnected
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := w.DutyDesk().Await(ctx, func(c dutydesk.Call) bool { return !c.Answered.IsZero() }); err != nil {
		t.Fatalf("the desk saw no answered call: %v", err)
	}
	s.do(session.HangUp{})
	if _, err := w.DutyDesk().Await(ctx, func(c dutydesk.Call) bool { return !c.Ended.IsZero() }); err != nil {
		t.Fatalf("the desk's call did not end: %v", err)
	}
	s.do(session.CloseHelp{})
	if v := s.waitFor("back where she was", 5*time.Second, func(v session.View) bool { return v.Help == nil }); v.Screen != session.ScreenGuide {
		t.Fatalf("the session moved during the call: %s", v.Screen)
	}

	// Nobody answers: a callback request with a ticket.
	w.DutyDesk().SetNoAnswer(true)
	s.do(session.Help{}, session.CallDesk{})
	v := s.waitFor("no answer", 25*time.Second, func(v session.View) bool {
		return v.Help != nil && v.Help.Call != nil && v.Help.Call.State == session.CallNoAnswer
	})
	if !v.Help.Call.CanCallback {
		t.Fatalf("no callback offered: %+v", v.Help.Call)
	}
	s.do(session.RequestCallback{})
	s.waitScreen(session.ScreenForm, 5*time.Second)
	s.do(session.FieldInput{ID: "phone", Value: "13812345678"}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	s.do(session.Submit{})
	v = s.waitFor("the ticket", 20*time.Second, func(v session.View) bool { return v.Result != nil })
	// By day the hall's township desk calls back, at night the county's
	// on-call desk (countysim's default hours, 20:00–08:00).
	desk := "白沙镇"
	if h := time.Now().In(catalog.Local()).Hour(); h >= 20 || h < 8 {
		desk = "中牟县"
	}
	if v.Result.TrackingNo == "" || !strings.Contains(v.Result.Next, desk) {
		t.Fatalf("callback result %+v", v.Result)
	}
	reqs, err := w.county.AssistRequests("")
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Kind != "callback" || reqs[0].Ticket != v.Result.TrackingNo || reqs[0].About != "sb-jfjl-cx" ||
		!strings.Contains(reqs[0].PlaceName, desk) || reqs[0].Phone == "13812345678" {
		t.Fatalf("countysim's queue: %+v", reqs)
	}
	if strings.Contains(logs.String(), "13812345678") {
		t.Error("the resident's phone number is in the log")
	}
}
