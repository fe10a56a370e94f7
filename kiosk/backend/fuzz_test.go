package backend

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

func FuzzDecodeDocumentMeta(f *testing.F) {
	ok := `{"sha256":"` + strings.Repeat("ab", 32) + `","size":69681,"pages":1,"verification_code":"RNA8-NDXW-2NAT",` +
		`"verification_url":"https://zwfw.zhongmu.gov.cn/yz?code=RNA8NDXW2NAT","issued_at":"2026-11-27T09:30:00+08:00",` +
		`"department":"中牟县公安局户政管理大队","title":"户籍证明"}`
	f.Add(200, "application/json", []byte(ok))
	f.Add(200, "application/json; charset=utf-8", []byte(strings.Replace(ok, `"pages":1`, `"pages":0`, 1)))
	f.Add(200, "application/json", []byte(strings.Replace(ok, "https:", "http:", 1)))
	f.Add(200, "application/json", []byte(ok+`{}`))
	f.Add(404, "application/problem+json", []byte(`{"status":404,"reason":"not_found"}`))
	f.Add(503, "text/html", []byte(`<html>`))
	f.Add(200, "application/pdf", []byte("%PDF-1.3"))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		m, err := DecodeDocumentMeta("document", status, ct, body, time.Second)
		if err == nil {
			if status != 200 {
				t.Fatalf("accepted status %d", status)
			}
			if len(m.SHA256) != 64 || m.Size <= 0 || m.Pages < 1 || m.Pages > 200 || m.IssuedAt.IsZero() ||
				m.VerificationCode == "" || m.Department == "" || m.Title == "" ||
				!strings.HasPrefix(m.VerificationURL, "https:") && !strings.HasPrefix(strings.ToLower(m.VerificationURL), "https:") {
				t.Fatalf("accepted %+v", m)
			}
			for _, s := range []string{m.VerificationCode, m.Department, m.Title} {
				if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\n\r\x1b") {
					t.Fatalf("accepted text %q", s)
				}
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
		if status == 200 && !errors.Is(err, ErrBadReply) {
			t.Fatalf("unusable 200 not ErrBadReply: %v", err)
		}
	})
}
