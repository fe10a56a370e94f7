package minisign

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	pub, priv, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("中牟县 catalog v1")
	sig, err := Sign(priv, msg, "", "timestamp:1\tfile:catalog.json\thashed")
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseSignature(sig.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if parsed != sig {
		t.Fatalf("round trip changed the signature")
	}
	if err := Verify(pub, msg, parsed); err != nil {
		t.Fatalf("verify: %v", err)
	}
	pk2, err := ParsePublicKey(pub.Encode())
	if err != nil || !pk2.Equal(pub) {
		t.Fatalf("public key round trip: %v", err)
	}
	sk2, err := ParsePrivateKey(priv.Encode())
	if err != nil || !sk2.Public().Equal(priv.Public()) || sk2.ID != priv.ID {
		t.Fatalf("secret key round trip: %v", err)
	}
	if _, err := ParsePublicKey([]byte(pub.String())); err != nil {
		t.Fatalf("bare key line: %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	pub, priv, _ := GenerateKey(nil)
	other, _, _ := GenerateKey(nil)
	msg := []byte("data")
	sig, _ := Sign(priv, msg, "", "trusted")
	tamperedComment := sig
	tamperedComment.TrustedComment = "trusted but changed"
	flipped := sig
	flipped.Signature[5] ^= 1
	otherID := other
	otherID.ID = pub.ID
	tests := []struct {
		name string
		pub  PublicKey
		msg  []byte
		sig  Signature
		want error
	}{
		{"other data", pub, []byte("datA"), sig, ErrInvalidSignature},
		{"trusted comment changed", pub, msg, tamperedComment, ErrInvalidSignature},
		{"signature bit flipped", pub, msg, flipped, ErrInvalidSignature},
		{"other key id", other, msg, sig, ErrKeyMismatch},
		{"other key same id", otherID, msg, sig, ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Verify(tt.pub, tt.msg, tt.sig); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	pub, priv, _ := GenerateKey(nil)
	sig, _ := Sign(priv, []byte("x"), "", "t")
	enc := string(sig.Encode())
	lines := strings.Split(enc, "\n")
	tests := []struct {
		name string
		data string
	}{
		{"empty", ""},
		{"three lines", strings.Join(lines[:3], "\n")},
		{"no untrusted prefix", "comment\n" + strings.Join(lines[1:], "\n")},
		{"bad base64", lines[0] + "\n!!!!\n" + strings.Join(lines[2:], "\n")},
		{"no trusted prefix", lines[0] + "\n" + lines[1] + "\nxx\n" + lines[3]},
		{"short global", lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\nAAAA\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseSignatures([]byte(tt.data)); err == nil {
				t.Fatal("no error")
			}
		})
	}
	if _, err := ParsePublicKey([]byte("untrusted comment: x\nAAAA\n")); !errors.Is(err, ErrMalformed) {
		t.Fatalf("short public key: %v", err)
	}
	_ = pub
	enc2 := priv.Encode()
	bad := bytes.Replace(enc2, []byte("\n"), []byte("\nX"), 1)
	if _, err := ParsePrivateKey(bad); err == nil {
		t.Fatal("corrupt secret key accepted")
	}
}

func TestTwoSignaturesConcatenated(t *testing.T) {
	_, k1, _ := GenerateKey(nil)
	_, k2, _ := GenerateKey(nil)
	s1, _ := Sign(k1, []byte("m"), "", "a")
	s2, _ := Sign(k2, []byte("m"), "", "b")
	all, err := ParseSignatures(append(s1.Encode(), s2.Encode()...))
	if err != nil || len(all) != 2 || all[0] != s1 || all[1] != s2 {
		t.Fatalf("got %d sigs, err %v", len(all), err)
	}
}

func minisignBin(t *testing.T) string {
	p, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign binary not installed")
	}
	return p
}

// What we sign, minisign verifies; with our key and with a key minisign made.
func TestInteropMinisignVerifiesOurs(t *testing.T) {
	bin := minisignBin(t)
	dir := t.TempDir()
	pub, priv, _ := GenerateKey(nil)
	file := filepath.Join(dir, "catalog.json")
	os.WriteFile(file, []byte(`{"version":7}`), 0o600)
	sig, err := Sign(priv, []byte(`{"version":7}`), "", "timestamp:1795732993\tfile:catalog.json\thashed")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file+".minisig", sig.Encode(), 0o600)
	os.WriteFile(filepath.Join(dir, "k.pub"), pub.Encode(), 0o600)
	out, err := exec.Command(bin, "-V", "-p", filepath.Join(dir, "k.pub"), "-m", file).CombinedOutput()
	if err != nil {
		t.Fatalf("minisign -V rejected our signature: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "file:catalog.json") {
		t.Fatalf("trusted comment not shown: %s", out)
	}
	// Our secret key file works with minisign -S.
	os.WriteFile(filepath.Join(dir, "k.key"), priv.Encode(), 0o600)
	file2 := filepath.Join(dir, "other.json")
	os.WriteFile(file2, []byte("hello"), 0o600)
	if out, err := exec.Command(bin, "-S", "-s", filepath.Join(dir, "k.key"), "-m", file2).CombinedOutput(); err != nil {
		t.Fatalf("minisign -S with our key: %v\n%s", err, out)
	}
	raw, _ := os.ReadFile(file2 + ".minisig")
	s2, err := ParseSignature(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, []byte("hello"), s2); err != nil {
		t.Fatalf("verify minisign's signature with our key: %v", err)
	}
	// A changed file fails minisign too.
	os.WriteFile(file, []byte(`{"version":8}`), 0o600)
	if err := exec.Command(bin, "-V", "-q", "-p", filepath.Join(dir, "k.pub"), "-m", file).Run(); err == nil {
		t.Fatal("minisign accepted a signature for other content")
	}
}

// What minisign signs with a key made by minisign -G -W, we verify and we
// can sign with that key.
func TestInteropWeVerifyMinisign(t *testing.T) {
	bin := minisignBin(t)
	dir := t.TempDir()
	pubPath, keyPath := filepath.Join(dir, "m.pub"), filepath.Join(dir, "m.key")
	if out, err := exec.Command(bin, "-G", "-W", "-p", pubPath, "-s", keyPath).CombinedOutput(); err != nil {
		t.Fatalf("minisign -G -W: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "list.json")
	os.WriteFile(file, []byte("county list"), 0o600)
	if out, err := exec.Command(bin, "-S", "-s", keyPath, "-m", file, "-t", "version:3").CombinedOutput(); err != nil {
		t.Fatalf("minisign -S: %v\n%s", err, out)
	}
	pubRaw, _ := os.ReadFile(pubPath)
	pub, err := ParsePublicKey(pubRaw)
	if err != nil {
		t.Fatal(err)
	}
	sigRaw, _ := os.ReadFile(file + ".minisig")
	sig, err := ParseSignature(sigRaw)
	if err != nil {
		t.Fatal(err)
	}
	if sig.TrustedComment != "version:3" {
		t.Fatalf("trusted comment %q", sig.TrustedComment)
	}
	if err := Verify(pub, []byte("county list"), sig); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if err := Verify(pub, []byte("county lisT"), sig); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("other content: %v", err)
	}
	keyRaw, _ := os.ReadFile(keyPath)
	priv, err := ParsePrivateKey(keyRaw)
	if err != nil {
		t.Fatalf("read minisign -G -W key: %v", err)
	}
	if !priv.Public().Equal(pub) {
		t.Fatal("secret key does not match public key")
	}
	s2, _ := Sign(priv, []byte("county list"), "", "x")
	os.WriteFile(file+".minisig", s2.Encode(), 0o600)
	if out, err := exec.Command(bin, "-V", "-p", pubPath, "-m", file).CombinedOutput(); err != nil {
		t.Fatalf("minisign -V of our signature with its key: %v\n%s", err, out)
	}
}

// An encrypted secret key (scrypt at minisign's own cost, ~1 GiB) needs
// its password: without one it is ErrEncryptedKey, with a wrong one
// ErrPassword, with the right one it signs what its public key verifies.
func TestEncryptedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("scrypt at minisign's cost takes a second and 1 GiB each time")
	}
	pub, priv, _ := GenerateKey(nil)
	enc, err := priv.EncodeEncrypted("县政务 2026")
	if err != nil {
		t.Fatal(err)
	}
	if !IsEncrypted(enc) || IsEncrypted(priv.Encode()) {
		t.Fatal("IsEncrypted does not tell the two files apart")
	}
	if bytes.Contains(enc, []byte(priv.Encode()[len("untrusted comment: minisign encrypted secret key\n"):][:40])) {
		t.Fatal("the encrypted file holds the key's clear bytes")
	}
	for _, tc := range []struct {
		name     string
		password string
		want     error
	}{
		{"no password", "", ErrEncryptedKey},
		{"wrong password", "县政务 2025", ErrPassword},
		{"right password", "县政务 2026", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParsePrivateKeyPassword(enc, tc.password)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				return
			}
			if k.ID != pub.ID || !k.Public().Equal(pub) {
				t.Fatal("decrypted key is not the key encrypted")
			}
			sig, err := Sign(k, []byte("catalog"), "", "t")
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(pub, []byte("catalog"), sig); err != nil {
				t.Fatalf("verify: %v", err)
			}
		})
	}
	if _, err := ParsePrivateKey(enc); !errors.Is(err, ErrEncryptedKey) {
		t.Fatalf("ParsePrivateKey of an encrypted key: %v", err)
	}
}

// A key minisign -G encrypted with a password (read from stdin) opens with
// that password and signs what minisign -V accepts.
func TestInteropEncryptedMinisignKey(t *testing.T) {
	bin := minisignBin(t)
	if testing.Short() {
		t.Skip("scrypt at minisign's cost")
	}
	dir := t.TempDir()
	pubPath, keyPath := filepath.Join(dir, "m.pub"), filepath.Join(dir, "m.key")
	const pw = "中牟 county key"
	cmd := exec.Command(bin, "-G", "-p", pubPath, "-s", keyPath)
	cmd.Stdin = strings.NewReader(pw + "\n" + pw + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("minisign -G: %v\n%s", err, out)
	}
	keyRaw, _ := os.ReadFile(keyPath)
	if _, err := ParsePrivateKey(keyRaw); !errors.Is(err, ErrEncryptedKey) {
		t.Fatalf("without its password: %v", err)
	}
	priv, err := ParsePrivateKeyPassword(keyRaw, pw)
	if err != nil {
		t.Fatalf("minisign's encrypted key: %v", err)
	}
	file := filepath.Join(dir, "list.json")
	os.WriteFile(file, []byte("county list"), 0o600)
	s, err := Sign(priv, []byte("county list"), "", "version:9")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file+".minisig", s.Encode(), 0o600)
	if out, err := exec.Command(bin, "-V", "-p", pubPath, "-m", file).CombinedOutput(); err != nil {
		t.Fatalf("minisign -V of a signature by its decrypted key: %v\n%s", err, out)
	}
}

func FuzzParseSignatures(f *testing.F) {
	_, priv, _ := GenerateKey(nil)
	s, _ := Sign(priv, []byte("x"), "", "t")
	f.Add(s.Encode())
	f.Add(append(s.Encode(), s.Encode()...))
	f.Add([]byte("untrusted comment: \n\n\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sigs, err := ParseSignatures(data)
		if err != nil {
			return
		}
		for _, s := range sigs {
			again, err := ParseSignature(s.Encode())
			if err != nil || again.Signature != s.Signature || again.KeyID != s.KeyID {
				t.Fatalf("re-encode failed: %v", err)
			}
		}
	})
}

func FuzzParseKeys(f *testing.F) {
	pub, priv, _ := GenerateKey(nil)
	f.Add(pub.Encode())
	f.Add(priv.Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		ParsePublicKey(data)
		ParsePrivateKey(data)
	})
}
