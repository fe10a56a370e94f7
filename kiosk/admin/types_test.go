package admin

import (
	"encoding/json"
	"testing"
	"time"
)

// TestPrintJobJSON: the print job's wire names stay what kioskctl and
// scripts already read, with printer, pages and title beside them.
func TestPrintJobJSON(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		job  PrintJob
		want map[string]any
		none []string
	}{
		{"receipt", PrintJob{ID: 3, Printer: PrinterReceipt, State: "incomplete", Created: at, Updated: at, Bytes: 812, Sent: 300, Attempts: 1, Error: "paper out"},
			map[string]any{"id": 3.0, "printer": "receipt", "state": "incomplete", "bytes": 812.0, "sent": 300.0, "attempts": 1.0, "error": "paper out",
				"created": "2026-12-02T09:30:00Z", "updated": "2026-12-02T09:30:00Z"},
			[]string{"pages", "title"}},
		{"a4", PrintJob{ID: A4JobBase + 7, Printer: PrinterA4, State: "held", Created: at, Updated: at, Bytes: 90210, Pages: 2, Title: "户籍证明"},
			map[string]any{"id": 1000007.0, "printer": "a4", "state": "held", "pages": 2.0, "title": "户籍证明", "bytes": 90210.0, "sent": 0.0, "attempts": 0.0},
			[]string{"error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.job)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (%s)", k, got[k], v, b)
				}
			}
			for _, k := range tc.none {
				if _, ok := got[k]; ok {
					t.Errorf("%s present: %s", k, b)
				}
			}
		})
	}
	for _, tc := range []struct {
		id   int64
		want bool
	}{{1, false}, {A4JobBase, false}, {A4JobBase + 1, true}, {A4JobBase + 123456, true}} {
		if IsA4Job(tc.id) != tc.want {
			t.Errorf("IsA4Job(%d) = %v", tc.id, !tc.want)
		}
	}
}
