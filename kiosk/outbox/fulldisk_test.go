//go:build linux

package outbox

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/henan-county/kiosk/kiosk/txn"
)

// TestFullDisk fills the "disk" (RLIMIT_FSIZE caps the database file, so
// growing it fails with EFBIG as a full file system would): enqueues fail
// with a clear error and are not acknowledged, nothing acknowledged before
// is lost, and the outbox works again once space returns.
func TestFullDisk(t *testing.T) {
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	path := filepath.Join(t.TempDir(), "o.db")
	ob := open(t, path, nil)
	var acked []string
	for range 20 {
		tx := newTx(time.Now(), "apply")
		if err := ob.Enqueue(tx); err != nil {
			t.Fatal(err)
		}
		acked = append(acked, tx.ID)
	}
	st, _ := os.Stat(path)
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip(err)
	}
	lim := old
	lim.Cur = uint64(st.Size())
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip(err)
	}
	failed := 0
	var lastErr error
	for range 5000 {
		tx := newTx(time.Now(), "apply")
		tx.Fields["filler"] = strings.Repeat("x", 2000)
		if err := ob.Enqueue(tx); err != nil {
			failed++
			lastErr = err
			if failed >= 5 {
				break
			}
			continue
		}
		acked = append(acked, tx.ID)
	}
	syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
	if failed == 0 {
		t.Fatal("the full disk never refused an enqueue")
	}
	if !strings.HasPrefix(lastErr.Error(), "outbox: enqueue") {
		t.Errorf("error %q does not name the operation", lastErr)
	}
	t.Logf("%d acknowledged, then: %v", len(acked), lastErr)
	// Space is back: enqueues work again.
	tx := newTx(time.Now(), "apply")
	if err := ob.Enqueue(tx); err != nil {
		t.Fatalf("after space returned: %v", err)
	}
	acked = append(acked, tx.ID)
	ob.Close()
	ob = open(t, path, nil)
	defer ob.Close()
	seen := map[string]bool{}
	ob.DeliverDue(context.Background(), func(ctx context.Context, tx txn.Transaction) (txn.Result, error) {
		seen[tx.ID] = true
		return txn.Result{Outcome: txn.Queued, TrackingNo: "T"}, nil
	})
	for _, id := range acked {
		if !seen[id] {
			t.Fatalf("acknowledged %s lost after the disk filled", id)
		}
	}
}
