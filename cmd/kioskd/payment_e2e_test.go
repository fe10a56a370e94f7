package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/admin"
)

// TestPaymentEndToEnd: under Xvfb, with real pointer events, a resident
// pays a 城乡居民养老保险 contribution at the 500-yuan grade with a WeChat
// payment code shown to the simulated scanner (its pty, the daemon's real
// serial code); the slip prints with the order number; countysim holds
// one payment, charged once, and one transaction.
func TestPaymentEndToEnd(t *testing.T) {
	k := startKiosk(t)
	k.toIdentified("sb-cx-jf")
	k.waitScreen("form", 10*time.Second)
	k.tap("field:grade")
	k.tap("choice:500")
	k.tap("next")
	k.waitScreen("confirm", 10*time.Second)
	k.tap("submit")
	// Payee, matter and amount on one screen, and one button.
	k.waitFor("确认缴费", 30*time.Second, func(si admin.ScreenInfo) bool {
		return si.Screen == "payment" && hasWidget(si, "pay-confirm")
	})
	if b := widget(k.screen(), "pay-confirm"); !strings.Contains(b.Label, "¥500.00") {
		t.Errorf("the confirm button says %q", b.Label)
	}
	k.tap("pay-confirm")
	// The order's QR code is shown (the scanner window beside it is
	// drawn, not a target).
	k.waitFor("the order's QR code", 10*time.Second, func(si admin.ScreenInfo) bool {
		return si.Screen == "payment" && hasWidget(si, "pay-qr") && !hasWidget(si, "pay-confirm")
	})
	const code = "134567890123456789"
	k.ctl("sim", "scan", code)
	k.waitScreen("result", 60*time.Second)
	k.tap("next")
	k.waitScreen("rating", 30*time.Second)
	k.tap("rate:5")
	k.waitScreen("done", 10*time.Second)
	k.ctl("sim", "card", "remove")
	k.waitScreen("attract", 60*time.Second)

	var txs []received
	if err := json.Unmarshal([]byte(k.ctl("sim", "county", "transactions")), &txs); err != nil {
		t.Fatal(err)
	}
	var pays []struct {
		OrderNo          string `json:"order_no"`
		TxID             string `json:"tx_id"`
		AmountFen        int64  `json:"amount_fen"`
		State            string `json:"state"`
		Charges          int    `json:"charges"`
		DuplicateCharges int    `json:"duplicate_charges"`
	}
	if err := json.Unmarshal([]byte(k.ctl("sim", "county", "payments")), &pays); err != nil {
		t.Fatal(err)
	}
	if len(txs) != 1 || txs[0].ServiceID != "sb-cx-jf" {
		t.Fatalf("countysim transactions %+v", txs)
	}
	if len(pays) != 1 || pays[0].TxID != txs[0].ID || pays[0].AmountFen != 50000 || pays[0].State != "paid" ||
		pays[0].Charges != 1 || pays[0].DuplicateCharges != 0 {
		t.Fatalf("countysim payments %+v", pays)
	}
	raws, _ := filepath.Glob(filepath.Join(k.state, "receipts", "*.escpos"))
	if len(raws) != 1 {
		t.Fatalf("receipts printed: %v", raws)
	}
	raw, _ := os.ReadFile(raws[0])
	if !bytes.Contains(raw, []byte(pays[0].OrderNo)) || !bytes.Contains(raw, []byte(txs[0].TrackingNo)) {
		t.Errorf("the slip lacks the order number %s or the tracking number %s", pays[0].OrderNo, txs[0].TrackingNo)
	}
	if strings.Contains(k.log.String(), code) {
		t.Error("the payment code is in kioskd's log")
	}
}
