package receipt_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// texts returns every text line of d.
func texts(d receipt.Doc) []string {
	var out []string
	for _, e := range d.Elems {
		if e.Kind == receipt.Text {
			out = append(out, e.Text)
		}
	}
	return out
}

func has(d receipt.Doc, s string) bool {
	for _, t := range texts(d) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func TestComposeQueued(t *testing.T) {
	d, err := receipt.Compose(receipttest.Input(false))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"中牟县24小时政务服务大厅（城关）", "郑州市中牟县", "养老保险资格认证受理凭条",
		"事项：城乡居民养老保险待遇资格认证", "时间：2026年11月26日 22:47", "ZM-K03 城关镇便民服务中心一楼",
		"姓名：王**", "身份证号：410122********0024", "联系电话：138****5678", "办理人：本人",
		"备注：" + receipt.NotFilled, "认证结果将以短信通知",
		receipt.QueuedNotice, "5 个工作日内办好", "办理编号", "K7QH 2M4X", "服务热线：0371-62161234", receipt.KeepNotice,
	} {
		if !has(d, want) {
			t.Errorf("receipt lacks %q; lines:\n%s", want, strings.Join(texts(d), "\n"))
		}
	}
	// Nothing personal in full.
	for _, leak := range []string{"王桂兰", "410122194805120024", "13812345678", "青年路"} {
		if has(d, leak) {
			t.Errorf("receipt prints %q unmasked", leak)
		}
	}
	var qr, cut, bigTracking bool
	for _, e := range d.Elems {
		switch {
		case e.Kind == receipt.QR:
			qr = e.Data == "https://zwfw.zhongmou.gov.cn/t/K7QH2M4X"
		case e.Kind == receipt.Cut:
			cut = true
		case e.Kind == receipt.Text && strings.Contains(e.Text, "K7QH 2M4X"):
			bigTracking = e.Size == 2 && e.Bold
		}
	}
	if !qr || !cut || !bigTracking {
		t.Fatalf("qr %v cut %v large tracking %v", qr, cut, bigTracking)
	}
	if last := d.Elems[len(d.Elems)-1]; last.Kind != receipt.Cut {
		t.Fatal("receipt does not end with a cut")
	}
}

func TestComposeElderIsDoubleSize(t *testing.T) {
	d, err := receipt.Compose(receipttest.Input(true))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range d.Elems {
		if e.Kind == receipt.Text && e.Size != 2 {
			t.Errorf("elder line %q has size %d", e.Text, e.Size)
		}
	}
}

func TestComposeOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		result  txn.Result
		want    []string
		notWant []string
	}{
		{"completed", txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1", Message: "认证成功",
			Lines:    []txn.ResultLine{{Label: "认证有效期至", Value: "2027-11-26"}},
			Document: []string{"第一行记录", "第二行记录"}},
			[]string{"已办好", "认证成功", "认证有效期至：2027-11-26", "第二行记录"}, []string{receipt.QueuedNotice}},
		{"rejected", txn.Result{Outcome: txn.Rejected, Message: "不符合条件"},
			[]string{"未能受理", "不符合条件"}, []string{receipt.QueuedNotice}},
		{"unreached", txn.Result{Outcome: txn.Unreached}, []string{"暂未办理"}, nil},
		{"no tracking number", txn.Result{Outcome: txn.Completed, TxID: "01abc"}, []string{"流水号：01ABC"}, []string{"办理编号"}},
		{"with an A4 document", txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1"},
			[]string{"已打印证明 3 页", "证明验证码：ZM7Q-4K2P-9XA3"}, nil},
		{"no A4 document", txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1"}, nil, []string{"已打印证明", "证明验证码"}},
		{"with an A4 document whose code the answer gave", txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1",
			Lines: []txn.ResultLine{{Key: "verify_code", Label: "验证码", Value: "ZM7Q-4K2P-9XA3"}}},
			[]string{"已打印证明 3 页", "验证码：ZM7Q-4K2P-9XA3"}, []string{"证明验证码"}},
		{"paid", txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1"},
			[]string{"缴费金额：500.00元", "收款单位：中牟县社会保险中心", "订单号：ZMP2026120200000001", "支付方式：微信支付 尾号6789"},
			[]string{"已退款", "退款单号", "134567890123456789"}},
		{"paid, as the answer says", txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1",
			Lines: []txn.ResultLine{{Label: "缴费金额", Value: "500.00元"}, {Label: "订单号", Value: "ZMP2026120200000001"}}},
			[]string{"缴费金额：500.00元", "支付方式：微信支付 尾号6789"}, nil},
		{"paid and refunded", txn.Result{Outcome: txn.Rejected, Message: "该事项本年度已由其他渠道办理"},
			[]string{"未能受理", "已退款：500.00元，原路退回", "退款单号：ZMR2026120200000001"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := receipttest.Input(false)
			in.Result = tc.result
			if strings.HasPrefix(tc.name, "with an A4 document") {
				in.A4Pages, in.A4Code = 3, "ZM7Q-4K2P-9XA3"
			}
			if strings.HasPrefix(tc.name, "paid") {
				in.Payment = &receipt.Payment{Amount: 50000, Payee: "中牟县社会保险中心", Item: "城乡居民养老保险费",
					OrderNo: "ZMP2026120200000001", Channel: "微信支付", PayerTail: "6789"}
				if strings.Contains(tc.name, "refunded") {
					in.Payment.RefundNo = "ZMR2026120200000001"
				}
			}
			in.Service.Receipt.Lines = nil
			d, err := receipt.Compose(in)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !has(d, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tc.notWant {
				if has(d, w) {
					t.Errorf("has %q", w)
				}
			}
		})
	}
}

func TestComposeTemplateErrors(t *testing.T) {
	tests := []struct {
		name string
		line catalog.ReceiptLine
		edit func(*receipt.Input)
		want error
	}{
		{"unknown form field", catalog.ReceiptLine{Label: "x", Field: "nope"}, nil, receipt.ErrMissingField},
		{"required field empty", catalog.ReceiptLine{Label: "电话", Field: "phone"},
			func(in *receipt.Input) { delete(in.Fields, "phone") }, receipt.ErrMissingField},
		{"card field without card", catalog.ReceiptLine{Label: "姓名", Field: "card.name"},
			func(in *receipt.Input) { in.Card = nil }, receipt.ErrMissingField},
		{"unknown card field", catalog.ReceiptLine{Label: "x", Field: "card.shoe_size"}, nil, receipt.ErrBadTemplate},
		{"unknown mask", catalog.ReceiptLine{Label: "x", Field: "phone", Mask: "blur"}, nil, receipt.ErrBadTemplate},
		{"no service", catalog.ReceiptLine{}, func(in *receipt.Input) { in.Service = nil }, receipt.ErrBadTemplate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := receipttest.Input(false)
			if in.Service != nil {
				in.Service.Receipt.Lines = []catalog.ReceiptLine{tc.line}
			}
			if tc.edit != nil {
				tc.edit(&in)
			}
			_, err := receipt.Compose(in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestComposeMasks(t *testing.T) {
	tests := []struct {
		field, mask, want string
	}{
		{"card.id_number", "none", "410122********0024"}, // card data is never printed in full
		{"card.name", "none", "王**"},
		{"card.address", "address", "河南省郑州市********"},
		{"card.sex", "none", "女"},
		{"phone", "none", "138****5678"}, // personal form field
		{"phone", "all", "********"},
		{"relation", "none", "本人"}, // choice label
		{"result.tracking_no", "none", "K7QH2M4X"},
	}
	for _, tc := range tests {
		in := receipttest.Input(false)
		in.Service.Receipt.Lines = []catalog.ReceiptLine{{Label: "L", Field: tc.field, Mask: tc.mask}}
		d, err := receipt.Compose(in)
		if err != nil {
			t.Fatal(err)
		}
		if !has(d, "L："+tc.want) {
			t.Errorf("%s mask %s: lines %q", tc.field, tc.mask, texts(d))
		}
	}
}

func TestReprintAndIncomplete(t *testing.T) {
	d := receipttest.Doc(false)
	r := receipt.Reprint(d, receipttest.Input(false).Time)
	if len(r.Elems) != len(d.Elems)+1 || !strings.HasPrefix(r.Elems[0].Text, receipt.ReprintBanner) {
		t.Fatalf("reprint starts %+v", r.Elems[0])
	}
	msg := receipt.IncompleteMessage("0371-62161234")
	for _, w := range []string{"没纸", "0371-62161234", "补打"} {
		if !strings.Contains(msg, w) {
			t.Errorf("incomplete message lacks %q", w)
		}
	}
}

func TestGroupTracking(t *testing.T) {
	for in, want := range map[string]string{
		"K7QH2M4X":           "K7QH 2M4X",
		"ZM20261126K7QH2M4X": "ZM20261126 K7QH2M4X", // a number of an earlier build
		"SHORT1":             "SHORT1",
		"ZM2026 1126K7QH2M":  "ZM2026 1126K7QH2M",
	} {
		if got := receipt.GroupTracking(in); got != want {
			t.Errorf("GroupTracking(%q) = %q", in, got)
		}
	}
}

// A result field the backend did not return never stops the receipt: a
// completed answer prints a dash, a queued one says it comes later.
func TestComposeMissingResultField(t *testing.T) {
	for _, tc := range []struct {
		outcome txn.Outcome
		want    string
	}{{txn.Completed, receipt.NotProvided}, {txn.Queued, receipt.PendingValue}} {
		in := receipttest.Input(false)
		in.Service.Receipt.Lines = []catalog.ReceiptLine{{Label: "余额", Field: "result.balance"}}
		in.Result.Outcome = tc.outcome
		doc, err := receipt.Compose(in)
		if err != nil {
			t.Fatalf("%s: %v", tc.outcome, err)
		}
		found := false
		for _, e := range doc.Elems {
			if strings.Contains(e.Text, "余额") && strings.Contains(e.Text, tc.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no line 余额 with %q in %+v", tc.outcome, tc.want, doc.Elems)
		}
	}
}

// TestResultLinePrintedOnce: a backend answer the template already prints
// (a print matter's 文件编号 and 验证码) is not printed again below it.
func TestResultLinePrintedOnce(t *testing.T) {
	in := receipttest.Input(false)
	in.Service.Receipt.Lines = []catalog.ReceiptLine{{Label: "文件编号", Field: "result.doc_no", Mask: "none"}}
	in.Result = txn.Result{Outcome: txn.Completed, TrackingNo: "ZM1", Lines: []txn.ResultLine{
		{Key: "doc_no", Label: "文件编号", Value: "WJ1234"}, {Key: "pages", Label: "页数", Value: "3"}}}
	d, err := receipt.Compose(in)
	if err != nil {
		t.Fatal(err)
	}
	n, pages := 0, 0
	for _, e := range d.Elems {
		switch e.Text {
		case "文件编号：WJ1234":
			n++
		case "页数：3":
			pages++
		}
	}
	if n != 1 || pages != 1 {
		t.Fatalf("文件编号 printed %d times, 页数 %d times; want once each", n, pages)
	}
}
