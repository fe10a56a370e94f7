package daemon

import (
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
)

func TestCurrentRejection(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev := func(kind, reason string) catalog.Event {
		at = at.Add(time.Minute)
		return catalog.Event{Time: at, Kind: kind, Reason: reason}
	}
	for _, tc := range []struct {
		name   string
		events []catalog.Event
		want   string
	}{
		{"nothing yet", nil, ""},
		{"applied only", []catalog.Event{ev(catalog.EventApplied, "")}, ""},
		{"refused", []catalog.Event{ev(catalog.EventApplied, ""), ev(catalog.EventRejected, "signature: no trusted key")}, "signature: no trusted key"},
		{"the last refusal counts", []catalog.Event{ev(catalog.EventRejected, "expired"), ev(catalog.EventRejected, "rollback")}, "rollback"},
		{"made good by a staged list", []catalog.Event{ev(catalog.EventRejected, "rollback"), ev(catalog.EventStaged, "")}, ""},
		{"made good by an applied list", []catalog.Event{ev(catalog.EventRejected, "rollback"), ev(catalog.EventApplied, "")}, ""},
		{"a fallback at start", []catalog.Event{ev(catalog.EventApplied, ""), ev(catalog.EventFallback, "stored list: bad signature")}, "stored list: bad signature"},
		{"a rollback event is no refusal", []catalog.Event{ev(catalog.EventRejected, "size"), ev(catalog.EventRollback, "")}, "size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := currentRejection(tc.events); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
