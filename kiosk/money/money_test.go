package money

import (
	"errors"
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		f                     Fen
		yuan, screen, receipt string
	}{
		{0, "0.00", "¥0.00", "0.00元"},
		{1, "0.01", "¥0.01", "0.01元"},
		{1250, "12.50", "¥12.50", "12.50元"},
		{50000, "500.00", "¥500.00", "500.00元"},
		{81240, "812.40", "¥812.40", "812.40元"},
		{-1250, "-12.50", "-¥12.50", "-12.50元"},
		{MaxFen, "1000000.00", "¥1000000.00", "1000000.00元"},
		{math.MinInt64, "-92233720368547758.08", "-¥92233720368547758.08", "-92233720368547758.08元"},
	} {
		if got := tc.f.Yuan(); got != tc.yuan {
			t.Errorf("%d.Yuan() = %q, want %q", tc.f, got, tc.yuan)
		}
		if got := tc.f.String(); got != tc.screen {
			t.Errorf("%d.String() = %q, want %q", tc.f, got, tc.screen)
		}
		if got := tc.f.Receipt(); got != tc.receipt {
			t.Errorf("%d.Receipt() = %q, want %q", tc.f, got, tc.receipt)
		}
	}
}

func TestParseYuan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Fen
		ok   bool
	}{
		{"12", 1200, true},
		{"12.5", 1250, true},
		{"12.50", 1250, true},
		{"0.01", 1, true},
		{"1000000", MaxFen, true},
		{"1000000.01", 0, false},
		{"", 0, false},
		{".5", 0, false},
		{"12.", 0, false},
		{"12.505", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1,000", 0, false},
		{"¥12", 0, false},
		{"12元", 0, false},
		{"１２", 0, false},
		{"9999999999", 0, false},
	} {
		got, err := ParseYuan(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadAmount) {
			t.Errorf("ParseYuan(%q) error %v is not ErrBadAmount", tc.in, err)
		}
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"12.50", "0", "1000000", "1.", "abc", "99999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseYuan(s)
		if err != nil {
			return
		}
		if v < 0 || v > MaxFen {
			t.Fatalf("ParseYuan(%q) = %d out of range", s, v)
		}
		back, err := ParseYuan(v.Yuan())
		if err != nil || back != v {
			t.Fatalf("round trip of %q: %q → %d, %v", s, v.Yuan(), back, err)
		}
	})
}
