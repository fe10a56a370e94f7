// Package escposdiag is the technicians' printer command:
//
//	kioskctl diag printer --port PATH [--baud N] (--status | --test-page) [--json]
//
// It works directly on the serial port, so it can be used with the daemon
// stopped (or on a printer the daemon does not own). Exit status: 0 the
// printer is ready (paper low included), 2 device error or offline, 64 a
// usage error (a one-line reason and the usage on stderr); -h prints the
// usage to stdout.
package escposdiag

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/henan-county/kiosk/drivers/diagflag"
	"github.com/henan-county/kiosk/drivers/escpos"
)

// Exit codes.
const (
	ExitOK     = diagflag.ExitOK
	ExitUsage  = diagflag.ExitUsage
	ExitDevice = 2
)

// Run runs the command with args (after "diag printer") and returns its exit
// status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kioskctl diag printer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "serial device of the printer (e.g. /dev/kiosk-printer)")
	baud := fs.Int("baud", 115200, "baud rate")
	status := fs.Bool("status", false, "ask the printer for its status")
	testPage := fs.Bool("test-page", false, "print the test page")
	asJSON := fs.Bool("json", false, "print JSON")
	profile := fs.String("profile", "58mm", "paper profile: 58mm or 80mm")
	dots := fs.Int("dots", 0, "printable width in dots (overrides the profile: 384, 512, 576, 640)")
	plain := fs.Bool("plain-gbk", false, "printer takes GB18030 without FS &")
	rasterQR := fs.Bool("raster-qr", false, "printer has no native QR: draw QR codes as images")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kioskctl diag printer --port PATH [--baud N] (--status | --test-page) [--json]")
		fs.PrintDefaults()
	}
	usageError := func(format string, a ...any) int { return diagflag.UsageError(fs, stderr, format, a...) }
	if code, done := diagflag.Parse(fs, args, stdout, stderr); done {
		return code
	}
	switch {
	case *port == "":
		return usageError("--port is required")
	case *status == *testPage:
		return usageError("say one of --status or --test-page")
	case *baud <= 0:
		return usageError("--baud %d: want a positive baud rate", *baud)
	}
	var pr escpos.Profile
	switch *profile {
	case "58mm":
		pr = escpos.Profile58
	case "80mm":
		pr = escpos.Profile80
	default:
		return usageError("unknown profile %q (58mm or 80mm)", *profile)
	}
	if *dots > 0 {
		pr.Dots = *dots
	}
	if *plain {
		pr.ChineseMode = escpos.PlainGBK
	}
	if *rasterQR {
		pr.NativeQR = false
	}
	p := escpos.NewPrinter(&escpos.Opts{Path: *port, Baud: *baud, Profile: pr})
	defer p.Close()

	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out := struct {
		Port     string           `json:"port"`
		Action   string           `json:"action"`
		SelfTest escpos.SelfTest  `json:"self_test"`
		Printed  bool             `json:"printed"`
		Job      *escpos.Job      `json:"job,omitempty"`
		Profile  escposProfileOut `json:"profile"`
	}{Port: *port, Action: "status", Profile: escposProfileOut{pr.Name, pr.Dots, pr.Columns()}}

	code := ExitOK
	if *testPage {
		out.Action = "test-page"
		err := p.TestPage(ctx)
		if jobs := p.Jobs(); len(jobs) > 0 {
			j := jobs[len(jobs)-1]
			out.Job = &j
		}
		out.Printed = err == nil
		if err != nil {
			code = ExitDevice
		}
	}
	out.SelfTest = p.SelfTest(ctx)
	if !out.SelfTest.OK {
		code = ExitDevice
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return code
	}
	fmt.Fprintf(stdout, "printer %s (%s, %d dots, %d columns)\n", *port, pr.Name, pr.Dots, pr.Columns())
	if *testPage {
		if out.Printed {
			fmt.Fprintln(stdout, "test page: printed 已打印")
		} else {
			msg := "not printed"
			if out.Job != nil && out.Job.Err != "" {
				msg += ": " + out.Job.Err
			}
			fmt.Fprintln(stdout, "test page: "+msg+" 未打印")
		}
	}
	st := out.SelfTest
	fmt.Fprintf(stdout, "verdict: %s\n", st.Verdict)
	if st.Remedy != "" {
		fmt.Fprintf(stdout, "remedy:  %s\n", st.Remedy)
	}
	if st.Err != "" {
		fmt.Fprintf(stdout, "error:   %s\n", st.Err)
	} else {
		fmt.Fprintf(stdout, "status:  %s (raw % x)\n", st.Status, st.Status.Raw[:])
	}
	return code
}

type escposProfileOut struct {
	Name    string `json:"name"`
	Dots    int    `json:"dots"`
	Columns int    `json:"columns"`
}
