// Package cli is kioskd's command line. It checks the command line and
// answers --version and --help in its package initialisation, before
// Ebitengine's: Ebitengine opens the
// display when it initialises and panics without one, and a technician
// asking an unattended kiosk which build it runs must get an answer even
// when its screen is not up.
//
// Go initialises a package as soon as everything it imports is
// initialised, taking the first in import-path order (the language
// specification, "Package initialization"). This package imports only a
// few standard packages, so it is initialised long before Ebitengine's
// display package, whose imports reach much further. TestVersionWithoutDisplay
// in cmd/kioskd runs the real binary without a display to keep that true.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/henan-county/kiosk/cmd/internal/buildinfo"
)

// version is set by the build:
// -ldflags "-X github.com/henan-county/kiosk/cmd/kioskd/internal/cli.version=…".
var version = ""

// Version is the build's version: the stamped one, else the commit it was
// built from, else "dev".
func Version() string { return buildinfo.Version(version) }

// Flags are kioskd's options.
type Flags struct {
	Config          string
	Sim             bool
	State           string
	Screenshot      string
	ScreenshotEvery time.Duration
	Windowed        bool
	ExitFirstFrame  bool
	LogJSON         bool
	Version         bool
	Help            bool
}

// Exit statuses.
const (
	ExitUsage = 64 // EX_USAGE
)

func newFlagSet(out io.Writer, f *Flags) *flag.FlagSet {
	fs := flag.NewFlagSet("kioskd", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&f.Config, "config", "", "TOML configuration (see systemd/kioskd.toml)")
	fs.BoolVar(&f.Sim, "sim", false, "simulate every device and the county backend")
	fs.StringVar(&f.State, "state", "", "state directory (default: the config's state.dir; with --sim a new one)")
	fs.StringVar(&f.Screenshot, "screenshot", "", "write the current screen to this PNG every --screenshot-every")
	fs.DurationVar(&f.ScreenshotEvery, "screenshot-every", 3*time.Second, "how often --screenshot is written")
	fs.BoolVar(&f.Windowed, "windowed", false, "a window instead of full screen")
	fs.BoolVar(&f.ExitFirstFrame, "exit-after-first-frame", false, "exit once the first frame is drawn (start-up checks)")
	fs.BoolVar(&f.LogJSON, "log-json", false, "log JSON lines instead of text")
	fs.BoolVar(&f.Version, "version", false, "print the version and exit")
	fs.Usage = func() {} // printed by Parse, to stdout for --help
	return fs
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fs.SetOutput(w)
	fmt.Fprint(w, `kioskd: the self-service kiosk's daemon (screen, devices, transactions)

usage:
  kioskd --config /etc/kioskd/kioskd.toml   real devices and the county backend
  kioskd --sim [--state DIR]                 everything simulated (make run)
  kioskd --version | --help

options:
`)
	fs.PrintDefaults()
}

// Parse reads args. It returns the flags and -1, or an exit status when
// the command is answered already (--help: 0) or wrong (64); what it
// prints goes to stdout (help) or stderr (errors).
func Parse(args []string, stdout, stderr io.Writer) (*Flags, int) {
	var f Flags
	fs := newFlagSet(stderr, &f)
	err := fs.Parse(args)
	switch {
	case err == flag.ErrHelp:
		usage(stdout, fs)
		return &f, 0
	case err != nil:
		usage(stderr, fs)
		return &f, ExitUsage
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kioskd: unexpected argument %q (see kioskd --help)\n", fs.Arg(0))
		return &f, ExitUsage
	case f.Version:
		fmt.Fprintln(stdout, Version())
		return &f, 0
	}
	return &f, -1
}

func init() {
	// The command line is checked before Ebitengine initialises: --help,
	// --version and a wrong command line are answered without a display.
	// A test binary of package main has go test's command line instead.
	if strings.HasSuffix(os.Args[0], ".test") {
		return
	}
	if _, code := Parse(os.Args[1:], os.Stdout, os.Stderr); code >= 0 {
		os.Exit(code)
	}
}
