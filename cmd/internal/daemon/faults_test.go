package daemon

import (
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/session"
)

// Each bad state of a simulated device gives a failing self-test with a
// remedy in Chinese and English, and a passing one once it is put right.
func TestSelfTestVerdictsForEveryFault(t *testing.T) {
	d, ctx, _ := startSim(t)
	yes, no := true, false
	for _, tc := range []struct {
		name, device string
		breakIt, fix func() error
	}{
		{"paper out", devices.Printer,
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Paper: "out"}) },
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Paper: "ok"}) }},
		{"cover open", devices.Printer,
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Cover: "open"}) },
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Cover: "closed"}) }},
		{"printer offline", devices.Printer,
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Offline: &yes}) },
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Offline: &no}) }},
		{"printer unplugged", devices.Printer,
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Unplug: &yes}) },
			func() error { return d.sim.SetPrinter(admin.SimPrinterRequest{Unplug: &no}) }},
		{"SAM self-test failure", devices.IDCard,
			func() error {
				return d.sim.SetIDCard(admin.SimIDCardRequest{Fault: idcardsim.FaultSAMSelfTest.String()})
			},
			func() error { return d.sim.SetIDCard(admin.SimIDCardRequest{Fault: idcardsim.FaultNone.String()}) }},
		{"reader hung", devices.IDCard,
			func() error { return d.sim.SetIDCard(admin.SimIDCardRequest{Fault: idcardsim.FaultSilent.String()}) },
			func() error { return d.sim.SetIDCard(admin.SimIDCardRequest{Fault: idcardsim.FaultNone.String()}) }},
		{"reader unplugged", devices.IDCard,
			func() error { return d.sim.SetIDCard(admin.SimIDCardRequest{Unplug: &yes}) },
			func() error { return d.sim.SetIDCard(admin.SimIDCardRequest{Unplug: &no}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.breakIt(); err != nil {
				t.Fatal(err)
			}
			checks, err := d.SelfTest(ctx, tc.device)
			if err != nil {
				t.Fatal(err)
			}
			if len(checks) != 1 || checks[0].Pass || checks[0].Remedy == "" || checks[0].RemedyEN == "" {
				t.Fatalf("self-test with %s: %+v", tc.name, checks)
			}
			if err := tc.fix(); err != nil {
				t.Fatal(err)
			}
			// The device may have to reconnect first: try again as it
			// changes.
			if !retryOnChange(d, 10*time.Second, func() bool {
				checks, _ = d.SelfTest(ctx, tc.device)
				return len(checks) == 1 && checks[0].Pass
			}) {
				t.Fatalf("self-test after fixing %s: %+v", tc.name, checks)
			}
		})
	}
}

// Paper running out mid-receipt: the resident is told what to do, the job
// is kept as incomplete, and a technician reprints it once paper is in.
// (A matter whose only paper is the slip: a print matter's proof goes to
// the A4 printer, documents_test.go.)
func TestPaperOutMidReceiptThenReprint(t *testing.T) {
	d, ctx, _ := startSim(t)
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "hz-jzz-qz"}, session.Start{})
	s.waitScreen(session.ScreenIdentify, 5*time.Second)
	if err := d.sim.PlaceCard(idcardsim.Han); err != nil {
		t.Fatal(err)
	}
	s.waitFor("identity", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
	s.do(session.ConfirmIdentity{}, session.FieldInput{ID: "phone", Value: "13912345678"}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	d.sim.pr.PaperOutAfter(100)
	s.do(session.Submit{})
	v := s.waitFor("paper-out notice", 30*time.Second, func(v session.View) bool {
		return v.Screen == session.ScreenPrinting && v.Slip != nil && v.Result != nil
	})
	if v.Result.TrackingNo == "" {
		t.Fatalf("the resident is not given the tracking number: %+v", v.Result)
	}
	jobs, err := d.PrintJobs(ctx)
	if err != nil || len(jobs) != 1 || jobs[0].State != "incomplete" {
		t.Fatalf("jobs after paper out: %+v %v", jobs, err)
	}
	if err := d.sim.SetPrinter(admin.SimPrinterRequest{Paper: "ok"}); err != nil {
		t.Fatal(err)
	}
	var j admin.PrintJob
	if !retryOnChange(d, 10*time.Second, func() bool {
		j, err = d.Reprint(ctx, jobs[0].ID)
		return err == nil && j.State == "done"
	}) {
		t.Fatalf("reprint: %+v %v", j, err)
	}
	if n := len(d.sim.pr.Receipts()); n < 1 {
		t.Fatalf("no full receipt after the reprint (%d)", n)
	}
}
