package host_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// payRig is a host whose payments, outbox and backend are the real ones:
// kiosk/payment's Payer over an outbox file, and countysim on loopback
// over mutual TLS.
type payRig struct {
	*rig
	sim *countysim.Server
	ob  *outbox.Outbox
	p   *payment.Payer
}

const payKiosk = "ZM-HALL01-K01"

func newPayRig(t *testing.T, f countysim.Faults) *payRig {
	t.Helper()
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{payKiosk})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := countysim.New(&countysim.Opts{Dir: filepath.Join(dir, "sim"), CAFile: pki.CAFile,
		CertFile: pki.ServerCert, KeyFile: pki.ServerKey, OperatorToken: "op", Faults: f, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cl, err := backend.New(&backend.Opts{BaseURL: sim.URL(), KioskID: payKiosk, CAFile: pki.CAFile,
		CertFile: pki.Clients[payKiosk].CertFile, KeyFile: pki.Clients[payKiosk].KeyFile, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	key, err := outbox.LoadOrCreateKey(filepath.Join(dir, "outbox.key"))
	if err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.Open(filepath.Join(dir, "outbox.db"), &outbox.Opts{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ob.Run(ctx, cl.Submit) }()
	t.Cleanup(func() { cancel(); <-done; ob.Close() })
	p, err := payment.New(payment.Opts{Backend: cl, Store: ob})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, func(o *host.Opts) {
		o.Session.Catalog = func() *catalog.Catalog { return cat }
		o.Session.KioskID = payKiosk
		o.Ports.Outbox = ob
		o.Ports.Payments = p
		o.Ports.IdentityCodes = cl
		o.Ports.Documents = nil
	})
	return &payRig{rig: r, sim: sim, ob: ob, p: p}
}

func payState(s session.PayState) func(host.View) bool {
	return func(v host.View) bool { return v.Session.Payment != nil && v.Session.Payment.State == s }
}

// toPay takes a 城乡居民养老保险 contribution at the 500-yuan grade to
// the QR code and scanner window.
func (r *payRig) toPay() {
	r.t.Helper()
	r.do(session.Start{}, session.ChooseService{ID: "sb-cx-jf"}, session.Start{}, session.CardPresent{Card: testCard()}, session.ConfirmIdentity{})
	if v := r.do(session.FieldInput{ID: "grade", Value: "500"}, session.Submit{}); v.Screen != session.ScreenConfirm {
		r.t.Fatalf("after the form: %s %+v %q", v.Screen, v.Form, v.Notice)
	}
	r.do(session.Submit{})
	v := r.waitFor("the order", payState(session.PayConfirm)).Session
	if v.Payment.Amount != "¥500.00" || v.Payment.Payee != "中牟县社会保险中心" {
		r.t.Fatalf("order shown %+v", v.Payment)
	}
	r.do(session.ConfirmPayment{})
	r.waitFor("the ways to pay", payState(session.PayWaiting))
}

func TestPaymentThroughHost(t *testing.T) {
	r := newPayRig(t, countysim.Faults{})
	r.toPay()
	r.do(session.Scanned{Text: "134567890123456789"})
	v := r.waitFor("the result", func(v host.View) bool { return v.Session.Result != nil }).Session
	if v.Result.Outcome != txn.Completed {
		t.Fatalf("result %+v", v.Result)
	}
	st, err := r.sim.PaymentStats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Orders != 1 || st.Charges != 1 || st.DuplicateCharges != 0 {
		t.Fatalf("countysim %+v", st)
	}
	txs, err := r.sim.Transactions()
	if err != nil || len(txs) != 1 || txs[0].ServiceID != "sb-cx-jf" || txs[0].Outcome != txn.Completed {
		t.Fatalf("countysim transactions %+v %v", txs, err)
	}
	// The session ends; the payer finds nothing left to do.
	// (Cancel waits while the slip prints.)
	for end := time.Now().Add(10 * time.Second); r.h.InSession(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the session does not end: %s", r.h.View().Session.Screen)
		}
		r.do(session.Cancel{})
	}
	waitResolved(t, r.p, payment.StepCompleted)
}

func TestPaymentAbandonedThroughHost(t *testing.T) {
	r := newPayRig(t, countysim.Faults{})
	r.toPay()
	r.do(session.Cancel{})
	waitResolved(t, r.p, payment.StepCancelled)
	if st, _ := r.sim.PaymentStats(); st.Cancels != 1 || st.Charges != 0 {
		t.Fatalf("countysim %+v", st)
	}
}

func TestPaidThenRefusedThroughHost(t *testing.T) {
	r := newPayRig(t, countysim.Faults{RefusePaid: true})
	r.toPay()
	r.do(session.Scanned{Text: "28765432109876543210"})
	v := r.waitFor("the refund", payState(session.PayRefunded)).Session
	if v.Payment.RefundNo == "" {
		t.Fatalf("refund not shown %+v", v.Payment)
	}
	waitResolved(t, r.p, payment.StepRefunded)
}

// waitResolved resolves until the only payment is final in want.
func waitResolved(t *testing.T, p *payment.Payer, want payment.Step) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.Resolve(context.Background())
		all, err := p.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 1 && all[0].Step == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("payments %+v, want one %s", all, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
