// Package cupsdiag is the technicians' A4 printer command:
//
//	kioskctl diag a4 [--server HOST:PORT] [--queue NAME] (--status | --test-page) [--json]
//
// It asks cupsd directly, so it works with the daemon stopped. --test-page
// prints cups.TestPage on the queue and follows the job to its end (two
// minutes at most). Exit status: 0 the printer is ready and the test page,
// if asked for, completed; 2 the printer or cupsd is not ready, or the
// page did not complete; 64 a usage error (a one-line reason and the
// usage on stderr); -h prints the usage to stdout.
package cupsdiag

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/henan-county/kiosk/drivers/cups"
	"github.com/henan-county/kiosk/drivers/diagflag"
)

// Exit codes.
const (
	ExitOK     = diagflag.ExitOK
	ExitUsage  = diagflag.ExitUsage
	ExitDevice = 2
)

// Report is what --json prints.
type Report struct {
	Server  string             `json:"server"`
	Queue   string             `json:"queue"`
	Action  string             `json:"action"`
	Ready   bool               `json:"ready"`
	Printer *cups.PrinterState `json:"printer,omitempty"`
	Job     *cups.JobState     `json:"job,omitempty"`
	Error   string             `json:"error,omitempty"`
}

// Run runs the command with args (after "diag a4") and returns its exit
// status. now stamps the test page (nil means time.Now).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) int {
	if now == nil {
		now = time.Now
	}
	fs := flag.NewFlagSet("kioskctl diag a4", flag.ContinueOnError)
	server := fs.String("server", "localhost:631", "cupsd's address, host:port")
	queue := fs.String("queue", "a4", "the CUPS queue of the A4 printer")
	status := fs.Bool("status", false, "report the printer's state")
	testPage := fs.Bool("test-page", false, "print the test page and follow it to its end")
	asJSON := fs.Bool("json", false, "print JSON")
	wait := fs.Duration("wait", 2*time.Minute, "how long to follow the test page")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kioskctl diag a4 [--server HOST:PORT] [--queue NAME] (--status | --test-page) [--json]")
		fs.PrintDefaults()
	}
	if code, done := diagflag.Parse(fs, args, stdout, stderr); done {
		return code
	}
	usageError := func(format string, a ...any) int { return diagflag.UsageError(fs, stderr, format, a...) }
	switch {
	case *status == *testPage:
		return usageError("say one of --status or --test-page")
	case *queue == "" || strings.ContainsAny(*queue, "/ #?"):
		return usageError("--queue %q: want a queue name", *queue)
	case *wait <= 0:
		return usageError("--wait %v: want a positive duration", *wait)
	}

	p := cups.New(&cups.Opts{Server: *server, Queue: *queue})
	defer p.Halt()
	ctx, cancel := context.WithTimeout(ctx, *wait+30*time.Second)
	defer cancel()
	r := Report{Server: *server, Queue: *queue, Action: "status"}
	code := ExitOK
	fail := func(err error) {
		code = ExitDevice
		if r.Error == "" {
			r.Error = err.Error()
		}
	}
	if *testPage {
		r.Action = "test-page"
		id, err := p.Print(ctx, cups.TestPage(*queue, now()), "A4 test page")
		if err != nil {
			fail(err)
		} else {
			wctx, wcancel := context.WithTimeout(ctx, *wait)
			j, err := p.Wait(wctx, id, 500*time.Millisecond, nil)
			wcancel()
			r.Job = &j
			switch {
			case err != nil:
				fail(fmt.Errorf("following job %d: %w", id, err))
			case j.Err() != nil:
				fail(fmt.Errorf("job %d ended %s %v: %w", id, j.State, j.Reasons, j.Err()))
			}
		}
	}
	st, err := p.Printer(ctx)
	if err != nil {
		fail(err)
	} else {
		r.Printer = &st
		if perr := st.Err(); perr != nil {
			fail(perr)
		}
	}
	r.Ready = code == ExitOK
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return ExitDevice
		}
		return code
	}
	fmt.Fprintf(stdout, "A4 printer: queue %s at %s\n", *queue, *server)
	if r.Job != nil {
		fmt.Fprintf(stdout, "test page: job %d %s, %d page(s) done", r.Job.ID, r.Job.State, r.Job.Pages)
		if len(r.Job.Reasons) > 0 {
			fmt.Fprintf(stdout, " (%s)", strings.Join(r.Job.Reasons, ", "))
		}
		fmt.Fprintln(stdout)
	}
	if r.Printer != nil {
		s := r.Printer
		online := "yes"
		if !s.Online {
			online = "no 脱机"
		}
		fmt.Fprintf(stdout, "state:   %s, online %s, accepting %v\n", s.State, online, s.Accepting)
		if len(s.Reasons) > 0 {
			fmt.Fprintf(stdout, "reasons: %s\n", strings.Join(s.Reasons, ", "))
		}
		toner, level := s.Toner()
		fmt.Fprintf(stdout, "paper:   %s\ntoner:   %s", s.Paper(), toner)
		if level >= 0 {
			fmt.Fprintf(stdout, " (%d%%)", level)
		}
		fmt.Fprintln(stdout)
		for _, m := range s.Markers {
			fmt.Fprintf(stdout, "  marker %s (%s): %d%%\n", m.Name, m.Type, m.Level)
		}
		for _, t := range s.Trays {
			fmt.Fprintf(stdout, "  tray %s: %d of %d sheets\n", t.Name, t.Level, t.Capacity)
		}
	}
	if r.Ready {
		fmt.Fprintln(stdout, "verdict: ready 正常")
	} else {
		fmt.Fprintf(stdout, "verdict: not ready 故障: %s\n", r.Error)
	}
	return code
}
