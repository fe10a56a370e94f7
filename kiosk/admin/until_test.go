package admin

import (
	"errors"
	"testing"
	"time"
)

func TestParseUntil(t *testing.T) {
	now := time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC) // 10:00 in the county
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"", time.Time{}, false},
		{"15:30", time.Date(2026, 11, 26, 15, 30, 0, 0, CountyTime), false},
		{"09:00", time.Date(2026, 11, 27, 9, 0, 0, 0, CountyTime), false}, // passed today: tomorrow
		{"2026-11-28 08:30", time.Date(2026, 11, 28, 8, 30, 0, 0, CountyTime), false},
		{"2026-11-28T08:30:00+08:00", time.Date(2026, 11, 28, 8, 30, 0, 0, CountyTime), false},
		{"25:00", time.Time{}, true},
		{"soon", time.Time{}, true},
	} {
		got, err := ParseUntil(tc.in, now)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("ParseUntil(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Errorf("%q: %v is not a bad request", tc.in, err)
		}
	}
}
