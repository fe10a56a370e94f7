package catalog

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/minisign"
)

// testNow is inside the built-in list's validity.
var testNow = time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC)

// kioskMatters counts the matters done at the kiosk (the built-in list
// has 416 and the county's other levels' matters besides).
func kioskMatters(c *Catalog) int {
	n := 0
	for i := range c.Services {
		if c.Services[i].AtKiosk() {
			n++
		}
	}
	return n
}

func mustDefault(t testing.TB) *Catalog {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mutate returns the JSON of the built-in list after f changed it.
func mutate(t testing.TB, f func(c *Catalog)) []byte {
	t.Helper()
	c := mustDefault(t)
	f(c)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withVersion returns the built-in list re-versioned.
func withVersion(t testing.TB, v int64) []byte {
	return mutate(t, func(c *Catalog) { c.Version = v })
}

type keyPair struct {
	pub  minisign.PublicKey
	priv minisign.PrivateKey
}

func newKey(t testing.TB) keyPair {
	t.Helper()
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return keyPair{pub, priv}
}

func (k keyPair) sign(t testing.TB, data []byte) []byte {
	t.Helper()
	s, err := minisign.Sign(k.priv, data, "", "file:catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	return s.Encode()
}

func verifier(keys ...keyPair) *Verifier {
	v := &Verifier{Now: func() time.Time { return testNow }}
	for _, k := range keys {
		v.Trusted = append(v.Trusted, k.pub)
	}
	return v
}
