package scanner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Linux input event constants (linux/input-event-codes.h) the keyboard
// wedge decoder needs.
const (
	evKey = 0x01

	keyEnter      = 28
	keyLeftShift  = 42
	keyRightShift = 54
	keyCapsLock   = 58
	keyKPEnter    = 96
)

// EventLayout is the size of struct input_event on the kiosk's kernel:
// a struct timeval (two longs) then type u16, code u16, value s32.
type EventLayout int

const (
	// Layout64 is a 64-bit kernel and userland (arm64, amd64): 24 bytes.
	Layout64 EventLayout = 24
	// Layout32 is 32-bit userland (armv7): 16 bytes.
	Layout32 EventLayout = 16
)

// NativeLayout is the layout of the platform the kiosk is built for.
func NativeLayout() EventLayout {
	if strconv.IntSize == 32 {
		return Layout32
	}
	return Layout64
}

// Event is one input event.
type Event struct {
	Type  uint16
	Code  uint16
	Value int32
}

// DecodeEvent decodes one input_event record (little-endian, as on the
// kiosk's ARM boards). b must be exactly l bytes.
func DecodeEvent(b []byte, l EventLayout) (Event, error) {
	if len(b) != int(l) || (l != Layout64 && l != Layout32) {
		return Event{}, fmt.Errorf("scanner: input event of %d bytes, want %d", len(b), l)
	}
	t := int(l) - 8 // the timeval
	return Event{
		Type:  binary.LittleEndian.Uint16(b[t:]),
		Code:  binary.LittleEndian.Uint16(b[t+2:]),
		Value: int32(binary.LittleEndian.Uint32(b[t+4:])),
	}, nil
}

// unknownKey stands in the byte stream for a key that has no ASCII
// character (an arrow, a function key, Alt): the LineDecoder rejects the
// code it falls in as garbage.
const unknownKey = 0x00

// keymap is the US layout (what kiosk scanners emit): the character of
// each key code, without and with Shift. Keypad keys type their digit or
// sign whatever Num Lock says, as a scanner's keypad emulation means them.
var keymap = func() (m [256][2]byte) {
	rows := []struct {
		first  int
		plain  string
		shiftd string
	}{
		{2, "1234567890-=", "!@#$%^&*()_+"},
		{16, "qwertyuiop[]", "QWERTYUIOP{}"},
		{30, "asdfghjkl;'`", "ASDFGHJKL:\"~"},
		{43, "\\zxcvbnm,./", "|ZXCVBNM<>?"},
	}
	for _, r := range rows {
		for i := range len(r.plain) {
			m[r.first+i] = [2]byte{r.plain[i], r.shiftd[i]}
		}
	}
	m[57] = [2]byte{' ', ' '}
	m[15] = [2]byte{'\t', '\t'} // Tab: a suffix some scanners are set to
	for code, c := range map[int]byte{71: '7', 72: '8', 73: '9', 74: '-', 75: '4', 76: '5', 77: '6', 78: '+',
		79: '1', 80: '2', 81: '3', 82: '0', 83: '.', 55: '*', 98: '/'} {
		m[code] = [2]byte{c, c}
	}
	return m
}()

// KeyReader turns a keyboard-mode scanner's input events into the bytes it
// types: each key press (and auto-repeat) is its US-layout character with
// Shift and Caps Lock applied, Enter is CR, so a LineDecoder cuts the
// codes out as from a serial scanner. Releases, and events other than
// keys (EV_SYN, EV_MSC scan codes), type nothing; a key without a
// character types a zero byte, which the decoder rejects.
type KeyReader struct {
	r      io.Reader
	layout EventLayout
	rec    []byte
	have   int // bytes of rec filled
	shift  [2]bool
	caps   bool
}

// NewKeyReader reads input events from r (an evdev device, or a recording
// in tests) in the given layout.
func NewKeyReader(r io.Reader, l EventLayout) *KeyReader {
	return &KeyReader{r: r, layout: l, rec: make([]byte, l)}
}

// ErrEventLayout: an input_event record was cut short when the device's
// stream ended.
var ErrEventLayout = errors.New("scanner: input stream ends inside an event record")

// Read fills p with typed bytes. It reads events until at least one byte
// is typed, or the underlying reader returns an error (passed on: a read
// deadline, the device gone). A record cut across reads is kept until
// its end arrives.
func (k *KeyReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n := 0
	for n == 0 {
		m, err := k.r.Read(k.rec[k.have:])
		k.have += m
		if k.have == len(k.rec) {
			k.have = 0
			ev, _ := DecodeEvent(k.rec, k.layout)
			clear(k.rec)
			if c, ok := k.key(ev); ok {
				p[n] = c
				n++
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) && k.have > 0 {
				err = fmt.Errorf("%w (%d of %d bytes)", ErrEventLayout, k.have, len(k.rec))
			}
			return n, err
		}
	}
	return n, nil
}

// key updates the modifier state with ev and returns the byte it types.
func (k *KeyReader) key(ev Event) (byte, bool) {
	if ev.Type != evKey {
		return 0, false
	}
	down := ev.Value != 0 // 1 press, 2 auto-repeat, 0 release
	switch ev.Code {
	case keyLeftShift:
		k.shift[0] = down
		return 0, false
	case keyRightShift:
		k.shift[1] = down
		return 0, false
	case keyCapsLock:
		if ev.Value == 1 {
			k.caps = !k.caps
		}
		return 0, false
	}
	if !down {
		return 0, false
	}
	if ev.Code == keyEnter || ev.Code == keyKPEnter {
		return '\r', true
	}
	if ev.Code >= uint16(len(keymap)) || keymap[ev.Code][0] == 0 {
		return unknownKey, true
	}
	pair := keymap[ev.Code]
	shifted := k.shift[0] || k.shift[1]
	if c := pair[0]; c >= 'a' && c <= 'z' && k.caps {
		shifted = !shifted
	}
	if shifted {
		return pair[1], true
	}
	return pair[0], true
}
