package phonediag_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/phone"
	"github.com/henan-county/kiosk/drivers/phone/dutydesk"
	"github.com/henan-county/kiosk/drivers/phone/internal/baresiptest"
	"github.com/henan-county/kiosk/drivers/phone/internal/wav"
	"github.com/henan-county/kiosk/drivers/phone/phonediag"
)

func TestCheck(t *testing.T) {
	bin := baresiptest.Require(t)
	desk, err := dutydesk.Start(context.Background(), dutydesk.Config{Binary: bin, Dir: t.TempDir(), Listen: baresiptest.SIPAddr(t), AnswerAfter: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	voice := filepath.Join(t.TempDir(), "v.wav")
	os.WriteFile(voice, wav.Encode(wav.Tone(8000, 300, 0.3, 1)), 0o600)
	file := phone.Config{Binary: bin, Listen: baresiptest.SIPAddr(t), Audio: "file", AudioIn: voice, FileCall: 20 * time.Second}

	for _, tc := range []struct {
		name   string
		opts   phonediag.Opts
		status string
	}{
		{"answered", phonediag.Opts{Phone: file, CallURI: desk.URI()}, "ok"},
		{"no call", phonediag.Opts{Phone: file}, "ok"},
		{"nobody there", phonediag.Opts{Phone: file, CallURI: "sip:desk@" + baresiptest.SIPAddr(t), Wait: 3 * time.Second}, "call_failed"},
		{"no baresip", phonediag.Opts{Phone: phone.Config{Binary: "/nonexistent/baresip"}}, "no_baresip"},
		{"no sound card", phonediag.Opts{Phone: phone.Config{Binary: bin, Listen: baresiptest.SIPAddr(t), ASoundDir: "/nonexistent"}}, "no_audio"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := phonediag.Check(context.Background(), tc.opts)
			b, _ := json.Marshal(r)
			t.Logf("%s", b)
			if r.Status != tc.status {
				t.Fatalf("status %s (%s), want %s", r.Status, r.Reason, tc.status)
			}
			if tc.status != "ok" {
				return
			}
			if !strings.Contains(r.Version, "baresip v") || r.ControlMS <= 0 || len(r.Modules) == 0 {
				t.Errorf("report lacks version, control time or modules: %s", b)
			}
			if tc.opts.CallURI != "" && (r.Call == nil || !r.Call.Answered || r.Call.AnswerMS < 250) {
				t.Errorf("call: %+v, want answered after about 300 ms", r.Call)
			}
		})
	}
}
