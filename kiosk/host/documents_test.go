package host_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/host"
	"github.com/henan-county/kiosk/kiosk/host/hosttest"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/session"
	"github.com/henan-county/kiosk/kiosk/txn"
)

func completed(tx txn.Transaction) txn.Result {
	return txn.Result{TxID: tx.ID, Outcome: txn.Completed, TrackingNo: "K7QH2M4X"}
}

func docRig(t *testing.T, docs *hosttest.Documents, slot *hosttest.SlotLight) *rig {
	r := newRig(t, func(o *host.Opts) {
		o.Ports.Documents = docs
		o.Ports.Slot = slot
	})
	r.ports.AnswerSubmit(completed, nil)
	return r
}

func docState(s session.DocState) func(host.View) bool {
	return func(v host.View) bool { return v.Session.Document != nil && v.Session.Document.State == s }
}

func slipText(d receipt.Doc) string {
	var b strings.Builder
	for _, e := range d.Elems {
		b.WriteString(e.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestDocumentThroughPorts: a proof is fetched, shown, printed page by
// page with the screen following, the slot light lit, then the slip
// says how many pages; the document is released when the session ends.
func TestDocumentThroughPorts(t *testing.T) {
	docs := &hosttest.Documents{Pages: 3, Gate: true}
	slot := &hosttest.SlotLight{}
	r := docRig(t, docs, slot)
	r.toConfirm("ss-record")
	r.do(session.Submit{})
	v := r.waitFor("the preview", docState(session.DocReady))
	dv := v.Session.Document
	if dv.PrintLabel != "打印 3 页" || dv.Preview == nil || dv.Title != "社会保险个人参保缴费证明" {
		t.Fatalf("ready %+v", dv)
	}
	subs := r.ports.Snapshot().Subs
	if len(subs) != 1 || !slices.Equal(docs.Seen().Fetched, []string{subs[0].ID}) {
		t.Fatalf("fetched %v for %d submissions", docs.Seen().Fetched, len(subs))
	}
	r.do(session.PrintDocument{})
	docs.Step()
	r.waitFor("page 1 out", func(v host.View) bool {
		d := v.Session.Document
		return d != nil && d.Progress == "正在打印第 2/3 页"
	})
	docs.Step()
	docs.Step()
	r.waitFor("take", docState(session.DocTake))
	if jobs := docs.Seen().Jobs; len(jobs) != 1 || jobs[0].TxID != subs[0].ID || jobs[0].Title != "社保缴费记录打印" || jobs[0].Reprint {
		t.Fatalf("jobs %+v", jobs)
	}
	if s := slot.States(); len(s) == 0 || !s[len(s)-1] {
		t.Fatalf("slot light %v, want on", s)
	}
	r.do(session.Continue{})
	r.waitFor("the slip", func(v host.View) bool { return len(r.ports.Snapshot().Prints) == 1 })
	slip := slipText(r.ports.Snapshot().Prints[0])
	if !strings.Contains(slip, "已打印证明 3 页") || !strings.Contains(slip, "ZM7Q-4K2P-9XA3") {
		t.Errorf("the slip does not say the A4 pages:\n%s", slip)
	}
	if s := slot.States(); s[len(s)-1] {
		t.Error("slot light still on after the resident moved on")
	}
	if len(docs.Seen().Released) != 0 {
		t.Fatal("released while the session runs")
	}
	r.waitFor("result", func(v host.View) bool { return v.Session.Screen == session.ScreenResult })
	r.do(session.Continue{}, session.Rate{Score: 5})
	r.waitFor("done", func(v host.View) bool { return v.Session.Screen == session.ScreenDone })
	if rel := docs.Seen().Released; !slices.Equal(rel, []string{subs[0].ID}) {
		t.Fatalf("released %v", rel)
	}
	for _, p := range docs.Seen().Previews {
		if slices.ContainsFunc(p.Pix, func(b byte) bool { return b != 0 }) {
			t.Fatal("a preview outlived the session")
		}
	}
}

func TestDocumentFaultsTold(t *testing.T) {
	tests := []struct {
		name  string
		set   func(d *hosttest.Documents)
		state session.DocState
		words string
	}{
		{"refused", func(d *hosttest.Documents) {
			d.FailFetch(fmt.Errorf("document: check: sha256 differs: %w", host.ErrDocumentRefused))
		}, session.DocRefused, "证明文件有问题"},
		{"not reached", func(d *hosttest.Documents) { d.FailFetch(errors.New("backend: dial: connection refused")) },
			session.DocNoFetch, "取不到"},
		{"paper out mid-job", func(d *hosttest.Documents) {
			d.FailPrint(fmt.Errorf("cups: job 7: %w", host.ErrA4PaperOut), 1)
		}, session.DocStopped, "没纸"},
		{"jam", func(d *hosttest.Documents) { d.FailPrint(fmt.Errorf("x: %w", host.ErrA4Jam), 0) }, session.DocStopped, "卡纸"},
		{"offline", func(d *hosttest.Documents) { d.FailPrint(fmt.Errorf("x: %w", host.ErrA4Offline), 0) }, session.DocStopped, "没有响应"},
		{"anything else", func(d *hosttest.Documents) { d.FailPrint(errors.New("cups: job aborted"), 0) }, session.DocStopped, "故障"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs := &hosttest.Documents{}
			tc.set(docs)
			r := docRig(t, docs, nil)
			r.toConfirm("ss-record")
			r.do(session.Submit{})
			r.waitFor("fetched", func(v host.View) bool {
				d := v.Session.Document
				return d != nil && d.State != session.DocFetching
			})
			r.do(session.PrintDocument{})
			v := r.waitFor(string(tc.state), docState(tc.state))
			if !strings.Contains(v.Session.Document.Message, tc.words) || !strings.Contains(v.Session.Document.Message, testHotline) {
				t.Fatalf("message %q", v.Session.Document.Message)
			}
		})
	}
}

// TestNoDocumentsNoProofs: a kiosk without a document port does not
// offer print matters at all.
func TestNoDocumentsNoProofs(t *testing.T) {
	r := newRig(t, func(o *host.Opts) { o.Ports.Documents = nil })
	v := r.do(session.Start{}, session.ChooseService{ID: "ss-record"})
	if v.Guide == nil || v.Guide.Available || !strings.Contains(v.Guide.Reason, "打印证明的打印机") {
		t.Fatalf("guide %+v", v.Guide)
	}
}

// docJournal records how documents ended (the rest of the journal is
// not this test's).
type docJournal struct {
	mu       sync.Mutex
	outcomes []string
}

func (j *docJournal) SessionStarted()                                             {}
func (j *docJournal) SessionEnded(string)                                         {}
func (j *docJournal) Submitted(txn.Transaction, txn.Result, time.Duration, error) {}
func (j *docJournal) Printed(error)                                               {}
func (j *docJournal) Rated(string, int, error)                                    {}
func (j *docJournal) Document(outcome string) {
	j.mu.Lock()
	j.outcomes = append(j.outcomes, outcome)
	j.mu.Unlock()
}

func (j *docJournal) seen() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.outcomes...)
}

// TestDocumentOutcomesJournaled: technicians and metrics learn how each
// proof ended: printed, or what stopped it.
func TestDocumentOutcomesJournaled(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(d *hosttest.Documents)
		want string
	}{
		{"printed", func(*hosttest.Documents) {}, "printed"},
		{"refused", func(d *hosttest.Documents) { d.FailFetch(fmt.Errorf("x: %w", host.ErrDocumentRefused)) }, "refused"},
		{"unreached", func(d *hosttest.Documents) { d.FailFetch(errors.New("dial: refused")) }, "unreached"},
		{"paper out", func(d *hosttest.Documents) { d.FailPrint(fmt.Errorf("x: %w", host.ErrA4PaperOut), 0) }, "paper_out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, j := &hosttest.Documents{Pages: 1}, &docJournal{}
			tc.set(docs)
			r := newRig(t, func(o *host.Opts) { o.Ports.Documents, o.Ports.Journal = docs, j })
			r.ports.AnswerSubmit(completed, nil)
			r.toConfirm("ss-record")
			r.do(session.Submit{})
			r.waitFor("fetched", func(v host.View) bool {
				d := v.Session.Document
				return d != nil && d.State != session.DocFetching
			})
			r.do(session.PrintDocument{})
			r.waitFor("the end", func(host.View) bool { return len(j.seen()) > 0 })
			if got := j.seen(); !slices.Equal(got, []string{tc.want}) {
				t.Fatalf("journal %v, want [%s]", got, tc.want)
			}
		})
	}
}
