package idcard_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/henan-county/kiosk/drivers/idcard"
	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/identity"
)

// readReply builds the data of a read reply for a fixture.
func readReply(t testing.TB, name string, withFinger bool) ([]byte, *identity.Card) {
	t.Helper()
	c, ok := idcardsim.Fixture(name)
	if !ok {
		t.Fatalf("no fixture %q", name)
	}
	text, err := idcard.EncodeText(c)
	if err != nil {
		t.Fatal(err)
	}
	return idcard.EncodeRead(idcard.ReadResult{Text: text, Photo: c.Photo, Fingerprint: c.Fingerprint}, withFinger), c
}

func TestEveryFixtureDecodes(t *testing.T) {
	for _, name := range idcardsim.Fixtures() {
		t.Run(name, func(t *testing.T) {
			data, want := readReply(t, name, true)
			got, err := idcard.DecodeRead(data, true)
			if err != nil {
				t.Fatal(err)
			}
			if want.Fingerprint == nil {
				want.Fingerprint = []byte{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
			}
			if len(got.Photo) != 1024 {
				t.Errorf("photo %d bytes", len(got.Photo))
			}
		})
	}
}

func TestTextFields(t *testing.T) {
	dec := func(name string) *identity.Card {
		data, _ := readReply(t, name, false)
		c, err := idcard.DecodeRead(data, false)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cst := idcard.Location()
	han := dec(idcardsim.Han)
	if han.Type != identity.ResidentID || han.Nation != "汉" || han.Sex != "男" || !han.IDNumberValid ||
		!han.Birth.Equal(time.Date(1956, 3, 15, 0, 0, 0, 0, cst)) || han.Birth.Location() != cst {
		t.Errorf("han: %+v", han)
	}
	if c := dec(idcardsim.Minority); c.Name != "阿依古丽·买买提" || c.Nation != "维吾尔" || c.Sex != "女" {
		t.Errorf("minority: %+v", c)
	}
	if c := dec(idcardsim.LongAddress); len([]rune(c.Address)) != 35 {
		t.Errorf("long address %q has %d characters", c.Address, len([]rune(c.Address)))
	}
	if c := dec(idcardsim.LongTerm); !c.LongTerm || !c.ValidTo.IsZero() {
		t.Errorf("long term: %+v", c)
	}
	if c := dec(idcardsim.BadCheck); c.IDNumberValid || c.IDNumber != "410122198512124515" {
		t.Errorf("bad check: valid=%v %q", c.IDNumberValid, c.IDNumber)
	}
	if c := dec(idcardsim.HMTPermit); c.Type != identity.ResidencePermit || c.PassNumber != "H12345678" ||
		c.IssueCount != "01" || !c.IDNumberValid {
		t.Errorf("hmt: %+v", c)
	}
	if c := dec(idcardsim.ForeignOld); c.Type != identity.ForeignPROld || c.EnglishName != "SMITH, JOHN WILLIAM" ||
		c.Name != "史密斯" || c.Nationality != "GBR" || c.IDNumber != "GBR410070040201" || c.CardVersion != "10" ||
		c.AuthorityCode != "1500" || c.Sex != "男" {
		t.Errorf("foreign old: %+v", c)
	}
	if c := dec(idcardsim.Foreign2023); c.Type != identity.ForeignPR2023 ||
		c.EnglishName != "GONZALEZ RODRIGUEZ, MARIA DEL CARMEN ALEJANDRA" || c.Nationality != "ESP" ||
		c.RenewalCount != "00" || !c.IDNumberValid {
		t.Errorf("foreign 2023: %+v", c)
	}
}

// put writes s as UCS-2 LE at off.
func put(b []byte, off int, s string) {
	for i, u := range utf16.Encode([]rune(s)) {
		binary.LittleEndian.PutUint16(b[off+2*i:], u)
	}
}

func TestTextErrors(t *testing.T) {
	good, _ := readReply(t, idcardsim.Han, false)
	text := good[4 : 4+256]
	for _, tc := range []struct {
		name  string
		block func() []byte
	}{
		{"short", func() []byte { return text[:200] }},
		{"bad birth", func() []byte { b := bytes.Clone(text); put(b, 36, "1956AB15"); return b }},
		{"impossible date", func() []byte { b := bytes.Clone(text); put(b, 36, "19560231"); return b }},
		{"blank valid to", func() []byte { b := bytes.Clone(text); put(b, 204, "        "); return b }},
	} {
		if _, err := idcard.DecodeText(tc.block()); !errors.Is(err, idcard.ErrBadText) {
			t.Errorf("%s: %v, want ErrBadText", tc.name, err)
		}
	}
	if _, err := idcard.ParseRead(good[:100], false); !errors.Is(err, idcard.ErrBadText) {
		t.Errorf("truncated read: %v", err)
	}
	if _, err := idcard.ParseRead(good[:2], false); !errors.Is(err, idcard.ErrShortReply) {
		t.Errorf("tiny read: %v", err)
	}
}

func TestSAMIDFormat(t *testing.T) {
	data := []byte{5, 0, 1, 0, 0x51, 0xB8, 0x32, 0x01, 0x40, 0xE2, 0x01, 0x00, 0xF1, 0xFB, 0x09, 0x00}
	got, err := idcard.FormatSAMID(data)
	if err != nil || got != "05.01-20101201-000123456-000654321" {
		t.Errorf("FormatSAMID = %q, %v", got, err)
	}
}

func TestAddressDecode(t *testing.T) {
	b := make([]byte, 70)
	for i := 0; i < 70; i += 2 {
		b[i] = ' '
	}
	put(b, 0, "河南省郑州市")
	if a, err := idcard.DecodeAddress(b); err != nil || a != "河南省郑州市" {
		t.Errorf("%q %v", a, err)
	}
	if _, err := idcard.DecodeAddress(b[:3]); err == nil {
		t.Error("odd length accepted")
	}
}

func TestWipeLeavesNothing(t *testing.T) {
	data, _ := readReply(t, idcardsim.Han, true)
	c, err := idcard.DecodeRead(data, true)
	if err != nil {
		t.Fatal(err)
	}
	photo, finger := c.Photo, c.Fingerprint
	c.Wipe()
	if !reflect.DeepEqual(*c, identity.Card{}) {
		t.Errorf("card after Wipe: %+v", *c)
	}
	for i, b := range photo {
		if b != 0 {
			t.Fatalf("photo byte %d = %#x after Wipe", i, b)
		}
	}
	for i, b := range finger {
		if b != 0 {
			t.Fatalf("fingerprint byte %d = %#x after Wipe", i, b)
		}
	}
	// The decoded card does not share memory with the reply.
	if len(photo) > 0 && &photo[0] == &data[4+256] {
		t.Error("photo aliases the reply buffer")
	}
}

func FuzzDecodeText(f *testing.F) {
	for _, name := range idcardsim.Fixtures() {
		data, _ := readReply(f, name, false)
		f.Add(data[4 : 4+256])
	}
	f.Fuzz(func(t *testing.T, block []byte) {
		c, err := idcard.DecodeText(block)
		if err != nil {
			if c != nil {
				t.Fatal("card and error")
			}
			return
		}
		// What decodes must encode back to a block that decodes the same.
		again, err := idcard.EncodeText(c)
		if err != nil {
			return // e.g. fields that held stray UTF-16 surrogates
		}
		c2, err := idcard.DecodeText(again)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip\n%+v\n%+v", c, c2)
		}
	})
}

func FuzzDecoder(f *testing.F) {
	data, _ := readReply(f, idcardsim.Han, false)
	f.Add(idcard.EncodeReply(0, 0, idcard.StatusOK, data), uint8(7))
	f.Add(idcard.EncodeReply(0, 0, idcard.StatusFound, []byte{0, 0, 0, 0}), uint8(1))
	f.Add([]byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0x00}, uint8(3))
	f.Fuzz(func(t *testing.T, in []byte, step uint8) {
		n := int(step%16) + 1
		var d idcard.Decoder
		for i := 0; i < len(in); i += n {
			d.Write(in[i:min(len(in), i+n)])
			for k := 0; ; k++ {
				if k > len(in)+1 {
					t.Fatal("Next does not make progress")
				}
				b, err := d.Next()
				if err != nil {
					continue
				}
				if b == nil {
					break
				}
				// Every frame found re-encodes to bytes present in the input.
				if !bytes.Contains(in, idcard.AppendFrame(nil, b)) {
					t.Fatalf("frame %x not in input", b)
				}
				if _, err := idcard.ParseReply(b); err != nil && len(b) >= 3 {
					t.Fatal(err)
				}
			}
		}
		if d.Buffered() > len(in) {
			t.Fatalf("buffered %d of %d", d.Buffered(), len(in))
		}
	})
}

func BenchmarkDecodeCard(b *testing.B) {
	data, _ := readReply(b, idcardsim.Han, false)
	b.ReportAllocs()
	for b.Loop() {
		c, err := idcard.DecodeRead(data, false)
		if err != nil {
			b.Fatal(err)
		}
		c.Wipe()
	}
}

func FuzzParseRead(f *testing.F) {
	data, _ := readReply(f, idcardsim.Han, true)
	f.Add(data, true)
	data, _ = readReply(f, idcardsim.ForeignOld, false)
	f.Add(data, false)
	f.Add([]byte{1, 0, 0, 0}, false)
	f.Fuzz(func(t *testing.T, data []byte, withFinger bool) {
		c, err := idcard.DecodeRead(data, withFinger)
		if err == nil {
			if len(c.Photo) > len(data) || c.Type == "" {
				t.Fatalf("card %+v from %d bytes", c, len(data))
			}
			c.Wipe()
		}
		idcard.DecodeAddress(data)
		idcard.FormatSAMID(data)
	})
}
