// Command kioskctl is the technicians' and operators' tool for the kiosk.
//
// Commands that go through the running daemon use its admin socket
// (--socket, or KIOSK_ADMIN_SOCKET, or /run/kioskd/admin.sock); the direct
// diagnostics (diag idcard, diag scanner, diag camera, diag printer, diag a4, diag gpio) open the devices
// themselves and work while kioskd is stopped. Every command takes --json,
// and -h (--help), which prints its usage on stdout.
//
// Exit status: 0 success; 1 a check failed or the daemon refused; 2 a
// device error (direct diagnostics); 3 no card, code or frames within --wait
// (diag idcard, diag scanner, diag camera; diag camera exits 1 on a picture
// too dark); 64 a usage error (unknown flag, missing or extra argument, bad
// value: one line says what was wrong, then the command's usage, on
// stderr); 69 the daemon is not running.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/henan-county/kiosk/cmd/internal/buildinfo"
)

const (
	exitOK         = 0
	exitFailed     = 1
	exitUsage      = 64
	exitNotRunning = 69
	defaultSocket  = "/run/kioskd/admin.sock"
	socketEnv      = "KIOSK_ADMIN_SOCKET"
)

// version is the build, stamped by make build (-X main.version=…).
var version string

// softwareVersion is the build: the stamped version, or the commit the
// binary was built from, as kioskd reports its own.
func softwareVersion() string { return buildinfo.Version(version) }

const usage = `usage: kioskctl COMMAND [ARGS] [--json] [--socket PATH]
The kiosk's technician and operator tool.

Through the running kioskd (admin socket: --socket PATH, $KIOSK_ADMIN_SOCKET,
or /run/kioskd/admin.sock):
  status                          devices, catalog, outbox, backend, uptime
  diag run [DEVICE]               every self-test (or one device's): PASS/FAIL with remedies
  diag card-read [--wait 15s]     read a card through the daemon (masked)
  diag test-print                 print the test page through the daemon
  power-cycle printer|idcard      cut and restore a device's power through its relay
  print jobs                      jobs kept for reprinting: receipts (incomplete ones after paper ran
                                  out) and A4 documents (held by a session, or stopped by a fault);
                                  A4 jobs are numbered from 1000001
  print reprint ID                print a kept receipt again, marked as a reprint, or a kept A4
                                  document again (then deleted from the kiosk)
  outbox ls                       transactions waiting, parked or delivered (masked)
  outbox retry [ID]               retry one parked transaction, or all of them
  events [--follow] [-n N]        recent events (masked); --json prints one object a line
  maintenance on [--until 15:30] | off
                                  residents see "under maintenance" while on, and when it is back
  catalog install FILE            install a signed service list (FILE.minisig beside it)
  gpio ls | set NAME on|off | pulse NAME [--for 500ms]
  sim card place FIXTURE | remove | fixtures       (simulator mode)
  sim printer paper ok|low|out | cover open|closed | offline on|off | unplug | replug
  sim a4 paper out|jam|ok | offline on|off         (out and jam strike at the next A4 job)
  sim idcard fault NAME | unplug | replug | find-after-read halts|refinds
  sim gpio NAME high|low
  sim scan TEXT                                    the simulated code scanner reads TEXT
  sim camera SCENE | scenes                        what the simulated camera sees (blink, turn, far, backlit, ...)
  sim county transactions | payments | assist      what the simulated backend received, its payment orders, its 小牟帮办 queue (JSON)
  sim desk answer | no-answer | busy              how the simulated 小牟帮办 duty desk takes calls
  version                         this kioskctl's build, and the running kioskd's

Directly on the hardware (works with kioskd stopped):
  diag idcard --port PATH [--baud N] [--json] [--reveal] [--wait 30s]
  diag scanner (--port PATH [--baud N] | --input /dev/input/eventN) [--wait 30s] [--json] [--show]
  diag camera [--device /dev/videoN] [--snapshot FILE] [--json]   (a snapshot only with --snapshot)
  diag printer --port PATH [--baud N] (--status | --test-page) [--json]
  diag a4 [--server HOST:PORT] [--queue NAME] (--status | --test-page) [--json]
  diag gpio [--json] [--set NAME=on|off] [--pulse NAME]

For county operations:
  catalog default | validate FILE | keygen | sign --key KEY FILE
  catalog verify --pubkey PUB [--active-version N] FILE
  catalog publish --backend URL [--token T] FILE
  fleet status --backend URL [--stale D]
                                  every kiosk the backend has heard from, by hall; exit 1 when
                                  one is stale (3 heartbeat intervals silent) or refused a list
  pin-hash                        read a technician PIN on stdin, print its bcrypt hash

Every command takes --json for scripts, and -h for its usage
(kioskctl help COMMAND is the same).

Exit status: 0 success; 1 a check failed or the daemon refused; 2 a device
error and 3 no card, code or frames within --wait (direct diagnostics); 64 a usage error;
69 the daemon is not running.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 1 && args[0] == "help" {
		// kioskctl help diag idcard: the command's own usage.
		return run(ctx, append(args[1:len(args):len(args)], "--help"), stdin, stdout, stderr)
	}
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	args, global := hoistGlobalFlags(args)
	if len(args) == 0 {
		fmt.Fprintf(stderr, "kioskctl: say which command\n%s", usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	all := append(rest[:len(rest):len(rest)], global...)
	switch cmd {
	case "status":
		return cmdStatus(ctx, all, stdout, stderr)
	case "version":
		return cmdVersion(ctx, all, stdout, stderr)
	case "diag":
		return cmdDiag(ctx, rest, global, stdout, stderr)
	case "print":
		return cmdPrint(ctx, all, stdout, stderr)
	case "power-cycle":
		return cmdPowerCycle(ctx, all, stdout, stderr)
	case "outbox":
		return cmdOutbox(ctx, all, stdout, stderr)
	case "events":
		return cmdEvents(ctx, all, stdout, stderr)
	case "maintenance":
		return cmdMaintenance(ctx, all, stdout, stderr)
	case "catalog":
		if len(rest) > 0 && rest[0] == "install" {
			return cmdCatalogInstall(ctx, all[1:], stdout, stderr)
		}
		// The county tools do not talk to kioskd: a --socket given
		// before the command is not theirs.
		return runCatalog(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "gpio":
		return cmdGPIO(ctx, all, stdout, stderr)
	case "sim":
		return cmdSim(ctx, all, stdout, stderr)
	case "fleet":
		// Like the catalog tools, it talks to the backend, not to kioskd.
		return cmdFleet(ctx, append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdout, stderr)
	case "pin-hash":
		return cmdPINHash(append(rest[:len(rest):len(rest)], onlyJSON(global)...), stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "kioskctl: unknown command %q\n%s", cmd, usage)
	return exitUsage
}

func isHelp(a string) bool {
	return a == "help" || a == "-h" || a == "-help" || a == "--help"
}

// fail prints err as a one-line reason and picks the exit status.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "kioskctl: %v\n", err)
	if errors.Is(err, errNotRunning) {
		fmt.Fprintln(stderr, "kioskctl: the direct diagnostics work without it: kioskctl diag idcard --port /dev/kiosk-idcard, kioskctl diag printer --port /dev/kiosk-printer --status, kioskctl diag gpio")
		return exitNotRunning
	}
	return exitFailed
}

// hoistGlobalFlags takes --socket PATH and --json standing before the
// command (kioskctl --socket S status) off args and returns them apart, to
// be put behind the command, where each command's own flags are parsed.
// Commands with a verb (sim card place …) parse flags anywhere, so
// appending is safe for every command.
func hoistGlobalFlags(args []string) (rest, global []string) {
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--json" || a == "-json":
			global = append(global, a)
			args = args[1:]
		case (a == "--socket" || a == "-socket") && len(args) > 1:
			global = append(global, a, args[1])
			args = args[2:]
		case strings.HasPrefix(a, "--socket=") || strings.HasPrefix(a, "-socket="):
			global = append(global, a)
			args = args[1:]
		default:
			return args, global
		}
	}
	return nil, global
}

// onlyJSON keeps --json of the global flags, for the commands that do not
// use the daemon's socket.
func onlyJSON(global []string) []string {
	var out []string
	for _, a := range global {
		if a == "--json" || a == "-json" {
			out = append(out, a)
		}
	}
	return out
}

// takeSocket takes --socket PATH (or --socket=PATH) off args, for the
// commands whose flags are parsed elsewhere; "" when there is none.
func takeSocket(args []string) (socket string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return socket, append(rest, args[i:]...)
		case (a == "--socket" || a == "-socket") && i+1 < len(args):
			socket = args[i+1]
			i++
		case strings.HasPrefix(a, "--socket=") || strings.HasPrefix(a, "-socket="):
			_, socket, _ = strings.Cut(a, "=")
		default:
			rest = append(rest, a)
		}
	}
	return socket, rest
}
