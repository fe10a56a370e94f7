package catalog_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/minisign"
)

// The kiosk opens its store, serving the built-in list until a signed one
// is staged and applied between residents' sessions.
func ExampleOpenStore() {
	dir, _ := os.MkdirTemp("", "catalog")
	defer os.RemoveAll(dir)
	pub, priv, _ := minisign.GenerateKey(nil)
	now := time.Date(2026, 11, 27, 3, 0, 0, 0, catalog.Local())
	v := &catalog.Verifier{Trusted: []minisign.PublicKey{pub}, Now: func() time.Time { return now }}

	store, err := catalog.OpenStore(dir, v, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(store.Source(), store.Active().Version)

	// County operations publish version 2026120101 (here: the built-in list
	// re-versioned and signed).
	data := []byte(strings.Replace(string(catalog.DefaultJSON()), `"version":2026112001`, `"version":2026120101`, 1))
	sig, _ := minisign.Sign(priv, data, "", "file:catalog.json")
	if _, err := store.Stage(data, sig.Encode()); err != nil {
		panic(err)
	}
	// Between residents' sessions, the kiosk applies it.
	applied, _ := store.ApplyPending(now)
	fmt.Println(applied, store.Active().Version)

	// Output:
	// default 2026112001
	// true 2026120101
}

// Residents type pinyin initials on the on-screen keyboard.
func ExampleIndex_NewSearcher() {
	c, _ := catalog.Default()
	s := catalog.NewIndex(c).NewSearcher()
	for _, q := range []string{"s", "sb", "sbj", "sbjf"} {
		hits := s.Search(q, 1)
		fmt.Println(q, hits[0].Service.Name, hits[0].Match)
	}
	// Output:
	// s 社保缴费记录打印 name-initials
	// sb 社保缴费记录打印 name-initials
	// sbj 社保缴费记录打印 name-initials
	// sbjf 社保缴费记录打印 name-initials
}
