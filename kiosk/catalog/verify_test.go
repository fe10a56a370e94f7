package catalog

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// Each attack from The Update Framework's list, and each wrong list,
// is rejected with its own sentinel.
func TestVerifyRejectsAttacks(t *testing.T) {
	county, stranger := newKey(t), newKey(t)
	good := withVersion(t, 2026120101)
	other := withVersion(t, 2026120102)
	expired := mutate(t, func(c *Catalog) {
		c.Version = 2026120103
		c.IssuedAt = testNow.AddDate(-1, 0, 0)
		c.ExpiresAt = testNow.Add(-time.Hour)
	})
	schemaNext := mutate(t, func(c *Catalog) { c.Version = 2026120104; c.SchemaVersion = SchemaVersion + 1 })
	invalid := mutate(t, func(c *Catalog) { c.Version = 2026120105; c.Services[1].ID = c.Services[0].ID })
	malformed := append(withVersion(t, 2026120106), []byte("garbage")...)
	huge := append(withVersion(t, 2026120107), bytes.Repeat([]byte(" "), 2<<20)...)
	tamperedSig := county.sign(t, good)
	tamperedSig[len(tamperedSig)-10] ^= 0x01 // inside the global signature's base64

	tests := []struct {
		name   string
		data   []byte
		sig    []byte
		active int64
		max    int64
		want   error
	}{
		{"missing signature", good, nil, 1, 0, ErrNoSignature},
		{"garbage signature", good, []byte("not a signature"), 1, 0, ErrBadSignature},
		{"untrusted key", good, stranger.sign(t, good), 1, 0, ErrUntrustedKey},
		{"signature of another file", good, county.sign(t, other), 1, 0, ErrBadSignature},
		{"content changed after signing", append(bytes.Clone(good), ' '), county.sign(t, good), 1, 0, ErrBadSignature},
		{"trusted comment tampered", good, tamperedSig, 1, 0, ErrBadSignature},
		{"rollback: same version", good, county.sign(t, good), 2026120101, 0, ErrRollback},
		{"rollback: older version", good, county.sign(t, good), 2026120200, 0, ErrRollback},
		{"freeze: expired", expired, county.sign(t, expired), 1, 0, ErrExpired},
		{"endless data", huge, county.sign(t, huge), 1, 1 << 20, ErrTooLarge},
		{"unknown schema", schemaNext, county.sign(t, schemaNext), 1, 0, ErrUnknownSchema},
		{"malformed", malformed, county.sign(t, malformed), 1, 0, ErrMalformed},
		{"invalid", invalid, county.sign(t, invalid), 1, 0, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifier(county)
			v.MaxSize = tt.max
			c, err := v.Verify(tt.data, tt.sig, tt.active)
			if !errors.Is(err, tt.want) || c != nil {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	c, err := verifier(county).Verify(good, county.sign(t, good), 1)
	if err != nil || c.Version != 2026120101 {
		t.Fatalf("good list: %v", err)
	}
	if _, err := (&Verifier{}).Verify(good, county.sign(t, good), 1); !errors.Is(err, ErrNoTrustedKeys) {
		t.Fatalf("no keys: %v", err)
	}
}

func TestVerifyKeyRotation(t *testing.T) {
	old, next := newKey(t), newKey(t)
	data := withVersion(t, 2026120101)
	v := verifier(old, next)
	if _, err := v.Verify(data, next.sign(t, data), 1); err != nil {
		t.Fatalf("second trusted key: %v", err)
	}
}

func TestVerifyRequireTwo(t *testing.T) {
	a, b, stranger := newKey(t), newKey(t), newKey(t)
	data := withVersion(t, 2026120101)
	v := verifier(a, b)
	v.RequireTwo = true
	both := append(a.sign(t, data), b.sign(t, data)...)
	if _, err := v.Verify(data, both, 1); err != nil {
		t.Fatalf("two keys: %v", err)
	}
	tests := []struct {
		name string
		sig  []byte
		want error
	}{
		{"one signature", a.sign(t, data), ErrNotEnoughSignature},
		{"same key twice", append(a.sign(t, data), a.sign(t, data)...), ErrNotEnoughSignature},
		{"second key untrusted", append(a.sign(t, data), stranger.sign(t, data)...), ErrUntrustedKey},
		{"second signature for other data", append(a.sign(t, data), b.sign(t, []byte("x"))...), ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := v.Verify(data, tt.sig, 1); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}
