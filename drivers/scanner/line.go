package scanner

import (
	"bytes"
	"errors"
	"fmt"
)

// DefaultMaxLen bounds a code: the longest the kiosk uses is a 512-byte
// certificate token, and a receipt's QR address is far shorter.
const DefaultMaxLen = 1024

// Errors of a line that is not a code. The decoder goes on with the next
// line after either.
var (
	// ErrTooLong: no terminator came within the length bound (a scanner
	// set to the wrong suffix, or noise on the line). Everything up to
	// the next terminator is dropped.
	ErrTooLong = errors.New("scanner: code too long")
	// ErrGarbage: the line holds a byte no code has (a control byte,
	// anything outside printable ASCII): a wrong baud rate, a scanner
	// sending in another keyboard layout or code page.
	ErrGarbage = errors.New("scanner: not a code")
)

// LineDecoder cuts codes out of a scanner's byte stream: each code ends
// with a terminator, CR, LF or CRLF by default (empty lines are skipped,
// so CRLF ends one code), or Suffix when it is set. A code is printable
// ASCII (0x20–0x7E) and at most Max bytes long. Feed it with Write and
// take codes with Next; the zero value is ready with the defaults.
type LineDecoder struct {
	// Max is the longest code (0: DefaultMaxLen).
	Max int
	// Suffix is the terminator the scanner is set to send after each
	// code, for scanners configured with one other than CR/LF (e.g. a
	// tab or ETX). Empty means CR, LF or CRLF.
	Suffix []byte

	buf      []byte
	dropping bool // an over-long code is being skipped up to its terminator
	dropped  uint64
}

// Write appends bytes read from the scanner.
func (d *LineDecoder) Write(p []byte) {
	d.buf = append(d.buf, p...)
}

// Dropped returns how many bytes over-long codes lost.
func (d *LineDecoder) Dropped() uint64 { return d.dropped }

// Reset forgets a partial line (after the line was reopened).
func (d *LineDecoder) Reset() {
	clear(d.buf)
	d.buf, d.dropping = d.buf[:0], false
}

func (d *LineDecoder) max() int {
	if d.Max > 0 {
		return d.Max
	}
	return DefaultMaxLen
}

// terminator finds the first terminator in d.buf: its index and length,
// or -1.
func (d *LineDecoder) terminator() (int, int) {
	if len(d.Suffix) > 0 {
		return bytes.Index(d.buf, d.Suffix), len(d.Suffix)
	}
	return bytes.IndexAny(d.buf, "\r\n"), 1
}

// Next returns the next complete code, or nil when none is complete yet.
// A line that is too long or holds a byte no code has returns an error
// (ErrTooLong, ErrGarbage, wrapped with what was wrong but never the
// line's content); call Next again for what follows it. The returned
// slice is the caller's.
func (d *LineDecoder) Next() ([]byte, error) {
	for {
		i, n := d.terminator()
		if i < 0 {
			if len(d.buf) > d.max() {
				// Keep what could still begin a suffix, drop the rest.
				keep := 0
				if len(d.Suffix) > 1 {
					keep = len(d.Suffix) - 1
				}
				lost := len(d.buf) - keep
				d.dropped += uint64(lost)
				d.consume(lost)
				if !d.dropping {
					d.dropping = true
					return nil, fmt.Errorf("%w: no end of code within %d bytes", ErrTooLong, d.max())
				}
			}
			return nil, nil
		}
		line := d.buf[:i]
		if d.dropping {
			// The tail of an over-long code: gone, and the stream is in
			// step again after its terminator.
			d.dropped += uint64(i)
			d.consume(i + n)
			d.dropping = false
			continue
		}
		if len(line) == 0 {
			d.consume(n)
			continue
		}
		if len(line) > d.max() {
			d.dropped += uint64(len(line))
			d.consume(i + n)
			return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, len(line), d.max())
		}
		for j, c := range line {
			if c < 0x20 || c > 0x7e {
				d.consume(i + n)
				return nil, fmt.Errorf("%w: byte %d of %d is 0x%02x", ErrGarbage, j+1, i, c)
			}
		}
		code := bytes.Clone(line)
		d.consume(i + n)
		return code, nil
	}
}

// consume drops the first n bytes, zeroing them (a payment code passes
// through here).
func (d *LineDecoder) consume(n int) {
	clear(d.buf[:n])
	rest := copy(d.buf, d.buf[n:])
	clear(d.buf[rest:])
	d.buf = d.buf[:rest]
}
