package txn

import (
	"regexp"
	"testing"
	"time"
)

func TestTrackingNo(t *testing.T) {
	at := time.Date(2026, 11, 26, 17, 30, 0, 0, time.UTC) // 01:30 on the 27th in China
	id := NewID(at)
	got := TrackingNo("ZM-HALL01-K01", id)
	if !regexp.MustCompile(`^ZM20261127[2-9A-HJ-NP-Z]{8}$`).MatchString(got) {
		t.Fatalf("TrackingNo = %q", got)
	}
	if again := TrackingNo("ZM-HALL01-K01", id); again != got {
		t.Fatalf("not deterministic: %q then %q", got, again)
	}
	if other := TrackingNo("ZM-HALL01-K02", id); other == got {
		t.Fatal("another kiosk got the same number")
	}
	if n := TrackingNo("k", "not-an-id"); n[:10] != "ZM00000000" || len(n) != 18 {
		t.Fatalf("foreign id: %q", n)
	}
	seen := map[string]bool{}
	for range 10000 {
		n := TrackingNo("k", NewID(at))
		if seen[n] {
			t.Fatalf("collision %s", n)
		}
		seen[n] = true
	}
}
