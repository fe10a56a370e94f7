package main

import (
	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/txn"
	"github.com/henan-county/kiosk/ui/scenes"
)

func demoResult(id string) txn.Result {
	return txn.Result{TxID: id, Outcome: txn.Completed, TrackingNo: txn.TrackingNo("ZM-K07", id)}
}

func demoCatalog() func() *catalog.Catalog {
	c := scenes.Catalog()
	return func() *catalog.Catalog { return c }
}
