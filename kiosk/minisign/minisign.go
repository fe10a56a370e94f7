// Package minisign is the kiosk's face of the minisign formats, built on
// aead.dev/minisign: public keys, secret keys (unencrypted, or encrypted
// with a password as `minisign -G` makes them) and signatures with
// prehashed Ed25519 ("ED", BLAKE2b-512 of the file), so that what the
// kiosk tools sign verifies with `minisign -V` and what `minisign -S`
// signs verifies here.
//
// What the kiosk adds to the library: key ids as a comparable KeyID,
// errors callers act on (ErrEncryptedKey, ErrKeyMismatch,
// ErrInvalidSignature), single-line comments of bounded length, and files
// holding several signature blocks one after the other (the kiosk's
// two-key rule: a service list signed by two county keys; minisign itself
// reads the first block).
//
// Format reference: https://jedisct1.github.io/minisign/
package minisign

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	amin "aead.dev/minisign"
)

// Errors callers act on.
var (
	ErrMalformed = errors.New("minisign: malformed data")
	// ErrEncryptedKey: the secret key is encrypted and no password was
	// given (ParsePrivateKey); use ParsePrivateKeyPassword.
	ErrEncryptedKey = errors.New("minisign: encrypted secret key: its password is needed")
	// ErrPassword: the password does not open the encrypted secret key
	// (or the key file is damaged).
	ErrPassword         = errors.New("minisign: wrong password for the secret key, or a damaged key")
	ErrUnsupported      = errors.New("minisign: unsupported algorithm")
	ErrKeyMismatch      = errors.New("minisign: signature made by a different key")
	ErrInvalidSignature = errors.New("minisign: invalid signature")
)

const (
	untrustedPrefix = "untrusted comment: "
	trustedPrefix   = "trusted comment: "
	// MaxCommentLen bounds comments; minisign allows 1024 bytes.
	MaxCommentLen = 1024
)

// Signature algorithms as they appear in a signature.
var (
	AlgHashed = algOf(amin.HashEdDSA) // "ED": Ed25519 over BLAKE2b-512 of the file
	AlgLegacy = algOf(amin.EdDSA)     // "Ed": Ed25519 over the file itself
)

func algOf(a uint16) (b [2]byte) {
	binary.LittleEndian.PutUint16(b[:], a)
	return b
}

// KeyID is the 8-byte key identifier stored in keys and signatures.
type KeyID [8]byte

func keyID(id uint64) (k KeyID) {
	binary.LittleEndian.PutUint64(k[:], id)
	return k
}

func (id KeyID) uint64() uint64 { return binary.LittleEndian.Uint64(id[:]) }

// String is the identifier as minisign prints it (upper-case hex of the
// little-endian number).
func (id KeyID) String() string {
	return fmt.Sprintf("%016X", id.uint64())
}

// PublicKey is a minisign public key.
type PublicKey struct {
	ID  KeyID
	key amin.PublicKey
}

// PrivateKey is a minisign secret key, decrypted.
type PrivateKey struct {
	ID  KeyID
	key amin.PrivateKey
}

// Signature is one minisign signature block (four lines).
type Signature struct {
	Algorithm        [2]byte // AlgHashed ("ED") or AlgLegacy ("Ed")
	KeyID            KeyID
	Signature        [64]byte
	UntrustedComment string
	TrustedComment   string
	GlobalSignature  [64]byte
}

// GenerateKey makes a new key pair with a random key id. A nil rand uses
// crypto/rand.
func GenerateKey(r io.Reader) (PublicKey, PrivateKey, error) {
	pub, priv, err := amin.GenerateKey(r)
	if err != nil {
		return PublicKey{}, PrivateKey{}, fmt.Errorf("minisign: generate key: %w", err)
	}
	return PublicKey{ID: keyID(pub.ID()), key: pub}, PrivateKey{ID: keyID(priv.ID()), key: priv}, nil
}

// Public returns the public half of k.
func (k PrivateKey) Public() PublicKey {
	pub, _ := k.key.Public().(amin.PublicKey)
	return PublicKey{ID: keyID(pub.ID()), key: pub}
}

// String returns the base64 line of the key, as minisign -P takes it.
func (k PublicKey) String() string { return k.key.String() }

// Encode returns the public key file content.
func (k PublicKey) Encode() []byte {
	return []byte(untrustedPrefix + "minisign public key " + k.ID.String() + "\n" + k.String() + "\n")
}

// Equal reports whether k and o are the same key.
func (k PublicKey) Equal(o PublicKey) bool {
	return k.ID == o.ID && k.key.Equal(o.key)
}

// ParsePublicKey reads a public key file or its bare base64 line.
func ParsePublicKey(data []byte) (PublicKey, error) {
	lines := splitLines(data)
	var line string
	switch {
	case len(lines) >= 2 && strings.HasPrefix(lines[0], untrustedPrefix):
		line = lines[1]
	case len(lines) >= 1:
		line = lines[0]
	default:
		return PublicKey{}, fmt.Errorf("minisign: parse public key: empty: %w", ErrMalformed)
	}
	var k amin.PublicKey
	if err := k.UnmarshalText([]byte(strings.TrimSpace(line))); err != nil {
		return PublicKey{}, fmt.Errorf("minisign: parse public key: %v: %w", err, ErrMalformed)
	}
	return PublicKey{ID: keyID(k.ID()), key: k}, nil
}

// Encode returns an unencrypted secret key file, the layout
// `minisign -G -W` writes.
func (k PrivateKey) Encode() []byte {
	b, _ := k.key.MarshalText() // never fails
	return append(b, '\n')
}

// EncodeEncrypted returns the secret key file encrypted with password
// (scrypt with minisign's own cost: about a second and 1 GiB of memory to
// open), the layout `minisign -G` writes.
func (k PrivateKey) EncodeEncrypted(password string) ([]byte, error) {
	if password == "" {
		return nil, errors.New("minisign: encrypt secret key: empty password")
	}
	b, err := amin.EncryptKey(password, k.key)
	if err != nil {
		return nil, fmt.Errorf("minisign: encrypt secret key: %w", err)
	}
	return append(b, '\n'), nil
}

// IsEncrypted reports whether data is an encrypted secret key file.
func IsEncrypted(data []byte) bool { return amin.IsEncrypted(bytes.TrimSpace(data)) }

// ParsePrivateKey reads an unencrypted minisign secret key file. An
// encrypted one is ErrEncryptedKey: read it with ParsePrivateKeyPassword.
func ParsePrivateKey(data []byte) (PrivateKey, error) {
	return ParsePrivateKeyPassword(data, "")
}

// ParsePrivateKeyPassword reads a minisign secret key file, decrypting it
// with password when it is encrypted (an unencrypted key ignores it).
func ParsePrivateKeyPassword(data []byte, password string) (PrivateKey, error) {
	lines := splitLines(data)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], untrustedPrefix) {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: want a comment line and a key line: %w", ErrMalformed)
	}
	text := []byte(lines[0] + "\n" + strings.TrimSpace(lines[1]))
	var k amin.PrivateKey
	if amin.IsEncrypted(text) {
		if password == "" {
			return PrivateKey{}, fmt.Errorf("minisign: parse secret key: %w", ErrEncryptedKey)
		}
		var err error
		if k, err = amin.DecryptKey(password, text); err != nil {
			return PrivateKey{}, fmt.Errorf("minisign: parse secret key: %w", ErrPassword)
		}
	} else if err := k.UnmarshalText(text); err != nil {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: %v: %w", err, ErrMalformed)
	}
	return PrivateKey{ID: keyID(k.ID()), key: k}, nil
}

// Sign signs message with k, prehashed ("ED") as minisign does by default.
// Comments must be single lines; an empty untrusted comment uses minisign's.
func Sign(k PrivateKey, message []byte, untrusted, trusted string) (Signature, error) {
	if untrusted == "" {
		untrusted = "signature from minisign secret key"
	}
	if strings.ContainsAny(untrusted, "\r\n") || strings.ContainsAny(trusted, "\r\n") ||
		len(untrusted) > MaxCommentLen || len(trusted) > MaxCommentLen {
		return Signature{}, fmt.Errorf("minisign: sign: comments must be single lines of at most %d bytes: %w", MaxCommentLen, ErrMalformed)
	}
	if k.key.ID() == 0 && k.ID == (KeyID{}) {
		return Signature{}, fmt.Errorf("minisign: sign: no key: %w", ErrMalformed)
	}
	r := amin.NewReader(bytes.NewReader(message))
	if _, err := io.Copy(io.Discard, r); err != nil {
		return Signature{}, fmt.Errorf("minisign: sign: %w", err)
	}
	text := r.SignWithComments(k.key, trusted, untrusted)
	s, err := ParseSignature(text)
	if err != nil {
		return Signature{}, fmt.Errorf("minisign: sign: %w", err)
	}
	return s, nil
}

func (s Signature) aead() amin.Signature {
	return amin.Signature{Algorithm: binary.LittleEndian.Uint16(s.Algorithm[:]), KeyID: s.KeyID.uint64(),
		TrustedComment: s.TrustedComment, UntrustedComment: s.UntrustedComment,
		Signature: s.Signature, CommentSignature: s.GlobalSignature}
}

// Encode returns the four-line signature file content.
func (s Signature) Encode() []byte {
	b, err := s.aead().MarshalText()
	if err != nil {
		return nil // an algorithm the library does not know; Parse never gives one
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		b = append(b, '\n')
	}
	return b
}

// ParseSignature reads one signature block.
func ParseSignature(data []byte) (Signature, error) {
	sigs, err := ParseSignatures(data)
	if err != nil {
		return Signature{}, err
	}
	if len(sigs) != 1 {
		return Signature{}, fmt.Errorf("minisign: parse signature: %d signatures, want 1: %w", len(sigs), ErrMalformed)
	}
	return sigs[0], nil
}

// ParseSignatures reads one or more signature blocks written one after the
// other (the kiosk's convention for a list signed by two keys; minisign
// itself reads the first block).
func ParseSignatures(data []byte) ([]Signature, error) {
	lines := splitLines(data)
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("minisign: parse signature: empty: %w", ErrMalformed)
	}
	if len(lines)%4 != 0 {
		return nil, fmt.Errorf("minisign: parse signature: %d lines, want blocks of 4: %w", len(lines), ErrMalformed)
	}
	var out []Signature
	for i := 0; i < len(lines); i += 4 {
		s, err := parseBlock(lines[i : i+4])
		if err != nil {
			return nil, fmt.Errorf("minisign: parse signature %d: %w", i/4+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseBlock(l []string) (Signature, error) {
	for i, want := range map[int]string{0: untrustedPrefix, 2: trustedPrefix} {
		if !strings.HasPrefix(l[i], want) {
			return Signature{}, fmt.Errorf("line %d does not start %q: %w", i+1, want, ErrMalformed)
		}
	}
	if len(l[0])-len(untrustedPrefix) > MaxCommentLen || len(l[2])-len(trustedPrefix) > MaxCommentLen {
		return Signature{}, fmt.Errorf("comment longer than %d bytes: %w", MaxCommentLen, ErrMalformed)
	}
	text := l[0] + "\n" + strings.TrimSpace(l[1]) + "\n" + l[2] + "\n" + strings.TrimSpace(l[3])
	var a amin.Signature
	if err := a.UnmarshalText([]byte(text)); err != nil {
		if strings.Contains(err.Error(), "algorithm") {
			return Signature{}, fmt.Errorf("%v: %w", err, ErrUnsupported)
		}
		return Signature{}, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	return Signature{Algorithm: algOf(a.Algorithm), KeyID: keyID(a.KeyID), Signature: a.Signature,
		UntrustedComment: a.UntrustedComment, TrustedComment: a.TrustedComment, GlobalSignature: a.CommentSignature}, nil
}

// Verify checks that sig is pub's signature of message, including the
// global signature over the trusted comment.
func Verify(pub PublicKey, message []byte, sig Signature) error {
	if sig.KeyID != pub.ID {
		return fmt.Errorf("minisign: verify: key id %s, want %s: %w", sig.KeyID, pub.ID, ErrKeyMismatch)
	}
	if sig.Algorithm != AlgHashed && sig.Algorithm != AlgLegacy {
		return fmt.Errorf("minisign: verify: algorithm %q: %w", sig.Algorithm[:], ErrUnsupported)
	}
	text := sig.Encode()
	if text == nil || !amin.Verify(pub.key, message, text) {
		return fmt.Errorf("minisign: verify: signature or trusted comment does not match: %w", ErrInvalidSignature)
	}
	return nil
}

// splitLines splits on "\n", dropping a trailing "\r" from each line.
func splitLines(data []byte) []string {
	s := strings.Split(string(data), "\n")
	if len(s) > 0 && s[len(s)-1] == "" {
		s = s[:len(s)-1]
	}
	for i := range s {
		s[i] = strings.TrimSuffix(s[i], "\r")
	}
	return s
}
