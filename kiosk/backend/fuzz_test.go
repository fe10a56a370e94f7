package backend

import (
	"errors"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/txn"
)

func FuzzDecodeSubmitReply(f *testing.F) {
	f.Add(201, "application/json", []byte(`{"tx_id":"a","outcome":"queued","tracking_no":"ZM2026112600000000"}`))
	f.Add(200, "application/json; charset=utf-8", []byte(`{"outcome":"completed","tracking_no":"T","lines":[{"label":"a","value":"b"}],"document":["x"]}`))
	f.Add(400, "application/problem+json", []byte(`{"status":400,"reason":"validation","detail":"x"}`))
	f.Add(503, "text/html", []byte(`<html>`))
	f.Add(200, "text/plain", []byte(`{}`))
	f.Add(200, "application/json", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		res, err := DecodeSubmitReply("submit", status, ct, body, time.Second)
		if err == nil {
			if res.Outcome != txn.Completed && res.Outcome != txn.Queued {
				t.Fatalf("accepted outcome %q", res.Outcome)
			}
			if res.TrackingNo == "" {
				t.Fatal("accepted empty tracking number")
			}
			if status != 200 && status != 201 {
				t.Fatalf("accepted status %d", status)
			}
			return
		}
		var be *Error
		if !errors.As(err, &be) {
			t.Fatalf("error %v is not *Error", err)
		}
		if be.Error() == "" || len(be.Detail) > 1000 {
			t.Fatalf("bad error text %q", be.Error())
		}
		if be.Permanent && (status < 400 || status >= 500 || status == 409 || status == 429) {
			t.Fatalf("status %d classified permanent", status)
		}
	})
}
