package outbox

import (
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the length of an outbox key.
const KeySize = chacha20poly1305.KeySize

// ErrKeyFile: the key file is missing, malformed or readable by others.
var ErrKeyFile = errors.New("outbox: bad key file")

// LoadOrCreateKey reads the outbox key from path, creating it (mode 0600,
// fsynced) with a fresh random key when it does not exist. A key file that
// others may read, or of the wrong size, is refused.
func LoadOrCreateKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: load key: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("outbox: load key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %v, want 0600", ErrKeyFile, path, st.Mode().Perm())
	}
	if len(b) != KeySize {
		return nil, fmt.Errorf("%w: %s holds %d bytes, want %d", ErrKeyFile, path, len(b), KeySize)
	}
	return b, nil
}

func createKey(path string) ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("outbox: create key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outbox: create key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("outbox: create key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("outbox: create key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("outbox: create key: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return key, nil
}

type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("outbox: key of %d bytes, want %d", len(key), KeySize)
	}
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("outbox: key: %w", err)
	}
	return &sealer{aead: a}, nil
}

// seal returns nonce || ciphertext, bound to the transaction id.
func (s *sealer) seal(plain []byte, id string) []byte {
	out := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	rand.Read(out)
	return s.aead.Seal(out, out, plain, []byte(id))
}

func (s *sealer) open(sealed []byte, id string) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errors.New("outbox: sealed data too short")
	}
	p, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return nil, fmt.Errorf("outbox: open sealed data: %w", err)
	}
	return p, nil
}
