package printersim

import (
	"errors"
	"fmt"
)

// ErrIncomplete means the bytes end inside a command: wait for more.
var ErrIncomplete = errors.New("printersim: incomplete command")

// Op is a decoded command.
type Op uint8

const (
	OpText      Op = iota // printable bytes (ASCII or GB18030)
	OpLF                  // 0A: print the line and feed
	OpCR                  // 0D
	OpInit                // ESC @
	OpFeed                // ESC d n: print and feed n lines
	OpFeedDots            // ESC J n: print and feed n dots
	OpBold                // ESC E n
	OpAlign               // ESC a n
	OpPrintMode           // ESC ! n
	OpSize                // GS ! n
	OpFSOn                // FS &
	OpFSOff               // FS .
	OpQRModel             // GS ( k … 31 41 n
	OpQRSize              // GS ( k … 31 43 n
	OpQREC                // GS ( k … 31 45 n
	OpQRStore             // GS ( k … 31 50 30 d…
	OpQRPrint             // GS ( k … 31 51 30
	OpRaster              // GS v 0 m xL xH yL yH d…
	OpCut                 // GS V m [n]
	OpStatus              // DLE EOT n: real-time status request
	OpIgnored             // a known command with no effect on the paper
	OpUnknown             // a byte that starts no command
)

// Cmd is one command.
type Cmd struct {
	Op   Op
	N    int    // the parameter (feed lines, size byte, align, status n, cut feed)
	Mode byte   // raster mode; cut function
	W, H int    // raster: bytes per row, rows
	Data []byte // text bytes, QR data, raster bits (aliases the input)
}

// Limits that keep hostile input from asking for absurd buffers.
const (
	maxRasterBytes = 1 << 20
	maxQRStore     = 7089 + 3
)

// Next decodes the command at the start of b and returns it with its
// length. It returns ErrIncomplete when b ends inside a command; any other
// byte sequence decodes (unknown bytes as OpUnknown), so a stream never
// gets stuck.
func Next(b []byte) (Cmd, int, error) {
	if len(b) == 0 {
		return Cmd{}, 0, ErrIncomplete
	}
	c := b[0]
	if c >= 0x20 && c != 0x7f {
		n := 1
		for n < len(b) && b[n] >= 0x20 && b[n] != 0x7f {
			n++
		}
		return Cmd{Op: OpText, Data: b[:n]}, n, nil
	}
	need := func(n int) error {
		if len(b) < n {
			return ErrIncomplete
		}
		return nil
	}
	switch c {
	case 0x0a:
		return Cmd{Op: OpLF}, 1, nil
	case 0x0d:
		return Cmd{Op: OpCR}, 1, nil
	case 0x1b: // ESC
		if err := need(2); err != nil {
			return Cmd{}, 0, err
		}
		switch b[1] {
		case '@':
			return Cmd{Op: OpInit}, 2, nil
		case '2', '<':
			return Cmd{Op: OpIgnored}, 2, nil
		case 'd', 'J', 'E', 'a', '!', 'G', '-', 't', 'M', '3', 'R', 'V', '{', 'c', 'U', ' ', 'r', 'L', 'S', 'T':
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			n := int(b[2])
			switch b[1] {
			case 'd':
				return Cmd{Op: OpFeed, N: n}, 3, nil
			case 'J':
				return Cmd{Op: OpFeedDots, N: n}, 3, nil
			case 'E':
				return Cmd{Op: OpBold, N: n & 1}, 3, nil
			case 'a':
				return Cmd{Op: OpAlign, N: n}, 3, nil
			case '!':
				return Cmd{Op: OpPrintMode, N: n}, 3, nil
			}
			return Cmd{Op: OpIgnored}, 3, nil
		case '$', '\\':
			if err := need(4); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 4, nil
		case 'p':
			if err := need(5); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 5, nil
		}
		return Cmd{Op: OpUnknown}, 2, nil
	case 0x1c: // FS
		if err := need(2); err != nil {
			return Cmd{}, 0, err
		}
		switch b[1] {
		case '&':
			return Cmd{Op: OpFSOn}, 2, nil
		case '.':
			return Cmd{Op: OpFSOff}, 2, nil
		case 'C', '!', '-', 'W':
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 3, nil
		}
		return Cmd{Op: OpUnknown}, 2, nil
	case 0x1d: // GS
		if err := need(2); err != nil {
			return Cmd{}, 0, err
		}
		switch b[1] {
		case '!':
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpSize, N: int(b[2])}, 3, nil
		case 'V':
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			m := b[2]
			if m == 0x41 || m == 0x42 || m == 0x61 || m == 0x62 || m == 0x67 || m == 0x68 {
				if err := need(4); err != nil {
					return Cmd{}, 0, err
				}
				return Cmd{Op: OpCut, Mode: m, N: int(b[3])}, 4, nil
			}
			return Cmd{Op: OpCut, Mode: m}, 3, nil
		case 'v':
			if err := need(8); err != nil {
				return Cmd{}, 0, err
			}
			if b[2] != '0' {
				return Cmd{Op: OpUnknown}, 3, nil
			}
			w := int(b[4]) | int(b[5])<<8
			h := int(b[6]) | int(b[7])<<8
			size := w * h
			if size > maxRasterBytes {
				return Cmd{Op: OpUnknown}, 8, nil
			}
			if err := need(8 + size); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpRaster, Mode: b[3], W: w, H: h, Data: b[8 : 8+size]}, 8 + size, nil
		case '(':
			if err := need(5); err != nil {
				return Cmd{}, 0, err
			}
			l := int(b[3]) | int(b[4])<<8
			if b[2] != 'k' || l > maxQRStore {
				return Cmd{Op: OpUnknown}, 5, nil
			}
			if err := need(5 + l); err != nil {
				return Cmd{}, 0, err
			}
			return qrCmd(b[5 : 5+l]), 5 + l, nil
		case 'a', 'r', 'B', 'H', 'h', 'w', 'f', 'b', 'I':
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 3, nil
		case 'L', 'W', 'P':
			if err := need(4); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 4, nil
		}
		return Cmd{Op: OpUnknown}, 2, nil
	case 0x10: // DLE
		if err := need(2); err != nil {
			return Cmd{}, 0, err
		}
		switch b[1] {
		case 0x04:
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpStatus, N: int(b[2])}, 3, nil
		case 0x05:
			if err := need(3); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 3, nil
		case 0x14:
			if err := need(5); err != nil {
				return Cmd{}, 0, err
			}
			return Cmd{Op: OpIgnored}, 5, nil
		}
		return Cmd{Op: OpUnknown}, 1, nil
	}
	return Cmd{Op: OpUnknown}, 1, nil
}

// qrCmd decodes the body of a GS ( k function (cn fn params…).
func qrCmd(p []byte) Cmd {
	if len(p) < 2 || p[0] != 0x31 {
		return Cmd{Op: OpIgnored}
	}
	arg := func(i int) int {
		if i < len(p) {
			return int(p[i])
		}
		return 0
	}
	switch p[1] {
	case 0x41:
		return Cmd{Op: OpQRModel, N: arg(2)}
	case 0x43:
		return Cmd{Op: OpQRSize, N: arg(2)}
	case 0x45:
		return Cmd{Op: OpQREC, N: arg(2)}
	case 0x50:
		if len(p) < 3 {
			return Cmd{Op: OpIgnored}
		}
		return Cmd{Op: OpQRStore, Data: p[3:]}
	case 0x51:
		return Cmd{Op: OpQRPrint}
	}
	return Cmd{Op: OpIgnored}
}

func (o Op) String() string {
	names := [...]string{"text", "lf", "cr", "init", "feed", "feed-dots", "bold", "align", "print-mode",
		"size", "fs-on", "fs-off", "qr-model", "qr-size", "qr-ec", "qr-store", "qr-print", "raster", "cut",
		"status", "ignored", "unknown"}
	if int(o) < len(names) {
		return names[o]
	}
	return fmt.Sprintf("op(%d)", o)
}
