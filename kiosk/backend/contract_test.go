package backend_test

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestContractValidates: the OpenAPI contract passes a third-party
// validator (kin-openapi), so what the county's backend team generates
// from it is what the kiosk speaks: every schema, example and reference
// well-formed, every example matching its schema; and the server URLs do
// not end in a slash (paths begin with one).
func TestContractValidates(t *testing.T) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromFile("api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) == 0 {
		t.Fatal("no servers")
	}
	for _, s := range doc.Servers {
		if strings.HasSuffix(s.URL, "/") {
			t.Errorf("server URL %q ends in a slash", s.URL)
		}
	}
	for _, p := range []string{"/v1/transactions", "/v1/transactions/{id}/document", "/v1/payment-orders/{order_no}", "/v1/face-verifications", "/v1/identity-codes/verify"} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("the contract lacks %s", p)
		}
	}
}
