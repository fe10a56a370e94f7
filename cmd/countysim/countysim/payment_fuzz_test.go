package countysim_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
)

// FuzzPaymentRequests: whatever a kiosk sends to the payment calls, the
// simulator answers with a status of the contract, never a 500, never
// panics, never echoes the request, and never takes money twice.
func FuzzPaymentRequests(f *testing.F) {
	s, err := countysim.New(&countysim.Opts{Dir: f.TempDir(), DevHTTP: true, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	h := s.Handler()
	send := func(method, path, key, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("X-Kiosk-ID", kiosk)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	// One order every input can act on.
	w := send(http.MethodPost, "/v1/transactions/fuzztx/payment-order", "create-seed", `{"service_id":"sb-cx-jf","fields":{"grade":"200"}}`)
	o, err := backend.DecodePaymentOrder("create", w.Code, w.Header().Get("Content-Type"), w.Body.Bytes(), 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(0, "k", `{"service_id":"sb-cx-jf","fields":{"grade":"500"}}`)
	f.Add(1, "k", `{"auth_code":"134567890123456789"}`)
	f.Add(1, "k2", `{"auth_code":"104567890123456789"}`)
	f.Add(2, "k", ``)
	f.Add(3, "k", `{"reason":"业务未受理"}`)
	f.Add(0, "k3", `{"service_id":"sb-lh-jf","amount_fen":1}`)
	f.Add(1, "", `{"auth_code":12}`)
	f.Fuzz(func(t *testing.T, op int, key, body string) {
		paths := []string{"/v1/transactions/fuzztx2/payment-order", "/v1/payment-orders/" + o.OrderNo + "/charge",
			"/v1/payment-orders/" + o.OrderNo + "/cancel", "/v1/payment-orders/" + o.OrderNo + "/refund"}
		if op < 0 {
			op = -op
		}
		if strings.ContainsAny(key, "\r\n\x00") {
			return // not a header value
		}
		w := send(http.MethodPost, paths[op%len(paths)], key, body)
		switch w.Code {
		case 200, 201, 400, 404, 409, 413, 422:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if len(body) >= 16 && strings.Contains(w.Body.String(), body) {
			t.Fatalf("answer echoes the request: %s", w.Body)
		}
		if w.Code < 300 {
			if _, err := backend.DecodePaymentOrder("fuzz", w.Code, w.Header().Get("Content-Type"), w.Body.Bytes(), 0); err != nil {
				t.Fatalf("countysim answered an order its client refuses: %v\n%s", err, w.Body)
			}
		}
		st, err := s.PaymentStats()
		if err != nil || st.DuplicateCharges != 0 || st.Charges > st.Orders {
			t.Fatalf("stats %+v %v", st, err)
		}
	})
}

// TestConcurrentCharges: the same charge sent at once from several
// connections (a kiosk retrying while its first request is still being
// processed) takes the money once.
func TestConcurrentCharges(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.s.Close()
	o := d.order(t)
	d.s.SetFaults(countysim.Faults{PaymentLatencyMS: 50})
	var wg sync.WaitGroup
	results := make([]backend.PaymentState, 8)
	errs := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, err := d.c.ChargePaymentCode(ctx, o.OrderNo, payCode)
			results[i], errs[i] = c.State, err
		}()
	}
	wg.Wait()
	paid := 0
	for i, err := range errs {
		var be *backend.Error
		switch {
		case err == nil && results[i] == backend.PaymentPaid:
			paid++
		case errors.As(err, &be) && be.Reason == "in_progress" && !be.Permanent:
		default:
			t.Errorf("charge %d: %v %v", i, results[i], err)
		}
	}
	if paid == 0 {
		t.Fatal("no charge answered paid")
	}
	if st := stats(t, d.s); st.Charges != 1 || st.DuplicateCharges != 0 {
		t.Fatalf("stats %+v", st)
	}
}
