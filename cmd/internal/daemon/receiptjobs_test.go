package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/config"
	"github.com/henan-county/kiosk/kiosk/mask"
	"github.com/henan-county/kiosk/kiosk/session"
)

// A receipt that paper out cut short is still listed, and reprints, after
// the daemon restarts; on disk it is sealed (nothing of the resident in
// the clear, not even masked).
func TestReceiptJobsSurviveARestart(t *testing.T) {
	state := t.TempDir()
	sameState := func(c *config.Config) { c.State.Dir = state }
	var kept admin.PrintJob
	t.Run("before", func(t *testing.T) {
		d, ctx, _ := startSim(t, sameState)
		s := newResident(t, d)
		s.do(session.Start{})
		s.waitScreen(session.ScreenHome, 5*time.Second)
		s.do(session.ChooseService{ID: "hz-sfz-gs"}, session.Start{})
		s.waitScreen(session.ScreenIdentify, 5*time.Second)
		if err := d.sim.PlaceCard(idcardsim.Han); err != nil {
			t.Fatal(err)
		}
		s.waitFor("identity", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
		s.do(session.ConfirmIdentity{}, session.FieldInput{ID: "phone", Value: "13912345678"}, session.Submit{})
		s.waitScreen(session.ScreenConfirm, 5*time.Second)
		d.sim.pr.PaperOutAfter(100)
		s.do(session.Submit{})
		s.waitFor("paper-out notice", 30*time.Second, func(v session.View) bool {
			return v.Screen == session.ScreenPrinting && v.Slip != nil && v.Result != nil
		})
		jobs, err := d.PrintJobs(ctx)
		if err != nil || len(jobs) != 1 || jobs[0].State != "incomplete" {
			t.Fatalf("jobs after paper out: %+v %v", jobs, err)
		}
		kept = jobs[0]
	})
	if kept.ID == 0 {
		t.FailNow()
	}
	files, _ := filepath.Glob(filepath.Join(state, "receipts", "*.kjob"))
	if len(files) != 1 {
		t.Fatalf("receipt job files %v, want one", files)
	}
	c, _ := idcardsim.Fixture(idcardsim.Han)
	secrets := append(fixtureSecrets(t), mask.ID(c.IDNumber), mask.Name(c.Name), "13912345678", mask.Phone("13912345678"))
	b, _ := os.ReadFile(files[0])
	for _, sec := range secrets {
		if sec != "" && bytes.Contains(b, []byte(sec)) {
			t.Errorf("the kept receipt holds %q in the clear", sec)
		}
	}
	t.Run("after a restart", func(t *testing.T) {
		d, ctx, _ := startSim(t, sameState)
		jobs, err := d.PrintJobs(ctx)
		if err != nil || len(jobs) != 1 || jobs[0].ID != kept.ID || jobs[0].State != "incomplete" {
			t.Fatalf("jobs after the restart: %+v %v; want job %d incomplete", jobs, err, kept.ID)
		}
		var j admin.PrintJob
		if !retryOnChange(d, 10*time.Second, func() bool {
			j, err = d.Reprint(ctx, kept.ID)
			return err == nil && j.State == "done"
		}) {
			t.Fatalf("reprint after the restart: %+v %v", j, err)
		}
		if n := len(d.sim.pr.Receipts()); n != 1 {
			t.Fatalf("%d receipts after the reprint, want 1", n)
		}
	})
}
