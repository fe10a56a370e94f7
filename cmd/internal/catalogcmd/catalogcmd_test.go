package catalogcmd

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"encoding/pem"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// freshCatalog writes the built-in list, re-versioned and valid from now.
func freshCatalog(t *testing.T, dir string, version int64) string {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	c.Version = version
	c.IssuedAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	c.ExpiresAt = c.IssuedAt.AddDate(0, 6, 0)
	b, _ := json.Marshal(c)
	path := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefault(t *testing.T) {
	code, out, _ := run(t, "default")
	if code != ExitOK || !bytes.Equal([]byte(out), catalog.DefaultJSON()) {
		t.Fatalf("code %d", code)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"validate"}, {"sign", "x"}, {"verify", "x"}, {"publish", "x"}, {"default", "extra"}} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, catalog.DefaultJSON(), 0o644)
	code, out, _ := run(t, "validate", good)
	if code != ExitOK || !strings.HasPrefix(out, "ok: 中牟县 version 2026112001: 450 matters, 416 at kiosks (hz ") || strings.Count(out, "\n") != 1 {
		t.Fatalf("exit %d: %q", code, out)
	}

	c, _ := catalog.Default()
	c.Hotline = ""
	c.Services[12].ID = c.Services[3].ID
	c.Services[7].Form = append(c.Services[7].Form, catalog.Field{ID: "p", Label: "p", Type: catalog.FieldText, Pattern: "(a"})
	b, _ := json.Marshal(c)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, b, 0o644)
	code, out, _ = run(t, "validate", bad)
	if code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"$.hotline: required", "$.services[12].id: duplicate id", "$.services[7].form[", ".pattern: does not compile"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}

	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(`{"version":1,"version":2}`), 0o644)
	code, out, _ = run(t, "validate", broken)
	if code != ExitFailed || !strings.Contains(out, "$.version: duplicate key") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestKeygenSignVerify(t *testing.T) {
	dir := t.TempDir()
	pub, sec := filepath.Join(dir, "county.pub"), filepath.Join(dir, "county.key")
	if code, _, errs := run(t, "keygen", "--pub", pub, "--sec", sec); code != ExitOK {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "keygen", "--pub", pub, "--sec", sec); code != ExitFailed || !strings.Contains(errs, "--force") {
		t.Fatalf("keygen overwrote keys: %d %s", code, errs)
	}
	if st, _ := os.Stat(sec); st.Mode().Perm() != 0o600 {
		t.Fatalf("secret key mode %v", st.Mode())
	}
	file := freshCatalog(t, dir, 2026120101)
	if code, _, errs := run(t, "sign", "--key", sec, file); code != ExitOK {
		t.Fatal(errs)
	}
	code, out, errs := run(t, "verify", "--pubkey", pub, "--active-version", "2026112001", file)
	if code != ExitOK || !strings.Contains(out, "verified: 中牟县 version 2026120101") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	// Rollback.
	if code, _, errs := run(t, "verify", "--pubkey", pub, "--active-version", "2026120101", file); code != ExitFailed || !strings.Contains(errs, "not newer") {
		t.Fatalf("rollback accepted: %d %s", code, errs)
	}
	// Another key.
	other := filepath.Join(dir, "other")
	run(t, "keygen", "--pub", other+".pub", "--sec", other+".key")
	if code, _, errs := run(t, "verify", "--pubkey", other+".pub", file); code != ExitFailed || !strings.Contains(errs, "untrusted key") {
		t.Fatalf("other key accepted: %d %s", code, errs)
	}
	// Two signers.
	if code, _, _ := run(t, "verify", "--pubkey", pub, "--pubkey", other+".pub", "--require-two", file); code != ExitFailed {
		t.Fatal("one signature passed --require-two")
	}
	if code, _, errs := run(t, "sign", "--key", other+".key", "--append", file); code != ExitOK {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "verify", "--pubkey", pub, "--pubkey", other+".pub", "--require-two", file); code != ExitOK {
		t.Fatal(errs)
	}
	// Content changed after signing.
	data, _ := os.ReadFile(file)
	os.WriteFile(file, append(data, ' '), 0o644)
	if code, _, errs := run(t, "verify", "--pubkey", pub, file); code != ExitFailed || !strings.Contains(errs, "bad signature") {
		t.Fatalf("changed file accepted: %d %s", code, errs)
	}
	// No signature.
	os.Remove(file + ".minisig")
	if code, _, errs := run(t, "verify", "--pubkey", pub, file); code != ExitFailed || !strings.Contains(errs, "no signature") {
		t.Fatalf("unsigned accepted: %d %s", code, errs)
	}
}

// minisign's own tools and ours agree, both ways.
func TestMinisignInterop(t *testing.T) {
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign not installed")
	}
	dir := t.TempDir()
	mpub, msec := filepath.Join(dir, "m.pub"), filepath.Join(dir, "m.key")
	if out, err := exec.Command(bin, "-G", "-W", "-p", mpub, "-s", msec).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	file := freshCatalog(t, dir, 2026120101)
	// kioskctl signs with minisign's key; minisign verifies.
	if code, _, errs := run(t, "sign", "--key", msec, file); code != ExitOK {
		t.Fatal(errs)
	}
	if out, err := exec.Command(bin, "-V", "-p", mpub, "-m", file).CombinedOutput(); err != nil {
		t.Fatalf("minisign -V: %v %s", err, out)
	}
	// minisign signs; kioskctl verifies.
	os.Remove(file + ".minisig")
	if out, err := exec.Command(bin, "-S", "-s", msec, "-m", file).CombinedOutput(); err != nil {
		t.Fatalf("minisign -S: %v %s", err, out)
	}
	if code, out, errs := run(t, "verify", "--pubkey", mpub, file); code != ExitOK {
		t.Fatalf("%s %s", out, errs)
	}
	// kioskctl's key with minisign.
	pub, sec := filepath.Join(dir, "k.pub"), filepath.Join(dir, "k.key")
	run(t, "keygen", "--pub", pub, "--sec", sec)
	if out, err := exec.Command(bin, "-S", "-s", sec, "-m", file).CombinedOutput(); err != nil {
		t.Fatalf("minisign -S with kioskctl key: %v %s", err, out)
	}
	if out, err := exec.Command(bin, "-V", "-p", pub, "-m", file).CombinedOutput(); err != nil {
		t.Fatalf("minisign -V with kioskctl key: %v %s", err, out)
	}
}

func TestPublish(t *testing.T) {
	dir := t.TempDir()
	pub, sec := filepath.Join(dir, "county.pub"), filepath.Join(dir, "county.key")
	run(t, "keygen", "--pub", pub, "--sec", sec)
	file := freshCatalog(t, dir, 2026120101)
	run(t, "sign", "--key", sec, file)

	var got PublishBody
	var auth, method, path string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method, path, auth = r.Method, r.URL.Path, r.Header.Get("Authorization")
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			http.Error(w, "bad body", 400)
			return
		}
		if auth != "Bearer op-secret" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)

	code, out, errs := run(t, "publish", "--backend", srv.URL, "--token", "op-secret", "--ca", ca, file)
	if code != ExitOK {
		t.Fatalf("%s %s", out, errs)
	}
	if method != http.MethodPut || path != "/v1/catalog" {
		t.Fatalf("%s %s", method, path)
	}
	data, _ := os.ReadFile(file)
	sig, _ := os.ReadFile(file + ".minisig")
	raw, _ := base64.StdEncoding.DecodeString(got.Catalog)
	if !bytes.Equal(raw, data) || got.Signature != string(sig) {
		t.Fatal("body does not carry the exact file and signature")
	}
	if code, _, errs := run(t, "publish", "--backend", srv.URL, "--token", "wrong", "--ca", ca, file); code != ExitFailed || !strings.Contains(errs, "403") {
		t.Fatalf("wrong token: %d %s", code, errs)
	}
	// Without the CA the server is not trusted.
	if code, _, _ := run(t, "publish", "--backend", srv.URL, "--token", "op-secret", file); code != ExitFailed {
		t.Fatal("untrusted server accepted")
	}
}
