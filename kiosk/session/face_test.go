package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
)

// toFace takes a resident to the face check of pension-check with the
// camera on: the picture and the oval, 开始核验 offered.
func toFace(h *harness) {
	h.t.Helper()
	h.do(Start{}, ChooseService{"pension-check"}, Start{}, CardPresent{testCard()})
	fx := h.do(ConfirmIdentity{})
	h.want(ScreenFace)
	if _, ok := find[StartCamera](fx); !ok {
		h.t.Fatalf("the face check began without the camera: %v", fx)
	}
	if v := h.m.View().Face; v == nil || v.State != FaceStarting || v.Preview {
		h.t.Fatalf("face view while the camera starts: %+v", v)
	}
	h.do(CameraStarted{})
	if v := h.m.View().Face; v.State != FaceAim || !v.Preview || !v.CanBegin || v.Privacy == "" {
		h.t.Fatalf("face view with the camera on: %+v", v)
	}
}

// begin presses 开始核验 and returns the check asked for.
func begin(h *harness) CheckFace {
	h.t.Helper()
	c, ok := find[CheckFace](h.do(FaceBegin{}))
	if !ok {
		h.t.Fatalf("no CheckFace on %s: %+v", h.m.Screen(), h.m.View().Face)
	}
	return c
}

func TestFaceCheckPasses(t *testing.T) {
	h := newHarness(t)
	toFace(h)
	c := begin(h)
	if c.Attempt != 1 || c.IDNumber != testCard().IDNumber || c.CardType != string(testCard().Type) || c.Key == "" {
		t.Fatalf("check %+v", c)
	}
	if v := h.m.View().Face; v.State != FaceChecking || v.CanBegin || v.Big != "请眨眨眼" {
		t.Fatalf("checking view %+v", v)
	}
	// While the frames are with the backend, leaving waits for the answer.
	h.do(Back{}, Home{}, Cancel{})
	h.want(ScreenFace)
	fx := h.do(FaceChecked{Attempt: 1, Result: FaceResultPassed, Message: "人脸核验通过", VerificationID: "FV3A9C0B1D2E4F5A6B7C8D"})
	if _, ok := find[StopCamera](fx); !ok {
		t.Fatal("the camera stayed on after the check passed")
	}
	if v := h.m.View().Face; v.State != FacePassed || v.Preview || v.Big != "核验通过" {
		t.Fatalf("passed view %+v", v)
	}
	// 核验通过 stays a moment, then the matter goes on by itself.
	h.tick(facePassedFor)
	h.want(ScreenConfirm)
	fx = h.do(Submit{})
	st, ok := find[SubmitTx](fx)
	if !ok {
		t.Fatal("no SubmitTx")
	}
	if st.Tx.Person == nil || st.Tx.Person.FaceVerification != "FV3A9C0B1D2E4F5A6B7C8D" {
		t.Fatalf("the transaction lacks the verification: %+v", st.Tx.Person)
	}
	// Back to the card and forward again: the same card is not checked twice.
	h2 := newHarness(t)
	toFace(h2)
	begin(h2)
	h2.do(FaceChecked{Attempt: 1, Result: FaceResultPassed, VerificationID: "FV1"}, Continue{})
	h2.want(ScreenConfirm)
	h2.do(Back{})
	h2.want(ScreenIdentify)
	h2.do(ConfirmIdentity{})
	h2.want(ScreenConfirm)
	// A different card is.
	h2.do(Back{}, CardRemoved{}, CardPresent{testCard()}, ConfirmIdentity{})
	h2.want(ScreenFace)
}

func TestFaceCheckRetriesThenOptions(t *testing.T) {
	h := newHarness(t)
	toFace(h)
	verdicts := []struct {
		r    FaceResult
		err  FaceErr
		want string // in the message
	}{
		{FaceResultPoorQuality, "", "请靠近一点"},
		{FaceResultNotAlive, "", "眨眨眼"},
		{"", FaceErrUnreached, "连不上"},
	}
	for i, vd := range verdicts {
		c := begin(h)
		if c.Attempt != i+1 {
			t.Fatalf("attempt %d, want %d", c.Attempt, i+1)
		}
		// A stale answer (an earlier attempt's) changes nothing.
		h.do(FaceChecked{Attempt: c.Attempt - 1, Result: FaceResultPassed, VerificationID: "FVOLD"})
		if h.m.View().Face.State != FaceChecking {
			t.Fatal("a stale answer was taken")
		}
		fx := h.do(FaceChecked{Attempt: c.Attempt, Result: vd.r, Err: vd.err, Message: "未通过"})
		v := h.m.View().Face
		if !strings.Contains(v.Message, vd.want) {
			t.Errorf("try %d: message %q lacks %q", i+1, v.Message, vd.want)
		}
		if i < maxFaceTries-1 {
			if v.State != FaceRetry || !v.CanBegin || !v.Preview || v.TriesLeft != maxFaceTries-i-1 {
				t.Fatalf("try %d: %+v", i+1, v)
			}
			if _, ok := find[StopCamera](fx); ok {
				t.Fatal("the camera went off between tries")
			}
			continue
		}
		if v.State != FaceOptions || v.CanBegin || v.Preview || len(v.Options) != 3 {
			t.Fatalf("after %d tries: %+v", i+1, v)
		}
		if _, ok := find[StopCamera](fx); !ok {
			t.Fatal("the camera stayed on with the other ways shown")
		}
		if !strings.Contains(strings.Join(v.Options, ""), testHotline) || !strings.Contains(strings.Join(v.Options, ""), "豫事办") {
			t.Fatalf("the other ways lack the hotline or the app: %q", v.Options)
		}
	}
	// No fourth try now.
	if _, ok := find[CheckFace](h.do(FaceBegin{})); ok {
		t.Fatal("a fourth try")
	}
	h.do(Finish{})
	h.want(ScreenDone)
	assertNoPersonal(t, h.m)
}

func TestFaceCheckCameraFaults(t *testing.T) {
	t.Run("does not start", func(t *testing.T) {
		h := newHarness(t)
		h.do(Start{}, ChooseService{"pension-check"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{})
		fx := h.do(CameraStarted{Err: errors.New("camera: gone")})
		if v := h.m.View().Face; v.State != FaceOptions || !strings.Contains(v.Message, "摄像头") {
			t.Fatalf("%+v", v)
		}
		if _, ok := find[StopCamera](fx); !ok {
			t.Fatal("a failed camera was not released")
		}
	})
	t.Run("never answers", func(t *testing.T) {
		h := newHarness(t)
		h.do(Start{}, ChooseService{"pension-check"}, Start{}, CardPresent{testCard()}, ConfirmIdentity{})
		h.tick(faceStartWait)
		if v := h.m.View().Face; v.State != FaceOptions {
			t.Fatalf("%+v", v)
		}
	})
	t.Run("goes away mid-check", func(t *testing.T) {
		h := newHarness(t)
		toFace(h)
		c := begin(h)
		h.do(FaceChecked{Attempt: c.Attempt, Err: FaceErrCamera})
		v := h.m.View().Face
		if v.State != FaceOptions || !strings.Contains(v.Message, "照片没有保存") {
			t.Fatalf("%+v", v)
		}
	})
	t.Run("a verdict that never comes", func(t *testing.T) {
		h := newHarness(t)
		toFace(h)
		begin(h)
		h.tick(DefaultTimeouts.Submit)
		if v := h.m.View().Face; v.State != FaceRetry || !strings.Contains(v.Message, "连不上") {
			t.Fatalf("%+v", v)
		}
	})
}

// TestFaceCheckEnds: however the step ends, the camera goes off once.
func TestFaceCheckEnds(t *testing.T) {
	for _, tc := range []struct {
		name string
		evs  []Event
		want Screen
	}{
		{"back", []Event{Back{}}, ScreenIdentify},
		{"home", []Event{Home{}}, ScreenHome},
		{"cancel", []Event{Cancel{}}, ScreenDone},
		{"card removed", []Event{CardRemoved{}}, ScreenIdentify},
		{"another card", []Event{CardPresent{testCard()}}, ScreenIdentify},
		{"walked away", []Event{Tick{}}, ScreenDone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			toFace(h)
			var fx []Effect
			if _, ok := tc.evs[0].(Tick); ok {
				fx = h.tick(DefaultTimeouts.Screen[ScreenFace] + DefaultTimeouts.Warning)
			} else {
				fx = h.do(tc.evs...)
			}
			h.want(tc.want)
			n := 0
			for _, e := range fx {
				if _, ok := e.(StopCamera); ok {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("StopCamera %d times: %v", n, fx)
			}
			if h.m.camOn {
				t.Fatal("camera still on")
			}
			if tc.want == ScreenDone { // home keeps the card on the reader for the next matter
				assertNoPersonal(t, h.m)
			}
		})
	}
}

func TestFaceCheckUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		faces bool
		cam   devices.State
	}{
		{"no camera port", false, devices.Online},
		{"camera offline", true, devices.Offline},
		{"no camera device", true, devices.NoDevice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.m.o.Faces = tc.faces
			h.devs[devicesCamera] = tc.cam
			ok, why := h.m.availability(svcOf(h, "pension-check"))
			if ok || !strings.Contains(why, "摄像头") || !strings.Contains(why, testHotline) {
				t.Fatalf("available %v: %q", ok, why)
			}
		})
	}
	// Elsewhere the kiosk goes on: the other matters are there.
	h := newHarness(t)
	h.devs[devicesCamera] = devices.Offline
	if ok, _ := h.m.availability(svcOf(h, "fund-query")); !ok {
		t.Fatal("a camera fault took another matter down")
	}
}

// TestFacePatience: the face screen waits minutes for an older resident
// before asking whether she is still there.
func TestFacePatience(t *testing.T) {
	h := newHarness(t)
	toFace(h)
	h.tick(2 * time.Minute)
	if v := h.m.View(); v.Timeout != nil || v.Face.State != FaceAim {
		t.Fatalf("after two minutes: timeout %+v face %+v", v.Timeout, v.Face)
	}
}

func svcOf(h *harness, id string) *catalog.Service {
	for i := range h.cat.Services {
		if h.cat.Services[i].ID == id {
			return &h.cat.Services[i]
		}
	}
	h.t.Fatalf("no matter %s", id)
	return nil
}
