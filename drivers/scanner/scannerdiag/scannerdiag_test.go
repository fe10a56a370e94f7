package scannerdiag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/scanner/scannerdiag"
	"github.com/henan-county/kiosk/drivers/scanner/scannersim"
)

const wechat = "134567890123456789"

func newSim(t *testing.T, o *scannersim.Opts) *scannersim.Sim {
	t.Helper()
	s, err := scannersim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	code := scannerdiag.Run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

// held runs the diagnostic while the simulator scans text again and
// again, as a scanner in continuous mode does with a phone held in front
// of it: the diagnostic opens the port at some moment and takes the first
// whole code after that.
func held(t *testing.T, sim *scannersim.Sim, text string, args ...string) (int, string, string) {
	t.Helper()
	release := sim.Hold(text, 50*time.Millisecond)
	defer release()
	return run(t, append([]string{"--port", sim.Path(), "--wait", "5s"}, args...)...)
}

func TestCodes(t *testing.T) {
	sim := newSim(t, nil)
	for _, tc := range []struct {
		name, code string
		args       []string
		want       []string
		secret     string
	}{
		{"payment masked", wechat, nil, []string{"**************6789 (18 characters)", "付款码 / payment code, 微信支付 / WeChat Pay"}, wechat},
		{"payment shown", wechat, []string{"--show"}, []string{wechat, "WeChat Pay"}, ""},
		{"receipt", "https://zwfw.zhongmu.gov.cn/jd?no=ZM20261126K7QH2M4X", nil, []string{"回执二维码 / receipt QR code", "受理编号 / tracking: **************2M4X"}, "K7QH"},
		{"tracking", "ZM20261126K7QH2M4X", []string{"--show"}, []string{"受理编号 / tracking number", "ZM20261126K7QH2M4X"}, ""},
		{"certificate", "HNEID:v1:9f8e7d6c5b4a3f2e1d0c", nil, []string{"电子证照码 / certificate code"}, "9f8e7d"},
		{"unknown", "1234", nil, []string{"无法识别 / unknown", "不可用 / not usable: not a code the kiosk knows"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := held(t, sim, tc.code, tc.args...)
			if code != scannerdiag.ExitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if tc.secret != "" && strings.Contains(out, tc.secret) {
				t.Errorf("output shows %q:\n%s", tc.secret, out)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	sim := newSim(t, &scannersim.Opts{Suffix: "\t"})
	code, out, _ := held(t, sim, "6212345678901234567", "--json", "--suffix", `\t`, "--baud", "9600")
	var r scannerdiag.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 0 || r.Status != "ok" || r.Kind != "payment" || r.Provider != "unionpay" || r.Code != "***************4567" ||
		!r.Masked || r.Length != 19 || r.Mode != "serial" || r.Line != sim.Path() {
		t.Errorf("exit %d, %+v", code, r)
	}
}

func TestExitStatuses(t *testing.T) {
	t.Run("nothing scanned", func(t *testing.T) {
		sim := newSim(t, nil)
		code, out, errs := run(t, "--port", sim.Path(), "--wait", "300ms", "--json")
		if code != scannerdiag.ExitNoCode || !strings.Contains(errs, "nothing scanned within 300ms") || strings.Count(errs, "\n") != 1 ||
			!strings.Contains(out, `"status": "no_code"`) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		sim := newSim(t, nil)
		code, out, errs := held(t, sim, "\x1b[2J")
		if code != scannerdiag.ExitDevice || !strings.Contains(errs, "not a code") || !strings.Contains(out, "键盘布局") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
	t.Run("no port", func(t *testing.T) {
		code, _, errs := run(t, "--port", filepath.Join(t.TempDir(), "nothing"))
		if code != scannerdiag.ExitDevice || !strings.Contains(errs, "device gone") || strings.Count(errs, "\n") != 1 {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
	t.Run("not an input device", func(t *testing.T) {
		code, _, errs := run(t, "--input", os.DevNull, "--wait", "1s")
		if code != scannerdiag.ExitDevice || !strings.Contains(errs, "not an input device") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{}, {"--json"}, {"--port", "/dev/x", "--input", "/dev/input/event0"}, {"--bogus"},
			{"--port", "/dev/x", "extra"}, {"--port", "/dev/x", "--baud", "1234"}, {"--port", "/dev/x", "--wait", "soon"},
			{"--port", "/dev/x", "--wait", "0s"}, {"--input", "/dev/input/event0", "--suffix", `\t`},
			{"--port", "/dev/x", "--track-url", "https://x/"},
		} {
			code, out, errs := run(t, args...)
			if code != scannerdiag.ExitUsage || out != "" || strings.Count(errs, "usage: kioskctl diag scanner") != 1 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
			}
		}
		code, out, errs := run(t, "--help")
		if code != scannerdiag.ExitOK || errs != "" || !strings.HasPrefix(out, "usage: kioskctl diag scanner") {
			t.Errorf("--help: exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
}
