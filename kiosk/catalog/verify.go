package catalog

import (
	"errors"
	"fmt"
	"time"

	"github.com/henan-county/kiosk/kiosk/minisign"
)

// Rejections: one sentinel for each attack the kiosk defends against
// (The Update Framework's list) and for lists that are simply wrong.
var (
	ErrNoSignature        = errors.New("catalog: no signature")                           // arbitrary content
	ErrBadSignature       = errors.New("catalog: bad signature")                          // arbitrary or wrong content
	ErrUntrustedKey       = errors.New("catalog: signed by an untrusted key")             // arbitrary content
	ErrNotEnoughSignature = errors.New("catalog: needs signatures from two trusted keys") // two-person rule
	ErrNoTrustedKeys      = errors.New("catalog: no trusted keys configured")
	ErrRollback           = errors.New("catalog: version not newer than the active one") // rollback
	ErrExpired            = errors.New("catalog: expired")                               // indefinite freeze
	ErrUnknownSchema      = errors.New("catalog: unknown schema version")
)

// MaxSignatureSize caps a signature file (two minisign blocks are ~700 bytes).
const MaxSignatureSize = 8 << 10

// Verifier applies the kiosk's checks to a downloaded or installed list.
// The zero MaxSize means DefaultMaxSize; a nil Now means time.Now.
type Verifier struct {
	// Trusted are the county's public keys from the kiosk config; more than
	// one allows rotating keys.
	Trusted []minisign.PublicKey
	// RequireTwo asks for valid signatures from two different trusted keys.
	// Both signature blocks go in the same FILE.minisig, one after the other.
	RequireTwo bool
	// Hall is this kiosk's hall (config kiosk.hall). The store applies
	// only lists whose rollout names it (or all); Verify itself does not
	// look at the rollout.
	Hall    string
	MaxSize int64
	Now     func() time.Time
}

type checks struct {
	rollback bool
	expiry   bool
}

// Verify checks, in this order: size cap, signatures, strict parse,
// schema version, version greater than activeVersion, expiry, and
// Validate. It returns the parsed catalog or an error wrapping one of the
// sentinels (ErrTooLarge, ErrNoSignature, ErrBadSignature, ErrUntrustedKey,
// ErrNotEnoughSignature, ErrMalformed, ErrUnknownSchema, ErrRollback,
// ErrExpired, ErrInvalid).
func (v *Verifier) Verify(data, sig []byte, activeVersion int64) (*Catalog, error) {
	return v.check(data, sig, activeVersion, checks{rollback: true, expiry: true})
}

func (v *Verifier) maxSize() int64 {
	if v.MaxSize > 0 {
		return v.MaxSize
	}
	return DefaultMaxSize
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) check(data, sig []byte, activeVersion int64, ck checks) (*Catalog, error) {
	if max := v.maxSize(); int64(len(data)) > max {
		return nil, fmt.Errorf("catalog: verify: %d bytes, cap %d: %w", len(data), max, ErrTooLarge)
	}
	if err := v.checkSignatures(data, sig); err != nil {
		return nil, err
	}
	c, err := parseMax(data, v.maxSize())
	if err != nil {
		return nil, fmt.Errorf("catalog: verify: %w", err)
	}
	if c.SchemaVersion < MinSchemaVersion || c.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("catalog: verify: schema version %d, this build reads %d to %d: %w", c.SchemaVersion, MinSchemaVersion, SchemaVersion, ErrUnknownSchema)
	}
	if ck.rollback && c.Version <= activeVersion {
		return nil, fmt.Errorf("catalog: verify: version %d, active %d: %w", c.Version, activeVersion, ErrRollback)
	}
	if ck.expiry && c.Expired(v.now()) {
		return nil, fmt.Errorf("catalog: verify: version %d expired at %s: %w", c.Version, c.ExpiresAt.Format(time.RFC3339), ErrExpired)
	}
	if probs := Validate(c); len(probs) > 0 {
		return nil, fmt.Errorf("catalog: verify: %w", &ValidationError{Problems: probs})
	}
	return c, nil
}

func (v *Verifier) checkSignatures(data, sig []byte) error {
	if len(v.Trusted) == 0 {
		return fmt.Errorf("catalog: verify: %w", ErrNoTrustedKeys)
	}
	if len(sig) == 0 {
		return fmt.Errorf("catalog: verify: %w", ErrNoSignature)
	}
	if len(sig) > MaxSignatureSize {
		return fmt.Errorf("catalog: verify: signature file of %d bytes: %w", len(sig), ErrBadSignature)
	}
	sigs, err := minisign.ParseSignatures(sig)
	if err != nil {
		return fmt.Errorf("catalog: verify: %w: %w", ErrBadSignature, err)
	}
	good := map[minisign.KeyID]bool{}
	var firstErr error
	for _, s := range sigs {
		var key *minisign.PublicKey
		for i := range v.Trusted {
			if v.Trusted[i].ID == s.KeyID {
				key = &v.Trusted[i]
				break
			}
		}
		if key == nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("catalog: verify: key %s: %w", s.KeyID, ErrUntrustedKey)
			}
			continue
		}
		if err := minisign.Verify(*key, data, s); err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("catalog: verify: key %s: %w: %w", s.KeyID, ErrBadSignature, err)
			}
			continue
		}
		good[s.KeyID] = true
	}
	need := 1
	if v.RequireTwo {
		need = 2
	}
	if len(good) >= need {
		return nil
	}
	if firstErr != nil {
		return firstErr
	}
	return fmt.Errorf("catalog: verify: %d valid signature(s) from distinct trusted keys: %w", len(good), ErrNotEnoughSignature)
}
