package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
)

// TestFaceCheckEndToEnd: under Xvfb, with real pointer events, a
// pensioner does the yearly qualification check (城乡居民养老保险待遇资格
// 认证): the card on the simulated reader's pty, the simulated camera's
// picture on the screen, 开始核验, and countysim holds the verification
// and the transaction. Then someone else's face: refused, 再试一次, and
// after three tries the other ways, with the camera's picture gone.
func TestFaceCheckEndToEnd(t *testing.T) {
	k := startKiosk(t)
	toFace := func() {
		t.Helper()
		k.toIdentified("sb-cx-rz")
		k.waitFor("the camera's picture", 20*time.Second, func(si admin.ScreenInfo) bool {
			return si.Screen == "face" && hasWidget(si, "face-begin") && widget(si, "face-preview").Picture
		})
	}
	leave := func() {
		t.Helper()
		k.ctl("sim", "card", "remove")
		k.waitScreen("done", 30*time.Second)
		k.tap("finish")
		k.waitScreen("attract", 30*time.Second)
	}

	toFace()
	k.tap("face-begin")
	k.waitScreen("confirm", 30*time.Second) // 核验通过, then on by itself
	k.tap("submit")
	k.waitScreen("result", 30*time.Second)
	k.tap("next")
	k.waitScreen("rating", 30*time.Second)
	k.tap("rate:5")
	k.waitScreen("done", 10*time.Second)
	k.tap("finish")
	k.waitScreen("attract", 30*time.Second)
	k.ctl("sim", "card", "remove")

	var txs []struct {
		ServiceID string `json:"service_id"`
		Person    *struct {
			FaceVerification string `json:"face_verification"`
		} `json:"person"`
	}
	if err := json.Unmarshal([]byte(k.ctl("sim", "county", "transactions")), &txs); err != nil {
		t.Fatal(err)
	}
	if len(txs) != 1 || txs[0].ServiceID != "sb-cx-rz" || txs[0].Person == nil || !strings.HasPrefix(txs[0].Person.FaceVerification, "FV") {
		t.Fatalf("countysim transactions %+v", txs)
	}

	// Someone else's face.
	k.ctl("sim", "camera", "stranger")
	toFace()
	// Each try's answer is awaited in the log: the button still reads
	// 再试一次 for a moment after a tap, before the check begins.
	answered := func() int { return strings.Count(k.log.String(), "face check answered") }
	for try := 1; try <= 3; try++ {
		if try > 1 {
			k.waitFor("再试一次", 30*time.Second, func(si admin.ScreenInfo) bool {
				return hasWidget(si, "face-begin") && strings.Contains(widget(si, "face-begin").Label, "再试一次")
			})
		}
		before := answered()
		k.tap("face-begin")
		deadline := time.Now().Add(30 * time.Second)
		for answered() == before {
			if time.Now().After(deadline) {
				t.Fatalf("try %d was not answered", try)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	k.waitFor("the other ways", 30*time.Second, func(si admin.ScreenInfo) bool { return hasWidget(si, "end") })
	if si := k.screen(); hasWidget(si, "face-preview") {
		t.Error("the camera's picture is still on the screen")
	}
	k.tap("end")
	leave()
	card, _ := idcardsim.Fixture(idcardsim.Han)
	if strings.Contains(k.log.String(), card.IDNumber) {
		t.Error("the ID number is in kioskd's log")
	}
}
