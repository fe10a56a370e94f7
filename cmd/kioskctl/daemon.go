package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
)

var errNotRunning = admin.ErrDaemonNotRunning

// common are the flags every daemon command takes, and what a command
// needs to report a usage error or a failure.
type common struct {
	socket string
	json   bool

	fs       *flag.FlagSet
	synopsis string // the usage line(s), after "usage: "
	stdout   io.Writer
	stderr   io.Writer
}

// newFlags is the flag set of the daemon command name (e.g. "outbox"),
// with --socket and --json; synopsis is its usage line.
func newFlags(name, synopsis string, stdout, stderr io.Writer) (*flag.FlagSet, *common) {
	fs, c := newLocalFlags(name, synopsis, stdout, stderr)
	def := os.Getenv(socketEnv)
	if def == "" {
		def = defaultSocket
	}
	fs.StringVar(&c.socket, "socket", def, "admin socket of the running kioskd (also $"+socketEnv+")")
	return fs, c
}

// newLocalFlags is newFlags without --socket, for the commands that do
// not talk to kioskd.
func newLocalFlags(name, synopsis string, stdout, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("kioskctl "+name, flag.ContinueOnError)
	c := &common{fs: fs, synopsis: synopsis, stdout: stdout, stderr: stderr}
	fs.BoolVar(&c.json, "json", false, "print JSON")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n", c.synopsis)
		fs.PrintDefaults()
	}
	return fs, c
}

// parse parses flags that may stand before or after positional arguments
// (everything after -- is positional). When ok is false the command is
// over and code is its exit status: 0 after -h (the usage went to
// stdout), 64 after a usage error (reported on stderr).
func (c *common) parse(args []string) (pos []string, code int, ok bool) {
	c.fs.SetOutput(io.Discard)
	defer c.fs.SetOutput(c.stderr)
	for {
		if err := c.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.fs.SetOutput(c.stdout)
				c.fs.Usage()
				return nil, exitOK, false
			}
			return nil, c.usageError("%v", err), false
		}
		rest := c.fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), exitOK, true
		}
		if len(rest) == 0 {
			return pos, exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError says in one line what was wrong, then the command's usage, on
// stderr, and returns 64.
func (c *common) usageError(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\n", c.fs.Name(), fmt.Sprintf(format, a...))
	c.fs.SetOutput(c.stderr)
	c.fs.Usage()
	return exitUsage
}

// noArgs is a usage error when a command that takes no arguments got some.
func (c *common) noArgs(pos []string) (int, bool) {
	if len(pos) > 0 {
		return c.usageError("unexpected argument %q", pos[0]), false
	}
	return exitOK, true
}

// fail reports err in one line on stderr (and, under --json, as an object
// with the error and the exit status on stdout) and returns the status.
func (c *common) fail(err error) int {
	code := fail(c.stderr, err)
	if c.json {
		printJSON(c.stdout, jsonError{Error: err.Error(), ExitStatus: code})
	}
	return code
}

// jsonError is what a command prints under --json when it fails, the
// daemon not running included.
type jsonError struct {
	Error      string `json:"error"`
	ExitStatus int    `json:"exit_status"`
}

// groupUsageError is the usage error of a command with verbs (diag) when
// the verb is missing or unknown: one line, then the command's usage.
func groupUsageError(stderr io.Writer, usage, format string, a ...any) int {
	fmt.Fprintf(stderr, format+"\n", a...)
	fmt.Fprint(stderr, usage)
	return exitUsage
}

func (c *common) client() *admin.Client { return admin.NewClient(c.socket) }

func printJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func cmdStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("status", "kioskctl status [--json] [--socket PATH]", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if code, ok := c.noArgs(pos); !ok {
		return code
	}
	var st admin.Status
	if err := c.client().Do(ctx, "GET", "/v1/status", nil, nil, &st); err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(stdout, st)
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	mode := "hardware"
	if st.Sim {
		mode = "simulator"
	}
	fmt.Fprintf(tw, "kiosk\t%s (%s, %s mode)\n", st.KioskID, st.Hall, mode)
	fmt.Fprintf(tw, "version\t%s, up %s\n", st.Version, (time.Duration(st.UptimeSec) * time.Second).String())
	if st.Maintenance {
		back := ""
		if !st.MaintenanceUntil.IsZero() {
			back = ", back by " + st.MaintenanceUntil.In(admin.CountyTime).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "maintenance\tON (residents see \"under maintenance\"%s)\n", back)
	}
	fmt.Fprintf(tw, "screen\t%s\n", st.Screen)
	stale := ""
	if st.Catalog.Stale {
		stale = "  STALE: past its expiry, still serving"
	}
	fmt.Fprintf(tw, "catalog\tv%d %s, %d matters, %d at kiosks, expires %s%s\n", st.Catalog.Version, short(st.Catalog.Hash), st.Catalog.Services, st.Catalog.AtKiosks, st.Catalog.ExpiresAt.Format("2006-01-02"), stale)
	if st.Catalog.NotInRollout != 0 {
		fmt.Fprintf(tw, "\tnot in rollout: v%d is not for this hall yet; keeping v%d\n", st.Catalog.NotInRollout, st.Catalog.Version)
	}
	if st.Catalog.LastRejection != "" {
		fmt.Fprintf(tw, "\tlast rejected: %s\n", st.Catalog.LastRejection)
	}
	fmt.Fprintf(tw, "outbox\t%d waiting, %d parked, oldest %s\n", st.Outbox.Depth, st.Outbox.Parked, (time.Duration(st.Outbox.OldestAgeSec) * time.Second).String())
	reach := "reachable"
	if !st.Backend.Reachable {
		reach = "UNREACHABLE"
		if st.Backend.LastError != "" {
			reach += ": " + st.Backend.LastError
		}
	}
	fmt.Fprintf(tw, "backend\t%s %s\n", st.Backend.URL, reach)
	fmt.Fprintf(tw, "\n%s\t%s\t%s\t%s\n", "DEVICE", "STATE", "DETAIL", "LAST ERROR")
	for _, d := range st.Devices {
		var det []string
		for k, v := range d.Detail {
			det = append(det, k+"="+v)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Name, d.State, strings.Join(det, " "), d.LastError)
	}
	tw.Flush()
	return exitOK
}

// versionInfo is the output of version --json.
type versionInfo struct {
	Version       string `json:"version"` // this kioskctl's build
	DaemonRunning bool   `json:"daemon_running"`
	DaemonVersion string `json:"daemon_version,omitempty"`
	KioskID       string `json:"kiosk_id,omitempty"`
	DaemonError   string `json:"daemon_error,omitempty"` // why the daemon's version is not known
}

// cmdVersion prints this kioskctl's build and, when kioskd answers, the
// daemon's. It does not fail because the daemon is down: a technician
// asks which build is installed before starting it.
func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("version", "kioskctl version [--json] [--socket PATH]", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if code, ok := c.noArgs(pos); !ok {
		return code
	}
	v := versionInfo{Version: softwareVersion()}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var st admin.Status
	err := c.client().Do(ctx, "GET", "/v1/status", nil, nil, &st)
	if err == nil {
		v.DaemonRunning, v.DaemonVersion, v.KioskID = true, st.Version, st.KioskID
	} else {
		v.DaemonError = err.Error()
	}
	if c.json {
		printJSON(stdout, v)
		return exitOK
	}
	fmt.Fprintf(stdout, "kioskctl %s\n", v.Version)
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "kioskd   %s (kiosk %s)\n", v.DaemonVersion, v.KioskID)
	case errors.Is(err, errNotRunning):
		fmt.Fprintf(stdout, "kioskd   not running (no answer on %s)\n", c.socket)
	default:
		fmt.Fprintf(stdout, "kioskd   unknown: %v\n", err)
	}
	return exitOK
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

const diagUsage = `usage: kioskctl diag VERB
Through the running kioskd:
  run [idcard|printer|scanner|camera|phone|gpio|backend|outbox|catalog] [--json]
                                  every self-test (or one device's): PASS/FAIL with remedies
  card-read [--wait 15s] [--json] read a card through the daemon (masked)
  test-print [--json]             print the test page through the daemon
Directly on the hardware (works with kioskd stopped):
  idcard --port PATH [--baud N] [--json] [--reveal] [--wait 30s]
  scanner (--port PATH [--baud N] | --input /dev/input/eventN) [--wait 30s] [--json] [--show]
  camera [--device /dev/videoN] [--snapshot FILE] [--json]
  printer --port PATH [--baud N] (--status | --test-page) [--json]
  gpio [--json] [--set NAME=on|off] [--pulse NAME]
kioskctl diag VERB --help lists a verb's flags.
`

// cmdDiag runs kioskctl diag VERB; global are the --socket and --json
// given before the command.
func cmdDiag(ctx context.Context, args, global []string, stdout, stderr io.Writer) int {
	// Global flags may also stand between diag and its verb.
	args, more := hoistGlobalFlags(args)
	global = append(global[:len(global):len(global)], more...)
	if len(args) == 0 {
		return groupUsageError(stderr, diagUsage, "kioskctl diag: say run [DEVICE], card-read, test-print, idcard, scanner, camera, printer or gpio")
	}
	verb, rest := args[0], args[1:]
	all := append(rest[:len(rest):len(rest)], global...)
	switch verb {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, diagUsage)
		return exitOK
	case "idcard":
		// The direct diagnostics do not use kioskd's socket.
		return runDiagIDCard(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "scanner":
		return runDiagScanner(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "printer":
		return runDiagPrinter(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "a4":
		return runDiagA4(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "camera":
		return runDiagCamera(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "gpio":
		return runDiagGPIO(ctx, all, stdout, stderr)
	case "run":
		return cmdDiagRun(ctx, all, stdout, stderr)
	case "card-read":
		fs, c := newFlags("diag card-read", "kioskctl diag card-read [--wait 15s] [--json] [--socket PATH]", stdout, stderr)
		wait := fs.Duration("wait", 15*time.Second, "how long to wait for a card")
		pos, code, ok := c.parse(all)
		if !ok {
			return code
		}
		if code, ok := c.noArgs(pos); !ok {
			return code
		}
		if *wait <= 0 {
			return c.usageError("--wait %v: want a positive duration", *wait)
		}
		var cr admin.CardRead
		if err := c.client().Do(ctx, "POST", "/v1/idcard/read", url.Values{"wait": {wait.String()}}, nil, &cr); err != nil {
			return c.fail(err)
		}
		if c.json {
			printJSON(stdout, cr)
		} else {
			fmt.Fprintf(stdout, "%s %s %s (check digit valid: %v) valid to %s\n", cr.Type, cr.Name, cr.IDNumber, cr.IDNumberValid, cr.ValidTo)
		}
		return exitOK
	case "test-print":
		_, c := newFlags("diag test-print", "kioskctl diag test-print [--json] [--socket PATH]", stdout, stderr)
		pos, code, ok := c.parse(all)
		if !ok {
			return code
		}
		if code, ok := c.noArgs(pos); !ok {
			return code
		}
		if err := c.client().Do(ctx, "POST", "/v1/print/test", nil, nil, nil); err != nil {
			return c.fail(err)
		}
		if c.json {
			printJSON(stdout, map[string]string{"result": "printed"})
		} else {
			fmt.Fprintln(stdout, "test page printed")
		}
		return exitOK
	}
	return groupUsageError(stderr, diagUsage, "kioskctl diag: unknown %q", verb)
}

func cmdDiagRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("diag run", "kioskctl diag run [idcard|printer|scanner|camera|phone|gpio|backend|outbox|catalog] [--json] [--socket PATH]", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		return c.usageError("unexpected argument %q (one DEVICE at most)", pos[1])
	}
	req := admin.DeviceRequest{}
	if len(pos) == 1 {
		req.Device = pos[0]
	}
	var checks []admin.Check
	if err := c.client().Do(ctx, "POST", "/v1/selftest", nil, req, &checks); err != nil {
		return c.fail(err)
	}
	failed := 0
	for _, ch := range checks {
		if !ch.Pass {
			failed++
		}
	}
	if c.json {
		printJSON(stdout, checks)
	} else {
		printChecks(stdout, checks)
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

func printChecks(w io.Writer, checks []admin.Check) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "结果 RESULT\t设备 DEVICE\t检查 CHECK\t详情 DETAIL")
	for _, ch := range checks {
		v := "PASS 通过"
		if !ch.Pass {
			v = "FAIL 失败"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v, ch.Device, ch.Name, ch.Detail)
	}
	tw.Flush()
	for _, ch := range checks {
		if !ch.Pass && (ch.Remedy != "" || ch.RemedyEN != "") {
			fmt.Fprintf(w, "\n%s / %s:\n  处理: %s\n  Remedy: %s\n", ch.Device, ch.Name, ch.Remedy, ch.RemedyEN)
		}
	}
}

func cmdPowerCycle(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("power-cycle", "kioskctl power-cycle printer|idcard [--json] [--socket PATH]", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 1 || (pos[0] != "printer" && pos[0] != "idcard") {
		return c.usageError("say printer or idcard")
	}
	if err := c.client().Do(ctx, "POST", "/v1/power-cycle", nil, admin.DeviceRequest{Device: pos[0]}, nil); err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(stdout, map[string]string{"device": pos[0], "result": "power-cycled"})
	} else {
		fmt.Fprintf(stdout, "%s power-cycled\n", pos[0])
	}
	return exitOK
}

func cmdOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("outbox", "kioskctl outbox ls | outbox retry [ID]   [--json] [--socket PATH]", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return c.usageError("say ls or retry [ID]")
	}
	switch verb, pos := pos[0], pos[1:]; verb {
	case "ls":
		if code, ok := c.noArgs(pos); !ok {
			return code
		}
		var items []admin.OutboxItem
		if err := c.client().Do(ctx, "GET", "/v1/outbox", nil, nil, &items); err != nil {
			return c.fail(err)
		}
		if c.json {
			if items == nil {
				items = []admin.OutboxItem{}
			}
			printJSON(stdout, items)
			return exitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSERVICE\tSTATE\tTRIES\tCREATED\tTRACKING\tPAYMENT\tLAST ERROR")
		unresolved := 0
		for _, it := range items {
			pay, last := "", it.LastError
			if p := it.Payment; p != nil {
				pay = paymentCell(p)
				if !p.Final {
					unresolved++
				}
				if last == "" {
					last = p.LastError
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", it.ID, it.Service, it.State, it.Attempts, it.Created.Local().Format("01-02 15:04:05"), it.TrackingNo, pay, last)
		}
		tw.Flush()
		if unresolved > 0 {
			fmt.Fprintf(stdout, "%d payment(s) awaiting resolution: the kiosk queries, cancels or refunds them by itself; none is charged twice\n", unresolved)
		}
		return exitOK
	case "retry":
		if len(pos) > 1 {
			return c.usageError("unexpected argument %q (one ID at most)", pos[1])
		}
		req := admin.RetryRequest{}
		if len(pos) == 1 {
			req.ID = pos[0]
		}
		var out map[string]int
		if err := c.client().Do(ctx, "POST", "/v1/outbox/retry", nil, req, &out); err != nil {
			return c.fail(err)
		}
		if c.json {
			printJSON(stdout, out)
		} else {
			fmt.Fprintf(stdout, "%d transaction(s) queued for another try\n", out["retried"])
		}
		return exitOK
	default:
		return c.usageError("unknown %q: say ls or retry [ID]", verb)
	}
}

// paymentCell is a payment in one cell: step, amount, order, payer and
// refund (masked; no payment code is ever kept).
func paymentCell(p *admin.PaymentItem) string {
	s := p.Step
	if p.AmountFen > 0 {
		s += fmt.Sprintf(" %d.%02d元", p.AmountFen/100, p.AmountFen%100)
	}
	if p.OrderNo != "" {
		s += " " + p.OrderNo
	}
	if p.Payer != "" {
		s += " " + p.Channel + " " + p.Payer
	}
	if p.RefundNo != "" {
		s += " refund " + p.RefundNo
	}
	return s
}

func cmdEvents(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("events", "kioskctl events [--follow] [-n N] [--json] [--socket PATH]   (--json: one JSON object a line)", stdout, stderr)
	follow := fs.Bool("follow", false, "keep printing new events")
	n := fs.Int("n", 50, "how many recent events")
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if code, ok := c.noArgs(pos); !ok {
		return code
	}
	if *n < 1 {
		return c.usageError("-n %d: want 1 or more", *n)
	}
	type ev struct {
		Seq    uint64            `json:"seq"`
		Time   time.Time         `json:"time"`
		Kind   string            `json:"kind"`
		Source string            `json:"source"`
		Text   string            `json:"text"`
		Fields map[string]string `json:"fields"`
	}
	show := func(e ev, raw []byte) {
		if c.json {
			// One event a line, as the daemon streams them with
			// --follow, whatever the layout of its reply.
			var line bytes.Buffer
			if json.Compact(&line, raw) != nil {
				line.Reset()
				line.Write(raw)
			}
			fmt.Fprintln(stdout, line.String())
			return
		}
		fmt.Fprintf(stdout, "%s  %-8s %-8s %s\n", e.Time.Local().Format("2006-01-02 15:04:05"), e.Kind, e.Source, e.Text)
	}
	q := url.Values{"n": {fmt.Sprint(*n)}}
	if *follow {
		q.Set("follow", "1")
		err := c.client().Stream(ctx, "/v1/events", q, func(m json.RawMessage) error {
			var e ev
			if err := json.Unmarshal(m, &e); err != nil {
				return err
			}
			show(e, m)
			return nil
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			return c.fail(err)
		}
		return exitOK
	}
	var raw []json.RawMessage
	if err := c.client().Do(ctx, "GET", "/v1/events", q, nil, &raw); err != nil {
		return c.fail(err)
	}
	for _, m := range raw {
		var e ev
		_ = json.Unmarshal(m, &e)
		show(e, m)
	}
	return exitOK
}

func cmdMaintenance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("maintenance", "kioskctl maintenance on [--until 15:30] | off [--json] [--socket PATH]", stdout, stderr)
	until := fs.String("until", "", "when you expect the kiosk back, told to residents: HH:MM (the next one, county time), \"YYYY-MM-DD HH:MM\" or RFC 3339")
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) != 1 || (pos[0] != "on" && pos[0] != "off") {
		return c.usageError("say on or off")
	}
	on := pos[0] == "on"
	if *until != "" {
		if !on {
			return c.usageError("--until goes with on")
		}
		if _, err := admin.ParseUntil(*until, time.Now()); err != nil {
			return c.usageError("--until %q: say HH:MM (15:30), \"YYYY-MM-DD HH:MM\" or an RFC 3339 time", *until)
		}
	}
	if err := c.client().Do(ctx, "PUT", "/v1/maintenance", nil, admin.MaintenanceRequest{On: on, Until: *until}, nil); err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(stdout, map[string]bool{"maintenance": on})
	} else if on && *until != "" {
		fmt.Fprintf(stdout, "maintenance on: residents see \"under maintenance\", back by %s, once the current session ends\n", *until)
	} else if on {
		fmt.Fprintln(stdout, "maintenance on: residents see \"under maintenance\" once the current session ends")
	} else {
		fmt.Fprintln(stdout, "maintenance off: the kiosk serves residents")
	}
	return exitOK
}

func cmdCatalogInstall(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("catalog install", "kioskctl catalog install FILE [--json] [--socket PATH]   (the signature is read from FILE.minisig)", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(pos) == 0:
		return c.usageError("want one FILE")
	case len(pos) > 1:
		return c.usageError("unexpected argument %q", pos[1])
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return c.fail(err)
	}
	sig, err := os.ReadFile(pos[0] + ".minisig")
	if err != nil {
		return c.fail(fmt.Errorf("signature: %w", err))
	}
	var info admin.CatalogInfo
	if err := c.client().Do(ctx, "POST", "/v1/catalog", nil, admin.CatalogRequest{Catalog: data, Signature: string(sig)}, &info); err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(stdout, info)
	} else {
		fmt.Fprintf(stdout, "catalog v%d accepted (%d matters, %d at kiosks); it is applied between residents' sessions\n", info.Version, info.Services, info.AtKiosks)
	}
	return exitOK
}

func cmdGPIO(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("gpio", "kioskctl gpio ls | set NAME on|off | pulse NAME [--for 500ms]   [--json] [--socket PATH]", stdout, stderr)
	dur := fs.Duration("for", 500*time.Millisecond, "pulse length")
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	verb := "ls"
	if len(pos) > 0 {
		verb, pos = pos[0], pos[1:]
	}
	if *dur <= 0 {
		return c.usageError("--for %v: want a positive duration", *dur)
	}
	cl := c.client()
	switch {
	case verb == "ls":
		if code, ok := c.noArgs(pos); !ok {
			return code
		}
		var pins []admin.Pin
		if err := cl.Do(ctx, "GET", "/v1/gpio", nil, nil, &pins); err != nil {
			return c.fail(err)
		}
		if c.json {
			printJSON(stdout, pins)
			return exitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tPIN\tDIR\tLEVEL")
		for _, p := range pins {
			lvl := "off"
			if p.On {
				lvl = "on"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.BoardName, p.Direction, lvl)
		}
		tw.Flush()
		return exitOK
	case verb == "set" && len(pos) == 2 && (pos[1] == "on" || pos[1] == "off"):
		if err := cl.Do(ctx, "POST", "/v1/gpio", nil, admin.GPIORequest{Name: pos[0], Action: pos[1]}, nil); err != nil {
			return c.fail(err)
		}
	case verb == "set":
		return c.usageError("set NAME on|off")
	case verb == "pulse" && len(pos) == 1:
		if err := cl.Do(ctx, "POST", "/v1/gpio", nil, admin.GPIORequest{Name: pos[0], Action: "pulse", Duration: dur.String()}, nil); err != nil {
			return c.fail(err)
		}
	case verb == "pulse":
		return c.usageError("pulse NAME")
	default:
		return c.usageError("unknown %q: say ls, set NAME on|off or pulse NAME", verb)
	}
	if c.json {
		printJSON(stdout, map[string]string{"result": "ok"})
	} else {
		fmt.Fprintln(stdout, "ok")
	}
	return exitOK
}

const simSynopsis = `kioskctl sim card place FIXTURE | card remove | card fixtures
       kioskctl sim printer paper ok|low|out | cover open|closed | offline on|off | unplug | replug
       kioskctl sim a4 paper out|jam|ok | offline on|off
       kioskctl sim idcard fault NAME | unplug | replug | find-after-read halts|refinds
       kioskctl sim gpio NAME high|low
       kioskctl sim scan TEXT       (the simulated code scanner reads TEXT; put -- before a TEXT that starts with -)
       kioskctl sim scan --identity-code FIXTURE
                                    (the scanner reads the 豫事办 electronic ID code of a card fixture's resident)
       kioskctl sim camera SCENE | scenes   (what the simulated camera sees: blink, turn, far, backlit, noface, photo, stranger, dark)
       kioskctl sim county transactions | payments | assist
       kioskctl sim desk answer | no-answer | busy
       (simulator mode; each takes [--json] [--socket PATH])`

// oneOf is whether pos is exactly one word, one of words.
func oneOf(pos []string, words ...string) bool {
	return len(pos) == 1 && slices.Contains(words, pos[0])
}

func cmdSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("sim", simSynopsis, stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) < 2 {
		return c.usageError("say a device and what to do (kioskctl sim --help lists them)")
	}
	if pos[0] == "camera" {
		return c.simCamera(ctx, pos[1:])
	}
	if pos[0] == "scan" && len(pos) == 3 && (pos[1] == "--identity-code" || pos[1] == "-identity-code") {
		return c.simScanIdentityCode(ctx, pos[2])
	}
	if pos[0] == "scan" {
		// The words of an unquoted TEXT are one code, as typed.
		return c.simScan(ctx, strings.Join(pos[1:], " "))
	}
	cl := c.client()
	var err error
	var out any = map[string]string{"result": "ok"}
	yes, no := true, false
	switch dev, verb, pos := pos[0], pos[1], pos[2:]; {
	case dev == "card" && verb == "place" && len(pos) == 1:
		err = cl.Do(ctx, "POST", "/v1/sim/card", nil, admin.SimCardRequest{Fixture: pos[0]}, nil)
	case dev == "card" && verb == "remove" && len(pos) == 0:
		err = cl.Do(ctx, "DELETE", "/v1/sim/card", nil, nil, nil)
	case dev == "card" && verb == "fixtures" && len(pos) == 0:
		var f []string
		err = cl.Do(ctx, "GET", "/v1/sim/fixtures", nil, nil, &f)
		if err == nil && !c.json {
			fmt.Fprintln(stdout, strings.Join(f, "\n"))
			return exitOK
		}
		out = f
	case dev == "printer" && verb == "paper" && oneOf(pos, "ok", "low", "out"):
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Paper: pos[0]}, nil)
	case dev == "printer" && verb == "cover" && oneOf(pos, "open", "closed"):
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Cover: pos[0]}, nil)
	case dev == "printer" && verb == "offline" && oneOf(pos, "on", "off"):
		v := pos[0] == "on"
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Offline: &v}, nil)
	case dev == "printer" && (verb == "unplug" || verb == "replug") && len(pos) == 0:
		v := &yes
		if verb == "replug" {
			v = &no
		}
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Unplug: v}, nil)
	case dev == "a4" && verb == "paper" && oneOf(pos, "out", "jam", "ok"):
		err = cl.Do(ctx, "POST", "/v1/sim/a4", nil, admin.SimA4Request{Paper: pos[0]}, nil)
	case dev == "a4" && verb == "offline" && oneOf(pos, "on", "off"):
		v := pos[0] == "on"
		err = cl.Do(ctx, "POST", "/v1/sim/a4", nil, admin.SimA4Request{Offline: &v}, nil)
	case dev == "idcard" && verb == "fault" && len(pos) == 1:
		err = cl.Do(ctx, "POST", "/v1/sim/idcard", nil, admin.SimIDCardRequest{Fault: pos[0]}, nil)
	case dev == "idcard" && verb == "find-after-read" && oneOf(pos, "halts", "refinds"):
		err = cl.Do(ctx, "POST", "/v1/sim/idcard", nil, admin.SimIDCardRequest{FindAfterRead: pos[0]}, nil)
	case dev == "idcard" && (verb == "unplug" || verb == "replug") && len(pos) == 0:
		v := &yes
		if verb == "replug" {
			v = &no
		}
		err = cl.Do(ctx, "POST", "/v1/sim/idcard", nil, admin.SimIDCardRequest{Unplug: v}, nil)
	case dev == "county" && (verb == "transactions" || verb == "payments" || verb == "assist") && len(pos) == 0:
		var v json.RawMessage
		err = cl.Do(ctx, "GET", "/v1/sim/county/"+verb, nil, nil, &v)
		if err == nil {
			fmt.Fprintln(stdout, string(v))
			return exitOK
		}
	case dev == "desk" && (verb == "answer" || verb == "no-answer" || verb == "busy") && len(pos) == 0:
		var st admin.SimDeskState
		if err = cl.Do(ctx, "POST", "/v1/sim/desk", nil, admin.SimDeskRequest{Mode: verb}, &st); err == nil {
			fmt.Fprintf(stdout, "duty desk %s: %s (%d calls so far)\n", st.URI, st.Mode, st.Calls)
			return exitOK
		}
	case dev == "gpio" && oneOf(pos, "high", "low"):
		err = cl.Do(ctx, "POST", "/v1/sim/gpio", nil, admin.SimGPIORequest{Name: verb, High: pos[0] == "high"}, nil)
	default:
		return c.usageError("unknown %q", strings.Join(append([]string{dev, verb}, pos...), " "))
	}
	if err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(stdout, out)
	} else {
		fmt.Fprintln(stdout, "ok")
	}
	return exitOK
}

// writeJobs prints the kept jobs of both printers as a table: receipts
// with the bytes sent, A4 documents with their pages and title.
func writeJobs(w io.Writer, jobs []admin.PrintJob) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tPRINTER\tSTATE\tTRIES\tSENT\tPAGES\tTITLE\tUPDATED\tERROR")
	for _, j := range jobs {
		printer, sent, pages, title := j.Printer, fmt.Sprintf("%d/%d", j.Sent, j.Bytes), "-", "-"
		if printer == "" {
			printer = admin.PrinterReceipt
		}
		if printer == admin.PrinterA4 {
			sent, pages, title = "-", strconv.Itoa(j.Pages), j.Title
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", j.ID, printer, j.State, j.Attempts, sent, pages, title,
			j.Updated.Local().Format("01-02 15:04:05"), j.Error)
	}
	tw.Flush()
}

func cmdPrint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, c := newFlags("print", "kioskctl print jobs | print reprint ID   [--json] [--socket PATH]", stdout, stderr)
	pos, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return c.usageError("say jobs or reprint ID")
	}
	switch verb, pos := pos[0], pos[1:]; {
	case verb == "jobs" && len(pos) == 0:
		var jobs []admin.PrintJob
		if err := c.client().Do(ctx, "GET", "/v1/print/jobs", nil, nil, &jobs); err != nil {
			return c.fail(err)
		}
		if c.json {
			if jobs == nil {
				jobs = []admin.PrintJob{}
			}
			printJSON(stdout, jobs)
			return exitOK
		}
		writeJobs(stdout, jobs)
		return exitOK
	case verb == "jobs":
		return c.usageError("unexpected argument %q", pos[0])
	case verb == "reprint" && len(pos) == 1:
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return c.usageError("%q is not a job number (kioskctl print jobs lists them)", pos[0])
		}
		var j admin.PrintJob
		if err := c.client().Do(ctx, "POST", "/v1/print/reprint", nil, admin.ReprintRequest{ID: id}, &j); err != nil {
			return c.fail(err)
		}
		if c.json {
			printJSON(stdout, j)
		} else if j.Printer == admin.PrinterA4 {
			fmt.Fprintf(stdout, "A4 job %d (%s, %d pages) reprinted: %s; the document is deleted from the kiosk\n", j.ID, j.Title, j.Pages, j.State)
		} else {
			fmt.Fprintf(stdout, "job %d reprinted: %s\n", j.ID, j.State)
		}
		return exitOK
	case verb == "reprint":
		return c.usageError("say which job: reprint ID")
	}
	return c.usageError("unknown %q: say jobs or reprint ID", pos[0])
}

// simScan makes the simulated code scanner read text.
// simScanIdentityCode has the simulated scanner read the electronic ID
// code of a card fixture's resident.
func (c *common) simScanIdentityCode(ctx context.Context, fixture string) int {
	if err := c.client().Do(ctx, "POST", "/v1/sim/scan", nil, admin.SimScanRequest{IdentityCode: fixture}, nil); err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(c.stdout, map[string]string{"result": "scanned"})
	} else {
		fmt.Fprintln(c.stdout, "scanned")
	}
	return exitOK
}

func (c *common) simScan(ctx context.Context, text string) int {
	if text == "" || len(text) > admin.MaxSimScan {
		return c.usageError("TEXT must be 1 to %d bytes", admin.MaxSimScan)
	}
	if err := c.client().Do(ctx, "POST", "/v1/sim/scan", nil, admin.SimScanRequest{Text: text}, nil); err != nil {
		return c.fail(err)
	}
	if c.json {
		printJSON(c.stdout, map[string]string{"result": "scanned"})
	} else {
		fmt.Fprintln(c.stdout, "scanned")
	}
	return exitOK
}
