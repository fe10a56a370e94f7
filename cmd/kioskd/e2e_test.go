package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/mask"
)

// The end-to-end test runs the real kioskd binary in simulator mode on the
// X display the test has (make test runs it under xvfb-run) and drives a
// resident's journey with real pointer input through xdotool.

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func buildBinaries(t *testing.T) (kioskd, kioskctl string) {
	t.Helper()
	dir := t.TempDir()
	kioskd, kioskctl = filepath.Join(dir, "kioskd"), filepath.Join(dir, "kioskctl")
	for _, b := range [][2]string{{kioskd, "."}, {kioskctl, "../kioskctl"}} {
		out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput()
		if err != nil {
			t.Fatalf("build %s: %v\n%s", b[1], err, out)
		}
	}
	return kioskd, kioskctl
}

type kiosk struct {
	t        *testing.T
	state    string
	kioskctl string
	log      *lockedBuf
	admin    *admin.Client
}

func startKiosk(t *testing.T, extra ...string) *kiosk {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: the end-to-end tests run under xvfb-run (make test-ui)")
	}
	if _, err := exec.LookPath("xdotool"); err != nil {
		t.Fatal("xdotool is missing: make test installs it")
	}
	kioskd, kioskctl := buildBinaries(t)
	k := &kiosk{t: t, state: t.TempDir(), kioskctl: kioskctl, log: &lockedBuf{}}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, kioskd, append([]string{"--sim", "--state", k.state, "--windowed"}, extra...)...)
	cmd.Stdout, cmd.Stderr = k.log, k.log
	// Stopped as systemd stops it, so it stops its simulators and removes
	// what it made outside the state directory.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 20 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("kioskd log:\n%s", k.log.String())
		}
	})
	k.admin = admin.NewClient(filepath.Join(k.state, "admin.sock"))
	k.waitScreen("attract", 30*time.Second)
	return k
}

func (k *kiosk) ctl(args ...string) string {
	k.t.Helper()
	out, err := exec.Command(k.kioskctl, append([]string{"--socket", filepath.Join(k.state, "admin.sock")}, args...)...).CombinedOutput()
	if err != nil {
		k.t.Fatalf("kioskctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (k *kiosk) screen() admin.ScreenInfo {
	var si admin.ScreenInfo
	_ = k.admin.Do(context.Background(), "GET", "/v1/sim/screen", nil, nil, &si)
	return si
}

func (k *kiosk) waitScreen(name string, within time.Duration) admin.ScreenInfo {
	k.t.Helper()
	deadline := time.Now().Add(within)
	for {
		si := k.screen()
		if si.Screen == name && len(si.Widgets) > 0 {
			return si
		}
		if time.Now().After(deadline) {
			k.t.Fatalf("screen %q did not come; it shows %q", name, si.Screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tap clicks the centre of the first widget whose id is one of ids, with
// real pointer events through the X server.
func (k *kiosk) tap(ids ...string) {
	k.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		si := k.screen()
		for _, id := range ids {
			for _, w := range si.Widgets {
				if w.ID == id {
					x, y := int(w.X+w.W/2), int(w.Y+w.H/2)
					// A finger rests on the glass for a moment; so does this tap.
					// No --sync: it waits for the pointer to move, and two
					// buttons in one place (next, then submit) would hold
					// the tap until xdotool gives up.
					out, err := exec.Command("xdotool", "mousemove", fmt.Sprint(x), fmt.Sprint(y), "sleep", "0.03",
						"mousedown", "1", "sleep", "0.08", "mouseup", "1").CombinedOutput()
					if err != nil {
						k.t.Fatalf("xdotool: %v %s", err, out)
					}
					// No hand taps two buttons within a frame or two.
					time.Sleep(150 * time.Millisecond)
					return
				}
			}
		}
		if time.Now().After(deadline) {
			var have []string
			for _, w := range si.Widgets {
				have = append(have, w.ID)
			}
			k.t.Fatalf("none of %v on screen %q (it has %v)", ids, si.Screen, have)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls the screen until ok holds.
func (k *kiosk) waitFor(what string, within time.Duration, ok func(admin.ScreenInfo) bool) {
	k.t.Helper()
	deadline := time.Now().Add(within)
	for {
		si := k.screen()
		if ok(si) {
			return
		}
		if time.Now().After(deadline) {
			k.t.Fatalf("%s did not come; the screen shows %q with %+v", what, si.Screen, si.Widgets)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func hasWidget(si admin.ScreenInfo, id string) bool {
	for _, w := range si.Widgets {
		if w.ID == id {
			return true
		}
	}
	return false
}

func widget(si admin.ScreenInfo, id string) admin.Widget {
	for _, w := range si.Widgets {
		if w.ID == id {
			return w
		}
	}
	return admin.Widget{}
}

func (k *kiosk) has(id string) bool {
	for _, w := range k.screen().Widgets {
		if w.ID == id {
			return true
		}
	}
	return false
}

type received struct {
	ID         string `json:"id"`
	KioskID    string `json:"kiosk_id"`
	ServiceID  string `json:"service_id"`
	TrackingNo string `json:"tracking_no"`
	Deliveries int    `json:"deliveries"`
}

// toIdentified takes a resident from attract to the social-security
// matter svc (from the home screen's popular list, or its category), puts
// han's card on the simulated reader and confirms it.
func (k *kiosk) toIdentified(svc string) {
	k.t.Helper()
	k.tap("start")
	k.waitScreen("home", 10*time.Second)
	if k.has("svc:" + svc) {
		k.tap("svc:" + svc)
	} else {
		k.tap("cat:sb")
		k.waitScreen("category", 10*time.Second)
		k.tap("svc:" + svc)
	}
	k.waitScreen("guide", 10*time.Second)
	k.tap("begin")
	k.waitScreen("identify", 10*time.Second)
	k.ctl("sim", "card", "place", idcardsim.Han)
	k.tap("confirm")
}

func TestResidentJourneyEndToEnd(t *testing.T) {
	k := startKiosk(t)
	k.toIdentified("sb-jfjl-print")
	k.waitScreen("form", 10*time.Second)
	k.tap("field:period")
	k.tap("choice:12")
	k.tap("next")
	k.waitScreen("confirm", 10*time.Second)
	k.tap("submit")
	// The proof first: its first page large and one button 打印 N 页.
	k.waitFor("the proof's preview", 60*time.Second, func(si admin.ScreenInfo) bool {
		return si.Screen == "document" && hasWidget(si, "print")
	})
	si := k.screen()
	page, print := widget(si, "doc-preview"), widget(si, "print")
	if !page.Picture || page.H < 0.4*1920 || page.W < 0.6*page.H || page.W > 0.8*page.H {
		t.Errorf("the page is not shown large as an A4 sheet: %+v", page)
	}
	if print.Label != "打印 1 页" {
		t.Errorf("the print button says %q, want 打印 1 页", print.Label)
	}
	k.tap("print")
	// 请取走打印件, with the slot light on, then the result and the slip.
	k.waitFor("the proof printed", 60*time.Second, func(si admin.ScreenInfo) bool {
		return si.Screen == "document" && hasWidget(si, "next")
	})
	k.tap("next")
	// The result and its tracking number; 下一步 once the slip is out.
	k.waitScreen("result", 60*time.Second)
	k.tap("next")
	k.waitScreen("rating", 10*time.Second)
	k.tap("rate:5")
	k.waitScreen("done", 10*time.Second)
	k.ctl("sim", "card", "remove")
	k.waitScreen("attract", 60*time.Second)

	// countysim recorded exactly one transaction for the matter from this kiosk.
	var got []received
	if err := json.Unmarshal([]byte(k.ctl("sim", "county", "transactions")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ServiceID != "sb-jfjl-print" || got[0].KioskID != "sim-kiosk-01" || got[0].TrackingNo == "" {
		t.Fatalf("countysim received %+v", got)
	}
	// The printed receipt carries the tracking number countysim returned.
	raws, _ := filepath.Glob(filepath.Join(k.state, "receipts", "*.escpos"))
	if len(raws) != 1 {
		t.Fatalf("receipts printed: %v", raws)
	}
	raw, _ := os.ReadFile(raws[0])
	if !bytes.Contains(raw, []byte(got[0].TrackingNo)) {
		t.Fatalf("receipt does not contain tracking number %s", got[0].TrackingNo)
	}
	// The proof came out of the A4 printer: its text holds the resident's
	// name masked as issued, the matter and the verification code, and
	// never the name or ID number in full.
	c, _ := idcardsim.Fixture(idcardsim.Han)
	printed, _ := filepath.Glob(filepath.Join(k.state, "a4", "printed", "*.pdf"))
	if len(printed) != 1 {
		t.Fatalf("A4 documents printed: %v", printed)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", printed[0], "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	code := countysim.VerificationCode("sim-kiosk-01", got[0].ID)
	for _, want := range []string{mask.Name(c.Name), "社保缴费记录打印", code} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed proof lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{c.Name, c.IDNumber} {
		if strings.Contains(text, never) {
			t.Errorf("the printed proof holds %q in full", never)
		}
	}
	// Nothing personal in the daemon's log.
	for _, secret := range []string{c.IDNumber, c.Name, c.Address} {
		if strings.Contains(k.log.String(), secret) {
			t.Errorf("%q appears in kioskd's log", secret)
		}
	}
}
