package cups

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// IPP operations the driver uses (RFC 8011 §5.4.15).
const (
	OpPrintJob              uint16 = 0x0002
	OpCancelJob             uint16 = 0x0008
	OpGetJobAttributes      uint16 = 0x0009
	OpGetPrinterAttributes  uint16 = 0x000B
	statusSuccessfulMaximum        = 0x00FF
)

// Delimiter tags: the groups of a message (RFC 8010 §3.5.1).
const (
	TagOperation   byte = 0x01
	TagJob         byte = 0x02
	TagEnd         byte = 0x03
	TagPrinter     byte = 0x04
	TagUnsupported byte = 0x05
)

// Value tags (RFC 8010 §3.5.2).
const (
	TagInteger       byte = 0x21
	TagBoolean       byte = 0x22
	TagEnum          byte = 0x23
	TagOctetString   byte = 0x30
	TagDateTime      byte = 0x31
	TagResolution    byte = 0x32
	TagRange         byte = 0x33
	TagBegCollection byte = 0x34
	TagTextLang      byte = 0x35
	TagNameLang      byte = 0x36
	TagEndCollection byte = 0x37
	TagText          byte = 0x41
	TagName          byte = 0x42
	TagKeyword       byte = 0x44
	TagURI           byte = 0x45
	TagCharset       byte = 0x47
	TagLanguage      byte = 0x48
	TagMimeType      byte = 0x49
	TagMemberName    byte = 0x4A
	TagNoValue       byte = 0x13
	tagExtension     byte = 0x7F
)

// Value is one value of an attribute. Integers, enums and booleans are in
// Int (a boolean is 0 or 1); every string type (text, name, keyword, uri,
// charset, language, mime type, octetString) is in Str. Other syntaxes
// (dateTime, resolution, rangeOfInteger, collections) keep their tag and
// their raw bytes in Str: the driver reads none of them.
type Value struct {
	Tag byte
	Int int32
	Str string
}

// Attribute is a named attribute with one or more values.
type Attribute struct {
	Name   string
	Values []Value
}

// Group is one attribute group of a message.
type Group struct {
	Tag   byte
	Attrs []Attribute
}

// Message is an IPP request or response without its document data. Code is
// the operation-id of a request or the status-code of a response.
type Message struct {
	Major, Minor byte
	Code         uint16
	RequestID    int32
	Groups       []Group
}

// Limits of the decoder: far above any reply cupsd sends for the
// operations the driver uses, and low enough that a hostile or broken
// reply cannot make the kiosk hold much memory.
const (
	maxAttributes = 4096
	maxDepth      = 16
)

// ErrMalformed means a message could not be decoded.
var ErrMalformed = errors.New("cups: malformed IPP message")

// Strings returns the string values of the named attribute in any group.
func (m *Message) Strings(name string) []string {
	var out []string
	for _, v := range m.values(name) {
		out = append(out, v.Str)
	}
	return out
}

// String returns the first string value of the named attribute.
func (m *Message) String(name string) string {
	if v := m.values(name); len(v) > 0 {
		return v[0].Str
	}
	return ""
}

// Ints returns the integer values of the named attribute.
func (m *Message) Ints(name string) []int {
	var out []int
	for _, v := range m.values(name) {
		out = append(out, int(v.Int))
	}
	return out
}

// Int returns the first integer value of the named attribute and whether
// there was one.
func (m *Message) Int(name string) (int, bool) {
	for _, v := range m.values(name) {
		switch v.Tag {
		case TagInteger, TagEnum, TagBoolean:
			return int(v.Int), true
		}
	}
	return 0, false
}

func (m *Message) values(name string) []Value {
	for _, g := range m.Groups {
		for _, a := range g.Attrs {
			if a.Name == name {
				return a.Values
			}
		}
	}
	return nil
}

// Add appends an attribute with one value to the last group with tag g,
// starting that group when the message has none.
func (m *Message) Add(g byte, name string, vals ...Value) {
	if len(m.Groups) == 0 || m.Groups[len(m.Groups)-1].Tag != g {
		m.Groups = append(m.Groups, Group{Tag: g})
	}
	last := &m.Groups[len(m.Groups)-1]
	last.Attrs = append(last.Attrs, Attribute{Name: name, Values: vals})
}

// Str is a string value with tag t.
func Str(t byte, s string) Value { return Value{Tag: t, Str: s} }

// Int is an integer (or enum, with t TagEnum) value.
func Int(t byte, n int32) Value { return Value{Tag: t, Int: n} }

// Encode writes m, up to and including the end-of-attributes tag. The
// document data, if any, is written after it by the caller.
func (m *Message) Encode(w io.Writer) error {
	var b []byte
	b = append(b, m.Major, m.Minor)
	b = binary.BigEndian.AppendUint16(b, m.Code)
	b = binary.BigEndian.AppendUint32(b, uint32(m.RequestID))
	for _, g := range m.Groups {
		if g.Tag == 0 || g.Tag > 0x0F || g.Tag == TagEnd {
			return fmt.Errorf("cups: encode: bad group tag %#x", g.Tag)
		}
		b = append(b, g.Tag)
		for _, a := range g.Attrs {
			if len(a.Values) == 0 {
				return fmt.Errorf("cups: encode: attribute %q has no value", a.Name)
			}
			for i, v := range a.Values {
				name := a.Name
				if i > 0 {
					name = ""
				}
				var val []byte
				switch v.Tag {
				case TagInteger, TagEnum:
					val = binary.BigEndian.AppendUint32(nil, uint32(v.Int))
				case TagBoolean:
					val = []byte{0}
					if v.Int != 0 {
						val[0] = 1
					}
				default:
					if v.Tag < 0x10 || v.Tag == TagBegCollection || v.Tag == TagEndCollection || v.Tag == TagMemberName || v.Tag >= tagExtension {
						return fmt.Errorf("cups: encode: %q: value tag %#x not supported", a.Name, v.Tag)
					}
					val = []byte(v.Str)
				}
				if len(name) > 0xFFFF || len(val) > 0xFFFF {
					return fmt.Errorf("cups: encode: %q too long", a.Name)
				}
				b = append(b, v.Tag)
				b = binary.BigEndian.AppendUint16(b, uint16(len(name)))
				b = append(b, name...)
				b = binary.BigEndian.AppendUint16(b, uint16(len(val)))
				b = append(b, val...)
			}
		}
	}
	b = append(b, TagEnd)
	_, err := w.Write(b)
	return err
}

// Decode reads one message from r up to its end-of-attributes tag; what
// follows (document data) is left in r when r is a *bufio.Reader, and
// otherwise may have been read ahead. Collections are skipped whole: they
// keep their tag and no content. Decode never panics on any input.
func Decode(r io.Reader) (*Message, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	d := decoder{r: br}
	m, err := d.message()
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: truncated", ErrMalformed)
		}
		return nil, err
	}
	return m, nil
}

type decoder struct {
	r     *bufio.Reader
	attrs int
}

func (d *decoder) full(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := io.ReadFull(d.r, b)
	return b, err
}

func (d *decoder) u16() (int, error) {
	b, err := d.full(2)
	if err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(b)), nil
}

func (d *decoder) message() (*Message, error) {
	hdr, err := d.full(8)
	if err != nil {
		return nil, err
	}
	m := &Message{Major: hdr[0], Minor: hdr[1], Code: binary.BigEndian.Uint16(hdr[2:4]),
		RequestID: int32(binary.BigEndian.Uint32(hdr[4:8]))}
	if m.Major == 0 || m.Major > 2 {
		return nil, fmt.Errorf("%w: version %d.%d", ErrMalformed, m.Major, m.Minor)
	}
	var g *Group
	for {
		tag, err := d.r.ReadByte()
		if err != nil {
			return nil, err
		}
		if tag == TagEnd {
			return m, nil
		}
		if tag < 0x10 {
			m.Groups = append(m.Groups, Group{Tag: tag})
			g = &m.Groups[len(m.Groups)-1]
			continue
		}
		if g == nil {
			return nil, fmt.Errorf("%w: value before any group", ErrMalformed)
		}
		name, v, err := d.attribute(tag, 0)
		if err != nil {
			return nil, err
		}
		switch {
		case name != "":
			g.Attrs = append(g.Attrs, Attribute{Name: name, Values: []Value{v}})
		case len(g.Attrs) == 0:
			return nil, fmt.Errorf("%w: additional value without an attribute", ErrMalformed)
		default:
			a := &g.Attrs[len(g.Attrs)-1]
			a.Values = append(a.Values, v)
		}
	}
}

// attribute reads one attribute (or additional value) whose value tag was
// already read.
func (d *decoder) attribute(tag byte, depth int) (string, Value, error) {
	d.attrs++
	if d.attrs > maxAttributes {
		return "", Value{}, fmt.Errorf("%w: more than %d values", ErrMalformed, maxAttributes)
	}
	n, err := d.u16()
	if err != nil {
		return "", Value{}, err
	}
	nb, err := d.full(n)
	if err != nil {
		return "", Value{}, err
	}
	n, err = d.u16()
	if err != nil {
		return "", Value{}, err
	}
	vb, err := d.full(n)
	if err != nil {
		return "", Value{}, err
	}
	v := Value{Tag: tag}
	switch tag {
	case TagInteger, TagEnum:
		if len(vb) != 4 {
			return "", Value{}, fmt.Errorf("%w: %q: integer of %d bytes", ErrMalformed, nb, len(vb))
		}
		v.Int = int32(binary.BigEndian.Uint32(vb))
	case TagBoolean:
		if len(vb) != 1 {
			return "", Value{}, fmt.Errorf("%w: %q: boolean of %d bytes", ErrMalformed, nb, len(vb))
		}
		v.Int = int32(vb[0] & 1)
	case TagBegCollection:
		if err := d.skipCollection(depth + 1); err != nil {
			return "", Value{}, err
		}
	default:
		v.Str = string(vb)
	}
	return string(nb), v, nil
}

// skipCollection reads a collection's members up to its endCollection.
func (d *decoder) skipCollection(depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: collections nested deeper than %d", ErrMalformed, maxDepth)
	}
	for {
		tag, err := d.r.ReadByte()
		if err != nil {
			return err
		}
		if tag < 0x10 {
			return fmt.Errorf("%w: group tag %#x inside a collection", ErrMalformed, tag)
		}
		if _, _, err := d.attribute(tag, depth); err != nil {
			return err
		}
		if tag == TagEndCollection {
			return nil
		}
	}
}
