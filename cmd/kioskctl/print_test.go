package main

import (
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
)

// TestPrintJobsTable: receipts and A4 documents share one table; a
// receipt shows the bytes sent, an A4 document its pages and title.
func TestPrintJobsTable(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, time.Local)
	for _, tc := range []struct {
		name string
		job  admin.PrintJob
		want []string
	}{
		{"receipt", admin.PrintJob{ID: 3, Printer: admin.PrinterReceipt, State: "incomplete", Attempts: 1, Sent: 300, Bytes: 812, Updated: at, Error: "paper out"},
			[]string{"3", "receipt", "incomplete", "300/812", "12-02 09:30:00", "paper out"}},
		{"receipt from an older kioskd", admin.PrintJob{ID: 4, State: "done", Sent: 10, Bytes: 10, Updated: at},
			[]string{"4", "receipt", "done", "10/10"}},
		{"a4", admin.PrintJob{ID: admin.A4JobBase + 7, Printer: admin.PrinterA4, State: "incomplete", Attempts: 2, Pages: 3, Title: "户籍证明", Updated: at, Error: "cups: printer out of paper"},
			[]string{"1000007", "a4", "incomplete", "3", "户籍证明", "cups: printer out of paper"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			writeJobs(&b, []admin.PrintJob{tc.job})
			lines := strings.Split(strings.TrimSpace(b.String()), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "JOB") || !strings.Contains(lines[0], "PRINTER") || !strings.Contains(lines[0], "PAGES") {
				t.Fatalf("table:\n%s", b.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(lines[1], w) {
					t.Errorf("row %q lacks %q", lines[1], w)
				}
			}
		})
	}
}
