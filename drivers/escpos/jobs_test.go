package escpos_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/henan-county/kiosk/drivers/escpos"
	"github.com/henan-county/kiosk/drivers/escpos/printersim"
	"github.com/henan-county/kiosk/kiosk/jobstore"
	"github.com/henan-county/kiosk/kiosk/receipt"
	"github.com/henan-county/kiosk/kiosk/receipt/receipttest"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestKeptJobsSurviveARestart: a receipt cut short by paper out is kept on
// disk, sealed; a new Printer on the same store (the daemon restarted)
// lists it and reprints it; a file altered meanwhile is refused, the
// others still load; nothing of the receipt is on disk in the clear.
func TestKeptJobsSurviveARestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "receipts")
	key := bytes.Repeat([]byte{3}, jobstore.KeySize)
	store, err := jobstore.Open(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, printersim.Opts{}, escpos.Opts{Store: store})
	ctx := ctxT(t, 30*time.Second)
	if _, err := r.p.Print(ctx, receipttest.Doc(false)); err != nil {
		t.Fatal(err)
	}
	r.sim.PaperOutAfter(300)
	cut, err := r.p.Print(ctx, receipttest.Doc(true))
	if !errors.Is(err, escpos.ErrPaperOut) {
		t.Fatalf("Print = %+v, %v; want paper out", cut, err)
	}
	r.sim.SetPaper(printersim.PaperOK)
	if _, err := r.p.Print(ctx, receipttest.Doc(false)); err != nil {
		t.Fatal(err)
	}
	before := r.p.Jobs()
	if len(before) != 3 {
		t.Fatalf("%d jobs before the restart", len(before))
	}
	r.p.Close()

	// Nothing of the receipts in the clear.
	plain, _ := simplifiedchinese.GB18030.NewEncoder().String(receipttest.Doc(false).Elems[0].Text)
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", e.Name(), fi.Mode().Perm())
		}
		for _, el := range receipttest.Doc(true).Elems {
			for _, s := range []string{el.Text, el.Data} {
				if len(s) >= 4 && bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds %q in the clear", e.Name(), s)
				}
			}
		}
		if bytes.Contains(b, []byte(plain)) {
			t.Errorf("%s holds the title in GB18030", e.Name())
		}
	}

	// Restart: a new store and printer on the same directory.
	store2, _ := jobstore.Open(dir, key)
	p2 := escpos.NewPrinter(&escpos.Opts{Path: r.sim.Path(), Store: store2})
	t.Cleanup(func() { p2.Close() })
	after := p2.Jobs()
	if len(after) != len(before) {
		t.Fatalf("%d jobs after the restart, want %d", len(after), len(before))
	}
	for i := range after {
		a, b := after[i], before[i]
		if a.ID != b.ID || a.State != b.State || a.Sent != b.Sent || a.Err != b.Err || !a.Created.Equal(b.Created) {
			t.Errorf("job %d after the restart %+v, before %+v", i, a, b)
		}
	}
	j, err := p2.Reprint(ctx, cut.ID)
	if err != nil || j.State != escpos.JobDone {
		t.Fatalf("reprint after the restart: %+v, %v", j, err)
	}
	banner, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(receipt.ReprintBanner))
	got := r.sim.Receipts()
	if len(got) != 3 || !bytes.Contains(got[2], banner) {
		t.Errorf("the reprint after the restart: %d receipts", len(got))
	}
	// A new job after the restart takes a new number.
	n, err := p2.Print(ctx, receipttest.Doc(false))
	if err != nil || n.ID != before[2].ID+1 {
		t.Errorf("first job after the restart %+v, %v; want number %d", n, err, before[2].ID+1)
	}
	p2.Close()

	// Tamper with the first job's file: it is refused, the rest load.
	first := filepath.Join(dir, "00000001.kjob")
	b, _ := os.ReadFile(first)
	b[len(b)-3] ^= 0x40
	os.WriteFile(first, b, 0o600)
	if _, err := store2.Get(1); !errors.Is(err, jobstore.ErrCorrupt) || !strings.Contains(err.Error(), "damaged or altered") {
		t.Errorf("tampered job: %v", err)
	}
	p3 := escpos.NewPrinter(&escpos.Opts{Path: r.sim.Path(), Store: store2})
	t.Cleanup(func() { p3.Close() })
	if js := p3.Jobs(); len(js) != 3 || js[0].ID != 2 {
		t.Errorf("after tampering %d jobs (first %+v), want jobs 2..4", len(js), js)
	}
	if _, err := p3.Reprint(ctx, 1); !errors.Is(err, escpos.ErrNoJob) {
		t.Errorf("reprint of the tampered job: %v, want ErrNoJob", err)
	}
}

// TestKeptJobsRetention: jobs unchanged for KeepFor leave the queue and
// the disk.
func TestKeptJobsRetention(t *testing.T) {
	dir := t.TempDir()
	store, _ := jobstore.Open(dir, bytes.Repeat([]byte{3}, jobstore.KeySize))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	r := newRig(t, printersim.Opts{}, escpos.Opts{Store: store, KeepFor: time.Hour, Now: clock})
	ctx := ctxT(t, 15*time.Second)
	old, err := r.p.Print(ctx, receipttest.Doc(false))
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := r.p.Print(ctx, receipttest.Doc(false)); err != nil {
		t.Fatal(err)
	}
	js := r.p.Jobs()
	if len(js) != 1 || js[0].ID == old.ID {
		t.Fatalf("jobs %+v: the one past its retention is still kept", js)
	}
	if _, err := store.Get(old.ID); !errors.Is(err, jobstore.ErrNotFound) {
		t.Errorf("the old job's file: %v, want deleted", err)
	}
}
