package cups_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/cups"
)

// TestQueueScript runs the packaged queue set-up (systemd/kiosk-a4-queue)
// against a private cupsd: it creates a driverless queue for the printer,
// the kiosk prints through it, a second run changes nothing, and a bad
// file is refused with status 64.
func TestQueueScript(t *testing.T) {
	sim := startSim(t)
	script, err := filepath.Abs("../../systemd/kiosk-a4-queue")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "a4-printer.conf")
	run := func(content string) (string, int) {
		t.Helper()
		if err := os.WriteFile(conf, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(script, conf)
		cmd.Env = append(os.Environ(), "CUPS_SERVER="+sim.Server())
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	good := "# the hall's A4 printer\nQUEUE=hall-a4\nURI=" + sim.DeviceURI() + "\n"
	out, code := run(good)
	if code != 0 || !strings.Contains(out, "queue hall-a4 now prints to") {
		t.Fatalf("first run: status %d\n%s", code, out)
	}
	p := cups.New(&cups.Opts{Server: sim.Server(), Queue: "hall-a4", Timeout: 5 * time.Second})
	defer p.Halt()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	id, err := p.Print(ctx, onePagePDF("queue made by the package"), "queue test")
	if err != nil {
		t.Fatal(err)
	}
	if j, err := p.Wait(ctx, id, 200*time.Millisecond, nil); err != nil || j.Err() != nil {
		t.Fatalf("job through the new queue: %+v, %v", j, err)
	}
	if out, code := run(good); code != 0 || strings.Contains(out, "now prints to") {
		t.Errorf("second run changed the queue: status %d\n%s", code, out)
	}
	for _, bad := range []string{
		"QUEUE=hall-a4\nURI=file:///etc/passwd\n",
		"QUEUE=../x\nURI=" + sim.DeviceURI() + "\n",
		"QUEUE=hall-a4\nURI=" + sim.DeviceURI() + "\nDRIVER=foo\n",
	} {
		if out, code := run(bad); code != 64 {
			t.Errorf("%q: status %d, want 64\n%s", bad, code, out)
		}
	}
}
