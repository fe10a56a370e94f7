package countysim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/money"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const payCode = "134567890123456789" // a WeChat payment code

// lockedBuffer collects the simulator's log for checks.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// devSim starts countysim on plain HTTP with a clock the test moves.
type devSim struct {
	s   *countysim.Server
	c   *backend.Client
	log *lockedBuffer
	mu  sync.Mutex
	now time.Time
}

func (d *devSim) clock() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.now
}

func (d *devSim) advance(dt time.Duration) {
	d.mu.Lock()
	d.now = d.now.Add(dt)
	d.mu.Unlock()
}

func startDev(t *testing.T, dir string) *devSim {
	t.Helper()
	d := &devSim{log: &lockedBuffer{}, now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	d.s = start(t, countysim.Opts{Dir: dir, DevHTTP: true, Seed: 1, Now: d.clock,
		Logger: slog.New(slog.NewTextHandler(d.log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	c, err := backend.New(&backend.Opts{BaseURL: d.s.URL(), KioskID: kiosk, Dev: true, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	d.c = c
	return d
}

func (d *devSim) order(t *testing.T) backend.PaymentOrder {
	t.Helper()
	o, err := d.c.CreatePaymentOrder(context.Background(), txn.NewID(d.clock()), 0,
		backend.PaymentOrderRequest{ServiceID: "sb-cx-jf", Fields: map[string]string{"grade": "300"}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// post sends a raw payment request as a kiosk with its own key.
func (d *devSim) post(t *testing.T, path, key string, body any) (int, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, d.s.URL()+path, bytes.NewReader(b))
	req.Header.Set("X-Kiosk-ID", kiosk)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, rb
}

func stats(t *testing.T, s *countysim.Server) countysim.PaymentStats {
	t.Helper()
	st, err := s.PaymentStats()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSecondCharge: a second charge of an order already charged, under
// another key, is refused; under the ChargeTwice fault it takes the money
// again and the duplicate is counted, so a kiosk that caused one would be
// caught.
func TestSecondCharge(t *testing.T) {
	for _, tc := range []struct {
		name       string
		twice      bool
		status     int
		duplicates int
		refused    int
	}{
		{"refused", false, http.StatusConflict, 0, 1},
		{"charged twice under the fault", true, http.StatusOK, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := startDev(t, t.TempDir())
			defer d.s.Close()
			o := d.order(t)
			path := "v1/payment-orders/" + o.OrderNo + "/charge"
			if st, b := d.post(t, path, "k1", backend.PaymentCharge{AuthCode: payCode}); st != 200 {
				t.Fatalf("first charge %d %s", st, b)
			}
			d.s.SetFaults(countysim.Faults{ChargeTwice: tc.twice})
			st, b := d.post(t, path, "k2", backend.PaymentCharge{AuthCode: payCode})
			if st != tc.status {
				t.Fatalf("second charge %d %s", st, b)
			}
			if !tc.twice && !strings.Contains(string(b), "order_not_payable") {
				t.Fatalf("refusal %s", b)
			}
			ps := stats(t, d.s)
			if ps.DuplicateCharges != tc.duplicates || ps.RefusedCharges != tc.refused || ps.Payments != 1 {
				t.Fatalf("stats %+v", ps)
			}
			l, _ := d.s.Payments(kiosk)
			if len(l) != 1 || l[0].DuplicateCharges != tc.duplicates {
				t.Fatalf("payments %+v", l)
			}
		})
	}
}

// TestPaymentKeys: one key, one answer: a repeat gets the first answer
// byte for byte, another request under the key is 422, and a request
// without a key is refused.
func TestPaymentKeys(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.s.Close()
	o := d.order(t)
	charge := "v1/payment-orders/" + o.OrderNo + "/charge"
	st1, b1 := d.post(t, charge, "k1", backend.PaymentCharge{AuthCode: payCode})
	d.advance(time.Minute)
	st2, b2 := d.post(t, charge, "k1", backend.PaymentCharge{AuthCode: payCode})
	if st1 != 200 || st2 != 200 || !bytes.Equal(b1, b2) {
		t.Fatalf("repeat differs: %d %s / %d %s", st1, b1, st2, b2)
	}
	for _, tc := range []struct {
		name, path, key string
		body            any
		status          int
	}{
		{"another code", charge, "k1", backend.PaymentCharge{AuthCode: "104567890123456789"}, 422},
		{"another operation", "v1/payment-orders/" + o.OrderNo + "/cancel", "k1", nil, 422},
		{"no key", charge, "", backend.PaymentCharge{AuthCode: payCode}, 400},
		{"not a code", "v1/payment-orders/" + o.OrderNo + "/charge", "k9", backend.PaymentCharge{AuthCode: "12"}, 400},
		{"unknown order", "v1/payment-orders/ZMP20261202FFFFFFFFFFFF/charge", "k8", backend.PaymentCharge{AuthCode: payCode}, 404},
		{"amount in the order request", "v1/transactions/" + txn.NewID(d.clock()) + "/payment-order", "k7",
			map[string]any{"service_id": "sb-lh-jf", "amount_fen": 1}, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if st, b := d.post(t, tc.path, tc.key, tc.body); st != tc.status {
				t.Fatalf("got %d %s, want %d", st, b, tc.status)
			}
		})
	}
	if ps := stats(t, d.s); ps.Charges != 1 || ps.KeyReused != 2 || ps.Replayed != 1 {
		t.Fatalf("stats %+v", ps)
	}
}

// TestPaymentsSurviveRestart: orders and first answers are in the store,
// so a kiosk repeating a charge after countysim restarted gets the first
// answer, not a second charge.
func TestPaymentsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	d := startDev(t, dir)
	o := d.order(t)
	if c, err := d.c.ChargePaymentCode(context.Background(), o.OrderNo, payCode); err != nil || c.State != backend.PaymentPaid {
		t.Fatalf("charge %+v %v", c, err)
	}
	d.s.Close()
	d2 := startDev(t, dir)
	defer d2.s.Close()
	c, err := d2.c.ChargePaymentCode(context.Background(), o.OrderNo, payCode)
	if err != nil || c.State != backend.PaymentPaid || c.OrderNo != o.OrderNo {
		t.Fatalf("charge after restart %+v %v", c, err)
	}
	if ps := stats(t, d2.s); ps.Charges != 1 || ps.Replayed != 1 || ps.Orders != 1 {
		t.Fatalf("stats %+v", ps)
	}
}

// TestLateSettlement: a charge answered "paying" is settled when its time
// comes, as the channel's late notice would settle it, and a cancel before
// then voids it.
func TestLateSettlement(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		faults countysim.Faults
		cancel bool
		want   backend.PaymentState
	}{
		{"paid late", countysim.Faults{ChargeLateMS: 30_000}, false, backend.PaymentPaid},
		{"failed late", countysim.Faults{ChargeLateMS: 30_000, ChargeLateFail: true}, false, backend.PaymentFailed},
		{"cancelled while paying", countysim.Faults{ChargeLateMS: 30_000}, true, backend.PaymentCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := startDev(t, t.TempDir())
			defer d.s.Close()
			o := d.order(t)
			d.s.SetFaults(tc.faults)
			c, err := d.c.ChargePaymentCode(ctx, o.OrderNo, payCode)
			if err != nil || c.State != backend.PaymentPaying {
				t.Fatalf("charge %+v %v", c, err)
			}
			d.advance(29 * time.Second)
			if q, err := d.c.QueryPaymentOrder(ctx, o.OrderNo); err != nil || q.State != backend.PaymentPaying {
				t.Fatalf("before due %+v %v", q, err)
			}
			if tc.cancel {
				if c, err := d.c.CancelPaymentOrder(ctx, o.OrderNo); err != nil || c.State != backend.PaymentCancelled {
					t.Fatalf("cancel %+v %v", c, err)
				}
			}
			d.advance(2 * time.Second)
			q, err := d.c.QueryPaymentOrder(ctx, o.OrderNo)
			if err != nil || q.State != tc.want {
				t.Fatalf("after due %+v %v", q, err)
			}
			wantCharges := 0
			if tc.want == backend.PaymentPaid {
				wantCharges = 1
			}
			if ps := stats(t, d.s); ps.Charges != wantCharges || ps.Unresolved != 0 {
				t.Fatalf("stats %+v", ps)
			}
		})
	}
}

// TestOrderExpires: an order nobody paid before its QR code expired is
// closed by the backend; a charge then is refused and the order cancelled.
func TestOrderExpires(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.s.Close()
	ctx := context.Background()
	o := d.order(t)
	d.advance(o.ExpiresAt.Sub(o.CreatedAt))
	_, err := d.c.ChargePaymentCode(ctx, o.OrderNo, payCode)
	var be *backend.Error
	if !errors.As(err, &be) || be.Reason != "order_not_payable" || !be.Permanent {
		t.Fatalf("charge of an expired order: %v", err)
	}
	q, err := d.c.QueryPaymentOrder(ctx, o.OrderNo)
	if err != nil || q.State != backend.PaymentCancelled || !q.CancelledAt.Equal(o.ExpiresAt) {
		t.Fatalf("expired order %+v %v", q, err)
	}
	if ps := stats(t, d.s); ps.Charges != 0 || ps.Cancels != 1 {
		t.Fatalf("stats %+v", ps)
	}
}

// TestPaymentCodeNeverLogged: the payment code appears nowhere the
// simulator writes or shows, whatever happens to the charge.
func TestPaymentCodeNeverLogged(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.s.Close()
	ctx := context.Background()
	codes := []string{payCode, "287654321098765432", "6212345678901234567", "104567890123456789"}
	o := d.order(t)
	d.c.ChargePaymentCode(ctx, o.OrderNo, codes[0])
	d.post(t, "v1/payment-orders/"+o.OrderNo+"/charge", "other", backend.PaymentCharge{AuthCode: codes[1]})
	d.s.SetFaults(countysim.Faults{ChargeDecline: "insufficient_balance"})
	d.c.ChargePaymentCode(ctx, d.order(t).OrderNo, codes[2])
	d.s.SetFaults(countysim.Faults{ChargeTwice: true})
	d.post(t, "v1/payment-orders/"+o.OrderNo+"/charge", "third", backend.PaymentCharge{AuthCode: codes[3]})
	d.post(t, "v1/payment-orders/"+o.OrderNo+"/charge", "bad", map[string]string{"auth_code": codes[3] + "X"})

	var view []countysim.PaymentView
	getJSON(t, d.s.URL()+"sim/v1/payments?kiosk="+kiosk, &view)
	vb, _ := json.Marshal(view)
	logs := d.log.String()
	if !strings.Contains(logs, "****6789") {
		t.Fatalf("the log does not name the masked code:\n%s", logs)
	}
	for _, c := range codes {
		for where, text := range map[string]string{"log": logs, "payments view": string(vb)} {
			if strings.Contains(text, c[:12]) {
				t.Errorf("%s shows payment code %s", where, c)
			}
		}
	}
	if len(view) != 2 || view[0].KioskID != kiosk {
		t.Fatalf("view %+v", view)
	}
}

// TestPaymentFaultsOverHTTP: the payment faults are set like the others.
func TestPaymentFaultsOverHTTP(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.s.Close()
	body := `{"charge_decline":"code_expired","payment_latency_ms":5,"charge_late_ms":100,"charge_twice":true,"payment_drop_reply_rate":0.5}`
	req, _ := http.NewRequest(http.MethodPut, d.s.URL()+"sim/v1/faults", strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("put faults: %v %v", resp, err)
	}
	resp.Body.Close()
	f := d.s.Faults()
	if f.ChargeDecline != "code_expired" || f.PaymentLatencyMS != 5 || f.ChargeLateMS != 100 || !f.ChargeTwice || f.PaymentDropReplyRate != 0.5 {
		t.Fatalf("faults %+v", f)
	}
	// A QR payment through the test endpoint.
	d.s.SetFaults(countysim.Faults{})
	o := d.order(t)
	req, _ = http.NewRequest(http.MethodPost, d.s.URL()+"sim/v1/payment-orders/"+o.OrderNo+"/pay?channel=alipay", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pay by QR: %v %v", resp, err)
	}
	resp.Body.Close()
	q, err := d.c.QueryPaymentOrder(context.Background(), o.OrderNo)
	if err != nil || q.State != backend.PaymentPaid || q.Channel != backend.ChannelAlipay || q.PayerTail != "" {
		t.Fatalf("after QR payment %+v %v", q, err)
	}
	var ps countysim.PaymentStats
	getJSON(t, d.s.URL()+"sim/v1/payment-stats", &ps)
	if ps.Payments != 1 || ps.Charges != 0 {
		t.Fatalf("stats %+v", ps)
	}
}

// TestEveryPaymentMatterPriced: every payment matter of the default
// catalog (a 工本费, or a 缴纳/缴费 matter that takes money) has a price
// in CNY fen, a payee and an item, whatever the resident picks.
func TestEveryPaymentMatterPriced(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	for _, svc := range cat.Services {
		if !svc.TakesPayment() {
			if _, _, _, err := countysim.Price(cat, svc.ID, nil, now); err == nil {
				t.Errorf("%s %s is priced but takes no money", svc.ID, svc.Name)
			}
			continue
		}
		n++
		// Each choice the form offers, one field at a time.
		inputs := []map[string]string{{}}
		for _, f := range svc.Form {
			if len(f.Choices) == 0 {
				continue
			}
			var next []map[string]string
			for _, in := range inputs {
				for _, c := range f.Choices {
					m := map[string]string{}
					for k, v := range in {
						m[k] = v
					}
					m[f.ID] = c.Value
					next = append(next, m)
				}
			}
			inputs = next
		}
		for _, in := range inputs {
			fen, payee, item, err := countysim.Price(cat, svc.ID, in, now)
			if err != nil {
				if svc.ID == "sw-ccs" && (in["plate_type"] == "52" || in["plate_type"] == "51") {
					continue // new-energy vehicles owe no vehicle tax
				}
				t.Errorf("%s %v: %v", svc.ID, in, err)
				continue
			}
			if fen <= 0 || fen > backend.MaxPaymentFen || payee != svc.Department || item == "" {
				t.Errorf("%s %v: %s to %q for %q", svc.ID, in, fen, payee, item)
			}
		}
	}
	if n < 15 {
		t.Fatalf("only %d payment matters found", n)
	}
	fen, _, item, err := countysim.Price(cat, "sb-cx-jf", map[string]string{"grade": "500"}, now)
	if err != nil || fen != money.Fen(50000) || !strings.Contains(item, "2026年度") {
		t.Fatalf("pension 500: %s %q %v", fen, item, err)
	}
}

// Every payment route is in the contract.
func TestContractCoversPaymentRoutes(t *testing.T) {
	doc, err := os.ReadFile("../../../kiosk/backend/api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/transactions/{id}/payment-order:", "/v1/payment-orders/{order_no}:",
		"/v1/payment-orders/{order_no}/charge:", "/v1/payment-orders/{order_no}/cancel:",
		"/v1/payment-orders/{order_no}/refund:", "/sim/v1/payments:", "/sim/v1/payment-stats:",
		"/sim/v1/payment-orders/{order_no}/pay:"} {
		if !strings.Contains(string(doc), "\n  "+p+"\n") {
			t.Errorf("openapi.yaml does not describe %s", strings.TrimSuffix(p, ":"))
		}
	}
	for _, s := range []string{"PaymentOrder:", "payment_latency_ms", "charge_twice", "payments_unresolved"} {
		if !strings.Contains(string(doc), s) {
			t.Errorf("openapi.yaml does not describe %s", s)
		}
	}
}
