// Package money is the kiosk's one representation of an amount of money:
// whole fen (分, 0.01 yuan) in an integer, never a float, so an amount the
// backend names is shown, printed and compared to the fen.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Fen is an amount of renminbi in fen (0.01 yuan).
type Fen int64

// MaxFen bounds every amount the kiosk accepts from the backend or parses:
// ¥1,000,000.00, far above any fee, contribution or fine paid at a kiosk,
// and far below where formatting could overflow.
const MaxFen Fen = 100_000_000

// Yuan formats f as yuan with two decimals and no sign or unit: "12.50".
// A negative amount (a refund line) starts with "-".
func (f Fen) Yuan() string {
	neg := f < 0
	u := uint64(f)
	if neg {
		u = uint64(-(f + 1)) + 1 // safe for the most negative value
	}
	s := strconv.FormatUint(u/100, 10) + "." + fmt.Sprintf("%02d", u%100)
	if neg {
		return "-" + s
	}
	return s
}

// String formats f for screens: "¥12.50" ("-¥12.50" for a refund).
func (f Fen) String() string {
	if f < 0 {
		return "-¥" + strings.TrimPrefix(f.Yuan(), "-")
	}
	return "¥" + f.Yuan()
}

// Receipt formats f for printed slips, where the yen sign prints poorly on
// some thermal printers' fonts: "12.50元".
func (f Fen) Receipt() string { return f.Yuan() + "元" }

// ErrBadAmount: the text is not an amount of yuan the kiosk accepts.
var ErrBadAmount = errors.New("money: not an amount of yuan")

// ParseYuan reads an amount of yuan written "12", "12.5" or "12.50" (no
// sign, no unit, no grouping, at most two decimals, at most MaxFen).
func ParseYuan(s string) (Fen, error) {
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 9 || len(frac) > 2 || (dot && frac == "") {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, clip(s))
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, fmt.Errorf("%w: %q", ErrBadAmount, clip(s))
			}
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64) // at most 9 digits: cannot fail
	var fr int64
	if frac != "" {
		fr, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			fr *= 10
		}
	}
	f := Fen(w*100 + fr)
	if f > MaxFen {
		return 0, fmt.Errorf("%w: %q is over %s", ErrBadAmount, clip(s), MaxFen)
	}
	return f, nil
}

func clip(s string) string {
	if len(s) > 32 {
		s = s[:32] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
