package outbox

import (
	"testing"
	"time"
)

// FuzzDecodeStored feeds arbitrary bytes to the decoders of what the
// outbox reads back from disk: they must fail cleanly, never panic.
func FuzzDecodeStored(f *testing.F) {
	f.Add(queueEntry{enqueued: time.Unix(1, 2), next: time.Unix(3, 4), attempts: 5, parked: true}.encode())
	f.Add([]byte(`{"tx":{"id":"a","kiosk_id":"k","service_id":"s"},"state":"pending","sealed":"AAAA"}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := decodeQueueEntry(b); err == nil && b[20] <= 1 {
			if got := e.encode(); string(got) != string(b) {
				t.Fatalf("round trip %x -> %x", b, got)
			}
		}
		if r, err := decodeRecord(b); err == nil && r == nil {
			t.Fatal("nil record without error")
		}
		s, _ := newSealer(testKey())
		if _, err := s.open(b, "id"); err == nil {
			t.Fatal("forged ciphertext opened")
		}
	})
}
