package daemon

import (
	"bytes"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/gpio"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/session"
)

// TestFaceCheckAgainstSimulatedWorld: the resident's journey through the
// host, the simulated ID card reader on its pty, the simulated camera
// and countysim over mutual TLS. A pensioner's qualification check
// passes and countysim holds the verification and the transaction; a
// stranger's face is refused three times and the other ways are shown;
// the fill light is lit only while the camera is on; after the session
// no frame is anywhere: not in the screen's reach, the log, or the
// state directory.
func TestFaceCheckAgainstSimulatedWorld(t *testing.T) {
	d, _, logs := startSimWith(t, Options{NoSimCUPS: true})
	waitDevices(t, d, "camera")
	s := newResident(t, d)
	light := func() bool {
		on, _ := d.bank.Read(gpio.FillLight)
		return on
	}
	toFace := func() {
		t.Helper()
		s.do(session.Start{})
		s.waitScreen(session.ScreenHome, 5*time.Second)
		s.do(session.ChooseService{ID: "sb-cx-rz"}, session.Start{})
		s.waitScreen(session.ScreenIdentify, 5*time.Second)
		if err := d.Sim().PlaceCard(idcardsim.Han); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the card", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
		s.do(session.ConfirmIdentity{})
		s.waitFor("the picture", 15*time.Second, func(v session.View) bool {
			return v.Screen == session.ScreenFace && v.Face != nil && v.Face.State == session.FaceAim
		})
		if !light() {
			t.Error("the fill light is dark while the camera is on")
		}
		img, _, err := d.Host().CameraPreview(nil, 0)
		if err != nil || img.Rect.Dx() == 0 {
			t.Fatalf("no preview with the camera on: %v", err)
		}
		clear(img.Pix)
	}
	gone := func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for light() || previewing(d.Host()) {
			if time.Now().After(deadline) {
				t.Fatalf("camera still on after the step: light %v", light())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// leave: the resident finishes and takes the card; the next one comes.
	leave := func() {
		t.Helper()
		s.do(session.Finish{})
		if err := d.Sim().RemoveCard(); err != nil {
			t.Fatal(err)
		}
		s.waitScreen(session.ScreenDone, 10*time.Second)
		s.do(session.Finish{})
		s.waitScreen(session.ScreenAttract, 10*time.Second)
	}

	// Passes.
	if err := d.sim.SetCameraScene("blink"); err != nil {
		t.Fatal(err)
	}
	toFace()
	s.do(session.FaceBegin{})
	s.waitFor("核验通过", 30*time.Second, func(v session.View) bool { return v.Face != nil && v.Face.State == session.FacePassed })
	gone()
	s.waitScreen(session.ScreenConfirm, 10*time.Second)
	s.do(session.Submit{})
	v := s.waitFor("the result", 20*time.Second, func(v session.View) bool { return v.Result != nil })
	txs, err := d.County().Transactions()
	if err != nil || len(txs) != 1 || txs[0].ServiceID != "sb-cx-rz" || txs[0].Person == nil || txs[0].Person.FaceVerification == "" {
		t.Fatalf("countysim transactions %+v, %v (result %+v)", txs, err, v.Result)
	}
	st := d.County().FaceStats()
	if st.ByResult["passed"] != 1 || st.Verifications[0].VerificationID != txs[0].Person.FaceVerification {
		t.Fatalf("countysim verifications %+v", st)
	}
	s.waitFor("the slip", 30*time.Second, func(v session.View) bool { return v.Printing != session.PrintBusy })
	leave()

	// Someone else's face: three tries, then the other ways.
	if err := d.sim.SetCameraScene("stranger"); err != nil {
		t.Fatal(err)
	}
	toFace()
	for try := 1; try <= 3; try++ {
		s.do(session.FaceBegin{})
		v = s.waitFor("a verdict", 30*time.Second, func(v session.View) bool {
			return v.Face != nil && v.Face.Attempt == try && (v.Face.State == session.FaceRetry || v.Face.State == session.FaceOptions)
		})
	}
	if v.Face.State != session.FaceOptions || len(v.Face.Options) != 3 || !strings.Contains(v.Face.Message, "本人") {
		t.Fatalf("after three refusals: %+v", v.Face)
	}
	gone()
	// She asks for a home visit from the options: the team comes to do
	// the check at home, routed to her village station.
	if !v.Face.HomeVisit {
		t.Fatal("no home visit offered after three refusals")
	}
	s.do(session.RequestHomeVisit{})
	v = s.waitScreen(session.ScreenForm, 5*time.Second)
	village := ""
	for _, f := range v.Form {
		if f.ID == "village" && len(f.Choices) > 0 {
			village = f.Choices[0].Value
		}
	}
	if village == "" {
		t.Fatalf("no villages of the hall's township: %+v", v.Form)
	}
	s.do(session.FieldInput{ID: "reason", Value: "over60"}, session.FieldInput{ID: "phone", Value: "13912345678"},
		session.FieldInput{ID: "village", Value: village}, session.FieldInput{ID: "address", Value: "文化路社区3号楼2单元"},
		session.FieldInput{ID: "consent", Value: "yes"}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	s.do(session.Submit{})
	v = s.waitFor("the ticket", 20*time.Second, func(v session.View) bool { return v.Result != nil })
	reqs, err := d.County().AssistRequests("")
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Kind != "home_visit" || reqs[0].PlaceID != village || reqs[0].ForService != "sb-cx-rz" ||
		reqs[0].Ticket != v.Result.TrackingNo || !strings.Contains(v.Result.Next, reqs[0].PlaceName) {
		t.Fatalf("home visit %+v, result %+v", reqs, v.Result)
	}
	s.waitFor("the slip", 30*time.Second, func(v session.View) bool { return v.Printing != session.PrintBusy })
	leave()
	if st := d.County().FaceStats(); st.ByResult["not_same_person"] != 3 {
		t.Fatalf("countysim verdicts %+v", st.ByResult)
	}

	// Nothing of a face or the ID number is left.
	card, _ := idcardsim.Fixture(idcardsim.Han)
	if l := logs.String(); strings.Contains(l, card.IDNumber) || strings.Contains(l, "/9j/") {
		t.Error("the log has the ID number or a frame")
	}
	jpeg := []byte("\xff\xd8\xff\xdb\x00\x84") // a JPEG as the kiosk encodes frames
	err = filepath.WalkDir(d.cfg.State.Dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err // directories, the devices' ptys, the admin socket
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, jpeg) || bytes.Contains(b, []byte("/9j/")) {
			t.Errorf("a frame in %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func previewing(h *host.Host) bool {
	_, _, err := h.CameraPreview(&image.RGBA{}, 0)
	return err == nil
}
