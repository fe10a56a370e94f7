package session

import (
	"reflect"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

type fieldSpec struct {
	typ, pattern, hint string
	req                bool
	min                int
}

func (s fieldSpec) field() catalog.Field {
	return catalog.Field{ID: "f", Label: "字段", Type: catalog.FieldType(s.typ), Required: s.req, MinLen: s.min,
		Pattern: s.pattern, Hint: s.hint, Choices: []catalog.Choice{{Value: "1", Label: "一"}}}
}

// personalStrings are fragments that must not remain after a wipe.
var personalStrings = []string{testName, testID, testAddress, testPhone, testChild, "6217000012345678", "410122198001011235"}

// assertNoPersonal walks every field reachable from m (and its View) and
// fails if any personal value, or the photo bytes, remain.
func assertNoPersonal(t testing.TB, m *Machine, extra ...string) {
	t.Helper()
	bad := append(append([]string(nil), personalStrings...), extra...)
	check := func(where string, s string) {
		for _, b := range bad {
			if strings.Contains(s, b) {
				t.Fatalf("personal value %q remains at %s", b, where)
			}
		}
	}
	seen := map[uintptr]bool{}
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			check(path, v.String())
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			// The catalog is public data shared with the daemon.
			if v.Type() == reflect.TypeFor[*catalog.Catalog]() {
				return
			}
			walk(path, v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(path+"."+v.Type().Field(i).Name, v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
				for i := 0; i < v.Len(); i++ {
					if v.Index(i).Uint() != 0 {
						t.Fatalf("non-zero bytes remain at %s", path)
					}
				}
				return
			}
			for i := 0; i < v.Len(); i++ {
				walk(path, v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(path+"[k]", it.Key())
				walk(path+"[v]", it.Value())
			}
		}
	}
	walk("m", reflect.ValueOf(m))
	v := m.View()
	walk("view", reflect.ValueOf(&v))
	if m.card != nil || m.tx != nil || m.result != nil || len(m.values) != 0 {
		t.Fatal("session data not dropped")
	}
}

func TestWipeLeavesNothing(t *testing.T) {
	h := newHarness(t)
	card := testCard()
	photo := card.Photo
	toFormWith(h, "subsidy", card)
	h.do(FieldInput{"agent", testChild}, FieldInput{"bank", "6217000012345678"}, Submit{}, Submit{})
	st, _ := find[SubmitTx](h.last)
	h.do(Submitted{Result: st2(st.Tx.ID)})
	h.do(Printed{}, Continue{}, Rate{4})
	h.want(ScreenDone)
	assertNoPersonal(t, h.m)
	for _, b := range photo {
		if b != 0 {
			t.Fatal("photo bytes not zeroed")
		}
	}
	// The daemon's copy of the transaction is its own and stays intact.
	if st.Tx.Fields["bank"] != "6217000012345678" {
		t.Fatal("effect's transaction was wiped under the daemon")
	}
}
