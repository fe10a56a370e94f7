package session

import (
	"image"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/catalog"
	"github.com/henan-county/kiosk/kiosk/devices"
	"github.com/henan-county/kiosk/kiosk/txn"
)

// toDocument takes a fresh harness through a print matter to its document
// being fetched, and returns the transaction id.
func toDocument(h *harness) string {
	h.t.Helper()
	toForm(h, "ss-record")
	h.do(FieldInput{"phone", testPhone}, FieldInput{"years", "3"}, Submit{}, Submit{})
	st, ok := find[SubmitTx](h.last)
	if !ok {
		h.t.Fatal("no SubmitTx")
	}
	fx := h.do(Submitted{Result: txn.Result{TxID: st.Tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X"}})
	h.want(ScreenDocument)
	if f, ok := find[FetchDocument](fx); !ok || f.TxID != st.Tx.ID {
		h.t.Fatalf("fetch: %+v", fx)
	}
	if _, ok := find[Print](fx); ok {
		h.t.Fatal("the slip started before the document")
	}
	return st.Tx.ID
}

// fetched answers the fetch with a document of pages; it returns the
// preview, which the test keeps to see it wiped.
func fetched(h *harness, id string, pages int) *image.Gray {
	h.t.Helper()
	pre := testPreview()
	h.do(DocumentFetched{TxID: id, Doc: &Document{Title: "社会保险个人参保缴费证明", Department: "中牟县人力资源和社会保障局",
		Pages: pages, VerificationCode: "ZM7Q-4K2P-9XA3", Preview: pre}})
	return pre
}

func wiped(p *image.Gray) bool {
	for _, b := range p.Pix {
		if b != 0 {
			return false
		}
	}
	return true
}

func TestDocumentPrinted(t *testing.T) {
	h := newHarness(t)
	id := toDocument(h)
	v := h.m.View()
	if v.Document == nil || v.Document.State != DocFetching || v.Document.PrintLabel != "" || v.Timeout != nil ||
		!strings.Contains(v.Prompt, "正在取回证明") {
		t.Fatalf("fetching view %+v %+v", v, v.Document)
	}
	pre := fetched(h, id, 3)
	v = h.m.View()
	if dv := v.Document; dv == nil || dv.State != DocReady || dv.PrintLabel != "打印 3 页" || dv.Pages != 3 ||
		dv.Preview != image.Image(pre) || dv.Title != "社会保险个人参保缴费证明" || dv.VerificationCode != "ZM7Q-4K2P-9XA3" ||
		!strings.Contains(v.Prompt, "打印 3 页") || !said(h.last, "核对") {
		t.Fatalf("ready view %+v %+v", v, v.Document)
	}

	fx := h.do(PrintDocument{})
	p, ok := find[PrintA4](fx)
	if !ok || p.TxID != id || p.Pages != 3 || p.Reprint || p.Title != "社保缴费记录打印" {
		t.Fatalf("print effect %+v", fx)
	}
	if !lit(fx, LightBusy) {
		t.Error("the lamp does not show the kiosk busy")
	}
	h.do(PrintDocument{}) // a second tap prints nothing more
	if _, ok := find[PrintA4](h.last); ok {
		t.Fatal("a second tap printed the document twice")
	}
	if dv := h.m.View().Document; dv.State != DocPrinting || dv.Progress != "正在打印第 1/3 页" || dv.PrintLabel != "" {
		t.Fatalf("printing view %+v", dv)
	}
	h.do(A4Progress{TxID: id, Page: 1, Pages: 3})
	if dv := h.m.View().Document; dv.Progress != "正在打印第 2/3 页" || dv.Page != 1 {
		t.Fatalf("after page 1 %+v", dv)
	}
	// Nobody may leave while pages come out, and no inactivity dialog.
	h.do(Cancel{}, Home{}, Back{})
	h.want(ScreenDocument)
	h.tick(150 * time.Second)
	if v := h.m.View(); v.Timeout != nil || v.Document.State != DocPrinting {
		t.Fatalf("while printing %+v", v)
	}
	h.do(A4Progress{TxID: id, Page: 2, Pages: 3}, A4Progress{TxID: id, Page: 3, Pages: 3})
	if dv := h.m.View().Document; dv.Progress != "正在打印第 3/3 页" {
		t.Fatalf("last page %+v", dv)
	}
	fx = h.do(A4Printed{TxID: id})
	v = h.m.View()
	if v.Document.State != DocTake || v.Title != "请取走打印件" || !strings.Contains(v.Document.Message, "共 3 页") {
		t.Fatalf("take view %+v %+v", v, v.Document)
	}
	if sl, ok := find[SlotLight](fx); !ok || !sl.On {
		t.Fatalf("the output-slot light is not on: %+v", fx)
	}
	if !said(fx, "请从打印机出纸口取走") {
		t.Errorf("take not spoken: %+v", fx)
	}

	// On to the result; the slip says how many A4 pages.
	fx = h.do(Continue{})
	h.want(ScreenResult)
	if sl, ok := find[SlotLight](fx); !ok || sl.On {
		t.Errorf("the slot light stays on: %+v", fx)
	}
	if pr, ok := find[Print](fx); !ok || pr.A4Pages != 3 || pr.A4Code != "ZM7Q-4K2P-9XA3" {
		t.Fatalf("slip %+v", fx)
	}
	if v := h.m.View(); !strings.Contains(v.Result.Next, "证明已打印 3 页") {
		t.Errorf("result next %q", v.Result.Next)
	}
	h.do(Printed{}, Continue{}, Rate{5})
	h.want(ScreenDone)
	if !wiped(pre) {
		t.Fatal("the document's preview was not wiped at the end of the session")
	}
	assertNoPersonal(t, h.m)
}

func TestDocumentFaultThenReprint(t *testing.T) {
	tests := []struct {
		fault DocFault
		words string
	}{
		{FaultPaperOut, "没纸"},
		{FaultJam, "卡纸"},
		{FaultDoorOpen, "盖子开着"},
		{FaultTonerEmpty, "墨粉"},
		{FaultOffline, "没有响应"},
		{FaultFailed, "故障"},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault), func(t *testing.T) {
			h := newHarness(t)
			id := toDocument(h)
			fetched(h, id, 2)
			h.do(PrintDocument{}, A4Progress{TxID: id, Page: 1, Pages: 2})
			h.devs[devices.KindA4] = devices.UserError
			fx := h.do(A4Printed{TxID: id, Fault: tc.fault})
			v := h.m.View()
			dv := v.Document
			if dv.State != DocStopped || !strings.Contains(dv.Message, tc.words) || !strings.Contains(dv.Message, testHotline) ||
				!strings.Contains(dv.Message, "保存") || dv.CanReprint || !dv.WaitPrinter || v.Title != "打印没有完成" {
				t.Fatalf("fault view %+v %+v", v, dv)
			}
			if !lit(fx, LightAttention) || !said(fx, tc.words) {
				t.Errorf("fault not shown by lamp and voice: %+v", fx)
			}
			h.do(ReprintDocument{}) // not while the printer is down
			if _, ok := find[PrintA4](h.last); ok {
				t.Fatal("reprinted on a printer that is down")
			}
			h.devs[devices.KindA4] = devices.Online
			fx = h.do(DevicesChanged{})
			if dv := h.m.View().Document; !dv.CanReprint || dv.WaitPrinter || !said(fx, "重新打印") {
				t.Fatalf("printer back %+v %+v", dv, fx)
			}
			fx = h.do(ReprintDocument{})
			if p, ok := find[PrintA4](fx); !ok || !p.Reprint || p.Pages != 2 || p.TxID != id {
				t.Fatalf("reprint %+v", fx)
			}
			h.do(A4Printed{TxID: id})
			if dv := h.m.View().Document; dv.State != DocTake {
				t.Fatalf("after reprint %+v", dv)
			}
		})
	}
}

// TestDocumentFaultLeftAlone: a resident who gives up after a fault
// leaves with the hotline; no rating, the session ends finished.
func TestDocumentFaultLeftAlone(t *testing.T) {
	h := newHarness(t)
	id := toDocument(h)
	fetched(h, id, 1)
	h.do(PrintDocument{}, A4Printed{TxID: id, Fault: FaultJam})
	h.do(Continue{})
	h.want(ScreenDone)
	if len(h.ended) != 1 || h.ended[0] != ReasonFinished {
		t.Fatalf("ended %v", h.ended)
	}
	if _, ok := find[Print](h.fx); ok {
		t.Error("a slip for a proof that did not print")
	}
	assertNoPersonal(t, h.m)
}

func TestDocumentNotPrinted(t *testing.T) {
	tests := []struct {
		name  string
		fetch func(h *harness, id string)
		state DocState
		words []string
	}{
		{"refused", func(h *harness, id string) { h.do(DocumentFetched{TxID: id, Fault: FaultRefused}) },
			DocRefused, []string{"证明文件有问题", "没有打印", "没有办完", testHotline}},
		{"not reached", func(h *harness, id string) { h.do(DocumentFetched{TxID: id, Fault: FaultUnreached}) },
			DocNoFetch, []string{"取不到", "稍后再来", testHotline}},
		{"no answer from the host", func(h *harness, id string) { h.tick(59 * time.Second); h.tick(time.Second) },
			DocNoFetch, []string{"取不到"}},
		{"a document of no pages", func(h *harness, id string) {
			h.do(DocumentFetched{TxID: id, Doc: &Document{Title: "x", Preview: testPreview()}})
		}, DocRefused, []string{"证明文件有问题"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			id := toDocument(h)
			tc.fetch(h, id)
			v := h.m.View()
			if v.Document.State != tc.state || v.Document.PrintLabel != "" || v.Title != "证明没有打印" {
				t.Fatalf("view %+v %+v", v, v.Document)
			}
			for _, w := range tc.words {
				if !strings.Contains(v.Document.Message, w) || !strings.Contains(v.Prompt, w) {
					t.Errorf("message %q lacks %q", v.Document.Message, w)
				}
			}
			h.do(PrintDocument{})
			if _, ok := find[PrintA4](h.last); ok {
				t.Fatal("printed a document that was not fetched")
			}
			h.do(Continue{})
			h.want(ScreenDone)
			if _, ok := find[SendRating](h.fx); ok {
				t.Error("rated")
			}
			assertNoPersonal(t, h.m)
		})
	}
}

// TestDocumentStaleAnswers: answers for another transaction change
// nothing, and a stale preview is wiped at once.
func TestDocumentStaleAnswers(t *testing.T) {
	h := newHarness(t)
	id := toDocument(h)
	px := testPreview()
	h.do(DocumentFetched{TxID: "someone-else", Doc: &Document{Title: "x", Pages: 1, Preview: px}})
	if h.m.View().Document.State != DocFetching {
		t.Fatal("took another transaction's document")
	}
	if !wiped(px) {
		t.Error("a stale document's preview was kept")
	}
	pre := fetched(h, id, 1)
	h.do(PrintDocument{}, A4Printed{TxID: "someone-else", Fault: FaultJam}, A4Progress{TxID: id, Page: 9, Pages: 1})
	if dv := h.m.View().Document; dv.State != DocPrinting || dv.Page != 0 {
		t.Fatalf("stale job reports changed the view %+v", dv)
	}
	h.do(A4Printed{TxID: id})
	h.do(Cancel{})
	if !wiped(pre) {
		t.Error("the preview outlived the session")
	}
}

// TestDocumentTimeouts: a job whose pages stop coming ends as a fault;
// the preview screen has the inactivity dialog like any other.
func TestDocumentTimeouts(t *testing.T) {
	h := newHarness(t)
	id := toDocument(h)
	fetched(h, id, 2)
	h.tick(119 * time.Second)
	if h.m.View().Timeout != nil {
		t.Fatal("dialog too early")
	}
	h.tick(2 * time.Second)
	if h.m.View().Timeout == nil {
		t.Fatal("no inactivity dialog on the preview")
	}
	h.do(Continue{}, PrintDocument{})
	h.tick(2 * time.Minute)
	h.do(A4Progress{TxID: id, Page: 1, Pages: 2}) // a page: the job is alive
	h.tick(2 * time.Minute)
	if dv := h.m.View().Document; dv.State != DocPrinting {
		t.Fatalf("gave up on a job that was printing: %+v", dv)
	}
	h.tick(61 * time.Second)
	if dv := h.m.View().Document; dv.State != DocStopped || !strings.Contains(dv.Message, "故障") {
		t.Fatalf("a job that stopped: %+v", dv)
	}
}

// TestPrintMatterAvailability: a proof needs the A4 printer and the
// backend, and the resident is told before she starts.
func TestPrintMatterAvailability(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness)
		words string
	}{
		{"A4 printer offline", func(h *harness) { h.devs[devices.KindA4] = devices.Offline }, "打印证明的打印机"},
		{"A4 printer out of paper", func(h *harness) { h.devs[devices.KindA4] = devices.UserError }, "打印证明的打印机"},
		{"no A4 printer", func(h *harness) { h.devs[devices.KindA4] = devices.NoDevice }, "打印证明的打印机"},
		{"backend down", func(h *harness) { h.devs[devices.KindBackend] = devices.Offline }, "网络恢复后"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.setup(h)
			h.do(Start{}, ChooseService{"ss-record"})
			g := h.m.View().Guide
			if g.Available || !strings.Contains(g.Reason, tc.words) || !strings.Contains(g.Reason, testHotline) {
				t.Fatalf("guide %+v", g)
			}
			h.do(Start{})
			h.want(ScreenGuide)
		})
	}
	h := &harness{t: t, clk: &clock{t: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}, devs: map[devices.Kind]devices.State{}, cat: testCatalog()}
	h.m = New(&Opts{Catalog: func() *catalog.Catalog { return h.cat }, Now: h.clk.now})
	h.do(Start{}, ChooseService{"ss-record"})
	if g := h.m.View().Guide; g.Available {
		t.Fatalf("a kiosk without documents offers a proof: %+v", g)
	}
	h.do(Back{}, ChooseService{"subsidy"})
	if g := h.m.View().Guide; !g.Available {
		t.Fatalf("other matters suffer: %+v", g)
	}
}
