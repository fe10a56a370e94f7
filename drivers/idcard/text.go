package idcard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/henan-county/kiosk/kiosk/identity"
)

// TextLen is the size of the text block; PhotoLen the size of the WLT photo.
const (
	TextLen  = 256
	PhotoLen = 1024
)

// ErrBadText: the text block (or the read reply around it) is malformed.
var ErrBadText = errors.New("idcard: malformed card text")

// LongTermText is what a resident card carries as "valid to" when it
// never expires.
const LongTermText = "长期"

// China Standard Time. China has kept UTC+8 without daylight saving since
// 1991, so a fixed zone is exact for every date on a card and needs no
// tzdata on the kiosk.
var cst = time.FixedZone("CST", 8*3600)

// Errors never quote field values: they are personal data and errors end
// up in logs.

// Location returns the zone card dates are in (Asia/Shanghai, UTC+8).
func Location() *time.Location { return cst }

// field is one text field: byte offset and byte length.
type field struct{ off, n int }

// Field layouts. Offsets and lengths are in bytes of UCS-2 LE.
var (
	fType = field{248, 2}

	// resident ID card and J residence permit share most fields
	fName     = field{0, 30}
	fSex      = field{30, 2}
	fNation   = field{32, 4}
	fBirth    = field{36, 16}
	fAddress  = field{52, 70}
	fIDNumber = field{122, 36}
	fIssuer   = field{158, 30}
	fFrom     = field{188, 16}
	fTo       = field{204, 16}
	fPass     = field{220, 18} // J
	fIssueCnt = field{238, 4}  // J

	// I: foreign permanent resident card, old layout
	fIEnglish  = field{0, 120}
	fISex      = field{120, 2}
	fIPR       = field{122, 30}
	fINation   = field{152, 6}
	fIChinese  = field{158, 30}
	fIBirth    = field{220, 16}
	fIVersion  = field{236, 4}
	fIAuthCode = field{240, 8}

	// Y: foreign permanent resident card, 2023 layout
	fYRenewal  = field{32, 4}
	fYEnglish1 = field{52, 70}
	fYEnglish2 = field{220, 22}
	fYNation   = field{242, 6}
)

// ucs2 decodes UCS-2 LE and trims the padding (spaces, and NULs some
// readers leave in unused fields).
func ucs2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return strings.Trim(string(utf16.Decode(u)), " \x00\u3000")
}

func (f field) get(block []byte) string { return ucs2(block[f.off : f.off+f.n]) }

// put writes s into the field, space padded; it fails when s is too long.
func (f field) put(block []byte, s string) error {
	u := utf16.Encode([]rune(s))
	if 2*len(u) > f.n {
		// The value is personal data: name the field, not the value.
		return fmt.Errorf("idcard: encode text: %d characters do not fit the field at byte %d (%d characters): %w",
			len(u), f.off, f.n/2, ErrBadText)
	}
	for i := 0; i < f.n/2; i++ {
		c := uint16(' ')
		if i < len(u) {
			c = u[i]
		}
		binary.LittleEndian.PutUint16(block[f.off+2*i:], c)
	}
	return nil
}

// parseDate reads YYYYMMDD as midnight in China Standard Time.
func parseDate(what, s string) (time.Time, error) {
	if len(s) != 8 {
		return time.Time{}, fmt.Errorf("idcard: decode text: %s of %d characters: %w", what, len(s), ErrBadText)
	}
	var v [3]int
	for i, w := range [3][2]int{{0, 4}, {4, 6}, {6, 8}} {
		for _, c := range []byte(s[w[0]:w[1]]) {
			if c < '0' || c > '9' {
				return time.Time{}, fmt.Errorf("idcard: decode text: %s is not YYYYMMDD: %w", what, ErrBadText)
			}
			v[i] = v[i]*10 + int(c-'0')
		}
	}
	t := time.Date(v[0], time.Month(v[1]), v[2], 0, 0, 0, 0, cst)
	if t.Year() != v[0] || int(t.Month()) != v[1] || t.Day() != v[2] || v[0] < 1800 {
		return time.Time{}, fmt.Errorf("idcard: decode text: %s is not a calendar date: %w", what, ErrBadText)
	}
	return t, nil
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format("20060102")
}

// SexName returns the name of a GB/T 2261.1 sex code.
func SexName(code string) string {
	switch code {
	case "1":
		return "男"
	case "2":
		return "女"
	case "0":
		return "未知"
	case "9":
		return "未说明"
	}
	return ""
}

// CardTypeOf returns the layout named by the type character of a text
// block (byte offset 248).
func CardTypeOf(block []byte) (identity.CardType, error) {
	if len(block) != TextLen {
		return "", fmt.Errorf("idcard: decode text: %d bytes, want %d: %w", len(block), TextLen, ErrBadText)
	}
	switch fType.get(block) {
	case "I":
		return identity.ForeignPROld, nil
	case "Y":
		return identity.ForeignPR2023, nil
	case "J":
		return identity.ResidencePermit, nil
	}
	return identity.ResidentID, nil
}

// DecodeText decodes a 256-byte text block of any layout. The card's ID
// number is checked (IDNumberValid) but a failing number is not an error:
// the kiosk decides what to do with such a card.
func DecodeText(block []byte) (*identity.Card, error) {
	typ, err := CardTypeOf(block)
	if err != nil {
		return nil, err
	}
	c := &identity.Card{Type: typ}
	var birth, from, to string
	switch typ {
	case identity.ResidentID, identity.ResidencePermit:
		c.Name = fName.get(block)
		c.SexCode = fSex.get(block)
		birth = fBirth.get(block)
		c.Address = fAddress.get(block)
		c.IDNumber = fIDNumber.get(block)
		c.Issuer = fIssuer.get(block)
		from, to = fFrom.get(block), fTo.get(block)
		if typ == identity.ResidentID {
			c.NationCode = fNation.get(block)
			c.Nation = NationName(c.NationCode)
		} else {
			c.PassNumber = fPass.get(block)
			c.IssueCount = fIssueCnt.get(block)
		}
		c.IDNumberValid = identity.ValidIDNumber(c.IDNumber)
	case identity.ForeignPROld:
		c.EnglishName = fIEnglish.get(block)
		c.SexCode = fISex.get(block)
		c.IDNumber = fIPR.get(block)
		c.Nationality = fINation.get(block)
		c.Name = fIChinese.get(block)
		from, to = fFrom.get(block), fTo.get(block)
		birth = fIBirth.get(block)
		c.CardVersion = fIVersion.get(block)
		c.AuthorityCode = fIAuthCode.get(block)
		// The old 15-character permanent residence number has no
		// GB 11643 check digit; it is left unverified (false).
	case identity.ForeignPR2023:
		c.Name = fName.get(block)
		c.SexCode = fSex.get(block)
		c.RenewalCount = fYRenewal.get(block)
		birth = fBirth.get(block)
		// The English name runs on from the first field into the second
		// without a separator; join them before trimming the padding.
		c.EnglishName = strings.Trim(rawUCS2(block[fYEnglish1.off:fYEnglish1.off+fYEnglish1.n])+
			rawUCS2(block[fYEnglish2.off:fYEnglish2.off+fYEnglish2.n]), " \x00\u3000")
		c.IDNumber = fIDNumber.get(block)
		c.Nationality = fYNation.get(block)
		from, to = fFrom.get(block), fTo.get(block)
		c.IDNumberValid = identity.ValidIDNumber(c.IDNumber)
	}
	c.Sex = SexName(c.SexCode)
	if c.Birth, err = parseDate("birth date", birth); err != nil {
		return nil, err
	}
	if c.ValidFrom, err = parseDate("valid from", from); err != nil {
		return nil, err
	}
	if to == LongTermText {
		c.LongTerm = true
	} else if c.ValidTo, err = parseDate("valid to", to); err != nil {
		return nil, err
	}
	return c, nil
}

// rawUCS2 decodes without trimming.
func rawUCS2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// EncodeText lays a card out as a 256-byte text block, the inverse of
// DecodeText. Simulated readers and tests use it.
func EncodeText(c *identity.Card) ([]byte, error) {
	block := make([]byte, TextLen)
	for i := 0; i < TextLen; i += 2 {
		block[i] = ' '
	}
	to := formatDate(c.ValidTo)
	if c.LongTerm {
		to = LongTermText
	}
	type fv struct {
		f field
		v string
	}
	var fs []fv
	switch c.Type {
	case identity.ResidentID, "":
		fs = []fv{{fName, c.Name}, {fSex, c.SexCode}, {fNation, c.NationCode}, {fBirth, formatDate(c.Birth)},
			{fAddress, c.Address}, {fIDNumber, c.IDNumber}, {fIssuer, c.Issuer}, {fFrom, formatDate(c.ValidFrom)}, {fTo, to}}
	case identity.ResidencePermit:
		fs = []fv{{fName, c.Name}, {fSex, c.SexCode}, {fBirth, formatDate(c.Birth)},
			{fAddress, c.Address}, {fIDNumber, c.IDNumber}, {fIssuer, c.Issuer}, {fFrom, formatDate(c.ValidFrom)}, {fTo, to},
			{fPass, c.PassNumber}, {fIssueCnt, c.IssueCount}, {fType, "J"}}
	case identity.ForeignPROld:
		fs = []fv{{fIEnglish, c.EnglishName}, {fISex, c.SexCode}, {fIPR, c.IDNumber}, {fINation, c.Nationality},
			{fIChinese, c.Name}, {fFrom, formatDate(c.ValidFrom)}, {fTo, to}, {fIBirth, formatDate(c.Birth)},
			{fIVersion, c.CardVersion}, {fIAuthCode, c.AuthorityCode}, {fType, "I"}}
	case identity.ForeignPR2023:
		en := []rune(c.EnglishName)
		first := string(en[:min(len(en), fYEnglish1.n/2)])
		rest := string(en[min(len(en), fYEnglish1.n/2):])
		fs = []fv{{fName, c.Name}, {fSex, c.SexCode}, {fYRenewal, c.RenewalCount}, {fBirth, formatDate(c.Birth)},
			{fYEnglish1, first}, {fYEnglish2, rest}, {fIDNumber, c.IDNumber}, {fFrom, formatDate(c.ValidFrom)}, {fTo, to},
			{fYNation, c.Nationality}, {fType, "Y"}}
	default:
		return nil, fmt.Errorf("idcard: encode text: card type %q: %w", c.Type, ErrBadText)
	}
	for _, x := range fs {
		if err := x.f.put(block, x.v); err != nil {
			return nil, err
		}
	}
	return block, nil
}

// ReadResult is what a read command returned, before decoding.
type ReadResult struct {
	Text        []byte // 256 bytes
	Photo       []byte // WLT, opaque
	Fingerprint []byte // 0, 512 or 1024 bytes; nil for a 30 01 read
}

// Wipe zeroes the buffers.
func (r *ReadResult) Wipe() {
	clear(r.Text)
	clear(r.Photo)
	clear(r.Fingerprint)
}

// ParseRead splits the data of a successful read reply (30 01, or 30 10
// when withFinger) into text, photo and fingerprint. The returned slices
// alias data.
func ParseRead(data []byte, withFinger bool) (ReadResult, error) {
	hdr := 4
	if withFinger {
		hdr = 6
	}
	if len(data) < hdr {
		return ReadResult{}, fmt.Errorf("idcard: parse read reply of %d bytes: %w", len(data), ErrShortReply)
	}
	tl := int(binary.BigEndian.Uint16(data[0:]))
	pl := int(binary.BigEndian.Uint16(data[2:]))
	fl := 0
	if withFinger {
		fl = int(binary.BigEndian.Uint16(data[4:]))
	}
	if tl != TextLen {
		return ReadResult{}, fmt.Errorf("idcard: parse read reply: text length %d, want %d: %w", tl, TextLen, ErrBadText)
	}
	if len(data) != hdr+tl+pl+fl {
		return ReadResult{}, fmt.Errorf("idcard: parse read reply: %d bytes, lengths say %d: %w", len(data), hdr+tl+pl+fl, ErrBadText)
	}
	r := ReadResult{Text: data[hdr : hdr+tl], Photo: data[hdr+tl : hdr+tl+pl]}
	if withFinger {
		r.Fingerprint = data[hdr+tl+pl:]
	}
	return r, nil
}

// EncodeRead builds the data of a read reply (inverse of ParseRead).
func EncodeRead(r ReadResult, withFinger bool) []byte {
	out := make([]byte, 0, 6+len(r.Text)+len(r.Photo)+len(r.Fingerprint))
	out = binary.BigEndian.AppendUint16(out, uint16(len(r.Text)))
	out = binary.BigEndian.AppendUint16(out, uint16(len(r.Photo)))
	if withFinger {
		out = binary.BigEndian.AppendUint16(out, uint16(len(r.Fingerprint)))
	}
	out = append(out, r.Text...)
	out = append(out, r.Photo...)
	if withFinger {
		out = append(out, r.Fingerprint...)
	}
	return out
}

// DecodeRead decodes the data of a successful read reply into a card
// whose Photo and Fingerprint are fresh copies.
func DecodeRead(data []byte, withFinger bool) (*identity.Card, error) {
	r, err := ParseRead(data, withFinger)
	if err != nil {
		return nil, err
	}
	c, err := DecodeText(r.Text)
	if err != nil {
		return nil, err
	}
	c.Photo = append([]byte(nil), r.Photo...)
	if withFinger {
		c.Fingerprint = append([]byte{}, r.Fingerprint...)
	}
	return c, nil
}

// DecodeAddress decodes the data of "read newest appended address": the
// address as UCS-2 LE, space padded (70 bytes on the cards seen so far).
func DecodeAddress(data []byte) (string, error) {
	if len(data)%2 != 0 || len(data) == 0 {
		return "", fmt.Errorf("idcard: decode appended address of %d bytes: %w", len(data), ErrBadText)
	}
	return ucs2(data), nil
}

// FormatSAMID renders the 16 data bytes of a SAM ID reply as technicians
// know it: 05.01-20101201-000123456-000654321.
func FormatSAMID(data []byte) (string, error) {
	if len(data) < 16 {
		return "", fmt.Errorf("idcard: SAM ID of %d bytes: %w", len(data), ErrShortReply)
	}
	le := binary.LittleEndian
	return fmt.Sprintf("%02d.%02d-%d-%09d-%09d", le.Uint16(data[0:]), le.Uint16(data[2:]),
		le.Uint32(data[4:]), le.Uint32(data[8:]), le.Uint32(data[12:])), nil
}
