package catalog

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The documented schema and the Go model describe the same fields.
func TestSchemaMatchesModel(t *testing.T) {
	raw, err := os.ReadFile("../../docs/catalog.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
		Additional *bool                      `json:"additionalProperties"`
	}
	var schema struct {
		object
		Version int               `json:"x-schema-version"`
		Defs    map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if schema.Version != SchemaVersion {
		t.Fatalf("schema documents version %d, code reads %d", schema.Version, SchemaVersion)
	}
	types := map[string]reflect.Type{
		"":             reflect.TypeFor[Catalog](),
		"hall":         reflect.TypeFor[Hall](),
		"place":        reflect.TypeFor[Place](),
		"rollout":      reflect.TypeFor[Rollout](),
		"category":     reflect.TypeFor[Category](),
		"service":      reflect.TypeFor[Service](),
		"hours":        reflect.TypeFor[Hours](),
		"window":       reflect.TypeFor[Window](),
		"field":        reflect.TypeFor[Field](),
		"choice":       reflect.TypeFor[Choice](),
		"receipt":      reflect.TypeFor[Receipt](),
		"receipt_line": reflect.TypeFor[ReceiptLine](),
	}
	for def, typ := range types {
		obj := schema.object
		if def != "" {
			var ok bool
			if obj, ok = schema.Defs[def]; !ok {
				t.Errorf("schema has no $defs/%s", def)
				continue
			}
		}
		if obj.Additional == nil || *obj.Additional {
			t.Errorf("%s: additionalProperties must be false", typ.Name())
		}
		var fields, required []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields = append(fields, name)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
		for _, f := range fields {
			if _, ok := obj.Properties[f]; !ok {
				t.Errorf("%s.%s is not in the schema", typ.Name(), f)
			}
		}
		for p := range obj.Properties {
			if !slices.Contains(fields, p) {
				t.Errorf("schema %s has %s, the model does not", typ.Name(), p)
			}
		}
		slices.Sort(required)
		got := slices.Clone(obj.Required)
		slices.Sort(got)
		if !slices.Equal(got, required) {
			t.Errorf("%s: schema requires %v, model %v", typ.Name(), got, required)
		}
	}
}
