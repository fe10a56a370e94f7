package gpiodiag

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/gpio"
)

var update = flag.Bool("update", false, "rewrite golden files")

// listOnly hides the optional interfaces, as a minimal admin-API client would.
type listOnly struct{ Bank }

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		nilBank  bool
		minimal  bool
		wantCode int
		check    func(t *testing.T, b *gpio.Bank)
	}{
		{name: "list", args: nil},
		{name: "list_json", args: []string{"--json"}},
		{name: "set", args: []string{"--set", "backlight=off", "--set", "light_red=on"},
			check: func(t *testing.T, b *gpio.Bank) {
				if on, _ := b.Read(gpio.Backlight); on {
					t.Error("backlight still on")
				}
			}},
		{name: "set_json", args: []string{"--json", "--set", "printer_relay=off"}},
		{name: "pulse", args: []string{"--pulse", "idcard_relay", "--for", "1ms"},
			check: func(t *testing.T, b *gpio.Bank) {
				if on, _ := b.Read(gpio.IDCardRelay); !on {
					t.Error("relay not restored after pulse")
				}
			}},
		{name: "light", args: []string{"--light", "ready"}},
		{name: "drive", args: []string{"--drive", "door=low"}},
		{name: "unknown_pin", args: []string{"--set", "siren=on"}, wantCode: ExitFail},
		{name: "input_set", args: []string{"--json", "--set", "door=on"}, wantCode: ExitFail},
		{name: "bad_value", args: []string{"--set", "backlight=maybe"}, wantCode: ExitUsage},
		{name: "extra_arg", args: []string{"status"}, wantCode: ExitUsage},
		{name: "unknown_flag", args: []string{"--bogus"}, wantCode: ExitUsage},
		{name: "bad_for", args: []string{"--pulse", "idcard_relay", "--for", "-1s"}, wantCode: ExitUsage},
		{name: "bad_light", args: []string{"--light", "disco"}, wantCode: ExitUsage},
		{name: "help", args: []string{"-h"}},
		{name: "unavailable", args: []string{"--json"}, nilBank: true, wantCode: ExitFail},
		{name: "drive_not_sim", args: []string{"--drive", "door=low"}, minimal: true, wantCode: ExitFail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := gpio.NewSim(gpio.SimConfig(), &gpio.Opts{Poll: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Halt()
			var bank Bank = b
			switch {
			case tc.nilBank:
				bank = nil
			case tc.minimal:
				bank = listOnly{b}
			}
			var stdout, stderr bytes.Buffer
			code := Run(t.Context(), tc.args, &stdout, &stderr, bank)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr.String())
			}
			if tc.check != nil {
				tc.check(t, b)
			}
			got := []byte("# stdout\n" + stdout.String() + "# stderr\n" + stderr.String())
			golden(t, filepath.Join("testdata", tc.name+".golden"), got)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
