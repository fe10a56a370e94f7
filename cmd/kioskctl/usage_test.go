package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// noDaemon points kioskctl at a socket nothing listens on, and diag gpio
// at a config that does not exist, so no test touches a real kiosk.
func noDaemon(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(socketEnv, filepath.Join(dir, "admin.sock"))
	t.Setenv("KIOSKD_CONFIG", filepath.Join(dir, "kioskd.toml"))
	return dir
}

// Technicians' and operators' scripts tell a mistyped command (64) from a
// failed check (1), a device error (2) or a stopped daemon (69): every
// subcommand answers an unknown flag and bad arguments with 64, nothing on
// stdout, one line saying what was wrong and then its usage on stderr.
func TestEverySubcommandUsageErrorExits64(t *testing.T) {
	dir := noDaemon(t)
	file := filepath.Join(dir, "catalog.json")
	os.WriteFile(file, catalog.DefaultJSON(), 0o644)
	for _, tc := range []struct {
		args []string
		why  string // in the first line of stderr
	}{
		{nil, "say which command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--json"}, "say which command"},

		{[]string{"status", "--bogus"}, "-bogus"},
		{[]string{"status", "extra"}, `unexpected argument "extra"`},
		{[]string{"version", "--bogus"}, "-bogus"},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},

		{[]string{"diag"}, "say run"},
		{[]string{"diag", "frobnicate"}, `unknown "frobnicate"`},
		{[]string{"diag", "run", "--bogus"}, "-bogus"},
		{[]string{"diag", "run", "printer", "idcard"}, `unexpected argument "idcard"`},
		{[]string{"diag", "card-read", "--bogus"}, "-bogus"},
		{[]string{"diag", "card-read", "extra"}, `unexpected argument "extra"`},
		{[]string{"diag", "card-read", "--wait", "soon"}, `invalid value "soon"`},
		{[]string{"diag", "card-read", "--wait", "0s"}, "--wait 0s"},
		{[]string{"diag", "test-print", "--bogus"}, "-bogus"},
		{[]string{"diag", "test-print", "extra"}, `unexpected argument "extra"`},
		{[]string{"diag", "idcard", "--bogus"}, "-bogus"},
		{[]string{"diag", "idcard"}, "--port is required"},
		{[]string{"diag", "idcard", "--port", "/dev/x", "extra"}, `unexpected argument "extra"`},
		{[]string{"diag", "idcard", "--port", "/dev/x", "--baud", "5"}, "--baud 5"},
		{[]string{"diag", "printer", "--bogus"}, "-bogus"},
		{[]string{"diag", "a4", "--bogus"}, "-bogus"},
		{[]string{"diag", "printer", "--status"}, "--port is required"},
		{[]string{"diag", "printer", "--port", "/dev/x", "--status", "--test-page"}, "--status or --test-page"},
		{[]string{"diag", "printer", "--port", "/dev/x", "--status", "extra"}, `unexpected argument "extra"`},
		{[]string{"diag", "printer", "--port", "/dev/x", "--status", "--profile", "99mm"}, `"99mm"`},
		{[]string{"diag", "gpio", "--bogus"}, "-bogus"},
		{[]string{"diag", "gpio", "status"}, `unexpected argument "status"`},
		{[]string{"diag", "gpio", "--set", "backlight=maybe"}, `invalid value "backlight=maybe"`},

		{[]string{"power-cycle", "--bogus", "printer"}, "-bogus"},
		{[]string{"power-cycle"}, "say printer or idcard"},
		{[]string{"power-cycle", "toaster"}, "say printer or idcard"},
		{[]string{"power-cycle", "printer", "idcard"}, "say printer or idcard"},

		{[]string{"print"}, "say jobs or reprint ID"},
		{[]string{"print", "jobs", "--bogus"}, "-bogus"},
		{[]string{"print", "jobs", "extra"}, `unexpected argument "extra"`},
		{[]string{"print", "reprint"}, "say which job"},
		{[]string{"print", "reprint", "seven"}, `"seven" is not a job number`},
		{[]string{"print", "frobnicate"}, `unknown "frobnicate"`},

		{[]string{"outbox"}, "say ls or retry"},
		{[]string{"outbox", "ls", "--bogus"}, "-bogus"},
		{[]string{"outbox", "ls", "extra"}, `unexpected argument "extra"`},
		{[]string{"outbox", "retry", "a", "b"}, `unexpected argument "b"`},
		{[]string{"outbox", "frobnicate"}, `unknown "frobnicate"`},

		{[]string{"events", "--bogus"}, "-bogus"},
		{[]string{"events", "extra"}, `unexpected argument "extra"`},
		{[]string{"events", "-n", "0"}, "-n 0"},
		{[]string{"events", "-n", "many"}, `invalid value "many"`},

		{[]string{"maintenance", "--bogus", "on"}, "-bogus"},
		{[]string{"maintenance"}, "say on or off"},
		{[]string{"maintenance", "maybe"}, "say on or off"},

		{[]string{"catalog"}, "say which subcommand"},
		{[]string{"catalog", "frobnicate"}, `unknown subcommand "frobnicate"`},
		{[]string{"catalog", "default", "--bogus"}, "-bogus"},
		{[]string{"catalog", "default", "extra"}, `unexpected argument "extra"`},
		{[]string{"catalog", "validate", "--bogus", file}, "-bogus"},
		{[]string{"catalog", "validate"}, "want one FILE"},
		{[]string{"catalog", "validate", file, file}, "unexpected argument"},
		{[]string{"catalog", "keygen", "--bogus"}, "-bogus"},
		{[]string{"catalog", "keygen", "extra"}, `unexpected argument "extra"`},
		{[]string{"catalog", "sign", "--bogus", file}, "-bogus"},
		{[]string{"catalog", "sign", file}, "--key is required"},
		{[]string{"catalog", "verify", "--bogus", file}, "-bogus"},
		{[]string{"catalog", "verify", file}, "--pubkey is required"},
		{[]string{"catalog", "verify", "--pubkey", "p", "--active-version", "new", file}, `invalid value "new"`},
		{[]string{"catalog", "publish", "--bogus", file}, "-bogus"},
		{[]string{"catalog", "publish", file}, "--backend is required"},
		{[]string{"catalog", "install", "--bogus", file}, "-bogus"},
		{[]string{"catalog", "install"}, "want one FILE"},
		{[]string{"catalog", "install", file, file}, "unexpected argument"},

		{[]string{"gpio", "--bogus"}, "-bogus"},
		{[]string{"gpio", "frobnicate"}, `unknown "frobnicate"`},
		{[]string{"gpio", "ls", "extra"}, `unexpected argument "extra"`},
		{[]string{"gpio", "set", "backlight"}, "set NAME on|off"},
		{[]string{"gpio", "set", "backlight", "maybe"}, "set NAME on|off"},
		{[]string{"gpio", "pulse"}, "pulse NAME"},
		{[]string{"gpio", "pulse", "printer_relay", "--for", "0s"}, "--for 0s"},

		{[]string{"sim", "--bogus", "card", "remove"}, "-bogus"},
		{[]string{"sim"}, "say a device"},
		{[]string{"sim", "card"}, "say a device"},
		{[]string{"sim", "card", "place"}, `unknown "card place"`},
		{[]string{"sim", "card", "remove", "han"}, `unknown "card remove han"`},
		{[]string{"sim", "printer", "paper", "purple"}, `unknown "printer paper purple"`},
		{[]string{"sim", "printer", "offline", "maybe"}, `unknown "printer offline maybe"`},
		{[]string{"sim", "gpio", "help", "sideways"}, `unknown "gpio help sideways"`},
		{[]string{"sim", "county", "transactions", "extra"}, `unknown "county transactions extra"`},

		{[]string{"pin-hash", "--bogus"}, "-bogus"},
		{[]string{"pin-hash", "135792"}, "never from the command line"},
	} {
		code, out, errs := kioskctl(t, tc.args...)
		first, rest, _ := strings.Cut(errs, "\n")
		if code != exitUsage || out != "" || !strings.Contains(first, tc.why) || !strings.Contains(rest, "usage: kioskctl") {
			t.Errorf("kioskctl %q: exit %d, stdout %q, stderr:\n%s\nwant exit 64, nothing on stdout, %q then the usage on stderr", tc.args, code, out, errs, tc.why)
		}
	}
}

// -h and --help on every command print its usage to stdout and exit 0; so
// does kioskctl help COMMAND.
func TestEverySubcommandHelp(t *testing.T) {
	noDaemon(t)
	for _, cmd := range [][]string{
		{}, {"status"}, {"version"}, {"diag"}, {"diag", "run"}, {"diag", "card-read"}, {"diag", "test-print"},
		{"diag", "idcard"}, {"diag", "printer"}, {"diag", "gpio"}, {"power-cycle"}, {"print"}, {"print", "jobs"},
		{"outbox"}, {"outbox", "ls"}, {"events"}, {"maintenance"}, {"catalog"}, {"catalog", "default"},
		{"catalog", "validate"}, {"catalog", "keygen"}, {"catalog", "sign"}, {"catalog", "verify"},
		{"catalog", "publish"}, {"catalog", "install"}, {"gpio"}, {"gpio", "set"}, {"sim"}, {"sim", "card", "place"}, {"pin-hash"},
	} {
		for _, args := range [][]string{append(cmd[:len(cmd):len(cmd)], "-h"), append(cmd[:len(cmd):len(cmd)], "--help"), append([]string{"help"}, cmd...)} {
			code, out, errs := kioskctl(t, args...)
			if code != exitOK || errs != "" || !strings.HasPrefix(out, "usage: kioskctl") {
				t.Errorf("kioskctl %q: exit %d, stdout %q, stderr %q; want 0 and the usage on stdout", args, code, out, errs)
			}
		}
	}
}

// isJSON is whether out is one JSON value, or (lines) one JSON value a line.
func isJSON(out string, lines bool) bool {
	if !lines {
		return json.Valid([]byte(out))
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !json.Valid([]byte(l)) {
			return false
		}
	}
	return true
}

// Without a daemon, every command that takes --json still prints JSON on
// stdout: an object with the error and the exit status, or the direct
// diagnostics' own result.
func TestJSONWhenDaemonNotRunning(t *testing.T) {
	dir := noDaemon(t)
	file := filepath.Join(dir, "catalog.json")
	os.WriteFile(file, catalog.DefaultJSON(), 0o644)
	os.WriteFile(file+".minisig", []byte("not checked before the daemon is asked\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"status"}, exitNotRunning},
		{[]string{"diag", "run"}, exitNotRunning},
		{[]string{"diag", "run", "printer"}, exitNotRunning},
		{[]string{"diag", "card-read", "--wait", "1s"}, exitNotRunning},
		{[]string{"diag", "test-print"}, exitNotRunning},
		{[]string{"power-cycle", "printer"}, exitNotRunning},
		{[]string{"print", "jobs"}, exitNotRunning},
		{[]string{"print", "reprint", "3"}, exitNotRunning},
		{[]string{"outbox", "ls"}, exitNotRunning},
		{[]string{"outbox", "retry"}, exitNotRunning},
		{[]string{"events"}, exitNotRunning},
		{[]string{"events", "--follow"}, exitNotRunning},
		{[]string{"maintenance", "on"}, exitNotRunning},
		{[]string{"catalog", "install", file}, exitNotRunning},
		{[]string{"catalog", "install", filepath.Join(dir, "missing.json")}, exitFailed},
		{[]string{"gpio", "ls"}, exitNotRunning},
		{[]string{"gpio", "set", "backlight", "on"}, exitNotRunning},
		{[]string{"gpio", "pulse", "printer_relay"}, exitNotRunning},
		{[]string{"sim", "card", "fixtures"}, exitNotRunning},
		{[]string{"sim", "card", "place", "han"}, exitNotRunning},
		{[]string{"sim", "county", "transactions"}, exitNotRunning},
	} {
		for _, args := range [][]string{append(tc.args[:len(tc.args):len(tc.args)], "--json"), append([]string{"--json"}, tc.args...)} {
			code, out, errs := kioskctl(t, args...)
			var v jsonError
			if code != tc.code || json.Unmarshal([]byte(out), &v) != nil || v.Error == "" || v.ExitStatus != tc.code {
				t.Errorf("kioskctl %q: exit %d (want %d), stdout %q, stderr %q; want a JSON object with the error", args, code, tc.code, out, errs)
			}
			if tc.code == exitNotRunning && !strings.Contains(errs, "not running") {
				t.Errorf("kioskctl %q: stderr %q does not say the daemon is not running", args, errs)
			}
		}
	}

	// version never fails because the daemon is down.
	code, out, errs := kioskctl(t, "version", "--json")
	var v versionInfo
	if code != exitOK || json.Unmarshal([]byte(out), &v) != nil || v.Version == "" || v.DaemonRunning || v.DaemonError == "" {
		t.Errorf("version --json: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, _ := kioskctl(t, "version"); code != exitOK || !strings.Contains(out, "kioskctl "+softwareVersion()) || !strings.Contains(out, "not running") {
		t.Errorf("version: exit %d, %q", code, out)
	}

	// The direct diagnostics and the county tools print their own results.
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"diag", "gpio", "--json"}, 1}, // no daemon and no config: no GPIO
		{[]string{"diag", "idcard", "--json", "--port", filepath.Join(dir, "no-reader")}, 2},
		{[]string{"diag", "printer", "--json", "--port", filepath.Join(dir, "no-printer"), "--status"}, 2},
		{[]string{"catalog", "default", "--json"}, 0},
		{[]string{"catalog", "validate", "--json", file}, 0},
		{[]string{"--json", "catalog", "validate", filepath.Join(dir, "missing.json")}, 1},
		{[]string{"catalog", "keygen", "--json", "--pub", filepath.Join(dir, "k.pub"), "--sec", filepath.Join(dir, "k.key")}, 0},
		{[]string{"catalog", "sign", "--json", "--key", filepath.Join(dir, "k.key"), file}, 0},
		{[]string{"catalog", "verify", "--json", "--pubkey", filepath.Join(dir, "k.pub"), file}, 0},
		{[]string{"catalog", "verify", "--json", "--pubkey", filepath.Join(dir, "k.pub"), "--active-version", "2026112001", file}, 1}, // not newer than itself
		{[]string{"catalog", "publish", "--json", "--backend", "https://127.0.0.1:1", "--timeout", "2s", file}, 1},
	} {
		code, out, errs := kioskctl(t, tc.args...)
		var v map[string]any
		if code != tc.code || json.Unmarshal([]byte(out), &v) != nil {
			t.Errorf("kioskctl %q: exit %d (want %d), stdout %q, stderr %q; want a JSON object", tc.args, code, tc.code, out, errs)
		}
	}
	var hashOut bytes.Buffer
	if code := run(t.Context(), []string{"pin-hash", "--json"}, strings.NewReader("135792\n"), &hashOut, &bytes.Buffer{}); code != 0 {
		t.Errorf("pin-hash --json: exit %d", code)
	}
	var h struct {
		PINHash string `json:"pin_hash"`
	}
	if json.Unmarshal(hashOut.Bytes(), &h) != nil || !strings.HasPrefix(h.PINHash, "$2a$") {
		t.Errorf("pin-hash --json: %q", hashOut.String())
	}
}

// Against a running (simulated) kiosk, every command that takes --json
// prints JSON on stdout, with the flag after the command or before it.
func TestJSONAgainstSimulatedKiosk(t *testing.T) {
	_, sock := startSimKiosk(t)
	t.Setenv(socketEnv, sock)
	for _, tc := range []struct {
		args  []string
		code  int
		lines bool     // one JSON value a line
		setup []string // run before each
	}{
		{args: []string{"status"}},
		{args: []string{"version"}},
		{args: []string{"diag", "run", "printer"}},
		{args: []string{"diag", "card-read", "--wait", "5s"}, setup: []string{"sim", "card", "place", "han"}},
		{args: []string{"diag", "test-print"}},
		{args: []string{"diag", "gpio", "--set", "backlight=on"}},
		{args: []string{"print", "jobs"}},
		{args: []string{"print", "reprint", "999999"}, code: exitFailed},
		{args: []string{"outbox", "ls"}},
		{args: []string{"outbox", "retry"}},
		{args: []string{"events", "-n", "20"}, lines: true},
		{args: []string{"maintenance", "off"}},
		{args: []string{"gpio", "ls"}},
		{args: []string{"gpio", "set", "backlight", "on"}},
		{args: []string{"gpio", "pulse", "light_red", "--for", "10ms"}},
		{args: []string{"sim", "card", "fixtures"}},
		{args: []string{"sim", "printer", "paper", "ok"}},
		{args: []string{"sim", "county", "transactions"}},
		{args: []string{"sim", "card", "place", "nobody"}, code: exitFailed},
	} {
		for _, args := range [][]string{append(tc.args[:len(tc.args):len(tc.args)], "--json"), append([]string{"--json"}, tc.args...)} {
			if tc.setup != nil {
				kioskctl(t, "sim", "card", "remove")
				if code, _, errs := kioskctl(t, tc.setup...); code != 0 {
					t.Fatalf("%q: %s", tc.setup, errs)
				}
			}
			code, out, errs := kioskctl(t, args...)
			if code != tc.code || strings.TrimSpace(out) == "" || !isJSON(out, tc.lines) {
				t.Errorf("kioskctl %q: exit %d (want %d), stdout %q, stderr %q; want JSON", args, code, tc.code, out, errs)
			}
		}
	}
	// diag gpio finds the daemon by --socket too, before or after it.
	t.Setenv(socketEnv, filepath.Join(t.TempDir(), "nothing.sock"))
	for _, args := range [][]string{{"diag", "gpio", "--json", "--socket", sock}, {"--socket", sock, "diag", "gpio", "--json"}, {"diag", "gpio", "--socket=" + sock, "--json"}} {
		code, out, errs := kioskctl(t, args...)
		if code != 0 || !strings.Contains(out, "printer_relay") || !isJSON(out, false) {
			t.Errorf("kioskctl %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	t.Setenv(socketEnv, sock)

	code, out, _ := kioskctl(t, "version", "--json")
	var v versionInfo
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || !v.DaemonRunning || v.DaemonVersion != "test" || v.Version != softwareVersion() {
		t.Errorf("version --json with the daemon up: %d %s", code, out)
	}
	if code, out, _ := kioskctl(t, "version"); code != 0 || !strings.Contains(out, "kioskd   test") {
		t.Errorf("version: %d %q", code, out)
	}
}
