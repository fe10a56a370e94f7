package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/henan-county/kiosk/kiosk/backend"
	"github.com/henan-county/kiosk/kiosk/identity"
	"github.com/henan-county/kiosk/kiosk/outbox"
	"github.com/henan-county/kiosk/kiosk/txn"
)

var kinds = []string{"query", "print", "apply", "certify", "appointment"}

// childMain is one life of the kiosk: outbox plus backend client, taking
// transactions until it is killed (or, draining, until the outbox is
// empty).
func childMain() int {
	var cfg childConfig
	if err := json.Unmarshal([]byte(os.Getenv(childEnv)), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, errNoConfig, err)
		return 2
	}
	if cfg.Payments {
		return childPayments(cfg)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	key, err := outbox.LoadOrCreateKey(filepath.Join(cfg.Dir, "outbox.key"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ob, err := outbox.Open(filepath.Join(cfg.Dir, "outbox.db"), &outbox.Opts{Key: key, Logger: log,
		Backoff: outbox.Backoff{Base: 5 * time.Millisecond, Cap: 100 * time.Millisecond}, Workers: 2})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cl, err := backend.New(&backend.Opts{BaseURL: cfg.URL, KioskID: kioskID, CAFile: cfg.CA, CertFile: cfg.Cert,
		KeyFile: cfg.Key, Timeout: 2 * time.Second, Logger: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ob.Run(ctx, cl.Submit)
	if cfg.Drain {
		for ob.Depth() > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		ob.Close()
		os.Stdout.Write([]byte("DRAINED\n"))
		return 0
	}
	rnd := rand.New(rand.NewPCG(cfg.Seed, 2))
	// Each resident action is named by this life and its number, so the
	// parent can tell one action delivered under two ids (a real
	// duplicate) from a replay under the same id (deduplicated).
	life := rand.Uint64()
	for i := 0; ; i++ {
		now := time.Now()
		tx := txn.Transaction{ID: txn.NewID(now), KioskID: kioskID, ServiceID: fmt.Sprintf("svc-%03d", rnd.IntN(416)),
			ServiceKind: kinds[rnd.IntN(len(kinds))], CatalogVersion: 1, CreatedAt: now,
			Fields:   map[string]string{"phone": fmt.Sprintf("138%08d", rnd.IntN(1e8)), "n": fmt.Sprint(i), "op": fmt.Sprintf("%x/%d", life, i)},
			Person:   &txn.Person{CardType: identity.ResidentID, Name: "王秀英", IDNumber: "410122195301011234"},
			Personal: []string{"phone"}}
		// The hash is taken before Enqueue: the outbox wipes nothing of
		// the caller's, but the payload must be exactly what was taken.
		h := submissionHash(backend.Submission{Transaction: tx, TrackingNo: txn.TrackingNo(kioskID, tx.ID)})
		if err := ob.Enqueue(tx); err != nil {
			fmt.Fprintln(os.Stderr, "enqueue:", err)
			continue
		}
		// One write(2): a line is either whole on the pipe or absent.
		os.Stdout.Write([]byte("ACK " + tx.ID + " " + h + "\n"))
		time.Sleep(time.Duration(rnd.IntN(3000)) * time.Microsecond)
	}
}
