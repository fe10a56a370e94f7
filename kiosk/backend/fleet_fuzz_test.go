package backend

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeFleet: any bytes give a view or an error, never a panic, and
// a view accepted once is accepted again after encoding, unchanged.
func FuzzDecodeFleet(f *testing.F) {
	f.Add([]byte(`{"time":"2026-03-02T09:30:00Z","kiosks":[]}`))
	f.Add([]byte(`{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"cg-01","hall_id":"chengguan","software_version":"v1","catalog_version":42,"catalog_rejection":"signature","devices_not_online":[{"name":"printer","state":"userError"}],"outbox_depth":2,"outbox_oldest_age":310,"heartbeat_interval":60,"last_seen":"2026-03-02T09:29:40Z"}]}`))
	f.Add([]byte(`{"time":"2026-03-02T09:30:00Z","kiosks":[{"kiosk_id":"a","last_seen":"2026-03-02T09:29:00Z","outbox_oldest_age":1e300}]}`))
	f.Add([]byte(`{"time":"0001-01-01T00:00:00Z","kiosks":null}`))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := DecodeFleet(b)
		if err != nil {
			return
		}
		for _, k := range v.Kiosks {
			if k.KioskID == "" || k.LastSeen.IsZero() || k.OutboxDepth < 0 || k.DevicesNotOnline == nil {
				t.Fatalf("accepted %+v", k)
			}
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		w, err := DecodeFleet(again)
		if err != nil {
			t.Fatalf("re-decode %s: %v", again, err)
		}
		if a, b := string(again), mustMarshal(t, w); a != b {
			t.Fatalf("round trip changed the view:\n%s\n%s", a, b)
		}
	})
}

func mustMarshal(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
