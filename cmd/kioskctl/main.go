// Command kioskctl is the technicians' and operators' tool for the kiosk.
//
// Commands that go through the running daemon use its admin socket
// (--socket, or KIOSK_ADMIN_SOCKET, or /run/kioskd/admin.sock); the direct
// diagnostics (diag idcard, diag printer, diag gpio) open the devices
// themselves and work while kioskd is stopped. Every command takes --json.
//
// Exit status: 0 success; 1 a check failed or the daemon refused; 2 a
// device error (direct diagnostics); 3 no card within --wait (diag
// idcard); 64 a usage error; 69 the daemon is not running.
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
)

const (
	exitOK         = 0
	exitFailed     = 1
	exitUsage      = 64
	exitNotRunning = 69
	defaultSocket  = "/run/kioskd/admin.sock"
	socketEnv      = "KIOSK_ADMIN_SOCKET"
)

const usage = `kioskctl: the kiosk's technician and operator tool

Through the running kioskd (admin socket: --socket PATH, $KIOSK_ADMIN_SOCKET,
or /run/kioskd/admin.sock):
  status                          devices, catalog, outbox, backend, uptime
  diag run [DEVICE]               every self-test (or one device's): PASS/FAIL with remedies
  diag card-read [--wait 15s]     read a card through the daemon (masked)
  diag test-print                 print the test page through the daemon
  power-cycle printer|idcard      cut and restore a device's power through its relay
  print jobs                      receipts kept for reprinting (incomplete ones after paper ran out)
  print reprint ID                print a kept receipt again, marked as a reprint
  outbox ls                       transactions waiting, parked or delivered (masked)
  outbox retry [ID]               retry one parked transaction, or all of them
  events [--follow] [-n N]        recent events (masked)
  maintenance on|off              residents see "under maintenance" while on
  catalog install FILE            install a signed service list (FILE.minisig beside it)
  gpio ls | set NAME on|off | pulse NAME [--for 500ms]
  sim card place FIXTURE | remove | fixtures       (simulator mode)
  sim printer paper ok|low|out | cover open|closed | offline on|off | unplug | replug
  sim idcard fault NAME | unplug | replug
  sim gpio NAME high|low
  sim county transactions                          what the simulated backend received (JSON)

Directly on the hardware (works with kioskd stopped):
  diag idcard --port PATH [--baud N] [--json] [--reveal] [--wait 30s]
  diag printer --port PATH [--baud N] (--status | --test-page) [--json]
  diag gpio [--json] [--set NAME=on|off] [--pulse NAME]

For county operations:
  catalog default | validate FILE | keygen | sign --key KEY FILE
  catalog verify --pubkey PUB [--active-version N] FILE
  catalog publish --backend URL [--token T] FILE
  pin-hash                        read a technician PIN on stdin, print its bcrypt hash

Every command takes --json for scripts.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	args = hoistGlobalFlags(args)
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "status":
		return cmdStatus(ctx, rest, stdout, stderr)
	case "diag":
		return cmdDiag(ctx, rest, stdout, stderr)
	case "print":
		return cmdPrint(ctx, rest, stdout, stderr)
	case "power-cycle":
		return cmdPowerCycle(ctx, rest, stdout, stderr)
	case "outbox":
		return cmdOutbox(ctx, rest, stdout, stderr)
	case "events":
		return cmdEvents(ctx, rest, stdout, stderr)
	case "maintenance":
		return cmdMaintenance(ctx, rest, stdout, stderr)
	case "catalog":
		if len(rest) > 0 && rest[0] == "install" {
			return cmdCatalogInstall(ctx, rest[1:], stdout, stderr)
		}
		return runCatalog(ctx, rest, stdout, stderr)
	case "gpio":
		return cmdGPIO(ctx, rest, stdout, stderr)
	case "sim":
		return cmdSim(ctx, rest, stdout, stderr)
	case "pin-hash":
		return cmdPINHash(rest, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "kioskctl: unknown command %q (kioskctl help lists them)\n", cmd)
	return exitUsage
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

// hoistGlobalFlags lets --socket PATH and --json stand before the command
// (kioskctl --socket S status) by moving them behind it, where each
// command's own flags are parsed.
func hoistGlobalFlags(args []string) []string {
	var lead []string
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--json" || a == "-json":
			lead = append(lead, a)
			args = args[1:]
		case (a == "--socket" || a == "-socket") && len(args) > 1:
			lead = append(lead, a, args[1])
			args = args[2:]
		case strings.HasPrefix(a, "--socket=") || strings.HasPrefix(a, "-socket="):
			lead = append(lead, a)
			args = args[1:]
		default:
			if len(args) == 0 {
				return nil
			}
			out := append([]string{args[0]}, args[1:]...)
			// Sub-commands with a verb (sim card place …) parse flags
			// anywhere, so appending is safe for every command.
			return append(out, lead...)
		}
	}
	return nil
}
