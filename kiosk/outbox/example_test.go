package outbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/txn"
)

func Example() {
	dir, _ := os.MkdirTemp("", "outbox-example")
	defer os.RemoveAll(dir)
	key, err := outbox.LoadOrCreateKey(filepath.Join(dir, "outbox.key"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ob, err := outbox.Open(filepath.Join(dir, "outbox.db"), &outbox.Opts{Key: key})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ob.Close()

	// In kioskd the deliverer is (*backend.Client).Submit.
	deliver := func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		return txn.Result{TxID: tx.ID, Outcome: txn.Queued, TrackingNo: txn.TrackingNo(tx.KioskID, tx.ID),
			Message: "已受理"}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ob.Run(ctx, deliver)

	tx := txn.Transaction{ID: txn.NewID(time.Now()), KioskID: "ZM-HALL01-K01", ServiceID: "civil-subsidy-apply",
		ServiceKind: "apply", CreatedAt: time.Now(), Fields: map[string]string{"reason": "高龄补贴"}}
	res, err := ob.SubmitNow(ctx, tx, 3*time.Second)
	if err != nil {
		fmt.Println("not taken:", err) // tell the resident honestly
		return
	}
	fmt.Println(res.Outcome, res.TrackingNo == txn.TrackingNo(tx.KioskID, tx.ID), res.Message)
	// Output: queued true 已受理
}
