package catalogcmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

// Operators' scripts tell a mistyped command (64) from a failed check (1):
// every subcommand says what was wrong in one line, then its usage, on
// stderr, and prints nothing on stdout.
func TestUsageErrorsExit64(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "catalog.json")
	os.WriteFile(file, catalog.DefaultJSON(), 0o644)
	for _, tc := range []struct {
		args []string
		why  string
	}{
		{nil, "say which subcommand"},
		{[]string{"frobnicate"}, "unknown subcommand"},
		{[]string{"--json"}, "say which subcommand"},
		{[]string{"--bogus", "validate"}, "say which subcommand before --bogus"},
		{[]string{"default", "--bogus"}, "not defined: -bogus"},
		{[]string{"default", "extra"}, `unexpected argument "extra"`},
		{[]string{"validate", "--bogus", file}, "not defined: -bogus"},
		{[]string{"validate"}, "want one FILE"},
		{[]string{"validate", file, "other.json"}, `unexpected argument "other.json"`},
		{[]string{"keygen", "--bogus"}, "not defined: -bogus"},
		{[]string{"keygen", "extra"}, `unexpected argument "extra"`},
		{[]string{"keygen", "--pub", "k", "--sec", "k"}, "two different files"},
		{[]string{"sign", "--bogus", "--key", "k", file}, "not defined: -bogus"},
		{[]string{"sign", file}, "--key is required"},
		{[]string{"sign", "--key", "k"}, "want one FILE"},
		{[]string{"sign", "--key", "k", file, file}, "unexpected argument"},
		{[]string{"verify", "--bogus", "--pubkey", "p", file}, "not defined: -bogus"},
		{[]string{"verify", file}, "--pubkey is required"},
		{[]string{"verify", "--pubkey", "p"}, "want one FILE"},
		{[]string{"verify", "--pubkey", "p", "--active-version", "new", file}, `invalid value "new"`},
		{[]string{"verify", "--pubkey", "p", "--active-version", "-1", file}, "--active-version -1"},
		{[]string{"verify", "--pubkey", "p", "--max-size", "0", file}, "--max-size 0"},
		{[]string{"publish", "--bogus", "--backend", "https://x", file}, "not defined: -bogus"},
		{[]string{"publish", file}, "--backend is required"},
		{[]string{"publish", "--backend", "county-backend", file}, "want an https:// address"},
		{[]string{"publish", "--backend", "https://x", "--timeout", "soon", file}, `invalid value "soon"`},
		{[]string{"publish", "--backend", "https://x", "--cert", "c.pem", file}, "--cert and --key go together"},
		{[]string{"publish", "--backend", "https://x"}, "want one FILE"},
	} {
		code, out, errs := run(t, tc.args...)
		first, _, _ := strings.Cut(errs, "\n")
		if code != 64 || out != "" || !strings.HasPrefix(first, "kioskctl catalog") || !strings.Contains(first, tc.why) || !strings.Contains(errs, "usage: kioskctl catalog") {
			t.Errorf("catalog %q: exit %d, stdout %q, stderr %q; want 64, %q and the usage on stderr", tc.args, code, out, errs, tc.why)
		}
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"default", "-h"}, {"validate", "--help"}, {"keygen", "-h"}, {"sign", "-h"}, {"verify", "--help"}, {"publish", "-h"}} {
		code, out, errs := run(t, args...)
		if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: kioskctl catalog") || !strings.Contains(out, "json") {
			t.Errorf("catalog %q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// Every subcommand takes --json, before or after FILE, and prints one JSON
// value on stdout, also when it fails.
func TestJSONEverySubcommand(t *testing.T) {
	dir := t.TempDir()
	pub, sec := filepath.Join(dir, "county.pub"), filepath.Join(dir, "county.key")
	good := freshCatalog(t, dir, 2026120101)
	c, _ := catalog.Default()
	c.Hotline = ""
	c.Services[12].ID = c.Services[3].ID
	b, _ := json.Marshal(c)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, b, 0o644)
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(`{"version":1,"version":2}`), 0o644)

	for _, tc := range []struct {
		args  []string
		code  int
		check func(t *testing.T, v map[string]any)
	}{
		{[]string{"default", "--json"}, ExitOK, func(t *testing.T, v map[string]any) {
			if v["county"] == nil {
				t.Error("no county")
			}
		}},
		{[]string{"validate", "--json", good}, ExitOK, func(t *testing.T, v map[string]any) {
			if v["ok"] != true || v["version"] != 2026120101.0 || len(v["problems"].([]any)) != 0 {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"--json", "validate", good}, ExitOK, func(t *testing.T, v map[string]any) {
			if v["ok"] != true {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"validate", bad, "--json"}, ExitFailed, func(t *testing.T, v map[string]any) {
			probs := v["problems"].([]any)
			paths := map[string]bool{}
			for _, p := range probs {
				paths[p.(map[string]any)["path"].(string)] = true
			}
			if v["ok"] != false || !paths["$.hotline"] || !paths["$.services[12].id"] {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"validate", "--json", broken}, ExitFailed, func(t *testing.T, v map[string]any) {
			p := v["problems"].([]any)[0].(map[string]any)
			if p["path"] != "$.version" || p["offset"] == nil {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"validate", "--json", filepath.Join(dir, "missing.json")}, ExitFailed, func(t *testing.T, v map[string]any) {
			if v["ok"] != false || v["error"] == nil {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"keygen", "--json", "--pub", pub, "--sec", sec}, ExitOK, func(t *testing.T, v map[string]any) {
			if v["key_id"] == "" || v["pub"] != pub {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"keygen", "--json", "--pub", pub, "--sec", sec}, ExitFailed, func(t *testing.T, v map[string]any) {
			if !strings.Contains(v["error"].(string), "--force") {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"sign", "--key", sec, good, "--json"}, ExitOK, func(t *testing.T, v map[string]any) {
			if v["signature"] != good+".minisig" {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"verify", "--json", "--pubkey", pub, good}, ExitOK, func(t *testing.T, v map[string]any) {
			if v["ok"] != true || v["sha256"] == nil || v["expires_at"] == nil {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"verify", "--json", "--pubkey", pub, "--active-version", "2026120101", good}, ExitFailed, func(t *testing.T, v map[string]any) {
			if v["ok"] != false || !strings.Contains(v["error"].(string), "not newer") {
				t.Errorf("%v", v)
			}
		}},
		{[]string{"publish", "--json", "--backend", "https://127.0.0.1:1", "--timeout", "2s", good}, ExitFailed, func(t *testing.T, v map[string]any) {
			if v["error"] == nil {
				t.Errorf("%v", v)
			}
		}},
	} {
		code, out, errs := run(t, tc.args...)
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil || code != tc.code {
			t.Errorf("catalog %q: exit %d (want %d), stdout not a JSON object (%v): %q, stderr %q", tc.args, code, tc.code, err, out, errs)
			continue
		}
		tc.check(t, v)
	}
}
