package scanner

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

const (
	evSyn = 0x00
	evMsc = 0x04
)

// record encodes one input_event as the kernel writes it.
func record(l EventLayout, sec int64, typ, code uint16, value int32) []byte {
	b := make([]byte, l)
	t := int(l) - 8
	if l == Layout64 {
		binary.LittleEndian.PutUint64(b[0:], uint64(sec))
		binary.LittleEndian.PutUint64(b[8:], 250000)
	} else {
		binary.LittleEndian.PutUint32(b[0:], uint32(sec))
		binary.LittleEndian.PutUint32(b[4:], 250000)
	}
	binary.LittleEndian.PutUint16(b[t:], typ)
	binary.LittleEndian.PutUint16(b[t+2:], code)
	binary.LittleEndian.PutUint32(b[t+4:], uint32(value))
	return b
}

// stroke is what a USB HID scanner's report makes the kernel write for
// one key: the scan code (EV_MSC), the key, a SYN_REPORT; the same for
// its release.
func stroke(l EventLayout, code uint16) []byte {
	var b []byte
	for _, v := range []int32{1, 0} {
		b = append(b, record(l, 1764000000, evMsc, 4, 0x70000+int32(code))...)
		b = append(b, record(l, 1764000000, evKey, code, v)...)
		b = append(b, record(l, 1764000000, evSyn, 0, 0)...)
	}
	return b
}

func shifted(l EventLayout, code uint16) []byte {
	b := record(l, 1, evKey, keyLeftShift, 1)
	b = append(b, stroke(l, code)...)
	return append(b, record(l, 1, evKey, keyLeftShift, 0)...)
}

// typed reads everything a KeyReader types from stream.
func typed(t *testing.T, r io.Reader) (string, error) {
	t.Helper()
	var out bytes.Buffer
	buf := make([]byte, 7)
	for {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return out.String(), err
		}
	}
}

// A recording from a 64-bit board of a keyboard-mode scanner typing "a"
// then Enter (EV_MSC scan code, EV_KEY, SYN_REPORT for each press and
// release), as hexdump of /dev/input/eventN shows it.
const recordedA = "" +
	"8f6a2f6900000000d00f0a00000000000400040004000700" +
	"8f6a2f6900000000d00f0a000000000001001e0001000000" +
	"8f6a2f6900000000d00f0a00000000000000000000000000" +
	"8f6a2f6900000000a8130b000000000001001e0000000000" +
	"8f6a2f6900000000a8130b00000000000000000000000000" +
	"8f6a2f6900000000a8130b000000000001001c0001000000" +
	"8f6a2f6900000000a8130b00000000000000000000000000" +
	"8f6a2f6900000000a8130b000000000001001c0000000000"

func TestRecordedStream(t *testing.T) {
	raw, err := hex.DecodeString(recordedA)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 8*int(Layout64) {
		t.Fatalf("recording has %d bytes", len(raw))
	}
	got, err := typed(t, NewKeyReader(bytes.NewReader(raw), Layout64))
	if err != nil || got != "a\r" {
		t.Errorf("typed %q, %v; want \"a\\r\"", got, err)
	}
}

func TestKeyReader(t *testing.T) {
	for _, l := range []EventLayout{Layout64, Layout32} {
		for _, tc := range []struct {
			name   string
			stream func(l EventLayout) []byte
			want   string
		}{
			{"digits and enter", func(l EventLayout) []byte {
				var b []byte
				for _, c := range []uint16{2, 3, 11, 10, 28} { // 1 2 0 9 Enter
					b = append(b, stroke(l, c)...)
				}
				return b
			}, "1209\r"},
			{"shift", func(l EventLayout) []byte {
				b := shifted(l, 37)                // K
				b = append(b, stroke(l, 8)...)     // 7
				b = append(b, shifted(l, 16)...)   // Q
				b = append(b, shifted(l, 39)...)   // :
				b = append(b, stroke(l, 53)...)    // /
				b = append(b, shifted(l, 53)...)   // ?
				b = append(b, stroke(l, 12)...)    // -
				b = append(b, shifted(l, 13)...)   // +
				return append(b, stroke(l, 96)...) // keypad Enter
			}, "K7Q:/?-+\r"},
			{"right shift", func(l EventLayout) []byte {
				b := record(l, 1, evKey, keyRightShift, 1)
				b = append(b, stroke(l, 30)...)
				b = append(b, record(l, 1, evKey, keyRightShift, 0)...)
				return append(b, stroke(l, 30)...)
			}, "Aa"},
			{"caps lock", func(l EventLayout) []byte {
				b := stroke(l, keyCapsLock)
				b = append(b, stroke(l, 44)...)  // Z
				b = append(b, shifted(l, 44)...) // z
				b = append(b, stroke(l, 2)...)   // 1: caps does not shift digits
				b = append(b, stroke(l, keyCapsLock)...)
				return append(b, stroke(l, 44)...)
			}, "Zz1z"},
			{"keypad", func(l EventLayout) []byte {
				var b []byte
				for _, c := range []uint16{82, 79, 80, 81, 75, 76, 77, 71, 72, 73, 83, 55, 98, 74, 78} {
					b = append(b, stroke(l, c)...)
				}
				return b
			}, "0123456789.*/-+"},
			{"auto-repeat types again", func(l EventLayout) []byte {
				b := record(l, 1, evKey, 45, 1) // x
				b = append(b, record(l, 1, evKey, 45, 2)...)
				return append(b, record(l, 1, evKey, 45, 0)...)
			}, "xx"},
			{"unknown key types NUL", func(l EventLayout) []byte {
				b := stroke(l, 30)
				b = append(b, stroke(l, 59)...) // F1
				return append(b, stroke(l, 0xffff)...)
			}, "a\x00\x00"},
			{"space and tab", func(l EventLayout) []byte {
				return append(stroke(l, 57), stroke(l, 15)...)
			}, " \t"},
		} {
			t.Run(tc.name+"/"+map[EventLayout]string{Layout64: "64", Layout32: "32"}[l], func(t *testing.T) {
				raw := tc.stream(l)
				for name, r := range map[string]io.Reader{
					"whole":       bytes.NewReader(raw),
					"byte a time": iotest.OneByteReader(bytes.NewReader(raw)),
					"halves":      iotest.HalfReader(bytes.NewReader(raw)),
				} {
					got, err := typed(t, NewKeyReader(r, l))
					if err != nil || got != tc.want {
						t.Errorf("%s: typed %q, %v; want %q", name, got, err, tc.want)
					}
				}
			})
		}
	}
}

func TestKeyStreamCutShort(t *testing.T) {
	raw := stroke(Layout64, 30)
	_, err := typed(t, NewKeyReader(bytes.NewReader(raw[:len(raw)-5]), Layout64))
	if !errors.Is(err, ErrEventLayout) {
		t.Errorf("err %v, want ErrEventLayout", err)
	}
}

func TestKeyReaderPassesErrorsOn(t *testing.T) {
	boom := errors.New("read deadline")
	r := NewKeyReader(iotest.ErrReader(boom), Layout64)
	if _, err := r.Read(make([]byte, 4)); !errors.Is(err, boom) {
		t.Errorf("err %v", err)
	}
}

// Keyboard mode end to end: the typed bytes through the line decoder.
func TestKeyboardScanToCode(t *testing.T) {
	var raw []byte
	for _, c := range "K7QH2M4X" {
		code := map[rune]uint16{'K': 37, '7': 8, 'Q': 16, 'H': 35, '2': 3, 'M': 50, '4': 5, 'X': 45}[c]
		if c >= 'A' && c <= 'Z' {
			raw = append(raw, shifted(Layout64, code)...)
		} else {
			raw = append(raw, stroke(Layout64, code)...)
		}
	}
	raw = append(raw, stroke(Layout64, keyEnter)...)
	raw = append(raw, stroke(Layout64, 103)...) // an arrow key: garbage
	raw = append(raw, stroke(Layout64, keyEnter)...)
	s, err := typed(t, NewKeyReader(bytes.NewReader(raw), Layout64))
	if err != nil {
		t.Fatal(err)
	}
	got := decodeAll(&LineDecoder{}, []byte(s))
	want := []result{{code: "K7QH2M4X"}, {err: ErrGarbage}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestDecodeEventSize(t *testing.T) {
	if _, err := DecodeEvent(make([]byte, 20), Layout64); err == nil {
		t.Error("a 20-byte record decoded")
	}
	ev, err := DecodeEvent(record(Layout32, 5, evKey, 30, 1), Layout32)
	if err != nil || ev != (Event{Type: evKey, Code: 30, Value: 1}) {
		t.Errorf("%+v %v", ev, err)
	}
	if NativeLayout() != Layout64 && NativeLayout() != Layout32 {
		t.Error("no native layout")
	}
}

// FuzzKeyReader: any byte stream, in any layout and cut anywhere, types
// only characters of the layout, CR or NUL, and never panics; a decoded
// event re-encodes to the same type, code and value.
func FuzzKeyReader(f *testing.F) {
	raw, _ := hex.DecodeString(recordedA)
	f.Add(raw, false)
	f.Add(stroke(Layout32, 30), true)
	f.Add(append(shifted(Layout64, 37), 1, 2, 3), false)
	allowed := map[byte]bool{'\r': true, 0: true}
	for _, p := range keymap {
		allowed[p[0]], allowed[p[1]] = true, true
	}
	f.Fuzz(func(t *testing.T, stream []byte, small bool) {
		l := Layout64
		if small {
			l = Layout32
		}
		s, err := typed(t, NewKeyReader(iotest.HalfReader(bytes.NewReader(stream)), l))
		if err != nil && !errors.Is(err, ErrEventLayout) {
			t.Fatalf("err %v", err)
		}
		if (err != nil) != (len(stream)%int(l) != 0) {
			t.Fatalf("stream of %d bytes in %d-byte records: err %v", len(stream), l, err)
		}
		for i := 0; i < len(s); i++ {
			if !allowed[s[i]] {
				t.Fatalf("typed 0x%02x", s[i])
			}
		}
		_ = decodeAll(&LineDecoder{}, []byte(s))
		if len(stream) >= int(l) {
			ev, err := DecodeEvent(stream[:l], l)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := DecodeEvent(record(l, 0, ev.Type, ev.Code, ev.Value), l)
			if again != ev {
				t.Fatalf("%+v re-encodes as %+v", ev, again)
			}
		}
	})
}
