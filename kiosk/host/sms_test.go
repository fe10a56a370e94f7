package host_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// smsPort records text messages and answers with err.
type smsPort struct {
	mu   sync.Mutex
	sent []string
	err  error
}

func (s *smsPort) SendTrackingSMS(_ context.Context, phone, tracking string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, phone+" "+tracking)
	return s.err
}

// TestTrackingBySMS: with the paper out, the resident asks for the
// tracking number by text message; the host sends it through its SMS
// port to the phone on the form and tells the journey how it went. A
// kiosk without the port says so.
func TestTrackingBySMS(t *testing.T) {
	for _, tc := range []struct {
		name string
		port *smsPort
		want session.SMSState
	}{
		{"sent", &smsPort{}, session.SMSDone},
		{"refused", &smsPort{err: errors.New("backend: sms: status 503")}, session.SMSFailed},
		{"no port", nil, session.SMSFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, func(o *host.Opts) {
				if tc.port != nil {
					o.Ports.SMS = tc.port
				}
			})
			r.ports.AnswerSubmit(func(tx txn.Transaction) txn.Result {
				return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X"}
			}, nil)
			r.ports.FailPrints(fmt.Errorf("%w: escpos: sensor", host.ErrPaperOut))
			r.toConfirm("ss-record")
			r.do(session.Submit{})
			r.passDocument()
			v := r.waitFor("paper out", func(v host.View) bool { return v.Session.Printing == session.PrintPaperOut })
			if v.Session.Slip == nil || v.Session.Slip.SMSTo != "138****5678" {
				t.Fatalf("no text message offered: %+v", v.Session.Slip)
			}
			r.do(session.RequestSMS{})
			v = r.waitFor("the text message", func(v host.View) bool {
				return v.Session.Slip != nil && v.Session.Slip.SMS != session.SMSSending
			})
			if v.Session.Slip.SMS != tc.want {
				t.Fatalf("sms %q, want %q", v.Session.Slip.SMS, tc.want)
			}
			if tc.port != nil && (len(tc.port.sent) != 1 || tc.port.sent[0] != "13812345678 K7QH2M4X") {
				t.Fatalf("sent %q", tc.port.sent)
			}
		})
	}
}

// TestMaintenanceUntil: the operator's expected return time reaches the
// maintenance screen, also after the technician mode closes.
func TestMaintenanceUntil(t *testing.T) {
	r := newRig(t)
	until := start.Add(3 * time.Hour)
	v := r.do(host.SetMaintenance{On: true, Until: until})
	if v.Screen != session.ScreenMaintenance || !v.Until.Equal(until) {
		t.Fatalf("maintenance %s until %v", v.Screen, v.Until)
	}
	v = r.do(host.SetMaintenance{On: false})
	if v.Screen != session.ScreenAttract || !v.Until.IsZero() {
		t.Fatalf("back %s until %v", v.Screen, v.Until)
	}
}
