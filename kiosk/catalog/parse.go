package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// DefaultMaxSize is the size cap used when none is given: the built-in
// list (416 kiosk matters and the other levels' matters) is under 1 MiB.
const DefaultMaxSize = 4 << 20

// maxDepth bounds nesting; the schema itself is five levels deep.
const maxDepth = 16

// Errors callers act on.
var (
	// ErrTooLarge: the data is bigger than the size cap (endless data).
	ErrTooLarge = errors.New("catalog: too large")
	// ErrMalformed: not JSON, not UTF-8, or not the schema's shape.
	ErrMalformed = errors.New("catalog: malformed")
)

// ParseError says where in the document parsing failed.
type ParseError struct {
	Path   string // JSON path, e.g. $.services[12].form[3].pattern
	Offset int64  // byte offset in the input
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("catalog: parse: %s: %s (byte %d)", e.Path, e.Reason, e.Offset)
}

// Is makes errors.Is(err, ErrMalformed) true for every ParseError.
func (e *ParseError) Is(target error) bool { return target == ErrMalformed }

// Parse reads a catalog strictly: unknown fields, duplicate keys, wrong
// types, invalid UTF-8, deep nesting and trailing data are errors naming
// the JSON path. It does not run Validate. The exact bytes are kept for
// Hash and Raw. A version 1 list is read as version 2 would say it
// (upgrade.go), its SchemaVersion left at 1.
func Parse(data []byte) (*Catalog, error) {
	return parseMax(data, DefaultMaxSize)
}

// ParseReader reads at most max bytes from r and parses them; a longer
// input fails with ErrTooLarge without being read to its end.
func ParseReader(r io.Reader, max int64) (*Catalog, error) {
	if max <= 0 {
		max = DefaultMaxSize
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: read: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("catalog: read: more than %d bytes: %w", max, ErrTooLarge)
	}
	return parseMax(data, max)
}

func parseMax(data []byte, max int64) (*Catalog, error) {
	if int64(len(data)) > max {
		return nil, fmt.Errorf("catalog: parse: %d bytes, cap %d: %w", len(data), max, ErrTooLarge)
	}
	c := new(Catalog)
	d := &decoder{data: data, fields: map[reflect.Type]*structInfo{}}
	if err := d.document(reflect.ValueOf(c).Elem()); err != nil {
		return nil, err
	}
	c.raw = bytes.Clone(data)
	upgrade(c)
	return c, nil
}

// Raw returns the exact bytes the catalog was parsed from (nil for a
// catalog built in code).
func (c *Catalog) Raw() []byte { return c.raw }

// Hash is the hex SHA-256 of the exact bytes the catalog was parsed from,
// the value heartbeats and `kioskctl status` show. A catalog built in code
// hashes its JSON encoding.
func (c *Catalog) Hash() string {
	b := c.raw
	if b == nil {
		b, _ = json.Marshal(c)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
