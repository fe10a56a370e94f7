// Package scannerdiag is the technician's code scanner check, run as
//
//	kioskctl diag scanner (--port PATH [--baud N] [--suffix S] | --input /dev/input/eventN) [--wait 30s] [--json] [--show] [--track-url URL]
//
// It opens the scanner directly (kioskd must not hold it: a serial port
// is opened once, and an input device can be grabbed by one process
// only), waits for one scan and prints what it is by the kiosk's
// classifier (kiosk/scancode): a payment code and its network, a tracking
// number, a receipt QR code, a certificate code, or why it is none of
// them. The code is masked (all but its last four characters) unless
// --show is given: a payment code is money, so --show is for a
// technician's own test codes. Exit status: 0 a code was read, 3 nothing
// was scanned within --wait, 2 a device error (no such port, not an input
// device, grabbed by another process, or a scan that is not a code: wrong
// suffix, baud rate or keyboard layout), 64 a usage error (the usage
// follows the reason); each failure ends with a one-line reason on
// stderr. -h prints the usage to stdout.
package scannerdiag

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/henan-county/kiosk/drivers/diagflag"
	"github.com/henan-county/kiosk/drivers/scanner"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/scancode"
)

// Exit statuses, those of kioskctl diag idcard.
const (
	ExitOK     = diagflag.ExitOK
	ExitDevice = 2
	ExitNoCode = 3
	ExitUsage  = diagflag.ExitUsage
)

// Result is the --json output.
type Result struct {
	Status   string `json:"status"` // ok, no_code, device_error
	Reason   string `json:"reason,omitempty"`
	Line     string `json:"line"` // the port or input device
	Mode     string `json:"mode"` // serial, keyboard
	Masked   bool   `json:"masked"`
	Code     string `json:"code,omitempty"`
	Length   int    `json:"length,omitempty"`
	Kind     string `json:"kind,omitempty"`     // payment, tracking, receipt, certificate, unknown
	Provider string `json:"provider,omitempty"` // wechat, alipay, unionpay
	Tracking string `json:"tracking,omitempty"` // tracking and receipt codes
	Invalid  string `json:"invalid,omitempty"`  // why the code is none the kiosk takes
	ReadAt   string `json:"read_at,omitempty"`
}

// Run runs the command; args are what follows "kioskctl diag scanner".
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kioskctl diag scanner", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "serial port of a serial or USB CDC scanner, e.g. /dev/ttyACM0 or a /dev/serial/by-id/ link")
	baud := fs.Int("baud", 115200, "baud rate of a serial scanner")
	suffix := fs.String("suffix", "", `what a serial scanner sends after each code, Go-quoted (e.g. "\t"); default CR, LF or CRLF`)
	input := fs.String("input", "", "input device of a keyboard-mode scanner, e.g. /dev/input/event3 (grabbed while the check runs)")
	wait := fs.Duration("wait", 30*time.Second, "how long to wait for a scan")
	asJSON := fs.Bool("json", false, "print JSON")
	show := fs.Bool("show", false, "show the code whole (payment codes are money: only for a technician's own test codes)")
	trackURL := fs.String("track-url", "", "the receipt QR address with {tracking} (default: the built-in service list's)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kioskctl diag scanner (--port PATH [--baud N] [--suffix S] | --input /dev/input/eventN) [--wait 30s] [--json] [--show] [--track-url URL]")
		fs.PrintDefaults()
	}
	usageError := func(format string, a ...any) int { return diagflag.UsageError(fs, stderr, format, a...) }
	if code, done := diagflag.Parse(fs, args, stdout, stderr); done {
		return code
	}
	switch {
	case (*port == "") == (*input == ""):
		return usageError("say one of --port and --input")
	case *wait <= 0:
		return usageError("--wait %v: want a positive duration", *wait)
	case *input != "" && *suffix != "":
		return usageError("--suffix is for a serial scanner (a keyboard-mode scanner ends a code with Enter)")
	}
	switch *baud {
	case 9600, 19200, 38400, 57600, 115200:
	default:
		return usageError("--baud %d: not one of 115200, 57600, 38400, 19200, 9600", *baud)
	}
	suf := ""
	if *suffix != "" {
		s, err := unquote(*suffix)
		if err != nil {
			return usageError("--suffix %s: %v", *suffix, err)
		}
		suf = s
	}
	opts := &scancode.Opts{}
	if *trackURL != "" {
		if !strings.Contains(*trackURL, "{tracking}") {
			return usageError("--track-url %s: must contain {tracking}", *trackURL)
		}
		opts.TrackURLs = []string{*trackURL}
	} else if c, err := catalog.Default(); err == nil && c.TrackURL != "" {
		opts.TrackURLs = []string{c.TrackURL}
	}

	res := Result{Line: *port, Mode: "serial", Masked: !*show}
	so := &scanner.Opts{Path: *port, Baud: *baud, Suffix: suf}
	if *input != "" {
		res.Line, res.Mode = *input, "keyboard"
		so = &scanner.Opts{Input: *input}
	}
	finish := func(code int, status, reason string) int {
		res.Status, res.Reason = status, reason
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			_ = enc.Encode(res)
		}
		if reason != "" {
			fmt.Fprintln(stderr, reason)
		}
		return code
	}
	out := func(format string, a ...any) {
		if !*asJSON {
			fmt.Fprintf(stdout, format, a...)
		}
	}
	out("扫码器 / scanner:    %s (%s)\n", res.Line, res.Mode)
	out("请扫码 / scan a code (waiting %v) ...\n", *wait)
	sc, err := scanner.ReadOne(ctx, so, *wait)
	switch {
	case errors.Is(err, scanner.ErrNoCode):
		return finish(ExitNoCode, "no_code", fmt.Sprintf("scanner: nothing scanned within %v", *wait))
	case err != nil:
		return finish(ExitDevice, "device_error", oneLine(err))
	case sc.Err != nil:
		out("处理建议 / remedy:   检查扫码器的后缀、波特率和键盘布局设置 / check the scanner's suffix, baud rate and keyboard layout\n")
		return finish(ExitDevice, "device_error", oneLine(sc.Err))
	}
	c, cerr := scancode.Classify(sc.Text, opts)
	res.Length, res.Kind, res.Provider, res.ReadAt = len(sc.Text), string(c.Kind), string(c.Provider), sc.Time.Format(time.RFC3339)
	res.Code, res.Tracking = scancode.Mask(sc.Text), scancode.Mask(c.Tracking)
	if *show {
		res.Code, res.Tracking = sc.Text, c.Tracking
	}
	if cerr != nil {
		res.Invalid = strings.TrimPrefix(cerr.Error(), "scancode: ")
	}
	out("内容 / code:         %s (%d characters)\n", res.Code, res.Length)
	out("类型 / kind:         %s\n", kindText(c))
	if res.Tracking != "" {
		out("受理编号 / tracking: %s\n", res.Tracking)
	}
	if res.Invalid != "" {
		out("不可用 / not usable: %s\n", res.Invalid)
	}
	return finish(ExitOK, "ok", "")
}

func kindText(c scancode.Code) string {
	switch c.Kind {
	case scancode.Payment:
		name := map[scancode.Provider]string{scancode.WeChatPay: "微信支付 / WeChat Pay", scancode.Alipay: "支付宝 / Alipay", scancode.UnionPay: "云闪付 / UnionPay"}[c.Provider]
		return "付款码 / payment code, " + name
	case scancode.Tracking:
		return "受理编号 / tracking number"
	case scancode.Receipt:
		return "回执二维码 / receipt QR code"
	case scancode.Certificate:
		return "电子证照码 / certificate code (verified by the backend)"
	}
	return "无法识别 / unknown"
}

// unquote reads a suffix written as a Go string body ("\t", "\x03").
func unquote(s string) (string, error) {
	var out string
	_, err := fmt.Sscanf(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`, "%q", &out)
	if err != nil || out == "" {
		return "", errors.New(`write it Go-quoted, e.g. \t or \x03`)
	}
	return out, nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
