package catalog

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// decoder is a strict, single-pass JSON decoder for the catalog model. It
// decodes straight into the Go types, following their json tags, and
// rejects what encoding/json lets through: unknown fields, duplicate keys,
// numbers where strings belong, fractions in integers, invalid UTF-8,
// control characters, nesting deeper than the model, trailing data. Every
// error names its JSON path. It allocates only what it keeps.

var timeType = reflect.TypeFor[time.Time]()

type pathElem struct {
	key   string
	index int // -1 for object keys
}

type structInfo struct {
	byName map[string]int // json name -> field index
}

type decoder struct {
	data   []byte
	pos    int
	path   []pathElem
	fields map[reflect.Type]*structInfo
}

func (d *decoder) pathString() string {
	var b strings.Builder
	b.WriteString("$")
	for _, p := range d.path {
		if p.index >= 0 {
			b.WriteString("[" + strconv.Itoa(p.index) + "]")
		} else {
			b.WriteString("." + p.key)
		}
	}
	return b.String()
}

func (d *decoder) fail(format string, a ...any) error {
	return &ParseError{Path: d.pathString(), Offset: int64(d.pos), Reason: fmt.Sprintf(format, a...)}
}

func (d *decoder) document(v reflect.Value) error {
	if err := d.value(v); err != nil {
		return err
	}
	d.ws()
	if d.pos != len(d.data) {
		return d.fail("data after the catalog object")
	}
	return nil
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) info(t reflect.Type) *structInfo {
	if si, ok := d.fields[t]; ok {
		return si
	}
	si := &structInfo{byName: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		si.byName[name] = i
	}
	d.fields[t] = si
	return si
}

// what names the JSON value starting at the current position, for errors.
func (d *decoder) what() string {
	if d.pos >= len(d.data) {
		return "end of data"
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	default:
		return fmt.Sprintf("invalid JSON (unexpected %q)", c)
	}
}

func (d *decoder) literal(lit string) bool {
	if strings.HasPrefix(string(d.data[d.pos:min(len(d.data), d.pos+len(lit))]), lit) {
		d.pos += len(lit)
		return true
	}
	return false
}

func (d *decoder) value(v reflect.Value) error {
	if len(d.path) > maxDepth {
		return d.fail("nested too deeply")
	}
	d.ws()
	if d.pos >= len(d.data) {
		return d.fail("invalid JSON: unexpected EOF")
	}
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		// null is never valid in a catalog: leave an optional field out.
		p := reflect.New(t.Elem())
		if err := d.value(p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case t == timeType:
		if d.data[d.pos] != '"' {
			return d.fail("want an RFC 3339 time string, got %s", d.what())
		}
		s, err := d.str()
		if err != nil {
			return err
		}
		tm, perr := time.Parse(time.RFC3339, s)
		if perr != nil {
			return d.fail("time %q is not RFC 3339 (2026-11-26T08:00:00+08:00)", s)
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return d.object(v)
	case reflect.Slice:
		return d.array(v)
	case reflect.String:
		if d.data[d.pos] != '"' {
			return d.fail("want a string, got %s", d.what())
		}
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Bool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
			v.SetBool(false)
		default:
			return d.fail("want true or false, got %s", d.what())
		}
	case reflect.Int, reflect.Int64:
		n, err := d.integer(t.Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
	default:
		return d.fail("unsupported type %s", t)
	}
	return nil
}

func (d *decoder) object(v reflect.Value) error {
	if d.data[d.pos] != '{' {
		return d.fail("want an object, got %s", d.what())
	}
	d.pos++
	si := d.info(v.Type())
	var seen [4]uint64 // struct fields are < 256
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return nil
	}
	for {
		d.ws()
		if d.pos >= len(d.data) {
			return d.fail("invalid JSON: unexpected EOF")
		}
		if d.data[d.pos] != '"' {
			return d.fail("invalid JSON: want a key string, got %s", d.what())
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		d.path = append(d.path, pathElem{key: key, index: -1})
		idx, ok := si.byName[key]
		if !ok {
			return d.fail("unknown field")
		}
		if seen[idx/64]&(1<<(idx%64)) != 0 {
			return d.fail("duplicate key")
		}
		seen[idx/64] |= 1 << (idx % 64)
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return d.fail("invalid JSON: want ':' after the key")
		}
		d.pos++
		if err := d.value(v.Field(idx)); err != nil {
			return err
		}
		d.path = d.path[:len(d.path)-1]
		if done, err := d.separator('}'); done || err != nil {
			return err
		}
	}
}

func (d *decoder) array(v reflect.Value) error {
	if d.data[d.pos] != '[' {
		return d.fail("want an array, got %s", d.what())
	}
	d.pos++
	v.SetLen(0)
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		return nil
	}
	for i := 0; ; i++ {
		if v.Len() == v.Cap() {
			v.Grow(max(4, v.Len()))
		}
		v.SetLen(i + 1)
		d.path = append(d.path, pathElem{index: i})
		if err := d.value(v.Index(i)); err != nil {
			return err
		}
		d.path = d.path[:len(d.path)-1]
		if done, err := d.separator(']'); done || err != nil {
			return err
		}
	}
}

// separator reads what follows a member or element: ',' (more to come)
// or the closing bracket (done).
func (d *decoder) separator(closing byte) (done bool, err error) {
	d.ws()
	if d.pos >= len(d.data) {
		return false, d.fail("invalid JSON: unexpected EOF")
	}
	switch d.data[d.pos] {
	case ',':
		d.pos++
		return false, nil
	case closing:
		d.pos++
		return true, nil
	}
	return false, d.fail("invalid JSON: want ',' or '%c', got %q", closing, d.data[d.pos])
}

func (d *decoder) integer(bits int) (int64, error) {
	start := d.pos
	if d.pos < len(d.data) && d.data[d.pos] == '-' {
		d.pos++
	}
	digits := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	if d.pos == digits {
		d.pos = start
		return 0, d.fail("want an integer, got %s", d.what())
	}
	if d.pos-digits > 1 && d.data[digits] == '0' {
		return 0, d.fail("invalid JSON: leading zero")
	}
	if d.pos < len(d.data) {
		switch d.data[d.pos] {
		case '.', 'e', 'E':
			return 0, d.fail("want an integer, got a fraction")
		}
	}
	n, err := strconv.ParseInt(string(d.data[start:d.pos]), 10, bits)
	if err != nil {
		return 0, d.fail("integer out of range")
	}
	return n, nil
}

// str reads a JSON string at d.pos (which is '"').
func (d *decoder) str() (string, error) {
	d.pos++
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			raw := d.data[start:d.pos]
			if !utf8.Valid(raw) {
				d.pos = start + firstInvalidUTF8(raw)
				return "", d.fail("invalid UTF-8")
			}
			d.pos++
			return string(raw), nil
		case c == '\\':
			return d.strSlow(start)
		case c < 0x20:
			return "", d.fail("invalid JSON: control character in a string")
		}
		d.pos++
	}
	return "", d.fail("invalid JSON: unterminated string")
}

func (d *decoder) strSlow(start int) (string, error) {
	b := make([]byte, 0, d.pos-start+16)
	b = append(b, d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			if !utf8.Valid(b) {
				d.pos = start + firstInvalidUTF8(d.data[start:d.pos])
				return "", d.fail("invalid UTF-8")
			}
			d.pos++
			return string(b), nil
		case c < 0x20:
			return "", d.fail("invalid JSON: control character in a string")
		case c != '\\':
			b = append(b, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			break
		}
		e := d.data[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", d.fail("invalid JSON: bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					d.pos += 2
					r2, ok = d.hex4()
					if !ok {
						return "", d.fail("invalid JSON: bad \\u escape")
					}
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", d.fail("invalid UTF-16 surrogate in \\u escape")
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", d.fail("invalid JSON: bad escape \\%c", e)
		}
	}
	return "", d.fail("invalid JSON: unterminated string")
}

func (d *decoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.pos += 4
	return rune(n), true
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
