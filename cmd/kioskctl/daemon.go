package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
)

var errNotRunning = admin.ErrDaemonNotRunning

// common are the flags every daemon command takes.
type common struct {
	socket string
	json   bool
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("kioskctl "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	def := os.Getenv(socketEnv)
	if def == "" {
		def = defaultSocket
	}
	fs.StringVar(&c.socket, "socket", def, "admin socket of the running kioskd (also $"+socketEnv+")")
	fs.BoolVar(&c.json, "json", false, "print JSON")
	return fs, c
}

// parse parses flags that may stand before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (c *common) client() *admin.Client { return admin.NewClient(c.socket) }

func printJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func cmdStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("status", stderr)
	if _, ok := parse(fs, args); !ok {
		return exitUsage
	}
	var st admin.Status
	if err := c.client().Do(ctx, "GET", "/v1/status", nil, nil, &st); err != nil {
		return fail(stderr, err)
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
		fmt.Fprintf(tw, "maintenance\tON (residents see \"under maintenance\")\n")
	}
	fmt.Fprintf(tw, "screen\t%s\n", st.Screen)
	stale := ""
	if st.Catalog.Stale {
		stale = "  STALE: past its expiry, still serving"
	}
	fmt.Fprintf(tw, "catalog\tv%d %s, %d matters, expires %s%s\n", st.Catalog.Version, short(st.Catalog.Hash), st.Catalog.Services, st.Catalog.ExpiresAt.Format("2006-01-02"), stale)
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

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func cmdDiag(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "kioskctl diag: say run [DEVICE], card-read, test-print, idcard, printer or gpio")
		return exitUsage
	}
	switch args[0] {
	case "idcard":
		return runDiagIDCard(ctx, args[1:], stdout, stderr)
	case "printer":
		return runDiagPrinter(ctx, args[1:], stdout, stderr)
	case "gpio":
		return runDiagGPIO(ctx, args[1:], stdout, stderr)
	case "run":
		return cmdDiagRun(ctx, args[1:], stdout, stderr)
	case "card-read":
		fs, c := newFlags("diag card-read", stderr)
		wait := fs.Duration("wait", 15*time.Second, "how long to wait for a card")
		if _, ok := parse(fs, args[1:]); !ok {
			return exitUsage
		}
		var cr admin.CardRead
		if err := c.client().Do(ctx, "POST", "/v1/idcard/read", url.Values{"wait": {wait.String()}}, nil, &cr); err != nil {
			return fail(stderr, err)
		}
		if c.json {
			printJSON(stdout, cr)
		} else {
			fmt.Fprintf(stdout, "%s %s %s (check digit valid: %v) valid to %s\n", cr.Type, cr.Name, cr.IDNumber, cr.IDNumberValid, cr.ValidTo)
		}
		return exitOK
	case "test-print":
		fs, c := newFlags("diag test-print", stderr)
		if _, ok := parse(fs, args[1:]); !ok {
			return exitUsage
		}
		if err := c.client().Do(ctx, "POST", "/v1/print/test", nil, nil, nil); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stdout, "test page printed")
		return exitOK
	}
	fmt.Fprintf(stderr, "kioskctl diag: unknown %q\n", args[0])
	return exitUsage
}

func cmdDiagRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("diag run", stderr)
	pos, ok := parse(fs, args)
	if !ok || len(pos) > 1 {
		return exitUsage
	}
	req := admin.DeviceRequest{}
	if len(pos) == 1 {
		req.Device = pos[0]
	}
	var checks []admin.Check
	if err := c.client().Do(ctx, "POST", "/v1/selftest", nil, req, &checks); err != nil {
		return fail(stderr, err)
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
	fs, c := newFlags("power-cycle", stderr)
	pos, ok := parse(fs, args)
	if !ok || len(pos) != 1 || (pos[0] != "printer" && pos[0] != "idcard") {
		fmt.Fprintln(stderr, "kioskctl power-cycle: say printer or idcard")
		return exitUsage
	}
	if err := c.client().Do(ctx, "POST", "/v1/power-cycle", nil, admin.DeviceRequest{Device: pos[0]}, nil); err != nil {
		return fail(stderr, err)
	}
	if c.json {
		printJSON(stdout, map[string]string{"device": pos[0], "result": "power-cycled"})
	} else {
		fmt.Fprintf(stdout, "%s power-cycled\n", pos[0])
	}
	return exitOK
}

func cmdOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "kioskctl outbox: say ls or retry [ID]")
		return exitUsage
	}
	fs, c := newFlags("outbox "+args[0], stderr)
	pos, ok := parse(fs, args[1:])
	if !ok {
		return exitUsage
	}
	switch args[0] {
	case "ls":
		var items []admin.OutboxItem
		if err := c.client().Do(ctx, "GET", "/v1/outbox", nil, nil, &items); err != nil {
			return fail(stderr, err)
		}
		if c.json {
			printJSON(stdout, items)
			return exitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSERVICE\tSTATE\tTRIES\tCREATED\tTRACKING\tLAST ERROR")
		for _, it := range items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", it.ID, it.Service, it.State, it.Attempts, it.Created.Local().Format("01-02 15:04:05"), it.TrackingNo, it.LastError)
		}
		tw.Flush()
		return exitOK
	case "retry":
		req := admin.RetryRequest{}
		if len(pos) == 1 {
			req.ID = pos[0]
		}
		var out map[string]int
		if err := c.client().Do(ctx, "POST", "/v1/outbox/retry", nil, req, &out); err != nil {
			return fail(stderr, err)
		}
		if c.json {
			printJSON(stdout, out)
		} else {
			fmt.Fprintf(stdout, "%d transaction(s) queued for another try\n", out["retried"])
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "kioskctl outbox: unknown %q\n", args[0])
	return exitUsage
}

func cmdEvents(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("events", stderr)
	follow := fs.Bool("follow", false, "keep printing new events")
	n := fs.Int("n", 50, "how many recent events")
	if _, ok := parse(fs, args); !ok {
		return exitUsage
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
			fmt.Fprintln(stdout, string(raw))
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
			return fail(stderr, err)
		}
		return exitOK
	}
	var raw []json.RawMessage
	if err := c.client().Do(ctx, "GET", "/v1/events", q, nil, &raw); err != nil {
		return fail(stderr, err)
	}
	for _, m := range raw {
		var e ev
		_ = json.Unmarshal(m, &e)
		show(e, m)
	}
	return exitOK
}

func cmdMaintenance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("maintenance", stderr)
	pos, ok := parse(fs, args)
	if !ok || len(pos) != 1 || (pos[0] != "on" && pos[0] != "off") {
		fmt.Fprintln(stderr, "kioskctl maintenance: say on or off")
		return exitUsage
	}
	on := pos[0] == "on"
	if err := c.client().Do(ctx, "PUT", "/v1/maintenance", nil, admin.MaintenanceRequest{On: on}, nil); err != nil {
		return fail(stderr, err)
	}
	if c.json {
		printJSON(stdout, map[string]bool{"maintenance": on})
	} else if on {
		fmt.Fprintln(stdout, "maintenance on: residents see \"under maintenance\" once the current session ends")
	} else {
		fmt.Fprintln(stdout, "maintenance off: the kiosk serves residents")
	}
	return exitOK
}

func cmdCatalogInstall(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("catalog install", stderr)
	pos, ok := parse(fs, args)
	if !ok || len(pos) != 1 {
		fmt.Fprintln(stderr, "kioskctl catalog install FILE  (the signature is read from FILE.minisig)")
		return exitUsage
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return fail(stderr, err)
	}
	sig, err := os.ReadFile(pos[0] + ".minisig")
	if err != nil {
		return fail(stderr, fmt.Errorf("signature: %w", err))
	}
	var info admin.CatalogInfo
	if err := c.client().Do(ctx, "POST", "/v1/catalog", nil, admin.CatalogRequest{Catalog: data, Signature: string(sig)}, &info); err != nil {
		return fail(stderr, err)
	}
	if c.json {
		printJSON(stdout, info)
	} else {
		fmt.Fprintf(stdout, "catalog v%d accepted (%d matters); it is applied between residents' sessions\n", info.Version, info.Services)
	}
	return exitOK
}

func cmdGPIO(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"ls"}
	}
	fs, c := newFlags("gpio", stderr)
	dur := fs.Duration("for", 500*time.Millisecond, "pulse length")
	pos, ok := parse(fs, args[1:])
	if !ok {
		return exitUsage
	}
	cl := c.client()
	switch {
	case args[0] == "ls":
		var pins []admin.Pin
		if err := cl.Do(ctx, "GET", "/v1/gpio", nil, nil, &pins); err != nil {
			return fail(stderr, err)
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
	case args[0] == "set" && len(pos) == 2 && (pos[1] == "on" || pos[1] == "off"):
		if err := cl.Do(ctx, "POST", "/v1/gpio", nil, admin.GPIORequest{Name: pos[0], Action: pos[1]}, nil); err != nil {
			return fail(stderr, err)
		}
	case args[0] == "pulse" && len(pos) == 1:
		if err := cl.Do(ctx, "POST", "/v1/gpio", nil, admin.GPIORequest{Name: pos[0], Action: "pulse", Duration: dur.String()}, nil); err != nil {
			return fail(stderr, err)
		}
	default:
		fmt.Fprintln(stderr, "kioskctl gpio: ls | set NAME on|off | pulse NAME [--for 500ms]")
		return exitUsage
	}
	if c.json {
		printJSON(stdout, map[string]string{"result": "ok"})
	} else {
		fmt.Fprintln(stdout, "ok")
	}
	return exitOK
}

func cmdSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "kioskctl sim: card place FIXTURE | card remove | card fixtures | printer … | idcard … | gpio NAME high|low")
		return exitUsage
	}
	fs, c := newFlags("sim", stderr)
	pos, ok := parse(fs, args[2:])
	if !ok {
		return exitUsage
	}
	cl := c.client()
	var err error
	var out any = map[string]string{"result": "ok"}
	yes, no := true, false
	switch dev, verb := args[0], args[1]; {
	case dev == "card" && verb == "place" && len(pos) == 1:
		err = cl.Do(ctx, "POST", "/v1/sim/card", nil, admin.SimCardRequest{Fixture: pos[0]}, nil)
	case dev == "card" && verb == "remove":
		err = cl.Do(ctx, "DELETE", "/v1/sim/card", nil, nil, nil)
	case dev == "card" && verb == "fixtures":
		var f []string
		err = cl.Do(ctx, "GET", "/v1/sim/fixtures", nil, nil, &f)
		if err == nil && !c.json {
			fmt.Fprintln(stdout, strings.Join(f, "\n"))
			return exitOK
		}
		out = f
	case dev == "printer" && verb == "paper" && len(pos) == 1:
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Paper: pos[0]}, nil)
	case dev == "printer" && verb == "cover" && len(pos) == 1:
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Cover: pos[0]}, nil)
	case dev == "printer" && verb == "offline" && len(pos) == 1:
		v := pos[0] == "on"
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Offline: &v}, nil)
	case dev == "printer" && (verb == "unplug" || verb == "replug"):
		v := &yes
		if verb == "replug" {
			v = &no
		}
		err = cl.Do(ctx, "POST", "/v1/sim/printer", nil, admin.SimPrinterRequest{Unplug: v}, nil)
	case dev == "idcard" && verb == "fault" && len(pos) == 1:
		err = cl.Do(ctx, "POST", "/v1/sim/idcard", nil, admin.SimIDCardRequest{Fault: pos[0]}, nil)
	case dev == "idcard" && (verb == "unplug" || verb == "replug"):
		v := &yes
		if verb == "replug" {
			v = &no
		}
		err = cl.Do(ctx, "POST", "/v1/sim/idcard", nil, admin.SimIDCardRequest{Unplug: v}, nil)
	case dev == "county" && verb == "transactions":
		var v json.RawMessage
		err = cl.Do(ctx, "GET", "/v1/sim/county/transactions", nil, nil, &v)
		if err == nil {
			fmt.Fprintln(stdout, string(v))
			return exitOK
		}
	case dev == "gpio" && len(pos) == 1 && (pos[0] == "high" || pos[0] == "low"):
		err = cl.Do(ctx, "POST", "/v1/sim/gpio", nil, admin.SimGPIORequest{Name: verb, High: pos[0] == "high"}, nil)
	default:
		fmt.Fprintf(stderr, "kioskctl sim: unknown %q (kioskctl help lists the sim commands)\n", strings.Join(args, " "))
		return exitUsage
	}
	if err != nil {
		return fail(stderr, err)
	}
	if c.json {
		printJSON(stdout, out)
	} else {
		fmt.Fprintln(stdout, "ok")
	}
	return exitOK
}

func cmdPrint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "kioskctl print: say jobs or reprint ID")
		return exitUsage
	}
	fs, c := newFlags("print "+args[0], stderr)
	pos, ok := parse(fs, args[1:])
	if !ok {
		return exitUsage
	}
	switch {
	case args[0] == "jobs" && len(pos) == 0:
		var jobs []admin.PrintJob
		if err := c.client().Do(ctx, "GET", "/v1/print/jobs", nil, nil, &jobs); err != nil {
			return fail(stderr, err)
		}
		if c.json {
			printJSON(stdout, jobs)
			return exitOK
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "JOB\tSTATE\tTRIES\tSENT\tUPDATED\tERROR")
		for _, j := range jobs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d/%d\t%s\t%s\n", j.ID, j.State, j.Attempts, j.Sent, j.Bytes, j.Updated.Local().Format("01-02 15:04:05"), j.Error)
		}
		tw.Flush()
		return exitOK
	case args[0] == "reprint" && len(pos) == 1:
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			fmt.Fprintf(stderr, "kioskctl print reprint: %q is not a job number (kioskctl print jobs lists them)\n", pos[0])
			return exitUsage
		}
		var j admin.PrintJob
		if err := c.client().Do(ctx, "POST", "/v1/print/reprint", nil, admin.ReprintRequest{ID: id}, &j); err != nil {
			return fail(stderr, err)
		}
		if c.json {
			printJSON(stdout, j)
		} else {
			fmt.Fprintf(stdout, "job %d reprinted: %s\n", j.ID, j.State)
		}
		return exitOK
	}
	fmt.Fprintln(stderr, "kioskctl print: jobs | reprint ID")
	return exitUsage
}
