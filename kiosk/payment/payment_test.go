package payment_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/henan-county/kiosk/cmd/countysim/countysim"
	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/payment"
	"github.com/henan-county/kiosk/kiosk/txn"
)

const kioskID = "ZM-HALL01-K01"

// Payment codes as residents' phones show them.
const (
	wechatCode = "134567890123456789"
	alipayCode = "28765432109876543210"
)

type rig struct {
	t    *testing.T
	dir  string
	key  []byte
	sim  *countysim.Server
	cl   *backend.Client
	ob   *outbox.Outbox
	p    *payment.Payer
	cat  *catalog.Catalog
	stop context.CancelFunc
}

func newRig(t *testing.T, f countysim.Faults) *rig {
	t.Helper()
	dir := t.TempDir()
	pki, err := countysim.MintDevPKI(filepath.Join(dir, "pki"), []string{kioskID})
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
	cl, err := backend.New(&backend.Opts{BaseURL: sim.URL(), KioskID: kioskID, CAFile: pki.CAFile,
		CertFile: pki.Clients[kioskID].CertFile, KeyFile: pki.Clients[kioskID].KeyFile, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	key, err := outbox.LoadOrCreateKey(filepath.Join(dir, "outbox.key"))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, dir: dir, key: key, sim: sim, cl: cl, cat: cat}
	r.open()
	t.Cleanup(func() { r.close() })
	return r
}

// open opens the outbox and starts delivering, as the daemon does.
func (r *rig) open() {
	ob, err := outbox.Open(filepath.Join(r.dir, "outbox.db"), &outbox.Opts{Key: r.key,
		Backoff: outbox.Backoff{Base: 20 * time.Millisecond, Cap: 200 * time.Millisecond}})
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := payment.New(payment.Opts{Backend: r.cl, Store: ob})
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ob.Run(ctx, r.cl.Submit) }()
	r.ob, r.p = ob, p
	r.stop = func() { cancel(); <-done }
}

func (r *rig) close() {
	if r.ob == nil {
		return
	}
	r.stop()
	r.ob.Close()
	r.ob = nil
}

// restart is a power cut: the Payer's memory goes, its file stays.
func (r *rig) restart() {
	r.close()
	r.open()
}

func (r *rig) tx(serviceID string, fields map[string]string) (txn.Transaction, *catalog.Service) {
	svc := r.cat.Service(serviceID)
	if svc == nil {
		r.t.Fatalf("no matter %s", serviceID)
	}
	fields["name"], fields["id_number"] = "张三丰", "410122199001011234"
	return txn.Transaction{ID: txn.NewID(time.Now()), KioskID: kioskID, ServiceID: serviceID, ServiceKind: string(svc.Kind),
		CatalogVersion: r.cat.Version, CreatedAt: time.Now(), Fields: fields, Personal: []string{"name", "id_number"},
		Person: &txn.Person{CardType: identity.ResidentID, Name: "张三丰", IDNumber: "410122199001011234"}}, svc
}

// resolve runs Resolve until nothing is left or the deadline passes.
func (r *rig) resolve() int {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left, err := r.p.Resolve(context.Background())
		if left == 0 || time.Now().After(deadline) {
			if left != 0 {
				r.t.Logf("still unresolved: %d (%v)", left, err)
			}
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *rig) step(id string) payment.Step {
	r.t.Helper()
	for _, rec := range must(r.p.List()) {
		if rec.TxID == id {
			return rec.Step
		}
	}
	r.t.Fatalf("no payment %s", id)
	return ""
}

func (r *rig) stats() countysim.PaymentStats {
	r.t.Helper()
	return must(r.sim.PaymentStats())
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// submitPaid sends the paid transaction as the session does.
func (r *rig) submitPaid(tx txn.Transaction, orderNo string) txn.Result {
	r.t.Helper()
	tx.PaymentOrder = orderNo
	res, err := r.ob.SubmitNow(context.Background(), tx, 3*time.Second)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.p.Submitted(context.Background(), tx.ID); err != nil {
		r.t.Fatal(err)
	}
	return res
}

func TestPaidByCodeThenCompleted(t *testing.T) {
	r := newRig(t, countysim.Faults{})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "500"})
	rec, err := r.p.Open(ctx, tx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Step != payment.StepOpen || rec.Amount != 50000 || rec.Payee != "中牟县社会保险中心" || rec.QRURL == "" {
		t.Fatalf("opened %+v", rec)
	}
	// Opening again (a lost answer, a second tap) is the same order.
	again, err := r.p.Open(ctx, tx, svc)
	if err != nil || again.OrderNo != rec.OrderNo {
		t.Fatalf("reopened %+v, %v", again, err)
	}
	rec, err = r.p.Charge(ctx, tx.ID, wechatCode)
	if err != nil || rec.Step != payment.StepPaid || rec.Channel != "wechat" || rec.PayerTail != "6789" {
		t.Fatalf("charged %+v, %v", rec, err)
	}
	// A second code on a paid order does not charge again.
	if _, err := r.p.Charge(ctx, tx.ID, alipayCode); !errors.Is(err, payment.ErrNoPayment) {
		t.Fatalf("second code: %v", err)
	}
	res := r.submitPaid(tx, rec.OrderNo)
	if res.Outcome != txn.Completed {
		t.Fatalf("result %+v", res)
	}
	if err := r.p.Release(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if left := r.resolve(); left != 0 {
		t.Fatalf("%d unresolved", left)
	}
	if s := r.step(tx.ID); s != payment.StepCompleted {
		t.Fatalf("step %s", s)
	}
	st := r.stats()
	if st.Orders != 1 || st.Charges != 1 || st.DuplicateCharges != 0 || st.Refunds != 0 {
		t.Fatalf("countysim %+v", st)
	}
	// Nothing personal is kept once the payment is final.
	if _, kept, err := r.ob.Payment(tx.ID); err != nil || kept != nil {
		t.Fatalf("final payment keeps its transaction: %v %v", kept != nil, err)
	}
}

func TestAbandonedIsCancelled(t *testing.T) {
	r := newRig(t, countysim.Faults{})
	ctx := context.Background()
	tx, svc := r.tx("yb-jm-jf", map[string]string{"year": "2026", "family": "1"})
	if _, err := r.p.Open(ctx, tx, svc); err != nil {
		t.Fatal(err)
	}
	if err := r.p.Release(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if left := r.resolve(); left != 0 {
		t.Fatalf("%d unresolved", left)
	}
	if s := r.step(tx.ID); s != payment.StepCancelled {
		t.Fatalf("step %s", s)
	}
	if st := r.stats(); st.Cancels != 1 || st.Charges != 0 {
		t.Fatalf("countysim %+v", st)
	}
}

// TestAbandonedBeforeTheOrderCame: the order was made but its answer was
// lost, and the resident left. The kiosk never saw the order; Resolve asks
// for it again with the same key and cancels it, so no order stays open
// at the backend.
func TestAbandonedBeforeTheOrderCame(t *testing.T) {
	r := newRig(t, countysim.Faults{PaymentDropReplyRate: 1})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "300"})
	if _, err := r.p.Open(ctx, tx, svc); err == nil {
		t.Fatal("a dropped answer reported as an order")
	}
	if err := r.p.Release(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	r.sim.SetFaults(countysim.Faults{})
	r.restart()
	if left := r.resolve(); left != 0 {
		t.Fatalf("%d unresolved", left)
	}
	if s := r.step(tx.ID); s != payment.StepCancelled {
		t.Fatalf("step %s", s)
	}
	if st := r.stats(); st.Orders != 1 || st.Cancels != 1 || st.Charges != 0 {
		t.Fatalf("countysim %+v", st)
	}
}

// TestLostChargeReplyAfterPowerCut: the charge took the money but its
// answer was lost, and the kiosk lost power. After the restart the order
// is cancelled: the answer is "paid", so the transaction is completed,
// never charged again.
func TestLostChargeReplyAfterPowerCut(t *testing.T) {
	r := newRig(t, countysim.Faults{})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "300"})
	if _, err := r.p.Open(ctx, tx, svc); err != nil {
		t.Fatal(err)
	}
	r.sim.SetFaults(countysim.Faults{PaymentDropReplyRate: 1})
	if _, err := r.p.Charge(ctx, tx.ID, wechatCode); err == nil {
		t.Fatal("a dropped answer reported as an answer")
	}
	r.sim.SetFaults(countysim.Faults{})
	r.restart()
	if left := r.resolve(); left != 0 {
		t.Fatalf("%d unresolved", left)
	}
	if s := r.step(tx.ID); s != payment.StepCompleted {
		t.Fatalf("step %s", s)
	}
	st := r.stats()
	if st.Charges != 1 || st.DuplicateCharges != 0 || st.Refunds != 0 {
		t.Fatalf("countysim %+v", st)
	}
	views := must(r.sim.Transactions())
	if len(views) != 1 || views[0].ID != tx.ID {
		t.Fatalf("countysim holds %+v", views)
	}
}

// TestRefusedAfterPaymentIsRefunded: the department refuses a paid
// matter; the money goes back, once, even when the refund's answer is
// lost.
func TestRefusedAfterPaymentIsRefunded(t *testing.T) {
	r := newRig(t, countysim.Faults{RefusePaid: true})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "200"})
	rec := must(r.p.Open(ctx, tx, svc))
	rec = must(r.p.Charge(ctx, tx.ID, alipayCode))
	res := r.submitPaid(tx, rec.OrderNo)
	if res.Outcome != txn.Rejected {
		t.Fatalf("result %+v", res)
	}
	r.sim.SetFaults(countysim.Faults{RefusePaid: true, PaymentDropReplyRate: 1})
	if _, err := r.p.Refund(ctx, tx.ID, "事项未办成"); err == nil {
		t.Fatal("a dropped refund answer reported as refunded")
	}
	r.sim.SetFaults(countysim.Faults{RefusePaid: true})
	if err := r.p.Release(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if left := r.resolve(); left != 0 {
		t.Fatalf("%d unresolved", left)
	}
	all := must(r.p.List())
	if len(all) != 1 || all[0].Step != payment.StepRefunded || all[0].RefundNo == "" {
		t.Fatalf("payments %+v", all)
	}
	if st := r.stats(); st.Refunds != 1 || st.Charges != 1 {
		t.Fatalf("countysim %+v", st)
	}
}

// TestRefusedWhileQueued: the kiosk took the payment but the backend
// refused the matter only later, from the outbox: the resolver refunds.
func TestRefusedWhileQueued(t *testing.T) {
	r := newRig(t, countysim.Faults{RefusePaid: true})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "800"})
	must(r.p.Open(ctx, tx, svc))
	rec := must(r.p.Charge(ctx, tx.ID, wechatCode))
	t2 := tx
	t2.PaymentOrder = rec.OrderNo
	if err := r.ob.Enqueue(t2); err != nil {
		t.Fatal(err)
	}
	if err := r.p.Submitted(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.p.Release(ctx, tx.ID); err != nil {
		t.Fatal(err)
	}
	if left := r.resolve(); left != 0 {
		t.Fatalf("%d unresolved", left)
	}
	if s := r.step(tx.ID); s != payment.StepRefunded {
		t.Fatalf("step %s", s)
	}
}

func TestLateSettlementIsQueriedNotCharged(t *testing.T) {
	r := newRig(t, countysim.Faults{ChargeLateMS: 300})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "1000"})
	must(r.p.Open(ctx, tx, svc))
	rec := must(r.p.Charge(ctx, tx.ID, wechatCode))
	if rec.Step != payment.StepPaying {
		t.Fatalf("step %s", rec.Step)
	}
	deadline := time.Now().Add(5 * time.Second)
	for rec.Step == payment.StepPaying && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		rec = must(r.p.Query(ctx, tx.ID))
	}
	if rec.Step != payment.StepPaid {
		t.Fatalf("step %s", rec.Step)
	}
	if st := r.stats(); st.Charges != 1 {
		t.Fatalf("countysim %+v", st)
	}
}

func TestDeclinedThenNewAttempt(t *testing.T) {
	r := newRig(t, countysim.Faults{ChargeDecline: "insufficient_balance"})
	ctx := context.Background()
	tx, svc := r.tx("sb-cx-jf", map[string]string{"grade": "500"})
	first := must(r.p.Open(ctx, tx, svc))
	rec := must(r.p.Charge(ctx, tx.ID, wechatCode))
	if rec.Step != payment.StepFailed || rec.Failure == "" {
		t.Fatalf("declined %+v", rec)
	}
	r.sim.SetFaults(countysim.Faults{})
	second := must(r.p.Open(ctx, tx, svc))
	if second.OrderNo == first.OrderNo || second.Attempt != 2 || second.Step != payment.StepOpen {
		t.Fatalf("second attempt %+v after %+v", second, first)
	}
	if rec := must(r.p.Charge(ctx, tx.ID, alipayCode)); rec.Step != payment.StepPaid {
		t.Fatalf("step %s", rec.Step)
	}
}

func TestNothingDueAndMismatch(t *testing.T) {
	r := newRig(t, countysim.Faults{})
	ctx := context.Background()
	tx, svc := r.tx("sw-ccs", map[string]string{"plate_type": "52"})
	if _, err := r.p.Open(ctx, tx, svc); !errors.Is(err, payment.ErrNothingDue) {
		t.Fatalf("exempt vehicle: %v", err)
	}
	// A fee matter whose order asks another amount than its fee.
	var fee *catalog.Service
	for i := range r.cat.Services {
		if s := &r.cat.Services[i]; s.FeeFen > 0 && !s.Payment {
			fee = s
			break
		}
	}
	if fee == nil {
		t.Fatal("no fee matter in the default catalog")
	}
	r.sim.SetFaults(countysim.Faults{PriceSkewFen: 100})
	tx2, _ := r.tx(fee.ID, map[string]string{})
	if _, err := r.p.Open(ctx, tx2, fee); !errors.Is(err, payment.ErrAmountMismatch) {
		t.Fatalf("skewed price: %v", err)
	}
	if s := r.step(tx2.ID); s != payment.StepCancelled {
		t.Fatalf("mismatched order left %s", s)
	}
	if _, err := r.p.Charge(ctx, tx2.ID, wechatCode); err == nil {
		t.Fatal("a mismatched order was charged")
	}
	if _, err := r.p.Charge(ctx, tx.ID, "12345"); !errors.Is(err, payment.ErrBadCode) {
		t.Fatalf("bad code: %v", err)
	}
}
