package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
)

// TestAssistCallEndToEnd: under Xvfb, with real pointer events. The
// cabinet's help button calls the simulated 小牟帮办 duty desk through the
// kiosk's baresip; the desk answers; the resident hangs up from the
// screen and is back where she was. Then nobody answers: after the ring
// time the screen offers a callback, she types her number on the keypad,
// and countysim queues the request with the ticket the screen shows.
func TestAssistCallEndToEnd(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "kioskd.toml")
	if err := os.WriteFile(cfg, []byte("[phone]\nanswer_timeout = \"10s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k := startKiosk(t, "--config", cfg)
	k.tap("start")
	k.waitScreen("home", 10*time.Second)

	// The help button (wired active low): pressed and held as a finger
	// does (a press shorter than the 30 ms debounce is a bounce), released.
	k.ctl("sim", "gpio", "help", "low")
	time.Sleep(200 * time.Millisecond)
	k.ctl("sim", "gpio", "help", "high")
	k.waitFor("the call", 10*time.Second, func(si admin.ScreenInfo) bool { return hasWidget(si, "help-hangup") })
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(k.log.String(), "duty desk answered") {
		if time.Now().After(deadline) {
			t.Fatal("the duty desk did not answer")
		}
		time.Sleep(100 * time.Millisecond)
	}
	k.tap("help-hangup")
	k.waitFor("the call's end", 10*time.Second, func(si admin.ScreenInfo) bool { return hasWidget(si, "help-close") })
	k.tap("help-close")
	// The overlay sits on home: wait for it to go, not for home.
	k.waitFor("the help overlay closed", 5*time.Second, func(si admin.ScreenInfo) bool {
		return si.Screen == "home" && !hasWidget(si, "help-close")
	})
	if out := k.ctl("sim", "desk", "no-answer"); !strings.Contains(out, "no-answer (1 calls so far)") {
		t.Fatalf("the desk had other calls: %s", out)
	}

	// Nobody answers: a callback with a ticket.
	k.tap("help")
	k.tap("help-call")
	k.waitFor("the callback offer", 30*time.Second, func(si admin.ScreenInfo) bool { return hasWidget(si, "help-callback") })
	k.tap("help-callback")
	k.waitScreen("form", 10*time.Second)
	k.tap("field:phone")
	for _, d := range "13812345678" {
		k.tap("pad:" + string(d))
	}
	k.tap("next")
	k.waitScreen("confirm", 10*time.Second)
	k.tap("submit")
	k.waitScreen("result", 30*time.Second)

	var queue []struct {
		Kind   string `json:"kind"`
		Ticket string `json:"ticket"`
		Phone  string `json:"phone"`
	}
	if err := json.Unmarshal([]byte(k.ctl("sim", "county", "assist")), &queue); err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].Kind != "callback" || len(queue[0].Ticket) != 8 || queue[0].Phone != "138****5678" {
		t.Fatalf("countysim's 小牟帮办 queue: %+v", queue)
	}
	if strings.Contains(k.log.String(), "13812345678") {
		t.Error("the resident's phone number is in the log")
	}
}
