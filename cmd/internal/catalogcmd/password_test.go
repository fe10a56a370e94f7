package catalogcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/minisign"
)

// An encrypted county key (keygen --encrypt, the password from the
// environment as a script gives it) signs as the second of two keys, and
// the list passes the two-key rule; the key file is encrypted on disk.
func TestEncryptedKeySignsSecond(t *testing.T) {
	if testing.Short() {
		t.Skip("scrypt at minisign's cost takes a second and 1 GiB each time")
	}
	if raceEnabled {
		t.Skip("scrypt under the race detector takes minutes; make test runs this without it")
	}
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first"), filepath.Join(dir, "second")
	if code, _, errs := run(t, "keygen", "--pub", first+".pub", "--sec", first+".key"); code != ExitOK {
		t.Fatal(errs)
	}
	t.Setenv(PasswordEnv, "中牟县 second signer")
	if code, _, errs := run(t, "keygen", "--encrypt", "--pub", second+".pub", "--sec", second+".key"); code != ExitOK {
		t.Fatal(errs)
	}
	raw, _ := os.ReadFile(second + ".key")
	if !minisign.IsEncrypted(raw) {
		t.Fatal("keygen --encrypt wrote an unencrypted key")
	}
	if _, err := minisign.ParsePrivateKey(raw); err == nil {
		t.Fatal("the encrypted key opened without its password")
	}
	file := freshCatalog(t, dir, 2026120201)
	if code, _, errs := run(t, "sign", "--key", first+".key", file); code != ExitOK {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "sign", "--key", second+".key", "--append", file); code != ExitOK {
		t.Fatalf("sign with the encrypted key: %s", errs)
	}
	if code, out, errs := run(t, "verify", "--pubkey", first+".pub", "--pubkey", second+".pub", "--require-two", file); code != ExitOK {
		t.Fatalf("two-key verify: %d %s %s", code, out, errs)
	}
	// An empty password in the environment is refused before any work.
	t.Setenv(PasswordEnv, "")
	code, _, errs := run(t, "sign", "--key", second+".key", file)
	if code != ExitFailed || !strings.Contains(errs, PasswordEnv) {
		t.Fatalf("empty password: %d %s", code, errs)
	}
}
