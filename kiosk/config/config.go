// Package config reads kioskd's TOML configuration. Every setting has a
// sane default; unknown keys are errors that name the key, so a typo in
// the field is found at start-up rather than at 3 a.m.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Duration is a time.Duration written as "90s", "5m" or "1h30m".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration (write e.g. \"30s\", \"5m\"): %q", b)
	}
	if v < 0 {
		return fmt.Errorf("negative duration %q", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration in Go's syntax.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Config is the whole configuration.
type Config struct {
	Kiosk      Kiosk      `toml:"kiosk"`
	State      State      `toml:"state"`
	Display    Display    `toml:"display"`
	IDCard     IDCard     `toml:"idcard"`
	Printer    Printer    `toml:"printer"`
	A4         A4         `toml:"a4"`
	GPIO       GPIO       `toml:"gpio"`
	Scanner    Scanner    `toml:"scanner"`
	Camera     Camera     `toml:"camera"`
	Phone      Phone      `toml:"phone"`
	Assist     Assist     `toml:"assist"`
	Backend    Backend    `toml:"backend"`
	Catalog    Catalog    `toml:"catalog"`
	Outbox     Outbox     `toml:"outbox"`
	Admin      Admin      `toml:"admin"`
	Metrics    Metrics    `toml:"metrics"`
	Technician Technician `toml:"technician"`
	Session    Session    `toml:"session"`
	Voice      Voice      `toml:"voice"`
	Log        Log        `toml:"log"`
	Daemon     Daemon     `toml:"daemon"`
}

// Daemon tunes kioskd as a process.
type Daemon struct {
	// StopGrace is how long kioskd, asked to stop (SIGTERM: an upgrade,
	// systemctl stop), lets a resident's session finish before it stops
	// anyway. 0 stops at once. Keep systemd's TimeoutStopSec= above it
	// (kioskd.service: 5m30s for the default 5m).
	StopGrace Duration `toml:"stop_grace"`
}

// Log configures kioskd's log.
type Log struct {
	// Level is the least severe level written: debug, info (the
	// default), warn or error.
	Level string `toml:"level"`
}

// SlogLevel is Level as a slog level (info when empty).
func (l Log) SlogLevel() slog.Level {
	switch l.Level {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Kiosk identifies this kiosk.
type Kiosk struct {
	ID       string `toml:"id"`       // also the CN of its client certificate
	Hall     string `toml:"hall"`     // a hall id from the catalog
	Location string `toml:"location"` // printed on receipts, e.g. "大厅东侧 2 号机"
}

// State says where persistent state lives.
type State struct {
	Dir string `toml:"dir"`
}

// Display configures the window.
type Display struct {
	Width      int    `toml:"width"`
	Height     int    `toml:"height"`
	Rotate     int    `toml:"rotate"` // 0, 90, 180, 270: the panel is mounted turned
	Fullscreen bool   `toml:"fullscreen"`
	Font       string `toml:"font"`
	FontBold   string `toml:"font_bold"`
}

// Serial is a serial device.
type Serial struct {
	Enabled      bool     `toml:"enabled"`
	Port         string   `toml:"port"`
	Baud         int      `toml:"baud"`
	PollInterval Duration `toml:"poll_interval"`
}

// IDCard is the ID card reader.
type IDCard struct {
	Serial
	// FindAfterRead is how the reader model answers "find card" for a
	// card it has read that still lies there: "halts" (no card until it
	// leaves the field), "refinds" (found again while it lies there) or
	// "auto" (the default: learned at the first read).
	FindAfterRead string `toml:"find_after_read"`
}

// Printer is the receipt printer.
type Printer struct {
	Serial
	Dots        int    `toml:"dots"`         // printable width: 384 (58 mm), 576, 512 or 640 (80 mm)
	ChineseMode string `toml:"chinese_mode"` // "fs" (FS & … FS .) or "gbk" (plain GBK bytes)
	NativeQR    bool   `toml:"native_qr"`
	// FlowControl is how the printer holds the line when its buffer is
	// full, as it is set: "none" (the default), "xonxoff", "rtscts" or
	// "dtrdsr".
	FlowControl string `toml:"flow_control"`
	// Transport is how the printer is reached: "serial" (a serial port,
	// or a USB-serial bridge), "usblp" (a USB printer-class device node,
	// /dev/usb/lpN) or "" (the default: usblp when port is or links to
	// /dev/usb/lpN, else serial).
	Transport string `toml:"transport"`
	// Retention is how long a receipt job is kept for a reprint
	// (encrypted, on disk) after its last print (default 24h).
	Retention Duration `toml:"retention"`
	// XONXOFF is the older spelling of flow_control = "xonxoff".
	XONXOFF bool `toml:"xonxoff"`
}

// Flow is the printer's flow control, with the older xonxoff = true read
// as "xonxoff".
func (p Printer) Flow() string {
	if p.FlowControl == "" || p.FlowControl == "none" {
		// The default is "none": xonxoff = true from an older file still counts.
		if p.XONXOFF {
			return "xonxoff"
		}
		return "none"
	}
	return p.FlowControl
}

// A4 is the A4 printer behind the local cupsd (proofs residents take to
// an office). Off by default: a kiosk without one prints slips only.
type A4 struct {
	Enabled      bool     `toml:"enabled"`
	Server       string   `toml:"server"` // cupsd, host:port (default localhost:631)
	Queue        string   `toml:"queue"`  // the CUPS queue (default "a4")
	PollInterval Duration `toml:"poll_interval"`
	// MaxDocument is the largest document (bytes) the kiosk downloads and
	// accepts from the backend (default 16 MiB; a one-page proof is about
	// 100 KiB).
	MaxDocument int64 `toml:"max_document"`
	// Retention is how long a document a fault kept for a reprint stays
	// on the kiosk (encrypted) before it is deleted (default 24h).
	Retention Duration `toml:"retention"`
}

// Scanner is the 1D/2D code scanner (docs/scanner.md): a serial or USB
// CDC scanner on Port, or a keyboard-mode USB scanner read from its input
// device Input. Off by default: a kiosk without one asks residents to
// type what a scanner would read.
type Scanner struct {
	Enabled bool   `toml:"enabled"`
	Port    string `toml:"port"`  // /dev/serial/by-id/…, /dev/ttyACM0
	Baud    int    `toml:"baud"`  // serial only
	Input   string `toml:"input"` // /dev/input/eventN or a udev link: keyboard mode, grabbed exclusively
	// Suffix is what a serial scanner sends after each code when it is set
	// to something other than CR, LF or CRLF (e.g. "\t"); control
	// characters only.
	Suffix string `toml:"suffix"`
}

// Camera is the UVC camera for face verification (docs/camera.md), read
// through V4L2. Off by default: a kiosk without one has no face step.
type Camera struct {
	Enabled bool   `toml:"enabled"`
	Device  string `toml:"device"` // /dev/videoN or a /dev/v4l/by-id/ link
	Width   int    `toml:"width"`  // pixels, e.g. 640
	Height  int    `toml:"height"` // pixels, e.g. 480
	FPS     int    `toml:"fps"`    // frames per second asked of the camera
	// Format is "mjpeg", "yuyv" or "" (either, MJPEG preferred).
	Format string `toml:"format"`
}

// Phone is the call to the 小牟帮办 duty desk (docs/phone.md): a baresip
// child on the kiosk's speaker and microphone. Off by default: a kiosk
// without one offers the hotline and the QR code.
type Phone struct {
	Enabled bool   `toml:"enabled"`
	Baresip string `toml:"baresip"` // the program
	Dir     string `toml:"dir"`     // baresip's configuration (default <state dir>/phone)
	Listen  string `toml:"listen"`  // local SIP address
	User    string `toml:"user"`
	// DeskDay is the hall's desk (sip:duty@10.20.1.5); DeskNight the
	// county's on-call desk, called from NightFrom to NightTo.
	DeskDay       string   `toml:"desk_day"`
	DeskNight     string   `toml:"desk_night"`
	NightFrom     string   `toml:"night_from"` // "18:00"
	NightTo       string   `toml:"night_to"`   // "08:30"
	AnswerTimeout Duration `toml:"answer_timeout"`
	Audio         string   `toml:"audio"`     // "alsa" or "file"
	AudioIn       string   `toml:"audio_in"`  // ALSA capture device, or a WAV file
	AudioOut      string   `toml:"audio_out"` // ALSA playback device, or a directory
}

// Assist is 帮办模式 for the hall's 小牟帮办 staff: staff numbers and
// their PINs' bcrypt hashes (kioskctl pin-hash makes one), with the same
// lockout as the technician PIN. None: the mode is not offered.
type Assist struct {
	Staff       map[string]string `toml:"staff"` // staff number → bcrypt hash
	MaxAttempts int               `toml:"max_attempts"`
	Lockout     Duration          `toml:"lockout"`
}

// GPIO maps logical pins to the board's GPIO names.
type GPIO struct {
	Enabled   bool              `toml:"enabled"`
	Inputs    map[string]string `toml:"inputs"`  // presence, door, help
	Outputs   map[string]string `toml:"outputs"` // light_red, light_green, light_blue, printer_relay, idcard_relay, backlight
	ActiveLow []string          `toml:"active_low"`
	Debounce  Duration          `toml:"debounce"`
}

// Backend is the county backend.
type Backend struct {
	URL               string   `toml:"url"`
	CA                string   `toml:"ca"`
	Cert              string   `toml:"cert"`
	Key               string   `toml:"key"`
	Dev               bool     `toml:"dev"` // allow plain http (development setups only)
	Timeout           Duration `toml:"timeout"`
	SubmitWait        Duration `toml:"submit_wait"` // how long a resident waits for an answer before "queued"
	HeartbeatInterval Duration `toml:"heartbeat_interval"`
}

// Catalog is where signed service lists come from and whom to trust.
type Catalog struct {
	TrustedKeys  []string `toml:"trusted_keys"` // minisign public keys (base64 lines or file paths)
	RequireTwo   bool     `toml:"require_two"`
	MaxSize      int64    `toml:"max_size"`
	PollInterval Duration `toml:"poll_interval"`
}

// Outbox is the durable transaction queue.
type Outbox struct {
	KeyFile       string   `toml:"key_file"`
	RetentionDays int      `toml:"retention_days"`
	BackoffBase   Duration `toml:"backoff_base"`
	BackoffCap    Duration `toml:"backoff_cap"`
}

// Admin is the local admin API.
type Admin struct {
	Socket string `toml:"socket"`
	Group  string `toml:"group"` // members may use the socket
	// AllowUIDs are the peer uids accepted besides root and kioskd's own.
	AllowUIDs []int `toml:"allow_uids"`
}

// Metrics is the Prometheus endpoint.
type Metrics struct {
	Listen string `toml:"listen"` // "" disables it
}

// Technician configures the on-screen technician mode.
type Technician struct {
	PINHash     string   `toml:"pin_hash"` // bcrypt hash: kioskctl pin-hash makes one
	MaxAttempts int      `toml:"max_attempts"`
	Lockout     Duration `toml:"lockout"`
}

// Session tunes the resident's session.
type Session struct {
	Timeout   Duration `toml:"timeout"`   // inactivity before the countdown
	Countdown Duration `toml:"countdown"` // the countdown itself
}

// Voice configures spoken guidance.
type Voice struct {
	Enabled bool   `toml:"enabled"`
	Volume  int    `toml:"volume"` // 0..100, restored after every session
	Voice   string `toml:"voice"`  // espeak-ng voice
}

// Default returns the configuration used when a setting is not given.
func Default() Config {
	return Config{
		Kiosk: Kiosk{ID: "kiosk-01", Hall: "zwzx", Location: "自助服务区 1 号机"},
		State: State{Dir: "/var/lib/kioskd"},
		Display: Display{Width: 1080, Height: 1920, Fullscreen: true,
			Font:     "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
			FontBold: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"},
		IDCard:  IDCard{Serial: Serial{Enabled: true, Port: "/dev/kiosk-idcard", Baud: 115200, PollInterval: Duration{time.Second}}, FindAfterRead: "auto"},
		Printer: Printer{Serial: Serial{Enabled: true, Port: "/dev/kiosk-printer", Baud: 115200, PollInterval: Duration{5 * time.Second}}, Dots: 576, ChineseMode: "fs", NativeQR: true, FlowControl: "none", Retention: Duration{24 * time.Hour}},
		A4:      A4{Server: "localhost:631", Queue: "a4", PollInterval: Duration{5 * time.Second}, MaxDocument: 16 << 20, Retention: Duration{24 * time.Hour}},
		GPIO:    GPIO{Enabled: false, Debounce: Duration{30 * time.Millisecond}},
		Scanner: Scanner{Baud: 115200},
		Camera:  Camera{Device: "/dev/video0", Width: 640, Height: 480, FPS: 15},
		Phone: Phone{Baresip: "baresip", Listen: "0.0.0.0:5060", User: "kiosk", NightFrom: "18:00", NightTo: "08:30",
			AnswerTimeout: Duration{45 * time.Second}, Audio: "alsa", AudioIn: "default", AudioOut: "default"},
		Backend:    Backend{Timeout: Duration{10 * time.Second}, SubmitWait: Duration{8 * time.Second}, HeartbeatInterval: Duration{time.Minute}},
		Catalog:    Catalog{MaxSize: 8 << 20, PollInterval: Duration{10 * time.Minute}},
		Outbox:     Outbox{RetentionDays: 30, BackoffBase: Duration{2 * time.Second}, BackoffCap: Duration{10 * time.Minute}},
		Admin:      Admin{Socket: "/run/kioskd/admin.sock", Group: "kiosktech"},
		Metrics:    Metrics{Listen: "127.0.0.1:9470"},
		Technician: Technician{MaxAttempts: 5, Lockout: Duration{5 * time.Minute}},
		Session:    Session{Timeout: Duration{90 * time.Second}, Countdown: Duration{30 * time.Second}},
		Daemon:     Daemon{StopGrace: Duration{5 * time.Minute}},
		Voice:      Voice{Enabled: true, Volume: 70, Voice: "cmn"},
	}
}

// ErrInvalid wraps every configuration problem.
var ErrInvalid = errors.New("config: invalid")

// Load reads a TOML file over the defaults.
func Load(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: read %s: %w", path, err)
	}
	c, err := Parse(b)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads TOML over the defaults and validates the result.
func Parse(b []byte) (Config, error) {
	c := Default()
	md, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&c)
	if err != nil {
		return Config{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return Config{}, fmt.Errorf("%w: unknown setting %s (check the spelling against systemd/kioskd.toml)", ErrInvalid, strings.Join(keys, ", "))
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks values that a type cannot, naming the setting.
func (c Config) Validate() error {
	var probs []string
	bad := func(key, why string) { probs = append(probs, key+": "+why) }
	if c.Kiosk.ID == "" {
		bad("kiosk.id", "must be set (it is the kiosk's identity to the backend)")
	}
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		bad("log.level", "must be debug, info, warn or error")
	}
	switch c.Display.Rotate {
	case 0, 90, 180, 270:
	default:
		bad("display.rotate", "must be 0, 90, 180 or 270")
	}
	if c.Display.Width < 320 || c.Display.Height < 320 || c.Display.Width > 8192 || c.Display.Height > 8192 {
		bad("display.width/height", "must be between 320 and 8192 pixels")
	}
	validBaud := func(key string, b int) {
		switch b {
		case 9600, 19200, 38400, 57600, 115200:
		default:
			bad(key, fmt.Sprintf("%d is not one of 9600, 19200, 38400, 57600, 115200", b))
		}
	}
	validBaud("idcard.baud", c.IDCard.Baud)
	switch c.IDCard.FindAfterRead {
	case "", "auto", "halts", "refinds":
	default:
		bad("idcard.find_after_read", "must be auto, halts or refinds")
	}
	validBaud("printer.baud", c.Printer.Baud)
	switch c.Printer.FlowControl {
	case "", "none", "xonxoff", "rtscts", "dtrdsr":
		if c.Printer.XONXOFF && c.Printer.FlowControl != "" && c.Printer.FlowControl != "none" && c.Printer.FlowControl != "xonxoff" {
			bad("printer.xonxoff", "contradicts printer.flow_control = "+c.Printer.FlowControl+" (drop xonxoff)")
		}
	default:
		bad("printer.flow_control", "must be none, xonxoff, rtscts or dtrdsr")
	}
	switch c.Printer.Transport {
	case "", "serial", "usblp":
	default:
		bad("printer.transport", "must be serial or usblp")
	}
	validBaud("scanner.baud", c.Scanner.Baud)
	if sc := c.Scanner; sc.Enabled {
		switch {
		case sc.Port == "" && sc.Input == "":
			bad("scanner", "enabled without a port (serial scanner) or an input (keyboard-mode scanner)")
		case sc.Port != "" && sc.Input != "":
			bad("scanner", "give port (serial scanner) or input (keyboard-mode scanner), not both")
		case sc.Input != "" && !strings.HasPrefix(sc.Input, "/dev/"):
			bad("scanner.input", "must be an input device under /dev (/dev/input/eventN or a udev link)")
		case sc.Input != "" && sc.Suffix != "":
			bad("scanner.suffix", "is for a serial scanner (a keyboard-mode scanner ends a code with Enter)")
		}
	}
	if len(c.Scanner.Suffix) > 4 || strings.IndexFunc(c.Scanner.Suffix, func(r rune) bool { return r >= 0x20 && r != 0x7f }) >= 0 {
		bad("scanner.suffix", `must be 1 to 4 control characters (e.g. "\t" or "\u0003"), or empty for CR/LF`)
	}
	if cm := c.Camera; cm.Enabled && !strings.HasPrefix(cm.Device, "/dev/") {
		bad("camera.device", "must be a video device under /dev (/dev/videoN or a /dev/v4l/by-id/ link)")
	}
	if cm := c.Camera; cm.Width < 160 || cm.Height < 120 || cm.Width > 1920 || cm.Height > 1080 || cm.Width%2 != 0 {
		bad("camera.width/height", "must be between 160×120 and 1920×1080 pixels, the width even")
	}
	if c.Camera.FPS < 1 || c.Camera.FPS > 60 {
		bad("camera.fps", "must be 1 to 60")
	}
	for id, h := range c.Assist.Staff {
		if id == "" || len(id) > 8 || strings.Trim(id, "0123456789") != "" {
			bad("assist.staff", "staff numbers must be 1 to 8 digits (typed on the kiosk's keypad): "+strconv.Quote(id))
		}
		if !strings.HasPrefix(h, "$2") {
			bad("assist.staff", "staff "+id+": not a bcrypt hash (kioskctl pin-hash makes one)")
		}
	}
	if p := c.Phone; p.Enabled {
		if !strings.HasPrefix(p.DeskDay, "sip:") {
			bad("phone.desk_day", "must be the duty desk's SIP address (sip:duty@10.20.1.5)")
		}
		if p.DeskNight != "" && !strings.HasPrefix(p.DeskNight, "sip:") {
			bad("phone.desk_night", "must be a SIP address, or empty for desk_day")
		}
		if p.Audio != "alsa" && p.Audio != "file" {
			bad("phone.audio", `must be "alsa" or "file"`)
		}
	}
	if _, err := time.Parse("15:04", c.Phone.NightFrom); err != nil {
		bad("phone.night_from", "must be a time of day, 18:00")
	}
	if _, err := time.Parse("15:04", c.Phone.NightTo); err != nil {
		bad("phone.night_to", "must be a time of day, 08:30")
	}
	if d := c.Phone.AnswerTimeout.Duration; d < 10*time.Second || d > 5*time.Minute {
		bad("phone.answer_timeout", "must be 10s to 5m")
	}
	switch c.Camera.Format {
	case "", "mjpeg", "yuyv":
	default:
		bad("camera.format", `must be "mjpeg", "yuyv" or empty for either`)
	}
	switch c.Printer.Dots {
	case 384, 512, 576, 640:
	default:
		bad("printer.dots", "must be 384 (58 mm), 512, 576 or 640 (80 mm)")
	}
	switch c.Printer.ChineseMode {
	case "fs", "gbk":
	default:
		bad("printer.chinese_mode", `must be "fs" or "gbk"`)
	}
	if c.Backend.URL != "" && !strings.HasPrefix(c.Backend.URL, "https://") && !(c.Backend.Dev && strings.HasPrefix(c.Backend.URL, "http://")) {
		bad("backend.url", "must be https:// (plain http only with backend.dev = true, for development)")
	}
	if c.Outbox.RetentionDays < 0 || c.Outbox.RetentionDays > 3650 {
		bad("outbox.retention_days", "must be between 0 and 3650")
	}
	if c.A4.MaxDocument < 64<<10 || c.A4.MaxDocument > 200<<20 {
		bad("a4.max_document", "must be between 65536 (64 KiB) and 209715200 (200 MiB) bytes")
	}
	if c.A4.Retention.Duration < time.Minute || c.A4.Retention.Duration > 30*24*time.Hour {
		bad("a4.retention", "must be between 1m and 720h (30 days)")
	}
	if c.Voice.Volume < 0 || c.Voice.Volume > 100 {
		bad("voice.volume", "must be between 0 and 100")
	}
	if c.Session.Countdown.Duration < 20*time.Second {
		bad("session.countdown", "must be at least 20s so a resident has time to answer")
	}
	if c.Daemon.StopGrace.Duration > 30*time.Minute {
		bad("daemon.stop_grace", "must be at most 30m (and below the unit's TimeoutStopSec=)")
	}
	if c.Technician.MaxAttempts < 1 {
		bad("technician.max_attempts", "must be at least 1")
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(probs, "; "))
	}
	return nil
}
