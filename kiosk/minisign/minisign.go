// Package minisign reads and writes the minisign file formats: public keys,
// unencrypted secret keys and signatures with prehashed Ed25519 ("ED",
// BLAKE2b-512 of the file), so that what the kiosk tools sign verifies with
// `minisign -V` and what `minisign -S` signs verifies here.
//
// Format reference: https://jedisct1.github.io/minisign/
//
//	public key:  "Ed" | key id (8) | Ed25519 public key (32)
//	secret key:  "Ed" | kdf ("Sc" or 0x0000) | "B2" | salt (32) | opslimit (8) | memlimit (8)
//	             | key id (8) | Ed25519 secret key (64) | checksum (32)
//	signature:   "ED" | key id (8) | Ed25519(BLAKE2b-512(file)) (64)
//	global sig:  Ed25519(signature (64) | trusted comment)
//
// Encrypted secret keys (scrypt) are recognised and refused with
// ErrEncryptedKey; make county keys with `minisign -G -W` or with
// `kioskctl catalog keygen` and keep them offline.
package minisign

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/blake2b"
)

// Errors callers act on.
var (
	ErrMalformed        = errors.New("minisign: malformed data")
	ErrEncryptedKey     = errors.New("minisign: encrypted secret key (make an unencrypted one with minisign -G -W)")
	ErrUnsupported      = errors.New("minisign: unsupported algorithm")
	ErrKeyMismatch      = errors.New("minisign: signature made by a different key")
	ErrInvalidSignature = errors.New("minisign: invalid signature")
	ErrChecksum         = errors.New("minisign: secret key checksum mismatch")
)

const (
	untrustedPrefix = "untrusted comment: "
	trustedPrefix   = "trusted comment: "
	// MaxCommentLen bounds comments; minisign allows 1024 bytes.
	MaxCommentLen = 1024
)

var (
	algEd       = [2]byte{'E', 'd'}
	algPrehash  = [2]byte{'E', 'D'}
	kdfNone     = [2]byte{0, 0}
	kdfScrypt   = [2]byte{'S', 'c'}
	chkBlake2b  = [2]byte{'B', '2'}
	b64         = base64.StdEncoding
	secretLen   = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32
	publicLen   = 2 + 8 + 32
	signatureLn = 2 + 8 + 64
)

// KeyID is the 8-byte key identifier stored in keys and signatures.
type KeyID [8]byte

// String is the identifier as minisign prints it (upper-case hex of the
// little-endian number).
func (id KeyID) String() string {
	return fmt.Sprintf("%016X", binary.LittleEndian.Uint64(id[:]))
}

// PublicKey is a minisign public key.
type PublicKey struct {
	ID  KeyID
	Key ed25519.PublicKey
}

// PrivateKey is an unencrypted minisign secret key.
type PrivateKey struct {
	ID  KeyID
	Key ed25519.PrivateKey
}

// Signature is one minisign signature block (four lines).
type Signature struct {
	Algorithm        [2]byte // "ED" prehashed, "Ed" legacy
	KeyID            KeyID
	Signature        [64]byte
	UntrustedComment string
	TrustedComment   string
	GlobalSignature  [64]byte
}

// GenerateKey makes a new key pair with a random key id. A nil rand uses
// crypto/rand.
func GenerateKey(r io.Reader) (PublicKey, PrivateKey, error) {
	if r == nil {
		r = rand.Reader
	}
	pub, priv, err := ed25519.GenerateKey(r)
	if err != nil {
		return PublicKey{}, PrivateKey{}, fmt.Errorf("minisign: generate key: %w", err)
	}
	var id KeyID
	if _, err := io.ReadFull(r, id[:]); err != nil {
		return PublicKey{}, PrivateKey{}, fmt.Errorf("minisign: generate key id: %w", err)
	}
	return PublicKey{ID: id, Key: pub}, PrivateKey{ID: id, Key: priv}, nil
}

// Public returns the public half of k.
func (k PrivateKey) Public() PublicKey {
	return PublicKey{ID: k.ID, Key: k.Key.Public().(ed25519.PublicKey)}
}

// String returns the base64 line of the key, as minisign -P takes it.
func (k PublicKey) String() string {
	b := make([]byte, 0, publicLen)
	b = append(b, algEd[:]...)
	b = append(b, k.ID[:]...)
	b = append(b, k.Key...)
	return b64.EncodeToString(b)
}

// Encode returns the public key file content.
func (k PublicKey) Encode() []byte {
	return []byte(untrustedPrefix + "minisign public key " + k.ID.String() + "\n" + k.String() + "\n")
}

// Equal reports whether k and o are the same key.
func (k PublicKey) Equal(o PublicKey) bool {
	return k.ID == o.ID && bytes.Equal(k.Key, o.Key)
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
	raw, err := b64.DecodeString(strings.TrimSpace(line))
	if err != nil || len(raw) != publicLen {
		return PublicKey{}, fmt.Errorf("minisign: parse public key: bad base64 key line: %w", ErrMalformed)
	}
	if [2]byte(raw[:2]) != algEd {
		return PublicKey{}, fmt.Errorf("minisign: parse public key: algorithm %q: %w", raw[:2], ErrUnsupported)
	}
	var k PublicKey
	copy(k.ID[:], raw[2:10])
	k.Key = ed25519.PublicKey(bytes.Clone(raw[10:]))
	return k, nil
}

// checksum is BLAKE2b-256(sig alg | key id | secret key), as minisign computes it.
func (k PrivateKey) checksum() [32]byte {
	h, _ := blake2b.New256(nil)
	h.Write(algEd[:])
	h.Write(k.ID[:])
	h.Write(k.Key)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Encode returns an unencrypted secret key file, the same layout
// `minisign -G -W` writes, with its checksum filled in.
func (k PrivateKey) Encode() []byte {
	b := make([]byte, 0, secretLen)
	b = append(b, algEd[:]...)
	b = append(b, kdfNone[:]...)
	b = append(b, chkBlake2b[:]...)
	b = append(b, make([]byte, 32+8+8)...)
	b = append(b, k.ID[:]...)
	b = append(b, k.Key...)
	sum := k.checksum()
	b = append(b, sum[:]...)
	return []byte(untrustedPrefix + "minisign secret key " + k.ID.String() + "\n" + b64.EncodeToString(b) + "\n")
}

// ParsePrivateKey reads an unencrypted minisign secret key file. The
// checksum is checked when present (minisign leaves it zero in
// unencrypted keys).
func ParsePrivateKey(data []byte) (PrivateKey, error) {
	lines := splitLines(data)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], untrustedPrefix) {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: want a comment line and a key line: %w", ErrMalformed)
	}
	raw, err := b64.DecodeString(strings.TrimSpace(lines[1]))
	if err != nil || len(raw) != secretLen {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: bad base64 key line: %w", ErrMalformed)
	}
	if [2]byte(raw[0:2]) != algEd || [2]byte(raw[4:6]) != chkBlake2b {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: algorithm %q/%q: %w", raw[0:2], raw[4:6], ErrUnsupported)
	}
	switch [2]byte(raw[2:4]) {
	case kdfNone:
	case kdfScrypt:
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: %w", ErrEncryptedKey)
	default:
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: kdf %q: %w", raw[2:4], ErrUnsupported)
	}
	off := 2 + 2 + 2 + 32 + 8 + 8
	var k PrivateKey
	copy(k.ID[:], raw[off:off+8])
	k.Key = ed25519.PrivateKey(bytes.Clone(raw[off+8 : off+8+64]))
	var chk [32]byte
	copy(chk[:], raw[off+72:])
	if chk != ([32]byte{}) && chk != k.checksum() {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: %w", ErrChecksum)
	}
	// The public half is stored in the secret key; check it matches the seed.
	if !bytes.Equal(ed25519.NewKeyFromSeed(k.Key.Seed()), k.Key) {
		return PrivateKey{}, fmt.Errorf("minisign: parse secret key: inconsistent key: %w", ErrMalformed)
	}
	return k, nil
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
	if len(k.Key) != ed25519.PrivateKeySize {
		return Signature{}, fmt.Errorf("minisign: sign: no key: %w", ErrMalformed)
	}
	h := blake2b.Sum512(message)
	s := Signature{Algorithm: algPrehash, KeyID: k.ID, UntrustedComment: untrusted, TrustedComment: trusted}
	copy(s.Signature[:], ed25519.Sign(k.Key, h[:]))
	copy(s.GlobalSignature[:], ed25519.Sign(k.Key, s.globalMessage()))
	return s, nil
}

func (s Signature) globalMessage() []byte {
	m := make([]byte, 0, 64+len(s.TrustedComment))
	m = append(m, s.Signature[:]...)
	return append(m, s.TrustedComment...)
}

// Encode returns the four-line signature file content.
func (s Signature) Encode() []byte {
	b := make([]byte, 0, signatureLn)
	b = append(b, s.Algorithm[:]...)
	b = append(b, s.KeyID[:]...)
	b = append(b, s.Signature[:]...)
	var buf bytes.Buffer
	buf.WriteString(untrustedPrefix + s.UntrustedComment + "\n")
	buf.WriteString(b64.EncodeToString(b) + "\n")
	buf.WriteString(trustedPrefix + s.TrustedComment + "\n")
	buf.WriteString(b64.EncodeToString(s.GlobalSignature[:]) + "\n")
	return buf.Bytes()
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
	var s Signature
	if !strings.HasPrefix(l[0], untrustedPrefix) {
		return s, fmt.Errorf("line 1 is not an untrusted comment: %w", ErrMalformed)
	}
	s.UntrustedComment = strings.TrimPrefix(l[0], untrustedPrefix)
	raw, err := b64.DecodeString(strings.TrimSpace(l[1]))
	if err != nil || len(raw) != signatureLn {
		return s, fmt.Errorf("line 2 is not a base64 signature: %w", ErrMalformed)
	}
	copy(s.Algorithm[:], raw[:2])
	if s.Algorithm != algPrehash && s.Algorithm != algEd {
		return s, fmt.Errorf("algorithm %q: %w", raw[:2], ErrUnsupported)
	}
	copy(s.KeyID[:], raw[2:10])
	copy(s.Signature[:], raw[10:])
	if !strings.HasPrefix(l[2], trustedPrefix) {
		return s, fmt.Errorf("line 3 is not a trusted comment: %w", ErrMalformed)
	}
	s.TrustedComment = strings.TrimPrefix(l[2], trustedPrefix)
	if len(s.TrustedComment) > MaxCommentLen || len(s.UntrustedComment) > MaxCommentLen {
		return s, fmt.Errorf("comment longer than %d bytes: %w", MaxCommentLen, ErrMalformed)
	}
	g, err := b64.DecodeString(strings.TrimSpace(l[3]))
	if err != nil || len(g) != 64 {
		return s, fmt.Errorf("line 4 is not a base64 global signature: %w", ErrMalformed)
	}
	copy(s.GlobalSignature[:], g)
	return s, nil
}

// Verify checks that sig is pub's signature of message, including the
// global signature over the trusted comment.
func Verify(pub PublicKey, message []byte, sig Signature) error {
	if sig.KeyID != pub.ID {
		return fmt.Errorf("minisign: verify: key id %s, want %s: %w", sig.KeyID, pub.ID, ErrKeyMismatch)
	}
	if len(pub.Key) != ed25519.PublicKeySize {
		return fmt.Errorf("minisign: verify: no key: %w", ErrMalformed)
	}
	var signed []byte
	switch sig.Algorithm {
	case algPrehash:
		h := blake2b.Sum512(message)
		signed = h[:]
	case algEd:
		signed = message
	default:
		return fmt.Errorf("minisign: verify: algorithm %q: %w", sig.Algorithm[:], ErrUnsupported)
	}
	if !ed25519.Verify(pub.Key, signed, sig.Signature[:]) {
		return fmt.Errorf("minisign: verify: signature does not match the data: %w", ErrInvalidSignature)
	}
	if !ed25519.Verify(pub.Key, sig.globalMessage(), sig.GlobalSignature[:]) {
		return fmt.Errorf("minisign: verify: trusted comment signature: %w", ErrInvalidSignature)
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
