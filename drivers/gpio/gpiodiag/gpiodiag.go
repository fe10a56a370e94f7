// Package gpiodiag is the technician's GPIO command, `kioskctl diag gpio`:
// it lists the cabinet's pins and their levels, and sets or pulses outputs.
// It works on anything that offers the small Bank interface: a bank opened
// directly on the hardware when the daemon is stopped, or the daemon's
// admin API when it runs.
//
//	kioskctl diag gpio [--json] [--set NAME=on|off]... [--pulse NAME [--for 500ms]]
//	                   [--light PATTERN] [--drive NAME=high|low]
//
// Exit status (kioskctl's): 0 success, 1 an operation failed or GPIO is
// unavailable, 64 a usage error; -h prints the usage to stdout.
package gpiodiag

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/henan-county/kiosk/drivers/diagflag"
	"github.com/henan-county/kiosk/drivers/gpio"
)

// Bank is what the command needs. *gpio.Bank implements it.
type Bank interface {
	List() []gpio.Pin
	Set(name string, on bool) error
	Pulse(name string, d time.Duration) error
}

// LightSetter is implemented by banks that can show a status-light pattern
// (--light).
type LightSetter interface {
	SetLight(pattern string) error
}

// Driver is implemented by simulated banks whose inputs can be driven
// (--drive).
type Driver interface {
	SimDrive(name string, high bool) error
}

var (
	_ Bank        = (*gpio.Bank)(nil)
	_ LightSetter = (*gpio.Bank)(nil)
	_ Driver      = (*gpio.Bank)(nil)
)

// Exit codes.
const (
	ExitOK    = diagflag.ExitOK
	ExitFail  = 1                  // an operation failed or GPIO is unavailable
	ExitUsage = diagflag.ExitUsage // unknown flag, bad value, extra argument
)

type assign struct {
	name string
	on   bool
}

type assignList struct {
	words [2]string // words for true and false
	list  []assign
}

func (a *assignList) String() string { return "" }
func (a *assignList) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=%s|%s", a.words[0], a.words[1])
	}
	switch strings.ToLower(val) {
	case a.words[0], "1", "true":
		a.list = append(a.list, assign{name, true})
	case a.words[1], "0", "false":
		a.list = append(a.list, assign{name, false})
	default:
		return fmt.Errorf("want NAME=%s|%s, not %q", a.words[0], a.words[1], s)
	}
	return nil
}

// Result is the --json output: the pins after any changes, and what was done.
type Result struct {
	Pins    []gpio.Pin `json:"pins"`
	Actions []string   `json:"actions,omitempty"`
	Error   string     `json:"error,omitempty"`
}

// Run executes the command with args (after "diag gpio") and returns the
// process exit code. bank may be nil when the kiosk has no GPIO.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, bank Bank) int {
	fs := flag.NewFlagSet("diag gpio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	sets := &assignList{words: [2]string{"on", "off"}}
	drives := &assignList{words: [2]string{"high", "low"}}
	fs.Var(sets, "set", "set an output: NAME=on|off (repeatable)")
	fs.Var(drives, "drive", "simulator only: drive an input: NAME=high|low (repeatable)")
	pulse := fs.String("pulse", "", "invert an output briefly, then restore it")
	pulseFor := fs.Duration("for", 500*time.Millisecond, "how long --pulse lasts")
	light := fs.String("light", "", "show a status-light pattern: "+strings.Join(gpio.PatternNames(), ", "))
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kioskctl diag gpio [--json] [--set NAME=on|off]... [--pulse NAME [--for D]] [--light PATTERN] [--drive NAME=high|low]...")
		fs.PrintDefaults()
	}
	if code, done := diagflag.Parse(fs, args, stdout, stderr); done {
		return code
	}
	if *pulseFor <= 0 {
		return diagflag.UsageError(fs, stderr, "--for %v: want a positive duration", *pulseFor)
	}
	if *light != "" && !slices.Contains(gpio.PatternNames(), *light) {
		return diagflag.UsageError(fs, stderr, "--light %q: want one of %s", *light, strings.Join(gpio.PatternNames(), ", "))
	}
	if bank == nil {
		return fail(stdout, stderr, *asJSON, nil, nil, fmt.Errorf("diag gpio: %w", gpio.ErrUnavailable))
	}
	var actions []string
	for _, d := range drives.list {
		dr, ok := bank.(Driver)
		if !ok {
			return fail(stdout, stderr, *asJSON, bank, actions, fmt.Errorf("diag gpio: --drive: %w", gpio.ErrNotSim))
		}
		if err := dr.SimDrive(d.name, d.on); err != nil {
			return fail(stdout, stderr, *asJSON, bank, actions, err)
		}
		actions = append(actions, fmt.Sprintf("drive %s %s", d.name, word(d.on, "high", "low")))
	}
	for _, s := range sets.list {
		if err := bank.Set(s.name, s.on); err != nil {
			return fail(stdout, stderr, *asJSON, bank, actions, err)
		}
		actions = append(actions, fmt.Sprintf("set %s %s", s.name, word(s.on, "on", "off")))
	}
	if *light != "" {
		ls, ok := bank.(LightSetter)
		if !ok {
			return fail(stdout, stderr, *asJSON, bank, actions, errors.New("diag gpio: --light: not supported here"))
		}
		if err := ls.SetLight(*light); err != nil {
			return fail(stdout, stderr, *asJSON, bank, actions, err)
		}
		actions = append(actions, "light "+*light)
	}
	if *pulse != "" {
		if err := ctx.Err(); err != nil {
			return fail(stdout, stderr, *asJSON, bank, actions, err)
		}
		if err := bank.Pulse(*pulse, *pulseFor); err != nil {
			return fail(stdout, stderr, *asJSON, bank, actions, err)
		}
		actions = append(actions, fmt.Sprintf("pulse %s %v", *pulse, *pulseFor))
	}
	if *asJSON {
		writeJSON(stdout, Result{Pins: bank.List(), Actions: actions})
		return ExitOK
	}
	for _, a := range actions {
		fmt.Fprintln(stdout, "ok:", a)
	}
	writeTable(stdout, bank.List())
	return ExitOK
}

func fail(stdout, stderr io.Writer, asJSON bool, bank Bank, actions []string, err error) int {
	if asJSON {
		r := Result{Actions: actions, Error: err.Error(), Pins: []gpio.Pin{}}
		if bank != nil {
			r.Pins = bank.List()
		}
		writeJSON(stdout, r)
	}
	fmt.Fprintln(stderr, "error:", err)
	return ExitFail
}

func writeJSON(w io.Writer, r Result) {
	if r.Pins == nil {
		r.Pins = []gpio.Pin{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(r)
}

func writeTable(w io.Writer, pins []gpio.Pin) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tBOARD\tDIR\tSTATE\tPOLARITY")
	for _, p := range pins {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Board, p.Direction,
			word(p.On, "on", "off"), word(p.ActiveLow, "active-low", "active-high"))
	}
	_ = tw.Flush()
}

func word(b bool, t, f string) string {
	if b {
		return t
	}
	return f
}
