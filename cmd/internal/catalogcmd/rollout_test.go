package catalogcmd

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/minisign"
)

func TestSetMember(t *testing.T) {
	for _, tc := range []struct {
		name, in, key, after, value, want, err string
	}{
		{"replace", `{"version": 1, "rollout": {"all":true}, "x": 2}`, "rollout", "version", `{"halls":["a"]}`,
			`{"version": 1, "rollout": {"halls":["a"]}, "x": 2}`, ""},
		{"insert compact", `{"a":1,"version":2,"b":3}`, "rollout", "version", `{"all":true}`,
			`{"a":1,"version":2,"rollout":{"all":true},"b":3}`, ""},
		{"insert indented", "{\n  \"version\": 2,\n  \"b\": 3\n}", "rollout", "version", `{"all":true}`,
			"{\n  \"version\": 2,\n  \"rollout\": {\"all\":true},\n  \"b\": 3\n}", ""},
		{"insert last", "{\"a\":1,\n\t\"version\" : 2}", "rollout", "version", `1`,
			"{\"a\":1,\n\t\"version\" : 2,\n\t\"rollout\" : 1}", ""},
		{"nested is not top level", `{"x":{"rollout":1},"version":2}`, "rollout", "version", `3`,
			`{"x":{"rollout":1},"version":2,"rollout":3}`, ""},
		{"no anchor", `{"a":1}`, "rollout", "version", `1`, "", "no member"},
		{"duplicate", `{"version":1,"version":2}`, "rollout", "version", `1`, "", "duplicate"},
		{"not an object", `[1]`, "rollout", "version", `1`, "", "not a JSON object"},
		{"broken", `{"version":`, "rollout", "version", `1`, "", "EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := setMember([]byte(tc.in), tc.key, tc.after, []byte(tc.value))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
}

func FuzzSetMember(f *testing.F) {
	f.Add([]byte(`{"version": 1, "rollout": {"all":true}}`))
	f.Add([]byte("{\n  \"version\": 2,\n  \"b\": [1, {\"rollout\": 2}]\n}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := setMember(in, "rollout", "version", []byte(`{"halls":["a"]}`))
		if err != nil {
			return
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(out, &m) != nil {
			if json.Valid(in) {
				t.Fatalf("valid %q became invalid %q", in, out)
			}
			return
		}
		if string(m["rollout"]) != `{"halls":["a"]}` {
			t.Fatalf("%q: rollout %s", out, m["rollout"])
		}
	})
}

// keys writes a key pair with keygen and returns the secret key's path
// and the public key.
func keys(t *testing.T, dir string) (string, minisign.PublicKey) {
	t.Helper()
	pub, sec := filepath.Join(dir, "county.pub"), filepath.Join(dir, "county.key")
	if code, _, errs := run(t, "keygen", "--pub", pub, "--sec", sec); code != ExitOK {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(pub)
	pk, err := minisign.ParsePublicKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return sec, pk
}

// stage offers FILE and FILE.minisig to a kiosk store of hall.
func stage(t *testing.T, st *catalog.Store, file string) (*catalog.Catalog, error) {
	t.Helper()
	data, _ := os.ReadFile(file)
	sig, _ := os.ReadFile(file + ".minisig")
	return st.Stage(data, sig)
}

// A pilot hall first, then wider: the same file and version, signed
// again; a kiosk of the pilot hall has nothing new, one of the next hall
// applies it.
func TestSignRolloutPilotThenWider(t *testing.T) {
	dir := t.TempDir()
	sec, pub := keys(t, dir)
	file := freshCatalog(t, dir, 2026120101)
	before, _ := os.ReadFile(file)

	code, out, errs := run(t, "sign", "--key", sec, "--halls", "zwzx", file)
	if code != ExitOK || !strings.Contains(out, "rollout zwzx") {
		t.Fatalf("sign --halls: %d %s %s", code, out, errs)
	}
	pilot, _ := os.ReadFile(file)
	want := strings.Replace(string(before), `"version":2026120101,`, `"version":2026120101,"rollout":{"halls":["zwzx"]},`, 1)
	if string(pilot) != want {
		t.Fatal("sign --halls changed more than the rollout")
	}

	kiosk := func(hall string) *catalog.Store {
		v := &catalog.Verifier{Trusted: []minisign.PublicKey{pub}, Hall: hall}
		st, err := catalog.OpenStore(t.TempDir(), v, nil)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	zwzx, cgz := kiosk("zwzx"), kiosk("cgz")
	if c, err := stage(t, zwzx, file); err != nil || c.Version != 2026120101 {
		t.Fatalf("pilot hall: %v", err)
	}
	zwzx.ApplyPending(time.Now())
	if _, err := stage(t, cgz, file); !errors.Is(err, catalog.ErrNotInRollout) {
		t.Fatalf("other hall: %v", err)
	}

	code, out, errs = run(t, "sign", "--key", sec, "--json", "--rollout", "zwzx,cgz", file)
	var res map[string]string
	if code != ExitOK || json.Unmarshal([]byte(out), &res) != nil || res["rollout"] != "zwzx,cgz" {
		t.Fatalf("sign --rollout: %d %s %s", code, out, errs)
	}
	if c, err := stage(t, cgz, file); err != nil || c.Version != 2026120101 {
		t.Fatalf("widened, next hall: %v", err)
	}
	active := zwzx.Active()
	if c, err := stage(t, zwzx, file); err != nil || c != active || zwzx.Pending() != nil {
		t.Fatalf("widened, pilot hall: %v %v", c, err)
	}

	if code, out, _ = run(t, "sign", "--key", sec, "--rollout", "all", file); code != ExitOK || !strings.Contains(out, "rollout all") {
		t.Fatalf("sign --rollout all: %d %s", code, out)
	}
	if code, _, _ = run(t, "verify", "--pubkey", filepath.Join(dir, "county.pub"), file); code != ExitOK {
		t.Fatal("signed list does not verify")
	}
}

func TestSignRolloutUnknownHallLeavesFile(t *testing.T) {
	dir := t.TempDir()
	sec, _ := keys(t, dir)
	file := freshCatalog(t, dir, 2026120101)
	before, _ := os.ReadFile(file)
	code, _, errs := run(t, "sign", "--key", sec, "--halls", "zwzx,nowhere", file)
	if code != ExitFailed || !strings.Contains(errs, `$.rollout.halls[1]: unknown hall "nowhere"`) {
		t.Fatalf("%d %s", code, errs)
	}
	after, _ := os.ReadFile(file)
	if string(after) != string(before) {
		t.Fatal("file changed")
	}
	if _, err := os.Stat(file + ".minisig"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("signed anyway")
	}
}

func TestRevert(t *testing.T) {
	dir := t.TempDir()
	sec, pub := keys(t, dir)
	oldFile := freshCatalog(t, dir, 2026120101)
	old, _ := os.ReadFile(oldFile)
	oldCat, _ := catalog.Parse(old)
	out := filepath.Join(dir, "revert.json")

	code, stdout, errs := run(t, "revert", "--to", oldFile, "--version", "2026120301", "--out", out, "--json")
	var res RevertResult
	if code != ExitOK || json.Unmarshal([]byte(stdout), &res) != nil || res.Version != 2026120301 || res.FromVer != 2026120101 {
		t.Fatalf("revert: %d %s %s", code, stdout, errs)
	}
	b, _ := os.ReadFile(out)
	c, err := catalog.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != 2026120301 || !c.ExpiresAt.Equal(oldCat.ExpiresAt) || !c.IssuedAt.After(oldCat.IssuedAt) {
		t.Fatalf("version %d issued %s expires %s", c.Version, c.IssuedAt, c.ExpiresAt)
	}
	// Everything residents see is the old list's.
	c.Version, c.IssuedAt = oldCat.Version, oldCat.IssuedAt
	if c.ContentHash() != oldCat.ContentHash() {
		t.Fatal("revert changed the content")
	}

	// A kiosk that applied a newer, bad list takes the revert.
	bad := freshCatalog(t, t.TempDir(), 2026120201)
	run(t, "sign", "--key", sec, bad)
	run(t, "sign", "--key", sec, out)
	st, _ := catalog.OpenStore(t.TempDir(), &catalog.Verifier{Trusted: []minisign.PublicKey{pub}}, nil)
	if _, err := stage(t, st, bad); err != nil {
		t.Fatal(err)
	}
	st.ApplyPending(time.Now())
	if c, err := stage(t, st, out); err != nil || c.Version != 2026120301 {
		t.Fatalf("revert not taken: %v", err)
	}

	// To stdout, with a new expiry.
	exp := time.Now().AddDate(1, 0, 0).UTC().Truncate(time.Second)
	code, stdout, _ = run(t, "revert", "--to", oldFile, "--version", "2026120302", "--expires", exp.Format(time.RFC3339))
	if c, err := catalog.Parse([]byte(stdout)); code != ExitOK || err != nil || !c.ExpiresAt.Equal(exp) {
		t.Fatalf("stdout: %d %v", code, err)
	}

	for _, tc := range []struct {
		args []string
		code int
		why  string
	}{
		{[]string{"--to", oldFile, "--version", "2026120101"}, ExitFailed, "not greater"},
		{[]string{"--to", oldFile, "--version", "2026120302", "--expires", "2020-01-01T00:00:00Z"}, ExitFailed, "not in the future"},
		{[]string{"--to", filepath.Join(dir, "missing.json"), "--version", "2026120302"}, ExitFailed, "no such file"},
		{[]string{"--version", "2026120302"}, ExitUsage, "--to is required"},
		{[]string{"--to", oldFile}, ExitUsage, "--version is required"},
		{[]string{"--to", oldFile, "--version", "2026120302", "--json"}, ExitUsage, "--json needs --out"},
		{[]string{"--to", oldFile, "--version", "2026120302", "--expires", "tomorrow"}, ExitUsage, "RFC 3339"},
	} {
		code, _, errs := run(t, append([]string{"revert"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.why) {
			t.Errorf("%v: %d %q, want %d %q", tc.args, code, errs, tc.code, tc.why)
		}
	}
}

func TestRevertExpiredNeedsExpires(t *testing.T) {
	dir := t.TempDir()
	c, _ := catalog.Default()
	c.IssuedAt = time.Now().AddDate(-2, 0, 0).UTC().Truncate(time.Second)
	c.ExpiresAt = c.IssuedAt.AddDate(1, 0, 0)
	b, _ := json.Marshal(c)
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, b, 0o644)
	if code, _, errs := run(t, "revert", "--to", old, "--version", "2026120301"); code != ExitFailed || !strings.Contains(errs, "give a new --expires") {
		t.Fatalf("%d %s", code, errs)
	}
}

func TestSignRolloutUsage(t *testing.T) {
	dir := t.TempDir()
	file := freshCatalog(t, dir, 2026120101)
	for _, tc := range []struct {
		args []string
		why  string
	}{
		{[]string{"--rollout", "all", "--halls", "zwzx"}, "not both"},
		{[]string{"--append", "--halls", "zwzx"}, "--append"},
		{[]string{"--halls", "all"}, "--rollout all"},
		{[]string{"--halls", "zwzx,,cgz"}, "hall ids separated by commas"},
	} {
		code, out, errs := run(t, append(append([]string{"sign", "--key", "k"}, tc.args...), file)...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, tc.why) {
			t.Errorf("%v: %d %q %q", tc.args, code, out, errs)
		}
	}
}
