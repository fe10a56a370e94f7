package txn

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var codeRE = regexp.MustCompile(`^[2-9A-HJKMNP-TV-Z]{8}$`)

func TestTrackingNo(t *testing.T) {
	at := time.Date(2026, 11, 26, 17, 30, 0, 0, time.UTC)
	id := NewID(at)
	got := TrackingNo("ZM-HALL01-K01", id)
	if !codeRE.MatchString(got) || strings.ContainsAny(got, "01ILOU") {
		t.Fatalf("TrackingNo = %q", got)
	}
	if again := TrackingNo("ZM-HALL01-K01", id); again != got {
		t.Fatalf("not deterministic: %q then %q", got, again)
	}
	if other := TrackingNo("ZM-HALL01-K02", id); other == got {
		t.Fatal("another kiosk got the same number")
	}
	if n := TrackingNo("k", "not-an-id"); !codeRE.MatchString(n) || n != TrackingNo("k", "not-an-id") {
		t.Fatalf("foreign id: %q", n)
	}
}

// A kiosk never gives two residents the same code: one transaction every
// second for a day, and one every hour for 30 years.
func TestTrackingNoUniquePerKiosk(t *testing.T) {
	for _, tc := range []struct {
		name  string
		step  time.Duration
		count int
	}{
		{"every second for a day", time.Second, 86400},
		{"every hour for 30 years", time.Hour, 30 * 365 * 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(map[string]time.Time, tc.count)
			at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; i < tc.count; i++ {
				n := TrackingNo("ZM-K07", NewID(at))
				if prev, ok := seen[n]; ok {
					t.Fatalf("%s given at %s and again at %s", n, prev, at)
				}
				seen[n] = at
				at = at.Add(tc.step)
			}
		})
	}
}

// Many kiosks at the same moment: codes look unrelated.
func TestTrackingNoAcrossKiosks(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	id := NewID(at)
	seen := map[string]bool{}
	for k := range 2000 {
		n := TrackingNo("ZM-K"+string(rune('A'+k%26))+strings.Repeat("9", k/26), id)
		if seen[n] {
			t.Fatalf("kiosk %d repeats %s", k, n)
		}
		seen[n] = true
	}
}

func TestValidAndParseTrackingNo(t *testing.T) {
	for _, tc := range []struct {
		in, canon string
		ok        bool
	}{
		{"K7QH2M4X", "K7QH2M4X", true},
		{"k7qh 2m4x", "K7QH2M4X", true},
		{"K7QH-2M4X", "K7QH2M4X", true},
		{"ZM20261126K7QH2M4X", "ZM20261126K7QH2M4X", true},  // earlier builds
		{"ZM20261126 K7QL2M4U", "ZM20261126K7QL2M4U", true}, // their alphabet had L and U
		{"K7QH2M4O", "K7QH2M4O", false},                     // O reads as 0
		{"K7QL2M4X", "K7QL2M4X", false},                     // L reads as 1
		{"K7QH2M4", "K7QH2M4", false},
		{"ZX20261126K7QH2M4X", "ZX20261126K7QH2M4X", false},
		{"Q-1", "Q1", false},
	} {
		got, ok := ParseTrackingNo(tc.in)
		if got != tc.canon || ok != tc.ok {
			t.Errorf("ParseTrackingNo(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.canon, tc.ok)
		}
	}
	for in, want := range map[string]string{
		"K7QH2M4X":           "K7QH 2M4X",
		"ZM20261126K7QH2M4X": "ZM20261126 K7QH2M4X",
		"Q-1":                "Q-1",
	} {
		if got := GroupTracking(in); got != want {
			t.Errorf("GroupTracking(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseTrackingNo(f *testing.F) {
	for _, s := range []string{"K7QH 2M4X", "ZM20261126K7QH2M4X", "", "ｋ７"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseTrackingNo(s)
		if ok != ValidTrackingNo(c) {
			t.Fatalf("%q: ok %v but ValidTrackingNo(%q) = %v", s, ok, c, !ok)
		}
		if ok {
			if again, ok2 := ParseTrackingNo(GroupTracking(c)); !ok2 || again != c {
				t.Fatalf("%q does not read back from %q", c, GroupTracking(c))
			}
		}
	})
}
