package idcard

import (
	"bytes"
	"errors"
	"fmt"
)

// Preamble starts every request and reply frame.
var preamble = [5]byte{0xAA, 0xAA, 0xAA, 0x96, 0x69}

// Frame layout sizes.
const (
	// HeaderLen is the preamble plus the two length bytes.
	HeaderLen = 7
	// MaxBodyLen bounds LEN. The longest reply (text, photo and 1024 bytes
	// of fingerprint) has LEN 2314; anything much larger is line noise.
	MaxBodyLen = 4096
	// minBodyLen is the shortest LEN: a request's CMD PARA CHK.
	minBodyLen = 3
)

// Command codes (CMD, PARA).
const (
	CmdSAM      = 0x10 // reset SAM (10 FF)
	CmdSAMStat  = 0x11 // SAM status (11 FF)
	CmdSAMID    = 0x12 // read SAM ID (12 FF)
	CmdCard     = 0x20 // find (20 01) / select (20 02)
	CmdRead     = 0x30 // read text+photo (30 01), +fingerprint (30 10), appended address (30 03)
	CmdSetBaud  = 0x60 // set baud rate (60 00..04)
	CmdSetFrame = 0x61 // set max RF frame size (61 FF n)

	ParaFind        = 0x01
	ParaSelect      = 0x02
	ParaReadText    = 0x01
	ParaReadFinger  = 0x10
	ParaReadAddress = 0x03
	ParaNone        = 0xFF
)

// Errors of the frame layer.
var (
	// ErrFrameChecksum: a frame arrived whose XOR checksum is wrong.
	ErrFrameChecksum = errors.New("idcard: frame checksum mismatch")
	// ErrFrameLength: a frame header carried an impossible length.
	ErrFrameLength = errors.New("idcard: frame length out of range")
	// ErrShortReply: a reply frame is too short for what it should carry.
	ErrShortReply = errors.New("idcard: reply too short")
	// ErrBadBaud: a baud rate the reader cannot be set to.
	ErrBadBaud = errors.New("idcard: unsupported baud rate")
)

// AppendFrame appends a whole frame carrying body (everything between LEN
// and CHK) to dst: preamble, big-endian LEN (body plus CHK), body, CHK.
func AppendFrame(dst, body []byte) []byte {
	n := len(body) + 1
	dst = append(dst, preamble[:]...)
	dst = append(dst, byte(n>>8), byte(n))
	dst = append(dst, body...)
	chk := byte(n>>8) ^ byte(n)
	for _, b := range body {
		chk ^= b
	}
	return append(dst, chk)
}

// Request returns the request frame for cmd, para and optional data.
func Request(cmd, para byte, data ...byte) []byte {
	body := make([]byte, 0, 2+len(data))
	body = append(body, cmd, para)
	body = append(body, data...)
	return AppendFrame(make([]byte, 0, HeaderLen+len(body)+1), body)
}

// ResetSAM builds "reset SAM" (10 FF).
func ResetSAM() []byte { return Request(CmdSAM, ParaNone) }

// SAMStatus builds "SAM status" (11 FF).
func SAMStatus() []byte { return Request(CmdSAMStat, ParaNone) }

// SAMID builds "read SAM ID" (12 FF).
func SAMID() []byte { return Request(CmdSAMID, ParaNone) }

// FindCard builds "find card" (20 01).
func FindCard() []byte { return Request(CmdCard, ParaFind) }

// SelectCard builds "select card" (20 02).
func SelectCard() []byte { return Request(CmdCard, ParaSelect) }

// ReadText builds "read text + photo" (30 01).
func ReadText() []byte { return Request(CmdRead, ParaReadText) }

// ReadTextFinger builds "read text + photo + fingerprint" (30 10).
func ReadTextFinger() []byte { return Request(CmdRead, ParaReadFinger) }

// ReadAddress builds "read newest appended address" (30 03).
func ReadAddress() []byte { return Request(CmdRead, ParaReadAddress) }

// SetMaxRFFrame builds "set max RF frame size" (61 FF n).
func SetMaxRFFrame(size byte) []byte { return Request(CmdSetFrame, ParaNone, size) }

// baudCodes are the PARA values of "set baud" in order.
var baudCodes = [...]int{115200, 57600, 38400, 19200, 9600}

// BaudCode returns the PARA of "set baud" for a rate.
func BaudCode(baud int) (byte, error) {
	for i, b := range baudCodes {
		if b == baud {
			return byte(i), nil
		}
	}
	return 0, fmt.Errorf("idcard: set baud %d: %w", baud, ErrBadBaud)
}

// BaudFromCode is the inverse of BaudCode.
func BaudFromCode(code byte) (int, error) {
	if int(code) >= len(baudCodes) {
		return 0, fmt.Errorf("idcard: baud code %#02x: %w", code, ErrBadBaud)
	}
	return baudCodes[code], nil
}

// SetBaud builds "set baud" (60 00..04) for one of 115200, 57600, 38400,
// 19200 or 9600.
func SetBaud(baud int) ([]byte, error) {
	c, err := BaudCode(baud)
	if err != nil {
		return nil, err
	}
	return Request(CmdSetBaud, c), nil
}

// Reply is one parsed reply frame.
type Reply struct {
	SW1, SW2 byte
	SW3      Status
	Data     []byte // between SW3 and CHK
}

// Err returns nil when SW3 says success (90 or 9F) and otherwise a
// *StatusError for op that wraps the status's sentinel.
func (r Reply) Err(op string) error { return r.SW3.errFor(op) }

// ParseReply interprets a frame body (from Decoder.Next) as a reply.
func ParseReply(body []byte) (Reply, error) {
	if len(body) < 3 {
		return Reply{}, fmt.Errorf("idcard: parse reply of %d bytes: %w", len(body), ErrShortReply)
	}
	return Reply{SW1: body[0], SW2: body[1], SW3: Status(body[2]), Data: body[3:]}, nil
}

// EncodeReply builds a whole reply frame (used by simulated readers and
// tests).
func EncodeReply(sw1, sw2 byte, sw3 Status, data []byte) []byte {
	body := make([]byte, 0, 3+len(data))
	body = append(body, sw1, sw2, byte(sw3))
	body = append(body, data...)
	return AppendFrame(make([]byte, 0, HeaderLen+len(body)+1), body)
}

// Decoder cuts frames out of a byte stream fed in arbitrary pieces. It
// skips anything before a preamble, waits for split frames to complete,
// checks LEN and CHK, and after a bad frame resumes the search one byte
// past the bad frame's preamble, so a real frame hidden inside garbage is
// still found. Consumed bytes are zeroed: card data does not linger in its
// buffer.
//
// The zero value is ready to use. A Decoder is not safe for concurrent use.
type Decoder struct {
	// Limit, when positive and below MaxBodyLen, is the largest LEN
	// accepted. A session sets it to what the pending command can answer
	// with, so a stray preamble with a huge LEN does not stall the line.
	Limit int

	buf     []byte
	skipped uint64
}

// Write appends stream bytes. It never fails.
func (d *Decoder) Write(p []byte) (int, error) {
	d.buf = append(d.buf, p...)
	return len(p), nil
}

// Skipped returns how many bytes have been discarded as noise so far.
func (d *Decoder) Skipped() uint64 { return d.skipped }

// Buffered returns how many bytes wait for the rest of their frame.
func (d *Decoder) Buffered() int { return len(d.buf) }

// Reset drops (and zeroes) everything buffered.
func (d *Decoder) Reset() {
	clear(d.buf)
	d.buf = d.buf[:0]
}

// drop removes the first n buffered bytes.
func (d *Decoder) drop(n int) {
	m := copy(d.buf, d.buf[n:])
	clear(d.buf[m:])
	d.buf = d.buf[:m]
}

// Next returns the body (LEN's bytes minus CHK) of the next complete
// frame, as a fresh slice the caller owns. It returns (nil, nil) when more
// bytes are needed. A frame with a wrong checksum or impossible length is
// discarded and reported as ErrFrameChecksum or ErrFrameLength; calling
// Next again continues with the bytes after it.
func (d *Decoder) Next() ([]byte, error) {
	i := bytes.Index(d.buf, preamble[:])
	if i < 0 {
		// Keep a possible partial preamble at the end.
		keep := min(len(d.buf), len(preamble)-1)
		for keep > 0 && !bytes.HasPrefix(preamble[:], d.buf[len(d.buf)-keep:]) {
			keep--
		}
		n := len(d.buf) - keep
		d.skipped += uint64(n)
		d.drop(n)
		return nil, nil
	}
	if i > 0 {
		d.skipped += uint64(i)
		d.drop(i)
	}
	if len(d.buf) < HeaderLen {
		return nil, nil
	}
	n := int(d.buf[5])<<8 | int(d.buf[6])
	limit := MaxBodyLen
	if d.Limit > 0 && d.Limit < limit {
		limit = d.Limit
	}
	if n < minBodyLen || n > limit {
		d.skipped++
		d.drop(1)
		return nil, fmt.Errorf("idcard: decode frame: LEN %d: %w", n, ErrFrameLength)
	}
	if len(d.buf) < HeaderLen+n {
		return nil, nil
	}
	var chk byte
	for _, b := range d.buf[5 : HeaderLen+n-1] {
		chk ^= b
	}
	if got := d.buf[HeaderLen+n-1]; got != chk {
		d.skipped++
		d.drop(1)
		return nil, fmt.Errorf("idcard: decode frame: CHK %#02x, want %#02x: %w", got, chk, ErrFrameChecksum)
	}
	body := make([]byte, n-1)
	copy(body, d.buf[HeaderLen:HeaderLen+n-1])
	d.drop(HeaderLen + n)
	return body, nil
}
