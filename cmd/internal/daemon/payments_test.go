package daemon

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/idcard/idcardsim"
	"github.com/henan-county/kiosk/kiosk/admin"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// TestPaymentAgainstSimulatedWorld: a resident pays a 城乡居民养老保险
// contribution with a payment code shown to the simulated scanner (its
// pty, the real serial code), the order and the charge go to countysim
// over mutual TLS, the slip prints, and countysim holds one payment and
// one transaction. The payment code is in no log.
func TestPaymentAgainstSimulatedWorld(t *testing.T) {
	d, ctx, logs := startSimWith(t, Options{NoSimCUPS: true})
	s := newResident(t, d)
	s.do(session.Start{})
	s.waitScreen(session.ScreenHome, 5*time.Second)
	s.do(session.ChooseService{ID: "sb-cx-jf"}, session.Start{})
	s.waitScreen(session.ScreenIdentify, 5*time.Second)
	if err := d.sim.PlaceCard(idcardsim.Han); err != nil {
		t.Fatal(err)
	}
	s.waitFor("masked identity", 10*time.Second, func(v session.View) bool { return v.Identity != nil })
	s.do(session.ConfirmIdentity{})
	s.waitScreen(session.ScreenForm, 5*time.Second)
	s.do(session.FieldInput{ID: "grade", Value: "500"}, session.Submit{})
	s.waitScreen(session.ScreenConfirm, 5*time.Second)
	s.do(session.Submit{})
	v := s.waitFor("the order", 15*time.Second, func(v session.View) bool {
		return v.Payment != nil && v.Payment.State != session.PayOrdering
	})
	if p := v.Payment; p.State != session.PayConfirm || p.Amount != "¥500.00" || p.Payee != "中牟县社会保险中心" {
		t.Fatalf("order shown %+v", p)
	}
	s.do(session.ConfirmPayment{})
	s.waitFor("the ways to pay", 5*time.Second, func(v session.View) bool { return v.Payment != nil && v.Payment.ScanHere })

	cl := admin.NewClient(d.cfg.Admin.Socket)
	const code = "134567890123456789"
	if err := cl.Do(ctx, "POST", "/v1/sim/scan", nil, admin.SimScanRequest{Text: code}, nil); err != nil {
		t.Fatal(err)
	}
	v = s.waitFor("the result", 20*time.Second, func(v session.View) bool { return v.Result != nil })
	if v.Result.Outcome != txn.Completed {
		t.Fatalf("result %+v (payment %+v)", v.Result, v.Payment)
	}
	s.waitFor("the slip", 30*time.Second, func(v session.View) bool { return v.Printing == session.PrintTake })

	pays, err := d.County().Payments("test-kiosk-01")
	if err != nil || len(pays) != 1 || pays[0].AmountFen != 50000 || pays[0].Charges != 1 || pays[0].DuplicateCharges != 0 {
		t.Fatalf("countysim payments %+v, %v", pays, err)
	}
	txs, err := d.County().Transactions()
	if err != nil || len(txs) != 1 || txs[0].ServiceID != "sb-cx-jf" || txs[0].Outcome != txn.Completed {
		t.Fatalf("countysim transactions %+v, %v", txs, err)
	}
	receipts := d.sim.pr.Receipts()
	if len(receipts) != 1 || !bytes.Contains(receipts[0], []byte(pays[0].OrderNo)) {
		t.Fatalf("%d receipts; the order number on the first: %v", len(receipts), len(receipts) > 0 && bytes.Contains(receipts[0], []byte(pays[0].OrderNo)))
	}
	// The session ends; kioskctl outbox ls shows the payment completed.
	s.do(session.Cancel{})
	var items []admin.OutboxItem
	deadline := time.Now().Add(20 * time.Second)
	for {
		d.payer.Resolve(ctx)
		if err := cl.Do(ctx, "GET", "/v1/outbox", nil, nil, &items); err != nil {
			t.Fatal(err)
		}
		if len(items) == 1 && items[0].Payment != nil && items[0].Payment.Step == "completed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox %+v", items)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if p := items[0].Payment; p.Payer != "****6789" || p.AmountFen != 50000 || p.Channel != "wechat" {
		t.Fatalf("payment listed %+v", p)
	}
	if strings.Contains(logs.String(), code) {
		t.Error("the payment code is in the log")
	}
}
