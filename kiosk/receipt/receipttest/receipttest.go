// Package receipttest holds a typical receipt for tests and benchmarks of
// the receipt composer, the printer driver and the simulated printer: a
// queued social-security matter at a Zhongmou county hall.
package receipttest

import (
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// Catalog is a one-matter catalog.
func Catalog() *catalog.Catalog {
	svc := catalog.Service{
		ID: "ss-pension-cert", Name: "城乡居民养老保险待遇资格认证", Department: "县社会保险中心",
		Kind: catalog.KindCertify, NeedsIDCard: true, NeedsPrinter: true, TimeLimitDays: 5,
		Offline: catalog.OfflineQueue, Status: catalog.StatusActive,
		Form: []catalog.Field{
			{ID: "phone", Label: "联系电话", Type: catalog.FieldPhone, Required: true, Personal: true},
			{ID: "relation", Label: "办理人", Type: catalog.FieldChoice, Required: true,
				Choices: []catalog.Choice{{Value: "self", Label: "本人"}, {Value: "kin", Label: "亲属代办"}}},
			{ID: "remark", Label: "备注", Type: catalog.FieldText},
		},
		Receipt: catalog.Receipt{
			Title: "养老保险资格认证受理凭条",
			Lines: []catalog.ReceiptLine{
				{Label: "姓名", Field: "card.name", Mask: "name"},
				{Label: "身份证号", Field: "card.id_number", Mask: "id"},
				{Label: "联系电话", Field: "phone", Mask: "phone"},
				{Label: "办理人", Field: "relation", Mask: "none"},
				{Label: "备注", Field: "remark", Mask: "none"},
			},
			Note: "认证结果将以短信通知，也可扫描下方二维码查询。",
		},
	}
	return &catalog.Catalog{
		SchemaVersion: 1, Version: 7, County: "郑州市中牟县", Hotline: "0371-62161234",
		TrackURL: "https://zwfw.zhongmou.gov.cn/t/{tracking}",
		Services: []catalog.Service{svc},
	}
}

// Card is a resident's card (a made-up person with a valid check digit).
func Card() *identity.Card {
	return &identity.Card{Type: identity.ResidentID, Name: "王桂兰", Sex: "女", IDNumber: "410122194805120024",
		IDNumberValid: true, Address: "河南省郑州市中牟县城关镇青年路88号"}
}

// Input is the typical receipt's input; elder selects elder mode.
func Input(elder bool) receipt.Input {
	c := Catalog()
	return receipt.Input{
		Catalog: c, Service: &c.Services[0],
		HallName: "中牟县24小时政务服务大厅（城关）", KioskID: "ZM-K03", Location: "城关镇便民服务中心一楼",
		Time:   time.Date(2026, 11, 26, 22, 47, 0, 0, time.FixedZone("CST", 8*3600)),
		Result: txn.Result{TxID: "01jf2v7x3k", Outcome: txn.Queued, TrackingNo: "K7QH2M4X"},
		Fields: map[string]string{"phone": "13812345678", "relation": "self"},
		Card:   Card(),
		Elder:  elder,
	}
}

// Doc is the typical receipt composed.
func Doc(elder bool) receipt.Doc {
	d, err := receipt.Compose(Input(elder))
	if err != nil {
		panic("receipttest: " + err.Error()) // the fixture is fixed: this is a bug in Compose
	}
	return d
}
