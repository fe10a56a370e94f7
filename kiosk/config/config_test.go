package config

import (
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSampleConfigParsesToDefaults(t *testing.T) {
	b, err := os.ReadFile("../../systemd/kioskd.toml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(b)
	if err != nil {
		t.Fatalf("sample config: %v", err)
	}
	d := Default()
	if c.Kiosk != d.Kiosk || c.Display != d.Display || c.IDCard != d.IDCard || c.Printer != d.Printer || c.Session != d.Session || c.Scanner != d.Scanner {
		t.Errorf("sample differs from defaults:\n%+v\n%+v", c, d)
	}
	if c.GPIO.Inputs["door"] != "GPIO27" || len(c.Catalog.TrustedKeys) != 1 {
		t.Errorf("gpio/catalog not read: %+v %+v", c.GPIO, c.Catalog)
	}
}

func TestParseErrorsNameTheSetting(t *testing.T) {
	for _, tc := range []struct {
		name, toml, want string
	}{
		{"unknown key", "[printer]\nbaudrate = 9600\n", "printer.baudrate"},
		{"unknown section", "[printr]\nport = \"x\"\n", "printr"},
		{"bad duration", "[idcard]\npoll_interval = \"soon\"\n", "soon"},
		{"bad baud", "[idcard]\nbaud = 1234\n", "idcard.baud"},
		{"bad rotate", "[display]\nrotate = 45\n", "display.rotate"},
		{"plain http", "[backend]\nurl = \"http://x\"\n", "backend.url"},
		{"short countdown", "[session]\ncountdown = \"5s\"\n", "session.countdown"},
		{"bad chinese mode", "[printer]\nchinese_mode = \"big5\"\n", "printer.chinese_mode"},
		{"wrong type", "[display]\nwidth = \"wide\"\n", "width"},
		{"tiny document cap", "[a4]\nmax_document = 100\n", "a4.max_document"},
		{"huge document cap", "[a4]\nmax_document = 1000000000\n", "a4.max_document"},
		{"no retention", "[a4]\nretention = \"0s\"\n", "a4.retention"},
		{"endless retention", "[a4]\nretention = \"2000h\"\n", "a4.retention"},
		{"scanner without a line", "[scanner]\nenabled = true\n", "scanner: enabled without a port"},
		{"scanner with both lines", "[scanner]\nenabled = true\nport = \"/dev/ttyACM0\"\ninput = \"/dev/input/event3\"\n", "not both"},
		{"scanner input not a device", "[scanner]\nenabled = true\ninput = \"event3\"\n", "scanner.input"},
		{"scanner bad baud", "[scanner]\nbaud = 4800\n", "scanner.baud"},
		{"scanner printable suffix", "[scanner]\nsuffix = \"#\"\n", "scanner.suffix"},
		{"scanner suffix in keyboard mode", "[scanner]\nenabled = true\ninput = \"/dev/input/event3\"\nsuffix = \"\\t\"\n", "scanner.suffix"},
		{"scanner unknown key", "[scanner]\ndevice = \"/dev/ttyACM0\"\n", "scanner.device"},
		{"bad log level", "[log]\nlevel = \"verbose\"\n", "log.level"},
		{"bad find after read", "[idcard]\nfind_after_read = \"sometimes\"\n", "idcard.find_after_read"},
		{"bad printer transport", "[printer]\ntransport = \"usb\"\n", "printer.transport"},
		{"bad flow control", "[printer]\nflow_control = \"hardware\"\n", "printer.flow_control"},
		{"xonxoff against rtscts", "[printer]\nflow_control = \"rtscts\"\nxonxoff = true\n", "printer.xonxoff"},
		{"endless stop grace", "[daemon]\nstop_grace = \"2h\"\n", "daemon.stop_grace"},
		{"stop grace typo", "[daemon]\nstop_timeout = \"1m\"\n", "daemon.stop_timeout"},
		{"not toml", "[[[", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.toml))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

func TestDevHTTPAllowedOnlyInDev(t *testing.T) {
	c, err := Parse([]byte("[backend]\nurl = \"http://127.0.0.1:1\"\ndev = true\ntimeout = \"3s\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Backend.Timeout.Duration != 3*time.Second {
		t.Errorf("timeout %v", c.Backend.Timeout)
	}
}

func TestA4DocumentSettings(t *testing.T) {
	d := Default()
	if d.A4.MaxDocument != 16<<20 || d.A4.Retention.Duration != 24*time.Hour {
		t.Fatalf("defaults: max_document %d, retention %v", d.A4.MaxDocument, d.A4.Retention)
	}
	c, err := Parse([]byte("[a4]\nenabled = true\nmax_document = 4194304\nretention = \"6h\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.A4.MaxDocument != 4<<20 || c.A4.Retention.Duration != 6*time.Hour || c.A4.Queue != "a4" {
		t.Fatalf("read %+v", c.A4)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile("../../systemd/kioskd.toml")
	f.Add(b)
	f.Add([]byte("[kiosk]\nid = \"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err == nil {
			if verr := c.Validate(); verr != nil {
				t.Fatalf("Parse accepted a config Validate rejects: %v", verr)
			}
		}
	})
}

func TestScannerSettings(t *testing.T) {
	d := Default()
	if d.Scanner.Enabled || d.Scanner.Baud != 115200 {
		t.Fatalf("default scanner %+v: off, 115200 baud", d.Scanner)
	}
	for _, tc := range []struct {
		toml string
		want Scanner
	}{
		{"[scanner]\nenabled = true\nport = \"/dev/kiosk-scanner\"\nbaud = 9600\nsuffix = \"\\t\"\n",
			Scanner{Enabled: true, Port: "/dev/kiosk-scanner", Baud: 9600, Suffix: "\t"}},
		{"[scanner]\nenabled = true\ninput = \"/dev/input/by-id/usb-scanner-event-kbd\"\n",
			Scanner{Enabled: true, Input: "/dev/input/by-id/usb-scanner-event-kbd", Baud: 115200}},
	} {
		c, err := Parse([]byte(tc.toml))
		if err != nil {
			t.Fatalf("%q: %v", tc.toml, err)
		}
		if c.Scanner != tc.want {
			t.Errorf("%q: %+v, want %+v", tc.toml, c.Scanner, tc.want)
		}
	}
}

func TestLogLevel(t *testing.T) {
	for _, tc := range []struct {
		toml string
		want slog.Level
	}{
		{"", slog.LevelInfo},
		{"[log]\nlevel = \"debug\"\n", slog.LevelDebug},
		{"[log]\nlevel = \"warn\"\n", slog.LevelWarn},
		{"[log]\nlevel = \"error\"\n", slog.LevelError},
	} {
		c, err := Parse([]byte(tc.toml))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Log.SlogLevel(); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.toml, got, tc.want)
		}
	}
}

func TestPrinterFlow(t *testing.T) {
	for _, tc := range []struct{ toml, want string }{
		{"", "none"},
		{"[printer]\nxonxoff = true\n", "xonxoff"},
		{"[printer]\nflow_control = \"rtscts\"\n", "rtscts"},
		{"[printer]\nflow_control = \"dtrdsr\"\n", "dtrdsr"},
		{"[printer]\nflow_control = \"xonxoff\"\nxonxoff = true\n", "xonxoff"},
	} {
		c, err := Parse([]byte("[kiosk]\nid = \"k1\"\n" + tc.toml))
		if err != nil {
			t.Fatalf("%q: %v", tc.toml, err)
		}
		if got := c.Printer.Flow(); got != tc.want {
			t.Errorf("%q: flow %q, want %q", tc.toml, got, tc.want)
		}
	}
}
